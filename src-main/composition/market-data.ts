// The market-data part of the composition root: the demo market and the internet providers (built here, from config)
// behind the failover manager, its views pushed as events. app.ts calls this once; what it returns is disposed in reverse.
import type { EventOf } from '../../src-shared/api/contract';
import type { DemoMarket } from '../adapters/demo/market';
import { createDemoProvider } from '../adapters/demo/provider';
import { createAlphaVantageProvider } from '../adapters/alphavantage/provider';
import { createPolygonProvider } from '../adapters/polygon/provider';
import { createYahooProvider } from '../adapters/yahoo/provider';
import type { Config } from '../config/config';
import type { Logger } from '../logging';
import type { Clock } from '../ports/clock';
import type { DataProvider, ProviderId } from '../ports/data-provider';
import type { Disposable } from '../ports/disposable';
import { apiKeySecretName, type Secrets } from '../ports/secrets';
import type { Store } from '../ports/store';
import { realTimers, type Timers } from '../ports/timers';
import { BarCache } from '../services/market-data/bar-cache';
import type { MarketDataManager } from '../services/market-data/manager';
import { attachProvider, createMarketDataService, detachProvider } from '../services/market-data/service';

export interface MarketDataWiring {
  config: Config;
  demo: DemoMarket;
  clock: Clock;
  timers?: Timers;
  logger: Logger;
  /** Where real providers' history is cached (see BarCache); without it every history request goes to a provider. */
  store?: Store;
  /** Where the keyed providers (Alpha Vantage, Polygon) read their API key, on every call; without it they are not built. */
  secrets?: Secrets;
  /** Providers besides the demo market (Yahoo, IB...), already built from config. */
  providers?: DataProvider[];
  /** The source instruments return to when no configured primary runs: the demo market in the demo session. */
  sessionPrimary?: ProviderId;
  emit: <E extends 'data.sources' | 'data.feeds'>(name: E, data: EventOf<E>) => void;
}

/** A fetch that sends every request to `endpoint` (same path and query), naming the original host in x-original-host. */
export function redirectingFetch(endpoint: string): typeof fetch {
  const base = new URL(endpoint);
  return (input, init) => {
    const target = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    headers.set('x-original-host', target.host);
    // The test fixture reads this one; a proxy may use either.
    headers.set('x-yahoo-host', target.host);
    return fetch(new URL(`${target.pathname}${target.search}`, base), { ...init, headers });
  };
}

function keyOf(secrets: Secrets, provider: 'alphavantage' | 'polygon'): () => Promise<string | undefined> {
  return () => secrets.get(apiKeySecretName(provider));
}

export interface WiredMarketData {
  manager: MarketDataManager;
  disposables: Disposable[];
  /** Adds a provider at run time (an IB session's data client): chains re-resolve, so IB becomes the primary. */
  attach(provider: DataProvider): void;
  /** Removes it again (the session ended): instruments return to the next source of their chain. */
  detach(id: ProviderId): void;
}

/** The internet providers enabled in config; keyed ones read their key from the Secrets port on every call. */
export function createInternetProviders(o: { config: Config; clock: Clock; logger: Logger; secrets?: Secrets }): DataProvider[] {
  const { yahoo, alphavantage, polygon } = o.config.data_providers;
  return [
    // Built when enabled even in the demo session: the Data sources view shows whether it answers.
    ...(yahoo.enabled ? [createYahooProvider({ clock: o.clock, logger: o.logger, timeoutMs: yahoo.timeout * 1000, fetch: yahoo.endpoint ? redirectingFetch(yahoo.endpoint) : undefined })] : []),
    // Keyed providers when enabled in config.yaml; the key is read per call, so one set in the UI works at once.
    ...(o.secrets && alphavantage.enabled ? [createAlphaVantageProvider({
      clock: o.clock, apiKey: keyOf(o.secrets, 'alphavantage'), baseUrl: alphavantage.endpoint, timeoutMs: alphavantage.timeout * 1000,
    })] : []),
    ...(o.secrets && polygon.enabled ? [createPolygonProvider({
      clock: o.clock, apiKey: keyOf(o.secrets, 'polygon'), baseUrl: polygon.endpoint, timeoutMs: polygon.timeout * 1000,
    })] : []),
  ];
}

export async function wireMarketData(o: MarketDataWiring): Promise<WiredMarketData> {
  const providers = [createDemoProvider(o.demo), ...createInternetProviders(o), ...(o.providers ?? [])];
  const serviceOptions = {
    config: o.config, sessionPrimary: o.sessionPrimary ?? 'demo', clock: o.clock, timers: o.timers ?? realTimers,
    log: (level: 'debug' | 'info' | 'warn' | 'error', obj: object, msg: string) => o.logger[level](obj, msg),
  };
  const barCache = o.store && new BarCache({ store: o.store, clock: o.clock, sessionOf: (symbol) => o.demo.instrument(symbol)?.session });
  const manager = createMarketDataService({ ...serviceOptions, providers, catalog: o.demo, barCache });
  const updates = manager.onUpdate((what) => {
    if (what === 'sources') o.emit('data.sources', manager.sources());
    else o.emit('data.feeds', manager.feedsView());
  });
  manager.start();
  o.demo.start();
  await manager.prime();
  // Disposed in reverse: the manager (its timers and subscriptions) before the providers it uses.
  return {
    manager, disposables: [...providers, updates, manager],
    attach: (provider) => attachProvider(manager, serviceOptions, provider),
    detach: (id) => detachProvider(manager, serviceOptions, id),
  };
}
