// The universes' messages (issue 16): the lists of stocks a screen runs over (demo, S&P 500, Russell 2000 from an ETF's
// holdings, custom lists, watchlists). contract.ts registers them as `universes.*` methods.
import { z } from 'zod';
import { Universe, UniverseKind } from '../domain/fundamentals';
import { MAX_IMPORT_BYTES } from './limits';

export const UniverseInfo = z.object({
  id: z.string(),
  kind: UniverseKind,
  name: z.string(),
  asOf: z.string().nullable(),
  size: z.number().int(),
});
export type UniverseInfo = z.infer<typeof UniverseInfo>;

export const UniverseImportRequest = z.object({
  /** sp500: Wikipedia's constituents page (HTML) or a Symbol,Security,GICS Sector,GICS Sub-Industry CSV; russell2000:
   * an iShares holdings CSV (IWM); custom: symbols (one a line, or separated) or a CSV with a Symbol column. */
  kind: z.enum(['sp500', 'russell2000', 'custom']),
  text: z.string().min(1).max(MAX_IMPORT_BYTES),
  /** A custom list's name. */
  name: z.string().trim().min(1).max(60).optional(),
  /** Where it came from (a file name). */
  source: z.string().trim().min(1).max(300),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
}).refine((r) => r.kind !== 'custom' || r.name !== undefined, { message: 'A custom list needs a name', path: ['name'] });

export const universeMethods = {
  /** Every universe: demo, S&P 500 (shipped or refreshed), imported lists, custom lists, watchlists. */
  'universes.list': { request: z.object({}).strict(), response: z.array(UniverseInfo) },
  'universes.get': { request: z.object({ id: z.string().min(1).max(80) }), response: Universe },
  /** Reads a list from a file's text and stores it (replacing the list of the same id). */
  'universes.import': { request: UniverseImportRequest, response: UniverseInfo },
} as const;
