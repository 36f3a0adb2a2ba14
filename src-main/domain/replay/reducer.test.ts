// The replay reducer, checked by hand: a journal with a partial fill, a cancel of the rest, a risk rejection, a broker
// rejection, a sell that realises a profit and a state change to REDUCING, folded entry by entry.
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src-shared/domain/types';
import { applyEntry, describeEntry, effectiveOf, initialBook, realizedOf, replay } from './reducer';

const T0 = Date.parse('2026-12-01T14:30:00Z');
let seq = 0;
const e = (minute: number, kind: string, orderId: string | null, payload: Record<string, unknown> = {}): AuditEntry => ({ seq: ++seq, time: T0 + minute * 60_000, kind, orderId, payload });
const intent = (side: string, quantity: number, symbol: string, type = 'market', extra: Record<string, unknown> = {}) =>
  ({ source: 'manual', request: { symbol, side, type, quantity, timeInForce: 'day', ...extra }, parentId: null });

const JOURNAL: AuditEntry[] = [
  // A: buy 100 AAPL limit 100, fills 40 @ 100 then 60 @ 99.5 (commission 1.00 each).
  e(0, 'order.intent', 'A', intent('buy', 100, 'AAPL', 'limit', { limitPrice: 100 })),
  e(0, 'risk.decision', 'A', { ok: true }),
  e(0, 'order.submitted', 'A', { broker: 'paper' }),
  e(1, 'order.ack', 'A', { brokerOrderId: 'b1' }),
  e(2, 'order.fill', 'A', { execId: 'x1', quantity: 40, price: 100, commission: '1.00' }),
  e(3, 'order.fill', 'A', { execId: 'x2', quantity: 60, price: 99.5, commission: '1.00' }),
  // B: buy 50 MSFT limit 300: 20 fill @ 300, the rest is cancelled.
  e(4, 'order.intent', 'B', intent('buy', 50, 'MSFT', 'limit', { limitPrice: 300 })),
  e(4, 'risk.decision', 'B', { ok: true }),
  e(4, 'order.submitted', 'B', { broker: 'paper' }),
  e(5, 'order.ack', 'B', { brokerOrderId: 'b2' }),
  e(6, 'order.fill', 'B', { execId: 'x3', quantity: 20, price: 300, commission: '0.50' }),
  e(7, 'order.cancel-request', 'B', { status: 'partially-filled' }),
  e(7, 'order.cancelled', 'B', { by: 'broker' }),
  // C: refused by the risk gate.
  e(8, 'order.intent', 'C', intent('buy', 10_000, 'TSLA')),
  e(8, 'risk.decision', 'C', { ok: false, rule: 'max_order_notional', message: 'Order notional 2,500,000 exceeds 50,000' }),
  e(8, 'order.rejected', 'C', { by: 'risk', rule: 'max_order_notional', message: 'Order notional 2,500,000 exceeds 50,000' }),
  // D: passed the gate, rejected by the broker.
  e(9, 'order.intent', 'D', intent('sell', 5, 'MSFT', 'stop', { stopPrice: 290 })),
  e(9, 'risk.decision', 'D', { ok: true }),
  e(9, 'order.submitted', 'D', { broker: 'paper' }),
  e(9, 'order.rejected', 'D', { by: 'broker', reason: 'Stop orders are not accepted' }),
  // The account goes to REDUCING; another account's change and an unknown entry change nothing.
  e(10, 'risk.state.changed', null, { scope: 'U1', from: 'ACTIVE', to: 'REDUCING', reason: 'drawdown 5 %', by: 'threshold' }),
  e(10, 'risk.state.changed', null, { scope: 'OTHER', from: 'ACTIVE', to: 'HALTED', reason: 'not ours', by: 'manual' }),
  e(10, 'reconcile.start', null, {}),
  // E: sell 30 AAPL market @ 101 (commission 1.00): realises (101 − 99.7) × 30 − 1 = 38.00.
  e(11, 'order.intent', 'E', intent('sell', 30, 'AAPL')),
  e(11, 'risk.decision', 'E', { ok: true }),
  e(11, 'order.submitted', 'E', { broker: 'paper' }),
  e(11, 'order.ack', 'E', { brokerOrderId: 'b3' }),
  e(11, 'order.fill', 'E', { execId: 'x4', quantity: 30, price: 101, commission: '1.00' }),
];

const at = (minute: number) => replay(initialBook('U1', '100000.00'), JOURNAL.filter((x) => x.time <= T0 + minute * 60_000));

describe('replay reducer', () => {
  it('a partial fill leaves the order partially filled with the weighted price; the second fill completes it', () => {
    const b = at(2);
    expect(b.orders.get('A')).toMatchObject({ status: 'partially-filled', filledQuantity: 40, avgFillPrice: 100 });
    expect(b.positions.get('AAPL')).toMatchObject({ quantity: 40, avgPrice: 100, realizedPnl: '-1.00' });
    expect(b.cash).toBe('95999.00'); // 100,000 − 40 × 100 − 1
    const c = at(3);
    // (40 × 100 + 60 × 99.5) / 100 = 99.7
    expect(c.orders.get('A')).toMatchObject({ status: 'filled', filledQuantity: 100, avgFillPrice: 99.7 });
    expect(c.positions.get('AAPL')).toMatchObject({ quantity: 100, avgPrice: 99.7, realizedPnl: '-2.00' });
    expect(c.cash).toBe('90028.00'); // 95,999 − 5,970 − 1
  });

  it('walks an order through new → submitted → working, and a cancel keeps what filled', () => {
    expect(at(0).orders.get('A')!.status).toBe('submitted');
    expect(at(1).orders.get('A')!.status).toBe('working');
    expect(at(6).orders.get('B')).toMatchObject({ status: 'partially-filled', filledQuantity: 20 });
    const b = at(7);
    expect(b.orders.get('B')).toMatchObject({ status: 'cancelled', filledQuantity: 20, avgFillPrice: 300 });
    expect(b.positions.get('MSFT')).toMatchObject({ quantity: 20, avgPrice: 300 });
    expect(b.cash).toBe('84027.50'); // 90,028 − 6,000 − 0.50
  });

  it('records risk rejections and broker rejections with their reasons', () => {
    const b = at(9);
    expect(b.orders.get('C')).toMatchObject({ status: 'rejected', rejectReason: 'Order notional 2,500,000 exceeds 50,000', filledQuantity: 0 });
    expect(b.orders.get('D')).toMatchObject({ status: 'rejected', rejectReason: 'Stop orders are not accepted' });
    expect(b.decisions.map((d) => [d.orderId, d.ok, d.rule])).toEqual([['A', true, null], ['B', true, null], ['C', false, 'max_order_notional'], ['D', true, null]]);
    expect(b.positions.has('TSLA')).toBe(false);
    expect(b.cash).toBe('84027.50');
  });

  it('a state change to REDUCING of the account applies; another account\'s does not', () => {
    expect(effectiveOf(at(9))).toBe('ACTIVE');
    const b = at(10);
    expect(b.account).toBe('REDUCING');
    expect(b.terminal).toBe('ACTIVE');
    expect(effectiveOf(b)).toBe('REDUCING');
    expect(b.stateReason).toBe('drawdown 5 %');
  });

  it('a sell realises against the average price; the end of the day is the whole fold', () => {
    const b = at(11);
    expect(b.positions.get('AAPL')).toMatchObject({ quantity: 70, avgPrice: 99.7, realizedPnl: '36.00' }); // −2 + 38
    expect(realizedOf(b)).toBe('35.50'); // 36 − 0.50 (MSFT's commission)
    expect(b.cash).toBe('87056.50'); // 84,027.50 + 3,030 − 1
    expect(b.fills.map((f) => f.execId)).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(b.seq).toBe(JOURNAL.at(-1)!.seq);
  });

  it('is pure: folding does not change the books it was given', () => {
    const before = at(5); // B acknowledged, nothing of it filled yet
    const after = applyEntry(before, JOURNAL[10]!);
    expect(before.positions.has('MSFT')).toBe(false);
    expect(after.positions.get('MSFT')!.quantity).toBe(20);
  });

  it('describes entries in plain words against the book before them', () => {
    expect(describeEntry(at(1), JOURNAL[4]!)).toEqual({ summary: 'Fill: buy 40 AAPL @ 100', symbol: 'AAPL' });
    expect(describeEntry(at(7), JOURNAL[13]!).summary).toBe('Intent (manual): buy 10000 TSLA market');
    expect(describeEntry(at(9), JOURNAL[20]!).summary).toBe('Trading state account: ACTIVE → REDUCING (drawdown 5 %)');
  });
});

describe('fills on margin (an instrument quoted in another currency)', () => {
  it('a fill journaled with its rate replays on margin: no notional through cash, the P&L at that rate', () => {
    const journal = [
      e(0, 'order.intent', 'J1', intent('buy', 10_000, 'USDJPY')),
      e(0, 'order.fill', 'J1', { execId: 'j1', quantity: 10_000, price: 150, commission: '0', quoteCurrency: 'JPY', toAccount: '0.006666666666666666666666666666666667', rateSource: 'market' }),
      e(1, 'order.intent', 'J2', intent('sell', 10_000, 'USDJPY')),
      // 10,000 × (151 − 150) JPY at 1 ÷ 151, less 2.00 commission: 66.225165… − 2 ⇒ 64.23 (one rounding, half up).
      e(1, 'order.fill', 'J2', { execId: 'j2', quantity: 10_000, price: 151, commission: '2.00', quoteCurrency: 'JPY', toAccount: '0.006622516556291390728476821192052980', rateSource: 'market' }),
    ];
    const opened = replay(initialBook('C1', '10000.00'), journal.slice(0, 2));
    expect(opened.cash).toBe('10000.00');
    const closed = replay(opened, journal.slice(2));
    expect(closed.cash).toBe('10064.23');
    expect(realizedOf(closed)).toBe('64.23');
    // The same fills without a rate (a cash account's, or journaled before rates were) replay fully funded.
    const funded = replay(initialBook('C1', '10000.00'), journal.map((x) => ({ ...x, payload: { ...x.payload, toAccount: undefined } })));
    expect(funded.cash).toBe('19998.00');
  });
});
