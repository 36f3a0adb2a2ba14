// Test-only fault injection, read from QC_TEST_FAULTS (e.g. "db-growth-pages=2,background-rejection"): lets the tests
// make the database full or a background promise reject in a real process. Unset in normal use: then it does nothing.

export interface TestFaults {
  /** The SQLite file may grow by this many pages, then every write that needs a new page fails with SQLITE_FULL. */
  dbGrowthPages?: number;
  /** A background promise rejects once, just after the web host is ready. */
  backgroundRejection?: boolean;
  /** On each SIGUSR2 the demo market's quotes of the symbol move by the factor, compounding ("price-shock=BTCUSD:0.5"). */
  priceShock?: { symbol: string; factor: number };
  /** Synthetic quotes at `rate` per second over `symbols` symbols, for `npm run bench:ui` ("tick-flood=1000:50"). */
  tickFlood?: { rate: number; symbols: number };
  /** The Monitoring samples every N ms instead of 15 s, so an e2e test sees charts fill ("metrics-sample-ms=500"). */
  metricsSampleMs?: number;
  /** The app's clock starts at this UTC time and runs on ("clock-from=2026-12-01T16:00:00Z": US market hours whenever an e2e test runs). */
  clockFrom?: number;
}

export function testFaults(env: NodeJS.ProcessEnv = process.env): TestFaults {
  const out: TestFaults = {};
  for (const item of (env['QC_TEST_FAULTS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = item.split('=');
    if (name === 'db-growth-pages' && value !== undefined && /^\d+$/.test(value)) out.dbGrowthPages = Number(value);
    else if (name === 'background-rejection') out.backgroundRejection = true;
    else if (name === 'price-shock' && value !== undefined && /^[A-Z0-9]+:\d+(\.\d+)?$/.test(value)) {
      const [symbol, factor] = value.split(':');
      out.priceShock = { symbol: symbol!, factor: Number(factor) };
    }
    else if (name === 'tick-flood' && value !== undefined && /^\d+:\d+$/.test(value)) {
      const [rate, symbols] = value.split(':').map(Number);
      out.tickFlood = { rate: rate!, symbols: symbols! };
    }
    else if (name === 'metrics-sample-ms' && value !== undefined && /^\d+$/.test(value)) out.metricsSampleMs = Math.max(100, Number(value));
    else if (name === 'clock-from' && value !== undefined && Number.isFinite(Date.parse(value))) out.clockFrom = Date.parse(value);
    else throw new Error(`QC_TEST_FAULTS: unknown fault "${item}"`);
  }
  return out;
}
