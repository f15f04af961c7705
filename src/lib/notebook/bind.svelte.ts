/**
 * Wires a cell's inputs to its Computed: whenever `inputs()` yields a new value the job re-runs (the
 * previous run is aborted); when it yields null (an upstream result is missing, pending, failed or
 * cancelled) the run stops and the output turns stale (Computed.detach), so nothing below computes from it.
 * `source(input)` names the dataset the inputs hold (the data cell above's current Dataset; null for cells
 * that use no dataset, undefined when it is not known): a stale value stays on screen only while it came
 * from that same dataset. Call during component initialisation (it creates an $effect).
 */
import { untrack } from 'svelte';
import type { Computed, Source } from './computed.svelte.ts';
import type { CallCtx } from './engine.ts';

export function bindCompute<I, T>(
  out: Computed<T>,
  inputs: () => I | null | undefined,
  job: (input: I, ctx: CallCtx) => Promise<T>,
  source: (input: I | null | undefined) => Source | undefined = () => null,
): void {
  const current = $derived.by(inputs);
  // A pre-effect: the job is posted to the worker before this flush updates the DOM, so the worker computes
  // while the page renders (what-if: the Monte Carlo run starts ~4 ms sooner after a slider step).
  $effect.pre(() => {
    const input = current;
    const src = source(input);
    untrack(() => {
      if (input === null || input === undefined) out.detach(src);
      else void out.run((signal, onProgress) => job(input, { signal, onProgress }), { source: src ?? null });
    });
  });
}
