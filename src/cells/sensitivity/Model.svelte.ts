// Sensitivity cell: tornado of every lever moved ±change around the what-if above (deterministic, ~1 ms, so
// computed here), and the equivalence "how many points of retention are worth a 10% AOV increase?".
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { WhatIfView } from '../whatif/view.svelte.ts';
import { solveEquivalence, tornado } from '../../lib/sim/compare.ts';
import { tornadoChart, SIM_LABELS_EN, SIM_LABELS_ZH } from '../../lib/charts/simCharts.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

export class SensitivityModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  /** The what-if above with its inputs in effect (scenario, fitted baseline or typed in) and currency. */
  readonly whatif: WhatIfView;
  baseline = $derived.by(() => this.whatif.inputs);
  currency = $derived.by(() => this.whatif.currency);
  change = $derived.by(() => Number(this.cell.params.change) / 100);
  metric = $derived.by((): 'clv' | 'ltvToCac' =>
    this.cell.params.metric === 'ltvToCac' ? 'ltvToCac' : 'clv',
  );
  result = $derived.by(() =>
    this.baseline ? tornado(this.baseline, { relativeChange: this.change }) : null,
  );
  chart = $derived.by(() =>
    this.result
      ? tornadoChart(
          this.result,
          this.metric,
          this.currency,
          i18n.lang === 'zh' ? SIM_LABELS_ZH : SIM_LABELS_EN,
        )
      : null,
  );
  /** Retention points worth the same CLV as AOV + change. */
  equivalence = $derived.by(() =>
    this.baseline
      ? solveEquivalence(this.baseline, {
          change: { lever: 'averageOrderValue', relativeChange: this.change },
          solveFor: 'retentionPerPeriod',
          metric: 'clvModel',
        })
      : null,
  );

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    this.whatif = new WhatIfView(() => nb.upstream(cell.id, 'whatif'), nb);
  }
}
