// Scenario comparison cell: the what-if above is the baseline; its scenario's variants (or three generic
// moves when it has none) are compared side by side, with paired Monte Carlo intervals from the worker.
// The deterministic table follows the what-if sliders at once (computed here, ~1 ms); the paired Monte Carlo
// (one run per scenario, ~5x a what-if run) starts once the baseline has rested for INTERVALS_QUIET_MS, so a
// slider drag does not keep a worker and a core busy (and the what-if's own Monte Carlo waiting) on every step.
// A superseded comparison run is left to finish and dropped (cancelling would terminate and respawn a worker).
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { compare, type CallCtx } from '../../lib/notebook/engine.ts';
import { compareScenarios } from '../../lib/sim/compare.ts';
import type { MonteCarloOptions } from '../../lib/sim/monteCarlo.ts';
import { LatestRunner } from '../whatif/latestRunner.ts';
import { whatIfInputs } from '../../lib/notebook/whatifInputs.ts';
import { findScenario } from '../../lib/notebook/scenarios.ts';
import { comparisonChart, SIM_LABELS_EN, SIM_LABELS_ZH } from '../../lib/charts/simCharts.ts';
import type { ComparisonResult } from '../../lib/sim/compare.ts';
import type { WhatIfInputs } from '../../lib/sim/inputs.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

/** Quiet time after the last baseline change before the paired Monte Carlo starts (ms). */
const INTERVALS_QUIET_MS = 350;

interface CompareInput {
  b: WhatIfInputs;
  v: Partial<WhatIfInputs>[];
  mc: MonteCarloOptions | null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new DOMException('aborted', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** Which inputs each worker comparison was computed for. */
const resultInputs = new WeakMap<ComparisonResult, CompareInput>();
const runner = new LatestRunner<CompareInput, ComparisonResult>(
  async (input: CompareInput, ctx: CallCtx) => {
    const r = await compare(input.b, input.v, input.mc, ctx);
    resultInputs.set(r, input);
    return r;
  },
  1,
  3000,
);

export interface Variant {
  name: string;
  inputs: Partial<WhatIfInputs>;
}

export class CompareModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  whatif = $derived.by(() => this.nb.upstream(this.cell.id, 'whatif'));
  baseline = $derived.by(() => (this.whatif ? whatIfInputs(this.whatif.params) : null));
  scenario = $derived.by(() => findScenario(String(this.whatif?.params.scenario ?? '')));
  currency = $derived(this.scenario?.currency ?? 'USD');
  variants = $derived.by((): Variant[] => {
    const s = this.scenario;
    const b = this.baseline;
    if (s && s.variants.length)
      return s.variants.map((v) => ({ name: v.title[i18n.lang], inputs: v.inputs }));
    if (!b) return [];
    return [
      {
        name: i18n.t('compare.retentionUp'),
        inputs: { retentionPerPeriod: Math.min(0.9999, b.retentionPerPeriod + 0.05) },
      },
      { name: i18n.t('compare.aovUp'), inputs: { averageOrderValue: b.averageOrderValue * 1.1 } },
      { name: i18n.t('compare.cacDown'), inputs: { acquisitionCost: b.acquisitionCost * 0.8 } },
    ];
  });

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => this.input,
      async (input, ctx) => {
        if (!input.mc) return compareScenarios(input.b, input.v, null);
        await sleep(INTERVALS_QUIET_MS, ctx.signal);
        return runner.run(input, ctx);
      },
    );
  }
  /** Baseline, variants and Monte Carlo options of the comparison (null without a what-if above). */
  input = $derived.by((): CompareInput | null => {
    const b = this.baseline;
    if (!b) return null;
    return {
      b,
      v: this.variants.map((x) => x.inputs),
      mc: this.cell.params.intervals === true ? { seed: this.nb.seed } : null,
    };
  });
  /** The deterministic comparison of the current inputs (no intervals), shown while the intervals run. */
  deterministic = $derived.by(() => {
    const i = this.input;
    return i ? compareScenarios(i.b, i.v, null) : undefined;
  });
  /** The worker's result when it belongs to the current inputs, else the deterministic table. */
  get result(): ComparisonResult | undefined {
    const r = this.cell.out.value as ComparisonResult | undefined;
    const i = this.input;
    if (r && i?.mc && resultInputs.get(r) === i) return r;
    return this.deterministic;
  }
  names = $derived([i18n.t('whatif.baseline'), ...this.variants.map((v) => v.name)]);
  chart = $derived.by(() => {
    const r = this.result;
    return r
      ? comparisonChart(r, this.names, this.currency, i18n.lang === 'zh' ? SIM_LABELS_ZH : SIM_LABELS_EN)
      : null;
  });
}
