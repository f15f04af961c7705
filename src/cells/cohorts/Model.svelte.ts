// Cohorts cell: asks the engine for the cohort table of the data above; builds the heatmap and curves.
import { shownOutput, type Cell, type Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { cohorts, type CohortResult } from '../../lib/notebook/engine.ts';
import { cohortCurves, cohortHeatmap, type CohortChartInput } from '../../lib/charts/cohorts.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

export class CohortsModel {
  data = $derived.by(() => this.nb.input(this.cell.id, 'data'));

  readonly cell: Cell;
  readonly nb: Notebook;
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
          period: cell.params.period === 'quarter' ? ('quarter' as const) : ('month' as const),
          measure: cell.params.measure === 'revenue' ? ('revenue' as const) : ('customers' as const),
        };
      },
      ({ data, ...opts }, ctx) => cohorts(data, opts, ctx),
      () => this.data,
    );
  }

  get result(): CohortResult | undefined {
    return shownOutput(this.cell, 'cohorts');
  }
  input = $derived.by((): CohortChartInput | null => {
    const r = this.result;
    if (!r) return null;
    const percent = this.cell.params.scale !== 'counts';
    return { ...r, percent, share: percent && this.cell.params.measure !== 'revenue' };
  });
  /** Titles and axes follow the measure: activity (share or count) or revenue (per acquired customer or total). */
  labels = $derived.by(() => {
    const t = i18n.t;
    const quarter = this.cell.params.period === 'quarter';
    const revenue = this.cell.params.measure === 'revenue';
    const counts = this.cell.params.scale === 'counts';
    const unit = t(quarter ? 'cohorts.unitQuarters' : 'cohorts.unitMonths');
    const currency = this.data?.currency ?? 'USD';
    const heatmapTitle = revenue
      ? t(counts ? 'cohorts.revenueHeatmapTitle' : 'cohorts.rpcHeatmapTitle', { unit })
      : t(quarter ? 'cohorts.heatmapTitleQ' : 'cohorts.heatmapTitle');
    return {
      title: heatmapTitle,
      curvesTitle: revenue
        ? t(counts ? 'cohorts.revenueCurvesTitle' : 'cohorts.rpcCurvesTitle')
        : counts
          ? t('cohorts.activeCurvesTitle')
          : t('cohorts.curvesTitle'),
      xTitle: t(quarter ? 'cohorts.quarters' : 'cohorts.months'),
      yTitle: t('cohorts.cohort'),
      valueName: revenue
        ? t(counts ? 'cohorts.revenueAxis' : 'cohorts.rpcAxis', { currency })
        : t(counts ? 'cohorts.customers' : 'cohorts.activeShare'),
      incomplete: t('cohorts.incompleteShort'),
      average: t('cohorts.allCohorts'),
    };
  });
  heatmap = $derived(this.input ? cohortHeatmap(this.input, this.labels) : null);
  curves = $derived(
    this.input ? cohortCurves(this.input, { ...this.labels, title: this.labels.curvesTitle }) : null,
  );
}
