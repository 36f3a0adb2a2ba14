// `npm run soak:ig -- --trials 200 [--seed 1]`: many seeded IG fault trials (tests/ig/trials.ts), run by scripts/soak-venue.ts.
import { FAULT_KINDS, runIgTrial } from '../tests/ig/trials';
import { runSoak } from './soak-venue';

await runSoak('soak:ig', FAULT_KINDS, runIgTrial);
