// Builds the portfolio risk of issue 17: trading states, the risk service with its daily-close source, the threshold
// watch and the actions a threshold may take. Part of the composition root (app.ts, headless.ts).
import type { Config } from '../config/config';
import type { Clock } from '../ports/clock';
import type { Disposable } from '../ports/disposable';
import type { MarketData } from '../ports/market-data';
import type { Store } from '../ports/store';
import type { Logger } from '../logging';
import { PortfolioRiskService, type DailyCloses, type ProfileSource, type StateActions } from '../services/portfolio-risk';
import { TradingStates } from '../services/trading-states';
import { riskView, type SessionManager } from '../services/sessions';
import { AccountService } from '../services/account';
import { createDemoMarket } from '../adapters/demo/market';
import { RiskWatch } from '../services/risk-watch';
import { realTimers, type Timers } from '../ports/timers';
import type { LimitUsage } from '../domain/risk/limits';

const DAY_S = 86_400;

/**
 * Daily closes for the risk figures: the bars stored in the database (imports, downloads) when they cover the span,
 * else the demo market's generated history for its own instruments. Never a network request: the order path reads it.
 */
export function dailyClosesSource(store: Pick<Store, 'bars'>, demo?: MarketData): DailyCloses {
  return async (symbol, fromDay, toDay) => {
    const stored = await store.bars.range(symbol, '1d', fromDay * DAY_S, toDay * DAY_S + DAY_S - 1);
    const pick = (bars: { time: number; close: number }[]) => bars.map((b) => ({ day: Math.floor(b.time / DAY_S), close: b.close })).filter((c) => c.day >= fromDay && c.day <= toDay);
    if (stored.length > 20 || !demo?.instrument(symbol)) return pick(stored);
    const generated = pick(await demo.history(symbol, '1d', 5000));
    return generated.length > stored.length ? generated : pick(stored);
  };
}

export function createPortfolioRisk(o: { config: Config; store: Store; clock: Clock; logger: Logger; demo?: MarketData; profiles?: ProfileSource; actions?: StateActions }) {
  const states = new TradingStates({ store: o.store, clock: o.clock, onListenerError: (err) => o.logger.warn({ err }, 'trading state listener failed') });
  const risk = new PortfolioRiskService({
    config: o.config.risk, states, closes: dailyClosesSource(o.store, o.demo), store: o.store, clock: o.clock, logger: o.logger,
    ...(o.profiles ? { profiles: o.profiles } : {}), ...(o.actions ? { actions: o.actions } : {}),
  });
  return { states, risk };
}

/** What a threshold does besides moving the state (config risk.states): cancel working orders, flatten. */
export function stateActions(sessions: () => SessionManager, store: Store): StateActions {
  return {
    async cancelWorking(accountId) {
      const a = sessions().account(accountId);
      if (!a) return;
      for (const order of await store.orders.list({ accountId, openOnly: true, limit: 5000 })) await a.trading.cancelOrder(order.id).catch(() => undefined);
    },
    async flattenAll(accountId) {
      const a = sessions().account(accountId);
      if (!a) return;
      for (const p of await store.positions.list(accountId)) if (p.quantity !== 0) await a.trading.flatten(p.symbol).catch(() => undefined);
    },
  };
}

/**
 * Checks every account's drawdown and daily loss against the thresholds and pushes its limit usage, every `everyMs`
 * and at once after any trading state change (services/risk-watch.ts).
 */
export function watchThresholds(o: {
  risk: PortfolioRiskService; states: TradingStates; sessions: SessionManager; logger: Logger; clock: Clock; timers?: Timers; everyMs?: number;
  onLimits: (accountId: string, limits: LimitUsage[], time: number) => void; onDrawdown?: (accountId: string, fromPeak: number) => void;
  onConcentration?: (accountId: string, largest: LimitUsage | null) => void; wantConcentration?: () => boolean;
}): Disposable {
  const watch = new RiskWatch({
    risk: o.risk, accounts: () => o.sessions.accounts().map(riskView), timers: o.timers ?? realTimers, clock: o.clock, logger: o.logger,
    onLimits: o.onLimits, ...(o.onDrawdown ? { onDrawdown: o.onDrawdown } : {}),
    ...(o.onConcentration ? { onConcentration: o.onConcentration, wantConcentration: o.wantConcentration ?? (() => true) } : {}), ...(o.everyMs !== undefined ? { everyMs: o.everyMs } : {}),
  });
  const sub = o.states.on(() => void watch.kick());
  watch.start();
  return { dispose: () => (sub.dispose(), watch.dispose()) };
}

/**
 * The risk snapshot of a stored account for the CLI: the account's positions and cash from the store, priced on the demo
 * market (built here: seconds), the same service and limits the terminal uses. Reads only.
 */
export async function storedAccountRisk(o: { config: Config; store: Store; clock: Clock; logger: Logger; accountId: string }) {
  const stored = await o.store.accounts.get(o.accountId);
  if (!stored) throw new Error(`No account ${o.accountId} in this data folder (start the terminal once, or give --account)`);
  const demo = createDemoMarket({ clock: o.clock, seed: o.config.market.demo_seed });
  try {
    const account = new AccountService({ store: o.store, market: demo, clock: o.clock, accountId: stored.id, broker: stored.broker, currency: stored.currency, initialCash: Number(stored.initialCash) });
    const { risk } = createPortfolioRisk({ config: o.config, store: o.store, clock: o.clock, logger: o.logger, demo });
    const killSwitch = async () => o.config.risk.kill_switch || (await o.store.settings.get('risk.kill_switch')) === 'on';
    return await risk.snapshot({ accountId: stored.id, market: demo, snapshot: () => account.snapshot(), killSwitch });
  } finally {
    demo.dispose();
  }
}
