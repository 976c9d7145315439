import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built binary; keep the suite inside a few minutes on 2 cores.
    testTimeout: 30_000,
    pool: 'forks',
    // Both cores of a 2-core CI machine: by default vitest keeps one core free, and most test
    // files wait on child processes (the built CLI, pwsh) rather than on the CPU.
    maxWorkers: 2,
    // One fast-check seed per commit (FC_SEED to replay, FC_RANDOM=1 to explore): test/helpers/fast-check-setup.ts.
    setupFiles: ['./test/helpers/fast-check-setup.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
