import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Runtime tests (test/runtime): the notebook runtime's runes (*.svelte.ts) compiled for the client, so
// $effect and $derived run as in the browser (compiled for the server, $effect never runs). Kept apart from
// vitest.config.ts so the plain unit tests load no svelte plugin.
//
// Every `svelte` import must resolve to the client build. The node environment resolves bare imports with the
// SSR conditions (`resolve.conditions` alone does not reach them) and Node loads externalised packages with
// its own; both pick svelte's index-server.js, where `untrack(fn)` is plain `fn()` and `flushSync` a no-op.
// Then bindCompute's effect tracked the Computed it writes and re-ran on every settle, one microtask after
// the other: timers never fired, so the run hung instead of timing out (the loop behind de411ad).
export default defineConfig({
  plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' }) })],
  resolve: { conditions: ['browser'] },
  ssr: { resolve: { conditions: ['browser'], externalConditions: ['browser'] } },
  test: {
    include: ['test/runtime/**/*.test.ts'],
    environment: 'node',
    server: { deps: { inline: ['svelte'] } },
    testTimeout: 5_000,
    // Threads, not forks: if the step is killed at its time limit (scripts/test-all.mjs) no worker lives on.
    pool: 'threads',
  },
});
