// Test harness for the IB session: the TWS simulator on one side, the real session (SessionManager, IbConnection with the
// real @stoqey/ib client, TradingService, SQLite file) on the other, with millisecond timings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IbSettings } from '../../src-shared/api/contract';
import type { Instrument } from '../../src-shared/domain/types';
import type { IbTimings } from '../../src-main/adapters/ib/config';
import { createIbSession } from '../../src-main/adapters/ib/session';
import { ibVenue } from '../../src-main/adapters/ib/venue';
import { Rng } from '../../src-main/adapters/demo/random';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { parseConfig } from '../../src-main/config/config';
import { createLogger } from '../../src-main/logging';
import { systemClock } from '../../src-main/ports/clock';
import { SessionManager } from '../../src-main/services/sessions';
import { VenueRegistry } from '../../src-main/services/venue-registry';
import { TwsSimulator, type TwsSimOptions } from '../../tools/tws-sim/simulator';

/** Our instruments that the simulator knows (stocks on SMART). */
export const SIM_INSTRUMENTS: Instrument[] = ['AAPL', 'MSFT', 'NVDA', 'AMZN'].map((symbol) => ({
  symbol, name: symbol, assetClass: 'stock', currency: 'USD', exchange: 'SMART', tickSize: 0.01, lotSize: 1, session: 'us-equity',
}));

/** Fast timings: reconnects in milliseconds, a silent socket found within a second (not less: on a busy test machine
 * a tighter watchdog would also catch slow-but-alive moments). */
export const FAST_TIMINGS: Partial<IbTimings> = {
  reconnectInitialMs: 5, reconnectMaxMs: 80, reconnectJitter: 0.2, heartbeatMs: 200, silenceTimeoutMs: 1_000, watchdogTickMs: 25,
  requestTimeoutMs: 2_000, clientIdAttempts: 2,
};

export const RISK_CONFIG = parseConfig(`risk:
  max_position_size: 1
  max_order_notional: 100000000
  price_collar_pct: 0.5
  max_portfolio_risk: null
brokers:
  paper:
    max_daily_trades: 100000
`);

export async function startSim(opts: TwsSimOptions = {}): Promise<TwsSimulator> {
  const sim = new TwsSimulator({ port: 0, tickMs: 0, accountUpdateMs: 0, fillIntervalMs: 1, restartPauseMs: 10, seed: 3, ...opts });
  await sim.start();
  return sim;
}

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'qc-ib-')), 'quant.db');
}

export interface Terminal {
  store: SqliteStore;
  sessions: SessionManager;
  connect(overrides?: Partial<IbSettings>): Promise<void>;
  close(): Promise<void>;
}

export function openTerminal(file: string, port: number, timings: Partial<IbTimings> = FAST_TIMINGS, random?: () => number): Terminal {
  const store = openSqliteStore({ file });
  const logger = createLogger({ level: process.env['QC_TEST_LOG'] ?? 'silent' });
  const venues = new VenueRegistry().register(ibVenue((settings, knownAccountHash) => createIbSession({
    settings, timings, clock: systemClock, logger, instruments: SIM_INSTRUMENTS, ids: store.settings, knownAccountHash, random,
    lastExecutionTime: async (accountId) => (await store.fills.list({ accountId, limit: 1 }))[0]?.time ?? null,
  })));
  const sessions = new SessionManager({ store, clock: systemClock, logger, config: RISK_CONFIG, venues, accountTimeoutMs: 3_000 });
  return {
    store, sessions,
    async connect(overrides = {}) {
      await sessions.connect('ib', { host: '127.0.0.1', port, clientId: 7, account: '', mode: 'paper', autoConnect: false, ...overrides });
    },
    async close() {
      await sessions.dispose();
      store.dispose();
    },
  };
}

export async function waitUntil(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5_000, stepMs = 5): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export async function waitReady(t: Terminal, timeoutMs = 5_000): Promise<void> {
  await waitUntil('the IB session to be ready', () => {
    const a = t.sessions.active();
    return a.session.kind === 'ib' && a.session.status().ready && a.session.market.lastQuote('AAPL') !== undefined
      && a.session.accountValues().some((v) => v.key === 'NetLiquidation');
  }, timeoutMs);
}

/** Deterministic PRNG (the demo market's mulberry32) so a failing trial can be replayed from its seed. */
export function rng(seed: number): () => number {
  const r = new Rng(seed >>> 0);
  return () => r.uniform();
}
