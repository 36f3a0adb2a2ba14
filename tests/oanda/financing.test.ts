// Overnight financing on OANDA: the simulator's DAILY_FINANCING (its rollover) booked into cash, the position's realised
// P&L and its financing figure, once — also when a restart of our side replays the transaction.
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src-main/domain/money';
import { startOandaSim, type RunningOandaSim } from '../support/oanda-sim-process';
import { openOandaTerminal, SIM_ARGS, tempDb, waitOandaReady, waitUntil, type OandaTerminal } from './harness';

let sim: RunningOandaSim | undefined;
let term: OandaTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

describe('OANDA financing (DAILY_FINANCING)', () => {
  it('is booked into cash, realised P&L and the position\'s financing once, and shows in the account summary', async () => {
    sim = await startOandaSim(SIM_ARGS);
    const db = tempDb();
    term = openOandaTerminal(db);
    await term.connect(sim.url);
    await waitOandaReady(term);
    const { trading, session, account } = term.sessions.active();
    const accountId = session.accountId;
    await sim.fault({ kind: 'price', instrument: 'EUR_USD', mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    const buy = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    await waitUntil('the buy to fill', async () => (await term!.store.orders.get(buy.order.id))!.status === 'filled');
    const before = (await term.store.positions.get(accountId, 'EURUSD'))!;
    const cashBefore = (await term.store.accounts.get(accountId))!.cash;
    const markKey = `oanda.last-transaction.${accountId.slice('OANDA-'.length)}`;
    const markBefore = (await term.store.settings.get(markKey))!;

    // One day on 10,000 EUR at about 1.08: 10,800 USD × −3.86 % / 365 ≈ −1.14 USD.
    const said = await sim.fault({ kind: 'rollover', days: 1 });
    const charged = dec(/financing (-?[\d.]+)/.exec(said)![1]!);
    expect(charged.toNumber()).toBeCloseTo(-1.14, 1);
    await waitUntil('the financing to be booked', async () => (await term!.store.positions.get(accountId, 'EURUSD'))!.financing !== undefined);
    const after = (await term.store.positions.get(accountId, 'EURUSD'))!;
    expect(after.financing).toBe(charged.toFixed(2));
    expect(dec(after.realizedPnl).minus(before.realizedPnl).toFixed(2)).toBe(charged.toFixed(2));
    expect(dec((await term.store.accounts.get(accountId))!.cash).minus(cashBefore).toFixed(2)).toBe(charged.toFixed(2));
    const { summary, positions } = await account.snapshot();
    expect(summary.financing).toBe(charged.toFixed(2));
    expect(positions.find((p) => p.symbol === 'EURUSD')!.financing).toBe(charged.toFixed(2));

    // A restart of our side that replays the transactions since before the rollover: booked once all the same.
    await term.close();
    const reopened = openOandaTerminal(db);
    await reopened.store.settings.set(markKey, markBefore);
    await reopened.close();
    term = openOandaTerminal(db);
    await term.connect(sim.url);
    await waitOandaReady(term);
    await term.sessions.idle();
    expect((await term.store.positions.get(accountId, 'EURUSD'))!.financing).toBe(charged.toFixed(2));
    const booked = (await term.store.audit.list({ limit: 500 })).filter((e) => e.kind === 'financing.booked');
    expect(booked).toHaveLength(1);
    expect(booked[0]!.payload).toMatchObject({ by: 'venue', symbol: 'EURUSD', amount: charged.toFixed(2) });
  });
});
