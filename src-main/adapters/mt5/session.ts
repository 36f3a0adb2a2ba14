// The MetaTrader 5 session: the bridge process (started, logged in, restarted with backoff when it ends or stops
// answering), the symbols as instruments, ticks polled into quotes, account values, and the execution client.
import type { BrokerAccountValue, ConnectionStatus } from '../../../src-shared/domain/broker';
import type { Bar, Instrument, Quote } from '../../../src-shared/domain/types';
import { Emitter } from '../../../src-shared/common/emitter';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import { realTimers, type Timers } from '../../ports/timers';
import type { VenueSession } from '../../ports/venue';
import { Mt5Bridge } from './bridge';
import { DEFAULT_MT5_TIMINGS, mt5AccountHash, type Mt5Settings, type Mt5Timings } from './config';
import { Mt5Error } from './errors';
import { Mt5ExecutionClient, type Mt5IdStore, type Mt5Link, type Mt5SymbolSpec } from './execution';

type Json = Record<string, unknown>;

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
  const timers = o.timers ?? realTimers;
  const random = o.random ?? Math.random;
  let hash: string | null = o.settings.login ? mt5AccountHash(o.settings.login) : o.knownAccountHash;
  let resolveKnown: (h: string) => void = () => undefined;
  const known = new Promise<string>((resolve) => (resolveKnown = resolve));
  if (hash) resolveKnown(hash);

  let bridge: Mt5Bridge | null = null;
  let phase: 'idle' | 'connecting' | 'connected' | 'stopped' = 'idle';
  let message: string | null = null;
  let attempt = 0;
  let epoch = 0;
  let nextRetryAt: number | null = null;
  let lastMessageAt: number | null = null;
  let cancelTimer: (() => void) | undefined;
  let label: string | null = null;
  let specs = new Map<string, Mt5SymbolSpec>();
  const connected = new Emitter();
  const disconnected = new Emitter();
  const statusEvents = new Emitter<ConnectionStatus>();
  const quoteEvents = new Emitter<Quote>();
  const valueEvents = new Emitter<BrokerAccountValue[]>();
  const quotes = new Map<string, Quote>();
  let values: BrokerAccountValue[] = [];

  const call = async <T>(method: string, params: Json = {}): Promise<T> => {
    if (!bridge) throw new Mt5Error(-10004, 'the bridge is not running');
    const r = await bridge.call<T>(method, params);
    lastMessageAt = o.clock.now();
    return r;
  };
  const notify = () => statusEvents.emit(status());

  const drop = (reason: string) => {
    if (phase === 'stopped') return;
    const was = phase === 'connected';
    epoch++;
    cancelTimer?.();
    bridge?.kill();
    bridge = null;
    message = `Connection to MetaTrader 5 lost (${reason}); reconnecting`;
    o.logger.warn({ reason }, 'MT5: connection lost');
    if (was) disconnected.emit();
    phase = 'idle';
    const delay = Math.max(0, Math.min(t.reconnectMaxMs, t.reconnectInitialMs * 2 ** attempt) * (1 + t.reconnectJitter * (2 * random() - 1)));
    attempt++;
    nextRetryAt = o.clock.now() + delay;
    cancelTimer = timers.after(delay, () => void connect());
    notify();
  };

  const takeTicks = (ticks: Record<string, Json | null>) => {
    for (const [symbol, tk] of Object.entries(ticks)) {
      const bid = Number(tk?.['bid']);
      const ask = Number(tk?.['ask']);
      if (!(bid > 0) || !(ask > 0)) continue;
      const q: Quote = { symbol, time: o.clock.now(), bid, ask, last: (bid + ask) / 2, lastSize: 0, source: 'mt5' };
      quotes.set(symbol, q);
      quoteEvents.emit(q);
    }
  };

  const poll = (e: number) => {
    cancelTimer = timers.after(t.tickPollMs, () => {
      if (e !== epoch) return;
      call<Record<string, Json | null>>('ticks', { symbols: [...specs.keys()] }).then((ticks) => {
        if (e !== epoch) return;
        takeTicks(ticks);
        if (Math.floor(o.clock.now() / t.accountPollMs) !== Math.floor((o.clock.now() - t.tickPollMs) / t.accountPollMs) || values.length === 0) void readAccount(e);
        poll(e);
      }, (err: unknown) => {
        if (e === epoch) drop(`the tick poll failed: ${(err as Error).message}`);
      });
    });
  };

  const readAccount = async (e: number) => {
    const a = await call<Json>('account_info').catch(() => null);
    if (!a || e !== epoch) return;
    const c = String(a['currency'] ?? 'USD');
    values = [
      ...['balance', 'equity', 'margin', 'margin_free', 'margin_level', 'profit', 'margin_so_call', 'margin_so_so'].map((key) => ({ key, value: String(a[key] ?? ''), currency: c })),
      { key: 'NetLiquidation', value: String(a['equity']), currency: c }, { key: 'TotalCashValue', value: String(a['balance']), currency: c },
    ];
    valueEvents.emit(values);
  };

  const connect = async () => {
    const e = ++epoch;
    phase = 'connecting';
    nextRetryAt = null;
    notify();
    try {
      const password = await o.password();
      if (o.settings.login && !password) throw new Mt5Error(-6, 'no password in the secrets store (Settings → Connections)');
      const b = new Mt5Bridge({ python: o.settings.python, script: o.bridge.script, env: o.bridge.env, timeoutMs: t.requestTimeoutMs });
      bridge = b;
      b.onExit((why) => {
        if (bridge === b && e === epoch) drop(why);
      });
      await b.start();
      await call('initialize', {
        ...(o.settings.login ? { login: Number(o.settings.login), password, server: o.settings.server || undefined } : {}),
        ...(o.settings.terminal_path ? { path: o.settings.terminal_path } : {}),
      });
      const account = await call<Json>('account_info');
      const login = String(account['login']);
      if (hash && mt5AccountHash(login) !== hash) throw new Mt5Error(-6, 'the terminal is logged in to another account than the one configured (or traded before)');
      if (!hash) {
        hash = mt5AccountHash(login);
        resolveKnown(hash);
      }
      label = login.length > 3 ? `••${login.slice(-3)}` : '•••';
      const symbols = await call<Json[]>('symbols');
      specs = new Map(symbols.filter((s) => o.settings.symbols.includes(String(s['name']))).map((s) => [String(s['name']), {
        symbol: String(s['name']), contractSize: Number(s['trade_contract_size']), volumeMin: Number(s['volume_min']), volumeStep: Number(s['volume_step']),
        digits: Number(s['digits']), currency: String(s['currency_profit']),
      }]));
      // Prices before "connected": the risk gate refuses orders without a fresh price of the account's own.
      const first = await call<Record<string, Json | null>>('ticks', { symbols: [...specs.keys()] });
      if (e !== epoch) return;
      takeTicks(first);
      phase = 'connected';
      attempt = 0;
      message = null;
      notify();
      void readAccount(e);
      poll(e);
      connected.emit();
    } catch (err) {
      if (e !== epoch) return;
      if (err instanceof Mt5Error && err.code === -6) {
        phase = 'stopped';
        message = err.message;
        bridge?.dispose();
        bridge = null;
        notify();
        return;
      }
      phase = 'connecting';
      drop((err as Error).message);
    }
  };

  const link: Mt5Link = {
    call, isConnected: () => phase === 'connected', onConnected: (l) => connected.on(l), onDisconnected: (l) => disconnected.on(l),
    reset: (reason) => drop(reason), accountHash: () => hash, spec: (s) => specs.get(s),
    notConnectedReason: () => `Not connected to MetaTrader 5${message ? ` (${message})` : ''}: the order was not sent`,
  };
  const execution = new Mt5ExecutionClient({ link, clock: o.clock, logger: o.logger, ids: o.ids, dealPollMs: t.dealPollMs, timers });

  const instrumentOf = (s: Mt5SymbolSpec): Instrument => ({
    symbol: s.symbol, name: s.symbol, assetClass: /^[A-Z]{6}$/.test(s.symbol) && !s.symbol.startsWith('XA') ? 'fx' : 'commodity-cfd', currency: s.currency.length === 3 ? s.currency : 'USD',
    exchange: 'MT5', tickSize: Number((10 ** -s.digits).toFixed(s.digits)), lotSize: Number((s.volumeStep * s.contractSize).toFixed(8)), session: 'fx-24x5',
  });
  const market: MarketData = {
    name: 'mt5',
    instruments: () => [...specs.values()].map(instrumentOf),
    instrument: (symbol) => (specs.get(symbol) ? instrumentOf(specs.get(symbol)!) : undefined),
    // MT5's bars (copy_rates_from) are not bridged yet: the chart uses the app's other data sources.
    history: async (): Promise<Bar[]> => [],
    lastQuote: (s) => quotes.get(s),
    freshQuote: (s) => {
      const q = quotes.get(s);
      return q && phase === 'connected' && o.clock.now() - q.time <= t.staleQuoteMs ? q : undefined;
    },
    isOpen: () => true,
    onQuote: (l) => quoteEvents.on(l),
    start: () => undefined,
    dispose: async () => quoteEvents.clear(),
  };

  function status(): ConnectionStatus {
    return {
      broker: 'mt5', state: phase === 'connected' ? 'connected' : phase === 'connecting' ? 'connecting' : 'disconnected', mode: o.settings.live ? 'live' : 'paper',
      endpoint: o.settings.server || 'terminal', clientId: null, accountLabel: label, serverVersion: null, message, lastMessageAt, nextRetryAt, dataFarms: [],
      queuedOrders: execution.queuedOrders(), ready: execution.isReady() && phase === 'connected',
    };
  }
  const subs: Disposable[] = [execution.onStatusChange(notify)];

  return {
    kind: 'mt5',
    get accountId() {
      return hash ? `MT5-${hash}` : 'MT5-UNKNOWN';
    },
    broker: execution,
    market,
    execution,
    accountKnown: () => known,
    start: () => {
      if (phase === 'idle' && !cancelTimer) void connect();
    },
    status,
    onStatus: (l) => statusEvents.on(l),
    accountValues: () => values,
    onAccountValues: (l) => valueEvents.on(l),
    async dispose() {
      phase = 'stopped';
      epoch++;
      cancelTimer?.();
      for (const s of subs) s.dispose();
      execution.dispose();
      bridge?.dispose();
      bridge = null;
      statusEvents.clear();
      quoteEvents.clear();
      valueEvents.clear();
    },
  };
}
