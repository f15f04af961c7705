import { defineConfig } from 'vitest/config';

// Browser tests: the built app served by `vite preview`, driven by playwright-core in the system Chromium.
// test/e2e/global-setup.ts builds the app (unless E2E_NO_BUILD=1) and starts the server.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // One browser at a time on a 2-core machine: parallel files would only fight for the CPU.
    fileParallelism: false,
    pool: 'forks',
  },
});
