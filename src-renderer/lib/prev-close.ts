// The close a symbol's day change is measured from (the header's and the watchlist's change and % change), read from
// the daily bars and shared by every view that shows it.
import type { ApiClient } from '../../src-shared/api/contract';
import type { Bar } from '../../src-shared/domain/types';

/**
 * The close before the newest daily bar. While a session runs the newest bar is today's, so this is the previous
 * session's close; while the market is closed (a weekend, before the open) the newest bar is the last session's, and
 * the change shown is that session's: on a Sunday, Friday's close against Thursday's, as TWS and TradingView show it
 * (comparing with the last bar before the browser's today gave 0.00 all weekend). No clock is involved.
 */
export function changeBase(daily: readonly Bar[]): number | undefined {
  return daily.at(-2)?.close;
}

/** Kept this long: a view opened after a session has rolled over reads the new base. */
const KEEP_MS = 5 * 60_000;
const bases = new Map<string, { at: number; close: Promise<number | undefined> }>();

export function previousClose(api: ApiClient, symbol: string): Promise<number | undefined> {
  const held = bases.get(symbol);
  if (held && Date.now() - held.at < KEEP_MS) return held.close;
  const close = api.call('bars.history', { symbol, timeframe: '1d', limit: 5 }).then(changeBase, () => {
    // A failure is not kept: the next view asks again.
    bases.delete(symbol);
    return undefined;
  });
  bases.set(symbol, { at: Date.now(), close });
  return close;
}
