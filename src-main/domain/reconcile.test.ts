// The reconciliation decisions, case by case: missed fills once, orders closed while away, external orders, resends.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src-shared/domain/types';
import type { BrokerExecution, BrokerOrderReport, BrokerSnapshot } from '../ports/broker';
import { externalOrderId, reconcile, type ReconcileInput } from './reconcile';

const T = 1_700_000_000_000;
const A = 'IB-acc';

function order(id: string, over: Partial<Order> = {}): Order {
  return {
    id, accountId: A, brokerOrderId: null, symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10, limitPrice: null, stopPrice: null,
    timeInForce: 'day', stopLoss: null, takeProfit: null, parentId: null, source: 'manual', status: 'submitted', filledQuantity: 0,
    avgFillPrice: null, rejectReason: null, createdAt: T, updatedAt: T, ...over,
  };
}

function report(over: Partial<BrokerOrderReport>): BrokerOrderReport {
  return {
    brokerOrderId: '1', permId: '501', clientOrderId: null, symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 10, limitPrice: 100, stopPrice: null,
    timeInForce: 'day', parentBrokerOrderId: null, status: 'working', filledQuantity: 0, ...over,
  };
}

function exec(over: Partial<BrokerExecution>): BrokerExecution {
  return {
    execId: 'E1', brokerOrderId: '1', permId: '501', clientOrderId: null, symbol: 'AAPL', side: 'buy', quantity: 10, price: 100, commission: '1.00', time: T, ...over,
  };
}

function input(over: Omit<Partial<ReconcileInput>, 'snapshot'> & { snapshot?: Partial<BrokerSnapshot> }): ReconcileInput {
  return {
    accountId: A, openOrders: [], referencedOrders: [], knownExecIds: new Set(), positions: [], ...over,
    snapshot: { time: T, openOrders: [], completedOrders: [], executions: [], positions: [], ...over.snapshot },
  };
}

describe('reconcile', () => {
  it('is clean when both sides agree', () => {
    const o = order('a', { status: 'working', brokerOrderId: '1' });
    const plan = reconcile(input({
      openOrders: [o],
      snapshot: { openOrders: [report({ clientOrderId: 'a' })] },
    }));
    expect(plan.report.clean).toBe(true);
    expect(plan).toMatchObject({ adopt: [], acks: [], fills: [], close: [], resend: [] });
  });

  it('books only executions not yet booked, oldest first, and acknowledges an order we never saw acknowledged', () => {
    const o = order('a', { quantity: 30 });
    const plan = reconcile(input({
      openOrders: [o], knownExecIds: new Set(['E1']),
      positions: [{ accountId: A, symbol: 'AAPL', quantity: 10, avgPrice: 100, realizedPnl: '0.00' }],
      snapshot: {
        openOrders: [report({ clientOrderId: 'a', quantity: 30, filledQuantity: 30 })],
        executions: [exec({ execId: 'E3', clientOrderId: 'a', time: T + 2 }), exec({ execId: 'E1', clientOrderId: 'a' }), exec({ execId: 'E2', clientOrderId: 'a', time: T + 1 })],
        positions: [{ symbol: 'AAPL', quantity: 30, avgPrice: 100 }],
      },
    }));
    expect(plan.fills.map((f) => f.execution.execId)).toEqual(['E2', 'E3']);
    expect(plan.acks).toEqual([{ orderId: 'a', brokerOrderId: '1' }]);
    expect(plan.report.positionDiffs).toEqual([]);
    expect(plan.report.missedFills).toHaveLength(2);
    expect(plan.report.clean).toBe(false);
  });

  it('re-sends an order the broker never received (no open order, no execution, no completed order)', () => {
    const o = order('a');
    const plan = reconcile(input({ openOrders: [o] }));
    expect(plan.resend).toEqual([{ order: o, children: [] }]);
    expect(plan.close).toEqual([]);
  });

  it('never re-sends an order the broker has, filled or completed', () => {
    const a = order('a');
    const b = order('b');
    const c = order('c');
    const plan = reconcile(input({
      openOrders: [a, b, c],
      snapshot: {
        openOrders: [report({ clientOrderId: 'a' })],
        executions: [exec({ execId: 'E9', clientOrderId: 'b', brokerOrderId: '2', permId: '502' })],
        completedOrders: [report({ clientOrderId: 'c', brokerOrderId: '3', permId: '503', status: 'cancelled' })],
      },
    }));
    expect(plan.resend).toEqual([]);
    expect(plan.fills.map((f) => f.orderId)).toEqual(['b']);
    // An order we never saw acknowledged is acknowledged before its fills are booked.
    expect(plan.acks).toEqual([{ orderId: 'a', brokerOrderId: '1' }, { orderId: 'b', brokerOrderId: '2' }]);
    expect(plan.close).toEqual([{ orderId: 'c', status: 'cancelled', reason: expect.stringContaining('Cancelled'.toLowerCase()) }]);
  });

  it('bracket legs are re-sent with their parent', () => {
    const p = order('p', { stopLoss: 90, takeProfit: 110 });
    const sl = order('sl', { parentId: 'p', side: 'sell', type: 'stop', stopPrice: 90, source: 'bracket' });
    const tp = order('tp', { parentId: 'p', side: 'sell', type: 'limit', limitPrice: 110, source: 'bracket' });
    const plan = reconcile(input({ openOrders: [tp, sl, p] }));
    expect(plan.resend).toEqual([{ order: p, children: [tp, sl] }]);
  });

  it('closes a working order the broker no longer works (cancelled or expired while away), and a partly filled one after its fills', () => {
    const a = order('a', { status: 'working', brokerOrderId: '1' });
    const b = order('b', { status: 'working', brokerOrderId: '2', quantity: 10 });
    const plan = reconcile(input({
      openOrders: [a, b],
      snapshot: { executions: [exec({ execId: 'E5', clientOrderId: 'b', brokerOrderId: '2', permId: '502', quantity: 4 })], positions: [{ symbol: 'AAPL', quantity: 4, avgPrice: 100 }] },
    }));
    expect(plan.fills.map((f) => f.execution.execId)).toEqual(['E5']);
    expect(plan.close.map((c) => [c.orderId, c.status])).toEqual([['a', 'cancelled'], ['b', 'cancelled']]);
    expect(plan.resend).toEqual([]);
  });

  it('a fully filled order is closed by its fills, not cancelled', () => {
    const a = order('a', { status: 'working', brokerOrderId: '1', quantity: 10 });
    const plan = reconcile(input({ openOrders: [a], snapshot: { executions: [exec({ clientOrderId: 'a' })], positions: [{ symbol: 'AAPL', quantity: 10, avgPrice: 100 }] } }));
    expect(plan.close).toEqual([]);
    expect(plan.fills).toHaveLength(1);
  });

  it('adopts orders placed outside the terminal once (stable id from permId), with their fills', () => {
    const first = reconcile(input({
      snapshot: {
        openOrders: [report({ brokerOrderId: '0', permId: '777', quantity: 5 })],
        executions: [exec({ execId: 'X1', brokerOrderId: '0', permId: '888', quantity: 3, side: 'sell' })],
        positions: [{ symbol: 'AAPL', quantity: -3, avgPrice: 100 }],
      },
    }));
    expect(first.adopt.map((o) => [o.id, o.source, o.status])).toEqual([['ext-777', 'external', 'working'], ['ext-888', 'external', 'working']]);
    expect(first.fills.map((f) => f.orderId)).toEqual(['ext-888']);
    expect(first.report.externalOrders.map((o) => o.orderId)).toEqual(['ext-777', 'ext-888']);
    expect(first.report.positionDiffs).toEqual([]);
    // Next time the adopted ones are ours: nothing new.
    const adopted = first.adopt.map((o) => (o.id === 'ext-888' ? { ...o, status: 'filled' as const, filledQuantity: 3 } : o));
    const again = reconcile(input({
      openOrders: adopted.filter((o) => o.status === 'working'), referencedOrders: adopted.filter((o) => o.status !== 'working'), knownExecIds: new Set(['X1']),
      positions: [{ accountId: A, symbol: 'AAPL', quantity: -3, avgPrice: 100, realizedPnl: '0.00' }],
      snapshot: {
        openOrders: [report({ brokerOrderId: '0', permId: '777', quantity: 5 })],
        executions: [exec({ execId: 'X1', brokerOrderId: '0', permId: '888', quantity: 3, side: 'sell' })],
        positions: [{ symbol: 'AAPL', quantity: -3, avgPrice: 100 }],
      },
    }));
    expect(again.report.clean).toBe(true);
    expect(externalOrderId({ permId: null, brokerOrderId: '12' })).toBe('ext-oid-12');
  });

  it('reports positions that still differ after the missed fills', () => {
    const plan = reconcile(input({
      positions: [{ accountId: A, symbol: 'MSFT', quantity: 5, avgPrice: 400, realizedPnl: '0.00' }],
      snapshot: { positions: [{ symbol: 'MSFT', quantity: 7, avgPrice: 400 }, { symbol: 'NVDA', quantity: 1, avgPrice: 900 }] },
    }));
    expect(plan.report.positionDiffs).toEqual([{ symbol: 'MSFT', ours: 5, broker: 7 }, { symbol: 'NVDA', ours: 0, broker: 1 }]);
    expect(plan.report.clean).toBe(false);
  });
});
