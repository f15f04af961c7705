/**
 * Model diagnostic charts: retention projection vs constant churn, purchase tracking (cumulative and
 * incremental), conditional expectations by calibration frequency, and the P(alive) matrix. Pure builders.
 */
import { PALETTE, SEQUENTIAL, type Layout, type PlotSpec, type Trace } from './types.ts';
import { CONDITIONAL_CAP } from '../engine/types.ts';

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
      annotations: l.split
        ? [
            {
              x: t.calibrationEnd,
              y: 1,
              yref: 'paper',
              text: l.split,
              showarrow: false,
              xanchor: 'right',
              yanchor: 'top',
              font: { size: 11, color: PALETTE[1] },
            },
          ]
        : [],
    },
  };
}

/**
 * Conditional expectations: mean holdout purchases, actual vs predicted, by calibration frequency. With
 * `pooledTop` the group CONDITIONAL_CAP pools that frequency and above and reads "7+" (the engine's grouping).
 * Hover shows how many customers each bar averages when `customers` is given.
 */
export function conditionalChart(
  c: { frequency: number[]; actual: number[]; predicted: number[]; customers?: number[] },
  l: SeriesLabels,
  pooledTop = false,
): PlotSpec {
  const x = c.frequency.map((f) => (pooledTop && f === CONDITIONAL_CAP ? `${CONDITIONAL_CAP}+` : String(f)));
  const n = c.customers ? ` (n = %{customdata:,})` : '';
  return {
    data: [
      {
        type: 'bar',
        name: l.actual,
        x,
        y: c.actual,
        customdata: c.customers,
        marker: { color: PALETTE[4] },
        hovertemplate: '%{x}: %{y:.2f}' + n + '<extra>' + l.actual + '</extra>',
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

/** What retentionProjectionChart / retentionRateChart read (a RetentionResult from src/lib/engine). */
export interface RetentionSeries {
  observed: number[];
  observedFit?: number[];
  observedRate?: number[];
  model: number[];
  constant: number[];
  retentionRate: number[];
  constantChurn: number;
  fitEnd?: number;
  bands?: { low: number[]; high: number[]; rateLow: number[]; rateHigh: number[] };
}

const BAND_FILL = 'rgba(0, 114, 178, 0.22)'; // PALETTE[0] at 22 %

function shadedBand(x: number[], low: number[], high: number[], name: string): Trace[] {
  const clean = (a: number[]) => a.map((v) => (Number.isFinite(v) ? v : null));
  return [
    {
      type: 'scatter',
      mode: 'lines',
      x,
      y: clean(low),
      line: { width: 0, color: BAND_FILL },
      showlegend: false,
      hoverinfo: 'skip',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name,
      x,
      y: clean(high),
      fill: 'tonexty',
      fillcolor: BAND_FILL,
      line: { width: 0, color: BAND_FILL },
      hoverinfo: 'skip',
    },
  ];
}

function splitLine(fitEnd: number | undefined, last: number): Layout['shapes'] {
  if (fitEnd === undefined || fitEnd >= last) return [];
  return [
    {
      type: 'line',
      x0: fitEnd + 0.5,
      x1: fitEnd + 0.5,
      yref: 'paper',
      y0: 0,
      y1: 1,
      line: { color: PALETTE[1], dash: 'dot', width: 2 },
    },
  ];
}

/**
 * Retention projection (Fader & Hardie 2007, fig. 2 style): observed survival used in the fit (filled markers),
 * observed points after the fit window (hollow: holdout, or left out as biased), the model's projection with its
 * parameter-uncertainty band (shaded), and the constant-churn projection (dashed). A dotted line marks the end
 * of the fit window. Labels: title, xTitle, yTitle, observed, later, model, band, constant.
 */
export function retentionProjectionChart(s: RetentionSeries, l: SeriesLabels): PlotSpec {
  const x = s.model.map((_, k) => k);
  const fitEnd = s.fitEnd ?? s.observed.length - 1;
  const fitObs = s.observedFit ?? s.observed;
  const inFit = x.map((k) => (k <= fitEnd && Number.isFinite(fitObs[k]) ? fitObs[k] : null));
  const later = x.map((k) => (k > fitEnd && Number.isFinite(s.observed[k]) ? s.observed[k] : null));
  const lastObserved = s.observed.reduce((m, v, k) => (Number.isFinite(v) ? k : m), 0);
  const data: Trace[] = [];
  if (s.bands) data.push(...shadedBand(x, s.bands.low, s.bands.high, l.band));
  data.push(
    {
      type: 'scatter',
      mode: 'lines',
      name: l.model,
      x,
      y: s.model,
      line: { color: PALETTE[0], width: 3 },
      hovertemplate: '%{x}: %{y:.1%}<extra>' + l.model + '</extra>',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: l.constant,
      x,
      y: s.constant,
      line: { color: PALETTE[3], width: 2, dash: 'dash' },
      hovertemplate: '%{x}: %{y:.1%}<extra>' + l.constant + '</extra>',
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: l.observed,
      x,
      y: inFit,
      marker: { color: PALETTE[7], size: 7 },
      hovertemplate: '%{x}: %{y:.1%}<extra>' + l.observed + '</extra>',
    },
  );
  if (later.some((v) => v !== null))
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: l.later,
      x,
      y: later,
      marker: { color: PALETTE[7], size: 8, symbol: 'circle-open', line: { width: 2 } },
      hovertemplate: '%{x}: %{y:.1%}<extra>' + l.later + '</extra>',
    });
  return {
    data,
    layout: {
      title: { text: l.title },
      xaxis: { title: { text: l.xTitle }, rangemode: 'tozero' },
      yaxis: { title: { text: l.yTitle }, tickformat: '.0%', range: [0, 1.02] },
      shapes: splitLine(fitEnd, lastObserved),
      legend: { traceorder: 'normal' },
    },
  };
}

/**
 * Retention rate by tenure r(t) = S(t)/S(t−1): the model's curve with its band rises with tenure (the weak leave
 * first), against the flat constant-churn rate 1 − p; observed rates as markers (hollow after the fit window).
 * Labels: title, xTitle, yTitle, observed, later, model, band, constant.
 */
export function retentionRateChart(s: RetentionSeries, l: SeriesLabels): PlotSpec {
  const x = s.model.map((_, k) => k).slice(1);
  const tail = (a: number[]) => a.slice(1).map((v) => (Number.isFinite(v) ? v : null));
  const data: Trace[] = [];
  if (s.bands) data.push(...shadedBand(x, s.bands.rateLow.slice(1), s.bands.rateHigh.slice(1), l.band));
  data.push(
    {
      type: 'scatter',
      mode: 'lines',
      name: l.model,
      x,
      y: tail(s.retentionRate),
      line: { color: PALETTE[0], width: 3 },
      hovertemplate: '%{x}: %{y:.1%}<extra>' + l.model + '</extra>',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: l.constant,
      x,
      y: x.map(() => 1 - s.constantChurn),
      line: { color: PALETTE[3], width: 2, dash: 'dash' },
      hovertemplate: '%{x}: %{y:.1%}<extra>' + l.constant + '</extra>',
    },
  );
  if (s.observedRate) {
    const fitEnd = s.fitEnd ?? Infinity;
    const rate = tail(s.observedRate);
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: l.observed,
      x,
      y: rate.map((v, i) => (x[i] <= fitEnd ? v : null)),
      marker: { color: PALETTE[7], size: 6 },
      hovertemplate: '%{x}: %{y:.1%}<extra>' + l.observed + '</extra>',
    });
    if (rate.some((v, i) => v !== null && x[i] > fitEnd))
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: l.later,
        x,
        y: rate.map((v, i) => (x[i] > fitEnd ? v : null)),
        marker: { color: PALETTE[7], size: 7, symbol: 'circle-open', line: { width: 2 } },
        hovertemplate: '%{x}: %{y:.1%}<extra>' + l.later + '</extra>',
      });
  }
  return {
    data,
    layout: {
      title: { text: l.title },
      xaxis: { title: { text: l.xTitle }, rangemode: 'tozero' },
      // Autoscaled (not from 0): the rise of the retention rate with tenure is the point of this chart.
      yaxis: { title: { text: l.yTitle }, tickformat: '.0%' },
      shapes: splitLine(
        s.fitEnd,
        s.observed.reduce((m, v, k) => (Number.isFinite(v) ? k : m), 0),
      ),
      legend: { traceorder: 'normal' },
    },
  };
}
