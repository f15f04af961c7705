// The datasets a worker holds, by the id the client gave them at load time (workers/client.ts). Calls name a
// dataset by `{ ref }` (plus `payload` when this worker does not hold it yet) instead of carrying its typed
// arrays every time; the payload object then stays the same across calls, so per-dataset caches in the engine
// (WeakMaps keyed by it, e.g. the forecast's RFM summary) hit on every later call.
import type { AnyDatasetPayload } from '../src/lib/engine/types.ts';

/** Start of the error a call gets when it names a dataset this worker no longer holds (the client resends it). */
export const DATASET_MISSING = 'DATASET_MISSING';

/** Datasets kept per worker: the current one and the one before (a new upload while the old one is still shown). */
const KEEP = 2;
const held = new Map<string, AnyDatasetPayload>();

export interface DatasetRef {
  ref: string;
  payload?: AnyDatasetPayload;
}

function isRef(x: unknown): x is DatasetRef {
  return typeof x === 'object' && x !== null && typeof (x as { ref?: unknown }).ref === 'string';
}

/** Keeps `payload` under `id`, dropping the least recently used beyond KEEP. */
export function keep(id: string, payload: AnyDatasetPayload): void {
  held.delete(id);
  held.set(id, payload);
  while (held.size > KEEP) held.delete(held.keys().next().value!);
}

/** The input with `data` resolved from a reference to the payload this worker holds. */
export function resolveData<I>(input: I): I {
  if (typeof input !== 'object' || input === null || !('data' in input)) return input;
  const data = (input as { data: unknown }).data;
  if (!isRef(data)) return input;
  if (data.payload) keep(data.ref, data.payload);
  const payload = held.get(data.ref);
  if (!payload) throw new Error(`${DATASET_MISSING} ${data.ref}`);
  keep(data.ref, payload); // most recently used
  return { ...input, data: payload };
}
