// A few seeded IG fault trials, one per kind (tests/ig/trials.ts); `npm run soak:ig` runs hundreds.
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, runIgTrial } from './trials';

describe('IG fault trials', () => {
  for (const [i, kind] of FAULT_KINDS.entries()) {
    it(`${kind}: no fill lost, nothing duplicated, positions match`, async () => {
      const r = await runIgTrial(1000 + i, kind);
      expect({ lost: r.lost, duplicated: r.duplicated, positionMismatches: r.positionMismatches, stuck: r.stuck, details: r.details }).toEqual({ lost: 0, duplicated: 0, positionMismatches: [], stuck: 0, details: [] });
    }, 40_000);
  }
});
