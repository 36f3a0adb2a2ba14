// Test harness for the cTrader venue: the simulator on one side, the real session (SessionManager, CtraderConnection
// over `ws`, TradingService, SQLite file) on the other, with millisecond timings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CtraderSettings, CtraderTimings } from '../../src-main/adapters/ctrader/config';
import { createCtraderSession } from '../../src-main/adapters/ctrader/session';
import { ctraderVenue } from '../../src-main/adapters/ctrader/venue';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { systemClock } from '../../src-main/ports/clock';
import { SessionManager } from '../../src-main/services/sessions';
import { VenueRegistry } from '../../src-main/services/venue-registry';
import { RISK_CONFIG, waitUntil } from '../ib/harness';
import { CT_CLIENT_ID, CT_CREDENTIALS } from '../support/ctrader-sim-process';

export { waitUntil };

/** Reconnects in milliseconds; a silent link found within a second and a half (heartbeats every 200 ms in tests). */
export const FAST_CTRADER: Partial<CtraderTimings> = {
  reconnectInitialMs: 10, reconnectMaxMs: 200, reconnectJitter: 0.2, heartbeatMs: 200, silenceTimeoutMs: 1_500, watchdogTickMs: 50, requestTimeoutMs: 3_000,
  rateRetryMs: 200, accountPollMs: 200, staleQuoteMs: 5_000,
};

/** Simulator flags for tests: fast heartbeats, prices that move only when a test says so. */
export const SIM_ARGS = ['--tick-ms', '0', '--heartbeat-ms', '200'];

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'qc-ctrader-')), 'quant.db');
}

export function settingsFor(url: string, overrides: Partial<CtraderSettings> = {}): CtraderSettings {
  return { environment: 'demo', account_id: '', client_id: CT_CLIENT_ID, url, symbols: '', auto_connect: false, ...overrides };
}

export interface CtraderTerminal {
  store: SqliteStore;
  sessions: SessionManager;
  connect(url: string, overrides?: Partial<CtraderSettings>): Promise<void>;
  close(): Promise<void>;
}

export function openCtraderTerminal(file: string, opts: { credentials?: string; timings?: Partial<CtraderTimings>; random?: () => number } = {}): CtraderTerminal {
  const store = openSqliteStore({ file });
  const logger = createLogger({ level: process.env['QC_TEST_LOG'] ?? 'silent' });
  const venues = new VenueRegistry().register(ctraderVenue((settings, knownAccountHash) => createCtraderSession({
    settings, credentials: async () => opts.credentials ?? CT_CREDENTIALS, timings: opts.timings ?? FAST_CTRADER, clock: systemClock, logger, ids: store.settings, knownAccountHash, random: opts.random,
  })));
  const sessions = new SessionManager({ store, clock: systemClock, logger, config: RISK_CONFIG, venues, accountTimeoutMs: 3_000 });
  return {
    store, sessions,
    async connect(url, overrides = {}) {
      await sessions.connect('ctrader', settingsFor(url, overrides));
    },
    async close() {
      await sessions.dispose();
      store.dispose();
    },
  };
}

export async function waitCtraderReady(t: CtraderTerminal, timeoutMs = 8_000): Promise<void> {
  await waitUntil('the cTrader session to be ready', () => {
    const a = t.sessions.active();
    return a.session.kind === 'ctrader' && a.session.status().ready && a.session.market.lastQuote('EURUSD') !== undefined
      && a.session.accountValues().some((v) => v.key === 'NetLiquidation');
  }, timeoutMs);
}
