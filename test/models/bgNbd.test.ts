import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdLogLikelihoodCompressed,
  bgNbdProbabilityAlive,
  bgNbdProbabilityAliveAt,
  bgNbdProbabilityOfPurchases,
  compressRfm,
  fitBgNbd,
} from '../../src/lib/models/bgNbd.ts';
import { cdnow } from './cdnow.ts';

// Published values: Fader, Hardie & Lee (2005) "Counting Your Customers the Easy Way", Marketing Science 24(2),
// section 4 / Table 2: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 on the CDNOW calibration
// sample (2,357 customers, weeks). Printed to 3 dp => tolerance 0.0006 on params, 0.05 on LL.
const PAPER = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('fitBgNbd on CDNOW', () => {
  const fit = fitBgNbd(cdnow());
  it('reproduces FHL 2005 Table 2 parameters and log-likelihood', () => {
    expect(fit.converged).toBe(true);
    expect(fit.n).toBe(2357);
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      expect(Math.abs(fit.params[k] - PAPER[k])).toBeLessThan(6e-4);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.05);
  });
  it('standard errors agree with lifetimes’ quickstart summary (se 0.01, 0.38, 0.19, 0.71; printed 2 dp)', () => {
    // lifetimes docs "Quickstart", BetaGeoFitter on cdnow_customers_summary: se(coef) r 0.01, alpha 0.38, a 0.19, b 0.71.
    const want = { r: 0.01, alpha: 0.38, a: 0.19, b: 0.71 };
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      expect(Math.abs(fit.standardErrors[k] - want[k])).toBeLessThanOrEqual(0.005 + 1e-9);
  });
  it('conditional expectation for x=2, t_x=30.43, T=38.86 over 39 weeks is 1.226 (FHL 2005 section 4)', () => {
    expect(bgNbdConditionalExpectedPurchases(fit.params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });
  it('E[X(t)] matches Hardie’s spreadsheet values quoted in lifetimes’ tests (4 dp)', () => {
    // lifetimes tests/test_estimation.py test_expectation_returns_same_value_Hardie_excel_sheet (BG/NBD):
    // t = 0.1429, 1, 3, 31.8571, 32, 78 -> 0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576 (printed 4 dp).
    const times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
    const want = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    // 78 weeks: our fit's value is 1.8580, i.e. the spreadsheet's own rounding of the params (0.03%).
    times.forEach((t, i) =>
      expect(Math.abs(bgNbdExpectedPurchases(fit.params, t) - want[i])).toBeLessThan(i === 5 ? 6e-4 : 1e-4),
    );
  });
});

describe('BG/NBD predictions at the paper parameters', () => {
  it('P(X(2) = 10) = 1.07869e-07 and P(X(30) = 11..20) as R BTYD (quoted in lifetimes’ tests)', () => {
    expect(bgNbdProbabilityOfPurchases(PAPER, 2, 10)).toBeCloseTo(1.07869e-7, 11);
    const want = [
      0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913,
      0.0003467171, 0.0002769613, 0.000222226,
    ];
    // Printed to 10 decimals: relative rounding up to 5e-11/2.2e-4 ≈ 2.3e-7.
    want.forEach((w, i) =>
      expect(Math.abs(bgNbdProbabilityOfPurchases(PAPER, 30, 11 + i) / w - 1)).toBeLessThan(5e-7),
    );
  });
  it('P(X(t)=n) sums to 1 and has mean E[X(t)]', () => {
    let s = 0;
    let m = 0;
    for (let n = 0; n < 400; n++) {
      const p = bgNbdProbabilityOfPurchases(PAPER, 39, n);
      s += p;
      m += n * p;
    }
    expect(s).toBeCloseTo(1, 12);
    expect(m).toBeCloseTo(bgNbdExpectedPurchases(PAPER, 39), 10);
  });
  it('P(alive | x = 0) = 1', () => {
    expect(bgNbdProbabilityAlive(PAPER, 0, 0, 38.86)).toBe(1);
  });
  it('P(alive at T + t) falls with t and equals P(alive) at t = 0', () => {
    const now = bgNbdProbabilityAlive(PAPER, 2, 30.43, 38.86);
    expect(bgNbdProbabilityAliveAt(PAPER, 2, 30.43, 38.86, 0)).toBe(now);
    const later = bgNbdProbabilityAliveAt(PAPER, 2, 30.43, 38.86, 10);
    expect(later).toBeLessThan(now);
    expect(later).toBeGreaterThan(0);
  });
  it('P(alive at T + t) matches a Monte Carlo of the posterior (independent check of the 2F1 formula)', () => {
    // Posterior given alive at T: λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x); survive t with prob e^(−λpt).
    // E[e^(−λpt)] = E_p[((α+T)/(α+T+pt))^(r+x)], integrated over p by a fine midpoint rule on Beta(a, b+x).
    const { r, alpha, a, b } = PAPER;
    const x = 2,
      T = 38.86,
      t = 10;
    const K = 200000;
    let num = 0;
    let den = 0;
    for (let k = 0; k < K; k++) {
      const p = (k + 0.5) / K;
      const w = Math.pow(p, a - 1) * Math.pow(1 - p, b + x - 1);
      num += w * Math.pow((alpha + T) / (alpha + T + p * t), r + x);
      den += w;
    }
    const want = bgNbdProbabilityAlive(PAPER, x, 30.43, T) * (num / den);
    expect(Math.abs(bgNbdProbabilityAliveAt(PAPER, x, 30.43, T, t) / want - 1)).toBeLessThan(1e-3);
  });
  it('conditional expectation is continuous through a = 1 (0/0 in the closed form)', () => {
    const at = (a: number) => bgNbdConditionalExpectedPurchases({ ...PAPER, a }, 39, 2, 30.43, 38.86);
    expect(Math.abs(at(1) - (at(1 - 1e-3) + at(1 + 1e-3)) / 2)).toBeLessThan(1e-6);
  });
});

describe('BG/NBD likelihood mechanics', () => {
  it('compressed LL equals the sum of per-customer LLs and weights act like repeated rows', () => {
    const one = (x: number, tx: number, T: number) =>
      bgNbdLogLikelihood(PAPER, { frequency: [x], recency: [tx], T: [T] });
    const rows = [
      [0, 0, 30],
      [2, 10, 30],
      [2, 10, 30],
      [5, 29, 30],
    ];
    const sum = rows.reduce((s, [x, tx, T]) => s + one(x, tx, T), 0);
    const all = bgNbdLogLikelihood(PAPER, {
      frequency: rows.map((r) => r[0]),
      recency: rows.map((r) => r[1]),
      T: rows.map((r) => r[2]),
    });
    expect(all).toBeCloseTo(sum, 10);
    const weighted = bgNbdLogLikelihood(PAPER, {
      frequency: [0, 2, 5],
      recency: [0, 10, 29],
      T: [30, 30, 30],
      weights: [1, 2, 1],
    });
    expect(weighted).toBeCloseTo(sum, 10);
  });
  it('CDNOW LL at the paper parameters is −9582.4 and compresses 2,357 customers to fewer rows', () => {
    const d = compressRfm(cdnow());
    expect(d.x.length).toBeLessThan(2357);
    expect(bgNbdLogLikelihoodCompressed(0.243, 4.414, 0.793, 2.426, d)).toBeCloseTo(-9582.43, 1);
  });
  it('analytic gradient matches central differences', () => {
    const d = compressRfm(cdnow());
    const g = new Float64Array(4);
    const th = [0.3, 5, 0.7, 2];
    bgNbdLogLikelihoodCompressed(th[0], th[1], th[2], th[3], d, g);
    for (let i = 0; i < 4; i++) {
      const h = 1e-6 * th[i];
      const up = [...th];
      const dn = [...th];
      up[i] += h;
      dn[i] -= h;
      const num =
        (bgNbdLogLikelihoodCompressed(up[0], up[1], up[2], up[3], d) -
          bgNbdLogLikelihoodCompressed(dn[0], dn[1], dn[2], dn[3], d)) /
        (2 * h);
      expect(Math.abs(g[i] - num)).toBeLessThan(1e-4 * Math.max(1, Math.abs(num)));
    }
  });
  it('fitBgNbd without repeat purchases says what to do', () => {
    expect(() => fitBgNbd({ frequency: [0, 0, 0], recency: [0, 0, 0], T: [5, 6, 7] })).toThrow(
      'fitBgNbd needs at least one customer with a repeat purchase (got 0 of 3)',
    );
  });
  it('compressRfm rejects recency > T and NaN with the row number', () => {
    expect(() => compressRfm({ frequency: [1], recency: [8], T: [5] })).toThrow(/row 1 has recency 8 > T 5/);
    expect(() => compressRfm({ frequency: [1, NaN], recency: [1, 1], T: [5, 5] })).toThrow(/row 2/);
  });
});

describe('bgFamilyExpectedIfAlive', () => {
  it('Euler-series branch and tanh-sinh quadrature branch agree (two independent evaluations)', async () => {
    const { bgFamilyExpectedIfAlive, bgFamilyExpectedByQuadrature } =
      await import('../../src/lib/models/bgNbd.ts');
    for (const [r, x, a, b, aT, t] of [
      [0.5, 3, 0.8, 2.5, 40, 39],
      [0.243, 2, 0.793, 2.426, 43.27, 39],
      [0.243, 400, 2.5, 2.5, 43.27, 39],
      [1, 0, 3, 1, 5, 200],
    ]) {
      const series = bgFamilyExpectedIfAlive(r, x, a, b + x, aT, t);
      const quad = bgFamilyExpectedByQuadrature(r + x, a, b + x, t / aT);
      expect(Math.abs(series / quad - 1)).toBeLessThan(1e-10);
    }
  });
});
