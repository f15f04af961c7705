/** CLV forecast charts: the distribution of customer CLV (histogram, log-spaced tail clipped at P99). Pure. */
import { PALETTE, type PlotSpec } from './types.ts';

/** Value at quantile q (0–1) of an unsorted sample, linear interpolation. Example: quantile([1,2,3,4], 0.5) = 2.5. */
export function quantile(values: readonly number[], q: number): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * Histogram of per-customer CLV up to the 99th percentile (the long tail would squash the rest), mean marked.
 * The cut is said on the chart: `l.clipped(above, p99)` writes the note (e.g. "24 customers above P99
 * ($343.93) not shown"), a second line of the x-axis title when any customer lies above. Example: 0..99 and 1e6 -> the
 * histogram holds 0..99, one customer is above.
 */
export function clvDistribution(
  clv: readonly number[],
  l: {
    title: string;
    xTitle: string;
    yTitle: string;
    mean: string;
    currencySymbol: string;
    clipped?: (above: number, p99: number) => string;
  },
): PlotSpec {
  const p99 = quantile(clv, 0.99);
  const shown = clv.filter((v) => Number.isFinite(v) && v <= p99);
  const above = clv.filter((v) => Number.isFinite(v) && v > p99).length;
  const mean = clv.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) / Math.max(1, clv.length);
  return {
    data: [
      {
        type: 'histogram',
        x: shown,
        nbinsx: 40,
        marker: { color: PALETTE[0] },
        name: l.yTitle,
        hovertemplate: `${l.xTitle}: %{x}<br>${l.yTitle}: %{y:,}<extra></extra>`,
      },
    ],
    layout: {
      title: { text: l.title },
      // The cut is said under the axis title (a corner annotation would collide with the mean's label).
      xaxis: {
        title: {
          text: above > 0 && l.clipped ? `${l.xTitle}<br>${l.clipped(above, p99)}` : l.xTitle,
        },
        tickprefix: l.currencySymbol,
      },
      yaxis: { title: { text: l.yTitle } },
      bargap: 0.05,
      shapes: [
        {
          type: 'line',
          x0: mean,
          x1: mean,
          yref: 'paper',
          y0: 0,
          y1: 1,
          line: { color: PALETTE[3], width: 2, dash: 'dash' },
        },
      ],
      annotations: [
        {
          x: mean,
          yref: 'paper',
          y: 1,
          text: l.mean,
          showarrow: false,
          xanchor: 'left',
          font: { color: PALETTE[3] },
        },
      ],
    },
  };
}
