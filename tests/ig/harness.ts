// Test harness for the IG venue: the simulator on one side, the real session (SessionManager, IgConnection over Node's
// fetch, TradingService, SQLite file) on the other, with millisecond timings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IgSettings, IgTimings } from '../../src-main/adapters/ig/config';
import { createIgSession } from '../../src-main/adapters/ig/session';
import { igVenue } from '../../src-main/adapters/ig/venue';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { systemClock } from '../../src-main/ports/clock';
import { SessionManager } from '../../src-main/services/sessions';
import { VenueRegistry } from '../../src-main/services/venue-registry';
import { RISK_CONFIG, waitUntil } from '../ib/harness';
import { SIM_IDENTIFIER, SIM_SECRET } from '../support/ig-sim-process';

export { waitUntil };

/** Polls in tens of milliseconds, reconnects in milliseconds, no client-side allowance (the simulator's is off). */
export const FAST_IG: Partial<IgTimings> = {
  reconnectInitialMs: 10, reconnectMaxMs: 200, reconnectJitter: 0.2, pricePollMs: 50, activityPollMs: 60, fundingPollMs: 60, accountPollMs: 200, requestTimeoutMs: 3_000,
  nonTradingPerMinute: 0, tradingPerMinute: 0, allowanceBackoffMs: 300, maxRetryAfterMs: 5_000, confirmRetryMs: 20, confirmAttempts: 20, staleQuoteMs: 5_000,
};

/** Simulator flags for tests: prices that move only when a test says so. */
export const SIM_ARGS = ['--tick-ms', '0'];

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'qc-ig-')), 'quant.db');
}

export interface IgTerminal {
  store: SqliteStore;
  sessions: SessionManager;
  connect(url: string, overrides?: Partial<IgSettings>): Promise<void>;
  close(): Promise<void>;
}

export function openIgTerminal(file: string, opts: { secret?: string; timings?: Partial<IgTimings>; random?: () => number } = {}): IgTerminal {
  const store = openSqliteStore({ file });
  const logger = createLogger({ level: process.env['QC_TEST_LOG'] ?? 'silent' });
  const venues = new VenueRegistry().register(igVenue((settings, knownAccountHash) => createIgSession({
    settings, secret: async () => opts.secret ?? SIM_SECRET, timings: opts.timings ?? FAST_IG, clock: systemClock, logger, ids: store.settings, knownAccountHash, random: opts.random,
  })));
  const sessions = new SessionManager({ store, clock: systemClock, logger, config: RISK_CONFIG, venues, accountTimeoutMs: 3_000 });
  return {
    store, sessions,
    async connect(url, overrides = {}) {
      await sessions.connect('ig', { account_id: '', environment: 'demo', identifier: SIM_IDENTIFIER, base_url: url, auto_connect: false, ...overrides });
    },
    async close() {
      await sessions.dispose();
      store.dispose();
    },
  };
}

export async function waitIgReady(t: IgTerminal, timeoutMs = 8_000): Promise<void> {
  await waitUntil('the IG session to be ready', () => {
    const a = t.sessions.active();
    return a.session.kind === 'ig' && a.session.status().ready && a.session.market.lastQuote('EURUSD') !== undefined
      && a.session.accountValues().some((v) => v.key === 'NetLiquidation');
  }, timeoutMs);
}
