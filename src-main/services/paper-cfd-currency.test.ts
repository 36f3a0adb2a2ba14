// The paper CFD account on instruments quoted in another currency than the account's (USD): P&L, margin, commission
// and financing converted at the market's current rate, hand-checked on a market whose prices the test sets; an
// instrument the market has no rate for is refused with the missing pair named, never booked 1:1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter } from '../../src-shared/common/emitter';
import type { Instrument, Quote } from '../../src-shared/domain/types';
import { createPaperBroker } from '../adapters/paper/broker';
import { PAPER_CFD_ACCOUNT_ID } from '../adapters/paper/session';
import { paperCfdBrokerOptions, paperCfdVenue } from '../adapters/paper/venue';
import { openSqliteStore, type SqliteStore } from '../adapters/sqlite/store';
import { parseConfig } from '../config/config';
import { fxRates } from '../domain/cfd/pip';
import { demoCfdSpec } from '../domain/cfd/specs';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import type { MarketData } from '../ports/market-data';
import { cfdAccountMargin } from './cfd-margin';
import { SessionManager, type VenueAccount } from './sessions';
import { VenueRegistry } from './venue-registry';

const WEDNESDAY = Date.parse('2026-12-02T15:00:00Z');
const config = parseConfig('risk:\n  max_position_size: 1\n  max_order_notional: 10000000\n');

const inst = (symbol: string, assetClass: Instrument['assetClass'], currency: string, tickSize: number, lotSize: number): Instrument => ({
  symbol, name: symbol, assetClass, currency, exchange: 'TEST', tickSize, lotSize, session: assetClass === 'fx' ? 'fx-24x5' : 'cfd-23x5',
});
/** USDJPY, EURUSD, a EUR-quoted index (DE40) and a CHF-quoted one (CH20) with no USDCHF or CHFUSD in the market. */
const INSTRUMENTS = [inst('USDJPY', 'fx', 'JPY', 0.001, 1000), inst('EURUSD', 'fx', 'USD', 0.00001, 1000), inst('DE40', 'index-cfd', 'EUR', 0.1, 1), inst('CH20', 'index-cfd', 'CHF', 0.1, 1)];

/** A market whose quotes the test sets (bid = ask = last, so fills are at the price set). */
function setMarket(clock: ManualClock): MarketData & { set(symbol: string, price: number): void } {
  const quotes = new Map<string, Quote>();
  const events = new Emitter<Quote>();
  return {
    name: 'test', instruments: () => INSTRUMENTS, instrument: (s) => INSTRUMENTS.find((i) => i.symbol === s), history: async () => [],
    lastQuote: (s) => quotes.get(s), isOpen: () => true, onQuote: (l) => events.on(l), start: () => undefined, dispose: () => undefined,
    set(symbol, price) {
      const q: Quote = { symbol, time: clock.now(), bid: price, ask: price, last: price, lastSize: 1, source: 'demo' };
      quotes.set(symbol, q);
      events.emit(q);
    },
  };
}

interface Booted { store: SqliteStore; sessions: SessionManager; account: VenueAccount; market: ReturnType<typeof setMarket>; clock: ManualClock }
const open: Booted[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) {
    await b.sessions.dispose();
    b.store.dispose();
  }
});

async function boot(prices: Record<string, number>): Promise<Booted> {
  const clock = new ManualClock(WEDNESDAY);
  const market = setMarket(clock);
  for (const [s, p] of Object.entries(prices)) market.set(s, p);
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-paper-fx-')), 'quant.db') });
  const broker = createPaperBroker({
    market, clock, slippageBps: 0, ...paperCfdBrokerOptions('USD', fxRates((s) => market.lastQuote(s)?.last)),
    book: async () => (await store.orders.list({ accountId: PAPER_CFD_ACCOUNT_ID, openOnly: true })).reverse(),
  });
  const venues = new VenueRegistry().register(paperCfdVenue({
    accountId: PAPER_CFD_ACCOUNT_ID, broker, market, initialCash: 10_000,
    terms: { regime: 'esma-retail', levels: { marginCall: 100, stopOut: 50 }, spec: demoCfdSpec },
  }));
  const sessions = new SessionManager({ store, clock, logger: createLogger({ level: 'silent' }), config, venues });
  await sessions.start();
  const b = { store, sessions, account: sessions.accounts()[0]!, market, clock };
  open.push(b);
  return b;
}

async function trade(b: Booted, symbol: string, side: 'buy' | 'sell', quantity: number): Promise<void> {
  const r = await b.account.trading.placeOrder({ symbol, side, type: 'market', quantity, timeInForce: 'day' });
  expect(r.rejection).toBeNull();
  for (let i = 0; i < 400; i++) {
    await b.sessions.idle();
    if ((await b.store.orders.get(r.order.id))?.status === 'filled') return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`${side} ${quantity} ${symbol} never filled`);
}

describe('paper CFD account: instruments quoted in another currency', () => {
  it('USDJPY in a USD account: P&L, margin, commission and the close converted at the current USDJPY', async () => {
    const b = await boot({ USDJPY: 150 });
    // Buy 10,000 at 150.000. No notional leaves cash (held on margin); the commission is FX's 0.2 bp of the notional in
    // dollars: 10,000 × 150 JPY ÷ 150 = 10,000 USD × 0.00002 = 0.20, under the 2.00 minimum ⇒ 2.00.
    await trade(b, 'USDJPY', 'buy', 10_000);
    expect((await b.store.accounts.get(PAPER_CFD_ACCOUNT_ID))!.cash).toBe('9998.00');

    // 151.000: P&L = 10,000 × (151 − 150) = 10,000 JPY, ÷ 151 = 66.2251… USD ⇒ 66.23 (cents, half up).
    b.market.set('USDJPY', 151);
    const { summary, positions } = await b.account.account.snapshot();
    expect(positions[0]).toMatchObject({ symbol: 'USDJPY', quantity: 10_000, avgPrice: 150, unrealizedPnl: '66.23', marketValue: '10000.00' });
    expect(summary).toMatchObject({ currency: 'USD', cash: '9998.00', unrealizedPnl: '66.23', nav: '10064.23', grossExposure: '10000.00' });
    // Margin in dollars: 10,000 × 151 ÷ 151 = 10,000 USD at 30:1 (ESMA major FX) = 333.333… ⇒ 333.33; level = 10,064.23
    // ÷ 333.333… × 100 = 3,019.269 % ⇒ 3019.27.
    const { margin } = await cfdAccountMargin(b.account.account, b.market, b.account.venue.cfd!.terms);
    expect(margin.figures.used.toFixed(2)).toBe('333.33');
    expect(margin.figures.level!.toFixed(2)).toBe('3019.27');
    expect(margin.missingRates).toEqual([]);

    // Sold at 151: realised 10,000 JPY at 1/151 = 66.2251… less the 2.00 commission = 64.2251… ⇒ 64.23; with the buy's
    // commission the position has realised 62.23 and cash is 9,998.00 + 64.23 = 10,062.23 (= NAV, flat).
    await trade(b, 'USDJPY', 'sell', 10_000);
    expect((await b.store.positions.get(PAPER_CFD_ACCOUNT_ID, 'USDJPY'))!.realizedPnl).toBe('62.23');
    expect((await b.account.account.snapshot()).summary).toMatchObject({ cash: '10062.23', nav: '10062.23', unrealizedPnl: '0.00' });
  });

  it('a EUR-quoted index in a USD account follows EURUSD: margin and P&L at the rate now', async () => {
    const b = await boot({ EURUSD: 1.1, DE40: 20_000 });
    await trade(b, 'DE40', 'buy', 1);
    // Commission: index CFDs 0.005 % of 20,000 EUR × 1.1 = 22,000 USD ⇒ 1.10 (over the 1.00 minimum).
    expect((await b.store.accounts.get(PAPER_CFD_ACCOUNT_ID))!.cash).toBe('9998.90');
    // No spec of its own: a minor index, 10:1 under ESMA ⇒ margin 22,000 ÷ 10 = 2,200.00 USD.
    const m1 = await cfdAccountMargin(b.account.account, b.market, b.account.venue.cfd!.terms);
    expect(m1.margin.figures.used.toFixed(2)).toBe('2200.00');
    // +100 points = 100 EUR: 110.00 USD at 1.10; then EURUSD 1.20: the same 100 EUR are 120.00 USD, margin 2,412.00.
    b.market.set('DE40', 20_100);
    expect((await b.account.account.snapshot()).summary.unrealizedPnl).toBe('110.00');
    b.market.set('EURUSD', 1.2);
    expect((await b.account.account.snapshot()).summary).toMatchObject({ unrealizedPnl: '120.00', nav: '10118.90' });
    expect((await cfdAccountMargin(b.account.account, b.market, b.account.venue.cfd!.terms)).margin.figures.used.toFixed(2)).toBe('2412.00');
  });

  it('refuses an instrument the market has no rate for, naming the missing pair', async () => {
    const b = await boot({ CH20: 12_000, EURUSD: 1.1 });
    const r = await b.account.trading.placeOrder({ symbol: 'CH20', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' });
    let order = await b.store.orders.get(r.order.id);
    for (let i = 0; i < 400 && order?.status !== 'rejected'; i++) {
      await b.sessions.idle();
      order = await b.store.orders.get(r.order.id);
    }
    // The risk check meets it first (it values the order in dollars); the paper broker's own refusal says the same
    // (adapters/paper/venue.ts, checked below for a rate that goes away after the risk check).
    expect(order).toMatchObject({ status: 'rejected', rejectReason: 'No exchange rate from CHF to USD (the market quotes neither CHFUSD nor USDCHF): the order cannot be risk-checked' });
    expect(await b.store.positions.get(PAPER_CFD_ACCOUNT_ID, 'CH20')).toBeUndefined();

    // The paper CFD broker refuses it too, in its own words, and takes it once the market quotes USDCHF.
    const ch20 = INSTRUMENTS.find((i) => i.symbol === 'CH20')!;
    expect(paperCfdBrokerOptions('USD', fxRates((s) => b.market.lastQuote(s)?.last)).refuse(ch20)).toBe(
      'Paper CFD: no CHF/USD rate: CH20 is quoted in CHF, and its P&L, margin and financing are converted to USD at the market\'s CHFUSD (or USDCHF) price, which the market does not quote; the order was not sent');
    b.market.set('USDCHF', 0.8);
    expect(paperCfdBrokerOptions('USD', fxRates((s) => b.market.lastQuote(s)?.last)).refuse(ch20)).toBeNull();
  });

  it('books USDJPY financing at the rollover in dollars at the rate then (Wednesday: three days)', async () => {
    const b = await boot({ USDJPY: 150 });
    await trade(b, 'USDJPY', 'buy', 10_000);
    const desk = b.account.desk!;
    await desk.check(); // sets the financing marker at the last rollover
    b.market.set('USDJPY', 151);
    b.clock.set(Date.parse('2026-12-02T22:30:00Z'));
    await desk.check();
    // Long USDJPY receives 1.5 % a year: 10,000 × 151 JPY × 0.015 × 3 ÷ 365 ÷ 151 = 1.23287… USD ⇒ 1.23.
    expect((await b.store.positions.get(PAPER_CFD_ACCOUNT_ID, 'USDJPY'))!.financing).toBe('1.23');
    expect((await b.store.accounts.get(PAPER_CFD_ACCOUNT_ID))!.cash).toBe('9999.23');
  });
});
