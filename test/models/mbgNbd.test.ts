import { describe, expect, it } from 'vitest';
import {
  fitMbgNbd,
  mbgNbdConditionalExpectedPurchases,
  mbgNbdExpectedPurchases,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityAliveAt,
  mbgNbdProbabilityOfPurchases,
} from '../../src/lib/models/mbgNbd.ts';
import { cdnow } from './cdnow.ts';

describe('fitMbgNbd on CDNOW', () => {
  const fit = fitMbgNbd(cdnow());
  it('matches BTYDplus/lifetimes: r 0.525, alpha 6.183, a 0.891, b 1.614 (3 dp)', () => {
    // lifetimes tests/test_estimation.py test_params_out_is_close_to_BTYDplus: expected [0.525, 6.183, 0.891, 1.614],
    // decimal=3 there (|error| < 1.5e-3).
    expect(fit.converged).toBe(true);
    const want = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
    for (const k of ['r', 'alpha', 'a', 'b'] as const)
      expect(Math.abs(fit.params[k] - want[k])).toBeLessThan(1.5e-3);
  });
  it('conditional expectation for x=2, t_x=30.43, T=38.86, t=39 is within 0.05 of 1.226 (lifetimes test)', () => {
    expect(
      Math.abs(mbgNbdConditionalExpectedPurchases(fit.params, 39, 2, 30.43, 38.86) - 1.226),
    ).toBeLessThan(0.05);
  });
  it('E[X(t)] within 5% of Hardie’s BG/NBD sheet (lifetimes’ MBG test uses rtol 0.05)', () => {
    const times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
    const want = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) =>
      expect(Math.abs(mbgNbdExpectedPurchases(fit.params, t) / want[i] - 1)).toBeLessThan(0.05),
    );
  });
  it('P(alive) < 1 without repeat purchases (customers can drop at time 0)', () => {
    expect(mbgNbdProbabilityAlive(fit.params, 0, 0, 1)).toBeLessThan(1);
    expect(mbgNbdProbabilityAliveAt(fit.params, 0, 0, 1, 5)).toBeLessThan(
      mbgNbdProbabilityAlive(fit.params, 0, 0, 1),
    );
  });
  it('P(X(t)=n) sums to 1 with mean E[X(t)]; P(X(t)=0) includes the a/(a+b) who drop at once', () => {
    let s = 0;
    let m = 0;
    for (let n = 0; n < 400; n++) {
      const q = mbgNbdProbabilityOfPurchases(fit.params, 39, n);
      s += q;
      m += n * q;
    }
    expect(s).toBeCloseTo(1, 12);
    expect(m).toBeCloseTo(mbgNbdExpectedPurchases(fit.params, 39), 10);
    const { a, b } = fit.params;
    expect(mbgNbdProbabilityOfPurchases(fit.params, 39, 0)).toBeGreaterThan(a / (a + b));
  });
});
