// Daily closes for the factor engine (issue 16): the DailyPrices port over the bars in the store (imports, downloads),
// split-adjusted, and the demo market's history for its own symbols (the demo universe's daily walk, the base demo
// instruments' daily bars). Never a network request: the screener reads hundreds of symbols at once.
import type { Bar } from '../../src-shared/domain/types';
import { adjustmentPlan, applyAdjustments } from '../domain/data/adjust';
import type { DailyClose, DailyPrices } from '../ports/fundamentals';
import type { Store } from '../ports/store';

const DAY_S = 86_400;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 1000 / DAY_S);
const isoOf = (day: number) => new Date(day * DAY_S * 1000).toISOString().slice(0, 10);

/** Closes of a simulated symbol for UTC days [from, to] (the demo market's); undefined for a symbol it does not have. */
export type SimulatedCloses = (symbol: string, from: number, to: number) => Promise<DailyClose[] | undefined>;

export function createDailyPrices(o: { store: Pick<Store, 'bars' | 'corporateActions'>; demo?: SimulatedCloses }): DailyPrices {
  /** Stored daily bars of [from, to], split-adjusted (dividends left out: these are price, not total-return, series). */
  async function stored(symbol: string, from: number, to: number): Promise<DailyClose[]> {
    const raw = await o.store.bars.range(symbol, '1d', from * DAY_S, to * DAY_S + DAY_S - 1);
    if (raw.length === 0) return [];
    // Every split after a bar scales it, so splits after `to` count too.
    const splits = (await o.store.corporateActions.list(symbol, from * DAY_S + 1)).map((a) => a.action).filter((a) => a.kind === 'split');
    const bars: Bar[] = splits.length ? applyAdjustments(raw, adjustmentPlan(splits, () => undefined)) : raw;
    return bars.map((b) => ({ date: isoOf(Math.floor(b.time / DAY_S)), close: b.close, volume: b.volume }));
  }

  return {
    async dailyCloses(symbols, fromIso, toIso) {
      const from = dayOf(fromIso);
      const to = dayOf(toIso);
      const out = new Map<string, DailyClose[]>();
      for (const symbol of new Set(symbols)) {
        // Stored bars win for a symbol with real history (AAPL imported); the demo market's otherwise.
        const fromStore = symbol.endsWith('.DEMO') ? [] : await stored(symbol, from, to);
        const closes = fromStore.length > 0 ? fromStore : await o.demo?.(symbol, from, to);
        if (closes && closes.length > 0) out.set(symbol, closes);
      }
      return out;
    },
  };
}
