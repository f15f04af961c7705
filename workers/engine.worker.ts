/// <reference lib="webworker" />
// Thin comlink shell over the pure engine (src/lib/engine) plus the I/O of reading files (sources.ts).
import { expose } from 'comlink';
import { engine } from '../src/lib/engine/index.ts';
import type { DatasetOptions, DatasetSource } from '../src/lib/engine/types.ts';
import type { OnProgress } from '../src/lib/engine/progress.ts';
import { loadDataset } from './sources.ts';

const api = {
  ...engine,
  /** Demo, pasted text, bytes or a File (streamed in chunks with progress). */
  loadDataset(input: DatasetSource & { options?: DatasetOptions }, onProgress?: OnProgress) {
    return loadDataset(input, onProgress, input.options);
  },
};

export type EngineApi = typeof api;
expose(api);
