// `npm run soak:mt5 -- --trials 200 [--seed 1]`: many seeded MetaTrader 5 fault trials on the stand-in (tests/mt5/trials.ts), run by scripts/soak-venue.ts.
import { FAULT_KINDS, runMt5Trial } from '../tests/mt5/trials';
import { runSoak } from './soak-venue';

await runSoak('soak:mt5', FAULT_KINDS, runMt5Trial);
