/**
 * Model diagnostic charts: retention projection vs constant churn, purchase tracking (cumulative and
 * incremental), conditional expectations by calibration frequency, and the P(alive) matrix. Pure builders.
 */
import { PALETTE, SEQUENTIAL, type PlotSpec } from './types.ts';

export interface SeriesLabels {
  title: string;
  xTitle: string;
  yTitle: string;
  [series: string]: string;
}

/** Survival curves: observed (markers), heterogeneous model (line) and constant-churn projection (dashed). */
export function survivalChart(
  s: { observed: number[]; model: number[]; constant: number[] },
  l: SeriesLabels,
): PlotSpec {
  const x = (n: number) => Array.from({ length: n }, (_, k) => k);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: l.observed,
        x: x(s.observed.length),
        y: s.observed.map((v) => (Number.isFinite(v) ? v : null)),
        marker: { color: PALETTE[7], size: 7 },
        hovertemplate: '%{x}: %{y:.1%}<extra>' + l.observed + '</extra>',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: l.model,
        x: x(s.model.length),
        y: s.model,
        line: { color: PALETTE[0], width: 3 },
        hovertemplate: '%{x}: %{y:.1%}<extra>' + l.model + '</extra>',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: l.constant,
        x: x(s.constant.length),
        y: s.constant,
        line: { color: PALETTE[3], width: 2, dash: 'dash' },
        hovertemplate: '%{x}: %{y:.1%}<extra>' + l.constant + '</extra>',
      },
    ],
    layout: {
      title: { text: l.title },
      xaxis: { title: { text: l.xTitle } },
      yaxis: { title: { text: l.yTitle }, tickformat: '.0%', range: [0, 1.02] },
    },
  };
}

/**
 * Tracking plot (Fader, Hardie & Lee 2005, fig. 2–3): actual vs predicted repeat transactions, cumulative or per
 * period, with the calibration/holdout split line. Input series are cumulative (as the engine returns them).
 */
export function trackingChart(
  t: { period: number[]; actual: number[]; predicted: number[]; calibrationEnd: number },
  cumulative: boolean,
  l: SeriesLabels,
): PlotSpec {
  const diff = (a: number[]) => a.map((v, i) => v - (i > 0 ? a[i - 1] : 0));
  const actual = cumulative ? t.actual : diff(t.actual);
  const predicted = cumulative ? t.predicted : diff(t.predicted);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        name: l.actual,
        x: t.period,
        y: actual,
        line: { color: PALETTE[7], width: 2 },
        hovertemplate: '%{x}: %{y:,.0f}<extra>' + l.actual + '</extra>',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: l.predicted,
        x: t.period,
        y: predicted,
        line: { color: PALETTE[0], width: 2, dash: 'dash' },
        hovertemplate: '%{x}: %{y:,.1f}<extra>' + l.predicted + '</extra>',
      },
    ],
    layout: {
      title: { text: l.title },
      xaxis: { title: { text: l.xTitle } },
      yaxis: { title: { text: l.yTitle }, rangemode: 'tozero' },
      shapes: [
        {
          type: 'line',
          x0: t.calibrationEnd,
          x1: t.calibrationEnd,
          yref: 'paper',
          y0: 0,
          y1: 1,
          line: { color: PALETTE[1], dash: 'dot', width: 2 },
        },
      ],
    },
  };
}

/** Conditional expectations: mean holdout purchases, actual vs predicted, by calibration frequency. */
export function conditionalChart(
  c: { frequency: number[]; actual: number[]; predicted: number[] },
  l: SeriesLabels,
): PlotSpec {
  const x = c.frequency.map(String);
  return {
    data: [
      {
        type: 'bar',
        name: l.actual,
        x,
        y: c.actual,
        marker: { color: PALETTE[4] },
        hovertemplate: '%{x}: %{y:.2f}<extra>' + l.actual + '</extra>',
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: l.predicted,
        x,
        y: c.predicted,
        line: { color: PALETTE[0], width: 2 },
        hovertemplate: '%{x}: %{y:.2f}<extra>' + l.predicted + '</extra>',
      },
    ],
    layout: {
      title: { text: l.title },
      xaxis: { title: { text: l.xTitle }, type: 'category' },
      yaxis: { title: { text: l.yTitle }, rangemode: 'tozero' },
    },
  };
}

/** P(alive) matrix by frequency (rows) and recency (columns), 0–1. */
export function pAliveChart(
  p: { frequency: number[]; recency: number[]; z: number[][] },
  l: SeriesLabels,
): PlotSpec {
  return {
    data: [
      {
        type: 'heatmap',
        x: p.recency,
        y: p.frequency,
        z: p.z,
        zmin: 0,
        zmax: 1,
        colorscale: SEQUENTIAL,
        colorbar: { title: { text: 'P(alive)' }, tickformat: '.0%', thickness: 12 },
        hovertemplate: `${l.xTitle}: %{x}<br>${l.yTitle}: %{y}<br>P(alive): %{z:.1%}<extra></extra>`,
      },
    ],
    layout: {
      title: { text: l.title },
      xaxis: { title: { text: l.xTitle } },
      yaxis: { title: { text: l.yTitle } },
    },
  };
}
