// Retention cell: sBG/BdW fitted to cohort survival in the engine; survival and retention-rate charts.
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { fitRetention, type Dataset, type RetentionResult } from '../../lib/notebook/engine.ts';
import { survivalChart } from '../../lib/charts/models.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

export class RetentionModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  data = $derived.by(() => this.nb.upstream(this.cell.id, 'data')?.out.value as Dataset | undefined);

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => {
        const data = this.data;
        if (!data) return null;
        return {
          data,
          model: cell.params.model === 'bdw' ? ('bdw' as const) : ('sbg' as const),
          horizon: Number(cell.params.horizon),
        };
      },
      ({ data, ...opts }, ctx) => fitRetention(data, opts, ctx),
    );
  }
  get result(): RetentionResult | undefined {
    return this.cell.out.value as RetentionResult | undefined;
  }
  chart = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    return survivalChart(r, {
      title: t('retention.title'),
      xTitle: t(r.periodUnit === 'quarters' ? 'cohorts.quarters' : 'cohorts.months'),
      yTitle: t('retention.survival'),
      observed: t('retention.observed'),
      model: r.report.model === 'bdw' ? 'BdW' : 'sBG',
      constant: t('retention.constant'),
    });
  });
}
