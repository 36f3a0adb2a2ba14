// The previous day's close per symbol (the base of a watchlist's change and % change), read once per symbol from the
// daily bars and shared by every row that shows it.
import type { ApiClient } from '../../src-shared/api/contract';

const closes = new Map<string, Promise<number | undefined>>();

/** The close of the last daily bar before today (UTC days, as the daily bars are stamped); undefined without one. */
export function previousClose(api: ApiClient, symbol: string): Promise<number | undefined> {
  let held = closes.get(symbol);
  if (!held) {
    const today = Math.floor(Date.now() / 86_400_000) * 86_400;
    held = api.call('bars.history', { symbol, timeframe: '1d', limit: 5 }).then(
      (bars) => bars.filter((b) => b.time < today).at(-1)?.close,
      () => {
        // A failure is not kept: the next view asks again.
        closes.delete(symbol);
        return undefined;
      },
    );
    closes.set(symbol, held);
  }
  return held;
}
