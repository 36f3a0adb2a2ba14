// What is stored per live strategy (the `params` JSON of its `strategies` row), parsed by one schema: a row written by an
// older version gets the defaults, a row that is not a live strategy is refused with the field named.
import { z } from 'zod';
import { LiveStrategy } from '../../src-shared/api/contract';
import { Timeframe } from '../../src-shared/domain/types';
import { dec } from '../domain/money';

/** The paper account: where strategies started before accounts could be chosen ran, and the default. */
export const DEFAULT_STRATEGY_ACCOUNT = 'PAPER-1';

export const SavedState = z.object({
  symbols: z.array(z.string()).min(1),
  timeframe: Timeframe,
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  capital: z.number(),
  /** The account it trades (our account id). */
  accountId: z.string().min(1).default(DEFAULT_STRATEGY_ACCOUNT),
  status: LiveStrategy.shape.status,
  message: z.string().nullable(),
  startedAt: z.number(),
  lastBarTime: z.number().nullable(),
  lastSignal: LiveStrategy.shape.lastSignal,
  positions: z.record(z.string(), z.number()),
  /** Σ −(signed quantity × price) − commission over its fills, exact decimal string. */
  cashFlow: z.string().refine((v) => {
    try {
      return dec(v).isFinite();
    } catch {
      return false;
    }
  }, 'not a decimal number'),
  orders: z.number().int(),
});
export type SavedState = z.infer<typeof SavedState>;

/** The stored state, or why the row is not one (for the log). */
export function parseSavedState(raw: unknown): { ok: true; state: SavedState } | { ok: false; reason: string } {
  const r = SavedState.safeParse(raw);
  if (r.success) return { ok: true, state: r.data };
  const issue = r.error.issues[0]!;
  return { ok: false, reason: `${issue.path.join('.') || '(row)'}: ${issue.message}` };
}

/** The JSON column's value (a plain object, as the store's row type wants). */
export function storedState(state: SavedState): Record<string, unknown> {
  return { ...state };
}
