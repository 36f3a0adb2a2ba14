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
 * Commissions are not part of the average price: they hit realised P&L when paid.
 */
export function applyFillToPosition(pos: PositionState | undefined, fill: FillLike): { position: PositionState; realizedDelta: string } {
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
    realized = realized.plus(price.minus(avg).times(closing).times(qty.isPositive() ? 1 : -1));
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

export function markToMarket(pos: PositionState, price: number | undefined): Position {
  if (price === undefined || !Number.isFinite(price)) return { ...pos, marketPrice: null, marketValue: null, unrealizedPnl: null };
  const q = dec(pos.quantity);
  return {
    ...pos,
    marketPrice: price,
    marketValue: moneyString(q.times(price)),
    unrealizedPnl: moneyString(dec(price).minus(pos.avgPrice).times(q)),
  };
}

/**
 * Account totals. The paper account treats every instrument (stocks, FX, CFDs, crypto) as a fully funded cash
 * position in the account currency: NAV = cash + Σ quantity × price. Margin and financing come with the IB account.
 */
export function summarize(args: {
  accountId: string;
  broker: string;
  currency: string;
  cash: string;
  positions: PositionState[];
  prices: (symbol: string) => number | undefined;
  dayStartNav: string | undefined;
}): { summary: AccountSummary; positions: Position[] } {
  const marked = args.positions.map((p) => markToMarket(p, args.prices(p.symbol)));
  let value = ZERO;
  let unrealized = ZERO;
  let gross = ZERO;
  let realized = ZERO;
  let financing: Dec | null = null;
  for (const p of marked) {
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
