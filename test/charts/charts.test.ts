import { describe, expect, it } from 'vitest';
import { cohortHeatmap, cohortCell } from '../../src/lib/charts/cohorts.ts';
import { clvDistribution } from '../../src/lib/charts/forecast.ts';
import { conditionalChart, survivalChart, trackingChart } from '../../src/lib/charts/models.ts';
import { PALETTE, recolorTraces } from '../../src/lib/charts/types.ts';

const labels = { title: 'T', xTitle: 'X', yTitle: 'Y', valueName: 'V', incomplete: 'inc' };
const input = {
  cohorts: ['a', 'b'],
  values: [
    [10, 5, 2],
    [20, 4],
  ],
  sizes: [10, 20],
  incomplete: [
    [false, false, true],
    [false, true],
  ],
  percent: true,
};

describe('cohort heatmap', () => {
  it('shows shares of the cohort size and moves incomplete periods to the grey trace', () => {
    const spec = cohortHeatmap(input, labels);
    const z = spec.data[0].z as Array<Array<number | null>>;
    const zInc = spec.data[1].z as Array<Array<number | null>>;
    expect(z[0]).toEqual([1, 0.5, null]);
    expect(zInc[0]).toEqual([null, null, 0.2]);
    expect(z[1]).toEqual([1, null, null]);
    expect(zInc[1][1]).toBeCloseTo(0.2);
  });
  it('carries a title, axis titles and a hover template with the value', () => {
    const spec = cohortHeatmap(input, labels);
    expect(spec.layout.title?.text).toBe('T');
    expect((spec.layout.xaxis!.title as { text: string }).text).toBe('X');
    expect(String(spec.data[0].hovertemplate)).toContain('%{z');
  });
  it('cohortCell returns raw counts when percent is off', () => {
    expect(cohortCell({ ...input, percent: false }, 0, 1)).toBe(5);
  });
});

describe('forecast and what-if charts', () => {
  it("the CLV histogram draws the worker's bins as bars and marks the mean", () => {
    const spec = clvDistribution(
      { start: 0, size: 25, counts: [3, 1], p99: 40, above: 0, mean: 20 },
      { title: 't', xTitle: 'x', yTitle: 'y', mean: 'm', currencySymbol: '$', range: (a, b) => `${a}-${b}` },
    );
    expect(spec.data[0].x).toEqual([12.5, 37.5]);
    expect(spec.data[0].y).toEqual([3, 1]);
    expect(spec.data[0].text).toEqual(['0-25', '25-50']);
    expect((spec.layout.shapes as Array<{ x0: number }>)[0].x0).toBe(20);
  });
  it('the CLV histogram says under its axis how many customers lie beyond the P99 cut', () => {
    const l = { title: 't', xTitle: 'CLV', yTitle: 'y', mean: 'm', currencySymbol: '$' };
    const cut = clvDistribution(
      { start: 0, size: 25, counts: [3, 1], p99: 989.01, above: 10, mean: 20 },
      { ...l, clipped: (n, p99) => `${n} above ${p99.toFixed(2)}` },
    );
    expect((cut.layout.xaxis as { title: { text: string } }).title.text).toContain('10 above 989.01');
    const none = clvDistribution(
      { start: 0, size: 1, counts: [3], p99: 1, above: 0, mean: 1 },
      { ...l, clipped: () => 'cut' },
    );
    expect((none.layout.xaxis as { title: { text: string } }).title.text).toBe('CLV');
  });
  it('survival and tracking charts use the colour-blind-safe palette; tracking differences cumulative input when incremental', () => {
    const s = survivalChart(
      { observed: [1, 0.5], model: [1, 0.6], constant: [1, 0.5] },
      { title: '', xTitle: '', yTitle: '', observed: 'o', model: 'm', constant: 'c' },
    );
    expect(PALETTE).toContain((s.data[1].line as { color: string }).color);
    const l = { title: '', xTitle: '', yTitle: '', actual: 'a', predicted: 'p' };
    const input = { period: [1, 2, 3], actual: [1, 3, 6], predicted: [1, 2, 3], calibrationEnd: 2 };
    expect(trackingChart(input, true, l).data[0].y).toEqual([1, 3, 6]);
    expect(trackingChart(input, false, l).data[0].y).toEqual([1, 2, 3]);
    expect(trackingChart(input, false, l).data[1].y).toEqual([1, 1, 1]);
    // the split line is labelled when a label is given
    const labelled = trackingChart(input, true, { ...l, split: 'end of calibration' });
    expect(labelled.layout.annotations).toMatchObject([{ x: 2, text: 'end of calibration' }]);
  });
  it('conditional expectations: the pooled top group reads "7+" (engine groups 7 and above), others as numbers', () => {
    const l = { title: '', xTitle: '', yTitle: '', actual: 'a', predicted: 'p' };
    const c = {
      frequency: [0, 1, 7],
      actual: [0.2, 0.6, 6.4],
      predicted: [0.2, 0.5, 6.1],
      customers: [1411, 439, 54],
    };
    expect(conditionalChart(c, l, true).data[0].x).toEqual(['0', '1', '7+']);
    expect(conditionalChart(c, l, true).data[0].customdata).toEqual([1411, 439, 54]);
    // BG/BB frequency fit: plain counts, nothing pooled
    expect(conditionalChart(c, l).data[0].x).toEqual(['0', '1', '7']);
  });
});

describe('recolorTraces (dark theme)', () => {
  it('replaces the palette black in nested colours and colour arrays, leaves numbers and other colours', () => {
    const data = [
      { type: 'scatter', line: { color: '#000000', width: 2 }, y: [1, 2] },
      { type: 'bar', marker: { color: [PALETTE[0], '#000000'] }, x: ['a', 'b'] },
    ];
    const out = recolorTraces(data, PALETTE[7], '#e6edf3');
    expect(out[0]).toEqual({ type: 'scatter', line: { color: '#e6edf3', width: 2 }, y: [1, 2] });
    expect(out[1]).toEqual({ type: 'bar', marker: { color: [PALETTE[0], '#e6edf3'] }, x: ['a', 'b'] });
    expect(data[0].line?.color).toBe('#000000'); // input untouched
  });
});
