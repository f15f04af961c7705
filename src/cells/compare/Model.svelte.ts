// Scenario comparison cell: the what-if above is the baseline; its scenario's variants (or three generic
// moves when it has none) are compared side by side, with paired Monte Carlo intervals from the worker.
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { compare } from '../../lib/notebook/engine.ts';
import { whatIfInputs } from '../../lib/notebook/whatifInputs.ts';
import { findScenario } from '../../lib/notebook/scenarios.ts';
import { comparisonChart, SIM_LABELS_EN, SIM_LABELS_ZH } from '../../lib/charts/simCharts.ts';
import type { ComparisonResult } from '../../lib/sim/compare.ts';
import type { WhatIfInputs } from '../../lib/sim/inputs.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

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
      () => {
        const b = this.baseline;
        if (!b) return null;
        return {
          b,
          v: this.variants.map((x) => x.inputs),
          mc: cell.params.intervals === true ? { seed: nb.seed } : null,
        };
      },
      ({ b, v, mc }, ctx) => compare(b, v, mc, ctx),
    );
  }
  get result(): ComparisonResult | undefined {
    return this.cell.out.value as ComparisonResult | undefined;
  }
  names = $derived([i18n.t('whatif.baseline'), ...this.variants.map((v) => v.name)]);
  chart = $derived.by(() => {
    const r = this.result;
    return r
      ? comparisonChart(r, this.names, this.currency, i18n.lang === 'zh' ? SIM_LABELS_ZH : SIM_LABELS_EN)
      : null;
  });
}
