// The contract's methods implemented on the services: thin glue, no business rules of its own.
import { accountTotals } from '../../src-shared/domain/totals';
import { IbSettings, KeyedProvider, type AppHealth, type AppInfo, BacktestResult, type OptimizationResult, type Theme } from '../../src-shared/api/contract';
import { CsvError, guessMapping } from '../domain/data/csv';
import type { Clock } from '../ports/clock';
import { apiKeySecretName, type Secrets } from '../ports/secrets';
import type { Store } from '../ports/store';
import { BacktestInputError, newestBars, type BacktestService } from '../services/backtests';
import { completenessInPieces } from '../services/market-data/completeness';
import { importMappedBars, seriesCalendar } from '../services/market-data/csv-import';
import type { CsvParsing } from '../workers/csv-parsing';
import type { FundamentalsCache } from '../services/market-data/fundamentals-cache';
import type { MarketDataManager } from '../services/market-data/manager';
import type { MarketData } from '../ports/market-data';
import {
  ConnectError, LiveNotConfirmedError, UnknownAccountError, UnknownVenueError, type SessionManager, type VenueAccount,
} from '../services/sessions';
import { ZodError } from 'zod';
import { HandlerError, type ApiHandlers } from './dispatcher';
import { DataUnavailableError, StrategyInputError, type StrategyRunner } from '../services/strategy-runner';
import { OrderNotOpenError } from '../services/trading';
import { cfdSpecs, computeSize, kellyFromTrades } from '../services/cfd-sizing';
import type { MarginMonitor } from '../services/margin-monitor';
import type { VenueRegistry } from '../services/venue-registry';
import type { PerformanceService } from '../services/performance';
import type { InstrumentProfiles } from '../services/instrument-profiles';
import { analyticsHandlers } from './analytics-handlers';
import type { LedgerService } from '../services/ledger';
import { portfolioHandlers } from './portfolio-handlers';
import { slippageReport } from '../domain/execution/slippage';
import type { WatchlistService } from '../services/watchlists';
import { watchlistHandlers } from './watchlist-handlers';
import { macroHandlers } from './macro-handlers';
import type { MacroService } from '../services/macro';
import type { NewsService } from '../services/news';
import { universeHandlers } from './universe-handlers';
import type { UniverseService } from '../services/universes';
import { screenerHandlers } from './screener-handlers';
import type { ScreenerService } from '../services/screener';
import { riskHandlers } from './risk-handlers';
import { alertHandlers } from './alert-handlers';
import { opsHandlers, type OpsDeps } from './ops-handlers';
import { replayHandlers } from './replay-handlers';
import type { SessionReplay } from '../services/session-replay';
import { divergenceHandlers } from './divergence-handlers';
import type { StrategyDivergence } from '../services/strategy-divergence';
import { operationsHandlers, type OperationsDeps } from './operations-handlers';
import type { AlertService } from '../services/alerts';
import type { PortfolioRiskService } from '../services/portfolio-risk';
import type { TradingStates } from '../services/trading-states';

export interface HandlerDeps {
  info: AppInfo;
  health: { snapshot(): AppHealth };
  store: Store;
  /** Every connected account; a request without an accountId goes to the default one. */
  sessions: SessionManager;
  venues: VenueRegistry;
  backtests: BacktestService;
  /** The failover manager behind `market` (data.* methods). */
  data: MarketDataManager;
  secrets: Secrets;
  strategies: StrategyRunner;
  clock: Clock;
  fundamentals: FundamentalsCache;
  /** CSV parsing off the main thread (data.csvPreview, data.import). */
  csv: CsvParsing;
  /** Margin of every account (absent: no account has margin figures). */
  margin?: MarginMonitor;
  /** analytics.* (issue 13); without it they answer UNAVAILABLE. */
  performance?: PerformanceService;
  /** The investment ledger (portfolio.*). */
  ledger: LedgerService;
  /** The chart's watchlists (watchlists.*). */
  watchlists: WatchlistService;
  /** Stock analysis (issue 16): universes.*; absent: UNAVAILABLE. */
  universes?: UniverseService;
  /** The screener and the factor lab (screener.*, issue 16); absent: UNAVAILABLE. */
  screener?: ScreenerService;
  /** Instrument profiles for exposure (analytics.profiles*). */
  profiles?: InstrumentProfiles;
  /** Portfolio risk and trading states (risk.state.*, risk.snapshot, risk.limits); absent: UNAVAILABLE. */
  risk?: PortfolioRiskService;
  states?: TradingStates;
  /** Price and portfolio alerts (alerts.*); absent: UNAVAILABLE. */
  alerts?: AlertService;
  /** Macro series (macro.*) and news with sentiment (news.*); absent: UNAVAILABLE. */
  macro?: MacroService;
  news?: NewsService;
  /** Health report, metrics samples, log viewer (issue 18); absent: UNAVAILABLE. */
  ops?: OpsDeps;
  /** Session replay from the audit log (replay.*); absent: UNAVAILABLE. */
  replay?: SessionReplay;
  /** Live vs backtest divergence of live strategies (divergence.*); absent: UNAVAILABLE. */
  divergence?: StrategyDivergence;
  /** Backups, configuration history, reporting hooks (issue 18); absent: UNAVAILABLE. */
  operations?: OperationsDeps;
}

/** Bad backtest input (a malformed CSV, an unknown parameter) is the caller's to fix: BAD_REQUEST with the reason. */
/** A saved backtest read for the terminal; one the database holds in a shape it cannot read is a clear error. */
function savedBacktest(id: string, stored: unknown): BacktestResult {
  const r = BacktestResult.safeParse(stored);
  if (!r.success) throw new HandlerError('UNAVAILABLE', `Saved run ${id} cannot be read: ${r.error.issues[0]?.message ?? 'malformed'}`);
  return r.data;
}

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

/** The secrets-store name of a venue's credential; NOT_FOUND for an unknown venue or one without a credential. */
function venueSecret(venues: VenueRegistry, id: string): string {
  const secret = venues.get(id)?.secret;
  if (!secret) throw new HandlerError('NOT_FOUND', venues.get(id) ? `${id} has no credential to set` : `No venue ${id}`);
  return secret.name;
}

/** A request for an account that is not connected, a venue that does not exist, settings the venue refuses, a live
 * connection not confirmed: the caller's to fix. A connection that failed: UNAVAILABLE with the reason. */
async function sessionInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UnknownAccountError || err instanceof UnknownVenueError) throw new HandlerError('NOT_FOUND', err.message);
    if (err instanceof LiveNotConfirmedError) throw new HandlerError('BAD_REQUEST', err.message);
    if (err instanceof ZodError) {
      throw new HandlerError('BAD_REQUEST', `Invalid settings: ${err.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ')}`);
    }
    if (err instanceof ConnectError) throw new HandlerError('UNAVAILABLE', err.message);
    if (err instanceof OrderNotOpenError) throw new HandlerError('NOT_FOUND', err.message);
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
  /** The named account, or the default one (an unknown id: NOT_FOUND). */
  const on = (accountId: string | undefined): VenueAccount => {
    try {
      return d.sessions.resolve(accountId);
    } catch (err) {
      if (err instanceof UnknownAccountError) throw new HandlerError('NOT_FOUND', err.message);
      throw err;
    }
  };
  /** The named account's market (an unknown account is NOT_FOUND), else the default account's. */
  const marketOf = (accountId: string | undefined): MarketData => (accountId === undefined ? market() : on(accountId).market);
  /** The accounts a list covers: every connected one, or the named / default one. */
  const scope = (r: { accountId?: string; allAccounts: boolean }): VenueAccount[] => (r.allAccounts ? d.sessions.accounts() : [on(r.accountId)]);
  const handlers: ApiHandlers = {
    'app.info': async () => ({ ...d.info, now: d.clock.now() }),
    'app.health': async () => d.health.snapshot(),
    'instruments.list': async ({ accountId }) => marketOf(accountId).instruments(),
    'instruments.search': async ({ query, accountId }) => {
      const q = query.trim().toLowerCase();
      const all = marketOf(accountId).instruments();
      if (!q) return all;
      // Symbol prefix matches first, then name matches.
      const bySymbol = all.filter((i) => i.symbol.toLowerCase().startsWith(q));
      const byName = all.filter((i) => !bySymbol.includes(i) && (i.name.toLowerCase().includes(q) || i.symbol.toLowerCase().includes(q)));
      return [...bySymbol, ...byName];
    },
    'bars.history': async ({ symbol, timeframe, limit, accountId }) => {
      const chosen = accountId === undefined ? undefined : d.sessions.account(accountId)?.market;
      const from = chosen?.instrument(symbol) ? chosen : market();
      if (!from.instrument(symbol)) throw new HandlerError('NOT_FOUND', `Unknown symbol ${symbol}`);
      return from.history(symbol, timeframe, limit);
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
    'quotes.snapshot': async ({ accountId }) => {
      const m = marketOf(accountId);
      return m.instruments().flatMap((i) => m.lastQuote(i.symbol) ?? []);
    },
    'orders.place': async ({ accountId, ...req }) => on(accountId).trading.placeOrder(req, 'manual'),
    'positions.flatten': ({ symbol, accountId }) => sessionInput(() => on(accountId).trading.flatten(symbol)),
    'orders.cancel': async ({ orderId }) => {
      // On the account that holds the order (it may not be the default one).
      const order = await d.store.orders.get(orderId);
      const owner = order ? d.sessions.account(order.accountId) : undefined;
      return sessionInput(() => (owner ?? active()).trading.cancelOrder(orderId));
    },
    'orders.modify': async ({ orderId, ...change }) => {
      const order = await d.store.orders.get(orderId);
      const owner = order ? d.sessions.account(order.accountId) : undefined;
      return sessionInput(() => (owner ?? active()).trading.modifyOrder(orderId, change));
    },
    'orders.list': async ({ scope: which, limit, ...r }) => {
      const lists = await Promise.all(scope(r).map((a) => d.store.orders.list({ accountId: a.accountId, openOnly: which === 'open', limit })));
      return lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    },
    'execution.slippage': async ({ from, to, limit, ...r }) => {
      const lists = await Promise.all(scope(r).map((a) => d.store.fills.quality({ accountId: a.accountId, from, to, limit })));
      return slippageReport(lists.flat().sort((a, b) => b.time - a.time).slice(0, limit));
    },
    'fills.list': async ({ limit, ...r }) => {
      const lists = await Promise.all(scope(r).map((a) => d.store.fills.list({ accountId: a.accountId, limit })));
      return lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => b.time - a.time).slice(0, limit);
    },
    'positions.list': async (r) => (await Promise.all(scope(r).map(async (a) => (await a.account.snapshot()).positions))).flat(),
    'account.summary': async ({ accountId }) => (await on(accountId).account.snapshot()).summary,
    'account.equity': async ({ limit, accountId }) => d.store.equity.list(on(accountId).accountId, limit),
    'accounts.list': async () => d.sessions.list(),
    'accounts.overview': async () => {
      const accounts = await Promise.all(d.sessions.accounts().map(async (a) => ({ accountId: a.accountId, ...(await a.account.snapshot()) })));
      return { accounts, totals: accountTotals(accounts.map((a) => a.summary)) };
    },
    'venues.list': async () => d.venues.info(),
    'venues.settings': ({ venue }) => sessionInput(async () => (await d.sessions.savedSettings(venue)) as Record<string, unknown>),
    'venues.connect': ({ venue, settings, confirmLive }) => sessionInput(() => d.sessions.connect(venue, settings, { confirmLive })),
    'venues.disconnect': ({ venue }) => sessionInput(() => d.sessions.disconnect(venue)),
    'venues.secret.set': async ({ venue, value }) => {
      const name = venueSecret(d.venues, venue);
      if (value === null) await d.secrets.delete(name);
      else await d.secrets.set(name, value);
      return { ok: true as const };
    },
    'venues.secret.status': async ({ venue }) => ({ set: await d.secrets.has(venueSecret(d.venues, venue)) }),
    'risk.status': async ({ accountId }) => on(accountId).trading.riskStatus(),
    'risk.killSwitch': async ({ engaged, accountId }) => on(accountId).trading.setKillSwitch(engaged),
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
    // The connection.* methods are the Interactive Brokers venue's (Settings → Connections before several accounts).
    'connection.status': async () => d.sessions.status(),
    'connection.settings': async () => IbSettings.parse(await d.sessions.savedSettings('ib')),
    'connection.connect': ({ confirmLive, ...settings }) => sessionInput(() => d.sessions.connect('ib', settings, { confirmLive })),
    'connection.disconnect': () => sessionInput(() => d.sessions.disconnect('ib')),
    'connection.reconciliation': async ({ accountId }) => {
      const a = on(accountId);
      const report = d.sessions.reconciliation(a.accountId);
      return report && { ...report, accountId: a.accountId };
    },
    'reconciliation.resolve': async ({ symbol, action, reason, accountId }) => {
      const a = on(accountId);
      return { ...(await sessionInput(() => a.trading.resolvePositionDiff(symbol, action, reason))), accountId: a.accountId };
    },
    'account.brokerValues': async ({ accountId }) => on(accountId).session.accountValues(),
    'backtest.strategies': async () => d.backtests.strategies(),
    'backtest.run': (req) => userInput(async () => newestBars(await d.backtests.run(req))),
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
        ? { kind: 'backtest' as const, backtest: newestBars(savedBacktest(id, row.result)) }
        : { kind: 'optimization' as const, optimization: row.result as OptimizationResult };
    },
    'backtest.bars': async ({ id }) => {
      const row = await d.store.backtests.get(id);
      if (!row || row.kind !== 'backtest') throw new HandlerError('NOT_FOUND', `No saved backtest ${id}`);
      return savedBacktest(id, row.result).bars;
    },
    'strategies.start': (req) => userInput(() => d.strategies.start(req)),
    'strategies.stop': ({ id }) => userInput(() => d.strategies.stop(id)),
    'strategies.list': async () => d.strategies.list(),
    'margin.status': async () => (d.margin ? d.margin.statuses() : []),
    'cfd.specs': async ({ accountId }) => cfdSpecs(on(accountId)),
    'sizing.compute': async (r) => computeSize(on(r.accountId), r),
    'sizing.kelly': async ({ backtestId }) => {
      const row = await d.store.backtests.get(backtestId);
      if (!row || row.kind !== 'backtest') throw new HandlerError('NOT_FOUND', `No saved backtest ${backtestId}`);
      return kellyFromTrades((row.result as BacktestResult).trades);
    },
    ...analyticsHandlers(d.performance, d.profiles),
    ...portfolioHandlers({ ledger: d.ledger, market }),
    ...watchlistHandlers(d.watchlists),
    ...macroHandlers(d),
    ...universeHandlers(d.universes),
    ...screenerHandlers(d.screener),
    ...riskHandlers({ risk: d.risk, states: d.states, account: on }),
    ...alertHandlers({ alerts: d.alerts, market, defaultAccount: () => on(undefined).accountId }),
    ...opsHandlers(d.ops),
    ...replayHandlers({ replay: d.replay, account: on }),
    ...divergenceHandlers(d.divergence),
    ...operationsHandlers(d.operations ?? { stagedFrom: { value: null } }),
  };
  return handlers;
}
