// Session replay: folds audit-log entries, in journal order, into the book as it was: orders and their states,
// positions (quantity, average price, realised P&L), cash, the trading state and the risk decisions. Pure: the same
// position and cash arithmetic as the trading service (domain/portfolio.ts), so a replayed day ends where the app did.
import type { AuditEntry } from '../../../src-shared/domain/types';
import type { ReplayDecision, ReplayFill, ReplayOrder } from '../../../src-shared/api/replay';
import { bookFill, type PositionState } from '../portfolio';
import { effectiveState, type TradingState } from '../risk/states';
import { dec, moneyString } from '../money';

export interface BookState {
  accountId: string;
  seq: number;
  time: number;
  orders: ReadonlyMap<string, ReplayOrder>;
  positions: ReadonlyMap<string, PositionState>;
  cash: string;
  account: TradingState;
  terminal: TradingState;
  killSwitch: boolean;
  /** The reason of the last state change (null: none seen). */
  stateReason: string | null;
  decisions: readonly ReplayDecision[];
  fills: readonly ReplayFill[];
}

export function initialBook(accountId: string, cash: string): BookState {
  return {
    accountId, seq: 0, time: 0, orders: new Map(), positions: new Map(), cash, account: 'ACTIVE', terminal: 'ACTIVE', killSwitch: false,
    stateReason: null, decisions: [], fills: [],
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const OPEN = new Set(['new', 'submitted', 'working', 'partially-filled']);
export const isOpen = (o: ReplayOrder): boolean => OPEN.has(o.status);
const isState = (v: unknown): v is TradingState => v === 'ACTIVE' || v === 'REDUCING' || v === 'HALTED';

/** The order an intent or an adoption describes (the request the trading service journaled). */
function orderFrom(e: AuditEntry, r: Record<string, unknown>, source: string, status: string): ReplayOrder {
  return {
    id: e.orderId!, symbol: str(r['symbol']) ?? '?', side: r['side'] === 'sell' ? 'sell' : 'buy', type: str(r['type']) ?? 'market',
    quantity: num(r['quantity']) ?? 0, limitPrice: num(r['limitPrice']), stopPrice: num(r['stopPrice']), source, status,
    filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: e.time, updatedAt: e.time,
  };
}

/**
 * Applies one entry. `accountId` scopes trading-state changes (the account's own and the terminal's); the caller passes
 * only the account's entries otherwise. Entries it does not know change nothing but the position in the journal.
 */
export function applyEntry(book: BookState, e: AuditEntry): BookState {
  const p = e.payload;
  const next: BookState = { ...book, seq: e.seq, time: e.time };
  const order = e.orderId ? book.orders.get(e.orderId) : undefined;
  const setOrder = (o: ReplayOrder) => {
    const orders = new Map(book.orders);
    orders.set(o.id, { ...o, updatedAt: e.time });
    next.orders = orders;
  };
  switch (e.kind) {
    case 'order.intent': {
      const r = (p['request'] ?? {}) as Record<string, unknown>;
      setOrder(orderFrom(e, r, str(p['source']) ?? 'manual', 'new'));
      break;
    }
    case 'order.adopted':
      setOrder(orderFrom(e, p, 'external', 'working'));
      break;
    case 'risk.decision': {
      const d: ReplayDecision = { time: e.time, orderId: e.orderId, ok: p['ok'] === true, rule: str(p['rule']), message: str(p['message']) };
      next.decisions = [...book.decisions, d];
      break;
    }
    case 'order.submitted':
      if (order && order.status === 'new') setOrder({ ...order, status: 'submitted' });
      break;
    case 'order.ack':
      if (order && order.status === 'submitted') setOrder({ ...order, status: 'working' });
      break;
    case 'order.held':
      if (order) setOrder({ ...order, status: 'working', stopPrice: num(p['stop']) ?? order.stopPrice });
      break;
    case 'order.rejected':
      if (order) setOrder({ ...order, status: 'rejected', rejectReason: str(p['message']) ?? str(p['reason']) ?? 'rejected' });
      break;
    case 'order.abandoned':
      if (order) setOrder({ ...order, status: 'rejected', rejectReason: str(p['reason']) ?? 'abandoned' });
      break;
    case 'order.cancelled':
      if (order) setOrder({ ...order, status: 'cancelled' });
      break;
    case 'order.modified':
      // A late answer for a finished order changed nothing in the app either (it journals `ignored`).
      if (order && isOpen(order) && p['ignored'] === undefined) {
        setOrder({ ...order, quantity: num(p['quantity']) ?? order.quantity, limitPrice: num(p['limitPrice']) ?? order.limitPrice, stopPrice: num(p['stopPrice']) ?? order.stopPrice });
      }
      break;
    case 'order.fill': {
      if (!order) break;
      const quantity = num(p['quantity']) ?? 0;
      const price = num(p['price']) ?? 0;
      const commission = str(p['commission']) ?? String(num(p['commission']) ?? 0);
      const fill: ReplayFill = { time: e.time, orderId: order.id, execId: str(p['execId']) ?? '', symbol: order.symbol, side: order.side, quantity, price, commission };
      const filledQuantity = order.filledQuantity + quantity;
      const avgFillPrice = ((order.avgFillPrice ?? 0) * order.filledQuantity + price * quantity) / filledQuantity;
      const done = filledQuantity >= order.quantity - 1e-12;
      // As the trading service books it: a late fill of a cancelled order keeps it cancelled.
      const status = done ? 'filled' : order.status === 'cancelled' || order.status === 'rejected' ? order.status : 'partially-filled';
      setOrder({ ...order, filledQuantity, avgFillPrice, status });
      const positions = new Map(book.positions);
      // A fill of an instrument quoted in another currency on a margin account carries the rate it was booked at
      // (`toAccount`), and replays as it was booked; a fill without one replays fully funded (also a margin fill
      // journaled before the rate was recorded: such a book's cash differs from the app's).
      const rate = str(p['toAccount']);
      const booked = bookFill(book.cash, book.positions.get(order.symbol), { ...fill, accountId: book.accountId }, rate !== null ? dec(rate) : undefined);
      positions.set(order.symbol, booked.position);
      next.positions = positions;
      next.cash = booked.cash;
      next.fills = [...book.fills, fill];
      break;
    }
    case 'position.adjusted': {
      // Reconciliation took the broker's quantity; cash untouched (as in the app).
      const symbol = str(p['symbol']);
      const to = num(p['to']);
      if (symbol === null || to === null) break;
      const before = book.positions.get(symbol);
      const positions = new Map(book.positions);
      positions.set(symbol, { accountId: book.accountId, symbol, quantity: to, avgPrice: to === 0 ? 0 : (num(p['avgPrice']) ?? before?.avgPrice ?? 0), realizedPnl: before?.realizedPnl ?? '0.00' });
      next.positions = positions;
      break;
    }
    case 'risk.state.changed': {
      const to = p['to'];
      if (!isState(to)) break;
      if (p['scope'] === 'terminal') next.terminal = to;
      else if (p['scope'] === book.accountId) next.account = to;
      else break;
      next.stateReason = str(p['reason']);
      break;
    }
    case 'risk.kill-switch.engaged':
      next.killSwitch = true;
      next.stateReason = 'kill switch engaged';
      break;
    case 'risk.kill-switch.released':
      next.killSwitch = false;
      next.stateReason = 'kill switch released';
      break;
    default:
      break;
  }
  return next;
}

/** Folds entries (journal order) onto a book. */
export function replay(book: BookState, entries: readonly AuditEntry[]): BookState {
  let b = book;
  for (const e of entries) b = applyEntry(b, e);
  return b;
}

export const effectiveOf = (b: BookState): TradingState => effectiveState(b.terminal, b.account, b.killSwitch);

/** Realised P&L summed over the positions, decimal string. */
export function realizedOf(b: BookState): string {
  let total = dec(0);
  for (const p of b.positions.values()) total = total.plus(dec(p.realizedPnl));
  return moneyString(total);
}

const fmt = (n: number | null) => (n === null ? '' : String(Number(n.toFixed(8))));

/** One entry in plain words, read against the book just before it (for the order it names). */
export function describeEntry(before: BookState, e: AuditEntry): { summary: string; symbol: string | null } {
  const p = e.payload;
  const o = e.orderId ? before.orders.get(e.orderId) : undefined;
  const r = (p['request'] ?? {}) as Record<string, unknown>;
  const what = (x: { side: string; quantity: number; symbol: string; type?: string; limitPrice?: number | null; stopPrice?: number | null }) =>
    `${x.side} ${fmt(x.quantity)} ${x.symbol}${x.type ? ` ${x.type}` : ''}${x.limitPrice ? ` limit ${fmt(x.limitPrice)}` : ''}${x.stopPrice ? ` stop ${fmt(x.stopPrice)}` : ''}`;
  const on = o ? ` (${o.side} ${fmt(o.quantity)} ${o.symbol})` : '';
  switch (e.kind) {
    case 'order.intent': {
      const x = { side: str(r['side']) ?? '?', quantity: num(r['quantity']) ?? 0, symbol: str(r['symbol']) ?? '?', type: str(r['type']) ?? undefined, limitPrice: num(r['limitPrice']), stopPrice: num(r['stopPrice']) };
      return { summary: `Intent (${str(p['source']) ?? 'manual'}): ${what(x)}`, symbol: x.symbol };
    }
    case 'order.adopted':
      return { summary: `Adopted external order: ${what({ side: str(p['side']) ?? '?', quantity: num(p['quantity']) ?? 0, symbol: str(p['symbol']) ?? '?' })}`, symbol: str(p['symbol']) };
    case 'risk.decision':
      return { summary: p['ok'] === true ? `Risk: passed${on}` : `Risk: refused (${str(p['rule']) ?? '?'}) ${str(p['message']) ?? ''}`.trim(), symbol: o?.symbol ?? null };
    case 'order.submitted':
      return { summary: `Submitted to ${str(p['broker']) ?? 'the broker'}${on}`, symbol: o?.symbol ?? null };
    case 'order.ack':
      return { summary: `Acknowledged${on}`, symbol: o?.symbol ?? null };
    case 'order.fill':
      return { summary: `Fill: ${o ? `${o.side} ` : ''}${fmt(num(p['quantity']))} ${o?.symbol ?? ''} @ ${fmt(num(p['price']))}`, symbol: o?.symbol ?? null };
    case 'order.rejected':
      return { summary: `Rejected${on}: ${str(p['message']) ?? str(p['reason']) ?? ''}`, symbol: o?.symbol ?? null };
    case 'order.cancel-request':
      return { summary: `Cancel requested${on}${str(p['by']) ? ` by ${str(p['by'])}` : ''}`, symbol: o?.symbol ?? null };
    case 'order.cancelled':
      return { summary: `Cancelled${on}`, symbol: o?.symbol ?? null };
    case 'risk.state.changed':
      return { summary: `Trading state ${String(p['scope'] === 'terminal' ? 'terminal' : 'account')}: ${String(p['from'])} → ${String(p['to'])} (${str(p['reason']) ?? ''})`, symbol: null };
    case 'risk.kill-switch.engaged':
      return { summary: 'Kill switch engaged', symbol: null };
    case 'risk.kill-switch.released':
      return { summary: 'Kill switch released', symbol: null };
    case 'position.adjusted':
      return { summary: `Position ${str(p['symbol']) ?? ''} set ${fmt(num(p['from']))} → ${fmt(num(p['to']))} (${str(p['by']) ?? 'by hand'})`, symbol: str(p['symbol']) };
    default:
      return { summary: `${e.kind}${on}`, symbol: o?.symbol ?? str(p['symbol']) };
  }
}
