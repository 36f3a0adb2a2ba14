// The contract's methods implemented on the services: thin glue, no business rules of its own.
import { KeyedProvider, type AppHealth, type AppInfo, type BacktestResult, type OptimizationResult, type Theme } from '../../src-shared/api/contract';
import { CsvError, guessMapping } from '../domain/data/csv';
import type { Clock } from '../ports/clock';
import { apiKeySecretName, type Secrets } from '../ports/secrets';
import type { Store } from '../ports/store';
import { HandlerError, type ApiHandlers } from '../transport/dispatcher';
import { BacktestInputError, type BacktestService } from './backtests';
import { completenessInPieces } from './market-data/completeness';
import { importMappedBars, seriesCalendar } from './market-data/csv-import';
import type { CsvParsing } from '../workers/csv-parsing';
import type { FundamentalsCache } from './market-data/fundamentals-cache';
import type { MarketDataManager } from './market-data/manager';
import { ConnectError, type SessionManager } from './sessions';
import { DataUnavailableError, StrategyInputError, type StrategyRunner } from './strategy-runner';
import { OrderNotOpenError } from './trading';

export interface HandlerDeps {
  info: AppInfo;
  health: { snapshot(): AppHealth };
  store: Store;
  /** The active session (paper, or IB while connected) serves trading, account and market calls. */
  sessions: SessionManager;
  backtests: BacktestService;
  /** The failover manager behind `market` (data.* methods). */
  data: MarketDataManager;
  secrets: Secrets;
  strategies: StrategyRunner;
  clock: Clock;
  fundamentals: FundamentalsCache;
  /** CSV parsing off the main thread (data.csvPreview, data.import). */
  csv: CsvParsing;
}

/** Bad backtest input (a malformed CSV, an unknown parameter) is the caller's to fix: BAD_REQUEST with the reason. */
async function userInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BacktestInputError || err instanceof StrategyInputError) throw new HandlerError('BAD_REQUEST', err.message);
    // A strategy started while no source serves its bars: the data's state, not a bug.
    if (err instanceof DataUnavailableError) throw new HandlerError('UNAVAILABLE', err.message);
    throw err;
  }
}

/** An unreadable CSV is the caller's to fix: BAD_REQUEST with the reason. */
async function csvInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CsvError) throw new HandlerError('BAD_REQUEST', err.message);
    throw err;
  }
}

const THEME_KEY = 'ui.theme';

export function createApiHandlers(d: HandlerDeps): ApiHandlers {
  const active = () => d.sessions.active();
  const market = () => active().session.market;
  const trading = () => active().trading;
  const account = () => active().account;
  const handlers: ApiHandlers = {
    'app.info': async () => d.info,
    'app.health': async () => d.health.snapshot(),
    'instruments.list': async () => market().instruments(),
    'instruments.search': async ({ query }) => {
      const q = query.trim().toLowerCase();
      const all = market().instruments();
      if (!q) return all;
      // Symbol prefix matches first, then name matches.
      const bySymbol = all.filter((i) => i.symbol.toLowerCase().startsWith(q));
      const byName = all.filter((i) => !bySymbol.includes(i) && (i.name.toLowerCase().includes(q) || i.symbol.toLowerCase().includes(q)));
      return [...bySymbol, ...byName];
    },
    'bars.history': async ({ symbol, timeframe, limit }) => {
      if (!market().instrument(symbol)) throw new HandlerError('NOT_FOUND', `Unknown symbol ${symbol}`);
      return market().history(symbol, timeframe, limit);
    },
    'data.completeness': async ({ symbol, timeframe, from, to, session: chosen }) => {
      const session = chosen ?? (await seriesCalendar(d.store, symbol, timeframe)) ?? market().instrument(symbol)?.session
        ?? (await d.store.instruments.list()).find((i) => i.symbol === symbol)?.session;
      if (!session) {
        if (!(await d.store.bars.series()).some((x) => x.symbol === symbol)) throw new HandlerError('NOT_FOUND', `Unknown symbol ${symbol}`);
        throw new HandlerError('BAD_REQUEST', `No trading calendar is known for ${symbol}: choose one (US equities, FX 24×5, CFD 23×5 or crypto 24×7)`);
      }
      return completenessInPieces(d.store, { symbol, timeframe, session, from, to });
    },
    'data.series': async () => Promise.all((await d.store.bars.series()).map(async (s) => ({ ...s, calendar: (await seriesCalendar(d.store, s.symbol, s.timeframe)) ?? null }))),
    'quotes.snapshot': async () => market().instruments().flatMap((i) => market().lastQuote(i.symbol) ?? []),
    'orders.place': async (req) => trading().placeOrder(req, 'manual'),
    'positions.flatten': async ({ symbol }) => {
      try {
        return await trading().flatten(symbol);
      } catch (err) {
        if (err instanceof OrderNotOpenError) throw new HandlerError('NOT_FOUND', err.message);
        throw err;
      }
    },
    'orders.cancel': async ({ orderId }) => {
      try {
        return await trading().cancelOrder(orderId);
      } catch (err) {
        if (err instanceof OrderNotOpenError) throw new HandlerError('NOT_FOUND', err.message);
        throw err;
      }
    },
    'orders.list': async ({ scope, limit }) => d.store.orders.list({ accountId: account().accountId, openOnly: scope === 'open', limit }),
    'fills.list': async ({ limit }) => d.store.fills.list({ accountId: account().accountId, limit }),
    'positions.list': async () => (await account().snapshot()).positions,
    'account.summary': async () => (await account().snapshot()).summary,
    'account.equity': async ({ limit }) => d.store.equity.list(account().accountId, limit),
    'risk.status': async () => trading().riskStatus(),
    'risk.killSwitch': async ({ engaged }) => trading().setKillSwitch(engaged),
    'audit.list': async ({ limit }) => d.store.audit.list({ limit }),
    'settings.theme.get': async () => ({ theme: ((await d.store.settings.get(THEME_KEY)) as Theme | undefined) ?? 'dark' }),
    'settings.theme.set': async ({ theme }) => {
      await d.store.settings.set(THEME_KEY, theme);
      return { ok: true as const };
    },
    'settings.apiKeys.set': async ({ provider, key }) => {
      if (key === null) await d.secrets.delete(apiKeySecretName(provider));
      else await d.secrets.set(apiKeySecretName(provider), key);
      return { ok: true as const };
    },
    'settings.apiKeys.list': async () =>
      Promise.all(KeyedProvider.options.map(async (provider) => ({ provider, hasKey: await d.secrets.has(apiKeySecretName(provider)) }))),
    'data.sources': async () => d.data.sources(),
    'data.feeds': async () => d.data.feedsView(),
    'data.fundamentals': async ({ symbols, maxAgeHours }) =>
      (await d.fundamentals.get(symbols, maxAgeHours * 3_600_000)).map(({ symbol, status, fundamentals: f, error }) => {
        if (!f) return { symbol, status, source: null, asOf: null, asOfs: {}, fetchedAt: null, figures: null, error };
        const { symbol: _s, source, asOf, asOfs, fetchedAt, ...figures } = f;
        return { symbol, status, source, asOf, asOfs: asOfs ?? {}, fetchedAt, figures, error };
      }),
    'data.csvPreview': async ({ text, rows: count }) => {
      const { header, rows, rowCount } = await csvInput(() => d.csv.preview(text, count));
      let suggested: ReturnType<typeof guessMapping> | null = null;
      try {
        suggested = guessMapping(header);
      } catch (err) {
        if (!(err instanceof CsvError)) throw err;
      }
      return { header, rows, rowCount, suggested };
    },
    'data.import': async ({ symbol, timeframe, session, name, text, mapping }) => {
      // Parsed and mapped in the worker (checking the mapping's columns against the header); validated and written here.
      const mapped = await csvInput(() => d.csv.candidates(text, name, mapping));
      return importMappedBars(d.store, { symbol, timeframe, session, source: name, now: d.clock.now(), ...mapped });
    },
    'data.divergences': async ({ limit }) => d.data.divergences().slice(0, limit),
    'connection.status': async () => d.sessions.status(),
    'connection.settings': async () => d.sessions.savedSettings(),
    'connection.connect': async ({ confirmLive, ...settings }) => {
      if (settings.mode === 'live' && !confirmLive) {
        throw new HandlerError('BAD_REQUEST', 'confirmLive: live trading sends real orders with real money; confirm it explicitly (confirmLive: true)');
      }
      try {
        return await d.sessions.connect(settings);
      } catch (err) {
        if (err instanceof ConnectError) throw new HandlerError('UNAVAILABLE', err.message);
        throw err;
      }
    },
    'connection.disconnect': async () => d.sessions.disconnect(),
    'connection.reconciliation': async () => d.sessions.reconciliation(),
    'reconciliation.resolve': async ({ symbol, action, reason }) => {
      try {
        return await trading().resolvePositionDiff(symbol, action, reason);
      } catch (err) {
        if (err instanceof OrderNotOpenError) throw new HandlerError('NOT_FOUND', err.message);
        throw err;
      }
    },
    'account.brokerValues': async () => d.sessions.brokerValues(),
    'backtest.strategies': async () => d.backtests.strategies(),
    'backtest.run': (req) => userInput(() => d.backtests.run(req)),
    'backtest.optimize': (req) => userInput(() => d.backtests.optimize(req)),
    'backtest.cancel': async ({ id }) => {
      d.backtests.cancel(id);
      return { ok: true as const };
    },
    'backtest.list': async ({ limit }) => d.store.backtests.list(limit),
    'backtest.get': async ({ id }) => {
      const row = await d.store.backtests.get(id);
      if (!row) throw new HandlerError('NOT_FOUND', `No saved run ${id}`);
      return row.kind === 'backtest'
        ? { kind: 'backtest' as const, backtest: row.result as BacktestResult }
        : { kind: 'optimization' as const, optimization: row.result as OptimizationResult };
    },
    'strategies.start': (req) => userInput(() => d.strategies.start(req)),
    'strategies.stop': ({ id }) => userInput(() => d.strategies.stop(id)),
    'strategies.list': async () => d.strategies.list(),
  };
  return handlers;
}
