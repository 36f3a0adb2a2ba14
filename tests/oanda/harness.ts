// Test harness for the OANDA venue: the simulator as a child process on one side, the real session (SessionManager,
// OandaConnection over Node's fetch, TradingService, SQLite file) on the other, with millisecond timings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OandaSettings, OandaTimings } from '../../src-main/adapters/oanda/config';
import { createOandaSession } from '../../src-main/adapters/oanda/session';
import { oandaVenue } from '../../src-main/adapters/oanda/venue';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { systemClock } from '../../src-main/ports/clock';
import { SessionManager } from '../../src-main/services/sessions';
import { VenueRegistry } from '../../src-main/services/venue-registry';
import { RISK_CONFIG, waitUntil } from '../ib/harness';
import { afterEach } from 'vitest';
import { SIM_TOKEN, startOandaSim, type RunningOandaSim } from '../support/oanda-sim-process';

export { waitUntil };

/** Reconnects in milliseconds; a silent stream found within a second and a half (heartbeats every 200 ms in tests). */
export const FAST_OANDA: Partial<OandaTimings> = {
  reconnectInitialMs: 10, reconnectMaxMs: 200, reconnectJitter: 0.2, silenceTimeoutMs: 1_500, watchdogTickMs: 50, requestTimeoutMs: 3_000,
  maxRetryAfterMs: 5_000, accountPollMs: 200, staleQuoteMs: 5_000,
};

/** Simulator flags for tests: fast heartbeats, prices that move only when a test says so. */
export const SIM_ARGS = ['--tick-ms', '0', '--heartbeat-ms', '200'];

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'qc-oanda-')), 'quant.db');
}

export interface OandaTerminal {
  store: SqliteStore;
  sessions: SessionManager;
  connect(url: string, overrides?: Partial<OandaSettings>): Promise<void>;
  close(): Promise<void>;
}

export function openOandaTerminal(file: string, opts: { token?: string; timings?: Partial<OandaTimings>; random?: () => number } = {}): OandaTerminal {
  const store = openSqliteStore({ file });
  const logger = createLogger({ level: process.env['QC_TEST_LOG'] ?? 'silent' });
  const venues = new VenueRegistry().register(oandaVenue((settings, knownAccountHash) => createOandaSession({
    settings, token: async () => opts.token ?? SIM_TOKEN, timings: opts.timings ?? FAST_OANDA, clock: systemClock, logger, ids: store.settings, knownAccountHash, random: opts.random,
  })));
  const sessions = new SessionManager({ store, clock: systemClock, logger, config: RISK_CONFIG, venues, accountTimeoutMs: 3_000 });
  return {
    store, sessions,
    async connect(url, overrides = {}) {
      await sessions.connect('oanda', { account_id: '', environment: 'practice', base_url: url, auto_connect: false, ...overrides });
    },
    async close() {
      await sessions.dispose();
      store.dispose();
    },
  };
}

export async function waitOandaReady(t: OandaTerminal, timeoutMs = 8_000): Promise<void> {
  await waitUntil('the OANDA session to be ready', () => {
    const a = t.sessions.active();
    return a.session.kind === 'oanda' && a.session.status().ready && a.session.market.lastQuote('EURUSD') !== undefined
      && a.session.accountValues().some((v) => v.key === 'NAV');
  }, timeoutMs);
}

/** A simulator and a terminal connected to it and ready, for one test each; both are closed after the test. */
export function oandaPerTest(): () => Promise<{ sim: RunningOandaSim; term: OandaTerminal }> {
  let sim: RunningOandaSim | undefined;
  let term: OandaTerminal | undefined;
  afterEach(async () => {
    await term?.close();
    await sim?.stop();
    term = sim = undefined;
  });
  return async () => {
    sim = await startOandaSim(SIM_ARGS);
    term = openOandaTerminal(tempDb());
    await term.connect(sim.url);
    await waitOandaReady(term);
    return { sim, term };
  };
}
