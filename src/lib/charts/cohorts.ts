/**
 * Cohort charts: the acquisition-cohort × period heatmap and retention curves by cohort. Pure builders:
 * numbers in, plotly figure out. Labels arrive translated; incomplete periods are marked.
 */
import { PALETTE, SEQUENTIAL, type PlotSpec } from './types.ts';

export interface CohortChartInput {
  cohorts: string[];
  values: number[][];
  sizes: number[];
  incomplete: boolean[][];
  /** Show each cell relative to the cohort (true) or as the raw value. */
  percent: boolean;
  /** Shown values are shares of the cohort (0–1, drawn as %); false for counts and money. Default: `percent`. */
  share?: boolean;
}
export interface CohortLabels {
  title: string;
  xTitle: string;
  yTitle: string;
  valueName: string;
  incomplete: string;
}

/** The value shown in cell (i, k): share of cohort size or raw; null when the period is incomplete or absent. */
export function cohortCell(input: CohortChartInput, i: number, k: number): number | null {
  const v = input.values[i]?.[k];
  if (v === undefined || !Number.isFinite(v)) return null;
  if (!input.percent) return v;
  const base = input.sizes[i] ?? input.values[i][0];
  return base > 0 ? v / base : null;
}

/**
 * Heatmap of cohorts (rows, oldest on top) by periods since acquisition (columns). Incomplete periods are
 * drawn hatched-grey by a second trace. Example: 3 cohorts × 4 periods -> z is 3 × 4.
 */
export function cohortHeatmap(input: CohortChartInput, labels: CohortLabels): PlotSpec {
  const nPeriods = Math.max(0, ...input.values.map((r) => r.length));
  const x = Array.from({ length: nPeriods }, (_, k) => k);
  const z = input.cohorts.map((_, i) =>
    x.map((k) => (input.incomplete[i]?.[k] ? null : cohortCell(input, i, k))),
  );
  const zInc = input.cohorts.map((_, i) =>
    x.map((k) => (input.incomplete[i]?.[k] ? cohortCell(input, i, k) : null)),
  );
  const share = input.share ?? input.percent;
  const fmt = share ? '.1%' : ',.2~f';
  // Period 0 is 100% by definition; scale the colours to the later periods so their differences show.
  let zmax = 0;
  z.forEach((row) => row.forEach((v, k) => (k > 0 && v !== null && v > zmax ? (zmax = v) : 0)));
  if (!(zmax > 0)) zmax = 1;
  return {
    data: [
      {
        type: 'heatmap',
        x,
        y: input.cohorts,
        z,
        colorscale: SEQUENTIAL,
        zmin: 0,
        zmax,
        colorbar: { title: { text: labels.valueName }, tickformat: share ? '.0%' : ',.0f', thickness: 12 },
        hovertemplate: `${labels.yTitle}: %{y}<br>${labels.xTitle}: %{x}<br>${labels.valueName}: %{z:${fmt}}<extra></extra>`,
        xgap: 1,
        ygap: 1,
      },
      {
        type: 'heatmap',
        x,
        y: input.cohorts,
        z: zInc,
        colorscale: [
          [0, '#bdbdbd'],
          [1, '#bdbdbd'],
        ],
        showscale: false,
        name: labels.incomplete,
        hovertemplate: `${labels.yTitle}: %{y}<br>${labels.xTitle}: %{x}<br>${labels.valueName}: %{z:${fmt}} (${labels.incomplete})<extra></extra>`,
        xgap: 1,
        ygap: 1,
      },
    ],
    layout: {
      title: { text: labels.title },
      xaxis: { title: { text: labels.xTitle }, dtick: nPeriods > 24 ? 3 : 1 },
      yaxis: { title: { text: labels.yTitle }, autorange: 'reversed', type: 'category' },
    },
  };
}

/** Retention curves: one line per cohort, share (or value) by period since acquisition. */
export function cohortCurves(input: CohortChartInput, labels: CohortLabels): PlotSpec {
  const share = input.share ?? input.percent;
  return {
    data: input.cohorts.map((name, i) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: input.values[i].map((_, k) => k),
      y: input.values[i].map((_, k) => cohortCell(input, i, k)),
      line: { color: PALETTE[i % PALETTE.length], width: 2 },
      marker: { size: 4, symbol: input.incomplete[i].map((inc) => (inc ? 'circle-open' : 'circle')) },
      hovertemplate: `${name}<br>%{x}: %{y:${share ? '.1%' : ',.2~f'}}<extra></extra>`,
    })),
    layout: {
      title: { text: labels.title },
      xaxis: { title: { text: labels.xTitle } },
      yaxis: { title: { text: labels.valueName }, tickformat: share ? '.0%' : ',.0f', rangemode: 'tozero' },
      showlegend: input.cohorts.length <= 12,
    },
  };
}
