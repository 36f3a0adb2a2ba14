// What the terminal knows of an instrument for exposure: sector, industry, asset class and country, from several
// sources (the user's edit, IB contract details, Yahoo's asset profile, the demo market), merged field by field.
import { z } from 'zod';

/** Where a profile came from; earlier in PROFILE_PRECEDENCE wins field by field. */
export const ProfileSource = z.enum(['user', 'ib', 'yahoo', 'demo']);
export type ProfileSource = z.infer<typeof ProfileSource>;
export const PROFILE_PRECEDENCE: readonly ProfileSource[] = ['user', 'ib', 'yahoo', 'demo'];

export const PROFILE_FIELDS = ['sector', 'industry', 'assetClass', 'country'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

const Label = z.string().trim().min(1).max(80);
export const InstrumentProfile = z.object({
  sector: Label.optional(),
  industry: Label.optional(),
  assetClass: Label.optional(),
  country: Label.optional(),
});
export type InstrumentProfile = z.infer<typeof InstrumentProfile>;

/** One source's profile of one instrument, as stored (user edits; fetched profiles kept so exposure works offline). */
export const StoredProfile = InstrumentProfile.extend({
  symbol: z.string().min(1).max(32),
  source: ProfileSource,
  /** UTC ms of the edit or fetch. */
  updatedAt: z.number(),
});
export type StoredProfile = z.infer<typeof StoredProfile>;

/** The merged profile of one instrument and, per field, the source it came from. */
export const MergedProfile = InstrumentProfile.extend({
  symbol: z.string(),
  sources: z.partialRecord(z.enum(PROFILE_FIELDS), ProfileSource),
});
export type MergedProfile = z.infer<typeof MergedProfile>;

/**
 * Merges one instrument's profiles: each field from the first source in PROFILE_PRECEDENCE that has it
 * (user edit > IB > Yahoo > demo), so an edit of the sector alone keeps Yahoo's industry.
 */
export function mergeProfiles(symbol: string, rows: readonly Pick<StoredProfile, 'source' | ProfileField>[]): MergedProfile {
  const out: MergedProfile = { symbol, sources: {} };
  for (const source of PROFILE_PRECEDENCE) {
    for (const r of rows) {
      if (r.source !== source) continue;
      for (const f of PROFILE_FIELDS) {
        const v = r[f];
        if (v !== undefined && out[f] === undefined) {
          out[f] = v;
          out.sources[f] = source;
        }
      }
    }
  }
  return out;
}
