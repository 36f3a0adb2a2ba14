// Indicator specs as the CLI writes them (`sma:30`, `macd:12:26:9`), computed into named output columns.
import type { BarArrays } from '../backtest/types';
import { atr, bbands, donchian, ema, macd, roc, rsi, sma, stoch, wma, zscore, momentum } from '../../../src-shared/domain/indicators/batch';

type Spec = { args: number; defaults: number[]; run: (d: BarArrays, a: number[]) => Record<string, Float64Array> };

const INDICATORS: Record<string, Spec> = {
  sma: { args: 1, defaults: [20], run: (d, [n]) => ({ [`sma_${n}`]: sma(d.close, n!) }) },
  ema: { args: 1, defaults: [20], run: (d, [n]) => ({ [`ema_${n}`]: ema(d.close, n!) }) },
  wma: { args: 1, defaults: [20], run: (d, [n]) => ({ [`wma_${n}`]: wma(d.close, n!) }) },
  rsi: { args: 1, defaults: [14], run: (d, [n]) => ({ [`rsi_${n}`]: rsi(d.close, n!) }) },
  roc: { args: 1, defaults: [10], run: (d, [n]) => ({ [`roc_${n}`]: roc(d.close, n!) }) },
  mom: { args: 1, defaults: [10], run: (d, [n]) => ({ [`mom_${n}`]: momentum(d.close, n!) }) },
  zscore: { args: 1, defaults: [20], run: (d, [n]) => ({ [`zscore_${n}`]: zscore(d.close, n!) }) },
  atr: { args: 1, defaults: [14], run: (d, [n]) => ({ [`atr_${n}`]: atr(d.high, d.low, d.close, n!) }) },
  macd: {
    args: 3, defaults: [12, 26, 9],
    run: (d, [f, s, g]) => {
      const m = macd(d.close, f!, s!, g!);
      const k = `${f}_${s}_${g}`;
      return { [`macd_${k}`]: m.macd, [`macd_signal_${k}`]: m.signal, [`macd_hist_${k}`]: m.hist };
    },
  },
  bbands: {
    args: 2, defaults: [20, 2],
    run: (d, [n, k]) => {
      const b = bbands(d.close, n!, k!);
      return { [`bb_upper_${n}_${k}`]: b.upper, [`bb_middle_${n}_${k}`]: b.middle, [`bb_lower_${n}_${k}`]: b.lower };
    },
  },
  stoch: {
    args: 3, defaults: [14, 3, 3],
    run: (d, [k, sk, sd]) => {
      const s = stoch(d.high, d.low, d.close, k!, sk!, sd!);
      return { [`stoch_k_${k}_${sk}_${sd}`]: s.k, [`stoch_d_${k}_${sk}_${sd}`]: s.d };
    },
  },
  donchian: {
    args: 1, defaults: [20],
    run: (d, [n]) => {
      const c = donchian(d.high, d.low, n!);
      return { [`dc_upper_${n}`]: c.upper, [`dc_middle_${n}`]: c.middle, [`dc_lower_${n}`]: c.lower };
    },
  },
};

export const INDICATOR_NAMES = Object.keys(INDICATORS);

/** Parses `name[:a[:b…]]` and computes its output columns. */
export function computeIndicator(spec: string, data: BarArrays): Record<string, Float64Array> {
  const [name, ...rawArgs] = spec.trim().toLowerCase().split(':');
  const def = INDICATORS[name ?? ''];
  if (!def) throw new RangeError(`Unknown indicator "${name}" (available: ${INDICATOR_NAMES.join(', ')})`);
  if (rawArgs.length > def.args) throw new RangeError(`${name} takes at most ${def.args} parameter(s): ${spec}`);
  const args = def.defaults.map((d, i) => (rawArgs[i] === undefined ? d : Number(rawArgs[i])));
  args.forEach((a, i) => {
    const integer = !(name === 'bbands' && i === 1);
    if (!Number.isFinite(a) || a <= 0 || (integer && !Number.isInteger(a))) throw new RangeError(`Bad parameter "${rawArgs[i]}" in ${spec}: expected a positive ${integer ? 'integer' : 'number'}`);
  });
  return def.run(data, args);
}
