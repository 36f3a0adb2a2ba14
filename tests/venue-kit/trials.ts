// What every venue's fault trials share (tests/{oanda,ctrader,ig,mt5}/trials.ts, `npm run soak:VENUE`): the result
// of a trial and the books it checks after the fault: every fill the simulator made booked once, no order of ours
// sent twice, and no order left unanswered.
import type { Store } from '../../src-main/ports/store';
import { waitUntil } from '../ib/harness';

export interface VenueTrialResult {
  seed: number;
  fault: string;
  ordersAccepted: number;
  /** MT5's stand-in: whether the fault struck at all (some only strike on a send). */
  struck?: boolean;
  simFills: number;
  /** Fills the simulator made that are not in our database. */
  lost: number;
  /** Fills booked twice or without a simulator fill, plus orders of ours that became two orders at the simulator. */
  duplicated: number;
  positionMismatches: string[];
  /** Accepted orders never acknowledged nor finished after the trial. */
  stuck: number;
  details: string[];
  ms: number;
}

/** Waits (up to `ms`) until every fill id the simulator reports is booked in our store. */
export async function waitBooked(store: Store, accountId: string, simFillIds: () => string[], ms = 5_000): Promise<void> {
  await waitUntil('every fill booked', async () => {
    const ours = new Set((await store.fills.list({ accountId, limit: 100_000 })).map((f) => f.id));
    return simFillIds().every((id) => ours.has(id));
  }, ms).catch(() => undefined);
}

/** Compares our booked fills with the simulator's: fills lost, and fills booked twice or never made there. */
export async function checkFills(store: Store, accountId: string, simFills: string[], details: string[], venue = 'the simulator'): Promise<{ lost: number; duplicated: number }> {
  const ours = new Map<string, number>();
  for (const f of await store.fills.list({ accountId, limit: 100_000 })) ours.set(f.id, (ours.get(f.id) ?? 0) + 1);
  const simSet = new Set(simFills);
  const missing = simFills.filter((id) => !ours.has(id));
  if (missing.length) details.push(`lost: ${missing.join(', ')}`);
  let duplicated = 0;
  for (const [id, count] of ours) {
    if (!simSet.has(id)) {
      duplicated++;
      details.push(`booked fill ${id} ${venue} never made`);
    }
    if (count > 1) duplicated += count - 1;
  }
  return { lost: missing.length, duplicated };
}

/** Orders of ours that became more than one order at the venue: `venueOrdersOf` maps our id to its venue orders. */
export function countSentTwice(venueOrdersOf: Map<string, number>, details: string[], what = 'order'): number {
  let n = 0;
  for (const [id, count] of venueOrdersOf) {
    if (count > 1) {
      n += count - 1;
      details.push(`${what} ${id} became ${count} orders`);
    }
  }
  return n;
}
