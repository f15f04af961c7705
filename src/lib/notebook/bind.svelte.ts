/**
 * Wires a cell's inputs to its Computed: whenever `inputs()` yields a new value the job re-runs (the
 * previous run is aborted); when it yields null (an upstream result is missing) the output is cleared; when
 * it yields undefined (an upstream cell is still computing) nothing starts and the output stays as it is.
 * Call during component initialisation (it creates an $effect).
 */
import { untrack } from 'svelte';
import type { Computed } from './computed.svelte.ts';
import type { CallCtx } from './engine.ts';

export function bindCompute<I, T>(
  out: Computed<T>,
  inputs: () => I | null | undefined,
  job: (input: I, ctx: CallCtx) => Promise<T>,
): void {
  const current = $derived.by(inputs);
  // A pre-effect: the job is posted to the worker before this flush updates the DOM, so the worker computes
  // while the page renders (what-if: the Monte Carlo run starts ~4 ms sooner after a slider step).
  $effect.pre(() => {
    const input = current;
    untrack(() => {
      if (input === undefined) return;
      if (input === null) out.clear();
      else void out.run((signal, onProgress) => job(input, { signal, onProgress }));
    });
  });
}
