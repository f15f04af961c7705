import { describe, expect, it } from 'vitest';
import {
  aliveWithWinBack,
  computeWhatIf,
  survivalCurve,
  whatIfMetrics,
} from '../../src/lib/sim/unitEconomics.ts';
import {
  normalizeInputs,
  periodDiscountRate,
  retentionFromSbg,
  sbgFromRetention,
  type WhatIfInputs,
} from '../../src/lib/sim/inputs.ts';
import { betaln } from '../../src/lib/models/special/gammaln.ts';

/** Textbook baseline: annual periods, $50 × 3/yr, 20% annual churn (lifetime 5 years), no margin/discount. */
const TEXTBOOK: Partial<WhatIfInputs> = {
  periodMonths: 12,
  retentionPerPeriod: 0.8,
  retentionHeterogeneity: 0,
  purchasesPerYear: 3,
  averageOrderValue: 50,
  grossMarginPct: 100,
  annualDiscountRate: 0,
  acquisitionCost: 150,
  horizonMonths: 60,
  programmeCostPerCustomerPerPeriod: 0,
  winBackRatePerPeriod: 0,
};

describe('inputs: sBG mapping', () => {
  it('sbgFromRetention(0.8, 0.5) = { alpha: 0.2, beta: 0.8 } (c = 0.2, alpha + beta = (1 − φ)/φ = 1)', () => {
    const p = sbgFromRetention(0.8, 0.5);
    expect(p?.alpha).toBeCloseTo(0.2, 15);
    expect(p?.beta).toBeCloseTo(0.8, 15);
  });
  it('mean churn at the first renewal alpha/(alpha+beta) = 1 − retention for any heterogeneity', () => {
    for (const phi of [0.01, 0.2, 0.5, 0.9]) {
      const p = sbgFromRetention(0.73, phi);
      expect(p).not.toBeNull();
      if (p) expect(p.alpha / (p.alpha + p.beta)).toBeCloseTo(0.27, 14);
    }
  });
  it('heterogeneity 0 => null (homogeneous constant churn)', () => {
    expect(sbgFromRetention(0.9, 0)).toBeNull();
  });
  it('retentionFromSbg inverts sbgFromRetention', () => {
    // Fader & Hardie (2007) "high end" segment: alpha = 0.668, beta = 3.806.
    const back = retentionFromSbg({ alpha: 0.668, beta: 3.806 });
    const p = sbgFromRetention(back.retentionPerPeriod, back.retentionHeterogeneity);
    expect(p?.alpha).toBeCloseTo(0.668, 12);
    expect(p?.beta).toBeCloseTo(3.806, 12);
  });
  it('periodDiscountRate(0.1, 1) = 1.1^(1/12) − 1 = 0.0079741404…', () => {
    expect(periodDiscountRate(0.1, 1)).toBeCloseTo(0.007974140428903764, 15);
    expect(periodDiscountRate(0.1, 12)).toBeCloseTo(0.1, 15);
  });
  it('normalizeInputs clamps, rounds, snaps and ignores non-numbers', () => {
    const x = normalizeInputs({
      grossMarginPct: 250,
      horizonMonths: 12.6,
      periodMonths: 4,
      averageOrderValue: Number.NaN,
    } as Partial<WhatIfInputs>);
    expect(x.grossMarginPct).toBe(100);
    expect(x.horizonMonths).toBe(13);
    expect(x.periodMonths).toBe(3);
    expect(x.averageOrderValue).toBe(60); // default
  });
});

describe('survivalCurve / aliveWithWinBack', () => {
  it('sBG alpha = beta = 1 gives S(t) = 1/(t+1)', () => {
    // S(t) = B(1, 1+t)/B(1, 1) = 1/(1+t).
    const S = survivalCurve({ alpha: 1, beta: 1 }, 0, new Float64Array(6));
    for (let t = 0; t < 6; t++) expect(S[t]).toBeCloseTo(1 / (t + 1), 15);
  });
  it('sBG recursion equals B(alpha, beta+t)/B(alpha, beta) from the independent gammaln implementation', () => {
    // Fader & Hardie (2007) eq. 7 with their "high end" parameters; betaln is the models' Lanczos/Stirling code.
    const alpha = 0.668;
    const beta = 3.806;
    const S = survivalCurve({ alpha, beta }, 0, new Float64Array(13));
    for (let t = 0; t <= 12; t++) {
      const direct = Math.exp(betaln(alpha, beta + t) - betaln(alpha, beta));
      expect(Math.abs(S[t] - direct) / direct).toBeLessThan(1e-12);
    }
  });
  it('constant churn S(t) = r^t', () => {
    const S = survivalCurve(null, 0.9, new Float64Array(4));
    expect(Array.from(S)).toEqual([1, 0.9, 0.9 * 0.9, 0.9 * 0.9 * 0.9]);
  });
  it('win-back w = 0.5 on S = 1/(t+1): A = 1, 0.75, 0.729166…', () => {
    // Hand: t=1: pre = R0·S1 = 0.5, R1 = 0.5·(1 − 0.5) = 0.25, A1 = 0.75.
    //       t=2: pre = R0·S2 + R1·S1 = 1/3 + 0.125 = 0.458333…, R2 = 0.5·0.541666… = 0.270833…, A2 = 0.729166…
    const S = survivalCurve({ alpha: 1, beta: 1 }, 0, new Float64Array(3));
    const A = aliveWithWinBack(S, 0.5, new Float64Array(3));
    expect(A[0]).toBe(1);
    expect(A[1]).toBeCloseTo(0.75, 15);
    expect(A[2]).toBeCloseTo(1 / 3 + 0.125 + 0.5 * (1 - (1 / 3 + 0.125)), 15);
  });
  it('win-back with constant churn matches the two-state closed form π + (1 − π)ρ^t', () => {
    const r = 0.85;
    const w = 0.07;
    const S = survivalCurve(null, r, new Float64Array(40));
    const A = aliveWithWinBack(S, w, new Float64Array(40));
    const rho = (1 - w) * r;
    const pi = w / (1 - rho);
    for (let t = 0; t < 40; t++) expect(A[t]).toBeCloseTo(pi + (1 - pi) * rho ** t, 12);
    const res = computeWhatIf({
      retentionPerPeriod: r,
      retentionHeterogeneity: 0,
      winBackRatePerPeriod: w,
      horizonMonths: 40,
    });
    expect(res.clvModel).toBeCloseTo(res.clvConstantChurn, 9);
  });
});

describe('computeWhatIf: textbook and closed forms (hand-derived)', () => {
  it('textbook: $50 × 3/yr × 5 years = $750 exactly', () => {
    expect(whatIfMetrics(TEXTBOOK).clvTextbook).toBe(750);
  });
  it('textbook with monthly periods and churn 1/60: still exactly $750 (float noise of 1/(1 − r) removed)', () => {
    const m = whatIfMetrics({ ...TEXTBOOK, periodMonths: 1, retentionPerPeriod: 1 - 1 / 60 });
    expect(m.clvTextbook).toBe(750);
  });
  it('subscription: R$500 × 12/yr × 4 years = R$24,000 exactly', () => {
    const m = whatIfMetrics({
      periodMonths: 1,
      retentionPerPeriod: 1 - 1 / 48,
      purchasesPerYear: 12,
      averageOrderValue: 500,
    });
    expect(m.clvTextbook).toBe(24000);
  });
  it('constant churn, 5 annual periods, 100% margin, no discount: 150 × (1 + .8 + .64 + .512 + .4096) = 504.24', () => {
    const m = whatIfMetrics(TEXTBOOK);
    expect(m.clvConstantChurn).toBeCloseTo(504.24, 10);
    expect(m.clvModel).toBeCloseTo(504.24, 10); // heterogeneity 0: the model is the constant-churn model
    expect(m.ltvToCac).toBeCloseTo(504.24 / 150, 12);
    // Payback: −150 + 150 after the first year = 0 exactly -> 12 months.
    expect(m.paybackMonths).toBeCloseTo(12, 12);
  });
  it('perpetuity with d = 0 and margin 100% equals the textbook value: 150/(1 − 0.8) = 750', () => {
    expect(whatIfMetrics(TEXTBOOK).steps.constantChurnPerpetuity).toBeCloseTo(750, 10);
  });
  it('30% margin and 10% discounting: 45·(1 − q^5)/(1 − q), q = 0.8/1.1 -> 131.428522641896; perpetuity 45·1.1/0.3 = 165', () => {
    // q^5 = 0.32768/1.61051 = 0.203463499140024; (1 − q^5)/(1 − q) = 0.796536500859976/0.272727… = 2.92063383…
    const m = whatIfMetrics({ ...TEXTBOOK, grossMarginPct: 30, annualDiscountRate: 0.1 });
    expect(m.clvConstantChurn).toBeCloseTo(131.42852264189608, 9);
    expect(m.steps.constantChurnPerpetuity).toBeCloseTo(165, 10);
    expect(m.steps.withMargin).toBe(225);
    // Fixed 5-year lifetime, discounted: 45·(1 − 1.1^−5)/(1 − 1/1.1) = 45·4.169865446… = 187.643945…
    expect(m.steps.withMarginAndDiscount).toBeCloseTo(45 * ((1 - 1.1 ** -5) / (1 - 1 / 1.1)), 10);
  });
  it('monthly example: m = 50, r = 0.9, 12 months -> CLV 50·(1 − 0.9^12)/0.1 = 358.785…, payback 2 + 5/40.5 months', () => {
    const res = computeWhatIf({
      retentionPerPeriod: 0.9,
      retentionHeterogeneity: 0,
      averageOrderValue: 100,
      purchasesPerYear: 12,
      grossMarginPct: 50,
      annualDiscountRate: 0,
      acquisitionCost: 100,
      horizonMonths: 12,
      programmeCostPerCustomerPerPeriod: 0,
      winBackRatePerPeriod: 0,
    });
    expect(res.clvConstantChurn).toBeCloseTo(50 * ((1 - 0.9 ** 12) / 0.1), 10);
    // cum: −100, −50 (month 1), −5 (month 2), +35.5 (month 3): crossing 5/40.5 into the third month.
    expect(res.paybackMonths).toBeCloseTo(2 + 5 / 40.5, 12);
  });
  it('break-even of steady acquisition: m = 50, r = 0.8, CAC 100 -> payback 2 + 10/32, break-even 3 + 138/147.6', () => {
    // Per customer after k months: −100 + 250(1 − 0.8^k) = −50, −10, 22, 47.6, …
    // Programme (one cohort a month) after k months: Σ_{j≤k} cum_j = −50, −60, −38, 9.6 -> crosses in month 4,
    // which starts at −38 − 100 (the fourth cohort's CAC) = −138 and earns 147.6: crossing 138/147.6 into it.
    const res = computeWhatIf({
      retentionPerPeriod: 0.8,
      retentionHeterogeneity: 0,
      averageOrderValue: 50,
      purchasesPerYear: 12,
      grossMarginPct: 100,
      annualDiscountRate: 0,
      acquisitionCost: 100,
      horizonMonths: 12,
      newCustomersPerPeriod: 10,
      programmeCostPerCustomerPerPeriod: 0,
      winBackRatePerPeriod: 0,
    });
    expect(res.paybackMonths).toBeCloseTo(2 + 10 / 32, 12);
    expect(res.breakEvenMonth).toBeCloseTo(3 + 138 / 147.6, 10);
    expect(res.programmeCumulativeCash[4]).toBeCloseTo(96, 9); // 10 customers × 9.6
    expect(res.cumulativeCashPerCohort[3]).toBeCloseTo(220, 9); // 10 × 22
  });
  it('payback is 0 when CAC = 0 and null ("never") when the horizon is too short', () => {
    expect(whatIfMetrics({ acquisitionCost: 0 }).paybackMonths).toBe(0);
    expect(whatIfMetrics({ acquisitionCost: 0 }).ltvToCac).toBeNull();
    expect(whatIfMetrics({ acquisitionCost: 1e6 }).paybackMonths).toBeNull();
    expect(whatIfMetrics({ acquisitionCost: 1e6 }).breakEvenMonth).toBeNull();
  });
  it('cohortProfit36Months covers 36 months even when the horizon is 12', () => {
    // m = 50, r = 0.8 monthly, CAC 100, N = 10: 10·(−100 + 250(1 − 0.8^36)).
    const m = whatIfMetrics({
      retentionPerPeriod: 0.8,
      retentionHeterogeneity: 0,
      averageOrderValue: 50,
      purchasesPerYear: 12,
      grossMarginPct: 100,
      annualDiscountRate: 0,
      acquisitionCost: 100,
      horizonMonths: 12,
      newCustomersPerPeriod: 10,
      programmeCostPerCustomerPerPeriod: 0,
    });
    expect(m.cohortProfit36Months).toBeCloseTo(10 * (-100 + 250 * (1 - 0.8 ** 36)), 8);
  });
  it('layer cake rows are shifted alive curves and columns sum to revenueTotal', () => {
    const res = computeWhatIf({ horizonMonths: 24, newCustomersPerPeriod: 100, retentionHeterogeneity: 0.3 });
    const T = res.periods;
    expect(T).toBe(24);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let k = 0; k < T; k++) s += res.layerCake[k * T + t];
      expect(s).toBeCloseTo(res.revenueTotal[t], 8);
    }
    expect(res.layerCake[5 * T + 9]).toBeCloseTo(
      100 * res.revenuePerActivePeriod * res.alivePerCustomer[4],
      10,
    );
    expect(res.layerCake[9 * T + 5]).toBe(0);
    expect(res.customersAliveTotal[0]).toBe(100);
  });
  it('heterogeneous retention raises CLV above constant churn at the same first-renewal retention', () => {
    // sBG: survivors are increasingly the loyal customers, so S(t) > r^t for t >= 2 (Fader & Hardie 2007, Fig. 1).
    const hom = whatIfMetrics({ retentionHeterogeneity: 0 });
    const het = whatIfMetrics({ retentionHeterogeneity: 0.3 });
    expect(het.clvModel).toBeGreaterThan(hom.clvModel);
    expect(het.clvConstantChurn).toBeCloseTo(hom.clvConstantChurn, 12);
  });
  it('quarterly periods: discount per quarter is 1.1^(1/4) − 1 and months run 0, 3, 6, …', () => {
    const res = computeWhatIf({ periodMonths: 3, horizonMonths: 24 });
    expect(res.periods).toBe(8);
    expect(res.periodDiscountRate).toBeCloseTo(1.1 ** 0.25 - 1, 15);
    expect(Array.from(res.cumulativeMonths.slice(0, 3))).toEqual([0, 3, 6]);
  });
  it('outputs contain no NaN for extreme inputs', () => {
    for (const x of [
      { retentionPerPeriod: 0, retentionHeterogeneity: 0.99 },
      { retentionPerPeriod: 1, retentionHeterogeneity: 0.99 },
      { retentionPerPeriod: 1, retentionHeterogeneity: 0 },
      { winBackRatePerPeriod: 1 },
      { annualDiscountRate: 2, horizonMonths: 600 },
      { purchasesPerYear: 0, acquisitionCost: 0 },
    ]) {
      const res = computeWhatIf(x);
      for (const v of [
        res.clvTextbook,
        res.clvConstantChurn,
        res.clvModel,
        ...res.cumulativeCashPerCustomer,
        ...res.alivePerCustomer,
      ]) {
        expect(Number.isFinite(v)).toBe(true);
      }
    }
  });
});
