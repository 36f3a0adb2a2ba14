// Test harness for the MetaTrader 5 venue: the real bridge process (tools/mt5-bridge/bridge.py under python3) on the
// stand-in package, whose account, prices and faults are files in a temporary folder, and the real session
// (SessionManager, execution client, SQLite file) on our side, with millisecond timings.
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mt5Timings } from '../../src-main/adapters/mt5/config';
import { createMt5Session } from '../../src-main/adapters/mt5/session';
import { mt5Venue } from '../../src-main/adapters/mt5/venue';
import { openSqliteStore, type SqliteStore } from '../../src-main/adapters/sqlite/store';
import { createLogger } from '../../src-main/logging';
import { systemClock } from '../../src-main/ports/clock';
import { SessionManager } from '../../src-main/services/sessions';
import { VenueRegistry } from '../../src-main/services/venue-registry';
import { RISK_CONFIG, waitUntil } from '../ib/harness';
import { repoRoot } from '../support/web-host';

export { waitUntil };

export const STAND_IN_DIR = join(repoRoot, 'tests/mt5/stand-in');
export const BRIDGE_SCRIPT = join(repoRoot, 'tools/mt5-bridge/bridge.py');
export const STAND_IN_PASSWORD = 'demo-pw';
export const STAND_IN_LOGIN = '5012345';

export const FAST_MT5: Partial<Mt5Timings> = { reconnectInitialMs: 10, reconnectMaxMs: 200, tickPollMs: 40, dealPollMs: 60, accountPollMs: 200, requestTimeoutMs: 5_000 };

/** A stand-in terminal: its account, prices and faults as files (see the stand-in's docstring). */
export interface StandIn {
  dir: string;
  env: Record<string, string>;
  setPrices(p: Record<string, [number, number]>): void;
  fault(...faults: Record<string, unknown>[]): void;
  clearFaults(): void;
  /** Whether the faults written last were (at least in part) consumed by the stand-in. */
  struck(): boolean;
  state(): { deals: { ticket: number; order: number; volume: number; symbol: string; comment: string }[]; positions: { symbol: string; volume: number }[]; orders: unknown[] };
  bridgePid(): number | null;
}

export function standIn(): StandIn {
  const dir = mkdtempSync(join(tmpdir(), 'qc-mt5-'));
  const files = { prices: join(dir, 'prices.json'), state: join(dir, 'terminal.json'), faults: join(dir, 'faults.json') };
  const atomic = (file: string, value: unknown) => {
    writeFileSync(`${file}.w`, JSON.stringify(value));
    renameSync(`${file}.w`, file);
  };
  const read = <T>(file: string, empty: T): T => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      return empty;
    }
  };
  let written = '[]';
  return {
    dir,
    env: { PYTHONPATH: STAND_IN_DIR, MT5_STANDIN_PRICES: files.prices, MT5_STANDIN_STATE: files.state, MT5_STANDIN_FAULTS: files.faults, MT5_STANDIN_PASSWORD: STAND_IN_PASSWORD },
    setPrices: (p) => atomic(files.prices, p),
    fault: (...faults) => {
      written = JSON.stringify(faults);
      atomic(files.faults, faults);
    },
    struck: () => JSON.stringify(read(files.faults, [])) !== written,
    clearFaults: () => atomic(files.faults, []),
    state: () => read(files.state, { deals: [], positions: [], orders: [] }),
    bridgePid: () => {
      const pid = Number(read<number | null>(`${files.state}.pid`, null));
      return pid > 0 ? pid : null;
    },
  };
}

export interface Mt5Terminal {
  store: SqliteStore;
  sessions: SessionManager;
  connect(): Promise<void>;
  close(): Promise<void>;
}

export function openMt5Terminal(db: string, s: StandIn, opts: { timings?: Partial<Mt5Timings>; random?: () => number } = {}): Mt5Terminal {
  const store = openSqliteStore({ file: db });
  const logger = createLogger({ level: process.env['QC_TEST_LOG'] ?? 'silent' });
  const venues = new VenueRegistry().register(mt5Venue((settings, knownAccountHash) => createMt5Session({
    settings, password: async () => STAND_IN_PASSWORD, clock: systemClock, logger, ids: store.settings, knownAccountHash, random: opts.random,
    bridge: { script: BRIDGE_SCRIPT, env: s.env }, timings: { ...FAST_MT5, ...opts.timings },
  })));
  const sessions = new SessionManager({ store, clock: systemClock, logger, config: RISK_CONFIG, venues, accountTimeoutMs: 8_000 });
  return {
    store, sessions,
    connect: async () => {
      await sessions.connect('mt5', { login: STAND_IN_LOGIN, server: 'StandIn-Demo', python: 'python3' });
    },
    close: async () => {
      await sessions.dispose();
      store.dispose();
    },
  };
}

export async function waitMt5Ready(t: Mt5Terminal, ms = 15_000): Promise<void> {
  await waitUntil('the MT5 session to be ready', () => t.sessions.active().session.status().ready && t.sessions.active().session.market.lastQuote('EURUSD') !== undefined, ms);
}

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'qc-mt5db-')), 'quant.db');
}
