import { describe, expect, it } from 'vitest';
import {
  aliveChart,
  clvThreeWaysChart,
  comparisonChart,
  cumulativeCashChart,
  fanChart,
  layerCake,
  rgba,
  SIM_LABELS_EN,
  SIM_LABELS_ZH,
  tornadoChart,
} from '../../src/lib/charts/simCharts.ts';
import { PALETTE, type PlotSpec } from '../../src/lib/charts/types.ts';
import { computeWhatIf } from '../../src/lib/sim/unitEconomics.ts';
import { runMonteCarlo } from '../../src/lib/sim/monteCarlo.ts';
import { compareScenarios, tornado } from '../../src/lib/sim/compare.ts';

const det = computeWhatIf({ horizonMonths: 36, retentionHeterogeneity: 0.3 });
const mc = runMonteCarlo(
  { horizonMonths: 36, retentionHeterogeneity: 0.3 },
  { seed: 1, customers: 1000, worlds: 20 },
);

/** Title, axis titles, only finite numbers, and only palette colours (or translucent versions of them). */
/** Title, axis titles (the value axis, `valueAxis`, must name its unit), palette colours, finite numbers. */
function expectReadable(spec: PlotSpec, valueAxis: 'x' | 'y' = 'y'): void {
  expect(spec.layout.title?.text.length ?? 0).toBeGreaterThan(0);
  const x = spec.layout.xaxis as { title?: { text: string } } | undefined;
  const y = spec.layout.yaxis as { title?: { text: string } } | undefined;
  expect(typeof x?.title?.text).toBe('string');
  expect(typeof y?.title?.text).toBe('string');
  expect((valueAxis === 'y' ? y : x)?.title?.text.length ?? 0).toBeGreaterThan(0);
  const json = JSON.stringify(spec);
  expect(json).not.toMatch(/NaN|Infinity|null,null/);
  const allowed = new Set<string>([...PALETTE, ...PALETTE.map((c) => c.toLowerCase())]);
  for (const m of json.matchAll(/#[0-9A-Fa-f]{6}/g)) expect(allowed.has(m[0])).toBe(true);
  for (const t of spec.data)
    for (const v of Object.values(t))
      if (Array.isArray(v))
        for (const n of v) if (typeof n === 'number') expect(Number.isFinite(n)).toBe(true);
}

describe('simulator chart builders', () => {
  it('fan chart: band, median and expectation, money axis names the currency', () => {
    const spec = fanChart(mc, det, 'USD');
    expectReadable(spec);
    expect(spec.data).toHaveLength(4);
    expect((spec.layout.yaxis as { title: { text: string } }).title.text).toContain('USD');
    expect(spec.data[1].fill).toBe('tonexty');
  });
  it('cumulative cash: per customer and per cohort on two axes', () => {
    const spec = cumulativeCashChart(det, 'CNY');
    expectReadable(spec);
    expect(spec.data[1].yaxis).toBe('y2');
  });
  it('layer cake: at most maxLayers stacked layers whose sum is the revenue total', () => {
    const spec = layerCake(det, 'EUR', undefined, 12);
    expectReadable(spec);
    expect(spec.data.length).toBeLessThanOrEqual(12);
    const t = 30;
    const sum = spec.data.reduce((s, tr) => s + (tr.y as number[])[t], 0);
    expect(sum).toBeCloseTo(det.revenueTotal[t], 6);
  });
  it('alive chart: percentage axis, model vs constant churn, band when Monte Carlo is given', () => {
    const spec = aliveChart(det, mc);
    expectReadable(spec);
    expect(spec.data).toHaveLength(4);
    expect(aliveChart(det, null).data).toHaveLength(2);
  });
  it('CLV three ways: three bars in the order textbook, constant churn, model', () => {
    const spec = clvThreeWaysChart(det, 'BRL');
    expectReadable(spec, 'x');
    // horizontal bars, drawn bottom-up: model, constant churn, textbook (textbook on top)
    expect(spec.data[0].x).toEqual([det.clvModel, det.clvConstantChurn, det.clvTextbook]);
    expect((spec.data[0].y as string[])[2]).toBe(SIM_LABELS_EN.clvTextbook.replace(' (', '<br>('));
  });
  it('tornado: largest swing drawn on top (last in plotly order), Chinese labels when given', () => {
    const t = tornado({});
    const spec = tornadoChart(t, 'clv', 'USD', SIM_LABELS_ZH);
    expectReadable(spec);
    const names = spec.data[0].y as string[];
    expect(names[names.length - 1]).toBe(SIM_LABELS_ZH.levers[t.rankedByClv[0].lever]);
    expect(spec.layout.title?.text).toContain('±10%');
    expectReadable(tornadoChart(t, 'ltvToCac', 'USD'));
  });
  it('comparison: bars with P10–P90 whiskers from the paired Monte Carlo', () => {
    const cmp = compareScenarios({}, [{ averageOrderValue: 70 }], { seed: 1, customers: 1000, worlds: 20 });
    const spec = comparisonChart(cmp, ['Baseline', 'AOV 70'], 'USD', SIM_LABELS_EN);
    expectReadable(spec);
    expect(spec.data[0].error_y).toBeDefined();
    expect(comparisonChart(compareScenarios({}, [{}], null), [], 'USD').data[0].error_y).toBeUndefined();
  });
  it('rgba("#0072B2", 0.2) = "rgba(0,114,178,0.2)"', () => {
    expect(rgba('#0072B2', 0.2)).toBe('rgba(0,114,178,0.2)');
  });
});
