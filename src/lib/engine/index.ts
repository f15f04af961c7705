/**
 * The engine: every heavy computation the app runs, as plain functions of (input, onProgress?).
 * workers/engine.worker.ts exposes this object with comlink; tests call it directly in Node.
 */
import type { OnProgress } from './progress.ts';

export const engine = {
  /** Health check: resolves to 'pong'. */
  ping(_input?: undefined, _onProgress?: OnProgress): string {
    return 'pong';
  },
};
