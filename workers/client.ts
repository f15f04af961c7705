// The one place that wraps the engine workers. The UI calls `callEngine(method, input, { signal, onProgress })`.
// - A small pool (up to 2 workers) so one slow fit does not queue a quick slider update behind it.
// - Abort: a queued call is dropped; a running call's worker is terminated and lazily respawned.
// - Progress: forwarded through a comlink proxy.
// - Datasets stay in the workers: a loaded dataset's payload (typed arrays of every transaction) is sent to a
//   worker once, then calls name it by id. The main thread keeps its own copy from the load, so a worker that
//   was respawned (or evicted it) gets it again on its next call.
import { wrap, proxy, releaseProxy, transfer as markTransfer, type Remote } from 'comlink';
import type { EngineApi } from './engine.worker.ts';
import type { OnProgress } from '../src/lib/engine/progress.ts';
import { DATASET_MISSING } from './datasets.ts';
import { copyForTransfer, pack, unpackLazily } from './wire.ts';

export type { EngineApi };
export type EngineMethod = keyof EngineApi;
type Input<M extends EngineMethod> = Parameters<EngineApi[M]>[0];
type Output<M extends EngineMethod> = Awaited<ReturnType<EngineApi[M]>>;

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: OnProgress;
  /** Objects to transfer instead of copy (typed-array buffers the caller no longer needs). */
  transfer?: Transferable[];
}

interface Slot {
  worker: Worker;
  remote: Remote<EngineApi>;
  busy: boolean;
  /** Ids of the datasets this worker holds (as far as the client knows; the worker may evict old ones). */
  held: Set<string>;
}

/** Dataset payloads the main thread got from a load, by object identity, and the id the workers know them by. */
const datasetIds = new WeakMap<object, string>();
/** The same payloads as they arrived (long string lists still packed: wire.ts), to send on to another worker. */
const wireForms = new WeakMap<object, unknown>();
let datasetCount = 0;

const POOL_SIZE = 2;
const slots: Slot[] = [];
const waiting: Array<(slot: Slot) => void> = [];

function spawn(): Slot {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'clv-engine',
  });
  const slot: Slot = { worker, remote: wrap<EngineApi>(worker), busy: false, held: new Set() };
  slots.push(slot);
  return slot;
}

/** Workers that could start a call at once: idle ones plus those the pool may still spawn. */
export function freeWorkers(): number {
  return slots.filter((s) => !s.busy).length + POOL_SIZE - slots.length;
}

function acquire(signal?: AbortSignal, dataset?: string): Promise<Slot> {
  // A worker already holding the dataset first: sending 1M rows again costs the page a copy.
  const idle =
    (dataset ? slots.find((s) => !s.busy && s.held.has(dataset)) : undefined) ?? slots.find((s) => !s.busy);
  const slot = idle ?? (slots.length < POOL_SIZE ? spawn() : undefined);
  if (slot) {
    slot.busy = true;
    return Promise.resolve(slot);
  }
  return new Promise((resolve, reject) => {
    const take = (s: Slot) => {
      signal?.removeEventListener('abort', onAbort);
      s.busy = true;
      resolve(s);
    };
    const onAbort = () => {
      const i = waiting.indexOf(take);
      if (i >= 0) waiting.splice(i, 1);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    waiting.push(take);
  });
}

function release(slot: Slot): void {
  slot.busy = false;
  const next = waiting.shift();
  if (next) next(slot);
}

function kill(slot: Slot): void {
  slot.remote[releaseProxy]();
  slot.worker.terminate();
  slots.splice(slots.indexOf(slot), 1);
  // Someone waiting gets a fresh worker in place of the killed one.
  const next = waiting.shift();
  if (next) next(spawn());
}

function abortError(): DOMException {
  return new DOMException('The engine call was cancelled', 'AbortError');
}

/** True for the rejection a cancelled call produces (so the UI can ignore it rather than show an error). */
export function isAbortError(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** The id of a loaded dataset payload, when `input.data` is one. */
function datasetOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('data' in input)) return undefined;
  const data = (input as { data: unknown }).data;
  return typeof data === 'object' && data !== null ? datasetIds.get(data) : undefined;
}

/**
 * The input as sent to `slot`: a loaded dataset by id (with its payload only if the worker does not hold it:
 * its columns copied and transferred, as cloning 26 MB of columns was a 90 ms task on the page); a load gets
 * the id to keep the new dataset under. `buffers` are to be transferred with it.
 */
function wireInput(
  method: EngineMethod,
  input: unknown,
  slot: Slot,
  id: string | undefined,
  resend: boolean,
): { wire: unknown; buffers: ArrayBuffer[] } {
  if (method === 'loadDataset')
    return { wire: { ...(input as object), keep: `ds${++datasetCount}` }, buffers: [] };
  if (!id) return { wire: input, buffers: [] };
  const data = (input as { data: object }).data;
  if (slot.held.has(id) && !resend) return { wire: { ...(input as object), data: { ref: id } }, buffers: [] };
  const { value, buffers } = copyForTransfer(wireForms.get(data) ?? pack(data));
  return { wire: { ...(input as object), data: { ref: id, payload: value } }, buffers };
}

/** Runs one engine method in a worker. Rejects with an AbortError if `signal` aborts first. */
export async function callEngine<M extends EngineMethod>(
  method: M,
  input: Input<M>,
  opts: CallOptions = {},
): Promise<Output<M>> {
  const { signal, onProgress, transfer } = opts;
  if (signal?.aborted) throw abortError();
  const start = performance.now();
  const id = datasetOf(input);
  const slot = await acquire(signal, id);
  if (signal?.aborted) {
    release(slot);
    throw abortError();
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      kill(slot);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const progress = onProgress ? proxy(onProgress) : undefined;
    // comlink's Remote<> typing of generic methods is loose; the input/output types above are the contract.
    const fn = slot.remote[method] as unknown as (i: unknown, p?: OnProgress) => Promise<Output<M>>;
    const send = (resend: boolean) => {
      const { wire, buffers } = wireInput(method, input, slot, id, resend);
      const all = [...(transfer ?? []), ...buffers];
      return Promise.race([fn(all.length ? markTransfer(wire, all) : wire, progress), aborted]);
    };
    let result: Output<M>;
    try {
      result = await send(false);
    } catch (e) {
      // The worker evicted the dataset (it keeps the latest few): send it again with its payload.
      if (!(id && e instanceof Error && e.message.startsWith(DATASET_MISSING))) throw e;
      result = await send(true);
    }
    if (id) slot.held.add(id);
    // Long string lists arrive packed; they are unpacked when the page first reads them.
    const wire = unpackLazily(result);
    if (method === 'loadDataset') {
      const ds = result as Output<'loadDataset'> & { keptAs?: string };
      if (ds.keptAs) {
        datasetIds.set(ds.payload, ds.keptAs);
        wireForms.set(ds.payload, (wire as Output<'loadDataset'>).payload);
        slot.held.add(ds.keptAs);
      }
    }
    return result;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    if (slots.includes(slot)) release(slot);
    // One User Timing entry per call, from request to answer (bench/browser.ts lines long tasks up with fits).
    performance.measure(`engine:${method}`, { start, end: performance.now() });
  }
}
