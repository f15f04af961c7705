import { describe, expect, it } from 'vitest';
import {
  COHORT_SCALE,
  FEW_COHORTS,
  cohortCurves,
  cohortHeatmap,
  pooledCurve,
  scaleColor,
  type CohortChartInput,
} from '../../src/lib/charts/cohorts.ts';
import { PALETTE, type Trace } from '../../src/lib/charts/types.ts';

const labels = {
  title: 'T',
  xTitle: 'X',
  yTitle: 'Cohort',
  valueName: 'V',
  incomplete: 'inc',
  average: 'All',
};

/** n monthly cohorts observed until the middle of a month: cohort i has periods 0..n-1-i, the last incomplete. */
function staircase(n: number): CohortChartInput {
  const values = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, k) => (k <= n - 1 - i ? (k === 0 ? 100 : 40 - k) : NaN)),
  );
  return {
    cohorts: Array.from({ length: n }, (_, i) => `c${String(i).padStart(2, '0')}`),
    values,
    sizes: values.map(() => 100),
    incomplete: values.map((row, i) => row.map((_, k) => k >= n - 1 - i)),
    percent: true,
  };
}
const cohortTraces = (data: Trace[]) => data.filter((t) => String(t.name ?? '').startsWith('c'));

describe('cohort curves: censored cells are gaps', () => {
  it('the partly observed last period and unobserved periods are null (never 0), complete ones are drawn', () => {
    const spec = cohortCurves(staircase(4), labels);
    const first = cohortTraces(spec.data)[0];
    // cohort 0: periods 0..2 complete, period 3 is the month the data stop in
    expect(first.y).toEqual([1, 0.39, 0.38, null]);
    expect(first.connectgaps).toBe(false);
    const third = cohortTraces(spec.data)[2];
    expect(third.y).toEqual([1, null, null, null]);
    // no drawn point of any cohort is a collapse to zero
    for (const t of cohortTraces(spec.data)) expect((t.y as Array<number | null>).includes(0)).toBe(false);
  });
  it('the heatmap keeps incomplete cells on the grey trace, marked "…" only there', () => {
    const spec = cohortHeatmap(staircase(3), labels);
    const grey = spec.data[1];
    expect(grey.z).toEqual([
      [null, null, 0.38],
      [null, 0.39, null],
      [1, null, null],
    ]);
    expect(grey.text).toEqual([
      ['', '', '…'],
      ['', '…', ''],
      ['…', '', ''],
    ]);
  });
  it('the all-cohorts curve is size-weighted over complete cells only', () => {
    const input: CohortChartInput = {
      cohorts: ['a', 'b'],
      values: [
        [10, 5, 2],
        [20, 4, NaN],
      ],
      sizes: [10, 20],
      incomplete: [
        [false, false, false],
        [false, false, true],
      ],
      percent: true,
    };
    expect(pooledCurve(input)).toEqual([1, 0.3, 0.2]);
  });
});

describe('cohort curves: colours and legend', () => {
  it(`up to ${FEW_COHORTS} cohorts: palette colours, each in the legend`, () => {
    const spec = cohortCurves(staircase(FEW_COHORTS), labels);
    const colours = cohortTraces(spec.data).map((t) => (t.line as { color: string }).color);
    expect(colours).toEqual(PALETTE.slice(0, FEW_COHORTS));
    expect(cohortTraces(spec.data).every((t) => t.showlegend !== false)).toBe(true);
  });
  it('18 cohorts: 18 distinct colours ordered by age on the sequential scale, a colour bar naming cohorts, no 18-entry legend', () => {
    const spec = cohortCurves(staircase(18), labels);
    const traces = cohortTraces(spec.data);
    expect(traces).toHaveLength(18);
    const colours = traces.map((t) => (t.line as { color: string }).color);
    expect(new Set(colours).size).toBe(18);
    expect(colours[0]).toBe(COHORT_SCALE[0][1]);
    expect(colours[17]).toBe(COHORT_SCALE[COHORT_SCALE.length - 1][1]);
    expect(traces.every((t) => t.showlegend === false)).toBe(true);
    const bar = spec.data.find((t) => (t.marker as { showscale?: boolean } | undefined)?.showscale === true);
    const cb = (bar!.marker as { colorbar: { ticktext: string[]; tickvals: number[] } }).colorbar;
    expect(cb.ticktext[0]).toBe('c00');
    expect(cb.ticktext[cb.ticktext.length - 1]).toBe('c17');
    expect(cb.tickvals.length).toBeLessThanOrEqual(6);
    // the legend holds only the all-cohorts curve
    const legend = spec.data.filter((t) => t.showlegend !== false && t.name !== undefined);
    expect(legend.map((t) => t.name)).toEqual(['All']);
  });
  it('scaleColor interpolates between stops', () => {
    expect(
      scaleColor(
        [
          [0, '#000000'],
          [1, '#ffffff'],
        ],
        0.5,
      ),
    ).toBe('#808080');
    expect(scaleColor(COHORT_SCALE, 2)).toBe(COHORT_SCALE[4][1]);
  });
});

describe('cohort charts follow the measure', () => {
  it('revenue: money axis and title as given, no % format; shares: % axis', () => {
    const revenue = {
      ...staircase(3),
      values: [
        [500, 200, 50],
        [400, 100, NaN],
        [300, NaN, NaN],
      ],
      share: false,
    };
    const rl = {
      ...labels,
      title: 'Revenue per acquired customer, by cohort',
      valueName: 'Revenue per acquired customer (CNY)',
    };
    const spec = cohortCurves(revenue, rl);
    expect(spec.layout.title?.text).toBe(rl.title);
    const y = spec.layout.yaxis as { title: { text: string }; tickformat: string };
    expect(y.title.text).toBe('Revenue per acquired customer (CNY)');
    expect(y.tickformat).not.toContain('%');
    expect(String(spec.data[0].hovertemplate)).not.toContain('%}');
    const heat = cohortHeatmap(revenue, rl);
    const cb = heat.data[0].colorbar as { title: { text: string }; tickformat: string };
    expect(cb.title.text).toBe('Revenue per acquired customer (CNY)');
    expect(cb.tickformat).not.toContain('%');
    const shares = cohortCurves(staircase(3), labels);
    expect((shares.layout.yaxis as { tickformat: string }).tickformat).toBe('.0%');
  });
});
