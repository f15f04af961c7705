/**
 * Computed<T>: the state of one asynchronous result. `run(fn)` aborts the previous run; a result or error
 * from a run that is no longer the latest is dropped, so a slow stale fit can never overwrite a newer one.
 * The last good value stays visible while a new run is pending (no layout jump).
 */
export type Job<T> = (
  signal: AbortSignal,
  onProgress: (fraction: number, phase: string) => void,
) => Promise<T>;

function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/** Readable message from anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : 'Unknown error';
}

/**
 * How many Computed runs are pending across the notebook (fits, forecasts, Monte Carlo runs). Charts out of
 * view wait for 0 before their first draw (Plot.svelte), so the main thread stays free while models fit.
 */
export const activity = $state({ running: 0 });

export class Computed<T> {
  value = $state.raw<T | undefined>(undefined);
  #pending = $state(false);
  /** A run is in flight (its result or error not yet shown). */
  get pending(): boolean {
    return this.#pending;
  }
  set pending(v: boolean) {
    if (v !== this.#pending) activity.running += v ? 1 : -1;
    this.#pending = v;
  }
  /** Fraction in [0, 1] or null while unknown. */
  progress = $state<number | null>(null);
  phase = $state('');
  error = $state<string | null>(null);
  cancelled = $state(false);
  /** performance.now() when the latest run started (the page's status strip shows runs older than a moment). */
  startedAt = 0;
  #controller: AbortController | null = null;
  #version = 0;
  #last: Job<T> | null = null;

  /** Starts `job`, cancelling any run in flight. Resolves when this run settles (never rejects). */
  async run(job: Job<T>): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const version = ++this.#version;
    this.#last = job;
    this.startedAt = typeof performance === 'undefined' ? 0 : performance.now();
    this.pending = true;
    this.error = null;
    this.cancelled = false;
    this.progress = null;
    this.phase = '';
    try {
      const result = await job(controller.signal, (fraction, phase) => {
        if (version !== this.#version) return;
        this.progress = fraction;
        this.phase = phase;
      });
      if (version !== this.#version) return; // stale: a newer run owns the state
      this.value = result;
    } catch (e) {
      if (version !== this.#version) return;
      if (isAbort(e)) this.cancelled = true;
      else this.error = errorMessage(e);
    } finally {
      if (version === this.#version) {
        this.pending = false;
        this.#controller = null;
      }
    }
  }

  /** Cancels the run in flight (its result, if any arrives, is dropped). */
  cancel(): void {
    if (!this.pending) return;
    this.#version++;
    this.#controller?.abort();
    this.#controller = null;
    this.pending = false;
    this.cancelled = true;
  }

  /** Runs the last job again (after an error or a cancel). */
  retry(): void {
    if (this.#last) void this.run(this.#last);
  }

  /** Forget the value (e.g. when the inputs are gone). */
  clear(): void {
    this.cancel();
    this.cancelled = false;
    this.value = undefined;
    this.error = null;
  }
}
