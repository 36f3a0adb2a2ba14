// Builds the failover manager from config.yaml: one guarded channel per provider and the chains per kind of data.
import type { Config } from '../../config/config';
import type { Clock } from '../../ports/clock';
import type { DataProvider, ProviderId } from '../../ports/data-provider';
import type { Timers } from '../../ports/timers';
import { MarketDataManager, type ChainKind, type InstrumentCatalog, type ManagerOptions } from './manager';
import { ProviderChannel } from './provider-channel';

const KIND_OF: Record<ChainKind, 'bars' | 'quotes' | 'fundamentals'> = { quotes: 'quotes', bars: 'bars', fundamentals: 'fundamentals' };

/**
 * The providers tried per kind of data, in order. The primary is `api_strategy.primary_data` when that provider is
 * running, else the session's own (the demo market in the demo session). The demo market is a world of its own:
 * simulated prices never mix with real ones unless the priority list names them together after "demo".
 */
export function resolveChains(config: Pick<Config, 'api_strategy' | 'data_providers'>, providers: readonly DataProvider[], sessionPrimary: ProviderId): Record<ChainKind, ProviderId[]> {
  const s = config.api_strategy;
  const running = new Map(providers.filter((p) => config.data_providers[p.id].enabled).map((p) => [p.id, p]));
  const primary = running.has(s.primary_data) ? s.primary_data : sessionPrimary;
  const chain = (kind: ChainKind): ProviderId[] => {
    const list = s.priority[kind];
    // Fundamentals are not prices: the demo session may use real ones.
    const rest = primary === 'demo' && kind !== 'fundamentals' ? list.slice(list.indexOf('demo') + 1 || list.length) : list;
    const ids = [...new Set(kind === 'fundamentals' ? rest : [primary, ...rest])].filter((id) => running.get(id)?.capabilities.has(KIND_OF[kind]));
    return s.fallback_enabled ? ids : ids.slice(0, 1);
  };
  return { quotes: chain('quotes'), bars: chain('bars'), fundamentals: chain('fundamentals') };
}

export interface MarketDataServiceOptions {
  config: Pick<Config, 'api_strategy' | 'data_providers'>;
  providers: DataProvider[];
  sessionPrimary: ProviderId;
  catalog: InstrumentCatalog;
  clock: Clock;
  timers: Timers;
  random?: () => number;
  log?: ManagerOptions['log'];
  barCache?: ManagerOptions['barCache'];
}

function channelFor(o: Omit<MarketDataServiceOptions, 'providers' | 'catalog'>, p: DataProvider): ProviderChannel {
  const s = o.config.api_strategy;
  const pc = o.config.data_providers[p.id];
  return new ProviderChannel(p, {
    enabled: pc.enabled, perHour: pc.rate_limit, queueLimit: s.rate_limit_queue, timeoutMs: pc.timeout * 1000, retries: pc.retry_attempts,
    circuit: { failureThreshold: s.circuit_breaker.failure_threshold, openMs: s.circuit_breaker.open_for * 1000 },
    backoff: { baseMs: 500, maxMs: 30_000 }, clock: o.clock, timers: o.timers, random: o.random ?? Math.random,
  });
}

/** Adds a provider to a running manager (the IB data client when a session connects), with its guards from config. */
export function attachProvider(manager: MarketDataManager, o: Omit<MarketDataServiceOptions, 'providers' | 'catalog'>, provider: DataProvider): void {
  const providers = [...manager.providers().filter((p) => p.id !== provider.id), provider];
  manager.attach(channelFor(o, provider), resolveChains(o.config, providers, o.sessionPrimary));
}

/** Removes a provider from a running manager (the session ended); the caller disposes the provider. */
export function detachProvider(manager: MarketDataManager, o: Omit<MarketDataServiceOptions, 'providers' | 'catalog'>, id: ProviderId): void {
  manager.detach(id, resolveChains(o.config, manager.providers().filter((p) => p.id !== id), o.sessionPrimary));
}

export function createMarketDataService(o: MarketDataServiceOptions): MarketDataManager {
  const s = o.config.api_strategy;
  const channels = o.providers.map((p) => channelFor(o, p));
  return new MarketDataManager({
    channels, chains: resolveChains(o.config, o.providers, o.sessionPrimary), catalog: o.catalog, clock: o.clock, timers: o.timers,
    staleMs: s.stale_after * 1000, failbackMs: s.failback_after * 1000, pollIntervalMs: s.poll_interval * 1000, healthCheckMs: s.health_check_interval * 1000,
    crossValidation: { enabled: s.cross_validation.enabled, threshold: s.cross_validation.threshold, intervalMs: s.cross_validation.interval * 1000 },
    log: o.log, barCache: o.barCache,
  });
}
