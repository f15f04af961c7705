import { describe, expect, it } from 'vitest';
import {
  bfgs,
  fitMle,
  hessian,
  invertSpd,
  nelderMead,
  withNumericGradient,
} from '../../src/lib/models/optimize/index.ts';

describe('optimize', () => {
  it('bfgs(rosenbrock) reaches (1, 1)', () => {
    // Rosenbrock: global minimum 0 at (1, 1) (textbook; Nocedal & Wright 2006 ex. 2.1).
    const f = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    const r = bfgs(withNumericGradient(f), [-1.2, 1], { maxIterations: 500, gradientTolerance: 1e-7 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });
  it('nelderMead(quadratic) reaches the minimum', () => {
    const r = nelderMead((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [0, 0]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(-2, 4);
  });
  it('hessian(3x0² + x0x1) = [[6,1],[1,0]]', () => {
    const H = hessian((x) => 3 * x[0] ** 2 + x[0] * x[1], [0.7, -0.3]);
    expect(H[0]).toBeCloseTo(6, 6);
    expect(H[1]).toBeCloseTo(1, 6);
    expect(H[3]).toBeCloseTo(0, 6);
  });
  it('invertSpd returns null for an indefinite matrix', () => {
    expect(invertSpd([1, 2, 2, 1], 2)).toBeNull();
    const inv = invertSpd([4, 2, 2, 3], 2)!;
    // [[4,2],[2,3]]^-1 = [[3,-2],[-2,4]]/8
    expect(inv[0]).toBeCloseTo(3 / 8, 14);
    expect(inv[1]).toBeCloseTo(-2 / 8, 14);
  });
  it('fitMle(exponential) gives λ̂ = n/Σt and SE = λ̂/√n (closed form)', () => {
    const fit = fitMle({
      names: ['lambda'],
      negLogLik: ([l]) => -(3 * Math.log(l) - l * 1.5),
      start: [0.1],
      n: 3,
    });
    expect(fit.converged).toBe(true);
    expect(fit.params.lambda).toBeCloseTo(2, 7);
    expect(fit.standardErrors.lambda).toBeCloseTo(2 / Math.sqrt(3), 5);
    expect(fit.logLikelihood).toBeCloseTo(3 * Math.log(2) - 3, 10);
  });
  it('fitMle(gamma sample) agrees with an analytic-gradient run and recovers the closed-form rate', () => {
    // Gamma(shape k, rate θ) with known sufficient stats: for fixed shape the rate MLE is k·n/Σx.
    const n = 50;
    const sumX = 80;
    const sumLogX = 15;
    const lgam = (k: number) => {
      // Stirling-free: use log Γ via recurrence for the test only
      let s = 0;
      let x = k;
      while (x < 10) {
        s -= Math.log(x);
        x += 1;
      }
      return (
        s + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3)
      );
    };
    const nll = (p: Float64Array) =>
      -(n * p[0] * Math.log(p[1]) - n * lgam(p[0]) + (p[0] - 1) * sumLogX - p[1] * sumX);
    const a = fitMle({ names: ['k', 'theta'], negLogLik: nll, start: [1, 1], n });
    expect(a.converged).toBe(true);
    expect(a.params.theta).toBeCloseTo((a.params.k * n) / sumX, 6);
    expect(a.standardErrors.k).toBeGreaterThan(0);
    expect(a.covariance[0][1]).toBeCloseTo(a.covariance[1][0], 12);
  });
  it('fitMle(penalizer) shrinks the estimate', () => {
    const nll = ([l]: Float64Array) => -(3 * Math.log(l) - l * 1.5);
    const plain = fitMle({ names: ['lambda'], negLogLik: nll, start: [1], n: 3 });
    const pen = fitMle({ names: ['lambda'], negLogLik: nll, start: [1], n: 3, penalizer: 0.1 });
    expect(pen.params.lambda).toBeLessThan(plain.params.lambda - 0.05);
  });
  it('fitMle survives a NaN region by backing off', () => {
    // NaN when θ > 5: the optimum (θ = 2) is inside the valid region.
    const nll = ([l]: Float64Array) => (l > 5 ? NaN : -(3 * Math.log(l) - l * 1.5));
    const fit = fitMle({ names: ['lambda'], negLogLik: nll, start: [4.9], n: 3 });
    expect(fit.params.lambda).toBeCloseTo(2, 6);
  });
});
