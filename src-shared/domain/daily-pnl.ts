// Realised P&L per day from fills (the blotter's calendar, issue 15): average cost per account and symbol, in the
// instrument's currency, commissions taken off on the day they were paid. Exact decimals (decimal.js), strings out.
import Decimal from 'decimal.js';
import type { Fill } from './types';

export interface DayPnl {
  /** Realised P&L net of commissions, per currency, decimal strings. */
  realized: Record<string, string>;
  /** Fills that day. */
  fills: number;
}

/**
 * Replays the fills oldest first. A fill that reduces a position realises (price − average cost) × quantity closed
 * (the other way round for a short); one that flips it opens the rest at its price. A position opened before the
 * first fill given is unknown here: its closing fill opens the other side instead (give every fill of the period's
 * positions).
 */
export function realizedByDay(fills: readonly Fill[], dayOf: (ms: number) => string, currencyOf: (symbol: string) => string = () => 'USD'): Map<string, DayPnl> {
  const held = new Map<string, { qty: Decimal; avg: Decimal }>();
  const days = new Map<string, { realized: Map<string, Decimal>; fills: number }>();
  const sorted = [...fills].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  for (const f of sorted) {
    const key = `${f.accountId}\u0000${f.symbol}`;
    const pos = held.get(key) ?? { qty: new Decimal(0), avg: new Decimal(0) };
    const signed = new Decimal(f.quantity).times(f.side === 'buy' ? 1 : -1);
    const px = new Decimal(f.price);
    let realized = new Decimal(0).minus(f.commission || 0);
    if (pos.qty.isZero() || pos.qty.isPositive() === signed.isPositive()) {
      // Opening or adding: the average cost moves.
      const qty = pos.qty.plus(signed);
      pos.avg = pos.avg.times(pos.qty.abs()).plus(px.times(signed.abs())).dividedBy(qty.abs());
      pos.qty = qty;
    } else {
      const closed = Decimal.min(pos.qty.abs(), signed.abs());
      realized = realized.plus(px.minus(pos.avg).times(closed).times(pos.qty.isPositive() ? 1 : -1));
      const qty = pos.qty.plus(signed);
      if (!qty.isZero() && qty.isPositive() !== pos.qty.isPositive()) pos.avg = px;
      if (qty.isZero()) pos.avg = new Decimal(0);
      pos.qty = qty;
    }
    held.set(key, pos);
    const day = dayOf(f.time);
    const d = days.get(day) ?? { realized: new Map<string, Decimal>(), fills: 0 };
    const ccy = currencyOf(f.symbol);
    d.realized.set(ccy, (d.realized.get(ccy) ?? new Decimal(0)).plus(realized));
    d.fills += 1;
    days.set(day, d);
  }
  return new Map([...days].map(([day, d]) => [day, { fills: d.fills, realized: Object.fromEntries([...d.realized].map(([c, v]) => [c, v.toFixed(2)])) }]));
}

/** The local calendar day of a time (YYYY-MM-DD), as the blotter shows its times. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
