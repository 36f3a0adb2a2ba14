// Positions, cash and P&L from fills: pure functions over exact decimals (see money.ts for rounding).
import type { AccountSummary, Fill, Position } from '../../src-shared/domain/types';
import { cents, D, dec, moneyString, ZERO, type Dec } from './money';

export interface PositionState {
  accountId: string;
  symbol: string;
  quantity: number;
  avgPrice: number;
  realizedPnl: string;
  /** Overnight financing booked on it (already in realizedPnl). */
  financing?: string;
}

type FillLike = Pick<Fill, 'accountId' | 'symbol' | 'side' | 'quantity' | 'price' | 'commission'>;

/**
 * Applies a fill to a position. Adding keeps a weighted average price; reducing realises
 * (exit − avg) × closed quantity × sign; crossing zero closes the old position and opens the rest at the fill price.
 * Commissions are not part of the average price: they hit realised P&L when paid. `toAccount` converts the price
 * difference from the instrument's quote currency to the account currency (a CFD quoted in another currency: the rate
 * at the fill); the realised amount is rounded once, after the conversion.
 */
export function applyFillToPosition(pos: PositionState | undefined, fill: FillLike, toAccount: Dec = dec(1)): { position: PositionState; realizedDelta: string } {
  const qty = dec(pos?.quantity ?? 0);
  const avg = dec(pos?.avgPrice ?? 0);
  const signed = fill.side === 'buy' ? dec(fill.quantity) : dec(fill.quantity).neg();
  const price = dec(fill.price);
  let realized: Dec = ZERO.minus(dec(fill.commission));
  let newQty = qty.plus(signed);
  let newAvg = avg;

  if (qty.isZero() || qty.isPositive() === signed.isPositive()) {
    // Opening or adding.
    newAvg = qty.times(avg).plus(signed.times(price)).div(newQty);
  } else {
    const closing = D.min(qty.abs(), signed.abs());
    realized = realized.plus(price.minus(avg).times(closing).times(qty.isPositive() ? 1 : -1).times(toAccount));
    if (newQty.isZero()) newAvg = ZERO;
    else if (newQty.isPositive() !== qty.isPositive()) newAvg = price; // flipped through zero
  }
  newQty = newQty.toDecimalPlaces(10);
  const realizedDelta = cents(realized);
  return {
    position: {
      accountId: fill.accountId,
      symbol: fill.symbol,
      quantity: newQty.toNumber(),
      avgPrice: newQty.isZero() ? 0 : newAvg.toDecimalPlaces(10).toNumber(),
      realizedPnl: moneyString(dec(pos?.realizedPnl ?? '0').plus(realizedDelta)),
    },
    realizedDelta: moneyString(realizedDelta),
  };
}

/** Cash after a fill: buy pays quantity × price + commission, sell receives quantity × price − commission (cents, half up). */
export function cashAfterFill(cash: string, fill: Pick<Fill, 'side' | 'quantity' | 'price' | 'commission'>): string {
  const gross = cents(dec(fill.quantity).times(dec(fill.price)));
  const flow = fill.side === 'buy' ? gross.neg() : gross;
  return moneyString(dec(cash).plus(flow).minus(dec(fill.commission)));
}

/**
 * Cash after a fill of a CFD quoted in another currency than the account's: no notional changes hands (the account
 * holds it on margin); only the realised P&L (converted at the fill, commission included) moves cash.
 */
export function cashAfterMarginFill(cash: string, realizedDelta: string): string {
  return moneyString(dec(cash).plus(dec(realizedDelta)));
}

/**
 * Books one fill on an account: the position after it, the realised P&L and the cash. Without `toAccount` the fill is
 * fully funded in the account currency (`cashAfterFill`). With it (a CFD quoted in another currency, held on margin:
 * the rate of one unit of its quote currency in the account currency at the fill), the realised P&L is converted at
 * that rate and only it moves cash (`cashAfterMarginFill`). The trading service books live fills with it and session
 * replay replays them with the rate the fill was journaled with, so both end on the same cent.
 */
export function bookFill(cash: string, pos: PositionState | undefined, fill: FillLike, toAccount?: Dec): { position: PositionState; realizedDelta: string; cash: string } {
  const { position, realizedDelta } = applyFillToPosition(pos, fill, toAccount);
  return { position, realizedDelta, cash: toAccount === undefined ? cashAfterFill(cash, fill) : cashAfterMarginFill(cash, realizedDelta) };
}

/**
 * How a position's instrument is quoted for the account: null when in the account currency (a fully funded position,
 * as the paper account holds everything); else the rate of one unit of its quote currency in the account currency
 * now (undefined when the market has none).
 */
export type QuoteConversion = (symbol: string) => { currency: string; rate: Dec | undefined } | null;

export function markToMarket(pos: PositionState, price: number | undefined, toAccount: Dec = dec(1)): Position {
  if (price === undefined || !Number.isFinite(price)) return { ...pos, marketPrice: null, marketValue: null, unrealizedPnl: null };
  const q = dec(pos.quantity);
  return {
    ...pos,
    marketPrice: price,
    marketValue: moneyString(q.times(price).times(toAccount)),
    unrealizedPnl: moneyString(dec(price).minus(pos.avgPrice).times(q).times(toAccount)),
  };
}

/**
 * Account totals. The paper account treats every instrument (stocks, FX, CFDs, crypto) as a fully funded cash
 * position in the account currency: NAV = cash + Σ quantity × price. With `conversion` (the paper CFD account), an
 * instrument quoted in another currency is held on margin instead: its notional never entered cash, so it adds its
 * unrealised P&L converted at the current rate (quantity × (price − average) × rate); its market value (and gross
 * exposure) is the notional converted at that rate. Without a rate it is carried at cost (no unrealised P&L) and its
 * figures are null: never counted 1:1.
 */
export function summarize(args: {
  accountId: string;
  broker: string;
  currency: string;
  cash: string;
  positions: PositionState[];
  prices: (symbol: string) => number | undefined;
  dayStartNav: string | undefined;
  conversion?: QuoteConversion;
}): { summary: AccountSummary; positions: Position[] } {
  let value = ZERO;
  let unrealized = ZERO;
  let gross = ZERO;
  let realized = ZERO;
  let financing: Dec | null = null;
  const marked: Position[] = [];
  for (const pos of args.positions) {
    const foreign = args.conversion?.(pos.symbol) ?? null;
    if (foreign) {
      const p = foreign.rate === undefined ? markToMarket(pos, undefined) : markToMarket(pos, args.prices(pos.symbol), foreign.rate);
      marked.push(p);
      realized = realized.plus(p.realizedPnl);
      if (p.financing !== undefined) financing = (financing ?? ZERO).plus(p.financing);
      if (p.unrealizedPnl !== null) {
        value = value.plus(p.unrealizedPnl);
        unrealized = unrealized.plus(p.unrealizedPnl);
      }
      if (p.marketValue !== null) gross = gross.plus(dec(p.marketValue).abs());
      continue;
    }
    const p = markToMarket(pos, args.prices(pos.symbol));
    marked.push(p);
    realized = realized.plus(p.realizedPnl);
    if (p.financing !== undefined) financing = (financing ?? ZERO).plus(p.financing);
    // Without a price, a position is carried at its cost.
    const mv = p.marketValue !== null ? dec(p.marketValue) : dec(p.quantity).times(p.avgPrice);
    value = value.plus(mv);
    gross = gross.plus(mv.abs());
    if (p.unrealizedPnl !== null) unrealized = unrealized.plus(p.unrealizedPnl);
  }
  const nav = dec(args.cash).plus(value);
  return {
    positions: marked,
    summary: {
      accountId: args.accountId,
      broker: args.broker,
      currency: args.currency,
      cash: moneyString(dec(args.cash)),
      nav: moneyString(nav),
      dayPnl: moneyString(nav.minus(dec(args.dayStartNav ?? nav.toString()))),
      realizedPnl: moneyString(realized),
      unrealizedPnl: moneyString(unrealized),
      grossExposure: moneyString(gross),
      ...(financing !== null ? { financing: moneyString(financing) } : {}),
    },
  };
}
