// Piscina entry: loads the TypeScript worker through tsx's loader (CLI, tests and benchmarks run from source).
import { register } from 'tsx/esm/api';

register();
const worker = await import('./csv-worker.ts');
export default worker.default;
