// The demo market's daily closes for the DailyPrices port (issue 16): the demo universe's daily walk (fast: no minute
// bars), the base instruments' daily bars; only days whose session has closed.
import type { Clock } from '../../ports/clock';
import type { DailyClose } from '../../ports/fundamentals';
import type { DemoMarket } from './market';
import { SESSION_MINUTES, sessionOpenMinute } from './universe-prices';

const DAY_S = 86_400;
const isoOf = (day: number) => new Date(day * DAY_S * 1000).toISOString().slice(0, 10);

/** Closes of a demo symbol (the market is asked for on each call: the CLI builds it on first use) for UTC days [from, to]; undefined for a symbol the demo market does not have. */
export type DemoDailyCloses = (symbol: string, from: number, to: number) => Promise<DailyClose[] | undefined>;

export function demoDailyCloses(demo: () => DemoMarket, clock: Clock): DemoDailyCloses {
  return async (symbol, from, to) => {
    const market = demo();
    if (!market.instrument(symbol)) return undefined;
    const now = clock.now();
    const today = Math.floor(now / 1000 / DAY_S);
    const closedToday = now >= (sessionOpenMinute(today) + SESSION_MINUTES) * 60_000;
    const last = Math.min(to, closedToday ? today : today - 1);
    const out: DailyClose[] = [];
    const walk = market.universeWalk(symbol, last);
    if (walk) {
      for (let i = 0; i < walk.days.length; i++) {
        const d = walk.days[i]!;
        if (d >= from && d <= last) out.push({ date: isoOf(d), close: walk.close[i]!, volume: walk.volume[i]! });
      }
      return out;
    }
    for (const b of await market.history(symbol, '1d', 100_000)) {
      const d = Math.floor(b.time / DAY_S);
      if (d >= from && d <= last) out.push({ date: isoOf(d), close: b.close, volume: b.volume });
    }
    return out;
  };
}
