import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeWhatIf, whatIfMetrics } from '../../src/lib/sim/unitEconomics.ts';
import { normalizeInputs, type WhatIfInputs } from '../../src/lib/sim/inputs.ts';
import { quantileSorted } from '../../src/lib/sim/quantile.ts';
import { quantilesInPlace } from '../../src/lib/sim/quantile.ts';

/** Arbitrary valid inputs with non-negative contribution (programme cost <= gross margin per period). */
const inputsArb: fc.Arbitrary<WhatIfInputs> = fc
  .record({
    retentionPerPeriod: fc.double({ min: 0, max: 0.995, noNaN: true }),
    retentionHeterogeneity: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 0.95, noNaN: true })),
    purchasesPerYear: fc.double({ min: 0.1, max: 52, noNaN: true }),
    averageOrderValue: fc.double({ min: 1, max: 5000, noNaN: true }),
    grossMarginPct: fc.double({ min: 1, max: 100, noNaN: true }),
    acquisitionCost: fc.double({ min: 1, max: 10_000, noNaN: true }),
    annualDiscountRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
    horizonMonths: fc.integer({ min: 1, max: 120 }),
    newCustomersPerPeriod: fc.integer({ min: 0, max: 10_000 }),
    costShare: fc.double({ min: 0, max: 1, noNaN: true }),
    winBackRatePerPeriod: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
    periodMonths: fc.constantFrom(1, 3, 12),
  })
  .map(({ costShare, ...x }) => {
    const gross =
      ((x.purchasesPerYear * x.periodMonths) / 12) * x.averageOrderValue * (x.grossMarginPct / 100);
    return normalizeInputs({ ...x, programmeCostPerCustomerPerPeriod: costShare * gross });
  });

// Relative slack for "monotone" comparisons: the recursions are not bit-monotone under rounding.
const slack = (x: number): number => 1e-9 * (1 + Math.abs(x));

describe('what-if properties (fast-check)', () => {
  it('CLV is non-increasing in the discount rate', () => {
    fc.assert(
      fc.property(
        inputsArb,
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (x, d1, d2) => {
          const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
          const a = whatIfMetrics({ ...x, annualDiscountRate: lo });
          const b = whatIfMetrics({ ...x, annualDiscountRate: hi });
          expect(b.clvModel).toBeLessThanOrEqual(a.clvModel + slack(a.clvModel));
          expect(b.clvConstantChurn).toBeLessThanOrEqual(a.clvConstantChurn + slack(a.clvConstantChurn));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('CLV is non-decreasing in retention (contribution >= 0)', () => {
    fc.assert(
      fc.property(
        inputsArb,
        fc.double({ min: 0, max: 0.995, noNaN: true }),
        fc.double({ min: 0, max: 0.995, noNaN: true }),
        (x, r1, r2) => {
          const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
          const a = whatIfMetrics({ ...x, retentionPerPeriod: lo });
          const b = whatIfMetrics({ ...x, retentionPerPeriod: hi });
          expect(b.clvModel).toBeGreaterThanOrEqual(a.clvModel - slack(a.clvModel));
          expect(b.clvConstantChurn).toBeGreaterThanOrEqual(a.clvConstantChurn - slack(a.clvConstantChurn));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('LTV:CAC = CLV / CAC', () => {
    fc.assert(
      fc.property(inputsArb, (x) => {
        const m = whatIfMetrics(x);
        expect(m.ltvToCac).not.toBeNull();
        expect(m.ltvToCac ?? NaN).toBeCloseTo(m.clvModel / x.acquisitionCost, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('payback month is where cumulative cash per customer crosses zero (null = never within the horizon)', () => {
    fc.assert(
      fc.property(inputsArb, (x) => {
        const res = computeWhatIf(x);
        const cum = res.cumulativeCashPerCustomer;
        const pm = x.periodMonths;
        const p = res.paybackMonths;
        if (p === null) {
          for (let k = 0; k <= res.periods; k++) expect(cum[k]).toBeLessThan(0);
          return;
        }
        const k = Math.ceil(p / pm - 1e-12); // first period index (after k periods) at or past the crossing
        expect(cum[k]).toBeGreaterThanOrEqual(-1e-9 * (1 + x.acquisitionCost));
        for (let j = 0; j < k; j++) expect(cum[j]).toBeLessThan(0);
        // Interpolation is inside the crossing period.
        expect(p).toBeGreaterThan((k - 1) * pm - 1e-9);
        expect(p).toBeLessThanOrEqual(k * pm + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it("steady-acquisition break-even never comes before one cohort's payback (contribution >= 0)", () => {
    fc.assert(
      fc.property(inputsArb, (x) => {
        const m = whatIfMetrics(x);
        if (m.breakEvenMonth !== null) {
          expect(m.paybackMonths).not.toBeNull();
          expect(m.breakEvenMonth).toBeGreaterThanOrEqual((m.paybackMonths ?? Infinity) - 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('CLV is non-decreasing in the horizon (contribution >= 0)', () => {
    fc.assert(
      fc.property(inputsArb, fc.integer({ min: 1, max: 120 }), (x, h2) => {
        const [lo, hi] = x.horizonMonths <= h2 ? [x.horizonMonths, h2] : [h2, x.horizonMonths];
        expect(whatIfMetrics({ ...x, horizonMonths: hi }).clvModel).toBeGreaterThanOrEqual(
          whatIfMetrics({ ...x, horizonMonths: lo }).clvModel - 1e-9,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('heterogeneity 0 makes the model value equal the closed-form constant-churn value', () => {
    fc.assert(
      fc.property(inputsArb, (x) => {
        const m = whatIfMetrics({ ...x, retentionHeterogeneity: 0 });
        expect(m.clvModel).toBeCloseTo(m.clvConstantChurn, 6);
        expect(Math.abs(m.clvModel - m.clvConstantChurn)).toBeLessThanOrEqual(
          1e-9 * (1 + Math.abs(m.clvModel)),
        );
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('a tiny discount rate keeps full precision (fast-check counterexample, annual rate 5.2e-10)', () => {
    // (1 + d)^k − 1 and (1 − v^T)/(1 − v) lost ~6 digits here before expm1/log1p; now the closed form and
    // the period-by-period sum agree to rounding.
    const m = whatIfMetrics({
      retentionPerPeriod: 0,
      retentionHeterogeneity: 0,
      purchasesPerYear: 0.22277244596144438,
      averageOrderValue: 1.0000000000000022,
      grossMarginPct: 99.99999687075606,
      acquisitionCost: 1,
      annualDiscountRate: 5.213177667329206e-10,
      horizonMonths: 118,
      winBackRatePerPeriod: 0.2999999849073897,
      periodMonths: 1,
    });
    expect(Math.abs(m.clvModel - m.clvConstantChurn)).toBeLessThanOrEqual(1e-13 * m.clvModel);
  });

  it('d = 0, margin 100%: the perpetuity step equals the textbook value (lifetime 1/churn)', () => {
    fc.assert(
      fc.property(inputsArb, (x) => {
        const m = whatIfMetrics({
          ...x,
          annualDiscountRate: 0,
          grossMarginPct: 100,
          retentionPerPeriod: Math.min(x.retentionPerPeriod, 0.99),
        });
        expect(Math.abs(m.steps.constantChurnPerpetuity - m.clvTextbook)).toBeLessThanOrEqual(
          1e-9 * m.clvTextbook + 1e-9,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('computeWhatIf never throws or returns NaN, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'retentionPerPeriod',
            'averageOrderValue',
            'horizonMonths',
            'periodMonths',
            'winBackRatePerPeriod',
            'retentionHeterogeneity',
            'annualDiscountRate',
          ),
          fc.anything(),
        ),
        (raw) => {
          const res = computeWhatIf(raw as Partial<WhatIfInputs>);
          for (const v of [res.clvModel, res.clvConstantChurn, res.clvTextbook, res.cohortProfit36Months])
            expect(Number.isFinite(v)).toBe(true);
          expect(res.cumulativeCashPerCustomer.every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quantilesInPlace equals the type-7 quantile of the sorted array', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double({ min: -1e6, max: 1e6, noNaN: true }),
            fc.constantFrom(0, 1, Infinity, -Infinity),
          ),
          { minLength: 1, maxLength: 300 },
        ),
        (xs) => {
          const sorted = Float64Array.from(xs).sort();
          const out = quantilesInPlace(Float64Array.from(xs), [0.1, 0.5, 0.9], new Float64Array(3));
          [0.1, 0.5, 0.9].forEach((p, i) => {
            const want = quantileSorted(sorted, p);
            if (Number.isFinite(want)) expect(out[i]).toBeCloseTo(want, 6);
            else expect(out[i]).toBe(want);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('quantile example: [4, 1, 3, 2] -> P10 1.3, P50 2.5, P90 3.7', () => {
    const out = quantilesInPlace(Float64Array.of(4, 1, 3, 2), [0.1, 0.5, 0.9], new Float64Array(3));
    expect(out[0]).toBeCloseTo(1.3, 14);
    expect(out[1]).toBeCloseTo(2.5, 14);
    expect(out[2]).toBeCloseTo(3.7, 14);
  });
});
