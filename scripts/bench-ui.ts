// `npm run bench:ui [-- --seconds 20]`: the UI's figures in Chromium through the real web host (issue 15, item 8).
//  1. First frame of 100k candles: lightweight-charts (the app's chart library, loaded into the app's own page) given
//     100,000 candles and their volumes; from createChart to the frame that draws them. Goal ≤ 500 ms. One run first
//     that is not counted: the copy loaded for the bench starts cold, where the app's own copy of the library has been
//     compiled and optimised by the charts it already drew (the first runs measured V8 compiling it: 1,313 ms falling
//     to 506 ms within five runs).
//  2. Tick-to-paint under load: the host pushes 1,000 quotes/s over 50 symbols (test-only tick source, QC_TEST_FAULTS
//     tick-flood=1000:50); the app shows a 4-chart layout and a 50-symbol watchlist. Latency = from the moment the host
//     sent a quote (its `time`) to just after the first frame drawn once the renderer handled it. Goal p99 < 50 ms.
//  3. Long tasks (PerformanceObserver 'longtask', > 50 ms) during that load. Goal: none.
//  4. Where the renderer's time goes under that load, figures that wall-clock noise on a shared machine does not blur:
//     the main thread's CPU time (CDP Performance.getMetrics: script, layout, style, task) per 1,000 quotes received
//     over the measured seconds, then a CPU profile (CDP Profiler) over a few more seconds: its top self-time functions.
//     `--profile-out file.cpuprofile` keeps the profile (open it in Chrome DevTools).
// Prints one JSON object with the figures and their ratios to the goals. No assertions: a measurement, not a test.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { CDPSession, Page } from 'playwright-core';
import type { Watchlist } from '../src-shared/api/watchlists';
import type { Instrument } from '../src-shared/domain/types';
import { launchBrowser } from '../tests/support/browser';
import { connect } from '../tests/support/host-process';
import { repoRoot, startHost } from '../tests/support/web-host';

const opts = new Command('bench:ui')
  .option('--seconds <n>', 'seconds of measured load', (v) => Number(v), 20)
  .option('--candles <n>', 'candles for the first frame', (v) => Number(v), 100_000)
  .option('--profile-seconds <n>', 'seconds of CPU profile after the measured load (0: none)', (v) => Number(v), 8)
  .option('--profile-out <file>', 'write the CPU profile there (.cpuprofile)')
  .option('--trace-out <file>', 'after the measured load, record a Chromium trace of 5 s there (open it in chrome://tracing or Perfetto)')
  .option('--parts <list>', 'which figures: library (first frame, the library alone), backtest (first frame, the app), load', 'library,backtest,load')
  .option('--static-dir <dir>', 'another build of the renderer to measure (e.g. a copy of out/renderer from an older commit)')
  .parse()
  .opts<{ seconds: number; candles: number; profileSeconds: number; profileOut?: string; traceOut?: string; staticDir?: string; parts: string }>();
const parts = new Set(opts.parts.split(','));

const RATE = 1000;
const SYMBOLS = 50;
const CHART_SYMBOLS = ['AAPL', 'MSFT', 'EURUSD', 'BTCUSD'];
// The package exports no path to its standalone build: read from node_modules.
const standalone = join(repoRoot, 'node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js');

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** CPU seconds used so far by the browser's renderer processes (CDP SystemInfo.getProcessInfo; one page is open). */
async function rendererCpuSeconds(cdp: CDPSession): Promise<number> {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return processInfo.filter((p) => p.type === 'renderer').reduce((a, p) => a + p.cpuTime, 0);
}

/** The renderer main thread's cumulative CPU seconds by kind (CDP Performance.getMetrics). */
type CpuMetrics = Record<'ScriptDuration' | 'LayoutDuration' | 'RecalcStyleDuration' | 'TaskDuration', number>;
async function cpuMetrics(cdp: CDPSession): Promise<CpuMetrics> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { ScriptDuration: get('ScriptDuration'), LayoutDuration: get('LayoutDuration'), RecalcStyleDuration: get('RecalcStyleDuration'), TaskDuration: get('TaskDuration') };
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }
type Locate = (url: string, line: number, column: number) => { file: string; line: number; name: string | null } | undefined;

/** Maps positions in the built renderer back to its sources when the build has source maps (`electron-vite build
 * --sourcemap`, as `npm run bench:ui` does); without them the minified names and positions are shown. */
async function sourceLocator(): Promise<Locate> {
  let traceMapping: typeof import('@jridgewell/trace-mapping');
  try {
    // Comes with the build tools (not a dependency of ours): used only when present.
    traceMapping = await import('@jridgewell/trace-mapping');
  } catch {
    return () => undefined;
  }
  const maps = new Map<string, InstanceType<typeof traceMapping.TraceMap> | null>();
  return (url, line, column) => {
    let path: string;
    try {
      path = join(opts.staticDir ?? join(repoRoot, 'out/renderer'), new URL(url).pathname);
    } catch {
      return undefined;
    }
    if (!maps.has(path)) maps.set(path, existsSync(`${path}.map`) ? new traceMapping.TraceMap(readFileSync(`${path}.map`, 'utf8')) : null);
    const map = maps.get(path);
    if (!map) return undefined;
    const p = traceMapping.originalPositionFor(map, { line: line + 1, column });
    return p.source ? { file: p.source.replace(/^(\.\.\/)+/, ''), line: p.line ?? 0, name: p.name } : undefined;
  };
}

/** Self time per function of a CDP CPU profile (samples × their time deltas), largest first. */
function topSelfTime(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number }, n: number, locate: Locate) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const f = byId.get(samples[i]!)!.callFrame;
    const at = f.url ? locate(f.url, f.lineNumber, f.columnNumber) : undefined;
    const file = at ? `${at.file}:${at.line}` : f.url ? `${f.url.replace(/^.*\//, '').replace(/\?.*$/, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${file}`.trim();
    // A sample's time is the delta to the next one.
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  return [...self.entries()]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, ms]) => ({ fn, selfMs: round(ms), share: round(ms / total, 3) }));
}

async function openTerminal(page: Page, url: string): Promise<void> {
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Chart', exact: true }).click();
}

const browser = await launchBrowser();
// The machine's state with the figures: on a shared machine they measure the contention as much as the app.
const result: Record<string, unknown> = { cpus: cpus().length, loadAverageAtStart: loadavg().map((l) => round(l, 2)) };
try {
  // 1. First frame of 100k candles, five runs in a fresh chart each.
  if (parts.has('library')) {
    const host = await startHost();
    try {
      // The library is added to the page as a script of its own: past the app's CSP (script-src 'self') for this page only.
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
      await openTerminal(page, host.url);
      await page.addScriptTag({ path: standalone });
      const runs: number[] = [];
      let warmUpMs = 0;
      for (let i = 0; i < 6; i++) {
        const ms = await page.evaluate(async (n) => {
          const lc = (window as unknown as { LightweightCharts: typeof import('lightweight-charts') }).LightweightCharts;
          const bars = [];
          const vols = [];
          let price = 100;
          const t0 = 1_600_000_000;
          for (let k = 0; k < n; k++) {
            const open = price;
            price = Math.max(1, price * (1 + (Math.sin(k * 12.9898) * 43758.5453 % 1) * 0.004));
            const high = Math.max(open, price) * 1.001;
            const low = Math.min(open, price) * 0.999;
            bars.push({ time: (t0 + k * 60) as import('lightweight-charts').UTCTimestamp, open, high, low, close: price });
            vols.push({ time: (t0 + k * 60) as import('lightweight-charts').UTCTimestamp, value: 1000 + (k % 97) * 10 });
          }
          const el = document.createElement('div');
          el.style.cssText = 'position:fixed;left:180px;top:120px;width:900px;height:600px;z-index:100;background:#111';
          document.body.appendChild(el);
          const started = performance.now();
          const chart = lc.createChart(el, { autoSize: false, width: 900, height: 600 });
          const candles = chart.addSeries(lc.CandlestickSeries, {});
          const volume = chart.addSeries(lc.HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' } });
          candles.setData(bars);
          volume.setData(vols);
          // The chart draws in its own animation frame, scheduled by setData; this one is queued after it, and the
          // timeout after that frame runs once it is painted.
          const drawn = await new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
          chart.remove();
          el.remove();
          return drawn - started;
        }, opts.candles);
        if (i === 0) warmUpMs = ms;
        else runs.push(ms);
      }
      await page.close();
      const median = quantile(runs, 0.5);
      result['firstFrame'] = { candles: opts.candles, warmUpRunMs: round(warmUpMs), runsMs: runs.map((r) => round(r)), medianMs: round(median), maxMs: round(Math.max(...runs)), goalMs: 500, ratioToGoal: round(median / 500, 2) };
    } finally {
      await host.stop();
    }
  }

  // 1b. The app's own 100k candles: a backtest over a CSV file of 100,000 one-minute bars, run from the Backtests
  // screen; from the moment its result reaches the page (the WebSocket message, before the renderer parses it) to just
  // after the first frame that draws the result's charts. One uncounted warm-up run, then five.
  if (parts.has('backtest')) {
    const host = await startHost({ args: opts.staticDir ? ['--static-dir', opts.staticDir] : [] });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(() => {
        const probe = { arrived: 0, bytes: 0 };
        (window as unknown as { __bt: typeof probe }).__bt = probe;
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(...args: ConstructorParameters<typeof WebSocket>) {
            super(...args);
            // Added before the app's own listener: runs first.
            this.addEventListener('message', (e: MessageEvent) => {
              if (typeof e.data === 'string' && e.data.length > 1_000_000) {
                probe.arrived = performance.now();
                probe.bytes = e.data.length;
              }
            });
          }
        };
      });
      await openTerminal(page, host.url);
      await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Backtests', exact: true }).click();
      await page.getByLabel('Data source').selectOption('csv');
      await page.getByLabel('CSV file').setInputFiles({ name: 'bench-100k.csv', mimeType: 'text/csv', buffer: Buffer.from(minuteBarsCsv(opts.candles)) });
      // The form reads the file asynchronously; a run before it is read would be refused.
      await page.getByText('Read bench-100k.csv').waitFor();
      const runs: number[] = [];
      let warmUpMs = 0;
      let bytes = 0;
      for (let i = 0; i < 6; i++) {
        // Armed before the run: the first canvas the price chart gains, then the frame after the library's first draw
        // (its frame is requested while the chart is built, before this observer's callback runs).
        await page.evaluate(() => {
          const w = window as unknown as { __bt: { arrived: number }; __btDone: Promise<number> };
          w.__bt.arrived = 0;
          w.__btDone = new Promise<number>((resolve) => {
            const seen = new MutationObserver((records) => {
              const added = records.some((r) => [...r.addedNodes].some((n) => n instanceof Element && n.closest('[aria-label="Price with trades"]')));
              if (!added || w.__bt.arrived === 0) return;
              seen.disconnect();
              requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - w.__bt.arrived), 0));
            });
            seen.observe(document.body, { childList: true, subtree: true });
          });
        });
        await page.getByRole('button', { name: 'Run backtest' }).click();
        const ms = await page.evaluate(() => (window as unknown as { __btDone: Promise<number> }).__btDone);
        bytes = await page.evaluate(() => (window as unknown as { __bt: { bytes: number } }).__bt.bytes);
        if (i === 0) warmUpMs = ms;
        else runs.push(ms);
      }
      const trades = await page.getByRole('table', { name: 'Metrics' }).getByRole('row', { name: /^Trades/ }).textContent();
      await page.close();
      const median = quantile(runs, 0.5);
      result['firstFrameBacktest'] = {
        bars: opts.candles, resultMegabytes: round(bytes / 1e6, 1), tradesRow: trades?.trim(), warmUpRunMs: round(warmUpMs), runsMs: runs.map((r) => round(r)),
        medianMs: round(median), maxMs: round(Math.max(...runs)), goalMs: 500, ratioToGoal: round(median / 500, 2),
      };
    } finally {
      await host.stop();
    }
  }

  // 2 and 3. Tick-to-paint and long tasks under 1,000 ticks/s over 50 symbols, 4 charts, a 50-symbol watchlist.
  if (parts.has('load')) {
    // NODE_ENV=production as in the packaged app: a development host also validates every pushed event with zod.
    const host = await startHost({ env: { QC_TEST_FAULTS: `tick-flood=${RATE}:${SYMBOLS}`, NODE_ENV: 'production' }, args: opts.staticDir ? ['--static-dir', opts.staticDir] : [] });
    try {
      const api = await connect(host.port, host.token);
      const instruments = ((await api.call('instruments.list', {})) as Instrument[]).map((i) => i.symbol).slice(0, SYMBOLS);
      const symbols = [...instruments];
      for (let i = symbols.length; i < SYMBOLS; i++) symbols.push(`BENCH${String(i + 1).padStart(2, '0')}`);
      const [list] = (await api.call('watchlists.list', {})) as Watchlist[];
      await api.call('watchlists.addSymbols', { id: list!.id, symbols });
      api.close();

      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.addInitScript(({ panes }) => {
        localStorage.setItem('qc.workspace', JSON.stringify({ layout: 4, panes, active: 0, linked: false }));
        const bench = { on: false, latencies: [] as number[], longTasks: [] as { start: number; duration: number }[], quotes: 0, frames: 0, pending: [] as number[], frameQueued: false, framesFromFrames: 0 };
        (window as unknown as { __bench: typeof bench }).__bench = bench;
        // The latency is taken at the first frame after a quote is handled: true only if nothing the app does for it
        // waits for a later frame. A frame requested from inside a frame's callbacks (or their microtasks) runs a frame
        // later: counted, so such a hop shows in the figures instead of hiding in them.
        const nativeFrame = window.requestAnimationFrame.bind(window);
        let inFrame = false;
        window.requestAnimationFrame = (callback) => {
          if (inFrame && bench.on) bench.framesFromFrames++;
          return nativeFrame((t) => {
            inFrame = true;
            try {
              callback(t);
            } finally {
              // After the microtasks the callback queued (a React render it caused runs in one).
              queueMicrotask(() => (inFrame = false));
            }
          });
        };
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (bench.on) bench.longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: false });
        const Native = window.WebSocket;
        // The app's socket, with one more listener (registered first, so it sees each message before the app does).
        window.WebSocket = class extends Native {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(url, protocols);
            this.addEventListener('message', (m) => {
              if (!bench.on || typeof m.data !== 'string') return;
              // A quote alone, or the quotes of a burst in one `batch` frame.
              let times: number[] = [];
              if (m.data.startsWith('{"event":"quote"')) times = [(JSON.parse(m.data) as { data: { time: number } }).data.time];
              else if (m.data.startsWith('{"batch":')) times = (JSON.parse(m.data) as { batch: { event: string; data: { time: number } }[] }).batch.filter((e) => e.event === 'quote').map((e) => e.data.time);
              if (times.length === 0) return;
              bench.quotes += times.length;
              bench.pending.push(...times);
              if (bench.frameQueued) return;
              bench.frameQueued = true;
              // The frame after the app handled the batch, then a task after its paint.
              requestAnimationFrame(() => {
                bench.frames++;
                const batch = bench.pending;
                bench.pending = [];
                bench.frameQueued = false;
                setTimeout(() => {
                  const now = performance.timeOrigin + performance.now();
                  for (const t of batch) bench.latencies.push(now - t);
                }, 0);
              });
            });
          }
        };
      }, { panes: CHART_SYMBOLS.map((symbol) => ({ symbol, timeframe: '1m' })) });
      await openTerminal(page, host.url);
      await page.getByRole('group', { name: /^Chart 4: / }).locator('canvas').first().waitFor({ timeout: 30_000 });
      const rows = page.getByRole('region', { name: 'Watchlist' }).getByTestId('wl-last');
      for (let t = 0; t < 100 && (await rows.count()) < SYMBOLS; t++) await page.waitForTimeout(100);
      await page.waitForTimeout(5000); // warm-up: history loaded, the flood running
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const browserCdp = await browser.newBrowserCDPSession();
      const cpuBefore = await cpuMetrics(cdp);
      const processBefore = await rendererCpuSeconds(browserCdp);
      await page.evaluate(() => ((window as unknown as { __bench: { on: boolean } }).__bench.on = true));
      await page.waitForTimeout(opts.seconds * 1000);
      const m = await page.evaluate(() => {
        const b = (window as unknown as { __bench: { on: boolean; latencies: number[]; longTasks: { duration: number }[]; quotes: number; frames: number; framesFromFrames: number } }).__bench;
        b.on = false;
        return { latencies: b.latencies, longTasks: b.longTasks.map((l) => l.duration), quotes: b.quotes, frames: b.frames, framesFromFrames: b.framesFromFrames };
      });
      const cpuAfter = await cpuMetrics(cdp);
      const processAfter = await rendererCpuSeconds(browserCdp);
      await browserCdp.detach();
      // Per 1,000 quotes received: the renderer's cost of the load, whatever the machine's other work.
      const per1000 = (k: keyof CpuMetrics) => round(((cpuAfter[k] - cpuBefore[k]) * 1000 * 1000) / Math.max(1, m.quotes));
      result['cpu'] = {
        quotes: m.quotes, seconds: opts.seconds,
        // CPU time, all the renderer's threads (main, compositor, raster): what contention does not inflate.
        rendererProcessCpuMsPer1000Quotes: round(((processAfter - processBefore) * 1000 * 1000) / Math.max(1, m.quotes)),
        // Frames drawn with quotes in them: a loaded machine draws fewer (and spends less per quote), so both are shown.
        framesPerSecond: round(m.frames / opts.seconds), rendererProcessCpuMsPerFrame: round(((processAfter - processBefore) * 1000) / Math.max(1, m.frames), 2),
        mainThreadBusyShare: round((cpuAfter.TaskDuration - cpuBefore.TaskDuration) / opts.seconds, 3),
        // Wall time of the main thread's tasks (inflated when the machine is busy), and the part spent in script etc.
        mainThreadMsPer1000Quotes: { task: per1000('TaskDuration'), script: per1000('ScriptDuration'), layout: per1000('LayoutDuration'), style: per1000('RecalcStyleDuration') },
      };
      if (opts.profileSeconds > 0) {
        // After the measured seconds: the sampling profiler's own cost stays out of the latency figures.
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
        await page.waitForTimeout(opts.profileSeconds * 1000);
        const { profile } = await cdp.send('Profiler.stop');
        if (opts.profileOut) writeFileSync(opts.profileOut, JSON.stringify(profile));
        (result['cpu'] as Record<string, unknown>)['profile'] = { seconds: opts.profileSeconds, topSelfTime: topSelfTime(profile as Parameters<typeof topSelfTime>[0], 15, await sourceLocator()) };
      }
      await cdp.detach();
      if (opts.traceOut) {
        await browser.startTracing(page, { path: opts.traceOut, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'viz', 'gpu', 'toplevel', 'v8'] });
        await page.waitForTimeout(5000);
        await browser.stopTracing();
      }
      const charts = await page.getByRole('group', { name: /^Chart \d: / }).count();
      const listed = await rows.count();
      const priced = (await rows.allTextContents()).filter((t) => t !== '—').length;
      await page.close();
      const p99 = quantile(m.latencies, 0.99);
      result['tickToPaint'] = {
        ticksPerSecondSent: RATE, symbols: SYMBOLS, charts, watchlistRows: listed, watchlistRowsPriced: priced, seconds: opts.seconds,
        quotesReceivedPerSecond: round(m.quotes / opts.seconds), samples: m.latencies.length,
        p50Ms: round(quantile(m.latencies, 0.5)), p95Ms: round(quantile(m.latencies, 0.95)), p99Ms: round(p99), maxMs: round(Math.max(...m.latencies)),
        goalP99Ms: 50, ratioToGoal: round(p99 / 50, 2),
        // Frames requested from inside a frame (a hop to the next one) per second: 0 when every tick is drawn in the frame measured.
        framesRequestedFromFramesPerSecond: round(m.framesFromFrames / opts.seconds),
      };
      result['longTasks'] = {
        over50ms: m.longTasks.length, maxMs: m.longTasks.length ? round(Math.max(...m.longTasks)) : 0, totalMs: round(m.longTasks.reduce((a, b) => a + b, 0)), goal: 0,
      };
    } finally {
      await host.stop();
    }
  }
} finally {
  await browser.close();
}
result['loadAverageAtEnd'] = loadavg().map((l) => round(l, 2));
console.log(JSON.stringify(result, null, 2));

/** `n` one-minute bars of a deterministic random walk, as a CSV file the Backtests screen takes. */
function minuteBarsCsv(n: number): string {
  const rows = ['Date,Open,High,Low,Close,Volume'];
  const start = Date.UTC(2024, 0, 1);
  let price = 100;
  for (let k = 0; k < n; k++) {
    const open = price;
    price = Math.max(1, price * (1 + ((Math.sin(k * 12.9898) * 43758.5453) % 1) * 0.004));
    const high = Math.max(open, price) * 1.001;
    const low = Math.min(open, price) * 0.999;
    const time = new Date(start + k * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    rows.push(`${time},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${price.toFixed(4)},${1000 + (k % 97) * 10}`);
  }
  return rows.join('\n') + '\n';
}
