// Reconciliation as a pure decision: our books (orders, fills, positions) and the broker's snapshot in, a plan out.
// The trading service journals and applies the plan on every connect and reconnect, before any new order is sent.
import type { ReconciliationReport } from '../../src-shared/domain/broker';
import type { Fill, Order, OrderStatus } from '../../src-shared/domain/types';
import type { BrokerExecution, BrokerOrderReport, BrokerSnapshot } from '../ports/broker';
import type { StoredPosition } from '../ports/store';
import { applyFillToPosition } from './portfolio';

const QTY_EPS = 1e-9;

export interface ReconcileInput {
  accountId: string;
  /** Our open orders (submitted, working, partially filled). */
  openOrders: Order[];
  /** Any other of our orders the snapshot refers to (by client order id or external id), open or not. */
  referencedOrders: Order[];
  /** Execution ids already booked. */
  knownExecIds: ReadonlySet<string>;
  positions: StoredPosition[];
  snapshot: BrokerSnapshot;
}

export interface MissedFill {
  orderId: string;
  execution: BrokerExecution;
}

export interface ReconcilePlan {
  /** Orders placed outside the terminal, to insert with source 'external' (before their fills). */
  adopt: Order[];
  /** Our orders the broker holds but we never saw acknowledged. */
  acks: { orderId: string; brokerOrderId: string }[];
  /** Executions not yet booked, oldest first. */
  fills: MissedFill[];
  /** Our orders that finished while we were away (applied after the fills). */
  close: { orderId: string; status: Extract<OrderStatus, 'cancelled' | 'rejected' | 'filled'>; reason: string }[];
  /** Our orders the broker never received: to send now (bracket legs follow their parent). */
  resend: { order: Order; children: Order[] }[];
  report: ReconciliationReport;
}

/** The id an external order gets in our books: stable across reconnects, so it is adopted once. */
export function externalOrderId(r: { permId: string | null; brokerOrderId: string }): string {
  return r.permId ? `ext-${r.permId}` : `ext-oid-${r.brokerOrderId}`;
}

export function reconcile(input: ReconcileInput): ReconcilePlan {
  const { snapshot } = input;
  const ours = new Map<string, Order>();
  for (const o of [...input.referencedOrders, ...input.openOrders]) ours.set(o.id, o);
  const byBrokerId = new Map<string, Order>();
  for (const o of ours.values()) if (o.brokerOrderId) byBrokerId.set(o.brokerOrderId, o);

  /** Our order id for a broker report or execution: our client order id when it is ours, else the external id. */
  const resolve = (r: { clientOrderId: string | null; permId: string | null; brokerOrderId: string }): string => {
    if (r.clientOrderId && ours.has(r.clientOrderId)) return r.clientOrderId;
    return externalOrderId(r);
  };

  const plan: ReconcilePlan = {
    adopt: [], acks: [], fills: [], close: [], resend: [],
    report: { time: snapshot.time, missedFills: [], closedOrders: [], externalOrders: [], positionDiffs: [], clean: true },
  };
  const seen = new Set<string>();
  const adopted = new Map<string, Order>();

  const adopt = (id: string, r: BrokerOrderReport, status: OrderStatus) => {
    if (ours.has(id) || adopted.has(id)) return;
    const order: Order = {
      id, accountId: input.accountId, brokerOrderId: r.brokerOrderId, symbol: r.symbol, side: r.side, type: r.type, quantity: r.quantity,
      limitPrice: r.limitPrice, stopPrice: r.stopPrice, timeInForce: r.timeInForce, stopLoss: null, takeProfit: null, parentId: null,
      source: 'external', status, filledQuantity: 0, avgFillPrice: null, rejectReason: null, createdAt: snapshot.time, updatedAt: snapshot.time,
    };
    adopted.set(id, order);
    plan.adopt.push(order);
    plan.report.externalOrders.push({ orderId: id, brokerOrderId: r.brokerOrderId, symbol: r.symbol, side: r.side, quantity: r.quantity });
  };

  for (const r of snapshot.openOrders) {
    const id = resolve(r);
    seen.add(id);
    const mine = ours.get(id);
    if (!mine) adopt(id, r, 'working');
    else if (mine.brokerOrderId !== r.brokerOrderId || mine.status === 'submitted') plan.acks.push({ orderId: id, brokerOrderId: r.brokerOrderId });
  }

  // Executions: book the missed ones; an execution of an order we have never seen adopts that order.
  const executions = [...snapshot.executions].sort((a, b) => a.time - b.time || a.execId.localeCompare(b.execId));
  const execQty = new Map<string, number>();
  for (const e of executions) {
    const id = resolve(e);
    seen.add(id);
    execQty.set(id, (execQty.get(id) ?? 0) + e.quantity);
  }
  for (const e of executions) {
    const id = resolve(e);
    if (!ours.has(id) && !adopted.has(id)) {
      const completed = [...snapshot.completedOrders].find((c) => resolve(c) === id);
      adopt(id, completed ?? {
        brokerOrderId: e.brokerOrderId, permId: e.permId, clientOrderId: e.clientOrderId, symbol: e.symbol, side: e.side, type: 'market',
        quantity: execQty.get(id)!, limitPrice: null, stopPrice: null, timeInForce: 'day', parentBrokerOrderId: null, status: 'filled', filledQuantity: execQty.get(id)!,
      }, 'working');
    }
    if (input.knownExecIds.has(e.execId)) continue;
    // An execution proves the broker took the order: acknowledge it first if we never saw that.
    const mine = ours.get(id);
    if (mine && mine.status === 'submitted' && !plan.acks.some((a) => a.orderId === id)) plan.acks.push({ orderId: id, brokerOrderId: e.brokerOrderId });
    plan.fills.push({ orderId: id, execution: e });
    plan.report.missedFills.push({ orderId: id, execId: e.execId, symbol: e.symbol, side: e.side, quantity: e.quantity, price: e.price });
  }

  // Filled quantity per order once the missed fills are booked.
  const filledAfter = new Map<string, number>();
  for (const o of [...ours.values(), ...adopted.values()]) filledAfter.set(o.id, o.filledQuantity);
  for (const f of plan.fills) filledAfter.set(f.orderId, (filledAfter.get(f.orderId) ?? 0) + f.execution.quantity);
  const fullyFilled = (o: Order) => (filledAfter.get(o.id) ?? 0) >= o.quantity - QTY_EPS;
  const stillOpen = new Set(snapshot.openOrders.map(resolve));

  const close = (o: Order, status: ReconcilePlan['close'][number]['status'], reason: string) => {
    plan.close.push({ orderId: o.id, status, reason });
    plan.report.closedOrders.push({ orderId: o.id, symbol: o.symbol, status });
  };

  for (const c of snapshot.completedOrders) {
    const id = resolve(c);
    seen.add(id);
    const o = ours.get(id) ?? adopted.get(id);
    if (!o || stillOpen.has(id) || fullyFilled(o)) continue;
    const open = o.status === 'new' || o.status === 'submitted' || o.status === 'working' || o.status === 'partially-filled' || adopted.has(id);
    if (!open) continue;
    if (c.status === 'filled') continue; // its executions fill it; a missing one shows as a position difference
    close(o, c.status === 'rejected' ? 'rejected' : 'cancelled', `finished at the broker while disconnected (${c.status})`);
  }

  // Adopted orders with executions but no longer open: they are done once their fills are booked.
  for (const o of adopted.values()) {
    if (stillOpen.has(o.id) || plan.close.some((c) => c.orderId === o.id)) continue;
    if (!fullyFilled(o)) close(o, 'cancelled', 'finished at the broker while disconnected (remainder cancelled)');
  }

  const resendIds = new Set<string>();
  for (const o of input.openOrders) {
    if (stillOpen.has(o.id) || plan.close.some((c) => c.orderId === o.id) || fullyFilled(o)) continue;
    if (seen.has(o.id)) {
      // The broker knows it (executions) but no longer works it: the rest was cancelled while we were away.
      close(o, 'cancelled', 'no longer working at the broker (remainder cancelled while disconnected)');
      continue;
    }
    if (o.status === 'submitted' && !o.brokerOrderId) {
      resendIds.add(o.id);
      continue;
    }
    close(o, 'cancelled', 'unknown to the broker after reconnecting (expired or cancelled while disconnected)');
  }
  // Bracket legs travel with their parent; a leg whose parent is not resent is sent on its own (the parent is known).
  // Oldest first: TWS wants order ids to grow in the order the orders were meant.
  for (const o of [...input.openOrders].sort((a, b) => a.createdAt - b.createdAt)) {
    if (!resendIds.has(o.id)) continue;
    if (o.parentId && resendIds.has(o.parentId)) continue;
    const children = input.openOrders.filter((c) => c.parentId === o.id && resendIds.has(c.id));
    plan.resend.push({ order: o, children });
  }

  plan.report.positionDiffs = positionDiffs(input, plan);
  plan.report.clean = plan.report.missedFills.length === 0 && plan.report.closedOrders.length === 0 && plan.report.externalOrders.length === 0
    && plan.report.positionDiffs.length === 0;
  return plan;
}

/** Our positions after the missed fills, against the broker's. */
function positionDiffs(input: ReconcileInput, plan: ReconcilePlan): ReconciliationReport['positionDiffs'] {
  const mine = new Map<string, StoredPosition>();
  for (const p of input.positions) mine.set(p.symbol, p);
  for (const f of plan.fills) {
    const e = f.execution;
    const fill: Fill = { id: e.execId, orderId: f.orderId, accountId: input.accountId, symbol: e.symbol, side: e.side, quantity: e.quantity, price: e.price, commission: e.commission, time: e.time };
    mine.set(e.symbol, applyFillToPosition(mine.get(e.symbol), fill).position);
  }
  const broker = new Map(input.snapshot.positions.map((p) => [p.symbol, p.quantity]));
  const symbols = new Set([...mine.keys(), ...broker.keys()]);
  const diffs: ReconciliationReport['positionDiffs'] = [];
  for (const symbol of [...symbols].sort()) {
    const a = mine.get(symbol)?.quantity ?? 0;
    const b = broker.get(symbol) ?? 0;
    if (Math.abs(a - b) > QTY_EPS) diffs.push({ symbol, ours: a, broker: b });
  }
  return diffs;
}
