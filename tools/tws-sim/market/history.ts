// Historical bars (deterministic per symbol and time) and IB's historical-data pacing rules.
import type { Instrument } from './instruments';
import { hashString, mulberry32, roundToTick } from './prices';
import type { Bar } from './bar';

const BAR_SECONDS: Record<string, number> = {
  '1 secs': 1, '5 secs': 5, '10 secs': 10, '15 secs': 15, '30 secs': 30,
  '1 min': 60, '2 mins': 120, '3 mins': 180, '5 mins': 300, '10 mins': 600, '15 mins': 900, '20 mins': 1200, '30 mins': 1800,
  '1 hour': 3600, '2 hours': 7200, '3 hours': 10800, '4 hours': 14400, '8 hours': 28800,
  '1 day': 86400, '1 week': 604800, '1 month': 2592000,
};

const DURATION_UNIT: Record<string, number> = { S: 1, D: 86400, W: 604800, M: 2592000, Y: 31536000 };

/** Parses "N S|D|W|M|Y" (durationStr) into seconds, or a message naming the problem. */
export function parseDuration(s: string): number | string {
  const m = /^(\d+)\s+([SDWMY])$/.exec(s.trim());
  if (!m) return `invalid duration "${s}"`;
  return Number(m[1]) * DURATION_UNIT[m[2]];
}

export function barSeconds(s: string): number | string {
  const n = BAR_SECONDS[s.trim()];
  return n ?? `invalid bar size "${s}"`;
}

/** Parses TWS's endDateTime: "" (now), "yyyymmdd hh:mm:ss[ tz]", "yyyymmdd-hh:mm:ss" (UTC). Zones other than UTC are read as UTC. */
export function parseTwsTime(s: string, now: number): number | string {
  const t = s.trim();
  if (t === '') return now;
  const m = /^(\d{4})(\d{2})(\d{2})[ -]+(\d{2}):(\d{2}):(\d{2})(?:\s+\S+)?$/.exec(t);
  if (!m) return `invalid date/time "${s}"`;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** "yyyymmdd hh:mm:ss" in UTC, the format the simulator writes times in (with a zone suffix where TWS puts one). */
export function twsTime(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)} ${d.slice(11, 19)}`;
}

/**
 * Bars ending at `end`, generated from a seeded walk anchored at the instrument's current price so the newest bar's close
 * is near the live quote. Each bar is a pure function of (seed, symbol, bar size, bar time): the same request gives the same bars.
 */
export function makeBars(inst: Instrument, seed: number, endMs: number, durationS: number, barS: number, anchor: number, formatDate: number): Bar[] {
  const count = Math.min(Math.max(1, Math.floor(durationS / barS)), 5000);
  const endBar = Math.floor(endMs / 1000 / barS) * barS;
  const bars: Bar[] = [];
  // Walk backwards from the anchor so the latest close equals the current price.
  let close = anchor;
  const vol = 0.002 * Math.sqrt(barS / 60);
  for (let k = 0; k < count; k++) {
    const t = endBar - k * barS;
    const rand = mulberry32(seed ^ hashString(`${inst.priceKey}|${barS}|${t}`));
    const ret = (rand() - 0.5) * 2 * vol;
    const open = close / (1 + ret);
    const hi = Math.max(open, close) * (1 + rand() * vol * 0.5);
    const lo = Math.min(open, close) * (1 - rand() * vol * 0.5);
    const tick = inst.minTick;
    const o = roundToTick(open, tick);
    const c = roundToTick(close, tick);
    const h = Math.max(roundToTick(hi, tick), o, c);
    const l = Math.min(roundToTick(lo, tick), o, c);
    const volume = Math.floor(1000 + rand() * 50_000);
    bars.push({
      date: formatBarDate(t, barS, formatDate),
      open: o, high: h, low: l, close: c, volume, wap: roundToTick((o + h + l + c) / 4, tick / 10), count: Math.floor(volume / 100),
    });
    close = open;
  }
  return bars.reverse();
}

export function formatBarDate(t: number, barS: number, formatDate: number): string {
  if (formatDate === 2) return String(t);
  const iso = new Date(t * 1000).toISOString();
  const day = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
  // Daily and longer bars are dates; intraday bars carry the time (TWS writes them with the exchange's zone).
  return barS >= 86400 ? day : `${day} ${iso.slice(11, 19)} UTC`;
}

export interface PacingRequest {
  contractKey: string;
  /** Everything that makes two requests identical (contract, end, duration, bar size, what to show, RTH). */
  identityKey: string;
  /** Contract + exchange + tick type: the key of IB's "6 within 2 seconds" rule. */
  tickTypeKey: string;
}

/**
 * IB's historical-data pacing (TWS API docs, "Historical Data Limitations"): a pacing violation (error 162) when
 * - identical requests are made within 15 seconds,
 * - six or more requests for the same contract, exchange and tick type are made within 2 seconds,
 * - more than 60 requests are made within any 10 minutes.
 * Rejected requests do not count towards the windows.
 */
export class HistoricalPacing {
  private readonly log: Array<{ at: number; req: PacingRequest }> = [];
  violations = 0;

  /** Checks a request at time `now`: undefined when allowed (and recorded), or the rule it broke. */
  admit(req: PacingRequest, now: number): string | undefined {
    while (this.log.length && this.log[0].at <= now - 600_000) this.log.shift();
    let reason: string | undefined;
    if (this.log.some((e) => e.req.identityKey === req.identityKey && e.at > now - 15_000)) {
      reason = 'identical request within 15 seconds';
    } else if (this.log.filter((e) => e.req.tickTypeKey === req.tickTypeKey && e.at > now - 2_000).length >= 5) {
      reason = 'six or more requests for the same contract, exchange and tick type within 2 seconds';
    } else if (this.log.length >= 60) {
      reason = 'more than 60 requests within 10 minutes';
    }
    if (reason) {
      this.violations++;
      return reason;
    }
    this.log.push({ at: now, req });
    return undefined;
  }
}
