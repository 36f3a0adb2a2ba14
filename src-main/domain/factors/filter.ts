// The screener's filter language: conditions joined by "and" (or commas), each `FIELD OP VALUE`:
//   pe<20   market_cap>=10B   sector=Energy   sector!='Real Estate'   mom_12_1.pct>=0.8   price>5 and volume>1M
// Fields: any factor by name (its raw value), FACTOR.pct (its percentile in the universe, 0 worst … 1 best, direction
// applied), price, volume (the last day's), avg_volume (20 days), market_cap, sector. Numbers may end in K, M, B or T.
// OP: < <= > >= = !=. A stock whose field is missing fails a numeric condition (it is not known to pass).
// Parsing errors name the condition and what was expected.
import { FACTORS, factorByName } from './definitions';

export type FilterOp = '<' | '<=' | '>' | '>=' | '=' | '!=';

export type Condition =
  | { field: string; kind: 'number'; op: FilterOp; value: number; text: string }
  | { field: 'sector'; kind: 'text'; op: '=' | '!='; value: string; text: string };

export const PLAIN_FIELDS = ['price', 'volume', 'avg_volume', 'market_cap'] as const;

export class FilterError extends Error {}

const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

function fieldName(raw: string): string {
  const f = raw.trim().toLowerCase();
  if (f === 'sector' || (PLAIN_FIELDS as readonly string[]).includes(f)) return f;
  const [base, pct] = f.split('.', 2);
  const def = factorByName(base ?? '');
  if (!def || (pct !== undefined && pct !== 'pct')) {
    throw new FilterError(`unknown field "${raw.trim()}" (fields: ${[...PLAIN_FIELDS, 'sector', ...FACTORS.map((x) => x.name)].join(', ')}; FACTOR.pct for a percentile)`);
  }
  return pct ? `${def.name}.pct` : def.name;
}

export function parseFilter(text: string): Condition[] {
  const parts = text.split(/\s+and\s+|,/i).map((p) => p.trim()).filter((p) => p !== '');
  return parts.map((part) => {
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|!=|<|>|=)\s*(.+)$/.exec(part);
    if (!m) throw new FilterError(`"${part}": expected FIELD OP VALUE, e.g. pe<20 or sector=Energy (OP one of < <= > >= = !=)`);
    const field = fieldName(m[1]!);
    const op = m[2] as FilterOp;
    const raw = m[3]!.trim();
    if (field === 'sector') {
      if (op !== '=' && op !== '!=') throw new FilterError(`"${part}": sector takes = or !=`);
      const value = raw.replace(/^(['"])(.*)\1$/, '$2').trim();
      if (!value) throw new FilterError(`"${part}": no sector named`);
      return { field, kind: 'text', op, value, text: part };
    }
    const n = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([KMBT])?$/i.exec(raw);
    if (!n) throw new FilterError(`"${part}": "${raw}" is not a number (a suffix K, M, B or T may follow)`);
    const value = Number(n[1]) * (n[2] ? SUFFIX[n[2].toUpperCase()]! : 1);
    return { field, kind: 'number', op, value, text: part };
  });
}

/** Does a stock pass every condition? `get` returns a field's value (null: missing). */
export function passes(conditions: readonly Condition[], get: (field: string) => number | string | null): boolean {
  for (const c of conditions) {
    const v = get(c.field);
    if (c.kind === 'text') {
      const same = typeof v === 'string' && v.toLowerCase() === c.value.toLowerCase();
      if (same !== (c.op === '=')) return false;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    const ok = c.op === '<' ? v < c.value : c.op === '<=' ? v <= c.value : c.op === '>' ? v > c.value : c.op === '>=' ? v >= c.value : c.op === '=' ? v === c.value : v !== c.value;
    if (!ok) return false;
  }
  return true;
}
