// A few seeded cTrader fault trials, one per kind (tests/ctrader/trials.ts); `npm run soak:ctrader` runs hundreds.
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, runCtraderTrial } from './trials';

describe('cTrader fault trials', () => {
  for (const [i, kind] of FAULT_KINDS.entries()) {
    it(`${kind}: no fill lost, nothing duplicated, positions match`, async () => {
      const r = await runCtraderTrial(1000 + i, kind);
      expect({ lost: r.lost, duplicated: r.duplicated, positionMismatches: r.positionMismatches, stuck: r.stuck, details: r.details }).toEqual({ lost: 0, duplicated: 0, positionMismatches: [], stuck: 0, details: [] });
    }, 40_000);
  }
});
