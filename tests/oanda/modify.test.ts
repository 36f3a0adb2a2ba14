// Modifying working orders on OANDA: a replace (PUT /v3/accounts/{id}/orders/@clientId) against the v20 simulator as a
// child process over real sockets; the replacement keeps our client id and the entry's on-fill legs, and a restart's
// reconciliation does not mistake the replaced order for a cancelled one.
import { afterEach, describe, expect, it } from 'vitest';
import { startOandaSim, type RunningOandaSim } from '../support/oanda-sim-process';
import { openOandaTerminal, SIM_ARGS, tempDb, waitOandaReady, waitUntil, type OandaTerminal } from './harness';

let sim: RunningOandaSim | undefined;
let term: OandaTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

const orderOf = async (t: OandaTerminal, id: string) => (await t.store.orders.get(id))!;

describe('modify on OANDA (v20 simulator)', () => {
  it('replaces a pending limit with the new price and units, keeps its stop-loss on fill, and survives a restart of our side', async () => {
    sim = await startOandaSim(SIM_ARGS);
    const db = tempDb();
    term = openOandaTerminal(db);
    await term.connect(sim.url);
    await waitOandaReady(term);
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    const l = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 5_000, limitPrice: 1.079, stopLoss: 1.07, timeInForce: 'gtc' });
    expect(l.rejection).toBeNull();
    await waitUntil('acknowledged', async () => (await orderOf(term!, l.order.id)).status === 'working');
    const firstId = (await orderOf(term, l.order.id)).brokerOrderId;
    // Our side's mark of the last transaction handled, before the replace (to replay it after the restart below).
    const markKey = `oanda.last-transaction.${session.accountId.slice('OANDA-'.length)}`;
    const markBefore = await term.store.settings.get(markKey);
    expect(markBefore).toMatch(/^\d+$/);

    const r = await trading.modifyOrder(l.order.id, { price: 1.0795, quantity: 8_000 });
    expect(r.rejection).toBeNull();
    await waitUntil('the replace to be acknowledged', async () => (await orderOf(term!, l.order.id)).quantity === 8_000);
    expect(await orderOf(term, l.order.id)).toMatchObject({ status: 'working', limitPrice: 1.0795 });
    const state = await sim.state();
    const pending = state.orders.filter((o) => o['state'] === 'PENDING');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ type: 'LIMIT', units: '8000', price: '1.07950', clientExtensions: { id: l.order.id } });
    expect(pending[0]!['stopLossOnFill']).toMatchObject({ price: '1.07000' });
    expect(String(pending[0]!['id'])).not.toBe(firstId);
    const kinds = (await term.store.audit.list({ orderId: l.order.id })).reverse().map((a) => a.kind);
    expect(kinds.slice(kinds.indexOf('order.modify-intent'))).toEqual(['order.modify-intent', 'risk.decision', 'order.modify-submitted', 'order.modified']);

    // A restart of our side that missed the replace (as after a crash before its transactions were handled): the
    // reconciliation reads its ORDER_CANCEL (CLIENT_REQUEST_REPLACED) and must keep the order working.
    await term.close();
    const reopened = openOandaTerminal(db);
    await reopened.store.settings.set(markKey, markBefore!);
    await reopened.close();
    term = openOandaTerminal(db);
    await term.connect(sim.url);
    await waitOandaReady(term);
    expect((await orderOf(term, l.order.id)).status).toBe('working');

    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.0792 });
    await waitUntil('the modified limit to fill', async () => (await orderOf(term!, l.order.id)).status === 'filled');
    const accountId = term.sessions.active().session.accountId;
    expect((await term.store.positions.get(accountId, 'EURUSD'))!.quantity).toBe(8_000);
    const after = await sim.state();
    expect(after.orders.filter((o) => o['state'] === 'PENDING').map((o) => o['type'])).toEqual(['STOP_LOSS']);
  });

  it('a stop-loss leg pending on the trade is refused in words; the leg is unchanged', async () => {
    sim = await startOandaSim(SIM_ARGS);
    term = openOandaTerminal(tempDb());
    await term.connect(sim.url);
    await waitOandaReady(term);
    const { trading, session } = term.sessions.active();
    await sim.fault({ kind: 'price', instrument: 'XAU_USD', mid: 2050 });
    await waitUntil('gold at 2050', () => Math.abs(session.market.lastQuote('XAUUSD')!.last - 2050) < 1e-6);
    const e = await trading.placeOrder({ symbol: 'XAUUSD', side: 'buy', type: 'market', quantity: 5, stopLoss: 2040, timeInForce: 'gtc' });
    await waitUntil('the entry to fill', async () => (await orderOf(term!, e.order.id)).status === 'filled');
    const leg = (await term.store.orders.list({ accountId: session.accountId, limit: 50 })).find((o) => o.parentId === e.order.id)!;
    await waitUntil('the leg working', async () => (await orderOf(term!, leg.id)).status === 'working');
    await trading.modifyOrder(leg.id, { price: 2045 });
    await waitUntil('the refusal', async () => (await term!.store.audit.list({ orderId: leg.id })).some((a) => a.kind === 'order.modify-rejected'));
    const refusal = (await term.store.audit.list({ orderId: leg.id })).find((a) => a.kind === 'order.modify-rejected')!;
    expect(String(refusal.payload['reason'])).toContain('stop-loss');
    expect(await orderOf(term, leg.id)).toMatchObject({ status: 'working', stopPrice: 2040 });
  });
});
