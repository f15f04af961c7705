/**
 * Computed<T>: the state of one asynchronous result. `run(fn)` aborts the previous run; a result or error
 * from a run that is no longer the latest is dropped, so a slow stale fit can never overwrite a newer one.
 *
 * Every value remembers the request it answers and the dataset it was computed from (`source`). A value
 * that no longer answers the latest request (a newer run is pending, failed or was cancelled, or the inputs
 * went away) is `stale`:
 * - `current` is the value only when it answers the latest request: what cells below read as their input,
 *   so a forecast can never combine a new dataset with a model fitted on the old one;
 * - `shown` is what the cell may display: the current value, or a stale one kept for context (dimmed and
 *   marked by CellFrame) only while it comes from the same dataset the cell's inputs now hold. A result
 *   computed from other data is never shown.
 */
export type Job<T> = (
  signal: AbortSignal,
  onProgress: (fraction: number, phase: string) => void,
) => Promise<T>;

/** The dataset a value was computed from (a Dataset object; compared by identity, `name` for the label). */
export type Source = { readonly name?: string } | null;

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

/** Where a request's inputs come from: the dataset they hold (undefined = not known yet, inputs not ready). */
export interface RunOptions {
  source?: Source;
}

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
  /** The dataset `value` was computed from (null for results that depend on no dataset, e.g. the what-if). */
  source = $state.raw<Source>(null);
  /** The dataset the latest request is for; undefined while its inputs are not ready. */
  expected = $state.raw<Source | undefined>(null);
  /** Token of the latest request (null: inputs not ready) and of the request `value` answers. */
  #request = $state.raw<object | null>(null);
  #answers = $state.raw<object | null>(null);
  /** performance.now() when the latest run started (the page's status strip shows runs older than a moment). */
  startedAt = 0;
  #controller: AbortController | null = null;
  #version = 0;
  #last: { job: Job<T>; options: RunOptions } | null = null;

  /** The value no longer answers the latest request (a run is pending, failed, was cancelled, or inputs went). */
  get stale(): boolean {
    return this.value !== undefined && this.#answers !== this.#request;
  }
  /** The value when it answers the latest request, else undefined: what cells below may compute from. */
  get current(): T | undefined {
    return this.stale ? undefined : this.value;
  }
  /** What the cell may display: current, or stale but computed from the dataset its inputs hold now. */
  get shown(): T | undefined {
    if (!this.stale) return this.value;
    return this.expected !== undefined && this.expected === this.source ? this.value : undefined;
  }
  /** A stale value is displayed for context (CellFrame dims it and says which data it came from). */
  get showingStale(): boolean {
    return this.stale && this.shown !== undefined;
  }

  /**
   * Starts `job`, cancelling any run in flight. `options.source` is the dataset the job's inputs hold
   * (null = none). Resolves when this run settles (never rejects).
   */
  async run(job: Job<T>, options: RunOptions = {}): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const version = ++this.#version;
    const token = {};
    const source = options.source === undefined ? null : options.source;
    this.#last = { job, options };
    this.#request = token;
    this.expected = source;
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
      this.source = source;
      this.#answers = token;
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
    if (this.#last) void this.run(this.#last.job, this.#last.options);
  }

  /**
   * The inputs are not ready (an upstream result is missing, pending, failed or cancelled): stop any run
   * and mark the value stale. It stays displayable only while `expected` (the dataset the cell's inputs
   * hold now, undefined when unknown) is the one it came from.
   */
  detach(expected?: Source): void {
    if (this.pending) {
      this.#version++;
      this.#controller?.abort();
      this.#controller = null;
      this.pending = false;
    }
    this.#last = null;
    this.#request = null;
    this.expected = expected;
    this.error = null;
    this.cancelled = false;
  }

  /** Forget the value (e.g. when the cell is removed). */
  clear(): void {
    this.cancel();
    this.cancelled = false;
    this.value = undefined;
    this.source = null;
    this.#answers = null;
    this.error = null;
  }
}
