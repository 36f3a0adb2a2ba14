// Overnight financing on cTrader: the simulator's rollover charges swap on the open position (ProtoOAPosition.swap, the
// total in cents) and sends a SWAP execution event; the growth is booked into cash, the position's realised P&L and
// its financing figure, exactly and once — also when the event comes twice and when a restart reconciles the position.
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src-main/domain/money';
import { startCtraderSim, type RunningCtraderSim } from '../support/ctrader-sim-process';
import { openCtraderTerminal, SIM_ARGS, tempDb, waitCtraderReady, waitUntil, type CtraderTerminal } from './harness';

let sim: RunningCtraderSim | undefined;
let term: CtraderTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

describe('cTrader financing (swap)', () => {
  it('books each rollover\'s swap once, exactly, into cash, realised P&L and the position\'s financing', async () => {
    sim = await startCtraderSim(SIM_ARGS);
    const db = tempDb();
    term = openCtraderTerminal(db);
    await term.connect(sim.url);
    await waitCtraderReady(term);
    const { trading, session } = term.sessions.active();
    const accountId = session.accountId;
    await sim.fault({ kind: 'price', symbol: 'EURUSD', mid: 1.08 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    const buy = await trading.placeOrder({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
    await waitUntil('the buy to fill', async () => (await term!.store.orders.get(buy.order.id))!.status === 'filled');
    const before = (await term.store.positions.get(accountId, 'EURUSD'))!;
    const cashBefore = (await term.store.accounts.get(accountId))!.cash;

    // One day on 10,000 EUR at 1.08 (prices frozen): 10,800 USD × −2.5 % / 365 = −0.7397… USD, charged in whole
    // cents as cTrader does: −74 cents = −0.74. The event comes twice: booked once.
    const cents = (said: string) => dec(/: (-?\d+) cents/.exec(said)![1]!).div(100);
    await sim.fault({ kind: 'duplicate', count: 1 });
    const charged1 = cents(await sim.fault({ kind: 'rollover', days: 1 }));
    await waitUntil('the swap to be booked', async () => (await term!.store.positions.get(accountId, 'EURUSD'))!.financing !== undefined);
    const first = (await term.store.positions.get(accountId, 'EURUSD'))!;
    const day1 = dec(first.financing!);
    expect(charged1.toFixed(2)).toBe('-0.74');
    expect(day1.toFixed(2)).toBe(charged1.toFixed(2));
    expect(dec(first.realizedPnl).minus(before.realizedPnl).toFixed(2)).toBe(day1.toFixed(2));
    expect(dec((await term.store.accounts.get(accountId))!.cash).minus(cashBefore).toFixed(2)).toBe(day1.toFixed(2));

    // A Wednesday's triple, seen by a restarted terminal in the reconcile's positions (it was away): the growth only.
    await term.close();
    const charged3 = cents(await sim.fault({ kind: 'rollover', days: 3 }));
    term = openCtraderTerminal(db);
    await term.connect(sim.url);
    await waitCtraderReady(term);
    await waitUntil('the triple to be booked', async () => !dec((await term!.store.positions.get(accountId, 'EURUSD'))!.financing!).eq(day1));
    await term.sessions.idle();
    const total = dec((await term.store.positions.get(accountId, 'EURUSD'))!.financing!);
    // Three days: 10,800 × −2.5 % × 3 / 365 = −2.2191… ⇒ −222 cents = −2.22, booked to the cent.
    expect(charged3.toFixed(2)).toBe('-2.22');
    expect(total.minus(day1).toFixed(2)).toBe(charged3.toFixed(2));
    const booked = (await term.store.audit.list({ limit: 500 })).filter((e) => e.kind === 'financing.booked');
    expect(booked).toHaveLength(2);
    expect(booked.map((b) => (b.payload as { amount: string }).amount).reduce((s, a) => s.plus(a), dec(0)).toFixed(2)).toBe(total.toFixed(2));
  });
});
