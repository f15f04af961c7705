/**
 * The plotly figure shape the chart builders return and Plot.svelte renders. Kept structural (no plotly
 * import) so the pure core stays free of the DOM; fields follow plotly's JSON schema.
 */
export type Trace = Record<string, unknown>;
export interface Layout {
  title?: { text: string };
  xaxis?: Record<string, unknown>;
  yaxis?: Record<string, unknown>;
  [key: string]: unknown;
}
/** A plotly figure: traces plus layout. Example: { data: [{ type: 'bar', x: [1], y: [2] }], layout: {} }. */
export interface PlotSpec {
  data: Trace[];
  layout: Layout;
}

/** Okabe & Ito (2008) colour-blind-safe palette, in the order charts use it. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#56B4E9',
  '#CC79A7',
  '#F0E442',
  '#000000',
] as const;

/** Sequential colour scale for heatmaps (viridis: perceptually uniform, colour-blind safe). */
export const SEQUENTIAL: Array<[number, string]> = [
  [0, '#440154'],
  [0.25, '#3b528b'],
  [0.5, '#21918c'],
  [0.75, '#5ec962'],
  [1, '#fde725'],
];

/** Labels a chart builder needs, already translated by the caller (the core does not know the language). */
export type ChartLabels = Record<string, string>;
