import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built binary; keep the suite inside a few minutes on 2 cores.
    testTimeout: 30_000,
    pool: 'forks',
    // One fast-check seed per commit (FC_SEED to replay, FC_RANDOM=1 to explore): test/helpers/fast-check-setup.ts.
    setupFiles: ['./test/helpers/fast-check-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
