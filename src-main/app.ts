// The composition root: builds every service once, from the data folder's config, and disposes them in reverse order.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../src-shared/api/contract';
import { lockDataFolder, type DataFolderLock } from './data-folder-lock';
import { Health } from './health';
import { testFaults } from './test-faults';
import { createDemoMarket } from './adapters/demo/market';
import { demoProfile } from './adapters/demo/instruments';
import type { IbTimings } from './adapters/ib/config';
import { accountHash, createIbSession, ibAccountId } from './adapters/ib/session';
import { ibVenue } from './adapters/ib/venue';
import { CTRADER_CREDENTIALS_SECRET, ctraderSettingsWithDefaults } from './adapters/ctrader/config';
import { createCtraderSession } from './adapters/ctrader/session';
import { ctraderVenue } from './adapters/ctrader/venue';
import { OANDA_TOKEN_SECRET, oandaSettingsWithDefaults } from './adapters/oanda/config';
import { createOandaSession } from './adapters/oanda/session';
import { oandaVenue } from './adapters/oanda/venue';
import { IG_SECRET, igSettingsWithDefaults } from './adapters/ig/config';
import { createIgSession } from './adapters/ig/session';
import { igVenue } from './adapters/ig/venue';
import { defaultMt5BridgeScript, MT5_PASSWORD_SECRET, mt5SettingsWithDefaults } from './adapters/mt5/config';
import { createMt5Session } from './adapters/mt5/session';
import { mt5Venue } from './adapters/mt5/venue';
import { createPaperBroker } from './adapters/paper/broker';
import { PAPER_ACCOUNT_ID, PAPER_CFD_ACCOUNT_ID } from './adapters/paper/session';
import { paperCfdBrokerOptions, paperCfdVenue, paperVenue } from './adapters/paper/venue';
import { demoCfdSpec } from './domain/cfd/specs';
import { fxRates } from './domain/cfd/pip';
import { EncryptedSettingsSecrets } from './adapters/secrets/encrypted-settings';
import { loadConfig } from './config/config';
import { createLogger, type Logger } from './logging';
import { systemClock, type Clock } from './ports/clock';
import type { Disposable } from './ports/disposable';
import { apiKeySecretName, type Secrets } from './ports/secrets';
import type { Store } from './ports/store';
import { BacktestService } from './services/backtests';
import { wireMarketData } from './composition/market-data';
import { openStore } from './composition/store';
import { createCsvParsing } from './workers/csv-parsing';
import { FundamentalsCache } from './services/market-data/fundamentals-cache';
import { firstPriceSource, marketPriceSource, PerformanceService, storePriceSource } from './services/performance';
import { InstrumentProfiles } from './services/instrument-profiles';
import { SessionManager, type VenueAccount } from './services/sessions';
import { MarginMonitor } from './services/margin-monitor';
import { VenueRegistry } from './services/venue-registry';
import { LedgerService, type FillAccount } from './services/ledger';
import { createPortfolioRisk, stateActions, watchThresholds } from './composition/risk';
import { AlertService } from './services/alerts';
import { SessionReplay } from './services/session-replay';
import { StrategyDivergence } from './services/strategy-divergence';
import { realTimers } from './ports/timers';
import type { DesktopNotifier } from './ports/desktop-notifier';
import { StrategyRunner } from './services/strategy-runner';
import type { StrategyAccounts } from './services/strategy-accounts';
import { createApiHandlers } from './transport/api-handlers';
import { applyPendingRestore } from './composition/backups';
import { wireOperations, type Operations } from './composition/operations';
import { WatchlistService } from './services/watchlists';
import { createFredClient } from './adapters/fred/client';
import { MacroService } from './services/macro';
import { NewsService } from './services/news';
import { createStockData } from './composition/stock-data';
import type { Check } from './domain/health/report';
import { createScreener } from './composition/screener';
import { startTickFlood } from './test-tick-flood';
import { createDispatcher, EventHub, type Dispatch } from './transport/dispatcher';
import { ScrubbingEventHub, scrubbingDispatch, SecretScrubber } from './transport/scrubbing';
import { AppMetrics, timedDispatch, timedStore } from './services/app-metrics';
import type { HealthService } from './services/health-checks';
import { createAppHealth } from './composition/health';
import { readLogs } from './adapters/ops/log-files';

export interface AppOptions {
  dataDir: string;
  transport: 'electron' | 'web';
  clock?: Clock;
  /** postgres://… to use PostgreSQL instead of the SQLite file (also read from QUANT_DB_URL). */
  dbUrl?: string;
  /** better-sqlite3 built for Electron's ABI. */
  nativeBinding?: string;
  logger?: Logger;
  /** The OS keychain (Electron's safeStorage); undefined, or where it returns undefined: AES-GCM with a key file. */
  secrets?: (settings: Store['settings']) => Secrets | undefined;
  /** IB connection timings (tests use millisecond ones). */
  ibTimings?: Partial<IbTimings>;
  /** The entry's health state (its last-resort handler records into it); a new one otherwise. */
  health?: Health;
  /** The data folder's lock when the entry took it already (the web host, before its port); released on dispose. */
  lock?: DataFolderLock;
  /** Desktop notifications for fired alerts (Electron's; the browser host's renderer uses Web Notifications). */
  notifier?: DesktopNotifier;
  /** Prometheus metrics and the Monitoring samples (default on; QC_METRICS=off turns them off, for the bench). */
  metrics?: boolean;
}

export interface App {
  dispatch: Dispatch;
  hub: EventHub;
  info: AppInfo;
  logger: Logger;
  sessions: SessionManager;
  health: Health;
  /** The health report's checks (GET /health, health.get); `register` adds a component's checks. */
  checks: HealthService;
  /** GET /metrics; undefined when metrics are off. */
  metrics: AppMetrics | undefined;
  /** Backups, configuration history, reporting hooks (issue 18); `operations.hookHealth()` for the health checks. */
  operations: Operations;
  dispose(): Promise<void>;
}

export { PAPER_ACCOUNT_ID } from './adapters/paper/session';

export async function createApp(opts: AppOptions): Promise<App> {
  mkdirSync(opts.dataDir, { recursive: true });
  // One writer per data folder, taken before anything is read, opened or re-sent; a second instance stops here.
  const lock = opts.lock ?? lockDataFolder(opts.dataDir, { role: opts.transport === 'electron' ? 'desktop app' : 'web host', nativeBinding: opts.nativeBinding });
  const disposables: Disposable[] = [{ dispose: () => lock.release() }];

  try {
    const { config, path: configPath, created } = loadConfig(opts.dataDir);
    const health = opts.health ?? new Health();
    const logDir = join(opts.dataDir, 'logs');
    const logger = opts.logger ?? createLogger({
      level: config.logging.level, dir: logDir, onTarget: (t) => health.setLogging(t),
      rotation: { maxBytes: config.logging.max_file_mb * 1024 * 1024, maxFiles: config.logging.max_files, maxDays: config.logging.max_days },
    });
    const clockFrom = testFaults().clockFrom;
    const clock = opts.clock ?? (clockFrom === undefined ? systemClock : runningFrom(clockFrom));
    const metrics = (opts.metrics ?? process.env['QC_METRICS'] !== 'off') ? new AppMetrics(clock) : undefined;
    if (metrics) {
      metrics.start(testFaults().metricsSampleMs);
      disposables.push(metrics);
    }
    const dev = process.env['NODE_ENV'] !== 'production';
    const faults = testFaults();

    // A restore staged from Settings (issue 18) goes in place before the database is opened; the old one is kept aside.
    if (!opts.dbUrl && !process.env['QUANT_DB_URL']) {
      const restored = applyPendingRestore(opts.dataDir, clock.now(), (reason) => logger.error({ reason }, 'The staged restore was refused; the current database is used'));
      if (restored) logger.warn({ file: restored.file, keptAside: restored.keptAside }, 'database restored from a backup');
    }
    const rawStore: Store = await openStore({ dataDir: opts.dataDir, dbUrl: opts.dbUrl, nativeBinding: opts.nativeBinding, maxGrowthPages: faults.dbGrowthPages });
    disposables.push(rawStore);
    // SQLite ran quick_check as it opened (a damaged file is refused): that is the last integrity check.
    const integrity = rawStore.kind === 'sqlite' ? { time: clock.now(), problems: [] as string[] } : null;
    const store: Store = metrics ? timedStore(rawStore, (statement, seconds) => metrics.observeStatement(statement, seconds)) : rawStore;
    const secrets = opts.secrets?.(store.settings) ?? new EncryptedSettingsSecrets(store.settings, join(opts.dataDir, 'secrets.key'));

    const demo = createDemoMarket({ clock, seed: config.market.demo_seed, tickIntervalMs: config.market.tick_interval_ms });
    disposables.push(demo);
    await store.instruments.upsertMany(demo.instruments());
    if (faults.priceShock) {
      const { symbol, factor } = faults.priceShock;
      let level = 1; // each signal compounds: a second 0.5 shock leaves a quarter of the price
      const onSignal = () => {
        level *= factor;
        logger.warn({ symbol, factor, level }, 'test fault: demo price shock');
        demo.shock(symbol, level);
      };
      process.on('SIGUSR2', onSignal);
      disposables.push({ dispose: () => void process.off('SIGUSR2', onSignal) });
    }
    // Answers and events leave scrubbed of API keys (upstream errors quote the URLs they failed on).
    let venueSecretNames: string[] = []; // the venues' credentials (OANDA's token), once they are registered
    const scrubber = new SecretScrubber(secrets, () => venueSecretNames);
    await scrubber.refresh();
    const hub = new ScrubbingEventHub(dev, scrubber);
    disposables.push(health.onChange((h) => hub.emit('health', h)));
    // Every quote and bar the app sees comes through the failover manager (demo market first in the demo session).
    const data = await wireMarketData({ config, demo, clock, logger, store, secrets, emit: (name, payload) => hub.emit(name, payload) });
    disposables.push(...data.disposables);
    const market = data.manager;

    const paper = config.brokers.paper;
    // The paper broker's book across restarts is the store (see adapters/paper/broker.ts).
    const broker = createPaperBroker({
      market, clock, slippageBps: paper.slippage_bps,
      book: async () => (await store.orders.list({ accountId: PAPER_ACCOUNT_ID, openOnly: true, limit: 5000 })).reverse(),
    });

    const instruments = market.instruments();
    // The venues accounts can be held at; a new broker is one more `register` here.
    const venues = new VenueRegistry();
    const cfd = config.brokers.paper_cfd;
    if (cfd.enabled) {
      // Registered before the paper account, so the paper account (connected last) stays the default one.
      const cfdBroker = createPaperBroker({
        market, clock, slippageBps: cfd.slippage_bps, ...paperCfdBrokerOptions('USD', fxRates((symbol) => market.lastQuote(symbol)?.last)),
        book: async () => (await store.orders.list({ accountId: PAPER_CFD_ACCOUNT_ID, openOnly: true, limit: 5000 })).reverse(),
      });
      venues.register(paperCfdVenue({
        accountId: PAPER_CFD_ACCOUNT_ID, broker: cfdBroker, market, initialCash: cfd.initial_cash,
        terms: { regime: cfd.leverage_regime, levels: { marginCall: cfd.margin_call_level, stopOut: cfd.stop_out_level }, spec: demoCfdSpec },
      }));
    }
    venues
      .register(paperVenue({ accountId: PAPER_ACCOUNT_ID, broker, market, initialCash: paper.initial_cash }))
      .register(ibVenue((settings, knownAccountHash) => createIbSession({
        settings, clock, logger, instruments, ids: store.settings, knownAccountHash, timings: opts.ibTimings,
        // IB feeds the instruments while connected; on a drop or a silent feed the failover manager moves them to Yahoo.
        marketFor: (ibData) => {
          data.attach(ibData);
          return { market, release: () => data.detach('ib') };
        },
        lastExecutionTime: async (accountId) => (await store.fills.list({ accountId, limit: 1 }))[0]?.time ?? null,
      })));
    // The investment ledger: every fill of a connected account becomes a transaction (deduplicated by execution id).
    const ledger = new LedgerService({ ledger: store.ledger, fills: store.fills, clock, ibAccountId: (a) => ibAccountId(accountHash(a)), onError: (err, what) => logger.warn({ err }, what) });
    disposables.push(ledger);
    const fillAccount = (a: VenueAccount): FillAccount => ({
      accountId: a.accountId, name: a.venue.accountLabel(a.session), kind: a.venue.id === 'paper' ? 'paper' : 'broker', currencyOf: (symbol) => a.market.instrument(symbol)?.currency,
    });
    const syncLedger = () => {
      for (const a of sessions.accounts()) void ledger.syncFills(fillAccount(a)).catch((err: unknown) => logger.warn({ err }, 'ledger: recording missed fills failed'));
    };
    const oanda = config.brokers.oanda;
    if (oanda.enabled) {
      venues.register(oandaVenue((settings, knownAccountHash) => createOandaSession({
        settings, clock, logger, ids: store.settings, knownAccountHash, token: () => secrets.get(OANDA_TOKEN_SECRET),
      }), oandaSettingsWithDefaults({
        // config.yaml alone never connects a live account at start-up: that needs one confirmed connect (then saved).
        account_id: oanda.account_id, environment: oanda.environment, base_url: oanda.base_url, stream_url: oanda.stream_url,
        auto_connect: oanda.auto_connect && oanda.environment === 'practice',
      })));
    }
    const ctrader = config.brokers.ctrader;
    if (ctrader.enabled) {
      venues.register(ctraderVenue((settings, knownAccountHash) => createCtraderSession({
        settings, clock, logger, ids: store.settings, knownAccountHash, credentials: () => secrets.get(CTRADER_CREDENTIALS_SECRET),
      }), ctraderSettingsWithDefaults({
        // As OANDA: config.yaml alone never connects a live account at start-up.
        account_id: ctrader.account_id, environment: ctrader.environment, client_id: ctrader.client_id, url: ctrader.url, symbols: ctrader.symbols,
        auto_connect: ctrader.auto_connect && ctrader.environment === 'demo',
      })));
    }
    const ig = config.brokers.ig;
    if (ig.enabled) {
      venues.register(igVenue((settings, knownAccountHash) => createIgSession({
        settings, clock, logger, ids: store.settings, knownAccountHash, secret: () => secrets.get(IG_SECRET),
      }), igSettingsWithDefaults({
        account_id: ig.account_id, environment: ig.environment, identifier: ig.identifier, base_url: ig.base_url,
        auto_connect: ig.auto_connect && ig.environment === 'demo',
      })));
    }
    const mt5 = config.brokers.mt5;
    if (mt5.enabled) {
      // The bridge inherits our environment: PYTHONPATH=tests/mt5/stand-in runs it on the stand-in package (no Windows).
      const script = mt5.bridge_script || defaultMt5BridgeScript();
      venues.register(mt5Venue((settings, knownAccountHash) => createMt5Session({
        settings, clock, logger, ids: store.settings, knownAccountHash, password: () => secrets.get(MT5_PASSWORD_SECRET), bridge: { script },
      }), mt5SettingsWithDefaults({
        login: mt5.login, server: mt5.server, terminal_path: mt5.terminal_path, python: mt5.python, symbols: mt5.symbols, live: mt5.live,
        auto_connect: mt5.auto_connect && !mt5.live,
      })));
    }
    venueSecretNames = venues.list().flatMap((v) => (v.secret ? [v.secret.name] : []));
    await scrubber.refresh();
    // Profiles for exposure: the user's edits, then IB's and Yahoo's (fetched through the failover manager, kept in
    // the store), then the demo market's own.
    const profiles = new InstrumentProfiles({
      store, clock, fetch: (symbol) => data.manager.profiles(symbol), builtIn: demoProfile,
      onError: (err) => logger.warn({ err }, 'Instrument profile fetch failed'),
    });
    // Portfolio risk (issue 17): trading states and portfolio limits in every account's order gate.
    const { states, risk } = createPortfolioRisk({
      config, store, clock, logger, demo, actions: stateActions(() => sessions, store),
      // Sector caps and the sector shock use the merged profiles (the user's edit first); the rest comes from the specs.
      profiles: async (symbols) => new Map([...(await profiles.resolve(symbols))].map(([symbol, p]) => [symbol, p.sector ? { sector: p.sector } : {}])),
    });
    // Alerts (issue 17 item 5): fed quotes, limit usage, drawdown and margin below; kept in the settings table.
    let accountLabel = (_accountId: string): string | undefined => undefined;
    const alerts = new AlertService({
      store, clock, onRules: (list) => hub.emit('alerts', list), onError: (err) => logger.warn({ err }, 'alerts: store failed'),
      // Indicator alerts read the daily bars of the data layer (IB, then Yahoo, then the demo market).
      dailyCloses: async (symbol) => (await market.history(symbol, '1d', 400)).map((b) => ({ time: b.time, close: b.close })),
      // The session manager is built below (it feeds the alerts); until then an alert names the account id.
      accountLabel: (accountId) => accountLabel(accountId),
      onFired: (e) => {
        hub.emit('alerts.fired', e);
        opts.notifier?.notify(e.title, e.message);
      },
    });
    await alerts.start();
    disposables.push({ dispose: () => alerts.idle() });
    // Backups, configuration history and reporting hooks (issue 18).
    const operations = await wireOperations({ dataDir: opts.dataDir, config, configPath, store: rawStore, clock, logger, accounts: () => sessions.accounts().map((a) => a.accountId) });
    disposables.push(...operations.disposables);
    const sessions: SessionManager = new SessionManager({
      store, clock, logger, config, venues, accountTimeoutMs: opts.ibTimings?.requestTimeoutMs, gate: (view) => risk.gate(view),
      events: {
        trading: (e, a) => {
          if (e.kind === 'order') {
            hub.emit('order', e.order);
            alerts.observeOrder(e.order);
            metrics?.observeOrder(e.order);
          } else if (e.kind === 'fill') {
            hub.emit('fill', e.fill);
            metrics?.observeFill(a.venue.id);
            ledger.onFill(e.fill, fillAccount(a));
            alerts.observeFill(e.fill);
            void operations.hooks.onFill(e.fill);
          }
          else if (e.kind === 'risk' && a === sessions.active()) hub.emit('risk', e.status);
          else if (e.kind === 'portfolio') void a.account.push().catch((err: unknown) => logger.warn({ err }, 'account push failed'));
        },
        account: (update, isDefault) => {
          hub.emit('account.update', update);
          if (!isDefault) return;
          hub.emit('account', update.summary);
          hub.emit('positions', update.positions);
        },
        quote: (q) => {
          hub.emit('quote', q);
          metrics?.observeQuote(q.source);
          alerts.observePrice(q.symbol, q.last);
        },
        accountQuote: (quote, accountIds) => hub.emit('account.quote', { accountIds, quote }),
        connection: (s) => hub.emit('connection', s),
        accounts: (list) => {
          hub.emit('accounts', list);
          syncLedger();
        },
        reconciliation: (r, accountId) => hub.emit('reconciliation', { ...r, accountId }),
        brokerValues: (v, _accountId, isDefault) => {
          if (isDefault) hub.emit('account.brokerValues', v);
        },
      },
    });
    disposables.push(sessions);
    accountLabel = (accountId) => sessions.list().find((a) => a.accountId === accountId)?.label;
    if (faults.tickFlood) disposables.push(startTickFlood({ ...faults.tickFlood, market, emit: (q) => hub.emit('quote', q), now: () => clock.now() }));
    // The paper account now; saved connections with auto-connect (IB) in the background: the app is usable meanwhile.
    await sessions.start();
    syncLedger();
    // Thresholds and limit usage every 5 s and on each state change; both pushed to every renderer.
    disposables.push(states.on((rec) => hub.emit('risk.state', rec)));
    disposables.push(watchThresholds({
      risk, states, sessions, logger, clock,
      onLimits: (accountId, limits, time) => {
        hub.emit('risk.limits', { accountId, time, limits });
        const budget = limits.find((l) => l.name === 'max_portfolio_risk');
        if (budget && budget.limit > 0) alerts.observeAccount('var-use', accountId, (budget.value / budget.limit) * 100);
      },
      onDrawdown: (accountId, fromPeak) => alerts.observeAccount('drawdown', accountId, fromPeak * 100),
      onConcentration: (accountId, largest) => alerts.observeAccount('concentration', accountId, largest ? largest.value * 100 : 0),
      wantConcentration: () => alerts.list().some((r) => r.kind === 'concentration'),
    }));

    // Margin of every account, pushed every second; alerts below risk.margin_alert_level.
    const margin = new MarginMonitor({
      sessions, alertLevel: config.risk.margin_alert_level, logger, onStatus: (list) => {
        hub.emit('margin', list);
        for (const m of list) if (m.marginLevel !== null) alerts.observeAccount('margin-level', m.accountId, Number(m.marginLevel));
      }, onAlert: (s) => hub.emit('margin.alert', s),
    });
    margin.start();
    disposables.push(margin);

    const backtests = new BacktestService({ store, market: demo, clock, onProgress: (id, done, total) => hub.emit('backtest.progress', { id, done, total }) });
    disposables.push(backtests);

    // Live strategies trade any connected account (a real-money one only with the trader's confirmation).
    const accounts: StrategyAccounts = {
      defaultId: PAPER_ACCOUNT_ID,
      get(accountId) {
        const a = sessions.account(accountId);
        return a ? { trading: a.trading, account: a.account, live: a.live } : undefined;
      },
    };
    const strategies = await startStrategyRunner({ store: operations.strategyStore, market, accounts, clock, logger, hub });
    disposables.push(strategies);
    // Live vs backtest divergence of each live strategy: on demand, and daily on the clock (issue 17 item 7).
    const divergence = new StrategyDivergence({ store, market, clock, logger });
    divergence.scheduleDaily(realTimers);
    disposables.push(divergence);

    const info: AppInfo = {
      name: 'Quant Claude', version: '0.1.0', transport: opts.transport, broker: 'Paper — demo market', dataDir: opts.dataDir,
      database: store.kind,
    };
    const csv = createCsvParsing();
    disposables.push(csv);
    // Investment tracking (issue 13): the ledger's accounts and transactions valued with daily closes from the bar
    // store, then the failover manager.
    const performance = new PerformanceService({
      ledger: ledger.source, prices: firstPriceSource([storePriceSource(store), marketPriceSource(market, clock)]), clock,
      profiles: async (symbols) => {
        const merged = await profiles.resolve(symbols);
        return (symbol) => merged.get(symbol);
      },
    });
    // Macro series from FRED (issue 16): its key from the secrets store on every call, like the other keyed providers.
    const fredConfig = config.data_providers.fred;
    const fred = fredConfig.enabled ? createFredClient({ clock, apiKey: () => secrets.get(apiKeySecretName('fred')), baseUrl: fredConfig.endpoint, timeoutMs: fredConfig.timeout * 1000 }) : undefined;
    if (fred) disposables.push(fred);
    const macro = new MacroService({ source: fred, store: store.macro, settings: store.settings, hasKey: () => secrets.has(apiKeySecretName('fred')), clock });
    const watchlists = new WatchlistService({ store: store.watchlists, clock });
    // Stock analysis (issue 16): universes, point-in-time statements and daily closes for the factor engine.
    const stockData = createStockData({ store, demo, clock, watchlists, fetchStatements: (symbol) => data.manager.statements(symbol) });
    const checks = createAppHealth({
      dataDir: opts.dataDir, clock, store, integrity: () => integrity, sessions, data: data.manager, staleMs: config.api_strategy.stale_after * 1000, strategies, process: health,
    });
    // Reporting hooks and trade-data replication (issue 18) in the health report: a delivery that keeps failing warns
    // (it is queued and retried, never lost); replication warns while its last pass failed or it falls behind.
    disposables.push(checks.register('operations', async () => {
      const h = await operations.hookHealth();
      const out: Check[] = [{
        key: 'reporting-hooks:pending', componentType: 'component', observedValue: h.pending, observedUnit: 'deliveries',
        status: h.failedAttempts > 0 ? 'warn' : 'pass', ...(h.lastError ? { output: `${h.failedAttempts} failed attempts; last: ${h.lastError}` } : {}),
      }];
      const r = operations.replicator?.status();
      if (r) {
        const behind = r.behind.orders + r.behind.fills + r.behind.audit;
        out.push({
          key: 'replication:rows-behind', componentType: 'datastore', observedValue: behind, observedUnit: 'rows',
          status: r.lastError && (r.lastSuccess === null || r.lastError.time > r.lastSuccess) ? 'warn' : 'pass',
          ...(r.lastError ? { output: r.lastError.message } : {}),
        });
      }
      return out;
    }));
    const ops = { health: () => checks.get(), metrics, readLogs: (q: Parameters<typeof readLogs>[1]) => readLogs(logDir, q) };
    const inner = createDispatcher(createApiHandlers({ ops, info, health, store, sessions, venues, backtests, secrets, strategies, data: data.manager, clock, csv, margin, performance, ledger, profiles, risk, states, alerts,
      replay: new SessionReplay({ store, clock }), divergence,
      watchlists, universes: stockData.universes, macro, news: new NewsService({ fetch: (symbol, count) => data.manager.news(symbol, count), clock }),
      screener: createScreener({ clock, screens: store.screens, data: stockData }), operations: operations.deps,
      fundamentals: new FundamentalsCache({ store, clock, fetch: (symbol) => data.manager.fundamentals(symbol) }) }), {
      validateResponses: dev,
      onInternalError: (method, err) => logger.error({ method, err }, 'API handler failed'),
    });
    const dispatch = scrubbingDispatch(metrics ? timedDispatch(inner, metrics) : inner, scrubber);
    logger.info({ configPath, created, database: store.kind, transport: opts.transport }, 'Quant Claude started');

    return {
      dispatch, hub, info, logger,
      sessions, health, checks, metrics, operations,
      async dispose() {
        await sessions.idle();
        for (const d of disposables.reverse()) await d.dispose();
        logger.info('stopped');
        logger.flush?.();
      },
    };
  } catch (err) {
    for (const d of disposables.reverse()) await Promise.resolve(d.dispose()).catch(() => undefined);
    throw err;
  }
}

/** Test-only: a clock that starts at `t0` and runs at the speed of real time. */
function runningFrom(t0: number): Clock {
  const start = Date.now();
  return { now: () => t0 + (Date.now() - start) };
}

/** Live strategies on the session's market and trading service; the ones running at the last stop resume. */
async function startStrategyRunner(d: Omit<ConstructorParameters<typeof StrategyRunner>[0], 'onChange'> & { hub: EventHub }): Promise<StrategyRunner> {
  const runner = new StrategyRunner({ ...d, onChange: (list) => d.hub.emit('strategies', list) });
  await runner.resume();
  runner.startTimers();
  return runner;
}
