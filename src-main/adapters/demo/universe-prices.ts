// Prices of the demo universe's companies, generated lazily per symbol. Two layers, each a pure function of the seed:
// a daily walk (the close of every weekday: the revenue trend plus a mean-reverting valuation gap; cheap enough for 500
// symbols at once) and, for any day, its 390 one-minute bars as a bridge from that day's open to its close (so a day's
// high and low are its minutes' and the 1d, 1h, 5m and 1m bars agree). Exchange holidays are not left out.
import type { Bar } from '../../../src-shared/domain/types';
import { sessionIntervals } from '../../../src-shared/domain/sessions';
import { DEMO_PRICES_FROM, DEMO_STATEMENTS_FROM, DEMO_STATEMENTS_TO, quarterEnds, type DemoCompany } from './universe';
import { Rng, hashSeed } from './random';
import { roundToTick } from './instruments';

const DAY_S = 86_400;
export const SESSION_MINUTES = 390;
/** Mean reversion of the valuation gap per trading day (half-life about 28 trading days). */
const KAPPA = 1 / 40;
/** How fast the price catches up with the revenue trend per trading day (a time constant of about a year). */
const LAG = 1 / 250;

const QUARTER_DAYS = quarterEnds(DEMO_STATEMENTS_FROM, DEMO_STATEMENTS_TO).map((d) => Date.parse(`${d}T00:00:00Z`) / 1000 / DAY_S);
const FIRST_DAY = Date.parse(`${DEMO_PRICES_FROM}T00:00:00Z`) / 1000 / DAY_S;

export const isWeekday = (day: number) => {
  const dow = (day + 4) % 7; // 1970-01-01 was a Thursday
  return dow !== 0 && dow !== 6;
};

/** The daily walk of one company: per weekday from DEMO_PRICES_FROM, its open, close and volume. */
export interface DailyWalk {
  /** UTC day numbers (days since 1970-01-01). */
  days: Int32Array;
  open: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Log-revenue trend at a day, interpolated between quarter ends; `from` is a quarter index to search from. */
function trendAt(c: DemoCompany, day: number, from = 1): number {
  return trendIn(c, day, quarterIndex(day, from));
}

function quarterIndex(day: number, from: number): number {
  let k = Math.max(1, from);
  while (k < QUARTER_DAYS.length - 1 && QUARTER_DAYS[k]! < day) k++;
  return k;
}

function trendIn(c: DemoCompany, day: number, k: number): number {
  const d0 = QUARTER_DAYS[k - 1]!;
  const d1 = QUARTER_DAYS[k]!;
  const f = Math.min(1, Math.max(0, (day - d0) / (d1 - d0)));
  return c.trend[k - 1]! + f * (c.trend[k]! - c.trend[k - 1]!);
}

/** The walk from DEMO_PRICES_FROM through `lastDay` (inclusive); the same days always get the same prices. */
export function dailyWalk(c: DemoCompany, lastDay: number): DailyWalk {
  const n = Math.max(0, countWeekdays(FIRST_DAY, lastDay));
  const days = new Int32Array(n);
  const open = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const rng = new Rng(hashSeed(c.seed, 'daily'));
  const sigma = c.vol / Math.sqrt(252);
  const base = Math.log(c.startPrice) - trendAt(c, FIRST_DAY);
  // The price follows the revenue trend late (an average over about a year: news is priced in slowly), plus a
  // permanent random walk and a valuation gap that closes with a half-life of about 28 trading days.
  let lagged = trendAt(c, FIRST_DAY);
  let walk = 0;
  let gap = 0;
  let prev = c.startPrice;
  let i = 0;
  let k = 1;
  for (let day = FIRST_DAY; i < n; day++) {
    if (!isWeekday(day)) continue;
    k = quarterIndex(day, k);
    lagged += (trendIn(c, day, k) - lagged) * LAG;
    walk += 0.6 * sigma * rng.gaussian();
    gap = gap * (1 - KAPPA) + 1.0 * sigma * rng.gaussian();
    const cl = roundToTick(Math.exp(base + lagged + walk + gap), 0.01);
    const op = i === 0 ? c.startPrice : roundToTick(prev * Math.exp(sigma * 0.25 * rng.gaussian()), 0.01);
    const move = Math.abs(Math.log(cl / prev)) / sigma;
    days[i] = day;
    open[i] = Math.max(0.01, op);
    close[i] = Math.max(0.01, cl);
    volume[i] = Math.round(c.dailyVolume * (0.6 + 0.8 * rng.uniform()) * (1 + 0.3 * Math.min(move, 4)));
    prev = close[i]!;
    i++;
  }
  return { days, open, close, volume };
}

function countWeekdays(from: number, to: number): number {
  let n = 0;
  for (let d = from; d <= to; d++) if (isWeekday(d)) n++;
  return n;
}

/** Session open of a weekday, in UTC minutes since 1970. */
export function sessionOpenMinute(day: number): number {
  const first = sessionIntervals('us-equity', day)[0];
  return day * 1440 + (first ? first[0] : 870);
}

/**
 * The day's 390 one-minute bars: a Brownian bridge (in log price) from `open` to `close`, so the last minute closes at
 * the day's close. Seeded by (company, day): any day can be generated alone.
 */
export function minuteBars(c: DemoCompany, day: number, open: number, close: number, volume: number): Bar[] {
  const rng = new Rng(hashSeed(c.seed ^ day, 'minutes'));
  const sm = c.vol / Math.sqrt(252 * SESSION_MINUTES);
  const walk = new Float64Array(SESSION_MINUTES + 1);
  for (let k = 1; k <= SESSION_MINUTES; k++) walk[k] = walk[k - 1]! + sm * rng.gaussian();
  const lo = Math.log(open);
  const drift = Math.log(close) - lo;
  const end = walk[SESSION_MINUTES]!;
  const start = sessionOpenMinute(day);
  const bars: Bar[] = new Array<Bar>(SESSION_MINUTES);
  let prev = open;
  for (let k = 1; k <= SESSION_MINUTES; k++) {
    const f = k / SESSION_MINUTES;
    const c1 = k === SESSION_MINUTES ? close : roundToTick(Math.exp(lo + f * drift + walk[k]! - f * end), 0.01);
    const hi = Math.max(prev, c1);
    const lw = Math.min(prev, c1);
    const x = (k - 0.5) / SESSION_MINUTES;
    bars[k - 1] = {
      time: (start + k - 1) * 60, open: prev, close: c1,
      high: Math.max(hi, roundToTick(hi * (1 + Math.abs(rng.gaussian()) * sm * 0.6), 0.01)),
      low: Math.max(0.01, Math.min(lw, roundToTick(lw * (1 - Math.abs(rng.gaussian()) * sm * 0.6), 0.01))),
      // U-shaped intraday volume, summing to about the day's.
      volume: Math.round((volume / SESSION_MINUTES) * (0.55 + 1.8 * (2 * x - 1) ** 2) / 1.15),
    };
    prev = c1;
  }
  return bars;
}

const DAY_MS = DAY_S * 1000;

/** What the demo market asks of the universe's prices, at a time `now` (UTC ms). */
export interface UniversePrices {
  /** Daily bars of the last `limit` days through now (today's while its session runs: the minutes so far). */
  days(c: DemoCompany, now: number, limit: number): Bar[];
  /** 1-minute bars of the last seven calendar days through the minute containing now, oldest first. */
  minutes(c: DemoCompany, now: number): Bar[];
  /** The last traded price at now: the close of the minute containing now, or of the last session. */
  last(c: DemoCompany, now: number): { price: number; time: number; size: number } | undefined;
  /** The daily walk through `lastDay` (cached; the screener's closes). */
  walk(c: DemoCompany, lastDay: number): DailyWalk;
}

/** Where `now` is in a day's session: before it, inside it (minutes done so far, 1…390) or after it. */
function minutesDone(day: number, now: number): number {
  const open = sessionOpenMinute(day) * 60_000;
  if (now < open) return 0;
  return Math.min(SESSION_MINUTES, Math.floor((now - open) / 60_000) + 1);
}

export function createUniversePrices(): UniversePrices {
  // A few symbols' walks and minute days are kept: the screener reads many walks once, a chart one symbol often.
  const walks = new Map<string, DailyWalk & { lastDay: number }>();
  const minuteDays = new Map<string, Bar[]>();
  const remember = <V>(map: Map<string, V>, key: string, max: number, make: () => V): V => {
    let v = map.get(key);
    if (v === undefined) {
      v = make();
      if (map.size >= max) map.delete(map.keys().next().value!);
      map.set(key, v);
    }
    return v;
  };
  const walkOf = (c: DemoCompany, lastDay: number) => {
    const w = walks.get(c.symbol);
    if (w && w.lastDay === lastDay) return w;
    const fresh = { ...dailyWalk(c, lastDay), lastDay };
    if (!w && walks.size >= 1024) walks.delete(walks.keys().next().value!);
    walks.set(c.symbol, fresh);
    return fresh;
  };
  const dayMinutes = (c: DemoCompany, w: DailyWalk, i: number) =>
    remember(minuteDays, `${c.symbol}@${w.days[i]}`, 64, () => minuteBars(c, w.days[i]!, w.open[i]!, w.close[i]!, w.volume[i]!));
  const aggregate = (bars: readonly Bar[], time: number): Bar => {
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    for (const b of bars) {
      if (b.high > high) high = b.high;
      if (b.low < low) low = b.low;
      volume += b.volume;
    }
    return { time, open: bars[0]!.open, high, low, close: bars[bars.length - 1]!.close, volume };
  };
  return {
    walk: walkOf,
    days(c, now, limit) {
      const today = Math.floor(now / DAY_MS);
      const w = walkOf(c, today);
      const out: Bar[] = [];
      for (let i = Math.max(0, w.days.length - limit); i < w.days.length; i++) {
        const day = w.days[i]!;
        const done = day < today ? SESSION_MINUTES : minutesDone(day, now);
        if (done === 0) continue;
        // High and low come from the day's minutes, so the daily bar is their aggregate (generated, not kept).
        const mins = done === SESSION_MINUTES && day < today - 7 ? minuteBars(c, day, w.open[i]!, w.close[i]!, w.volume[i]!) : dayMinutes(c, w, i);
        out.push(aggregate(mins.slice(0, done), day * DAY_S));
      }
      return out;
    },
    minutes(c, now) {
      const today = Math.floor(now / DAY_MS);
      const w = walkOf(c, today);
      const out: Bar[] = [];
      for (let i = 0; i < w.days.length; i++) {
        const day = w.days[i]!;
        if (day < today - 7) continue;
        const done = day < today ? SESSION_MINUTES : minutesDone(day, now);
        const mins = dayMinutes(c, w, i);
        for (let k = 0; k < done; k++) out.push({ ...mins[k]! });
      }
      return out;
    },
    last(c, now) {
      const today = Math.floor(now / DAY_MS);
      const w = walkOf(c, today);
      for (let i = w.days.length - 1; i >= 0; i--) {
        const done = w.days[i]! < today ? SESSION_MINUTES : minutesDone(w.days[i]!, now);
        if (done === 0) continue;
        const bar = dayMinutes(c, w, i)[done - 1]!;
        return { price: bar.close, time: Math.min(now, bar.time * 1000 + 60_000), size: Math.max(1, Math.round(bar.volume / 60)) };
      }
      return undefined;
    },
  };
}
