// One Strategy API, two worlds: a strategy that enters and protects itself with a trailing stop runs live on the IB
// simulator account (the live runner, the trading service, the real IB session over TCP with @stoqey/ib, the simulator
// filling the trailing stop natively as TRAIL) while the simulator replays the bars tick by tick (open, low, high, close);
// it produces the same orders and fills as the backtest engine over the same bars.
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../src-shared/domain/types';
import { runBacktest } from '../../src-main/domain/backtest/engine';
import type { BarArrays } from '../../src-main/domain/backtest/types';
import type { Strategy } from '../../src-main/domain/strategy/strategy';
import { createLogger } from '../../src-main/logging';
import { ManualClock } from '../../src-main/ports/clock';
import type { MarketData } from '../../src-main/ports/market-data';
import { singleAccount } from '../../src-main/services/strategy-accounts';
import { StrategyRunner } from '../../src-main/services/strategy-runner';
import type { TwsSimulator } from '../../tools/tws-sim/simulator';
import { openTerminal, startSim, tempDb, waitReady, waitUntil, type Terminal } from './harness';

let sim: TwsSimulator | undefined;
let term: Terminal | undefined;
let runner: StrategyRunner | undefined;

afterEach(async () => {
  await runner?.dispose();
  await term?.close();
  await sim?.close();
  runner = term = sim = undefined;
});

const T0 = Date.UTC(2026, 11, 1, 15, 0) / 1000;
// [open, high, low, close]; each bar opens at the previous close (and closes elsewhere: the test waits for the close). Two entries (closes of bars 2 and 8), each followed by
// a 5 % trailing stop placed on the next bar's close; the stops are hit on bars 6 and 11, at their level.
const OHLC: [number, number, number, number][] = [
  [100, 101, 99, 100], [100, 101, 99, 100], [100, 102, 99, 101], [101, 104, 100, 103], [103, 110, 102, 108],
  [108, 109, 105, 106], [106, 107, 104.5, 105], [105, 106, 104, 105.5], [105.5, 107, 104, 106], [106, 108, 105, 107],
  [107, 120, 106, 118], [118, 119, 114, 115], [115, 116, 114, 115.5],
];
const BARS: Bar[] = OHLC.map(([open, high, low, close], i) => ({ time: T0 + i * 60, open, high, low, close, volume: 1000 }));
const ENTRIES = new Set([T0 + 2 * 60, T0 + 8 * 60]);

/** Buys 10 at an entry bar's close; once long, protects the position with a 5 % trailing stop. */
function enterAndTrail(): Strategy {
  let stopWorking = false;
  return {
    next(ctx) {
      if (ENTRIES.has(ctx.time()) && ctx.position === 0) ctx.buy({ size: 10 });
      else if (ctx.position > 0 && !stopWorking) {
        ctx.sell({ type: 'trailing-stop', trail: 0.05, size: 10 });
        stopWorking = true;
      }
    },
    onOrderUpdate(u) {
      if (u.order.type === 'trailing-stop' && u.status !== 'accepted') stopWorking = false;
    },
  };
}

function engineRun() {
  const col = (k: keyof Bar) => Float64Array.from(BARS, (b) => b[k]);
  const data: BarArrays = { time: col('time'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') };
  const s = enterAndTrail();
  const orders: { side: string; type: string; size: number; trail: number | null }[] = [];
  const hook = s.onOrderUpdate!;
  s.onOrderUpdate = (u, ctx) => {
    if (u.status === 'accepted') orders.push({ side: u.order.side, type: u.order.type ?? 'market', size: Number(u.order.size), trail: u.order.trail ?? null });
    hook(u, ctx);
  };
  const result = runBacktest(data, s, { cash: 1_000_000 });
  return { orders, fills: result.fills.map((f) => ({ side: f.side, size: f.size, price: f.price })) };
}

const IB_TYPE: Record<string, string> = { MKT: 'market', TRAIL: 'trailing-stop' };

describe('a live strategy with a trailing stop on the IB simulator account', () => {
  it('places the same orders and gets the same fills as the backtest over the same bars', async () => {
    sim = await startSim();
    const s = sim;
    term = openTerminal(tempDb(), s.port);
    await term.connect();
    await waitReady(term);
    const { trading, account, session } = term.sessions.active();
    const accountId = session.accountId;
    const store = term.store;
    // The simulator's quote: bid = ask = last, so fills happen at the price the bar passes through.
    const tick = (p: number) => s.setQuote('AAPL', { bid: p, ask: p, last: p });
    tick(BARS[0]!.open);
    await waitUntil('the first quote', () => session.market.lastQuote('AAPL')?.last === BARS[0]!.open);

    // The runner's clock walks the bars; bars come from the replayed list (closed ones only), quotes from IB.
    const clock = new ManualClock((T0 + 60) * 1000);
    const ib = session.market;
    const market: MarketData = {
      name: 'replay', instruments: () => ib.instruments(), instrument: (x) => ib.instrument(x), lastQuote: (x) => ib.lastQuote(x),
      isOpen: () => true, onQuote: (l) => ib.onQuote(l), start: () => undefined, dispose: () => undefined,
      history: async (symbol, _tf, limit = 2000) => (symbol === 'AAPL' ? BARS.filter((b) => b.time * 1000 < clock.now()).slice(-limit) : []),
    };
    runner = new StrategyRunner({
      store, market, accounts: singleAccount({ trading, account, live: false }), clock, logger: createLogger({ level: 'silent' }),
      historyBars: 20, create: () => enterAndTrail(),
    });
    const booked = async () => (await store.fills.list({ accountId, limit: 1000 })).length === s.executions().length;
    // Bar 0 has closed: it is warm-up; the strategy acts from bar 1 on.
    const started = await runner.start({ strategy: 'sma-cross', symbols: ['AAPL'], timeframe: '1m', params: {} });
    expect(started).toMatchObject({ status: 'running', accountId, lastBarTime: T0 });
    for (let i = 1; i < BARS.length; i++) {
      const b = BARS[i]!;
      for (const p of [b.open, b.low, b.high, b.close]) tick(p);
      await waitUntil('the ticks to reach the terminal', () => ib.lastQuote('AAPL')?.last === b.close);
      await waitUntil('every execution to be booked', booked);
      // The bar closes: the strategy sees it and sends what it decides; each order reaches the simulator before the next bar.
      clock.set((b.time + 60) * 1000);
      await runner.poll();
      const placed = (await store.orders.list({ accountId, limit: 1000 })).filter((o) => o.source === 'strategy');
      await waitUntil('the orders to reach the simulator', () => s.allOrders().length === placed.length);
      await waitUntil('every execution to be booked', booked);
      await trading.idle();
    }
    const live = runner.list()[0]!;
    expect(live.status).toBe('running');
    expect(live.message).toBeNull();

    const engine = engineRun();
    expect(engine.orders.filter((o) => o.type === 'trailing-stop')).toHaveLength(2); // the test means something only if both stops were placed
    expect(engine.fills).toHaveLength(4);
    // The orders the venue received, in the order sent: side, type, quantity and trail.
    const venueOrders = s.allOrders().sort((a, b) => a.orderId - b.orderId)
      .map((o) => ({ side: o.action.toLowerCase(), type: IB_TYPE[o.orderType] ?? o.orderType, size: o.totalQuantity, trail: o.trailingPercent !== undefined ? o.trailingPercent / 100 : null }));
    expect(venueOrders).toEqual(engine.orders);
    // The fills booked in our database (from IB's executions), in time order.
    const fills = (await store.fills.list({ accountId, limit: 1000 })).sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
    expect(fills.map((f) => ({ side: f.side, size: f.quantity }))).toEqual(engine.fills.map(({ side, size }) => ({ side, size })));
    fills.forEach((f, k) => expect(f.price).toBeCloseTo(engine.fills[k]!.price, 6));
    // Flat at the end in both worlds; the strategy's own bookkeeping agrees with the account.
    expect((await store.positions.get(accountId, 'AAPL'))?.quantity ?? 0).toBe(0);
    expect(live.positions['AAPL']).toBe(0);
    expect(live.orders).toBe(4);
  }, 60_000);
});
