// Monte Carlo results of the what-if cell by (seed, inputs), plus speculative runs for the inputs the next
// slider step will most likely give. The simulation is seeded and deterministic, so a result computed ahead
// of time is exactly the one the step would compute; a step that lands on a known value shows its bands at
// once instead of after a worker round trip (~10-15 ms in Chromium on a 2-core machine), and moving back over
// values already visited costs nothing. A guess that does not come true only cost an idle worker's time:
// speculation runs one at a time, and only while another worker stays free for the real request.
import type { MonteCarloResult } from '../../lib/sim/monteCarlo.ts';
import type { WhatIfInputs } from '../../lib/sim/inputs.ts';

/** Runs the Monte Carlo for `inputs` with `seed` (the real engine call; never cancelled here). */
export type McRun = (inputs: WhatIfInputs, seed: number) => Promise<MonteCarloResult>;

/** Key of a run: the seed and every input, in the inputs' fixed key order. */
export function mcKey(inputs: WhatIfInputs, seed: number): string {
  return `${seed}|${JSON.stringify(inputs)}`;
}

export class McCache {
  readonly #run: McRun;
  readonly #canSpeculate: () => boolean;
  readonly #capacity: number;
  /** Finished results and runs in flight, least recently used first. */
  readonly #entries = new Map<string, Promise<MonteCarloResult>>();
  #queue: Array<{ inputs: WhatIfInputs; seed: number }> = [];
  #speculating = false;
  /** Counters for benchmarks and tests: lookups answered from the cache, and speculative runs started. */
  hits = 0;
  misses = 0;
  speculated = 0;

  /**
   * `canSpeculate()` is asked before each speculative run (e.g. "two engine workers are free"); `capacity`
   * bounds the results kept (a result is ~15 KB).
   */
  constructor(run: McRun, canSpeculate: () => boolean, capacity = 48) {
    this.#run = run;
    this.#canSpeculate = canSpeculate;
    this.#capacity = capacity;
  }

  /** The result (or the speculative run in flight) for exactly these inputs and seed, if any. */
  get(inputs: WhatIfInputs, seed: number): Promise<MonteCarloResult> | undefined {
    const key = mcKey(inputs, seed);
    const hit = this.#entries.get(key);
    if (hit) {
      this.hits++;
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    } else this.misses++;
    return hit;
  }

  /** Keeps a result computed by a real run. */
  put(inputs: WhatIfInputs, seed: number, result: MonteCarloResult): void {
    this.#store(mcKey(inputs, seed), Promise.resolve(result));
  }

  /**
   * Replaces the list of guesses (most likely first) and starts the first unknown one if allowed. Guesses
   * left from an earlier call are dropped: they were about inputs the user has moved away from.
   */
  speculate(guesses: WhatIfInputs[], seed: number): void {
    this.#queue = guesses.map((inputs) => ({ inputs, seed }));
    this.#pump();
  }

  #store(key: string, p: Promise<MonteCarloResult>): void {
    this.#entries.delete(key);
    this.#entries.set(key, p);
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  #pump(): void {
    while (!this.#speculating && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      const key = mcKey(next.inputs, next.seed);
      if (this.#entries.has(key)) continue;
      if (!this.#canSpeculate()) {
        this.#queue.unshift(next);
        return;
      }
      this.#speculating = true;
      this.speculated++;
      const p = this.#run(next.inputs, next.seed);
      this.#store(key, p);
      p.catch(() => {
        // A failed guess is forgotten (the real request, if it comes, runs and reports its own error).
        if (this.#entries.get(key) === p) this.#entries.delete(key);
      }).finally(() => {
        this.#speculating = false;
        this.#pump();
      });
    }
  }
}
