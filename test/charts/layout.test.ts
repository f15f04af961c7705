import { describe, expect, it } from 'vitest';
import { frameFigure, planLegend, textWidth, wrapText, NARROW_PX } from '../../src/lib/charts/layout.ts';
import { cohortCurves, cohortHeatmap } from '../../src/lib/charts/cohorts.ts';
import { PALETTE, type PlotSpec } from '../../src/lib/charts/types.ts';

const heatmap = cohortHeatmap(
  {
    cohorts: ['a', 'b'],
    values: [
      [10, 5],
      [20, NaN],
    ],
    sizes: [10, 20],
    incomplete: [
      [false, true],
      [true, false],
    ],
    percent: true,
  },
  {
    title: 'Cohort activity by months since first purchase',
    xTitle: 'X',
    yTitle: 'Y',
    valueName: 'Share of cohort active',
    incomplete: 'i',
  },
);
const lines = (names: string[], title = 'Chart'): PlotSpec => ({
  data: names.map((name, i) => ({
    type: 'scatter',
    name,
    x: [0, 1],
    y: [i, i + 1],
    line: { color: PALETTE[i % 8] },
  })),
  layout: { title: { text: title } },
});
type Cb = { orientation?: string; len?: number; yanchor?: string; title: { side: string } };

describe('text estimates', () => {
  it('CJK counts a full em, Latin less; tags are ignored', () => {
    expect(textWidth('收入', 12)).toBe(24);
    expect(textWidth('Revenue', 12)).toBeGreaterThan(35);
    expect(textWidth('Revenue', 12)).toBeLessThan(60);
    expect(textWidth('<b>ab</b>', 10)).toBe(textWidth('ab', 10));
  });
  it('wrapText breaks Latin at spaces and CJK anywhere, never over the width (unless one word is wider)', () => {
    const en = wrapText('Cohort activity by months since first purchase', 200, 14);
    expect(en.length).toBeGreaterThan(1);
    expect(en.join(' ')).toBe('Cohort activity by months since first purchase');
    for (const l of en) expect(textWidth(l, 14)).toBeLessThanOrEqual(200);
    const zh = wrapText('按首次购买后月数的同期群活跃度', 100, 14);
    expect(zh.join('')).toBe('按首次购买后月数的同期群活跃度');
    expect(zh.every((l) => textWidth(l, 14) <= 100)).toBe(true);
    expect(wrapText('a<br>b', 500, 14)).toEqual(['a', 'b']);
  });
});

describe('frameFigure: the toolbar never covers the title', () => {
  for (const width of [340, 390, 560, 1134]) {
    it(`at ${width} px every title line fits beside the toolbar`, () => {
      const f = frameFigure(heatmap, { width, height: 380, dark: false });
      const kept = [
        'zoom2d',
        'pan2d',
        'resetScale2d',
        'toImage',
        'zoomIn2d',
        'zoomOut2d',
        'autoScale2d',
      ].filter((b) => !(f.config.modeBarButtonsToRemove as string[]).includes(b));
      const toolbar = 48 + 24 * kept.length; // measured in Chromium (7 buttons = 216 px, 3 = 120 px)
      const title = (f.layout.title as { text: string }).text;
      for (const line of title.split('<br>'))
        expect(textWidth(line, 14)).toBeLessThanOrEqual(width - 12 - toolbar);
      // the plot starts below the title lines and the toolbar (36 px)
      const t = (f.layout.margin as { t: number }).t;
      expect(t).toBeGreaterThanOrEqual(Math.max(36, title.split('<br>').length * 18));
    });
  }
  it('a phone keeps zoom, pan and reset (PNG/SVG buttons under the chart download)', () => {
    const removed = frameFigure(heatmap, { width: 390, height: 380, dark: false }).config
      .modeBarButtonsToRemove;
    expect(removed).toEqual(expect.arrayContaining(['toImage', 'zoomIn2d', 'zoomOut2d', 'autoScale2d']));
    expect(removed).not.toContain('zoom2d');
    expect(
      frameFigure(heatmap, { width: 1134, height: 380, dark: false }).config.modeBarButtonsToRemove,
    ).toEqual(['lasso2d', 'select2d']);
  });
});

describe('frameFigure: colour bars and legends', () => {
  it(`under ${NARROW_PX} px the heatmap colour bar lies under the plot and the figure grows instead of the plot shrinking`, () => {
    const f = frameFigure(heatmap, { width: 390, height: 380, dark: false });
    const cb = f.data[0].colorbar as Cb;
    expect(cb).toMatchObject({ orientation: 'h', len: 1, yanchor: 'top' });
    expect(cb.title.side).toBe('top');
    expect(f.height).toBeGreaterThan(380);
    // the plot keeps (almost) all its width: only the default side margins
    const m = f.layout.margin as { l: number; r: number };
    expect(390 - m.l - m.r).toBeGreaterThan(250);
    expect(f.data[1].colorbar).toBeUndefined(); // the grey trace has no scale
  });
  it('on a wide frame the colour bar stays beside the plot, its title along the bar', () => {
    const f = frameFigure(heatmap, { width: 1134, height: 380, dark: false });
    const cb = f.data[0].colorbar as Cb;
    expect(cb.orientation).toBeUndefined();
    expect(cb.title.side).toBe('right');
    expect(f.height).toBe(380);
  });
  it('cohort colour bar ticks are thinned to fit a phone', () => {
    const n = 18;
    const input = {
      cohorts: Array.from({ length: n }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`),
      values: Array.from({ length: n }, () => [100, 50, 20]),
      sizes: Array.from({ length: n }, () => 100),
      incomplete: Array.from({ length: n }, () => [false, false, false]),
      percent: true,
    };
    const spec = cohortCurves(input, {
      title: 't',
      xTitle: 'x',
      yTitle: 'Cohort',
      valueName: 'v',
      incomplete: 'i',
    });
    const f = frameFigure(spec, { width: 390, height: 320, dark: false });
    const bar = f.data.find((t) => (t.marker as { showscale?: boolean } | undefined)?.showscale)!;
    const cb = (bar.marker as { colorbar: { ticktext: string[]; orientation: string } }).colorbar;
    expect(cb.orientation).toBe('h');
    expect(cb.ticktext.length).toBeLessThanOrEqual(4);
    expect(cb.ticktext[0]).toBe('2023-01');
    expect(cb.ticktext[cb.ticktext.length - 1]).toBe('2023-18');
  });
  it('a short legend sits in one row under the title; a long one goes below the plot in columns and adds its height', () => {
    expect(planLegend(['Actual', 'Model'], 1134)).toEqual({ place: 'top', rows: 1, entryWidth: 0 });
    const names = Array.from({ length: 12 }, (_, i) => `Cohort Month ${i * 5}–${i * 5 + 4}`);
    const plan = planLegend(names, 390);
    expect(plan.place).toBe('bottom');
    expect(plan.rows).toBeGreaterThanOrEqual(6);
    const f = frameFigure(lines(names), { width: 390, height: 300, dark: false });
    const legend = f.layout.legend as { yref: string; yanchor: string; entrywidth: number };
    expect(legend).toMatchObject({ yref: 'container', yanchor: 'bottom' });
    expect(legend.entrywidth).toBe(plan.entryWidth);
    expect(f.height).toBe(300 + plan.rows * 20 + 8);
    expect((f.layout.margin as { b: number }).b).toBe(48 + plan.rows * 20 + 8);
    // a single trace has no legend, as in plotly
    expect(
      frameFigure(lines(['only']), { width: 390, height: 300, dark: false }).layout.showlegend,
    ).toBeUndefined();
  });
  it('dark theme: palette black is drawn in the text colour, the background is the cell surface', () => {
    const f = frameFigure(lines(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), {
      width: 1134,
      height: 300,
      dark: true,
    });
    expect((f.data[7].line as { color: string }).color).toBe('#e6edf3');
    expect(f.layout.paper_bgcolor).toBe('#181d23');
  });
});

describe('wrapText keeps markup whole', () => {
  it('never breaks inside a tag', () => {
    const out = wrapText('a <span style="font-size:11px">bb cc dd</span>', 30, 12);
    for (const line of out) expect(line.split('<').length).toBe(line.split('>').length);
  });
});
