// Purchase cell: BG/NBD, Pareto/NBD, MBG/NBD or BG/BB fitted in the engine, with holdout diagnostics.
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { fitPurchase, type Dataset, type PurchaseResult } from '../../lib/notebook/engine.ts';
import { conditionalChart, pAliveChart, trackingChart } from '../../lib/charts/models.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

export const PURCHASE_MODELS = ['bgnbd', 'pnbd', 'mbgnbd'] as const;
type PurchaseModelName = (typeof PURCHASE_MODELS)[number];

export class PurchaseModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  cumulative = $state(true);
  data = $derived.by(() => this.nb.upstream(this.cell.id, 'data')?.out.value as Dataset | undefined);

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => {
        const data = this.data;
        if (!data) return null;
        const m = String(cell.params.model);
        const model: PurchaseModelName = (PURCHASE_MODELS as readonly string[]).includes(m)
          ? (m as PurchaseModelName)
          : 'bgnbd';
        return { data, model };
      },
      ({ data, ...opts }, ctx) => fitPurchase(data, opts, ctx),
    );
  }
  get result(): PurchaseResult | undefined {
    return this.cell.out.value as PurchaseResult | undefined;
  }
  unit = $derived(
    i18n.t(
      this.data?.timeUnit === 'days'
        ? 'unit.days'
        : this.data?.timeUnit === 'months'
          ? 'unit.months'
          : 'unit.weeks',
    ),
  );
  tracking = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    return trackingChart(r.tracking, this.cumulative, {
      title: t(this.cumulative ? 'purchase.trackingCum' : 'purchase.trackingInc'),
      xTitle: `${t('purchase.time')} (${this.unit})`,
      yTitle: t('purchase.repeatTransactions'),
      actual: t('purchase.actual'),
      predicted: t('purchase.predicted'),
    });
  });
  conditional = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    return conditionalChart(r.conditional, {
      title: t('purchase.conditionalTitle'),
      xTitle: t('purchase.calFrequency'),
      yTitle: t('purchase.holdoutPurchases'),
      actual: t('purchase.actual'),
      predicted: t('purchase.predicted'),
    });
  });
  pAlive = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    return pAliveChart(r.pAlive, {
      title: t('purchase.pAliveTitle'),
      xTitle: `${t('purchase.recency')} (${this.unit})`,
      yTitle: t('purchase.frequency'),
    });
  });
}
