// Scenario comparison cell: the what-if above is the baseline (its inputs in effect: scenario, fitted baseline or
// typed in); named variants (the cell's `variants` param, src/lib/sim/variants.ts; '' = the scenario's variants,
// or three generic moves when it has none) are compared side by side, with paired Monte Carlo intervals.
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
import { WhatIfView } from '../whatif/view.svelte.ts';
import {
  applyVariant,
  changesFromInputs,
  decodeVariants,
  encodeVariants,
  MAX_VARIANTS,
  type VariantChange,
  type VariantSpec,
} from '../../lib/sim/variants.ts';
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
  /** The what-if above, as it stands (inputs in effect, scenario, currency). */
  readonly whatif: WhatIfView;
  baseline = $derived.by(() => this.whatif.inputs);
  scenario = $derived.by(() => this.whatif.scenario);
  currency = $derived.by(() => this.whatif.currency);
  /** The cell's variants text read back ('' = built-in). */
  decoded = $derived.by(() => decodeVariants(this.cell.params.variants ?? ''));
  builtIn = $derived(this.decoded.builtIn);
  /** Variants shown: the cell's own list, or the built-in one (the scenario's variants, else three generic moves). */
  specs = $derived.by((): VariantSpec[] => {
    if (!this.decoded.builtIn) return this.decoded.variants;
    const s = this.scenario;
    if (s && s.variants.length)
      return s.variants
        .slice(0, MAX_VARIANTS)
        .map((v) => ({ name: v.title[i18n.lang], changes: changesFromInputs(v.inputs) }));
    return [
      { name: i18n.t('compare.retentionUp'), changes: [{ lever: 'retentionPerPeriod', op: '+', value: 5 }] },
      { name: i18n.t('compare.aovUp'), changes: [{ lever: 'averageOrderValue', op: '*', value: 10 }] },
      { name: i18n.t('compare.cacDown'), changes: [{ lever: 'acquisitionCost', op: '*', value: -20 }] },
    ];
  });
  variants = $derived.by((): Variant[] => {
    const b = this.baseline;
    if (!b) return [];
    return this.specs.map((v) => ({ name: v.name, inputs: applyVariant(b, v) }));
  });

  /** Stores `specs` as the cell's own list (one undo step per edit). */
  setSpecs(specs: VariantSpec[]): void {
    this.nb.setParams(this.cell.id, { variants: encodeVariants(specs.slice(0, MAX_VARIANTS)) });
  }
  #edit(i: number, f: (v: VariantSpec) => VariantSpec): void {
    this.setSpecs(this.specs.map((v, k) => (k === i ? f({ ...v, changes: [...v.changes] }) : v)));
  }
  addVariant(): void {
    if (this.specs.length >= MAX_VARIANTS) return;
    const name = i18n.t('compare.newVariant', { n: String(this.specs.length + 1) });
    this.setSpecs([...this.specs, { name, changes: [{ lever: 'retentionPerPeriod', op: '+', value: 1 }] }]);
  }
  removeVariant(i: number): void {
    this.setSpecs(this.specs.filter((_, k) => k !== i));
  }
  rename(i: number, name: string): void {
    this.#edit(i, (v) => ({ ...v, name: name.trim() || v.name }));
  }
  /** Adds a change of the first lever the variant does not change yet. */
  addChange(i: number, lever: VariantChange['lever']): void {
    this.#edit(i, (v) => ({ ...v, changes: [...v.changes, { lever, op: '+', value: 0 }] }));
  }
  setChange(i: number, j: number, change: VariantChange): void {
    this.#edit(i, (v) => ({ ...v, changes: v.changes.map((c, k) => (k === j ? change : c)) }));
  }
  removeChange(i: number, j: number): void {
    this.#edit(i, (v) => ({ ...v, changes: v.changes.filter((_, k) => k !== j) }));
  }
  useBuiltIn(): void {
    this.nb.setParams(this.cell.id, { variants: '' });
  }

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    this.whatif = new WhatIfView(() => nb.upstream(cell.id, 'whatif'), nb);
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
