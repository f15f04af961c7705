import { defineConfig } from 'vitest/config';

// Unit tests: the pure core under plain Node (no DOM). Browser tests live in vitest.e2e.config.ts; the
// notebook runtime's runes tests (test/runtime) in vitest.runtime.config.ts (npm test runs all of them).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/runtime/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
