// Purchase cell: BG/NBD, Pareto/NBD, MBG/NBD or BG/BB fitted in the engine, with holdout diagnostics.
import { shownOutput, type Cell, type Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { fitPurchase, type PurchaseResult } from '../../lib/notebook/engine.ts';
import { conditionalChart, pAliveChart, trackingChart } from '../../lib/charts/models.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

/** Continuous-time models (transactions, RFM tables). A BG/BB table gets BG/BB only (discrete opportunities). */
export const PURCHASE_MODELS = ['bgnbd', 'pnbd', 'mbgnbd'] as const;
type PurchaseModelName = (typeof PURCHASE_MODELS)[number] | 'bgbb';

export class PurchaseModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  cumulative = $state(true);
  data = $derived.by(() => this.nb.input(this.cell.id, 'data'));
  /** True when the data are a BG/BB table: the only model that fits them is BG/BB. */
  discrete = $derived(this.data?.kind === 'bgbb');
  /** The model fitted: BG/BB for a BG/BB table, else the chosen continuous-time model. */
  model = $derived.by((): PurchaseModelName => {
    if (this.discrete) return 'bgbb';
    const m = String(this.cell.params.model);
    return (PURCHASE_MODELS as readonly string[]).includes(m) ? (m as PurchaseModelName) : 'bgnbd';
  });
  /** [value, label] pairs for the model select. */
  options = $derived<Array<[string, string]>>(
    this.discrete
      ? [['bgbb', i18n.t('model.bgbb')]]
      : PURCHASE_MODELS.map((m): [string, string] => [m, i18n.t(`model.${m}`)]),
  );

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => {
        const data = this.data;
        if (!data) return null;
        return { data, model: this.model };
      },
      ({ data, ...opts }, ctx) => fitPurchase(data, opts, ctx),
      () => this.data,
    );
  }
  get result(): PurchaseResult | undefined {
    return shownOutput(this.cell, 'purchase');
  }
  unit = $derived(
    this.discrete
      ? ''
      : i18n.t(
          this.data?.timeUnit === 'days'
            ? 'unit.days'
            : this.data?.timeUnit === 'months'
              ? 'unit.months'
              : 'unit.weeks',
        ),
  );
  /** Which diagnostics the data allow (a ready summary has no dates; holdout needs holdout columns). */
  hasTracking = $derived(this.result?.available?.tracking ?? true);
  hasHoldout = $derived(this.result?.available?.holdout ?? true);
  tracking = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    if (r.frequencyFit) {
      return conditionalChart(r.frequencyFit, {
        title: t('purchase.freqFitTitle', { n: String(r.pAlive.T) }),
        xTitle: t('purchase.transactionsX'),
        yTitle: t('purchase.customersAxis'),
        actual: t('purchase.actual'),
        predicted: t('purchase.predicted'),
      });
    }
    if (!this.hasTracking) return null;
    return trackingChart(r.tracking, this.cumulative, {
      title: t(this.cumulative ? 'purchase.trackingCum' : 'purchase.trackingInc'),
      xTitle: `${t('purchase.time')} (${this.unit})`,
      yTitle: t('purchase.repeatTransactions'),
      actual: t('purchase.actual'),
      predicted: t('purchase.predicted'),
      // the chosen calibration end, by date (the line sits at it)
      split: r.customers?.calibrationEnd
        ? `${t('purchase.calibrationEnd')} ${i18n.date(r.customers.calibrationEnd)}`
        : t('purchase.calibrationEnd'),
    });
  });
  conditional = $derived.by(() => {
    const r = this.result;
    if (!r || !this.hasHoldout) return null;
    const t = i18n.t;
    const bgbb = r.kind === 'bgbb';
    return conditionalChart(
      r.conditional,
      {
        title: t(bgbb ? 'purchase.conditionalBgbbTitle' : 'purchase.conditionalTitle'),
        xTitle: t(bgbb ? 'purchase.transactionsX' : 'purchase.calFrequency'),
        yTitle: t(bgbb ? 'purchase.holdoutTransactions' : 'purchase.holdoutPurchases'),
        actual: t('purchase.actual'),
        predicted: t('purchase.predicted'),
      },
      true,
    );
  });
  pAlive = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    if (r.kind === 'bgbb') {
      return pAliveChart(r.pAlive, {
        title: t('purchase.pAliveBgbbTitle', { n: String(r.pAlive.T) }),
        xTitle: t('purchase.txOpportunity'),
        yTitle: t('purchase.transactionsX'),
      });
    }
    return pAliveChart(r.pAlive, {
      title: t('purchase.pAliveTitle'),
      xTitle: `${t('purchase.recency')} (${this.unit})`,
      yTitle: t('purchase.frequency'),
    });
  });
}
