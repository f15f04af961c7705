// Forecast cell: per-customer CLV from the purchase and spend models above; distribution, segments, table.
// The per-customer columns stay typed arrays (moved from the worker by transfer); the table reads them by row
// index, and per-customer intervals of a big base are simulated in the worker for the rows on screen.
import { shownOutput, type Cell, type Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import {
  forecast,
  forecastIntervals,
  type ForecastResult,
  type IntervalSettings,
} from '../../lib/notebook/engine.ts';
import { clvDistribution } from '../../lib/charts/forecast.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';
import { currencySymbol } from '../../lib/i18n/format.ts';
import { idIndex, type CellValue, type TableSource } from '../../components/tableSource.ts';

/** Per-customer intervals filled in on demand (NaN = not simulated yet), for one forecast result. */
interface LazyIntervals {
  of: ForecastResult;
  low: Float64Array;
  high: Float64Array;
}

export class ForecastModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  data = $derived.by(() => this.nb.input(this.cell.id, 'data'));
  purchase = $derived.by(() => this.nb.input(this.cell.id, 'purchase'));
  spend = $derived.by(() => this.nb.input(this.cell.id, 'spend'));
  /** Settings of the run behind the current result (for intervals on demand). */
  #settings: IntervalSettings | null = null;
  #lazy = $state.raw<LazyIntervals | null>(null);
  /** Bumped when intervals arrive, so the table re-reads its cells. */
  #filled = $state(0);
  #asking: AbortController | null = null;

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => {
        // While the data or a model above is being recomputed, wait for it: a forecast of new data with the
        // models of the old (or of new models on old data) is never shown, and on 1M rows it would hold a
        // worker for seconds.
        const busy = (k: 'data' | 'purchase' | 'spend') => nb.upstream(cell.id, k)?.out.pending;
        if (busy('data') || busy('purchase') || busy('spend')) return undefined;
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
          totalInterval: cell.params.totalInterval !== false,
        };
      },
      async ({ data, purchase, spend, ...opts }, ctx) => {
        const r = await forecast(data, purchase, spend, opts, ctx);
        const dpu =
          data.payload.kind === 'bgbb' || data.payload.kind === 'survival' ? 1 : data.payload.daysPerUnit;
        this.#settings = spend
          ? { purchase, spend, ...opts, interval: r.interval ?? 0.8, daysPerUnit: dpu }
          : null;
        this.#asking?.abort();
        const n = r.clv.length;
        this.#lazy =
          r.clvLow === null
            ? { of: r, low: new Float64Array(n).fill(NaN), high: new Float64Array(n).fill(NaN) }
            : null;
        return r;
      },
      () => this.data,
    );
  }
  get result(): ForecastResult | undefined {
    return shownOutput(this.cell, 'forecast');
  }
  currency = $derived(this.data?.currency ?? 'USD');
  /** BG/BB without a value column: values are discounted expected transactions, not money. */
  inTransactions = $derived(this.result?.valueUnit === 'transactions');
  /** Per-customer intervals are simulated for the rows shown (a big base), not with the forecast. */
  intervalsOnDemand = $derived(this.result !== undefined && this.result.clvLow === null);
  /** The total's interval was asked for (the cell's switch). */
  totalInterval = $derived.by(() => this.cell.params.totalInterval !== false);
  /** Formats a value in the forecast's unit (money, or transactions to 2 decimals). */
  format = (v: number): string => (this.inTransactions ? i18n.num(v, 2) : i18n.money(v, this.currency));
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
    return clvDistribution(r.summary.histogram, {
      title: bgbb
        ? t('forecast.dertTitle')
        : t('forecast.distTitle', { months: String(this.cell.params.horizonMonths) }),
      xTitle: this.inTransactions ? t('forecast.dertAxis') : t('forecast.clvAxis'),
      yTitle: t('data.customers'),
      mean: t('forecast.meanShort'),
      currencySymbol: this.inTransactions ? '' : currencySymbol(this.currency),
      clipped: (above, p99) => t('forecast.clippedP99', { n: i18n.num(above, 0), value: this.format(p99) }),
      range: (from, to) => `${this.format(from)} – ${this.format(to)}`,
    });
  });
  /** The ten highest values (from the worker's order, else one pass: no sort of the whole base here). */
  top = $derived.by(() => {
    const r = this.result;
    if (!r) return [];
    const row = (i: number) => ({ id: r.ids[i], clv: r.clv[i], pAlive: r.pAlive[i] });
    if (r.byValue) return Array.from(r.byValue.slice(-10).reverse(), row);
    const best: number[] = [];
    for (let i = 0; i < r.clv.length; i++) {
      const v = r.clv[i];
      if (best.length === 10 && !(v > r.clv[best[9]])) continue;
      let k = best.length < 10 ? best.length : 9;
      best[k] = i;
      while (k > 0 && r.clv[best[k - 1]] < v) {
        best[k] = best[k - 1];
        best[--k] = i;
      }
    }
    return best.map(row);
  });
  /** The purchase model behind the forecast (e.g. 'bgnbd'). */
  purchaseModel = $derived(this.purchase?.report.model);
  /**
   * Customers shown alive for certain: under the BG/NBD exactly those without a repeat purchase (it lets a
   * customer drop out only right after a purchase). Counted so the table can say why.
   */
  certainAlive = $derived(this.result?.summary.certainAlive ?? 0);
  /** Value × P(alive) segments over all customers (from the worker). */
  segments = $derived(this.result?.summary.segments ?? []);

  /** Simulates the intervals of `rows` that lack one (in the worker), then shows them. */
  async #fill(r: ForecastResult, rows: Int32Array, onProgress?: (f: number) => void): Promise<void> {
    const lazy = this.#lazy;
    if (!lazy || lazy.of !== r) return;
    const missing = rows.filter((i) => Number.isNaN(lazy.low[i]));
    const settings = this.#settings;
    if (missing.length === 0 || !settings || !r.history) return;
    const controller = new AbortController();
    this.#asking = controller;
    const got = await forecastIntervals(r, settings, missing, {
      signal: controller.signal,
      onProgress: (f) => onProgress?.(f),
    });
    if (this.#lazy !== lazy) return; // a newer forecast replaced this one
    missing.forEach((i, k) => {
      lazy.low[i] = got.low[k];
      lazy.high[i] = got.high[k];
    });
    this.#filled++;
  }

  /** The per-customer table: row i = customer i of the result. */
  table = $derived.by((): TableSource | null => {
    const r = this.result;
    if (!r) return null;
    const search = idIndex(r.ids);
    const h = r.history;
    const columns: Record<string, ArrayLike<number> | null> = {
      customers: r.weights ?? null,
      clv: r.clv,
      clvLow: r.clvLow,
      clvHigh: r.clvHigh,
      clvMedian: r.clvMedian ?? null,
      pAlive: r.pAlive,
      purchases: r.expectedPurchases,
      spend: r.expectedSpend.length ? r.expectedSpend : null,
      frequency: h?.frequency ?? null,
      recency: h?.recency ?? null,
      T: h?.T ?? null,
    };
    const lazy = r.clvLow === null;
    const unit = h?.unit ?? '';
    return {
      size: r.ids.length,
      value: (i, key): CellValue => {
        if (key === 'id') return r.ids[i];
        if (key === 'customers') return r.weights?.[i] ?? 1;
        if (lazy && (key === 'clvLow' || key === 'clvHigh')) {
          void this.#filled; // re-read when intervals arrive
          const l = this.#lazy;
          return l && l.of === r ? (key === 'clvLow' ? l.low : l.high)[i] : NaN;
        }
        const col = columns[key];
        return col ? col[i] : NaN;
      },
      search,
      prepareSearch: search.prepare,
      numbers: (key) => (key === 'id' ? null : (columns[key] ?? null)),
      visible: lazy
        ? (rows) => {
            void this.#fill(r, rows).catch(() => {});
          }
        : undefined,
      exportExtra: h
        ? [
            { key: 'frequency', header: 'frequency' },
            { key: 'recency', header: `recency_${unit}` },
            { key: 'T', header: `T_${unit}` },
          ]
        : undefined,
      prepareExport: lazy ? (rows, onProgress) => this.#fill(r, rows, onProgress) : undefined,
    };
  });
}
