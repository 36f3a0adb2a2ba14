// Slippage of a fill against its arrival price (the mid when the order was sent), in price, pips, basis points and the
// account currency, and the report's groups. Pure and exact (decimal.js); figures are rounded only where stored.
//
// Sign: positive = worse for the trader. A buy: fill − mid; a sell: mid − fill. So a market buy filled at the ask
// shows half the spread as slippage; a limit filled better than the arrival mid shows a negative slippage.
import type { FillQuality, SlippageGroup, SlippageReport } from '../../../src-shared/domain/execution';
import type { Instrument, OrderSide } from '../../../src-shared/domain/types';
import { demoCfdSpec, pipSize } from '../cfd/specs';
import { D, dec, type Dec } from '../money';

export interface SlippageInput {
  side: OrderSide;
  quantity: number;
  fillPrice: number;
  arrivalBid: number;
  arrivalAsk: number;
  /** 10^pipLocation (EURUSD 0.0001, USDJPY 0.01, an index 1). */
  pipSize: number;
  /** Price of one unit of the quote currency in the account currency; undefined when unknown. */
  toAccount: Dec | undefined;
}

export interface SlippageFigures {
  arrivalMid: number;
  spread: number;
  slippage: number;
  slippagePips: number;
  slippageBps: number;
  /** Account currency, two decimals; null without a rate. */
  slippageCost: string | null;
}

const round = (d: Dec, places: number) => d.toDecimalPlaces(places).toNumber();

export function slippageOf(i: SlippageInput): SlippageFigures {
  const bid = dec(i.arrivalBid);
  const ask = dec(i.arrivalAsk);
  const mid = bid.plus(ask).div(2);
  const diff = dec(i.fillPrice).minus(mid);
  const slip = i.side === 'buy' ? diff : diff.neg();
  return {
    arrivalMid: round(mid, 10),
    spread: round(ask.minus(bid), 10),
    slippage: round(slip, 10),
    slippagePips: round(slip.div(i.pipSize), 4),
    slippageBps: round(slip.div(mid).times(10_000), 4),
    slippageCost: i.toAccount === undefined ? null : slip.times(i.quantity).times(i.toAccount).toDecimalPlaces(2).toFixed(2),
  };
}

/** Groups fills by `key`: quantity-weighted mean slippage (bps, pips) and spread (bps), costs summed per currency. */
export function slippageGroups(fills: readonly FillQuality[], key: (f: FillQuality) => string): SlippageGroup[] {
  const groups = new Map<string, FillQuality[]>();
  for (const f of fills) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, xs]) => {
    const weight = xs.reduce((s, f) => s.plus(f.quantity), new D(0));
    const mean = (v: (f: FillQuality) => number) => round(xs.reduce((s, f) => s.plus(dec(v(f)).times(f.quantity)), new D(0)).div(weight), 4);
    const cost: Record<string, string> = {};
    for (const f of xs) if (f.slippageCost !== null) cost[f.currency] = dec(cost[f.currency] ?? 0).plus(f.slippageCost).toFixed(2);
    return {
      key: k, fills: xs.length, avgSlippageBps: mean((f) => f.slippageBps), avgSlippagePips: mean((f) => f.slippagePips),
      avgSpreadBps: mean((f) => (f.spread / f.arrivalMid) * 10_000), cost,
    };
  });
}

/** The UTC hour of a time, "00" … "23". */
export function utcHour(ms: number): string {
  return String(new Date(ms).getUTCHours()).padStart(2, '0');
}

/** The pip of an instrument in price: its CFD spec's pip location, else 0.01 for yen FX pairs and 0.0001 for other FX,
 * else one tick (shares, crypto and indices without a spec have no pip of their own). */
export function pipSizeOf(i: Pick<Instrument, 'symbol' | 'assetClass' | 'currency' | 'tickSize'>): number {
  const spec = demoCfdSpec(i.symbol);
  if (spec) return pipSize(spec).toNumber();
  if (i.assetClass === 'fx') return i.currency === 'JPY' ? 0.01 : 0.0001;
  return i.tickSize;
}

/** The report: the fills (newest first, as given) and their groups by venue, instrument and UTC hour of the fill. */
export function slippageReport(fills: readonly FillQuality[]): SlippageReport {
  return {
    fills: [...fills],
    byVenue: slippageGroups(fills, (f) => f.venue),
    bySymbol: slippageGroups(fills, (f) => f.symbol),
    byHour: slippageGroups(fills, (f) => utcHour(f.time)),
  };
}
