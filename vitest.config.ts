import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Redis-backed test files each start their own server; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
