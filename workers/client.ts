// The one place that wraps the engine workers. The UI calls `callEngine(method, input, { signal, onProgress })`.
// - A small pool (up to 2 workers) so one slow fit does not queue a quick slider update behind it.
// - Abort: a queued call is dropped; a running call's worker is terminated and lazily respawned.
// - Progress: forwarded through a comlink proxy.
import { wrap, proxy, releaseProxy, transfer as markTransfer, type Remote } from 'comlink';
import type { EngineApi } from './engine.worker.ts';
import type { OnProgress } from '../src/lib/engine/progress.ts';

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
}

const POOL_SIZE = 2;
const slots: Slot[] = [];
const waiting: Array<(slot: Slot) => void> = [];

function spawn(): Slot {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'clv-engine',
  });
  const slot: Slot = { worker, remote: wrap<EngineApi>(worker), busy: false };
  slots.push(slot);
  return slot;
}

/** Workers that could start a call at once: idle ones plus those the pool may still spawn. */
export function freeWorkers(): number {
  return slots.filter((s) => !s.busy).length + POOL_SIZE - slots.length;
}

function acquire(signal?: AbortSignal): Promise<Slot> {
  const idle = slots.find((s) => !s.busy);
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

/** Runs one engine method in a worker. Rejects with an AbortError if `signal` aborts first. */
export async function callEngine<M extends EngineMethod>(
  method: M,
  input: Input<M>,
  opts: CallOptions = {},
): Promise<Output<M>> {
  const { signal, onProgress, transfer } = opts;
  if (signal?.aborted) throw abortError();
  const start = performance.now();
  const slot = await acquire(signal);
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
    const payload = transfer?.length ? markTransfer(input, transfer) : input;
    const progress = onProgress ? proxy(onProgress) : undefined;
    // comlink's Remote<> typing of generic methods is loose; the input/output types above are the contract.
    const fn = slot.remote[method] as unknown as (i: unknown, p?: OnProgress) => Promise<Output<M>>;
    const result = await Promise.race([fn(payload, progress), aborted]);
    return result;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    if (slots.includes(slot)) release(slot);
    // One User Timing entry per call, from request to answer (bench/browser.ts lines long tasks up with fits).
    performance.measure(`engine:${method}`, { start, end: performance.now() });
  }
}
