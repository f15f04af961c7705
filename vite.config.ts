import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Static app: every path relative so the build can be served from any folder.
export default defineConfig({
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  // Worker-only deps pre-bundled up front, else the dev server reloads mid-session when the worker first imports them.
  optimizeDeps: { include: ['comlink'] },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, sourcemap: false },
});
