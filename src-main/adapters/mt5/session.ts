// The MetaTrader 5 session: the connection (connection.ts: the bridge, ticks, account values) with the symbols as
// instruments, the quotes as market data, and the execution client.
import type { Bar, Instrument } from '../../../src-shared/domain/types';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { MarketData } from '../../ports/market-data';
import type { Timers } from '../../ports/timers';
import type { VenueSession } from '../../ports/venue';
import { DEFAULT_MT5_TIMINGS, type Mt5Settings, type Mt5Timings } from './config';
import { KnownAccount, SessionStatus } from '../venue-kit/session';
import { Mt5Connection } from './connection';
import { Mt5ExecutionClient, type Mt5IdStore, type Mt5Link, type Mt5SymbolSpec } from './execution';

export interface Mt5SessionOptions {
  settings: Mt5Settings;
  password: () => Promise<string | undefined>;
  /** The bridge script and extra environment (the tests' stand-in package). */
  bridge: { script: string; env?: Record<string, string> };
  timings?: Partial<Mt5Timings>;
  clock: Clock;
  logger: Logger;
  ids: Mt5IdStore;
  knownAccountHash: string | null;
  timers?: Timers;
  random?: () => number;
}

export interface Mt5Session extends VenueSession {
  readonly kind: 'mt5';
  readonly execution: Mt5ExecutionClient;
}

export function createMt5Session(o: Mt5SessionOptions): Mt5Session {
  const t = { ...DEFAULT_MT5_TIMINGS, ...o.timings };
  const conn = new Mt5Connection({ ...o, timings: t });
  const account = new KnownAccount(conn.accountHash());

  const link: Mt5Link = {
    call: (method, params) => conn.call(method, params), isConnected: () => conn.isConnected(), onConnected: (l) => conn.onConnected(l), onDisconnected: (l) => conn.onDisconnected(l),
    reset: (reason) => conn.reset(reason), accountHash: () => conn.accountHash(), spec: (s) => conn.spec(s), notConnectedReason: () => conn.notConnectedReason(),
  };
  const execution = new Mt5ExecutionClient({ link, clock: o.clock, logger: o.logger, ids: o.ids, dealPollMs: t.dealPollMs, timers: o.timers });

  const instrumentOf = (s: Mt5SymbolSpec): Instrument => ({
    symbol: s.symbol, name: s.symbol, assetClass: /^[A-Z]{6}$/.test(s.symbol) && !s.symbol.startsWith('XA') ? 'fx' : 'commodity-cfd', currency: s.currency.length === 3 ? s.currency : 'USD',
    exchange: 'MT5', tickSize: Number((10 ** -s.digits).toFixed(s.digits)), lotSize: Number((s.volumeStep * s.contractSize).toFixed(8)), session: 'fx-24x5',
  });
  const market: MarketData = {
    name: 'mt5',
    instruments: () => conn.specs().map(instrumentOf),
    instrument: (symbol) => {
      const s = conn.spec(symbol);
      return s ? instrumentOf(s) : undefined;
    },
    // MT5's bars (copy_rates_from) are not bridged yet: the chart uses the app's other data sources.
    history: async (): Promise<Bar[]> => [],
    lastQuote: (s) => conn.lastQuote(s),
    freshQuote: (s) => {
      const q = conn.lastQuote(s);
      return q && conn.isConnected() && o.clock.now() - q.time <= t.staleQuoteMs ? q : undefined;
    },
    isOpen: () => true,
    onQuote: (l) => conn.onQuote(l),
    start: () => undefined,
    dispose: async () => undefined,
  };

  const status = new SessionStatus(conn, execution);
  const learnt = conn.onAccountHash((h) => account.learn(h));

  return {
    kind: 'mt5',
    get accountId() {
      const hash = conn.accountHash();
      return hash ? `MT5-${hash}` : 'MT5-UNKNOWN';
    },
    broker: execution,
    market,
    execution,
    accountKnown: () => account.known,
    start: () => conn.start(),
    status: () => status.status(),
    onStatus: (l) => status.onStatus(l),
    accountValues: () => conn.accountValues(),
    onAccountValues: (l) => conn.onAccountValues(l),
    onFinancing: (l) => execution.onFinancing(l),
    async dispose() {
      learnt.dispose();
      status.dispose();
      execution.dispose();
      conn.dispose();
    },
  };
}
