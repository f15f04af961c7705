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
        // A BG/BB table needs no spend model (its value column, or transactions, give the value).
        if (!data || !purchase || (!spend && data.kind !== 'bgbb')) return null;
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
  /** BG/BB without a value column: values are discounted expected transactions, not money. */
  inTransactions = $derived(this.result?.valueUnit === 'transactions');
  /** Formats a value in the forecast's unit (money, or transactions to 2 decimals). */
  format = (v: number): string => (this.inTransactions ? i18n.num(v, 2) : i18n.money(v, this.currency));
  /** Per-customer values and P(alive), rows of a BG/BB table repeated by their weights (one per customer). */
  perCustomer = $derived.by(() => {
    const r = this.result;
    if (!r) return { clv: [] as number[], pAlive: [] as number[] };
    if (!r.weights) return { clv: r.clv, pAlive: r.pAlive };
    const clv: number[] = [];
    const pAlive: number[] = [];
    r.weights.forEach((w, i) => {
      for (let k = 0; k < w; k++) {
        clv.push(r.clv[i]);
        pAlive.push(r.pAlive[i]);
      }
    });
    return { clv, pAlive };
  });
  /** Transaction opportunities the expected purchases cover (BG/BB), from the horizon. */
  opportunities = $derived.by(() => {
    const p = this.data?.payload;
    const perYear = p && p.kind === 'bgbb' ? p.opportunitiesPerYear : 1;
    return Math.max(1, Math.round((Number(this.cell.params.horizonMonths) / 12) * perYear));
  });
  chart = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const t = i18n.t;
    const bgbb = r.weights !== undefined;
    return clvDistribution(this.perCustomer.clv, {
      title: bgbb
        ? t('forecast.dertTitle')
        : t('forecast.distTitle', { months: String(this.cell.params.horizonMonths) }),
      xTitle: this.inTransactions ? t('forecast.dertAxis') : t('forecast.clvAxis'),
      yTitle: t('data.customers'),
      mean: t('forecast.meanShort'),
      currencySymbol: this.inTransactions ? '' : (SYMBOL[this.currency] ?? ''),
      clipped: (above, p99) => t('forecast.clippedP99', { n: i18n.num(above, 0), value: this.format(p99) }),
    });
  });
  rows = $derived.by(() => {
    const r = this.result;
    if (!r) return [];
    return r.ids.map((id, i) => ({
      id,
      customers: r.weights?.[i] ?? 1,
      clv: r.clv[i],
      clvLow: r.clvLow?.[i] ?? NaN,
      clvHigh: r.clvHigh?.[i] ?? NaN,
      clvMedian: r.clvMedian?.[i] ?? NaN,
      pAlive: r.pAlive[i],
      purchases: r.expectedPurchases[i],
      spend: r.expectedSpend?.[i] ?? NaN,
    }));
  });
  /** The purchase model behind the forecast (e.g. 'bgnbd'). */
  purchaseModel = $derived(this.purchase?.report.model);
  /**
   * Customers shown alive for certain: under the BG/NBD exactly those without a repeat purchase (it lets a
   * customer drop out only right after a purchase). Counted so the table can say why.
   */
  certainAlive = $derived(this.perCustomer.pAlive.reduce((n, p) => n + (p >= 1 - 1e-12 ? 1 : 0), 0));
  top = $derived([...this.rows].sort((a, b) => b.clv - a.clv).slice(0, 10));
  segments = $derived(this.result ? segmentCustomers(this.perCustomer.clv, this.perCustomer.pAlive) : []);
}
