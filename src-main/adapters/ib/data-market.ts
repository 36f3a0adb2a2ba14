// The MarketData port over the IB data client, for the IB session: a watch list streamed within the line budget,
// instruments from IB's contract details, history through the pacer, and open hours from IB's liquid hours.
import { TIMEFRAME_SECONDS, type Bar, type Instrument, type Quote, type Timeframe } from '../../../src-shared/domain/types';
import { systemClock, type Clock } from '../../ports/clock';
import type { Disposable } from '../../ports/disposable';
import type { MarketData } from '../../ports/market-data';
import { toInstrument } from './contracts';
import type { IbDataClient } from './data';

export interface IbMarketDataOptions {
  /** Symbols to stream (our names: AAPL, EURUSD, AAPL.CFD, ES.FUT...). */
  symbols?: string[];
  /** Instruments to stream (their symbols are added to `symbols`); shown as given until IB has described them. */
  instruments?: Instrument[];
  clock?: Clock;
}

/** Calendar time per bar: stocks trade 6.5 of 24 hours and 5 of 7 days, so a bar count needs more calendar span. */
function calendarSpanS(timeframe: Timeframe, bars: number, intradayHoursPerDay: number): number {
  const bar = TIMEFRAME_SECONDS[timeframe];
  const perDay = timeframe === '1d' ? 1 : Math.max(1, Math.floor((intradayHoursPerDay * 3600) / bar));
  const tradingDays = Math.ceil(bars / perDay);
  return Math.ceil((tradingDays * 7) / 5 + 4) * 86400;
}

export class IbMarketData implements MarketData {
  readonly name = 'Interactive Brokers';
  private readonly clock: Clock;
  private readonly watched: string[];
  private readonly given = new Map<string, Instrument>();
  private readonly subs = new Map<string, Disposable>();
  private started = false;

  constructor(private readonly client: IbDataClient, opts: IbMarketDataOptions) {
    this.clock = opts.clock ?? systemClock;
    for (const i of opts.instruments ?? []) this.given.set(i.symbol.trim().toUpperCase(), i);
    this.watched = [...new Set([...(opts.symbols ?? []), ...this.given.keys()].map((s) => s.trim().toUpperCase()))];
  }

  instruments(): Instrument[] {
    const out: Instrument[] = [];
    for (const s of this.watched) {
      const i = this.instrument(s);
      if (i) out.push(i);
    }
    return out;
  }

  /** IB's description once it has one (name, tick size, exchange), else the instrument we were given. */
  instrument(symbol: string): Instrument | undefined {
    const key = symbol.trim().toUpperCase();
    const r = this.client.resolvedContract(key);
    if (!r) return this.given.get(key);
    const mine = toInstrument(r);
    const given = this.given.get(key);
    // Keep our asset class and session where IB's security type says less (a CFD on an index vs on a share).
    return given ? { ...mine, assetClass: given.assetClass, session: given.session, lotSize: given.lotSize } : mine;
  }

  async history(symbol: string, timeframe: Timeframe, limit = 500): Promise<Bar[]> {
    const r = await this.client.resolve(symbol);
    const to = Math.floor(this.clock.now() / 1000 / TIMEFRAME_SECONDS[timeframe]) * TIMEFRAME_SECONDS[timeframe];
    const hours = toInstrument(r).session === 'us-equity' ? 6.5 : 24;
    const from = to - calendarSpanS(timeframe, limit, hours);
    const bars = await this.client.history({ symbol, timeframe, from, to });
    return bars.slice(Math.max(0, bars.length - limit));
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.client.lastQuote(symbol);
  }

  isOpen(symbol: string, time: number): boolean {
    const r = this.client.resolvedContract(symbol);
    if (!r) return this.given.has(symbol.trim().toUpperCase()); // not described yet: trust the quote stream
    const hours = r.liquidHours || r.tradingHours;
    // Without IB's hours (not sent for some contracts) trust the quote stream instead of guessing.
    if (!hours) return true;
    return isWithinIbHours(hours, r.timeZoneId, time);
  }

  onQuote(listener: (q: Quote) => void): Disposable {
    return this.client.onQuote(listener);
  }

  /** Streams the watch list; symbols beyond the line budget are refused one by one (see the client's status). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const s of this.watched) this.watch(s);
  }

  /** Adds a symbol to the stream; false (with the reason in status().refused) when no line is free. */
  watch(symbol: string): boolean {
    const s = symbol.trim().toUpperCase();
    if (!this.watched.includes(s)) this.watched.push(s);
    if (this.subs.has(s)) return true;
    const r = this.client.trySubscribe([s], () => undefined);
    if (r.refused.length > 0) return false;
    this.subs.set(s, r.subscription);
    return true;
  }

  unwatch(symbol: string): void {
    const s = symbol.trim().toUpperCase();
    void this.subs.get(s)?.dispose();
    this.subs.delete(s);
    const i = this.watched.indexOf(s);
    if (i >= 0) this.watched.splice(i, 1);
  }

  dispose(): void {
    for (const d of this.subs.values()) void d.dispose();
    this.subs.clear();
  }
}

/**
 * Whether `utcMs` falls in IB's trading/liquid hours: "20260105:0930-20260105:1600;20260106:CLOSED" (or the older
 * "20260105:0930-1600,1700-1800") in the contract's time zone (IANA names like US/Eastern, which Intl understands).
 */
export function isWithinIbHours(hours: string, timeZoneId: string, utcMs: number): boolean {
  const tz = normaliseZone(timeZoneId);
  for (const day of hours.split(';')) {
    const [date, ranges] = splitOnce(day.trim(), ':');
    if (!ranges || ranges === 'CLOSED' || !/^\d{8}$/.test(date)) continue;
    for (const range of ranges.split(',')) {
      const [a, b] = range.split('-');
      if (!a || !b) continue;
      const start = wallToUtc(a.includes(':') ? a : `${date}:${a}`, tz);
      const end = wallToUtc(b.includes(':') ? b : `${date}:${b}`, tz);
      if (utcMs >= start && utcMs < end) return true;
    }
  }
  return false;
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function normaliseZone(tz: string): string {
  const t = tz.trim();
  if (!t) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: t });
    return t;
  } catch {
    // IB sometimes sends abbreviations (EST, CST) that Intl rejects.
    const map: Record<string, string> = { EST: 'America/New_York', EDT: 'America/New_York', CST: 'America/Chicago', CDT: 'America/Chicago', GMT: 'UTC', MET: 'Europe/Berlin' };
    return map[t.toUpperCase()] ?? 'UTC';
  }
}

/** "YYYYMMDD:HHMM" wall time in `tz` as UTC ms. */
function wallToUtc(s: string, tz: string): number {
  const m = /^(\d{4})(\d{2})(\d{2}):(\d{2})(\d{2})$/.exec(s.trim());
  if (!m) return NaN;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // Two passes settle the offset across a DST change.
  let utc = wall - zoneOffsetMs(tz, wall);
  utc = wall - zoneOffsetMs(tz, utc);
  return utc;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `utcMs` (wall clock minus UTC). */
function zoneOffsetMs(tz: string, utcMs: number): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utcMs / 1000) * 1000;
}
