// The close a symbol's day change is measured from (the header's and the watchlist's change and % change), read from
// the daily bars and shared by every view that shows it. Read again when it can have changed: at a session's open or
// close and when the UTC day turns (daily bars are stamped by UTC day), never on a timer (IB paces history requests).
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../src-shared/api/contract';
import type { Bar, SessionKind } from '../../src-shared/domain/types';
import { sessionState } from '../../src-shared/domain/sessions';

const DAY_MS = 86_400_000;

/**
 * The close before the newest daily bar. While a session runs the newest bar is today's, so this is the previous
 * session's close; while the market is closed (a weekend, before the open) the newest bar is the last session's, and
 * the change shown is that session's: on a Sunday, Friday's close against Thursday's, as TWS and TradingView show it
 * (comparing with the last bar before the browser's today gave 0.00 all weekend).
 */
export function changeBase(daily: readonly Bar[]): number | undefined {
  return daily.at(-2)?.close;
}

/** Names the span in which a symbol's base stays the same: its UTC day and whether its market is open. */
export function baseEpoch(session: SessionKind | undefined, now: number): string {
  const day = Math.floor(now / DAY_MS);
  return session ? `${day}:${sessionState(session, now).open ? 'open' : 'closed'}` : String(day);
}

/** Each session's epoch, re-evaluated just after the next open, close or UTC midnight (and at least every 30 s). */
export function useBaseEpochs(sessions: readonly (SessionKind | undefined)[]): string[] {
  const [now, setNow] = useState(() => Date.now());
  // One entry per symbol, an unknown session too (its epoch is the UTC day): the epochs line up with the symbols.
  const key = sessions.map((s) => s ?? '-').join(',');
  useEffect(() => {
    let next = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
    for (const s of sessions) {
      const at = s ? sessionState(s, now).changesAt : null;
      if (at !== null && at < next) next = at;
    }
    // A little after the change: the source's newest daily bar is the new session's once its first trade is in.
    const timer = setTimeout(() => setNow(Date.now()), Math.min(30_000, Math.max(500, next - Date.now() + 2_000)));
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the sessions' text
  }, [now, key]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the sessions' text
  return useMemo(() => sessions.map((s) => baseEpoch(s, now)), [now, key]);
}

const bases = new Map<string, { epoch: string; close: Promise<number | undefined> }>();

/** The base of `symbol` in `epoch` (see baseEpoch): read once per epoch, shared by the views that show it. */
export function previousClose(api: ApiClient, symbol: string, epoch: string): Promise<number | undefined> {
  const held = bases.get(symbol);
  if (held !== undefined && held.epoch === epoch) return held.close;
  const close = api.call('bars.history', { symbol, timeframe: '1d', limit: 5 }).then(changeBase, () => {
    // A failure is not kept: the next view asks again.
    if (bases.get(symbol)?.close === close) bases.delete(symbol);
    return undefined;
  });
  bases.set(symbol, { epoch, close });
  return close;
}
