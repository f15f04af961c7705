/**
 * Layout policy shared by every chart: a builder's figure plus the frame it is drawn in (width, height, theme)
 * -> the figure plotly draws. Pure, so the rules are unit-tested:
 * - the title wraps to the width left beside plotly's toolbar (modebar), so the toolbar never covers it;
 * - a legend that fits one row sits under the title; a longer one goes below the plot in aligned columns, and
 *   the figure grows by its height instead of squeezing the plot;
 * - on narrow frames (phones) a colour bar lies horizontally under the plot instead of taking width beside it,
 *   a categorical y axis loses its title (its labels name themselves), horizontal bars wrap their category
 *   names to a third of the width, and the toolbar keeps only zoom, pan
 *   and reset (the PNG/SVG buttons under each chart download).
 * Text widths are estimated from character classes (no DOM here) and err wide, so a wrap happens early rather
 * than an overlap.
 */
import { PALETTE, recolorTraces, type Layout, type PlotSpec, type Trace } from './types.ts';

/** Frames narrower than this (px) get the phone layout. */
export const NARROW_PX = 480;
/** Font sizes (px) of the title and the rest (legend, axes). */
const TITLE_PX = 14;
const FONT_PX = 12;
/** One line of title text / one legend row, px. */
const TITLE_LINE_PX = 18;
const LEGEND_ROW_PX = 20;
/** Legend symbol, the gap before its text and the gap after it, px (plotly: 40 + 5). */
const LEGEND_SYMBOL_PX = 46;
/** Toolbar: height (incl. its padding), width = base + per button, px (measured in Chromium: 7 buttons 216, 3 buttons 120). */
const MODEBAR_HEIGHT_PX = 36;
const MODEBAR_BASE_PX = 48;
const MODEBAR_BUTTON_PX = 24;
/** Left and right margins of a typical plot (y tick labels and axis title; right padding), px. */
const PLOT_MARGINS_PX = 84;
/** Share of a phone-wide frame the category names of a horizontal bar chart may take. */
const NARROW_LABEL_SHARE = 0.34;
/** One line of a tick label, px. */
const LABEL_LINE_PX = 15;
/** Room the x axis (ticks and its title) takes under the plot, px. */
const X_AXIS_PX = 48;
/** Horizontal colour bar under the plot: its title (above the bar), then bar and tick labels, px. */
const COLORBAR_TITLE_PX = 20;
const COLORBAR_H_PX = 66;

/** Toolbar buttons plotly shows on a cartesian chart, and those kept on a narrow frame. */
const MODEBAR_ALL = ['toImage', 'zoom2d', 'pan2d', 'zoomIn2d', 'zoomOut2d', 'autoScale2d', 'resetScale2d'];
const MODEBAR_NARROW = ['zoom2d', 'pan2d', 'resetScale2d'];

export interface FrameOptions {
  /** Frame width in CSS px (the figure fills it). */
  width: number;
  /** Height the chart asks for, px: the plot keeps it; a legend or colour bar below adds to it. */
  height: number;
  dark: boolean;
}
/** What Plot.svelte hands to plotly: traces, layout, config, and the frame height to reserve. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config: Record<string, unknown>;
  height: number;
}

/**
 * Estimated width (px) of `text` at `fontPx` in a system UI font. CJK and full-width characters count 1 em,
 * Latin by class (m/w 0.95, capitals 0.68, digits 0.66, most lower case 0.6, i/l/t and punctuation 0.36,
 * space 0.34); tags (`<br>`, `<b>`) are ignored. Calibrated on Chromium's system-ui (DejaVu Sans, one of the
 * widest): 0-8% wide there, wider on narrower fonts. Example: textWidth('Revenue', 12) ≈ 51; textWidth('收入', 12) = 24.
 */
export function textWidth(text: string, fontPx: number): number {
  let em = 0;
  for (const ch of text.replace(/<[^>]*>/g, '')) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xff00 && c <= 0xffef)) em += 1;
    else if (ch === ' ') em += 0.34;
    else if (/[mwMW—@]/.test(ch)) em += 0.95;
    else if (/[0-9]/.test(ch)) em += 0.66;
    else if (/[A-Z%$€¥£#&]/.test(ch)) em += 0.68;
    else if (/[iljtf.,:;'|!()[\]]/.test(ch)) em += 0.36;
    else em += 0.6;
  }
  return em * fontPx;
}

/**
 * `text` broken into lines no wider than `maxPx` (at `fontPx`): at spaces for Latin text, between any two
 * characters of CJK text; an existing `<br>` is kept. A word longer than a line stays whole.
 * Example: wrapText('Cohort activity by months since first purchase', 220, 14) -> 2 lines.
 */
export function wrapText(text: string, maxPx: number, fontPx: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/<br\s*\/?>/i)) {
    // Tokens: tags (never split), runs of other non-CJK non-space characters (words), single CJK characters, spaces.
    const tokens = para.match(
      /<[^>]*>|[\u2e80-\u9fff\uff00-\uffef]|\s+|[^\s<\u2e80-\u9fff\uff00-\uffef]+|</g,
    ) ?? [''];
    let line = '';
    for (const tok of tokens) {
      const next = line + tok;
      if (line.trim() !== '' && textWidth(next.trimEnd(), fontPx) > maxPx) {
        out.push(line.trimEnd());
        line = tok.trimStart();
      } else line = next;
    }
    out.push(line.trimEnd());
  }
  return out;
}

/** Names of the legend entries plotly would draw (traces shown in the legend; one per legend group). */
function legendEntries(spec: PlotSpec): string[] {
  if (spec.layout.showlegend === false) return [];
  const seen = new Set<string>();
  const names: string[] = [];
  for (const t of spec.data) {
    if (t.showlegend === false || t.type === 'heatmap' || t.type === 'histogram') continue;
    if (t.visible === false) continue;
    const group = typeof t.legendgroup === 'string' ? t.legendgroup : '';
    if (group && seen.has(group)) continue;
    if (group) seen.add(group);
    names.push(String(t.name ?? ''));
  }
  // plotly hides a legend of one trace unless asked for it
  return names.length > 1 || spec.layout.showlegend === true ? names : [];
}

/** Where the legend goes and what it costs: one row under the title, or `rows` rows below the plot. */
export interface LegendPlan {
  place: 'none' | 'top' | 'bottom';
  rows: number;
  /** Fixed text width (px) of an entry when the legend spans several rows (columns line up); 0 = natural widths. */
  entryWidth: number;
}

/** The legend plan for `names` in a frame `width` px wide. Example: 2 short names at 1280 px -> top, 1 row. */
export function planLegend(names: readonly string[], width: number): LegendPlan {
  if (names.length === 0) return { place: 'none', rows: 0, entryWidth: 0 };
  // plotly wraps a legend inside the plot's vertical extent at the plot area's width (frame less the margins)
  const avail = Math.max(120, width - PLOT_MARGINS_PX);
  const widths = names.map((n) => textWidth(n, FONT_PX));
  const total = widths.reduce((a, b) => a + b + LEGEND_SYMBOL_PX, 0);
  if (total <= avail) return { place: 'top', rows: 1, entryWidth: 0 };
  // plotly's entrywidth is the text's width; the symbol and gaps come on top
  const entryWidth = Math.ceil(Math.min(avail - LEGEND_SYMBOL_PX, Math.max(...widths) + 4));
  const cols = Math.max(1, Math.floor(avail / (entryWidth + LEGEND_SYMBOL_PX)));
  return { place: 'bottom', rows: Math.ceil(names.length / cols), entryWidth };
}

/** An axis whose title is wrapped to `maxPx` (a phone: a long x-axis title would run off the figure). */
function wrapAxisTitle(a: Record<string, unknown>, maxPx: number): Record<string, unknown> {
  const title = a.title as { text?: string } | undefined;
  if (!title?.text) return a;
  return { ...a, title: { ...title, text: wrapText(title.text, maxPx, FONT_PX).join('<br>') } };
}

/** Traces that draw a colour bar: heatmaps with a scale, and markers with `showscale`. */
function colorbarOwner(t: Trace): 'trace' | 'marker' | null {
  if (t.type === 'heatmap' && t.showscale !== false) return 'trace';
  const m = t.marker as Record<string, unknown> | undefined;
  if (m && m.showscale === true) return 'marker';
  return null;
}

/**
 * A colour bar lying under the plot (narrow frames): full plot width, title above the bar, its top `yFrac` of
 * the plot's height below the plot (paper coordinates: with yref 'container' plotly draws the title over the bar).
 */
function horizontalColorbar(
  cb: Record<string, unknown> | undefined,
  yFrac: number,
  plotWidth: number,
): Record<string, unknown> {
  const title = (cb?.title as Record<string, unknown> | undefined) ?? {};
  // Named ticks (e.g. cohort labels) thinned so they fit side by side, first and last kept.
  const vals = cb?.tickvals as unknown[] | undefined;
  const text = cb?.ticktext as string[] | undefined;
  let ticks = {};
  if (vals && text && vals.length === text.length && vals.length > 2) {
    const room = Math.max(...text.map((t) => textWidth(t, FONT_PX))) + 16;
    const n = Math.max(2, Math.min(vals.length, Math.floor(plotWidth / room)));
    const pick = Array.from({ length: n }, (_, j) => Math.round((j * (vals.length - 1)) / (n - 1)));
    ticks = { tickvals: pick.map((i) => vals[i]), ticktext: pick.map((i) => text[i]), tickangle: 0 };
  }
  return {
    ...cb,
    ...ticks,
    title: { ...title, side: 'top' },
    orientation: 'h',
    x: 0,
    xanchor: 'left',
    xref: 'paper',
    len: 1,
    lenmode: 'fraction',
    y: yFrac,
    yref: 'paper',
    yanchor: 'top',
    thickness: 10,
  };
}

/** A colour bar beside the plot (wide frames), its title turned along the bar so it takes no width. */
function verticalColorbar(cb: Record<string, unknown> | undefined): Record<string, unknown> {
  const title = (cb?.title as Record<string, unknown> | undefined) ?? {};
  return { ...cb, title: { ...title, side: 'right' } };
}

/**
 * The figure plotly draws for `spec` in a frame (see the module comment). Example: at 390 px a heatmap's colour
 * bar becomes horizontal below the plot and `height` grows by 62 px; at 1280 px it stays at the right.
 */
export function frameFigure(spec: PlotSpec, frame: FrameOptions): Figure {
  const narrow = frame.width < NARROW_PX;
  const buttons = narrow ? MODEBAR_NARROW : MODEBAR_ALL;
  const modebarPx = MODEBAR_BASE_PX + buttons.length * MODEBAR_BUTTON_PX;
  const fg = frame.dark ? '#e6edf3' : '#1b1f24';
  const grid = frame.dark ? '#36404b' : '#e1e4e8';

  // Title: wrapped to the room beside the toolbar (it sits at the top right, above the title's first line).
  const titleText = spec.layout.title?.text ?? '';
  const titleLines = titleText ? wrapText(titleText, frame.width - 12 - modebarPx, TITLE_PX) : [];
  const titleBottom = Math.max(titleLines.length * TITLE_LINE_PX + 6, MODEBAR_HEIGHT_PX);

  const legend = planLegend(legendEntries(spec), frame.width);
  const colorbars = spec.data.filter((t) => colorbarOwner(t) !== null).length;
  const cbBelow = narrow && colorbars > 0;
  // Below the plot, from the bottom of the figure up: colour bar, legend rows, then the x axis.
  const legendBelowPx = legend.place === 'bottom' ? legend.rows * LEGEND_ROW_PX + 8 : 0;
  const cbBelowPx = cbBelow ? COLORBAR_H_PX : 0;
  const extra = legendBelowPx + cbBelowPx;
  const height = frame.height + extra;

  const given = (spec.layout.margin as Record<string, number> | undefined) ?? {};
  const top = titleBottom + 8 + (legend.place === 'top' ? LEGEND_ROW_PX + 12 : 0);
  const margin = {
    // automargin widens these to fit tick labels and axis titles; a phone starts from less
    l: given.l ?? (narrow ? 40 : 56),
    r: cbBelow ? 10 : (given.r ?? (narrow ? 10 : 16)),
    t: Math.max(top, given.t ?? 0),
    b: (given.b ?? X_AXIS_PX) + extra,
  };

  const axis = (a: Record<string, unknown> | undefined) => ({
    gridcolor: grid,
    zerolinecolor: grid,
    automargin: true,
    // Plotly's default ('hide past div') measures every tick label on every redraw; automargin already
    // keeps labels inside the figure (measured: 2-4 ms of a 12-16 ms what-if redraw).
    ticklabeloverflow: 'allow',
    ...a,
  });
  const legendLayout =
    legend.place === 'bottom'
      ? {
          ...(spec.layout.legend as object | undefined),
          orientation: 'h',
          x: 0,
          xanchor: 'left',
          xref: 'container',
          y: (cbBelowPx + 2) / height,
          yref: 'container',
          yanchor: 'bottom',
          entrywidth: legend.entryWidth,
          entrywidthmode: 'pixels',
        }
      : {
          // One row above the plot, under the title: never on top of the x-axis title.
          ...(spec.layout.legend as object | undefined),
          orientation: 'h',
          x: 0,
          xanchor: 'left',
          y: 1.01,
          yanchor: 'bottom',
        };

  // The colour bar's top: under the x axis and the legend rows, as a fraction of the plot's height.
  const plotPx = Math.max(40, height - margin.t - margin.b);
  const belowAxisPx = (given.b ?? X_AXIS_PX) + legendBelowPx;
  let data = frame.dark ? recolorTraces(spec.data, PALETTE[7], fg) : spec.data;
  // Horizontal bars on a phone: category names wrapped to a third of the width, so the bars keep the rest —
  // when the rows are tall enough for the extra lines (else they would run into each other).
  if (narrow)
    data = data.map((t) => {
      if (t.type !== 'bar' || t.orientation !== 'h' || !Array.isArray(t.y)) return t;
      const y = t.y.map((v) =>
        typeof v === 'string' ? wrapText(v, frame.width * NARROW_LABEL_SHARE, FONT_PX).join('<br>') : v,
      );
      const lines = Math.max(...y.map((v) => (typeof v === 'string' ? v.split('<br>').length : 1)));
      return lines * LABEL_LINE_PX * y.length <= frame.height - 100 ? { ...t, y } : t;
    });
  if (colorbars > 0)
    data = data.map((t) => {
      const owner = colorbarOwner(t);
      if (owner === null) return t;
      const place = (cb: unknown) =>
        cbBelow
          ? horizontalColorbar(
              cb as Record<string, unknown> | undefined,
              -(belowAxisPx + COLORBAR_TITLE_PX) / plotPx,
              frame.width - PLOT_MARGINS_PX,
            )
          : verticalColorbar(cb as Record<string, unknown> | undefined);
      if (owner === 'trace') return { ...t, colorbar: place(t.colorbar) };
      const m = t.marker as Record<string, unknown>;
      return { ...t, marker: { ...m, colorbar: place(m.colorbar) } };
    });

  // A phone wraps the x-axis title to the room either side of the plot's centre (it is centred on the plot,
  // which a wide left margin — long bar labels — pushes right); each extra line deepens the bottom margin.
  let xaxis: Record<string, unknown> = axis(spec.layout.xaxis);
  if (narrow) {
    const labels = data.flatMap((t) =>
      t.type === 'bar' && t.orientation === 'h' && Array.isArray(t.y) ? t.y.map(String) : [],
    );
    const left = Math.max(
      60,
      ...labels.flatMap((v) => v.split('<br>').map((l) => textWidth(l, FONT_PX) + 24)),
    );
    xaxis = wrapAxisTitle(xaxis, Math.max(frame.width / 2, frame.width - 2 * left));
    const lines = String((xaxis.title as { text?: string } | undefined)?.text ?? '').split('<br>').length;
    margin.b += (lines - 1) * LABEL_LINE_PX;
  }
  const layout: Layout = {
    ...spec.layout,
    title: titleText
      ? {
          ...spec.layout.title,
          text: titleLines.join('<br>'),
          x: 0.01,
          xanchor: 'left',
          // plotly lifts a multi-line title anchored at the top by half a line (measured: 2 and 3 lines)
          y: 1 - (6 + (titleLines.length > 1 ? TITLE_LINE_PX / 2 : 0)) / height,
          yref: 'container',
          yanchor: 'top',
          font: { size: TITLE_PX },
        }
      : undefined,
    height,
    autosize: true,
    // The cell's surface colour (app.css --surface), not transparent: a downloaded PNG/SVG of a dark-theme
    // chart keeps the background its light text was drawn for.
    paper_bgcolor: frame.dark ? '#181d23' : '#ffffff',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: 'system-ui, "Noto Sans CJK SC", sans-serif', size: FONT_PX, color: fg },
    margin,
    xaxis: xaxis,
    // A phone drops the title of a categorical y axis (cohort labels, scenario names name themselves): the
    // plot gets its width back (a cohort heatmap at 390 px: 239 -> 265 px).
    yaxis:
      narrow && (spec.layout.yaxis as Record<string, unknown> | undefined)?.type === 'category'
        ? { ...axis(spec.layout.yaxis), title: undefined }
        : axis(spec.layout.yaxis),
    legend: legendLayout,
  };
  if (legend.place !== 'none') layout.showlegend = true;
  const config = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ['lasso2d', 'select2d', ...MODEBAR_ALL.filter((b) => !buttons.includes(b))],
  };
  return { data, layout, config, height };
}
