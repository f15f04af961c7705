// Forecast cell: per-customer CLV from the purchase and spend models above; distribution, segments, table.
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import {
  forecast,
  type Dataset,
  type ForecastResult,
  type PurchaseResult,
  type SpendResult,
} from '../../lib/notebook/engine.ts';
import { clvDistribution } from '../../lib/charts/forecast.ts';
import { segmentCustomers } from '../../lib/notebook/segments.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';

const SYMBOL: Record<string, string> = { USD: '$', CNY: '¥', EUR: '€', BRL: 'R$' };

export class ForecastModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  data = $derived.by(() => this.nb.upstream(this.cell.id, 'data')?.out.value as Dataset | undefined);
  purchase = $derived.by(
    () => this.nb.upstream(this.cell.id, 'purchase')?.out.value as PurchaseResult | undefined,
  );
  spend = $derived.by(() => this.nb.upstream(this.cell.id, 'spend')?.out.value as SpendResult | undefined);

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => {
        const { data, purchase, spend } = this;
        if (!data || !purchase || !spend) return null;
        return {
          data,
          purchase,
          spend,
          horizonMonths: Number(cell.params.horizonMonths),
          annualDiscount: Number(cell.params.annualDiscount) / 100,
          margin: Number(cell.params.marginPct ?? 100) / 100,
          seed: nb.seed,
        };
      },
      ({ data, purchase, spend, ...opts }, ctx) => forecast(data, purchase, spend, opts, ctx),
    );
  }
  get result(): ForecastResult | undefined {
    return this.cell.out.value as ForecastResult | undefined;
  }
  currency = $derived(this.data?.currency ?? 'USD');
  chart = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    return clvDistribution(r.clv, {
      title: t('forecast.distTitle', { months: String(this.cell.params.horizonMonths) }),
      xTitle: t('forecast.clvAxis'),
      yTitle: t('data.customers'),
      mean: t('forecast.meanShort'),
      currencySymbol: SYMBOL[this.currency] ?? '',
    });
  });
  rows = $derived.by(() => {
    const r = this.result;
    if (!r) return [];
    return r.ids.map((id, i) => ({
      id,
      clv: r.clv[i],
      clvLow: r.clvLow?.[i] ?? NaN,
      clvHigh: r.clvHigh?.[i] ?? NaN,
      pAlive: r.pAlive[i],
      purchases: r.expectedPurchases[i],
      spend: r.expectedSpend?.[i] ?? NaN,
    }));
  });
  top = $derived([...this.rows].sort((a, b) => b.clv - a.clv).slice(0, 10));
  segments = $derived(this.result ? segmentCustomers(this.result.clv, this.result.pAlive) : []);
}
