// Overnight financing on MetaTrader 5 through the bridge and the stand-in package: the stand-in's rollover grows the
// open position's swap (TradePosition.swap); the venue books the growth into cash, the position's realised P&L and its
// financing figure, exactly and once — though every poll and the reconnect's positions see the same total again —,
// catches up a triple charged while our side was away, and books nothing when a partial close moves part of the swap
// to the closing deal.
import { afterEach, describe, expect, it } from 'vitest';
import { mt5AccountHash } from '../../src-main/adapters/mt5/config';
import { dec } from '../../src-main/domain/money';
import { openMt5Terminal, STAND_IN_LOGIN, standIn, tempDb, waitMt5Ready, waitUntil, type Mt5Terminal } from './harness';

let term: Mt5Terminal | undefined;
afterEach(async () => {
  await term?.close();
  term = undefined;
});

describe('MetaTrader 5 financing (swap)', () => {
  it('books each swap growth once, catches up after a restart of our side, and a partial close books nothing', async () => {
    const s = standIn();
    s.setPrices({ EURUSD: [1.07995, 1.08005], GBPUSD: [1.27, 1.27012], XAUUSD: [2350, 2350.3] });
    const db = tempDb();
    term = openMt5Terminal(db, s);
    await term.connect();
    await waitMt5Ready(term);
    const { trading, session } = term.sessions.active();
    const accountId = session.accountId;
    const buy = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    await waitUntil('the buy to fill', async () => (await term!.store.orders.get(buy.order.id))!.status === 'filled');
    const before = (await term.store.positions.get(accountId, 'EURUSD'))!;
    const cashBefore = dec((await term.store.accounts.get(accountId))!.cash);

    // One day on 0.1 lot (10,000 EUR) at the mid 1.08: 10,800 USD × −6.5 % (the stand-in's swap_long, annual) / 365
    // = −1.92328… ⇒ −1.92 (half-up to the cent, as the stand-in charges it). The deal history is listed twice meanwhile.
    s.fault({ kind: 'rollover', days: 1 }, { kind: 'duplicate', on: 'history_deals_get', count: 3 });
    await waitUntil('the swap to be booked', async () => (await term!.store.positions.get(accountId, 'EURUSD'))!.financing !== undefined);
    const first = (await term.store.positions.get(accountId, 'EURUSD'))!;
    expect(first.financing).toBe('-1.92');
    expect(dec(first.realizedPnl).minus(before.realizedPnl).toFixed(2)).toBe('-1.92');
    expect(dec((await term.store.accounts.get(accountId))!.cash).minus(cashBefore).toFixed(2)).toBe('-1.92');

    // Our side goes away; a Wednesday's triple is charged; a restarted terminal books the growth from its positions:
    // 10,800 × −6.5 % × 3 / 365 = −5.76986… ⇒ −5.77; the position's total is −7.69.
    await term.close();
    s.fault({ kind: 'rollover', days: 3 });
    term = openMt5Terminal(db, s);
    await term.connect();
    await waitMt5Ready(term);
    await waitUntil('the triple to be booked', async () => (await term!.store.positions.get(accountId, 'EURUSD'))!.financing === '-7.69');
    expect(s.state().positions[0]).toMatchObject({ swap: -7.69 });

    // Half is closed: the deal takes −3.85 of the swap to the balance (booked already), −3.84 stays on the position.
    // Once a poll has seen the smaller position (its booked state says so), nothing more was booked: two charges in all.
    const sell = await term.sessions.active().trading.placeOrder({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 5_000, timeInForce: 'day' });
    await waitUntil('the sell to fill', async () => (await term!.store.orders.get(sell.order.id))!.status === 'filled');
    const key = `mt5.swap-booked.${mt5AccountHash(STAND_IN_LOGIN)}.${(s.state().positions[0] as unknown as { ticket: number }).ticket}`;
    await waitUntil('a poll to see the half position', async () => (await term!.store.settings.get(key))?.includes('"volume":0.05') === true);
    await term.sessions.idle();
    expect(JSON.parse((await term.store.settings.get(key))!)).toEqual({ total: '-3.84', volume: 0.05 });
    const booked = (await term.store.audit.list({ limit: 500 })).filter((e) => e.kind === 'financing.booked');
    expect(booked.map((b) => (b.payload as { amount: string }).amount).sort()).toEqual(['-1.92', '-5.77']);
    expect(s.state().deals.at(-1)).toMatchObject({ swap: -3.85 });
  });
});
