// The factors of the screener and the factor lab (issue 16): each with its group, direction and formula. Pure: a
// stock's daily closes and its point-in-time statements in, one number (or null: missing, never zero) out.
//
// Conventions (docs/factors.md repeats them):
// - "TTM" sums the newest 4 quarterly figures published by the date; "a year earlier" sums quarters 5–8. Fewer
//   quarters than needed, or a missing figure among them: the factor is missing.
// - Price = the newest close on or before the date; market cap = price × the newest statement's shares outstanding.
// - Ratios whose denominator is not positive (P/E on a loss, P/B on negative equity) are missing, not huge.
// - Direction +1: higher is better; −1: lower is better. The cross-section (cross-section.ts) flips the z-score of
//   the −1 factors so that a higher z is always better. Raw values are reported as computed.
// - Price factors are series over a symbol's own rows (the factor lab evaluates them on every date); the screener
//   reads their last value.
import { macd, rsi, sma } from '../../../src-shared/domain/indicators/batch';
import type { StatementRecord } from '../../../src-shared/domain/fundamentals';

export type FactorGroup = 'value' | 'growth' | 'momentum' | 'quality' | 'technical' | 'size' | 'volatility';

export interface FactorInput {
  /** Daily closes up to the date, oldest first (split-adjusted). */
  closes: ArrayLike<number>;
  /** Quarterly statements published by the date (reportDate ≤ date), newest periodEnd first. */
  statements: readonly StatementRecord[];
}

interface FactorBase {
  name: string;
  group: FactorGroup;
  label: string;
  direction: 1 | -1;
  /** The formula in words, as the screens and docs show it. */
  formula: string;
}

/** A factor of daily closes only: a whole series (NaN until defined), parameterised by numeric arguments. */
export interface PriceFactor extends FactorBase {
  kind: 'price';
  defaults: readonly number[];
  series(closes: ArrayLike<number>, args: readonly number[]): Float64Array;
}

export interface FundamentalFactor extends FactorBase {
  kind: 'fundamental';
  value(input: FactorInput): number | null;
}

export type FactorDef = PriceFactor | FundamentalFactor;

type Field = 'revenue' | 'grossProfit' | 'ebitda' | 'netIncome' | 'eps';

/** Sum of `field` over quarters [from, from+4) of the newest-first statements; null if any is absent or missing. */
export function ttm(statements: readonly StatementRecord[], field: Field, from = 0): number | null {
  const q = statements.filter((s) => s.period === 'quarter');
  if (q.length < from + 4) return null;
  let sum = 0;
  for (let i = from; i < from + 4; i++) {
    const v = q[i]![field];
    if (v === null || !Number.isFinite(v)) return null;
    sum += v;
  }
  return sum;
}

const lastFinite = (x: ArrayLike<number>): number => {
  const v = x.length ? x[x.length - 1]! : NaN;
  return Number.isFinite(v) ? v : NaN;
};

export function lastClose(input: FactorInput): number | null {
  const v = lastFinite(input.closes);
  return Number.isFinite(v) && v > 0 ? v : null;
}

const latest = (input: FactorInput, field: 'totalEquity' | 'totalDebt' | 'cash' | 'sharesOutstanding'): number | null => {
  const v = input.statements[0]?.[field];
  return v === undefined || v === null || !Number.isFinite(v) ? null : v;
};

export function marketCap(input: FactorInput): number | null {
  const p = lastClose(input);
  const shares = latest(input, 'sharesOutstanding');
  return p === null || shares === null || shares <= 0 ? null : p * shares;
}

const positiveRatio = (num: number | null, den: number | null): number | null =>
  num === null || den === null || !(den > 0) ? null : num / den;

/** close[t]/close[t−n] − 1 over a symbol's own rows (NaN until n rows back exist). */
function ratioSeries(c: ArrayLike<number>, from: number, to: number): Float64Array {
  const out = new Float64Array(c.length).fill(NaN);
  for (let i = from; i < c.length; i++) out[i] = c[i - to]! / c[i - from]! - 1;
  return out;
}

export const FACTORS: readonly FactorDef[] = [
  {
    kind: 'fundamental', name: 'pe', group: 'value', label: 'P/E', direction: -1,
    formula: 'price / TTM diluted EPS (missing when TTM EPS ≤ 0)',
    value: (s) => positiveRatio(lastClose(s), ttm(s.statements, 'eps')),
  },
  {
    kind: 'fundamental', name: 'pb', group: 'value', label: 'P/B', direction: -1,
    formula: 'market cap / total equity of the newest statement (missing when equity ≤ 0)',
    value: (s) => positiveRatio(marketCap(s), latest(s, 'totalEquity')),
  },
  {
    kind: 'fundamental', name: 'ev_ebitda', group: 'value', label: 'EV/EBITDA', direction: -1,
    formula: '(market cap + total debt − cash) / TTM EBITDA (missing when TTM EBITDA ≤ 0)',
    value: (s) => {
      const cap = marketCap(s);
      const debt = latest(s, 'totalDebt');
      const cash = latest(s, 'cash');
      return cap === null || debt === null || cash === null ? null : positiveRatio(cap + debt - cash, ttm(s.statements, 'ebitda'));
    },
  },
  {
    kind: 'fundamental', name: 'earnings_yield', group: 'value', label: 'Earnings yield', direction: 1,
    formula: 'TTM diluted EPS / price (defined for losses too: negative)',
    value: (s) => {
      const eps = ttm(s.statements, 'eps');
      const p = lastClose(s);
      return eps === null || p === null ? null : eps / p;
    },
  },
  {
    kind: 'fundamental', name: 'revenue_growth', group: 'growth', label: 'Revenue growth', direction: 1,
    formula: 'TTM revenue / TTM revenue a year earlier − 1 (missing when the earlier TTM ≤ 0)',
    value: (s) => {
      const r = positiveRatio(ttm(s.statements, 'revenue'), ttm(s.statements, 'revenue', 4));
      return r === null ? null : r - 1;
    },
  },
  {
    kind: 'fundamental', name: 'eps_growth', group: 'growth', label: 'EPS growth', direction: 1,
    formula: '(TTM EPS − TTM EPS a year earlier) / |TTM EPS a year earlier| (missing when the earlier TTM is 0)',
    value: (s) => {
      const now = ttm(s.statements, 'eps');
      const before = ttm(s.statements, 'eps', 4);
      return now === null || before === null || before === 0 ? null : (now - before) / Math.abs(before);
    },
  },
  {
    kind: 'price', name: 'mom_12_1', group: 'momentum', label: 'Momentum 12-1', direction: 1, defaults: [252, 21],
    formula: 'close 21 rows ago / close 252 rows ago − 1 (args: lookback, skip)',
    series: (c, [lookback = 252, skip = 21]) => ratioSeries(c, lookback, skip),
  },
  {
    kind: 'price', name: 'mom_6m', group: 'momentum', label: 'Momentum 6M', direction: 1, defaults: [126],
    formula: 'close / close 126 rows ago − 1 (arg: lookback)',
    series: (c, [lookback = 126]) => ratioSeries(c, lookback, 0),
  },
  {
    kind: 'fundamental', name: 'roe', group: 'quality', label: 'ROE', direction: 1,
    formula: 'TTM net income / total equity of the newest statement (missing when equity ≤ 0)',
    value: (s) => positiveRatio(ttm(s.statements, 'netIncome'), latest(s, 'totalEquity')),
  },
  {
    kind: 'fundamental', name: 'debt_to_equity', group: 'quality', label: 'Debt/Equity', direction: -1,
    formula: 'total debt / total equity of the newest statement (missing when equity ≤ 0)',
    value: (s) => positiveRatio(latest(s, 'totalDebt'), latest(s, 'totalEquity')),
  },
  {
    kind: 'fundamental', name: 'gross_margin', group: 'quality', label: 'Gross margin', direction: 1,
    formula: 'TTM gross profit / TTM revenue (missing when TTM revenue ≤ 0)',
    value: (s) => positiveRatio(ttm(s.statements, 'grossProfit'), ttm(s.statements, 'revenue')),
  },
  {
    kind: 'price', name: 'rsi_14', group: 'technical', label: 'RSI 14', direction: -1, defaults: [14],
    formula: "Wilder's RSI over 14 closes (0–100); lower ranks better (oversold) (arg: n)",
    series: (c, [n = 14]) => rsi(c, n),
  },
  {
    kind: 'price', name: 'macd_hist', group: 'technical', label: 'MACD hist.', direction: 1, defaults: [12, 26, 9],
    formula: 'MACD(12, 26, 9) histogram / close, so that stocks of any price compare (args: fast, slow, signal)',
    series: (c, [fast = 12, slow = 26, signal = 9]) => {
      const h = macd(c, fast, slow, signal).hist;
      for (let i = 0; i < h.length; i++) h[i] = h[i]! / c[i]!;
      return h;
    },
  },
  {
    kind: 'price', name: 'dist_200d', group: 'technical', label: 'vs 200-day avg', direction: 1, defaults: [200],
    formula: 'close / 200-day simple average − 1 (arg: n)',
    series: (c, [n = 200]) => {
      const m = sma(c, n);
      for (let i = 0; i < m.length; i++) m[i] = c[i]! / m[i]! - 1;
      return m;
    },
  },
  {
    kind: 'fundamental', name: 'size', group: 'size', label: 'Size', direction: -1,
    formula: 'ln(market cap); smaller ranks better (the size premium)',
    value: (s) => {
      const cap = marketCap(s);
      return cap === null ? null : Math.log(cap);
    },
  },
  {
    kind: 'price', name: 'low_vol', group: 'volatility', label: 'Volatility', direction: -1, defaults: [252],
    formula: 'annualised standard deviation (ddof 1, ×√252) of the last 252 daily simple returns; lower ranks better (arg: n)',
    series: (c, [n = 252]) => rollingVol(c, n),
  },
];

/** Annualised sample standard deviation of the last n simple returns (defined from row n). */
function rollingVol(c: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(c.length).fill(NaN);
  let s = 0;
  let ss = 0;
  const r = (i: number) => c[i]! / c[i - 1]! - 1;
  for (let i = 1; i < c.length; i++) {
    const x = r(i);
    s += x;
    ss += x * x;
    if (i > n) {
      const y = r(i - n);
      s -= y;
      ss -= y * y;
    }
    if (i >= n) out[i] = Math.sqrt(Math.max(0, (ss - (s * s) / n) / (n - 1)) * 252);
  }
  return out;
}

const byName = new Map(FACTORS.map((f) => [f.name, f]));
/** `momentum` is the usual name of 12-1 momentum. */
const ALIASES: Record<string, string> = { momentum: 'mom_12_1' };

export function factorByName(name: string): FactorDef | undefined {
  const key = name.trim().toLowerCase();
  return byName.get(ALIASES[key] ?? key);
}

/** One factor's value for one stock on its last row (price factors: the series' last value); null when missing. */
export function factorValue(f: FactorDef, input: FactorInput, args?: readonly number[]): number | null {
  if (f.kind === 'fundamental') {
    const v = f.value(input);
    return v === null || !Number.isFinite(v) ? null : v;
  }
  const v = lastFinite(f.series(input.closes, args ?? f.defaults));
  return Number.isFinite(v) ? v : null;
}

const names = () => FACTORS.map((f) => f.name).join(', ');

/** `NAME[:A,B,…]` of the factor lab: any factor; a price factor with its numeric arguments (defaults where absent). */
export function parseFactorSpec(spec: string): { factor: FactorDef; args: number[] } {
  const [name = '', rest] = spec.split(':', 2);
  const f = factorByName(name);
  if (!f) throw new Error(`unknown factor "${name}" (known: ${names()}, momentum)`);
  const given = rest !== undefined && rest.trim() !== '';
  if (f.kind === 'fundamental') {
    if (given) throw new Error(`factor "${f.name}" takes no arguments (${f.formula}); got "${rest}"`);
    return { factor: f, args: [] };
  }
  if (!given) return { factor: f, args: [...f.defaults] };
  const args = rest.split(',').map((a) => Number(a.trim()));
  if (args.length > f.defaults.length || args.some((a) => !Number.isInteger(a) || a < 1)) {
    throw new Error(`factor "${f.name}" takes up to ${f.defaults.length} whole-number argument(s) ≥ 1 (${f.formula}); got "${rest}"`);
  }
  return { factor: f, args: f.defaults.map((d, i) => args[i] ?? d) };
}

/** `NAME[:A,B,…]` of a price factor (the CLI's factor-test, which has closes only). */
export function parsePriceFactorSpec(spec: string): { factor: PriceFactor; args: number[] } {
  const { factor, args } = parseFactorSpec(spec);
  if (factor.kind !== 'price') throw new Error(`factor "${factor.name}" needs point-in-time fundamentals, not only closes: give its values with --factor-file`);
  return { factor, args };
}

/** `NAME[:WEIGHT]` of the screener: a factor and its positive weight (1 by default). */
export function parseWeightedFactor(spec: string): { factor: FactorDef; weight: number } {
  const [name = '', rest] = spec.split(':', 2);
  const f = factorByName(name);
  if (!f) throw new Error(`unknown factor "${name}" (known: ${names()}, momentum)`);
  const weight = rest === undefined || rest.trim() === '' ? 1 : Number(rest);
  if (!(weight > 0) || !Number.isFinite(weight)) throw new Error(`factor "${f.name}": the weight must be a positive number (got "${rest}")`);
  return { factor: f, weight };
}
