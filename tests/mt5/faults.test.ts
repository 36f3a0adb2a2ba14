// A few seeded MetaTrader 5 fault trials on the stand-in, one per kind (tests/mt5/trials.ts); `npm run soak:mt5` runs hundreds.
import { describe, expect, it } from 'vitest';
import { openMt5Terminal, standIn, tempDb, waitMt5Ready, waitUntil } from './harness';
import { FAULT_KINDS, runMt5Trial } from './trials';

describe('MetaTrader 5 fault trials', () => {
  for (const [i, kind] of FAULT_KINDS.entries()) {
    it(`${kind}: no fill lost, nothing duplicated, positions match`, async () => {
      const r = await runMt5Trial(1000 + i, kind);
      expect({ lost: r.lost, duplicated: r.duplicated, positionMismatches: r.positionMismatches, stuck: r.stuck, details: r.details }).toEqual({ lost: 0, duplicated: 0, positionMismatches: [], stuck: 0, details: [] });
    }, 40_000);
  }

  it('a requote rejects the order in words and trades nothing; the next order fills', async () => {
    const s = standIn();
    const t = openMt5Terminal(tempDb(), s);
    try {
      await t.connect();
      await waitMt5Ready(t);
      const { trading, session } = t.sessions.active();
      s.fault({ kind: 'retcode', on: 'order_send', retcode: 10004, comment: 'Requote' });
      const a = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, timeInForce: 'day' });
      await waitUntil('the rejection', async () => (await t.store.orders.get(a.order.id))!.status === 'rejected');
      expect((await t.store.orders.get(a.order.id))!.rejectReason).toContain('the price changed (requote)');
      expect(s.state().deals).toHaveLength(0);
      const b = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000, timeInForce: 'day' });
      await waitUntil('the fill', async () => (await t.store.orders.get(b.order.id))!.status === 'filled');
      expect(s.state().deals).toHaveLength(1);
      expect((await t.store.positions.get(session.accountId, 'EURUSD'))!.quantity).toBe(1_000);
    } finally {
      await t.close();
    }
  }, 40_000);
});
