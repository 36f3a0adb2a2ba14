// Overnight funding on IG: the simulator's rollover writes each open position's funding to the transaction history
// (GET /history/transactions, `WITH` rows); the venue reads it and the app books it into cash, the position's realised
// P&L and its financing figure, exactly and once — also when a row is listed twice, when polls overlap, and when it
// was charged while our side was away (the reconnect's catch-up).
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src-main/domain/money';
import { startIgSim, type RunningIgSim } from '../support/ig-sim-process';
import { openIgTerminal, SIM_ARGS, tempDb, waitIgReady, waitUntil, type IgTerminal } from './harness';

let sim: RunningIgSim | undefined;
let term: IgTerminal | undefined;

afterEach(async () => {
  await term?.close();
  await sim?.stop();
  term = sim = undefined;
});

const cents = (said: string) => dec(/: (-?\d+) cents/.exec(said)![1]!).div(100);

describe('IG overnight funding (transaction history)', () => {
  it('books each funding row once, exactly, also a row listed twice and rows charged while we were away', async () => {
    const db = tempDb();
    sim = await startIgSim([...SIM_ARGS, '--state', `${db}.ig-sim.json`]);
    term = openIgTerminal(db);
    await term.connect(sim.url);
    await waitIgReady(term);
    const { trading, session } = term.sessions.active();
    const accountId = session.accountId;
    await sim.fault({ kind: 'price', epic: 'CS.D.EURUSD.CFD.IP', mid: 1.08 });
    await sim.fault({ kind: 'price', epic: 'CS.D.USDJPY.CFD.IP', mid: 150 });
    await waitUntil('EURUSD at 1.08', () => Math.abs(session.market.lastQuote('EURUSD')!.last - 1.08) < 1e-6);
    for (const symbol of ['EURUSD', 'USDJPY']) {
      const buy = await trading.placeOrder({ symbol, side: 'buy', type: 'market', quantity: 10_000, timeInForce: 'day' });
      await waitUntil(`the ${symbol} buy to fill`, async () => (await term!.store.orders.get(buy.order.id))!.status === 'filled');
    }
    const cashBefore = dec((await term.store.accounts.get(accountId))!.cash);
    const pos = async (symbol: string) => (await term!.store.positions.get(accountId, symbol))!;
    const eurBefore = await pos('EURUSD');

    // One day at −3 % a year on the value at the mid, in USD, half-up to the cent:
    //   EURUSD 10,000 × 1.08 = 10,800 USD × 0.03 / 365 = 0.88767… ⇒ −0.89
    //   USDJPY 10,000 × 150 = 1,500,000 JPY × 0.03 / 365 = 123.287… JPY ÷ 150 = 0.82191… USD ⇒ −0.82
    // Both rows are listed twice by the simulator: each is booked once.
    await sim.fault({ kind: 'duplicate-funding', count: 2 });
    expect(cents(await sim.fault({ kind: 'rollover', days: 1 })).toFixed(2)).toBe('-1.71');
    await waitUntil('the funding to be booked', async () => (await pos('EURUSD')).financing !== undefined && (await pos('USDJPY')).financing !== undefined);
    await term.sessions.idle();
    const eur = await pos('EURUSD');
    expect(eur.financing).toBe('-0.89');
    expect((await pos('USDJPY')).financing).toBe('-0.82');
    expect(dec(eur.realizedPnl).minus(eurBefore.realizedPnl).toFixed(2)).toBe('-0.89');
    expect(dec((await term.store.accounts.get(accountId))!.cash).minus(cashBefore).toFixed(2)).toBe('-1.71');

    // Our side goes away; a weekend's triple is charged meanwhile; a restarted terminal catches up from its cursor.
    await term.close();
    // 3 days: EURUSD 10,800 × 0.03 × 3 / 365 = 2.66301… ⇒ −2.66; USDJPY 10,000 × 0.03 × 3 / 365 = 2.46575… ⇒ −2.47.
    expect(cents(await sim.fault({ kind: 'rollover', days: 3 })).toFixed(2)).toBe('-5.13');
    term = openIgTerminal(db);
    await term.connect(sim.url);
    await waitIgReady(term);
    await waitUntil('the triple to be booked', async () => (await pos('EURUSD')).financing === '-3.55' && (await pos('USDJPY')).financing === '-3.29');
    // Two more reads of the transaction history after that (so one whole read began after the triple was booked): the
    // rows read again by the overlapping window and the first day's rows read again by the catch-up change nothing.
    const reads = (await sim.state()).transactionReads;
    await waitUntil('another transaction poll', async () => (await sim!.state()).transactionReads >= reads + 2);
    await term.sessions.idle();
    expect((await pos('EURUSD')).financing).toBe('-3.55');
    expect((await pos('USDJPY')).financing).toBe('-3.29');
    expect(dec((await term.store.accounts.get(accountId))!.cash).minus(cashBefore).toFixed(2)).toBe('-6.84');
    const booked = (await term.store.audit.list({ limit: 500 })).filter((e) => e.kind === 'financing.booked');
    expect(booked).toHaveLength(4);
    expect(new Set(booked.map((b) => (b.payload as { id: string }).id)).size).toBe(4);
    // The simulator's balance moved by the same cents.
    expect((await sim.state()).balance).toBeCloseTo(9_993.16, 6);
  });
});
