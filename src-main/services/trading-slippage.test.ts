// Each fill's execution quality through the real trading service on a SQLite file with the paper broker: the arrival
// is the quote when the order was sent, and the stored slippage is the fill against its mid (positive = worse).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import { AccountService } from './account';
import { TradingService } from './trading';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');

describe('slippage of paper fills', () => {
  it('a market buy and sell: arrival = the quote when sent, slippage = fill − mid (buy) / mid − fill (sell), in ticks as pips and in USD', async () => {
    const clock = new ManualClock(MONDAY);
    const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-slip-')), 'quant.db') });
    const market = createDemoMarket({ clock, seed: 11 });
    const broker = createPaperBroker({ market, clock, slippageBps: 5 });
    const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
    const trading = new TradingService({
      store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
      limits: { maxPositionSize: 0.5, maxOrderNotional: 50_000, priceCollarPct: 0.05, maxDailyTrades: 1000 },
    });
    await account.ensureAccount();
    await trading.start();
    const settle = async () => {
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setImmediate(r));
        await trading.idle();
      }
    };
    const q = market.lastQuote('AAPL')!;
    const buy = await trading.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day' });
    await settle();
    const sell = await trading.placeOrder({ symbol: 'AAPL', side: 'sell', type: 'market', quantity: 10, timeInForce: 'day' });
    await settle();
    const rows = await store.fills.quality({ accountId: 'PAPER-1' });
    expect(rows.map((r) => r.orderId)).toEqual([sell.order.id, buy.order.id]);
    const [s, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const mid = (q.bid + q.ask) / 2;
    expect(b).toMatchObject({ venue: 'paper', symbol: 'AAPL', side: 'buy', quantity: 10, arrivalBid: q.bid, arrivalAsk: q.ask, pipSize: 0.01, currency: 'USD' });
    expect(b.arrivalMid).toBeCloseTo(mid, 10);
    expect(b.spread).toBeCloseTo(q.ask - q.bid, 10);
    // The paper broker fills a market buy 5 bp above the ask: worse than the mid by half the spread and more.
    expect(b.slippage).toBeCloseTo(b.fillPrice - mid, 8);
    expect(b.slippage).toBeGreaterThan((q.ask - q.bid) / 2);
    expect(b.slippagePips).toBeCloseTo(b.slippage / 0.01, 3);
    expect(b.slippageBps).toBeCloseTo((b.slippage / mid) * 10_000, 3);
    expect(Number(b.slippageCost)).toBeCloseTo(b.slippage * 10, 2);
    // The sell is worse when it fills below the mid: a positive figure too.
    expect(s.slippage).toBeCloseTo(s.arrivalMid - s.fillPrice, 8);
    expect(s.slippage).toBeGreaterThan(0);
    trading.dispose();
    broker.dispose();
    market.dispose();
    store.dispose();
  });
});
