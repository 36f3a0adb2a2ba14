// The market-data part of the composition root: the demo market (and any other provider) behind the failover manager,
// its views pushed as events. app.ts calls this once; everything it returns is disposed in reverse order.
import type { EventOf } from '../../../src-shared/api/contract';
import type { DemoMarket } from '../../adapters/demo/market';
import { createDemoProvider } from '../../adapters/demo/provider';
import type { Config } from '../../config/config';
import type { Logger } from '../../logging';
import type { Clock } from '../../ports/clock';
import type { DataProvider, ProviderId } from '../../ports/data-provider';
import type { Disposable } from '../../ports/disposable';
import { realTimers, type Timers } from '../../ports/timers';
import type { MarketDataManager } from './manager';
import { createMarketDataService } from './service';

export interface MarketDataWiring {
  config: Config;
  demo: DemoMarket;
  clock: Clock;
  timers?: Timers;
  logger: Logger;
  /** Providers besides the demo market (Yahoo, IB...), already built from config. */
  providers?: DataProvider[];
  /** The source instruments return to when no configured primary runs: the demo market in the demo session. */
  sessionPrimary?: ProviderId;
  emit: <E extends 'data.sources' | 'data.feeds'>(name: E, data: EventOf<E>) => void;
}

export async function wireMarketData(o: MarketDataWiring): Promise<{ manager: MarketDataManager; disposables: Disposable[] }> {
  const providers = [createDemoProvider(o.demo), ...(o.providers ?? [])];
  const manager = createMarketDataService({
    config: o.config, providers, sessionPrimary: o.sessionPrimary ?? 'demo', catalog: o.demo, clock: o.clock, timers: o.timers ?? realTimers,
    log: (level, obj, msg) => o.logger[level](obj, msg),
  });
  const updates = manager.onUpdate((what) => {
    if (what === 'sources') o.emit('data.sources', manager.sources());
    else o.emit('data.feeds', manager.feedsView());
  });
  manager.start();
  o.demo.start();
  await manager.prime();
  // Disposed in reverse: the manager (its timers and subscriptions) before the providers it uses.
  return { manager, disposables: [...providers, updates, manager] };
}
