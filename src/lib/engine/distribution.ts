/**
 * What the forecast cell draws and tabulates from the per-customer CLV, computed in the worker next to the
 * forecast so the page never holds, sorts or bins a copy of 400k values: the histogram up to the 99th
 * percentile (the long tail would squash the rest, and the chart says how many lie above), the four value ×
 * P(alive) segments, and the customers the model keeps alive for certain. Pure.
 *
 * Rows may stand for several identical customers (`weights`, a BG/BB table); every statistic is then that of
 * the expanded list of customers (a row of weight 3 counts three times, also in the quantiles).
 */
import { quantileSorted } from '../sim/quantile.ts';

/** Histogram of customer values: bin k holds the customers with start + k·size <= value < start + (k+1)·size. */
export interface ClvHistogram {
  start: number;
  size: number;
  counts: number[];
  /** 99th percentile of the values (type 7 over customers): the histogram's right end. */
  p99: number;
  /** Customers above p99 (not in any bin). */
  above: number;
  /** Mean value per customer (all customers, also those above p99). */
  mean: number;
}

export type Segment = 'activeHigh' | 'activeLow' | 'atRiskHigh' | 'atRiskLow';
export const SEGMENTS: readonly Segment[] = ['activeHigh', 'activeLow', 'atRiskHigh', 'atRiskLow'];

export interface SegmentRow {
  segment: Segment;
  customers: number;
  totalClv: number;
  meanClv: number;
}

export interface ForecastSummary {
  histogram: ClvHistogram;
  segments: SegmentRow[];
  /** Customers with P(alive) = 1 (to 1e-12): under the BG/NBD exactly those without a repeat purchase. */
  certainAlive: number;
}

/** Bins the histogram aims for (plotly's nbinsx: 40 made the same choice before it moved here). */
const BINS = 40;

/**
 * A "nice" bin width near span / bins: 1, 2, 2.5 or 5 times a power of ten. Example: niceStep(1000, 40) = 25.
 */
export function niceStep(span: number, bins = BINS): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / bins;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/**
 * The histogram, segments and certain-alive count of a forecast. `order` lists the rows by ascending value
 * (computed here when absent); non-finite values count as customers with no value (0) in the segments and
 * are left out of the histogram and its quantile, as the chart did before.
 * Example: values 0..99 and 1e6 (one customer each) -> p99 = 99.01 (type 7 on 101 values), above = 1,
 * mean = (4950 + 1e6) / 101; segments cut at the median value 50 and P(alive) 0.5.
 */
export function forecastSummary(
  clv: ArrayLike<number>,
  pAlive: ArrayLike<number>,
  options: { order?: Int32Array; weights?: ArrayLike<number> } = {},
): ForecastSummary {
  const n = clv.length;
  const w = options.weights;
  // Non-finite values sort last (they are skipped below); a plain difference would scramble the order.
  const key = (i: number) => (Number.isFinite(clv[i]) ? clv[i] : Infinity);
  const order =
    options.order ?? Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
  // Finite values in ascending order with their cumulative customer counts (the expanded list's positions).
  const sorted: number[] = [];
  const cum: number[] = [];
  let customers = 0;
  let total = 0;
  let sum = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const wi = w ? w[i] : 1;
    total += wi;
    const v = clv[i];
    if (!Number.isFinite(v)) continue;
    customers += wi;
    sum += v * wi;
    sorted.push(v);
    cum.push(customers);
  }
  /** Value at position `pos` (0-based) of the expanded ascending list of finite values. */
  const at = (pos: number): number => {
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > pos) hi = mid;
      else lo = mid + 1;
    }
    return sorted[lo];
  };
  /** Type-7 quantile over customers. */
  const quantile = (q: number): number => {
    if (customers === 0) return NaN;
    if (!w) return quantileSorted(sorted, q);
    const h = (customers - 1) * q;
    const lo = Math.floor(h);
    const a = at(lo);
    const b = at(Math.min(customers - 1, lo + 1));
    return a === b || h === lo ? a : a + (h - lo) * (b - a);
  };

  const p99 = quantile(0.99);
  const min = sorted.length ? sorted[0] : 0;
  // A span too small for a power of ten (subnormal values) gets one bin.
  const nice = niceStep(p99 - min);
  const size = (p99 - min) / nice < 10 * BINS ? nice : Math.max(p99 - min, Number.MIN_VALUE);
  const start = Number.isFinite(min) ? Math.floor(min / size) * size : 0;
  const bins = Number.isFinite(p99)
    ? Math.min(10 * BINS, Math.max(1, Math.floor((p99 - start) / size) + 1))
    : 1;
  const counts = new Array<number>(sorted.length ? bins : 0).fill(0);
  let above = 0;
  for (let k = 0; k < sorted.length; k++) {
    const c = cum[k] - (k > 0 ? cum[k - 1] : 0);
    const v = sorted[k];
    if (v > p99) above += c;
    else counts[Math.min(bins - 1, Math.floor((v - start) / size))] += c;
  }
  const histogram: ClvHistogram = { start, size, counts, p99, above, mean: sum / Math.max(1, total) };

  // Segments: P(alive) cut at 0.5, value cut at the median customer (sorted[floor((N-1)/2)], no interpolation).
  const median = customers ? at(Math.floor((customers - 1) / 2)) : 0;
  const acc = new Map<Segment, { n: number; sum: number }>(SEGMENTS.map((s) => [s, { n: 0, sum: 0 }]));
  let certainAlive = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    const v = Number.isFinite(clv[i]) ? clv[i] : 0;
    const p = pAlive[i] ?? 0;
    if (p >= 1 - 1e-12) certainAlive += wi;
    const high = v > median;
    const seg: Segment = p >= 0.5 ? (high ? 'activeHigh' : 'activeLow') : high ? 'atRiskHigh' : 'atRiskLow';
    const a = acc.get(seg)!;
    a.n += wi;
    a.sum += v * wi;
  }
  const segments = SEGMENTS.map((s) => {
    const a = acc.get(s)!;
    return { segment: s, customers: a.n, totalClv: a.sum, meanClv: a.n ? a.sum / a.n : 0 };
  });
  return { histogram, segments, certainAlive };
}
