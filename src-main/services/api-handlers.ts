// The contract's methods implemented on the services: thin glue, no business rules of its own.
import type { Theme } from '../../src-shared/api/contract';
import type { MarketData } from '../ports/market-data';
import { apiKeySecretName, type Secrets } from '../ports/secrets';
import type { Store } from '../ports/store';
import { HandlerError, type ApiHandlers } from '../transport/dispatcher';
import type { AccountService } from './account';
import { OrderNotOpenError, type TradingService } from './trading';
import { IbSettings, KeyedProvider, type AppInfo, type BacktestResult, type OptimizationResult } from '../../src-shared/api/contract';
import { BacktestInputError, type BacktestService } from './backtests';
import { completeness } from './market-data/completeness';
import { StrategyInputError, type StrategyRunner } from './strategy-runner';
import type { MarketDataManager } from './market-data/manager';

export interface HandlerDeps {
  info: AppInfo;
  store: Store;
  market: MarketData;
  trading: TradingService;
  account: AccountService;
  backtests: BacktestService;
  /** The failover manager behind `market` (data.* methods). */
  data: MarketDataManager;
  secrets: Secrets;
  strategies: StrategyRunner;
}

/** Bad backtest input (a malformed CSV, an unknown parameter) is the caller's to fix: BAD_REQUEST with the reason. */
async function userInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BacktestInputError || err instanceof StrategyInputError) throw new HandlerError('BAD_REQUEST', err.message);
    throw err;
  }
}

const THEME_KEY = 'ui.theme';

export function createApiHandlers(d: HandlerDeps): ApiHandlers {
  const accountId = d.account.accountId;
  const handlers: ApiHandlers = {
    'app.info': async () => d.info,
    'instruments.list': async () => d.market.instruments(),
    'instruments.search': async ({ query }) => {
      const q = query.trim().toLowerCase();
      const all = d.market.instruments();
      if (!q) return all;
      // Symbol prefix matches first, then name matches.
      const bySymbol = all.filter((i) => i.symbol.toLowerCase().startsWith(q));
      const byName = all.filter((i) => !bySymbol.includes(i) && (i.name.toLowerCase().includes(q) || i.symbol.toLowerCase().includes(q)));
      return [...bySymbol, ...byName];
    },
    'bars.history': async ({ symbol, timeframe, limit }) => {
      if (!d.market.instrument(symbol)) throw new HandlerError('NOT_FOUND', `Unknown symbol ${symbol}`);
      return d.market.history(symbol, timeframe, limit);
    },
    'data.completeness': async ({ symbol, timeframe, from, to }) => {
      const session = d.market.instrument(symbol)?.session ?? (await d.store.instruments.list()).find((i) => i.symbol === symbol)?.session;
      if (!session) throw new HandlerError('NOT_FOUND', `Unknown symbol ${symbol}`);
      return completeness(d.store, { symbol, timeframe, session, from, to });
    },
    'quotes.snapshot': async () => d.market.instruments().flatMap((i) => d.market.lastQuote(i.symbol) ?? []),
    'orders.place': async (req) => d.trading.placeOrder(req, 'manual'),
    'orders.cancel': async ({ orderId }) => {
      try {
        return await d.trading.cancelOrder(orderId);
      } catch (err) {
        if (err instanceof OrderNotOpenError) throw new HandlerError('NOT_FOUND', err.message);
        throw err;
      }
    },
    'orders.list': async ({ scope, limit }) => d.store.orders.list({ accountId, openOnly: scope === 'open', limit }),
    'fills.list': async ({ limit }) => d.store.fills.list({ accountId, limit }),
    'positions.list': async () => (await d.account.snapshot()).positions,
    'account.summary': async () => (await d.account.snapshot()).summary,
    'account.equity': async ({ limit }) => d.store.equity.list(accountId, limit),
    'risk.status': async () => d.trading.riskStatus(),
    'risk.killSwitch': async ({ engaged }) => d.trading.setKillSwitch(engaged),
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
    // Paper session only until the IB session lands (issue 4).
    'connection.status': async () => ({
      broker: 'paper', state: 'connected', mode: 'demo', endpoint: 'demo market', clientId: null, accountLabel: null, serverVersion: null,
      message: null, lastMessageAt: null, nextRetryAt: null, dataFarms: [], queuedOrders: 0, ready: true,
    }),
    'connection.settings': async () => IbSettings.parse({}),
    'connection.connect': async () => {
      throw new HandlerError('UNAVAILABLE', 'Interactive Brokers connections are not available in this build yet');
    },
    'connection.disconnect': async () => handlers['connection.status']({}),
    'connection.reconciliation': async () => null,
    'account.brokerValues': async () => [],
    'data.sources': async () => d.data.sources(),
    'data.feeds': async () => d.data.feedsView(),
    'data.divergences': async ({ limit }) => d.data.divergences().slice(0, limit),
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
