// `npm run soak:oanda -- --trials 200 [--seed 1]`: many seeded OANDA fault trials (tests/oanda/trials.ts), run by scripts/soak-venue.ts.
import { FAULT_KINDS, runOandaTrial } from '../tests/oanda/trials';
import { runSoak } from './soak-venue';

await runSoak('soak:oanda', FAULT_KINDS, runOandaTrial);
