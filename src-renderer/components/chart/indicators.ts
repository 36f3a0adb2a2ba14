// The chart's indicators: what each is, its parameters, where it is drawn (on price or in a pane of its own), and the
// lines it computes — with the same batch functions the backtests and the CLI use (src-shared/domain/indicators/batch.ts).
import type { Bar } from '../../../src-shared/domain/types';
import { atr, bbands, donchian, ema, macd, rsi, sma, stoch, wma } from '../../../src-shared/domain/indicators/batch';

export type IndicatorKind = 'sma' | 'ema' | 'wma' | 'bbands' | 'donchian' | 'rsi' | 'macd' | 'stoch' | 'atr' | 'volume';

export interface IndicatorConfig {
  /** Stable within a chart: series and dialog rows are keyed by it. */
  id: string;
  kind: IndicatorKind;
  params: number[];
}

export interface IndicatorLine {
  name: string;
  values: Float64Array;
  /** A histogram (MACD's, volume) rather than a line. */
  histogram?: boolean;
}

interface Definition {
  label: string;
  /** On the price pane, or a pane of its own. */
  overlay: boolean;
  params: { name: string; value: number; integer: boolean }[];
  /** Horizontal guides of a pane (RSI 30/70, stochastic 20/80). */
  guides?: number[];
  run(bars: BarColumns, p: number[]): IndicatorLine[];
}

export interface BarColumns {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

const period = (value: number) => ({ name: 'Period', value, integer: true });

export const INDICATORS: Record<IndicatorKind, Definition> = {
  sma: { label: 'SMA', overlay: true, params: [period(20)], run: (b, [n]) => [{ name: `SMA ${n}`, values: sma(b.close, n!) }] },
  ema: { label: 'EMA', overlay: true, params: [period(20)], run: (b, [n]) => [{ name: `EMA ${n}`, values: ema(b.close, n!) }] },
  wma: { label: 'WMA', overlay: true, params: [period(20)], run: (b, [n]) => [{ name: `WMA ${n}`, values: wma(b.close, n!) }] },
  bbands: {
    label: 'Bollinger Bands', overlay: true, params: [period(20), { name: 'Std devs', value: 2, integer: false }],
    run: (b, [n, k]) => {
      const r = bbands(b.close, n!, k!);
      return [{ name: `BB upper ${n} ${k}`, values: r.upper }, { name: `BB middle ${n} ${k}`, values: r.middle }, { name: `BB lower ${n} ${k}`, values: r.lower }];
    },
  },
  donchian: {
    label: 'Donchian', overlay: true, params: [period(20)],
    run: (b, [n]) => {
      const r = donchian(b.high, b.low, n!);
      return [{ name: `DC upper ${n}`, values: r.upper }, { name: `DC middle ${n}`, values: r.middle }, { name: `DC lower ${n}`, values: r.lower }];
    },
  },
  rsi: { label: 'RSI', overlay: false, params: [period(14)], guides: [30, 70], run: (b, [n]) => [{ name: `RSI ${n}`, values: rsi(b.close, n!) }] },
  macd: {
    label: 'MACD', overlay: false,
    params: [{ name: 'Fast', value: 12, integer: true }, { name: 'Slow', value: 26, integer: true }, { name: 'Signal', value: 9, integer: true }],
    run: (b, [f, s, g]) => {
      const r = macd(b.close, f!, s!, g!);
      return [{ name: 'MACD hist', values: r.hist, histogram: true }, { name: `MACD ${f} ${s} ${g}`, values: r.macd }, { name: 'Signal', values: r.signal }];
    },
  },
  stoch: {
    label: 'Stochastic', overlay: false, guides: [20, 80],
    params: [{ name: '%K', value: 14, integer: true }, { name: 'Smooth %K', value: 3, integer: true }, { name: '%D', value: 3, integer: true }],
    run: (b, [k, sk, d]) => {
      const r = stoch(b.high, b.low, b.close, k!, sk!, d!);
      return [{ name: `%K ${k} ${sk}`, values: r.k }, { name: `%D ${d}`, values: r.d }];
    },
  },
  atr: { label: 'ATR', overlay: false, params: [period(14)], run: (b, [n]) => [{ name: `ATR ${n}`, values: atr(b.high, b.low, b.close, n!) }] },
  volume: { label: 'Volume', overlay: false, params: [], run: (b) => [{ name: 'Volume', values: b.volume, histogram: true }] },
};

export const INDICATOR_KINDS = Object.keys(INDICATORS) as IndicatorKind[];

export function columns(bars: readonly Bar[]): BarColumns {
  const n = bars.length;
  const c: BarColumns = { high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const b = bars[i]!;
    c.high[i] = b.high;
    c.low[i] = b.low;
    c.close[i] = b.close;
    c.volume[i] = b.volume;
  }
  return c;
}

/** Why a parameter is not usable (a period must be a whole number ≥ 1), or undefined. */
export function paramError(kind: IndicatorKind, index: number, value: number): string | undefined {
  const def = INDICATORS[kind].params[index];
  if (!def) return 'unknown parameter';
  if (!Number.isFinite(value) || value <= 0) return `${def.name} must be above 0`;
  if (def.integer && !Number.isInteger(value)) return `${def.name} must be a whole number`;
  if (def.integer && value > 1000) return `${def.name} must be at most 1000`;
  return undefined;
}

export function newIndicator(kind: IndicatorKind, id: string): IndicatorConfig {
  return { id, kind, params: INDICATORS[kind].params.map((p) => p.value) };
}

const storageKey = (chartId: string) => `qc.chart.${chartId}.indicators`;

/** The chart's indicators as saved (malformed entries are dropped: a saved list from an older build never breaks the chart). */
export function loadIndicators(chartId: string): IndicatorConfig[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(storageKey(chartId)) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.filter((x): x is IndicatorConfig => {
      const c = x as IndicatorConfig;
      return typeof c?.id === 'string' && c.kind in INDICATORS && Array.isArray(c.params) && c.params.length === INDICATORS[c.kind].params.length
        && c.params.every((v, i) => paramError(c.kind, i, v) === undefined);
    });
  } catch {
    return [];
  }
}

export function saveIndicators(chartId: string, list: readonly IndicatorConfig[]): void {
  localStorage.setItem(storageKey(chartId), JSON.stringify(list));
}
