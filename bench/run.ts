// `npm run bench [-- --json]`: named performance figures. A registry, so later work adds its own benchmarks.
// Figures are reported, never asserted: timings belong here, not in tests.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoMarket } from '../src-main/adapters/demo/market';
import { createPaperBroker } from '../src-main/adapters/paper/broker';
import { openSqliteStore } from '../src-main/adapters/sqlite/store';
import { createLogger } from '../src-main/logging';
import { ManualClock } from '../src-main/ports/clock';
import { AccountService } from '../src-main/services/account';
import { TradingService } from '../src-main/services/trading';
import { AppMetrics, timedStore } from '../src-main/services/app-metrics';
import { runBacktest } from '../src-main/domain/backtest/engine';
import { parseBarsCsv } from '../src-main/domain/data/csv';
import type { BarArrays } from '../src-main/domain/backtest/types';
import { ema, rsi, sma } from '../src-shared/domain/indicators/batch';
import { smaCross } from '../src-main/domain/strategies/sma-cross';
import { syntheticBars } from './synthetic';
import { createBacktestPool, optimize } from '../src-main/services/optimizer';
import { ingestBars } from '../src-main/services/market-data/bar-ingest';
import { IbDataClient } from '../src-main/adapters/ib/data';
import { TwsSimulator } from '../tools/tws-sim/simulator';
import { TestIbHandle } from '../tests/ib/handle';
import { syntheticCsv } from '../tests/support/synthetic-csv';
import { repoRoot, startHost } from '../tests/support/web-host';
import WebSocket from 'ws';
import { MAX_IMPORT_BYTES } from '../src-shared/api/limits';
import { portfolioBench, portfolioStoreBench } from './portfolio';
import { riskBench } from './risk';
import { factorsBench } from './factors';

type Figure = { name: string; value: number; unit: string; note: string };

/** 300 market orders placed and filled through the trading service on SQLite; with `metrics`, as the app wires them. */
async function ordersFilledPerSecond(metricsOn: boolean, storeCalls?: { n: number; events: number }): Promise<number> {
  const dir = temp();
  const clock = new ManualClock(Date.parse('2026-11-30T15:00:00Z'));
  const raw = openSqliteStore({ file: join(dir, 'q.db') });
  const metrics = metricsOn ? new AppMetrics(clock) : undefined;
  // With `storeCalls`, every store call is counted (a dry run for the per-order cost of timing them).
  const base = storeCalls ? timedStore(raw, () => storeCalls.n++) : raw;
  const store = metrics ? timedStore(base, (statement, seconds) => metrics.observeStatement(statement, seconds)) : base;
  const market = createDemoMarket({ clock, seed: 1 });
  const broker = createPaperBroker({ market, clock });
  const account = new AccountService({ store, market, clock, accountId: 'B', broker: 'paper', currency: 'USD', initialCash: 1e9 });
  await account.ensureAccount();
  const trading = new TradingService({
    store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
    limits: { maxPositionSize: 1, maxOrderNotional: 1e12, priceCollarPct: 1, maxDailyTrades: 1e9 },
  });
  if (metrics) trading.on((e) => (e.kind === 'order' ? metrics.observeOrder(e.order) : e.kind === 'fill' ? metrics.observeFill('paper') : undefined));
  const n = 300;
  let filled = 0;
  const done = new Promise<void>((resolve) => trading.on((e) => e.kind === 'fill' && ++filled === n && resolve()));
  if (storeCalls) {
    storeCalls.n = storeCalls.events = 0;
    trading.on((e) => void ((e.kind === 'order' || e.kind === 'fill') && storeCalls.events++));
  }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await trading.placeOrder({ symbol: 'BTCUSD', side: i % 2 ? 'sell' : 'buy', type: 'market', quantity: 0.001, timeInForce: 'day' });
  await done;
  const s = (performance.now() - t0) / 1000;
  trading.dispose();
  broker.dispose();
  market.dispose();
  raw.dispose();
  metrics?.dispose();
  rmSync(dir, { recursive: true, force: true });
  return n / s;
}
/**
 * What metrics add per store call and per order event, in µs: an async store method called through timedStore into
 * AppMetrics.observeStatement against the same method called bare (alternating batches, fastest of each), and
 * observeOrder/observeFill alone.
 */
function metricsCostPerCall(): { storeCallUs: number; eventUs: number } {
  const metrics = new AppMetrics(new ManualClock(0));
  const repo = { orders: { get: (id: string) => Promise.resolve(id) } };
  const timed = timedStore(repo, (statement, seconds) => metrics.observeStatement(statement, seconds));
  const n = 100_000;
  const batch = (r: typeof repo) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) void r.orders.get('x');
    return (performance.now() - t0) / n;
  };
  let bare = Infinity;
  let withTiming = Infinity;
  for (let i = 0; i < 10; i++) {
    bare = Math.min(bare, batch(repo));
    withTiming = Math.min(withTiming, batch(timed));
  }
  const order = { status: 'submitted', rejectReason: null } as unknown as Parameters<AppMetrics['observeOrder']>[0];
  let event = Infinity;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    for (let j = 0; j < n; j++) {
      if (j % 2) metrics.observeOrder(order);
      else metrics.observeFill('paper');
    }
    event = Math.min(event, (performance.now() - t0) / n);
  }
  metrics.dispose();
  return { storeCallUs: Math.max(0, withTiming - bare) * 1000, eventUs: event * 1000 };
}
type Bench = () => Promise<Figure[]>;

const NOW = Date.parse('2026-11-24T19:00:00Z');
const temp = () => mkdtempSync(join(tmpdir(), 'qc-bench-'));

/**
 * A timing once it has settled, in ms: `fn` runs until its last `k` timings agree within `tolerance` (max − min over
 * their median), and the median of those is the figure. A fixed number of warm-up calls was not enough: V8 first runs
 * a long loop as on-stack-replacement code and swaps in the function's own optimised code only later, at a point that
 * varies (the SMA into a reused buffer measured 5.2 ms on some runs and 3.2 ms on others). Gives up after `maxMs` of
 * runs (a busy machine may never settle) and then says so on stderr; the median of the last k is still reported.
 */
export function settled(name: string, fn: () => void, { k = 5, tolerance = 0.05, maxMs = 20_000, minRuns = 10 } = {}): number {
  const times: number[] = [];
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    if (times.length >= Math.max(k, minRuns)) {
      const last = times.slice(-k).sort((a, b) => a - b);
      const median = last[k >> 1]!;
      if ((last[k - 1]! - last[0]!) / median <= tolerance) return median;
      if (performance.now() - start > maxMs) {
        process.stderr.write(`${name}: did not settle within ${maxMs / 1000} s (${times.length} runs; last ${k} from ${last[0]!.toFixed(1)} to ${last[k - 1]!.toFixed(1)} ms)\n`);
        return median;
      }
    }
  }
}

/** 1M OHLCV rows as a CSV file's text, as exports write them (a date-time, prices with 4 decimals, a volume). */
function ohlcvText(d: BarArrays): string {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < d.time.length; i++) {
    lines.push(`${new Date(d.time[i]! * 1000).toISOString().slice(0, 19).replace('T', ' ')},${d.open[i]!.toFixed(4)},${d.high[i]!.toFixed(4)},${d.low[i]!.toFixed(4)},${d.close[i]!.toFixed(4)},${d.volume[i]}`);
  }
  return lines.join('\n');
}

/** A WebSocket client of the running host: call() resolves with the answer frame. */
async function hostClient(port: number, token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let next = 1;
  const pending = new Map<number, (f: { result?: unknown; error?: { code: string } }) => void>();
  ws.on('message', (m) => {
    const f = JSON.parse(String(m)) as { id?: number };
    if (f.id !== undefined) pending.get(f.id)?.(f as never);
  });
  return {
    call: (method: string, params: unknown) => new Promise<{ result?: unknown; error?: { code: string } }>((r) => {
      const id = next++;
      pending.set(id, r);
      ws.send(JSON.stringify({ id, method, params }));
    }),
    close: () => ws.terminate(),
  };
}

/** app.info round trips of one client, back to back, until `done()`: their latencies in ms. */
async function latencies(client: Awaited<ReturnType<typeof hostClient>>, done: () => boolean, minimum = 0): Promise<number[]> {
  const out: number[] = [];
  while (!done() || out.length < minimum) {
    const t0 = performance.now();
    await client.call('app.info', {});
    out.push(performance.now() - t0);
  }
  return out;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

const benchmarks: Record<string, Bench> = {
  /** The running web host (out/main/web.js, `npm run build` first): a cheap request's latency while another client imports the largest file allowed or sends a 10,000-order burst. */
  async webHost() {
    if (!existsSync(join(repoRoot, 'out/main/web.js'))) {
      process.stderr.write('webHost: skipped, the web host is not built (npm run build)\n');
      return [];
    }
    const host = await startHost();
    try {
      const a = await hostClient(host.port, host.token);
      const b = await hostClient(host.port, host.token);
      await a.call('data.csvPreview', { text: 'Date,Close\n2024-01-02,1', rows: 1 });
      const idle = await latencies(b, () => true, 200);

      const { text, rows } = syntheticCsv(MAX_IMPORT_BYTES - 64 * 1024);
      let importDone = false;
      const t0 = performance.now();
      const imported = a.call('data.import', { symbol: 'SYNTH', timeframe: '1m', name: 'synthetic.csv', text, mapping: { time: 0, timeFormat: 'date', open: 1, high: 2, low: 3, close: 4, volume: 5 } })
        .then((r) => ((importDone = true), r));
      const during = await latencies(b, () => importDone);
      const report = (await imported).result as { accepted: number } | undefined;
      const importMs = performance.now() - t0;
      if (report?.accepted !== rows) throw new Error(`bench import: ${JSON.stringify((await imported).error)}`);

      const BURST = 10_000;
      let answered = 0;
      let busy = 0;
      const burst = Promise.all(Array.from({ length: BURST }, () => a.call('orders.place', { symbol: 'AAPL', side: 'buy', type: 'market', quantity: 1 })
        .then((r) => { answered++; if (r.error?.code === 'UNAVAILABLE') busy++; })));
      const duringBurst = await latencies(b, () => answered === BURST);
      await burst;
      a.close();
      b.close();
      return [
        { name: 'web_info_idle_p50_ms', value: quantile(idle, 0.5), unit: 'ms', note: 'app.info round trip on an idle host, 200 calls' },
        { name: 'web_info_during_import_max_ms', value: Math.max(...during), unit: 'ms', note: `app.info of a second client during a ${(text.length / 1048576).toFixed(1)} MB import (${rows} rows), worst of ${during.length}` },
        { name: 'web_info_during_import_p50_ms', value: quantile(during, 0.5), unit: 'ms', note: 'same, median' },
        { name: 'web_import_ms', value: importMs, unit: 'ms', note: 'the import itself, sent to answered (parse and map in the worker, validate and write in main)' },
        { name: 'web_info_during_burst_max_ms', value: Math.max(...duringBurst), unit: 'ms', note: `app.info of a second client while another sends ${BURST} market orders at once (${busy} refused as busy), worst of ${duringBurst.length}` },
        { name: 'web_info_during_burst_p50_ms', value: quantile(duringBurst, 0.5), unit: 'ms', note: 'same, median' },
      ];
    } finally {
      await host.stop();
    }
  },

  async indicators() {
    const x = syntheticBars(1_000_000).close;
    const out = new Float64Array(x.length);
    const note = 'settled: median of the last 5 runs agreeing within 5 %';
    return [
      { name: 'sma_1m_ms', value: settled('sma', () => sma(x, 30, out)), unit: 'ms', note: `SMA(30) over 1M points into a reused output, ${note}` },
      { name: 'ema_1m_ms', value: settled('ema', () => ema(x, 30, out)), unit: 'ms', note: 'EMA(30), same' },
      { name: 'rsi_1m_ms', value: settled('rsi', () => rsi(x, 14, out)), unit: 'ms', note: 'RSI(14), same' },
      { name: 'sma_1m_alloc_ms', value: settled('sma alloc', () => sma(x, 30)), unit: 'ms', note: 'SMA(30) into a new 8 MB array (allocation and page faults included)' },
    ];
  },
  async engine() {
    const data = syntheticBars(1_000_000);
    const ms = settled('engine', () => runBacktest(data, smaCross({ fast: 10, slow: 30 }), { cash: 1e6 }));
    return [{ name: 'engine_bars_per_s', value: 1_000_000 / (ms / 1000), unit: 'bars/s', note: 'SMA cross 10/30, 1M 1-minute bars, one thread, settled (median of the last 5 within 5 %)' }];
  },
  async csv() {
    // The backtest's reading of a file (the file read itself is apart: ≈ 60 MB from the page cache): its bytes, as
    // readBarsCsv passes them; and the same rows as text, as the UI's import sends them.
    const text = ohlcvText(syntheticBars(1_000_000, 5));
    const bytes = new TextEncoder().encode(text);
    const ms = settled('csv', () => parseBarsCsv(bytes, 'bench.csv'), { maxMs: 15_000 });
    const textMs = settled('csv text', () => parseBarsCsv(text, 'bench.csv'), { maxMs: 15_000 });
    return [
      { name: 'csv_parse_rows_per_s', value: 1_000_000 / (ms / 1000), unit: 'rows/s', note: `1M OHLCV rows (${(bytes.length / 1048576).toFixed(0)} MB, the file's bytes) into typed arrays, checked as a backtest does; settled` },
      { name: 'csv_parse_text_rows_per_s', value: 1_000_000 / (textMs / 1000), unit: 'rows/s', note: 'the same rows as text (the UI import sends text); settled' },
    ];
  },
  async sweep() {
    // The issue's own example grid (`optimize --param fast=5:50:5 --param slow=20:200:10`, fast < slow: 174 SMA-cross
    // backtests) over 100k one-minute bars, shared with the workers, not copied per task.
    const data = syntheticBars(100_000, 7);
    const space = { fast: Array.from({ length: 10 }, (_, i) => 5 + 5 * i), slow: Array.from({ length: 19 }, (_, i) => 20 + 10 * i) };
    const valid = (p: Record<string, number | string>) => Number(p['fast']) < Number(p['slow']);
    // The app runs the built worker bundle (`npm run build`); without it the worker loads the source through tsx
    // (same figures within noise, measured).
    const built = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../out/main/backtest-worker.js');
    const workerFile = existsSync(built) ? pathToFileURL(built).href : undefined;
    if (!json) process.stderr.write(`sweep worker: ${workerFile ? 'built bundle (out/main)' : 'from source via tsx (run `npm run build` for the built one)'}\n`);
    // One pool of two threads: a 1-worker sweep runs one task on it, a 2-worker sweep two, so both use the same
    // isolates (V8's optimised code differs from isolate to isolate by up to ≈ 10 %, which two pools would add).
    const pool = createBacktestPool(2, workerFile);
    // Let both threads start, then warm them (JIT, the SMA cache) with two untimed 2-worker sweeps.
    await new Promise((r) => setTimeout(r, 2500));
    for (let k = 0; k < 2; k++) await optimize({ data, strategy: 'sma-cross', space, valid, pool });
    // Nine rounds, each timing one sweep on 1 worker then one on 2, best of each: the machine is shared and its load
    // changes over seconds, so alternating puts both under the same conditions. With each best, the CPU time of the
    // whole process (every thread) per backtest: it stays flat from 1 to 2 workers unless they get in each other's way.
    const best = { 1: { perSecond: 0, cpuMs: 0, faults: 0 }, 2: { perSecond: 0, cpuMs: 0, faults: 0 } };
    for (let round = 0; round < 9; round++) {
      for (const workers of [1, 2] as const) {
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const faults0 = process.resourceUsage().minorPageFault;
        const r = await optimize({ data, strategy: 'sma-cross', space, valid, pool, workers });
        const perSecond = r.evaluated / ((performance.now() - t0) / 1000);
        if (perSecond <= best[workers].perSecond) continue;
        const cpu = process.cpuUsage(cpu0);
        best[workers] = { perSecond, cpuMs: (cpu.user + cpu.system) / 1000 / r.evaluated, faults: (process.resourceUsage().minorPageFault - faults0) / r.evaluated };
      }
    }
    await pool.destroy();
    const [one, two] = [best[1], best[2]];
    return [
      { name: 'sweep_backtests_per_s_1w', value: one.perSecond, unit: '/s', note: '174 backtests × 100k bars, 1 worker, best of 9' },
      { name: 'sweep_backtests_per_s_2w', value: two.perSecond, unit: '/s', note: 'same on 2 workers, rounds alternating with 1' },
      { name: 'sweep_speedup_2w', value: two.perSecond / one.perSecond, unit: '×', note: '2 workers vs 1' },
      { name: 'sweep_cpu_ms_per_backtest_1w', value: one.cpuMs, unit: 'ms', note: 'process CPU time per backtest, 1 worker' },
      { name: 'sweep_cpu_ms_per_backtest_2w', value: two.cpuMs, unit: 'ms', note: 'same on 2 workers (equal to 1w = no contention)' },
      // Page faults take the process-wide memory lock: threads that fault a lot (fresh large buffers) serialise.
      { name: 'sweep_page_faults_per_backtest_2w', value: two.faults, unit: '', note: 'minor page faults of the process per backtest, 2 workers' },
    ];
  },
  async barStore() {
    // 1M one-minute bars into the chunked SQLite bar store (one transaction, WAL, synchronous=FULL), then read back in
    // one range, as Bar objects (the old figure's meaning) and as typed arrays (what backtests read). Best of 3: the
    // machine is shared, so the best run is the one least disturbed. The input objects are released before the reads,
    // so the reads are not timed with two million other objects on the heap for the collector to walk.
    const dir = temp();
    const store = openSqliteStore({ file: join(dir, 'q.db') });
    const ingestRates = async () => {
      const d = syntheticBars(1_000_000, 3);
      const bars = Array.from(d.close, (close, i) => ({ time: d.time[i]!, open: d.open[i]!, high: d.high[i]!, low: d.low[i]!, close, volume: d.volume[i]! }));
      let ingest = 0;
      for (let run = 0; run < 3; run++) {
        const t0 = performance.now();
        await store.bars.upsertMany(`BENCH${run}`, '1m', bars);
        ingest = Math.max(ingest, bars.length / ((performance.now() - t0) / 1000));
      }
      // The path every imported or downloaded bar takes: validation (spikes, stale runs, gaps), write, quarantine.
      const candidates = bars.map((bar, i) => ({ row: i + 1, bar }));
      const t0 = performance.now();
      const checked = await ingestBars(store, { symbol: 'CHECKED', timeframe: '1m', source: 'bench', now: NOW, candidates, session: 'crypto-24x7' });
      return { ingest, validated: checked.accepted / ((performance.now() - t0) / 1000) };
    };
    const { ingest, validated } = await ingestRates();
    let read = 0;
    let readArrays = 0;
    for (let run = 0; run < 3; run++) {
      let t0 = performance.now();
      const cols = await store.bars.rangeArrays(`BENCH${run}`, '1m', 0, 4e9);
      readArrays = Math.max(readArrays, cols.time.length / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      const n = (await store.bars.range(`BENCH${run}`, '1m', 0, 4e9)).length;
      read = Math.max(read, n / ((performance.now() - t0) / 1000));
    }
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
    return [
      { name: 'store_validated_ingest_rows_per_s', value: validated, unit: 'rows/s', note: '1M bars through ingestBars: validation + write + quarantine, one run' },
      { name: 'store_ingest_rows_per_s', value: ingest, unit: 'rows/s', note: '1M bars (Bar objects) into chunks, one transaction, SQLite WAL + synchronous=FULL, best of 3' },
      { name: 'store_read_rows_per_s', value: read, unit: 'rows/s', note: '1M bars as Bar objects, one range query, best of 3' },
      { name: 'store_read_arrays_rows_per_s', value: readArrays, unit: 'rows/s', note: '1M bars as Float64Array columns (BarArrays), one range query, best of 3' },
    ];
  },
  // Issue 13: the investment tracker's valuation and performance (bench/portfolio.ts).
  portfolio: portfolioBench,
  portfolioStore: portfolioStoreBench,
  // Issue 17: the order gate's portfolio what-if and the Monte Carlo VaR (bench/risk.ts).
  risk: riskBench,
  async demoMarket() {
    const t0 = performance.now();
    createDemoMarket({ clock: new ManualClock(NOW), seed: 42 }).dispose();
    return [{ name: 'demo_market_startup_ms', value: performance.now() - t0, unit: 'ms', note: '12 instruments, 1-minute walk from 2025-01-01 to 2026-11-24' }];
  },
  async auditLog() {
    const dir = temp();
    const store = openSqliteStore({ file: join(dir, 'q.db') });
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await store.audit.append({ time: i, kind: 'bench', orderId: null, payload: { i } });
    const s = (performance.now() - t0) / 1000;
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
    return [{ name: 'audit_appends_per_s', value: n / s, unit: '/s', note: 'each append durable (WAL, synchronous=FULL)' }];
  },
  async orderRoundTrip() {
    // Alternating rounds without and with the app's metrics (a timed store and the order/fill counters, as
    // src-main/app.ts wires them). The machine is shared and every order fsyncs its journal, so rounds spread by
    // ±20 %: the wall-time ratio cannot resolve a cost of a few percent. The cost itself is therefore also measured
    // directly: what timing one store call and counting one order event adds, times how many of each an order makes.
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < 6; round++) {
      off.push(await ordersFilledPerSecond(false));
      on.push(await ordersFilledPerSecond(true));
    }
    const ratios = on.map((x, i) => x / off[i]!).sort((a, b) => a - b);
    const counts = { n: 0, events: 0 };
    await ordersFilledPerSecond(false, counts);
    const callsPerOrder = counts.n / 300;
    const eventsPerOrder = counts.events / 300;
    const cost = metricsCostPerCall();
    const costUs = callsPerOrder * cost.storeCallUs + eventsPerOrder * cost.eventUs;
    const roundTripUs = 1e6 / Math.max(...off);
    return [
      { name: 'orders_filled_per_s', value: Math.max(...off), unit: '/s', note: 'intent → risk → submit → ack → fill, journaled on SQLite; best of 6' },
      { name: 'orders_filled_per_s_metrics_on', value: Math.max(...on), unit: '/s', note: 'the same with metrics on (store calls timed, orders and fills counted); best of 6, rounds alternating' },
      { name: 'metrics_on_ratio', value: ratios[Math.floor(ratios.length / 2)]!, unit: '×', note: `median of the six rounds' on ÷ off (range ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}: the rounds' noise)` },
      { name: 'metrics_cost_us_per_order', value: costUs, unit: 'µs', note: `${callsPerOrder.toFixed(1)} store calls × ${cost.storeCallUs.toFixed(2)} µs timed + ${eventsPerOrder.toFixed(1)} order/fill events × ${cost.eventUs.toFixed(2)} µs counted: ${((costUs / roundTripUs) * 100).toFixed(2)} % of the ${(roundTripUs / 1000).toFixed(2)} ms round trip` },
    ];
  },
  async backupDuringOrders() {
    // Issue 18: the online backup (better-sqlite3's backup API on the writing connection) of a database holding 1M
    // 1-minute bars, while market orders keep being placed and filled on the same store.
    const dir = temp();
    const clock = new ManualClock(Date.parse('2026-11-30T15:00:00Z'));
    const store = openSqliteStore({ file: join(dir, 'q.db') });
    const d = syntheticBars(1_000_000, 3);
    const bars = Array.from({ length: d.time.length }, (_, i) => ({ time: d.time[i]!, open: d.open[i]!, high: d.high[i]!, low: d.low[i]!, close: d.close[i]!, volume: d.volume[i]! }));
    await store.bars.upsertMany('SYNTH', '1m', bars);
    const market = createDemoMarket({ clock, seed: 1 });
    const broker = createPaperBroker({ market, clock });
    const account = new AccountService({ store, market, clock, accountId: 'B', broker: 'paper', currency: 'USD', initialCash: 1e9 });
    await account.ensureAccount();
    const trading = new TradingService({
      store, broker, market, clock, account, logger: createLogger({ level: 'silent' }), configKillSwitch: false,
      limits: { maxPositionSize: 1, maxOrderNotional: 1e12, priceCollarPct: 1, maxDailyTrades: 1e9 },
    });
    let fills = 0;
    trading.on((e) => void (e.kind === 'fill' && fills++));
    let placing = true;
    let placed = 0;
    const orders = (async () => {
      while (placing) {
        await trading.placeOrder({ symbol: 'BTCUSD', side: placed % 2 ? 'sell' : 'buy', type: 'market', quantity: 0.001, timeInForce: 'day' });
        placed++;
      }
    })();
    const t0 = performance.now();
    const { bytes } = await store.backup(join(dir, 'backup.sqlite'));
    const s = (performance.now() - t0) / 1000;
    placing = false;
    await orders;
    trading.dispose();
    broker.dispose();
    market.dispose();
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
    return [
      { name: 'backup_mb_per_s', value: bytes / 1048576 / s, unit: 'MB/s', note: `online backup of a ${(bytes / 1048576).toFixed(0)} MB database (1M bars) while market orders are placed: ${placed} placed, ${fills} filled during it` },
      { name: 'orders_filled_per_s_during_backup', value: fills / s, unit: '/s', note: 'fills journaled while the backup ran (compare orders_filled_per_s)' },
    ];
  },
  async ibData() {
    // The IB data client fed by the TWS simulator over local TCP, both in this process (the figure covers encoding,
    // the socket, @stoqey/ib's decoder and our quote assembly).
    const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0 });
    const handle = new TestIbHandle(await sim.start());
    await handle.connect();
    const client = new IbDataClient(handle, { marketDataType: 'live' });
    const symbols = ['AAPL', 'MSFT', 'SPY', 'IBM', 'TSLA', 'NVDA', 'AMZN', 'GOOGL', 'EURUSD', 'GBPUSD', 'USDJPY', 'AUDUSD'];
    let quotes = 0;
    const sub = client.subscribe(symbols, () => quotes++);
    while (client.status().subscriptions.some((l) => l.state !== 'streaming')) await new Promise((r) => setTimeout(r, 5));
    const tick = () => new Promise<void>((r) => setImmediate(r));
    quotes = 0;
    let t0 = performance.now();
    while (performance.now() - t0 < 2000) {
      sim.tick();
      await tick();
    }
    const quoteRate = quotes / ((performance.now() - t0) / 1000);
    const now = Math.floor(Date.now() / 1000);
    t0 = performance.now();
    const bars = await Promise.all(['AAPL', 'EURUSD', 'MSFT'].map((symbol) => client.history({ symbol, timeframe: '1m', from: now - 7 * 86400, to: now })));
    const barRate = bars.reduce((n, b) => n + b.length, 0) / ((performance.now() - t0) / 1000);
    void sub.dispose();
    client.dispose();
    handle.dispose();
    await sim.close();
    return [
      { name: 'ib_quotes_per_s', value: quoteRate, unit: 'quotes/s', note: '12 lines from the TWS simulator over TCP, real @stoqey/ib decoder' },
      { name: 'ib_history_bars_per_s', value: barRate, unit: 'bars/s', note: '3 symbols × 7 days of 1-minute bars from the simulator (3 paced requests each)' },
    ];
  },
};

// Issue 16: the screener and factor validation (bench/factors.ts).
benchmarks['factors'] = () => factorsBench(settled);

const json = process.argv.includes('--json');
const figures: Figure[] = [];
// `--only name[,name]` runs a subset (names of the registry: indicators, engine, sweep, barStore, …).
const onlyArg = process.argv.find((a, i) => process.argv[i - 1] === '--only');
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
for (const [name, bench] of Object.entries(benchmarks)) {
  if (only && !only.has(name)) continue;
  if (!json) process.stderr.write(`running ${name}…\n`);
  figures.push(...(await bench()));
}
if (json) process.stdout.write(`${JSON.stringify(Object.fromEntries(figures.map((f) => [f.name, Number(f.value.toFixed(2))])))}\n`);
else console.table(figures.map((f) => ({ figure: f.name, value: f.value.toFixed(Math.abs(f.value) < 10 ? 2 : 1), unit: f.unit, note: f.note })));
