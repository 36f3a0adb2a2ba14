// Whether an instrument's market is open now and when that changes, from the same weekly sessions the demo market and
// the paper broker trade by (src-shared/domain/sessions.ts); re-read every 30 s and at the change itself.
import { useEffect, useState } from 'react';
import { sessionState } from '../../src-shared/domain/sessions';
import type { SessionKind } from '../../src-shared/domain/types';

export interface MarketStatus {
  open: boolean;
  /** UTC ms of the next close (open) or open (closed); null when it does not close. */
  changesAt: number | null;
}

export function useMarketStatus(session: SessionKind | undefined): MarketStatus | undefined {
  const [now, setNow] = useState(() => Date.now());
  const status = session ? sessionState(session, now) : undefined;
  useEffect(() => {
    const wait = status?.changesAt != null ? Math.min(30_000, Math.max(500, status.changesAt - Date.now() + 50)) : 30_000;
    const timer = setTimeout(() => setNow(Date.now()), wait);
    return () => clearTimeout(timer);
  }, [now, status?.changesAt]);
  return status;
}

/** "Mon 15:30" in the user's locale and time zone; the date too when it is more than six days away. */
export function whenText(ms: number): string {
  const far = ms - Date.now() > 6 * 86_400_000;
  return (far ? WHEN_FAR : WHEN_NEAR).format(new Date(ms));
}
// Built once: the ticket shows this on every quote of its instrument, and toLocaleString builds a formatter per call
// (seen in a CPU profile under 1,000 quotes/s).
const WHEN_FAR = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const WHEN_NEAR = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/** "Open · closes Thu 16:00", "Closed · opens Mon 15:30", "Open 24/7". */
export function statusText(s: MarketStatus): string {
  if (s.changesAt === null) return s.open ? 'Open 24/7' : 'Closed';
  return s.open ? `Open · closes ${whenText(s.changesAt)}` : `Closed · opens ${whenText(s.changesAt)}`;
}

/** The time, re-read every `everyMs` (for labels that depend on it). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
