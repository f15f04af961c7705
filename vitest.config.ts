import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests: the pure core under plain Node (no DOM). Browser tests live in vitest.e2e.config.ts.
// The svelte plugin compiles the notebook runtime's runes (*.svelte.ts) for the client (real effects, as in
// the browser; the node environment would compile them for the server, where $effect never runs).
export default defineConfig({
  plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' }) })],
  resolve: { conditions: ['browser'] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
