import { defineConfig } from 'vitest/config';

// One run covers unit tests (next to the code), integration and end-to-end tests (tests/).
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'tests/**/*.test.ts', 'tools/**/*.test.ts'],
    // Generous: end-to-end and CLI tests spawn processes, and a loaded 2-core machine slows them several-fold.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: the browser and database suites are heavy, so files run two at a time.
    maxWorkers: 2,
  },
});
