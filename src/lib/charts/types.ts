/**
 * The plotly figure shape the chart builders return and Plot.svelte renders. Kept structural (no plotly
 * import) so the pure core stays free of the DOM; fields follow plotly's JSON schema.
 */
export type Trace = Record<string, unknown>;
export interface Layout {
  title?: { text: string; [key: string]: unknown };
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

/**
 * The traces with every colour string equal to `from` (any case) replaced by `to`, in nested objects and in
 * colour arrays; numeric arrays are left alone. Used by the dark theme, where the palette's black series
 * (PALETTE[7]) would vanish on the background. Example: recolorTraces(data, '#000000', '#e6edf3').
 */
export function recolorTraces(data: readonly Trace[], from: string, to: string): Trace[] {
  const f = from.toLowerCase();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.toLowerCase() === f ? to : v;
    if (Array.isArray(v)) return v.length > 0 && typeof v[0] === 'string' ? v.map(walk) : v;
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return data.map((t) => walk(t) as Trace);
}
