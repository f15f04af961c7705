/**
 * Cohort charts: the acquisition-cohort × period heatmap and retention (or revenue) curves by cohort. Pure
 * builders: numbers in, plotly figure out. Labels arrive translated. Right-censored cells — periods not yet
 * observed, and the period the data stop in (only partly observed) — are never drawn as values on a curve: a
 * half-observed month would look like every cohort collapsing. The heatmap shows them grey and marked.
 */
import { PALETTE, SEQUENTIAL, type PlotSpec, type Trace } from './types.ts';

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
  /** What a cell holds, with its unit (e.g. 'Share of cohort active', 'Revenue per acquired customer (CNY)'). */
  valueName: string;
  incomplete: string;
  /** Name of the size-weighted curve over all cohorts (curves only; default 'All cohorts'). */
  average?: string;
}

/** Cohorts drawn in the qualitative palette with a legend; more get a sequential colour by age and a colour bar. */
export const FEW_COHORTS = 7;

/**
 * Sequential scale for cohorts by age, oldest first (plasma, 0.1–0.85: every step is readable on the light and
 * the dark background; Okabe-Ito black is kept for the all-cohorts curve).
 */
export const COHORT_SCALE: Array<[number, string]> = [
  [0, '#3e049c'],
  [0.25, '#8b0aa5'],
  [0.5, '#c33d80'],
  [0.75, '#ec7853'],
  [1, '#fdb32f'],
];

/** The colour at t in [0, 1] of a colour scale (linear in RGB between its stops). Example: scaleColor(s, 0) = s[0][1]. */
export function scaleColor(scale: ReadonlyArray<readonly [number, string]>, t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  let j = 1;
  while (j < scale.length - 1 && scale[j][0] < u) j++;
  const [t0, c0] = scale[j - 1];
  const [t1, c1] = scale[j];
  const f = t1 > t0 ? (u - t0) / (t1 - t0) : 0;
  const rgb = (c: string, k: number) => parseInt(c.slice(1 + 2 * k, 3 + 2 * k), 16);
  const mix = [0, 1, 2].map((k) => Math.round(rgb(c0, k) + (rgb(c1, k) - rgb(c0, k)) * f));
  return '#' + mix.map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** The value shown in cell (i, k): share of cohort size or raw; null when the period is absent (NaN). */
export function cohortCell(input: CohortChartInput, i: number, k: number): number | null {
  const v = input.values[i]?.[k];
  if (v === undefined || !Number.isFinite(v)) return null;
  if (!input.percent) return v;
  const base = input.sizes[i] ?? input.values[i][0];
  return base > 0 ? v / base : null;
}

/** The cell if its period is complete (fully observed), else null: what a curve may draw. */
export function completeCell(input: CohortChartInput, i: number, k: number): number | null {
  return input.incomplete[i]?.[k] ? null : cohortCell(input, i, k);
}

/**
 * Size-weighted curve over all cohorts: at period k, the sum of the cohorts' values over the sum of their sizes,
 * among cohorts whose period k is complete (each cohort counts as long as it is observed). null where no cohort
 * has a complete period k. Example: sizes 10 and 20, active 5 and 4 at k = 1 -> 9 / 30 = 0.3.
 */
export function pooledCurve(input: CohortChartInput): Array<number | null> {
  const nPeriods = Math.max(0, ...input.values.map((r) => r.length));
  return Array.from({ length: nPeriods }, (_, k) => {
    let num = 0;
    let den = 0;
    input.cohorts.forEach((_, i) => {
      const v = input.values[i]?.[k];
      if (input.incomplete[i]?.[k] || v === undefined || !Number.isFinite(v)) return;
      num += v;
      den += input.sizes[i] ?? 0;
    });
    return den > 0 ? num / den : null;
  });
}

/** plotly number format of a cell value: share as %, else grouped with up to 2 decimals. */
function valueFormat(input: CohortChartInput): string {
  return (input.share ?? input.percent) ? '.1%' : ',.2~f';
}

/**
 * Heatmap of cohorts (rows, oldest on top) by periods since acquisition (columns). Incomplete periods are drawn
 * grey and marked "…" by a second trace. Example: 3 cohorts × 4 periods -> z is 3 × 4.
 */
export function cohortHeatmap(input: CohortChartInput, labels: CohortLabels): PlotSpec {
  const nPeriods = Math.max(0, ...input.values.map((r) => r.length));
  const x = Array.from({ length: nPeriods }, (_, k) => k);
  const z = input.cohorts.map((_, i) => x.map((k) => completeCell(input, i, k)));
  const zInc = input.cohorts.map((_, i) =>
    x.map((k) => (input.incomplete[i]?.[k] ? cohortCell(input, i, k) : null)),
  );
  const share = input.share ?? input.percent;
  const fmt = valueFormat(input);
  // Period 0 is 100% by definition; scale the colours to the later periods so their differences show.
  let zmax = 0;
  z.forEach((row) => row.forEach((v, k) => (k > 0 && v !== null && v > zmax ? (zmax = v) : 0)));
  if (!(zmax > 0)) zmax = 1;
  const hover = `${labels.yTitle}: %{y}<br>${labels.xTitle}: %{x}<br>${labels.valueName}: %{z:${fmt}}`;
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
        colorbar: { title: { text: labels.valueName }, tickformat: share ? '.0%' : ',.3~s', thickness: 12 },
        hovertemplate: `${hover}<extra></extra>`,
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
        // the mark only on incomplete cells (a template alone would print on the empty ones too)
        text: zInc.map((row) => row.map((v) => (v === null ? '' : '…'))),
        texttemplate: '%{text}',
        textfont: { color: '#424242', size: 11 },
        hovertemplate: `${hover} (${labels.incomplete})<extra></extra>`,
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

/** Indices of at most `n` cohorts spread evenly from the oldest to the newest (colour-bar ticks). */
function spreadTicks(count: number, n: number): number[] {
  if (count <= n) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: n }, (_, j) => Math.round((j * (count - 1)) / (n - 1)));
}

/**
 * Curves by cohort: share (or value) by period since acquisition, complete periods only (censored cells are
 * gaps, never zeros). Up to FEW_COHORTS cohorts get palette colours and a legend; more are coloured by age on
 * COHORT_SCALE with a colour bar naming the cohorts. With `percent`, a bold size-weighted curve over all cohorts.
 */
export function cohortCurves(input: CohortChartInput, labels: CohortLabels): PlotSpec {
  const fmt = valueFormat(input);
  const share = input.share ?? input.percent;
  const n = input.cohorts.length;
  const many = n > FEW_COHORTS;
  const color = (i: number) => (many ? scaleColor(COHORT_SCALE, n > 1 ? i / (n - 1) : 0) : PALETTE[i]);
  const data: Trace[] = input.cohorts.map((name, i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: input.values[i].map((_, k) => k),
    y: input.values[i].map((_, k) => completeCell(input, i, k)),
    connectgaps: false,
    line: { color: color(i), width: many ? 1.5 : 2 },
    marker: { size: many ? 3 : 4, color: color(i) },
    showlegend: !many,
    hovertemplate: `${name}<br>${labels.xTitle}: %{x}<br>${labels.valueName}: %{y:${fmt}}<extra></extra>`,
  }));
  if (input.percent && n > 1) {
    const y = pooledCurve(input);
    const average = labels.average ?? 'All cohorts';
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: average,
      x: y.map((_, k) => k),
      y,
      connectgaps: false,
      line: { color: PALETTE[7], width: 3.5 },
      hovertemplate: `${average}<br>${labels.xTitle}: %{x}<br>${labels.valueName}: %{y:${fmt}}<extra></extra>`,
    });
  }
  if (many) {
    const ticks = spreadTicks(n, 6);
    // An invisible point that carries the colour bar: cohort i is drawn in the colour at i on this bar.
    data.push({
      type: 'scatter',
      mode: 'markers',
      x: [null],
      y: [null],
      showlegend: false,
      hoverinfo: 'skip',
      marker: {
        color: [0],
        cmin: 0,
        cmax: n - 1,
        colorscale: COHORT_SCALE,
        showscale: true,
        colorbar: {
          title: { text: labels.yTitle },
          tickvals: ticks,
          ticktext: ticks.map((i) => input.cohorts[i]),
          thickness: 12,
        },
      },
    });
  }
  return {
    data,
    layout: {
      title: { text: labels.title },
      xaxis: { title: { text: labels.xTitle } },
      yaxis: { title: { text: labels.valueName }, tickformat: share ? '.0%' : ',.3~s', rangemode: 'tozero' },
      showlegend: data.some((t) => t.showlegend !== false && t.name !== undefined),
      hovermode: 'closest',
    },
  };
}
