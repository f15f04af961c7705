// "Let it finish, drop if stale" for short worker jobs driven by a slider. Cancelling a running engine call
// terminates its worker (workers/client.ts), and respawning one costs far more than the few milliseconds a
// what-if Monte Carlo run takes, so a superseded run is left to finish and its result is dropped by the
// caller (Computed keeps only the newest run's result). Only the newest waiting request of each lane is kept:
// a lane is one caller (one what-if cell), so a request never supersedes another cell's request (a notebook
// with several what-if cells, such as the learn mode, starts them all at once on load).
import type { CallCtx } from '../../lib/notebook/engine.ts';

/** A superseded or cancelled request's rejection (ignored by Computed as a cancellation). */
function abortError(): DOMException {
  return new DOMException('Superseded by a newer run', 'AbortError');
}

interface Request<I, T> {
  input: I;
  ctx: CallCtx;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

/**
 * Runs `job` with at most `maxInFlight` calls at once (over all lanes). A request made while that many are
 * running waits; a newer request of the same lane replaces the one waiting (which rejects with an AbortError);
 * waiting lanes start in the order they were last requested. A running call whose caller
 * aborts keeps running unless it has run (or goes on running) longer than `longRunMs`, in which case the
 * abort is passed on (a long run is worth a worker respawn). Example: new LatestRunner(simulateJob, 1, 1500).
 */
export class LatestRunner<I, T> {
  readonly #job: (input: I, ctx: CallCtx) => Promise<T>;
  readonly #maxInFlight: number;
  readonly #longRunMs: number;
  #inFlight = 0;
  /** The waiting request of each lane, least recently requested first. */
  readonly #waiting = new Map<string, Request<I, T>>();

  constructor(job: (input: I, ctx: CallCtx) => Promise<T>, maxInFlight = 1, longRunMs = 1500) {
    this.#job = job;
    this.#maxInFlight = maxInFlight;
    this.#longRunMs = longRunMs;
  }

  /**
   * Runs (or queues) `input` in `lane`; rejects with an AbortError if superseded by a newer request of the
   * same lane while waiting, or aborted.
   */
  run(input: I, ctx: CallCtx, lane = ''): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (ctx.signal.aborted) return reject(abortError());
      const req: Request<I, T> = { input, ctx, resolve, reject };
      if (this.#inFlight < this.#maxInFlight) {
        this.#start(req);
        return;
      }
      this.#waiting.get(lane)?.reject(abortError());
      this.#waiting.delete(lane);
      this.#waiting.set(lane, req);
      ctx.signal.addEventListener(
        'abort',
        () => {
          if (this.#waiting.get(lane) !== req) return;
          this.#waiting.delete(lane);
          reject(abortError());
        },
        { once: true },
      );
    });
  }

  #start(req: Request<I, T>): void {
    this.#inFlight++;
    const controller = new AbortController();
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      const left = this.#longRunMs - (performance.now() - started);
      if (left <= 0) controller.abort();
      else timer = setTimeout(() => controller.abort(), left);
    };
    req.ctx.signal.addEventListener('abort', onAbort, { once: true });
    this.#job(req.input, { signal: controller.signal, onProgress: req.ctx.onProgress })
      .then(req.resolve, req.reject)
      .finally(() => {
        clearTimeout(timer);
        req.ctx.signal.removeEventListener('abort', onAbort);
        this.#inFlight--;
        const first = this.#waiting.entries().next();
        if (first.done) return;
        const [lane, next] = first.value;
        this.#waiting.delete(lane);
        if (!next.ctx.signal.aborted) this.#start(next);
      });
  }
}
