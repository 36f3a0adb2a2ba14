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

// Built once: toLocaleString with options builds a formatter per call (63 ms in an 8 s profile under 1,000 quotes/s).
let qtyFormat: Intl.NumberFormat | undefined;
export function qty(v: number): string {
  return (qtyFormat ??= new Intl.NumberFormat(undefined, { maximumFractionDigits: 8 })).format(v);
}

export function pnlClass(v: string | null | undefined): string {
  const n = Number(v ?? 0);
  return n > 0 ? 'pos' : n < 0 ? 'neg' : '';
}

export function time(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { ...DATE_TIME, timeZone: displayZone() });
}

/**
 * The time zone times are shown in, chosen on the chart and used by the chart's time axis and the tables alike:
 * the exchange's (of the charted instrument), the computer's own, or UTC. Kept across restarts.
 */
export type TimeZoneChoice = 'exchange' | 'local' | 'utc';
const TIME_ZONE_KEY = 'qc.timeZone';
let zoneChoice: TimeZoneChoice = (['exchange', 'local', 'utc'] as const).find((z) => typeof localStorage !== 'undefined' && z === localStorage.getItem(TIME_ZONE_KEY)) ?? 'local';
/** The active chart's instrument and its exchange's zone (undefined: not known, e.g. a symbol outside the list). */
let exchange: { symbol: string; zone: string | undefined } | undefined;
const zoneListeners = new Set<() => void>();

export const timeZoneChoice = (): TimeZoneChoice => zoneChoice;
export function setTimeZoneChoice(choice: TimeZoneChoice): void {
  zoneChoice = choice;
  localStorage.setItem(TIME_ZONE_KEY, choice);
  zoneListeners.forEach((f) => f());
}
/** The active chart's symbol and its exchange's zone (IANA), for the "exchange" choice of the tables. */
export function setExchangeZone(symbol: string | undefined, zone: string | undefined): void {
  if (symbol === exchange?.symbol && zone === exchange?.zone) return;
  exchange = symbol === undefined ? undefined : { symbol, zone };
  zoneListeners.forEach((f) => f());
}
export function onTimeZoneChange(f: () => void): () => void {
  zoneListeners.add(f);
  return () => zoneListeners.delete(f);
}

/** The zone times are shown in, and why: `zone` is what to format with (undefined: the computer's own). */
export interface ZoneInUse {
  zone: string | undefined;
  /** Short, for a select's option ("New York", "UTC"). */
  label: string;
  /** The zone and its reason ("America/New_York — the exchange time of AAPL", "UTC — exchange time zone unknown for X"). */
  why: string;
  /** True when "exchange" was chosen but the exchange's zone is not known: UTC is shown instead. */
  fallback: boolean;
}

/** The zone a chart of `symbol` (with its exchange's zone, when known) shows under `choice`. An unknown exchange zone
 * falls back to UTC, and says so: never silently. */
export function zoneInUse(choice: TimeZoneChoice, symbol: string | undefined, exchangeZone: string | undefined): ZoneInUse {
  if (choice === 'utc') return { zone: 'UTC', label: 'UTC', why: 'UTC', fallback: false };
  if (choice === 'local') return { zone: undefined, label: 'Local', why: `${new Intl.DateTimeFormat().resolvedOptions().timeZone} — this computer's time zone`, fallback: false };
  if (exchangeZone) return { zone: exchangeZone, label: exchangeZone === 'UTC' ? 'UTC' : exchangeZone.replace(/^.*\//, '').replace(/_/g, ' '), why: `${exchangeZone} — the exchange time of ${symbol ?? 'the chart'}`, fallback: false };
  return { zone: 'UTC', label: 'unknown: UTC', why: symbol ? `UTC — exchange time zone unknown for ${symbol}` : 'UTC — no chart open, so no exchange time zone', fallback: true };
}

/** The zone the tables use now (the active chart's exchange, under the "exchange" choice). */
export function currentZone(): ZoneInUse {
  return zoneInUse(zoneChoice, exchange?.symbol, exchange?.zone);
}
/** The IANA zone to format in; undefined is the computer's own. The same answer as currentZone().zone, without
 * building its texts: the tables call it for every time they show. */
export function displayZone(): string | undefined {
  return zoneChoice === 'utc' ? 'UTC' : zoneChoice === 'exchange' ? (exchange?.zone ?? 'UTC') : undefined;
}
/** Where each session's exchange keeps its clock (FX and crypto trade round the clock: New York's 17:00 roll, UTC). */
export const EXCHANGE_ZONES: Partial<Record<string, string>> & Record<'us-equity' | 'fx-24x5' | 'cfd-23x5' | 'crypto-24x7', string> = {
  'us-equity': 'America/New_York', 'fx-24x5': 'America/New_York', 'cfd-23x5': 'Europe/London', 'crypto-24x7': 'UTC',
};

const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

/** A time of day in the user's locale (hours and minutes, seconds when asked). */
export function timeOfDay(ms: number, seconds = true): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), timeZone: displayZone() });
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
