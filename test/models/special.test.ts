import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  digamma,
  trigamma,
  hyp2f1,
  log2F1b1,
  logSumExp,
  logSubExp,
  gammaln,
} from '../../src/lib/models/special/index.ts';

// Reference values: mpmath 1.3.0 (independent arbitrary-precision implementation) at 50 digits,
// e.g. mp.log(mp.hyp2f1(a, 1, c, z)). Tolerances: relative 1e-12 for the continued fraction (float64
// round-off accumulates over up to a few thousand Lentz steps), 1e-10 for general hyp2f1 connection formulas.
const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(1e-300, Math.abs(want));

describe('log2F1b1(a, c, z) = log 2F1(a, 1; c; z)', () => {
  const cases: [number, number, number, number][] = [
    [1, 2, 0.5, 0.326634259978281],
    [0.3, 1.7, 0.99, 0.45637231340858586],
    [500.5, 501.9, 0.999, 5.897902120075546],
    [2.5, 3.1, 0.9999999, 7.744336841537198],
    [0.01, 0.02, 0.5, 0.4031979508346336],
    [1e-3, 5.0, 0.999999, 0.0002500309217649955],
    [1000, 1000.5, 0.9, 2.298136771767917],
    [0.6, 50.2, 0.0001, 1.195222144306069e-6],
  ];
  for (const [a, c, z, want] of cases) {
    it(`log2F1b1(${a}, ${c}, ${z}) = ${want}`, () => {
      // Absolute error of the log = relative error of 2F1 itself.
      // 1 − z = 1e-7 needs ~10⁴ Lentz steps; round-off grows to ~1e-11 there (allow 1e-10).
      const tol = z > 0.99999 ? 1e-10 : 1e-12;
      expect(Math.abs(log2F1b1(a, c, z) - want)).toBeLessThan(tol * Math.max(1, Math.abs(want)));
    });
  }
  it('log2F1b1 is NaN outside 0 < a < c, 0 <= z < 1', () => {
    expect(log2F1b1(2, 1, 0.5)).toBeNaN();
    expect(log2F1b1(1, 2, 1)).toBeNaN();
    expect(log2F1b1(1, 2, -0.1)).toBeNaN();
  });
  it('log2F1b1 is finite and non-negative over its whole domain (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 2000, noNaN: true }),
        fc.double({ min: 1e-4, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (a, gap, z) => {
          const v = log2F1b1(a, a + gap, z);
          return Number.isFinite(v) && v >= 0;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('hyp2f1(a, b, c, z)', () => {
  const cases: [number, number, number, number, number][] = [
    [0.5, 0.5, 1.5, 0.25, 1.0471975511965979],
    [1.5, 2.5, 3.7, 0.9, 6.927105040613827],
    [0.3, -0.7, 2.2, 0.95, 0.9020665308333321],
    [2.3, 1.1, 1.2, -5.0, 0.02896759890616936],
    [0.7, 0.2, 3, 0.99, 1.0687165269419092],
    [3, 4, 7, 0.999, 218.07891874229307],
    [1.25, 2.5, 1.9, 0.8, 15.99479281275294],
    [5, -3, 2, 0.6, 0.009999999999999976],
    [3.159, 1.606, 4.159, 0.3, 1.5307924235312085],
  ];
  for (const [a, b, c, z, want] of cases) {
    it(`hyp2f1(${a}, ${b}, ${c}, ${z}) = ${want}`, () => {
      expect(rel(hyp2f1(a, b, c, z), want)).toBeLessThan(1e-9);
    });
  }
  it('hyp2f1(1, 1, 2, z) = −log(1−z)/z (A&S 15.1.3)', () => {
    for (const z of [0.1, 0.5, 0.9, 0.999, -3])
      expect(rel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-12);
  });
  it('hyp2f1 at z = 1 is Gauss’s sum Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b))', () => {
    const want = Math.exp(gammaln(3) + gammaln(1.5) - gammaln(2.5) - gammaln(2));
    expect(rel(hyp2f1(0.5, 1, 3, 1), want)).toBeLessThan(1e-12);
  });
});

describe('digamma / trigamma', () => {
  // mpmath digamma and psi(1, x) at 50 digits.
  const cases: [number, number, number][] = [
    [1, -0.5772156649015329, 1.6449340668482264],
    [0.5, -1.9635100260214235, 4.934802200544679],
    [1e-5, -100000.57719921567, 10000000001.644909],
    [3.7, 1.1671535393615113, 0.3100378576700383],
    [10, 2.251752589066721, 0.10516633568168575],
    [123.4, 4.8113737751162775, 0.008136651610865263],
  ];
  for (const [x, d, t] of cases) {
    it(`digamma(${x}) = ${d}, trigamma(${x}) = ${t}`, () => {
      expect(rel(digamma(x), d)).toBeLessThan(1e-13);
      expect(rel(trigamma(x), t)).toBeLessThan(1e-13);
    });
  }
  it('digamma matches the derivative of gammaln', () => {
    for (const x of [0.3, 2.2, 17, 250]) {
      const h = 1e-5 * x;
      expect(digamma(x)).toBeCloseTo((gammaln(x + h) - gammaln(x - h)) / (2 * h), 6);
    }
  });
});

describe('logSumExp', () => {
  it('logSumExp([1000, 1000]) = 1000 + log 2 without overflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, 0])).toBe(0);
  });
  it('logSubExp(log 3, log 1) = log 2', () => {
    expect(logSubExp(Math.log(3), 0)).toBeCloseTo(Math.LN2, 14);
    expect(logSubExp(1, 1)).toBe(-Infinity);
  });
});
