import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start PostgreSQL clusters; two cores do not like many at once.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
