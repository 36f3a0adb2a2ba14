// Fills of instruments quoted in another currency on a margin account (a CFD venue) when the market has no rate at the
// fill: a real fill is always booked — at the pair's own fill price, else the last rate known, else with its foreign
// P&L left out and journaled — and session replay books the journal to the same cash. The venue side is a broker whose
// fills the test sends (as a venue reports fills placed outside the terminal); store, market rates and books are real.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter } from '../../src-shared/common/emitter';
import type { Instrument, Quote } from '../../src-shared/domain/types';
import { openSqliteStore, type SqliteStore } from '../adapters/sqlite/store';
import { createLogger } from '../logging';
import type { Broker, BrokerEvent } from '../ports/broker';
import { ManualClock } from '../ports/clock';
import type { MarketData } from '../ports/market-data';
import { AccountService } from './account';
import { quoteConversion } from './cfd-margin';
import { SessionReplay } from './session-replay';
import { TradingService } from './trading';

const WEDNESDAY = Date.parse('2026-12-02T15:00:00Z');
const inst = (symbol: string, assetClass: Instrument['assetClass'], currency: string): Instrument => ({
  symbol, name: symbol, assetClass, currency, exchange: 'TEST', tickSize: 0.001, lotSize: 1, session: 'fx-24x5',
});
const INSTRUMENTS = [inst('USDJPY', 'fx', 'JPY'), inst('EURUSD', 'fx', 'USD'), inst('DE40', 'index-cfd', 'EUR'), inst('CH20', 'index-cfd', 'CHF')];

interface Booted { store: SqliteStore; trading: TradingService; account: AccountService; clock: ManualClock; set(symbol: string, price: number | null): void; fill(symbol: string, side: 'buy' | 'sell', quantity: number, price: number): Promise<string> }
const open: Booted[] = [];
afterEach(() => {
  for (const b of open.splice(0)) {
    b.trading.dispose();
    b.store.dispose();
  }
});

async function boot(): Promise<Booted> {
  const clock = new ManualClock(WEDNESDAY);
  const quotes = new Map<string, Quote>();
  const market: MarketData = {
    name: 'test', instruments: () => INSTRUMENTS, instrument: (s) => INSTRUMENTS.find((i) => i.symbol === s), history: async () => [],
    lastQuote: (s) => quotes.get(s), isOpen: () => true, onQuote: () => ({ dispose: () => undefined }), start: () => undefined, dispose: () => undefined,
  };
  const events = new Emitter<BrokerEvent>();
  const broker: Broker = {
    name: 'venue', capabilities: { nativeBrackets: false, keepsOrders: true, nativeOrderTypes: ['market', 'limit', 'stop'] }, notReadyReason: () => null,
    placeOrder: () => undefined, cancelOrder: () => undefined, workingOrderIds: () => [], onEvent: (l) => events.on(l), dispose: () => undefined,
  };
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-conv-')), 'quant.db') });
  const conversion = quoteConversion(market, 'USD');
  const account = new AccountService({ store, market, clock, accountId: 'CFD-1', broker: 'venue', currency: 'USD', initialCash: 0, conversion });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false, conversion,
    limits: { maxPositionSize: 1, maxOrderNotional: 1e9, priceCollarPct: 0.5, maxDailyTrades: 100 },
  });
  await account.ensureAccount();
  await trading.start();
  let n = 0;
  const b: Booted = {
    store, trading, account, clock,
    set(symbol, price) {
      if (price === null) quotes.delete(symbol);
      else quotes.set(symbol, { symbol, time: clock.now(), bid: price, ask: price, last: price, lastSize: 1, source: 'demo' });
    },
    async fill(symbol, side, quantity, price) {
      const execId = `X-${++n}`;
      clock.advance(1000);
      events.emit({
        kind: 'fill', orderId: `ext-${n}`, execId, quantity, price, commission: '0', time: clock.now(),
        execution: { execId, brokerOrderId: `B-${n}`, permId: null, clientOrderId: null, symbol, side, quantity, price, commission: '0', time: clock.now() },
      });
      await trading.idle();
      return `ext-${n}`;
    },
  };
  open.push(b);
  return b;
}

const cash = async (b: Booted) => (await b.store.accounts.get('CFD-1'))!.cash;
const entries = async (b: Booted, orderId: string) => (await b.store.audit.list({ orderId, limit: 50 }));
const replayedCash = async (b: Booted) => (await new SessionReplay({ store: b.store, clock: b.clock }).stateAt({ accountId: 'CFD-1' }, '2026-12-02', b.clock.now() + 1)).cash;

describe('fills of foreign-quoted instruments without a market rate', () => {
  it('USDJPY: converted at the fill\'s own price (its price is the JPY→USD rate), nothing to warn about', async () => {
    const b = await boot();
    await b.fill('USDJPY', 'buy', 10_000, 150);
    // 10,000 × (151 − 150) = 10,000 JPY ÷ 151 (the sell's own price) = 66.225165… USD ⇒ 66.23.
    const sell = await b.fill('USDJPY', 'sell', 10_000, 151);
    expect(await cash(b)).toBe('66.23');
    const audit = await entries(b, sell);
    expect(audit.find((e) => e.kind === 'order.fill')!.payload).toMatchObject({ quoteCurrency: 'JPY', rateSource: 'fill-price' });
    expect(audit.some((e) => e.kind === 'order.fill.rate-missing')).toBe(false);
    expect(await replayedCash(b)).toBe('66.23');
  });

  it('a EUR index whose EURUSD went away: booked at the last rate known, journaled as an error', async () => {
    const b = await boot();
    b.set('EURUSD', 1.1);
    await b.fill('DE40', 'buy', 2, 20_000);
    b.set('EURUSD', null);
    // 2 × 100 points = 200 EUR × 1.10 (the rate of the opening fill) = 220.00 USD.
    const sell = await b.fill('DE40', 'sell', 2, 20_100);
    expect(await cash(b)).toBe('220.00');
    expect(await b.store.positions.get('CFD-1', 'DE40')).toMatchObject({ quantity: 0, realizedPnl: '220.00' });
    const missing = (await entries(b, sell)).find((e) => e.kind === 'order.fill.rate-missing')!;
    expect(missing.payload).toMatchObject({ currency: 'EUR', rateSource: 'last-known', toAccount: '1.1', realizedDelta: '220.00' });
    expect(missing.payload['message']).toBe(`No EUR/USD rate in the market at the fill of DE40: its P&L was converted at the last known rate 1.1 (of ${new Date(WEDNESDAY + 1000).toISOString()})`);
    expect(await replayedCash(b)).toBe('220.00');
  });

  it('a CHF index with no CHF rate ever: the fill and position are booked, its CHF P&L is not (said in the journal)', async () => {
    const b = await boot();
    await b.fill('CH20', 'buy', 1, 12_000);
    const sell = await b.fill('CH20', 'sell', 1, 12_100);
    expect(await b.store.positions.get('CFD-1', 'CH20')).toMatchObject({ quantity: 0, realizedPnl: '0.00' });
    expect((await b.store.fills.listForOrder(sell)).map((f) => f.price)).toEqual([12_100]);
    expect(await cash(b)).toBe('0.00');
    const missing = (await entries(b, sell)).find((e) => e.kind === 'order.fill.rate-missing')!;
    expect(missing.payload).toMatchObject({ currency: 'CHF', rateSource: 'none', toAccount: '0' });
    expect(missing.payload['message']).toMatch(/^No CHF\/USD rate in the market at the fill of CH20, and none known before: the fill is booked, its P&L in CHF is not/);
    expect(await replayedCash(b)).toBe('0.00');
  });
});
