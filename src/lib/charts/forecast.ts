/** CLV forecast charts: the distribution of customer CLV (histogram up to P99, binned in the worker). Pure. */
import { PALETTE, type PlotSpec } from './types.ts';

/** Binned customer values (src/lib/engine/distribution.ts computes them): bin k = [start + k·size, start + (k+1)·size). */
export interface HistogramBins {
  start: number;
  size: number;
  counts: readonly number[];
  /** The right end (99th percentile) and the customers beyond it, said on the chart. */
  p99: number;
  above: number;
  mean: number;
}

/**
 * Histogram of per-customer CLV up to the 99th percentile (the long tail would squash the rest), mean marked.
 * Drawn as bars of the worker's bins, so the page never hands 400k values to plotly. The cut is said on the
 * chart: `l.clipped(above, p99)` writes the note (e.g. "24 customers above P99 ($343.93) not shown"), a second
 * line of the x-axis title when any customer lies above. `l.money` formats a bin edge for the hover.
 * Example: bins {start 0, size 25, counts [3, 1]} -> two bars centred at 12.5 and 37.5, 25 wide.
 */
export function clvDistribution(
  h: HistogramBins,
  l: {
    title: string;
    xTitle: string;
    yTitle: string;
    mean: string;
    currencySymbol: string;
    clipped?: (above: number, p99: number) => string;
    range?: (from: number, to: number) => string;
  },
): PlotSpec {
  const x = h.counts.map((_, k) => h.start + (k + 0.5) * h.size);
  const text = h.counts.map((_, k) => {
    const a = h.start + k * h.size;
    const b = a + h.size;
    return l.range ? l.range(a, b) : `${a}–${b}`;
  });
  return {
    data: [
      {
        type: 'bar',
        x,
        y: [...h.counts],
        width: h.size * 0.95,
        text,
        textposition: 'none',
        marker: { color: PALETTE[0] },
        name: l.yTitle,
        hovertemplate: `${l.xTitle}: %{text}<br>${l.yTitle}: %{y:,}<extra></extra>`,
      },
    ],
    layout: {
      title: { text: l.title },
      // The cut is said under the axis title (a corner annotation would collide with the mean's label).
      xaxis: {
        title: {
          text: h.above > 0 && l.clipped ? `${l.xTitle}<br>${l.clipped(h.above, h.p99)}` : l.xTitle,
        },
        tickprefix: l.currencySymbol,
      },
      yaxis: { title: { text: l.yTitle } },
      shapes: [
        {
          type: 'line',
          x0: h.mean,
          x1: h.mean,
          yref: 'paper',
          y0: 0,
          y1: 1,
          line: { color: PALETTE[3], width: 2, dash: 'dash' },
        },
      ],
      annotations: [
        {
          x: h.mean,
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
