// Display formatting. Money arrives as decimal strings; numbers are formatted for display only, never computed on.
// Numbers and dates follow the user's locale (the browser's or the OS's language: `undefined` as the locale).
const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
const signedUsd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', signDisplay: 'exceptZero' });

export function money(v: string | null | undefined, signed = false): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? (signed ? signedUsd : usd).format(n) : '—';
}

/** Money in a broker-reported currency (an ISO code; anything else is shown after the number). */
export function moneyIn(v: string | null | undefined, currency = 'USD'): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(n);
  } catch {
    return `${n.toLocaleString(undefined, { maximumFractionDigits: 2 })} ${currency}`;
  }
}

export function priceDecimals(tickSize: number): number {
  return Math.max(0, Math.round(-Math.log10(tickSize)));
}

/** One formatter per number of decimals: toLocaleString builds a new one per call, too slow for 1,000 quotes a second. */
const priceFormats = new Map<number, Intl.NumberFormat>();

export function price(v: number | null | undefined, tickSize = 0.01): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const d = priceDecimals(tickSize);
  let f = priceFormats.get(d);
  if (!f) priceFormats.set(d, (f = new Intl.NumberFormat(undefined, { minimumFractionDigits: d, maximumFractionDigits: d })));
  return f.format(v);
}

export function qty(v: number): string {
  return v.toLocaleString(undefined, { maximumFractionDigits: 8 });
}

export function pnlClass(v: string | null | undefined): string {
  const n = Number(v ?? 0);
  return n > 0 ? 'pos' : n < 0 ? 'neg' : '';
}

export function time(ms: number): string {
  return new Date(ms).toLocaleString(undefined, DATE_TIME);
}

const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

/** A time of day in the user's locale (hours and minutes, seconds when asked). */
export function timeOfDay(ms: number, seconds = true): string {
  return new Date(ms).toLocaleTimeString(undefined, seconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
}

/**
 * A price-axis format for lightweight-charts in the user's locale, with the instrument's decimals: the axis then reads
 * "61,827.29" like the header (its own formatter gives "61827.29").
 */
export function chartPriceFormat(decimals: number, minMove = 10 ** -decimals): { type: 'custom'; minMove: number; formatter: (p: number) => string } {
  const f = new Intl.NumberFormat(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return { type: 'custom', minMove, formatter: (p: number) => f.format(p) };
}

/** A fraction as a percent in the user's locale (0.0512 → "5.12 %"); null/undefined → "—". */
export function percent(v: number | null | undefined, signed = false, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const key = `${digits}${signed ? '+' : ''}`;
  let f = percentFormats.get(key);
  if (!f) percentFormats.set(key, (f = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'auto' })));
  return f.format(v);
}
const percentFormats = new Map<string, Intl.NumberFormat>();

/** A decimal-string quantity in the user's locale, exact digits kept up to 8 places. */
export function qtyText(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? qty(n) : v;
}

/** A calendar date (YYYY-MM-DD, no time zone) in the user's locale. */
export function isoDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}
