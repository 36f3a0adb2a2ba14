// `npm run soak:ctrader -- --trials 200 [--seed 1]`: many seeded cTrader fault trials (tests/ctrader/trials.ts), run by scripts/soak-venue.ts.
import { FAULT_KINDS, runCtraderTrial } from '../tests/ctrader/trials';
import { runSoak } from './soak-venue';

await runSoak('soak:ctrader', FAULT_KINDS, runCtraderTrial);
