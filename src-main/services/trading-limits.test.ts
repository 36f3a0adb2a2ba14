// The risk gate under a burst: 200 orders placed at once against each limit, through the real trading service on a
// SQLite file with the paper broker. Working orders count as if filled, so none passes beyond a limit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoMarket } from '../adapters/demo/market';
import { createPaperBroker } from '../adapters/paper/broker';
import { openSqliteStore } from '../adapters/sqlite/store';
import type { RiskLimitsConfig } from '../domain/risk';
import { dec } from '../domain/money';
import { createLogger } from '../logging';
import { ManualClock } from '../ports/clock';
import type { ValidOrderRequest } from '../../src-shared/api/order-request';
import { AccountService } from './account';
import { TradingService } from './trading';

const MONDAY = Date.parse('2026-11-30T15:00:00Z');
const BURST = 200;

async function boot(limits: Partial<RiskLimitsConfig>) {
  const clock = new ManualClock(MONDAY);
  const store = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), 'qc-limits-')), 'quant.db') });
  const market = createDemoMarket({ clock, seed: 11 });
  const broker = createPaperBroker({ market, clock, slippageBps: 1 });
  const account = new AccountService({ store, market, clock, accountId: 'PAPER-1', broker: 'paper', currency: 'USD', initialCash: 100_000 });
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 0.1, maxOrderNotional: 50_000, priceCollarPct: 0.05, maxDailyTrades: 100_000, ...limits },
  });
  await account.ensureAccount();
  await trading.start();
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setImmediate(r));
      await trading.idle();
    }
  };
  /** All at once: every call is made before any resolves. */
  const burst = async (req: ValidOrderRequest) => {
    const results = await Promise.all(Array.from({ length: BURST }, () => trading.placeOrder(req)));
    await settle();
    return results.filter((r) => r.rejection === null).length;
  };
  const close = () => (trading.dispose(), broker.dispose(), market.dispose(), store.dispose());
  return { store, market, trading, burst, close };
}

describe('risk gate under a burst of 200 concurrent orders', () => {
  it('max position size: market buys stop at 10 % of NAV; position and cash stay within what the limit allows', async () => {
    const t = await boot({});
    const price = t.market.lastQuote('BTCUSD')!.ask;
    const accepted = await t.burst({ symbol: 'BTCUSD', side: 'buy', type: 'market', quantity: 0.01, timeInForce: 'day' });
    const pos = (await t.store.positions.get('PAPER-1', 'BTCUSD'))!;
    const fills = await t.store.fills.list({ accountId: 'PAPER-1', limit: 1000 });
    const cap = 0.1 * 100_000;
    expect(accepted).toBe(Math.floor(cap / (0.01 * t.market.lastQuote('BTCUSD')!.last)));
    expect(fills).toHaveLength(accepted);
    expect(pos.quantity * price).toBeLessThanOrEqual(cap * 1.001); // slippage of 1 bp on top of the checked price
    const commissions = fills.reduce((s, f) => s.plus(f.commission), dec(0));
    const cash = dec((await t.store.accounts.get('PAPER-1'))!.cash);
    expect(cash.gte(dec(100_000 - cap * 1.001).minus(commissions))).toBe(true);
    t.close();
  });

  it('max position size: resting limit buys count as if filled (per side), so 200 of them cannot stack up', async () => {
    const t = await boot({});
    const last = t.market.lastQuote('AAPL')!.last;
    const limitPrice = Math.round(last * 0.97 * 100) / 100; // below the market: they rest
    const accepted = await t.burst({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 5, limitPrice, timeInForce: 'gtc' });
    const working = await t.store.orders.list({ accountId: 'PAPER-1', openOnly: true, limit: 1000 });
    // Valued at the market (a buy limit can fill there after a move): 10,000 / (5 × last).
    expect(accepted).toBe(Math.floor(10_000 / (5 * last)));
    expect(working.reduce((s, o) => s + o.quantity, 0) * last).toBeLessThanOrEqual(10_000);
    // The other side is its own worst case: sells may still open a short of the same size.
    const sells = await t.burst({ symbol: 'AAPL', side: 'sell', type: 'limit', quantity: 5, limitPrice: Math.round(last * 1.03 * 100) / 100, timeInForce: 'gtc' });
    expect(sells).toBe(Math.floor(10_000 / (5 * Math.round(last * 1.03 * 100) / 100)));
    t.close();
  });

  it('max order notional: 200 orders just above it are all refused, 200 just below all pass the notional rule', async () => {
    const t = await boot({ maxOrderNotional: 1_000, maxPositionSize: 100 });
    const last = t.market.lastQuote('AAPL')!.last;
    const over = Math.ceil(1_000 / last) + 1;
    expect(await t.burst({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: over, timeInForce: 'day' })).toBe(0);
    expect(await t.store.fills.list({ accountId: 'PAPER-1' })).toHaveLength(0);
    const under = Math.floor(1_000 / last);
    expect(await t.burst({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: under, timeInForce: 'day' })).toBe(BURST);
    t.close();
  });

  it('max daily trades: 200 market orders and 200 resting orders, only the limit passes and fills + working never exceed it', async () => {
    const t = await boot({ maxDailyTrades: 20, maxPositionSize: 100 });
    expect(await t.burst({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' })).toBe(20);
    expect(await t.store.fills.list({ accountId: 'PAPER-1' })).toHaveLength(20);
    expect(await t.burst({ symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day' })).toBe(0);

    const t2 = await boot({ maxDailyTrades: 20, maxPositionSize: 100 });
    const last = t2.market.lastQuote('AAPL')!.last;
    expect(await t2.burst({ symbol: 'AAPL', side: 'buy', type: 'limit', quantity: 1, limitPrice: Math.round(last * 0.97 * 100) / 100, timeInForce: 'gtc' })).toBe(20);
    expect((await t2.trading.riskStatus()).tradesToday).toBe(20);
    t.close();
    t2.close();
  });
});
