// An instrument quoted in another currency than the account's (USD_JPY, quoted in yen, on a USD account) at a real CFD
// venue: our books hold it on margin and convert its P&L to dollars at the venue's own USDJPY, hand-checked against
// prices the simulator is told; OANDA's own realised P&L (the simulator's) agrees to the cent, and session replay
// rebuilds the same cash from the journal.
import { describe, expect, it } from 'vitest';
import { dec } from '../../src-main/domain/money';
import { systemClock } from '../../src-main/ports/clock';
import { SessionReplay } from '../../src-main/services/session-replay';
import { oandaPerTest, waitUntil } from './harness';

const boot = oandaPerTest();

describe('OANDA: USD_JPY on a USD account', () => {
  it('books the yen P&L in dollars at the venue\'s USDJPY: unrealised while open, realised and cash at the close', async () => {
    const { sim, term } = await boot();
    const { trading, session, account } = term.sessions.active();
    const accountId = session.accountId;
    const { store } = term;
    const mid = async (m: number) => {
      await sim.fault({ kind: 'price', instrument: 'USD_JPY', mid: m });
      await waitUntil(`USDJPY at ${m}`, () => session.market.lastQuote('USDJPY')?.last === m);
    };
    const fill = async (side: 'buy' | 'sell') => {
      const r = await trading.placeOrder({ symbol: 'USDJPY', side, type: 'market', quantity: 10_000, timeInForce: 'day' });
      expect(r.rejection).toBeNull();
      await waitUntil(`the ${side} to fill`, async () => (await store.orders.get(r.order.id))!.status === 'filled');
      await term.sessions.idle();
      return (await store.fills.listForOrder(r.order.id))[0]!;
    };
    const cash = async () => (await store.accounts.get(accountId))!.cash;
    // The simulator's USD_JPY spread is 1.6 pips (0.016): mid 150 → bid 149.992, ask 150.008.
    await mid(150);
    expect(await cash()).toBe('0.00');
    const buy = await fill('buy');
    expect(buy.price).toBe(150.008);
    // Held on margin: no notional leaves cash (before: 10,000 × 150.008 "dollars" = −1,500,080.00), commission 0.
    expect(await cash()).toBe('0.00');
    expect(await store.positions.get(accountId, 'USDJPY')).toMatchObject({ quantity: 10_000, avgPrice: 150.008, realizedPnl: '0.00' });

    // +0.992 yen a unit at mid 151: 10,000 × (151 − 150.008) = 9,920 JPY ÷ 151 = 65.695364… USD ⇒ 65.70 (cents, half up);
    // the market value is the notional at the rate now: 10,000 × 151 ÷ 151 = 10,000.00 USD.
    await mid(151);
    const { summary, positions } = await account.snapshot();
    expect(positions.find((p) => p.symbol === 'USDJPY')).toMatchObject({ marketPrice: 151, unrealizedPnl: '65.70', marketValue: '10000.00' });
    expect(summary.unrealizedPnl).toBe('65.70');

    // Sold at the bid 150.992: 10,000 × 0.984 = 9,840 JPY ÷ 151 (the mid at the fill) = 65.165562… USD ⇒ 65.17.
    const sell = await fill('sell');
    expect(sell.price).toBe(150.992);
    expect(await cash()).toBe('65.17');
    expect(await store.positions.get(accountId, 'USDJPY')).toMatchObject({ quantity: 0, realizedPnl: '65.17' });
    const booked = (await store.audit.list({ orderId: sell.orderId, limit: 50 })).find((e) => e.kind === 'order.fill')!;
    expect(booked.payload).toMatchObject({ quoteCurrency: 'JPY', rateSource: 'market' });
    expect(dec(booked.payload['toAccount'] as string).times(151).toFixed(20)).toBe('1.00000000000000000000');
    // Kept as the last known JPY rate, for a later fill the market has no rate for.
    expect(await store.settings.get(`fx.last-rate.${accountId}.JPY`)).toMatch(/^0\.0066225165562913907284768211920529\d*\|\d+$/);
    // OANDA's own figure for the same close (the simulator converts at 1 ÷ its mid as well), to the cent.
    const theirs = (await sim.state()).summary;
    expect(dec(theirs['pl']!).toFixed(2)).toBe('65.17');

    // Session replay books the journaled fills at the rates they were booked at: the same cash and realised P&L.
    const now = systemClock.now();
    const replayed = await new SessionReplay({ store, clock: systemClock }).stateAt({ accountId }, new Date(now).toISOString().slice(0, 10), now + 1);
    expect(replayed.cash).toBe('65.17');
    expect(replayed.realizedPnl).toBe('65.17');
  });
});
