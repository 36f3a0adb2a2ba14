// Builds the internet data providers (Yahoo, Alpha Vantage, Polygon) for the failover manager; keyed ones read their
// key from the Secrets port on every call, so a key entered in Settings takes effect without a restart.
import type { Logger } from '../logging';
import type { Clock } from '../ports/clock';
import type { DataProvider } from '../ports/data-provider';
import { apiKeySecretName, type Secrets } from '../ports/secrets';
import { createAlphaVantageProvider } from './alphavantage/provider';
import { createPolygonProvider } from './polygon/provider';
import { createYahooProvider } from './yahoo/provider';

export interface WebDataProvidersOptions {
  clock: Clock;
  secrets: Secrets;
  logger?: Logger;
  timeoutMs?: number;
  /** Tests: where each provider's requests go (fixture servers). Production: omitted. */
  endpoints?: { yahooFetch?: typeof fetch; alphavantageUrl?: string; polygonUrl?: string };
}

export function createWebDataProviders(o: WebDataProvidersOptions): { yahoo: DataProvider; alphavantage: DataProvider; polygon: DataProvider } {
  const key = (provider: string) => () => o.secrets.get(apiKeySecretName(provider));
  return {
    yahoo: createYahooProvider({ clock: o.clock, fetch: o.endpoints?.yahooFetch, timeoutMs: o.timeoutMs, logger: o.logger }),
    alphavantage: createAlphaVantageProvider({ clock: o.clock, apiKey: key('alphavantage'), baseUrl: o.endpoints?.alphavantageUrl, timeoutMs: o.timeoutMs }),
    polygon: createPolygonProvider({ clock: o.clock, apiKey: key('polygon'), baseUrl: o.endpoints?.polygonUrl, timeoutMs: o.timeoutMs }),
  };
}
