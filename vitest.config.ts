import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start PostgreSQL clusters; two cores do not like many at once.
    maxWorkers: 2,
    fileParallelism: true,
    projects: [
      { extends: true, test: { name: 'tests', include: ['test/**/*.test.{ts,tsx}'] } },
      // The end-to-end tests once more, on the single executable (test/helpers/cli.ts); executable.test.ts runs
      // the executable itself in the first project already.
      {
        extends: true,
        test: {
          name: 'executable',
          include: ['test/e2e/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/executable.test.ts'],
          env: { CATMAID_TUI_RUNNER: 'executable' },
        },
      },
    ],
  },
});
