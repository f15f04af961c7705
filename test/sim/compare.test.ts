import { describe, expect, it } from 'vitest';
import {
  brentRoot,
  compareScenarios,
  retentionPointsForAovIncrease,
  solveEquivalence,
  tornado,
  TORNADO_LEVERS,
} from '../../src/lib/sim/compare.ts';
import { whatIfMetrics } from '../../src/lib/sim/unitEconomics.ts';

describe('compareScenarios', () => {
  it('deterministic deltas are variant minus baseline; the baseline row is all zeros', () => {
    const cmp = compareScenarios(
      { averageOrderValue: 50 },
      [{ averageOrderValue: 55 }, { acquisitionCost: 40 }],
      null,
    );
    expect(cmp.rows).toHaveLength(3);
    const [b, v1, v2] = cmp.rows;
    expect(b.deltas.clv.value).toBe(0);
    expect(v1.deltas.clv.value).toBeCloseTo(v1.metrics.clvModel - b.metrics.clvModel, 12);
    expect(v1.inputs.averageOrderValue).toBe(55);
    expect(v2.inputs.averageOrderValue).toBe(50); // variants override the baseline, not the defaults
    expect(v2.deltas.clv.value).toBeCloseTo(0, 12);
    expect(v2.deltas.ltvToCac.value).toBeCloseTo(b.metrics.clvModel / 40 - b.metrics.clvModel / 80, 12);
    expect(v1.intervals).toBeNull();
    expect(v1.deltas.clv.p50).toBeNull();
  });

  it('at most four variants; extra ones are reported as truncated', () => {
    const cmp = compareScenarios({}, [{}, {}, {}, {}, {}, {}], null);
    expect(cmp.rows).toHaveLength(5);
    expect(cmp.truncated).toBe(true);
  });

  it("paired Monte Carlo: AOV +10% scales every world's CLV by exactly 1.1, so the delta interval is 0.1 × CLV", () => {
    // Same seed => same customers (common random numbers); AOV enters every spend draw as a scale factor, so the
    // per-world delta is 0.1 × baseline CLV. A simulator whose variant runs re-shuffle the noise fails this.
    const cmp = compareScenarios({ programmeCostPerCustomerPerPeriod: 0 }, [{ averageOrderValue: 66 }], {
      seed: 5,
      customers: 2000,
      worlds: 50,
    });
    const base = cmp.rows[0].intervals;
    const d = cmp.rows[1].deltas.clv;
    expect(base).not.toBeNull();
    expect(d.p50 ?? NaN).toBeCloseTo(0.1 * (base?.clv.p50 ?? NaN), 8);
    expect(d.p10 ?? NaN).toBeCloseTo(0.1 * (base?.clv.p10 ?? NaN), 8);
  });

  it('paired Monte Carlo: higher retention gives a positive CLV delta in (nearly) every world', () => {
    const cmp = compareScenarios({}, [{ retentionPerPeriod: 0.93 }], {
      seed: 6,
      customers: 4000,
      worlds: 80,
    });
    const d = cmp.rows[1].deltas.clv;
    expect(d.p10 ?? -1).toBeGreaterThan(0);
  });
});

describe('tornado', () => {
  const t = tornado({ programmeCostPerCustomerPerPeriod: 0 });

  it('has one bar per default lever, ranked by swing, largest first', () => {
    expect(t.bars.map((b) => b.lever)).toEqual([...TORNADO_LEVERS]);
    for (let i = 1; i < t.rankedByClv.length; i++)
      expect(t.rankedByClv[i - 1].clvSwing).toBeGreaterThanOrEqual(t.rankedByClv[i].clvSwing);
    for (let i = 1; i < t.rankedByLtvToCac.length; i++) {
      expect(t.rankedByLtvToCac[i - 1].ltvToCacSwing).toBeGreaterThanOrEqual(
        t.rankedByLtvToCac[i].ltvToCacSwing,
      );
    }
  });

  it('AOV ±10%: CLV moves by ±10% (CLV is linear in AOV when programme cost is 0)', () => {
    const aov = t.bars.find((b) => b.lever === 'averageOrderValue');
    expect(aov?.clvHigh).toBeCloseTo(1.1 * t.baseline.clvModel, 9);
    expect(aov?.clvLow).toBeCloseTo(0.9 * t.baseline.clvModel, 9);
    expect(aov?.clvSwing).toBeCloseTo(0.2 * t.baseline.clvModel, 9);
  });

  it('CAC ±10% leaves CLV alone and moves LTV:CAC to CLV/(1.1·CAC) and CLV/(0.9·CAC)', () => {
    const cac = t.bars.find((b) => b.lever === 'acquisitionCost');
    expect(cac?.clvSwing).toBe(0);
    expect(cac?.ltvToCacHigh).toBeCloseTo(t.baseline.clvModel / 88, 12);
    expect(cac?.ltvToCacLow).toBeCloseTo(t.baseline.clvModel / 72, 12);
  });

  it('retention moves churn by ∓10% by default, and retention itself when asked', () => {
    const r = t.bars.find((b) => b.lever === 'retentionPerPeriod');
    expect(r?.highValue).toBeCloseTo(1 - 0.1 * 0.9, 12);
    expect(r?.lowValue).toBeCloseTo(1 - 0.1 * 1.1, 12);
    const t2 = tornado({ retentionPerPeriod: 0.5 }, { retentionAs: 'retention', relativeChange: 0.2 });
    const r2 = t2.bars.find((b) => b.lever === 'retentionPerPeriod');
    expect(r2?.highValue).toBeCloseTo(0.6, 12);
    expect(r2?.lowValue).toBeCloseTo(0.4, 12);
  });
});

describe('equivalence solver', () => {
  it('brentRoot finds √2 to 1e-12', () => {
    const [x, , ok] = brentRoot((v) => v * v - 2, 0, 2, 1e-12);
    expect(ok).toBe(true);
    expect(Math.abs(x - Math.SQRT2)).toBeLessThan(1e-11);
  });

  it('hand-derived: with r = 0.9, no discount and a 50-year horizon, AOV +10% = 1 − 0.1/1.1 retention (0.90909 points)', () => {
    // CLV ≈ m/(1 − r) (0.9^600 ≈ 2e-28 is negligible): 1.1·m/(1 − r) = m/(1 − r') => 1 − r' = 0.1/1.1.
    const inputs = {
      retentionPerPeriod: 0.9,
      retentionHeterogeneity: 0,
      annualDiscountRate: 0,
      horizonMonths: 600,
      programmeCostPerCustomerPerPeriod: 0,
    };
    const res = solveEquivalence(inputs, {
      change: { lever: 'averageOrderValue', relativeChange: 0.1 },
      solveFor: 'retentionPerPeriod',
    });
    expect(res.converged).toBe(true);
    expect(res.requiredValue ?? NaN).toBeCloseTo(1 - 0.1 / 1.1, 8);
    expect(res.requiredChangePoints ?? NaN).toBeCloseTo(100 * (0.1 - 0.1 / 1.1), 6);
    expect(retentionPointsForAovIncrease(inputs)).toBeCloseTo(res.requiredChangePoints ?? NaN, 12);
  });

  it('the solved retention reproduces the target CLV (heterogeneous model, default inputs)', () => {
    const res = solveEquivalence(
      {},
      { change: { lever: 'averageOrderValue', relativeChange: 0.1 }, solveFor: 'retentionPerPeriod' },
    );
    expect(res.requiredValue).not.toBeNull();
    const clv = whatIfMetrics({ retentionPerPeriod: res.requiredValue ?? 0 }).clvModel;
    expect(Math.abs(clv - res.targetMetric) / res.targetMetric).toBeLessThan(1e-7);
  });

  it('solves downward levers too: CAC that matches a 10% AOV increase in LTV:CAC is CAC/1.1', () => {
    const res = solveEquivalence(
      { programmeCostPerCustomerPerPeriod: 0 },
      {
        change: { lever: 'averageOrderValue', relativeChange: 0.1 },
        solveFor: 'acquisitionCost',
        metric: 'ltvToCac',
      },
    );
    expect(res.requiredValue ?? NaN).toBeCloseTo(80 / 1.1, 6);
  });

  it('unreachable targets return null with a message', () => {
    const res = solveEquivalence(
      {},
      { change: { lever: 'averageOrderValue', relativeChange: 100 }, solveFor: 'winBackRatePerPeriod' },
    );
    expect(res.requiredValue).toBeNull();
    expect(res.message).toMatch(/no value of winBackRatePerPeriod/);
  });
});
