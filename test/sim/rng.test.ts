import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/lib/sim/rng.ts';

/** Mean and variance of n draws. */
function moments(n: number, draw: () => number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

/**
 * Sample mean within 4 standard errors of the analytic mean: a correct sampler fails this with probability
 * ~6e-5 per check, and the seed is fixed, so the test is deterministic; a wrong mean/variance formula fails it.
 */
function expectMean(n: number, draw: () => number, mean: number, variance: number): void {
  const m = moments(n, draw);
  expect(Math.abs(m.mean - mean)).toBeLessThanOrEqual(4 * Math.sqrt(variance / n));
  // Variance check: relative tolerance from the sampling sd of s² (≈ sqrt(2/n) for light tails) — 5% at n=2e5
  // is > 10 sd for every distribution tested here except heavy-tailed Gamma(0.2), which gets its own bound.
  expect(Math.abs(m.variance - variance) / variance).toBeLessThan(0.05);
}

describe('Rng (xoshiro128**)', () => {
  it('fromState([1,2,3,4]) reproduces the reference C implementation of xoshiro128** 1.1', () => {
    // Reference: the authors' xoshiro128starstar.c (prng.di.unimi.it) compiled with gcc, s = {1,2,3,4}.
    const r = Rng.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 6 }, () => r.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('same seed => bit-identical sequence across every draw type', () => {
    const seq = (seed: number): number[] => {
      const r = Rng.fromSeed(seed);
      const xs: number[] = [];
      for (let i = 0; i < 200; i++) {
        xs.push(r.uniform(), r.normal(), r.gamma(0.3, 2), r.gamma(4.5), r.beta(0.2, 0.5), r.beta(3, 7));
        xs.push(r.poisson(2.5), r.poisson(40), r.binomial(7, 0.3), r.binomial(5000, 0.01), r.geometric(0.1));
      }
      return xs;
    };
    expect(seq(2026)).toEqual(seq(2026));
    expect(seq(2026)).not.toEqual(seq(2027));
  });

  it('different streams of one seed are different sequences', () => {
    const a = Rng.fromSeed(5, 0);
    const b = Rng.fromSeed(5, 1);
    expect([a.nextUint32(), a.nextUint32()]).not.toEqual([b.nextUint32(), b.nextUint32()]);
  });

  it('getState/fromState resumes bit-identically mid-sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 50 }), (seed, skip) => {
        const r = Rng.fromSeed(seed);
        for (let i = 0; i < skip; i++) r.normal();
        const state = JSON.parse(JSON.stringify(r.getState())) as number[];
        const tail = [r.gamma(0.7), r.normal(), r.poisson(12), r.beta(0.5, 0.5)];
        const s = Rng.fromState(state);
        expect([s.gamma(0.7), s.normal(), s.poisson(12), s.beta(0.5, 0.5)]).toEqual(tail);
      }),
      { numRuns: 100 },
    );
  });

  it('reseed(seed, stream) equals fromSeed(seed, stream)', () => {
    const r = Rng.fromSeed(1);
    r.reseed(99, 3);
    expect(r.getState()).toEqual(Rng.fromSeed(99, 3).getState());
  });

  it('fromState with a hostile state falls back to seed 0 instead of throwing', () => {
    for (const bad of [
      [0, 0, 0, 0],
      [1, 2, 3],
      [1.5, 2, 3, 4],
      [-1, 2, 3, 4],
      ['1', 2, 3, 4],
      [2 ** 32, 1, 1, 1],
    ]) {
      expect(Rng.isValidState(bad)).toBe(false);
      expect(Rng.fromState(bad as number[]).getState()).toEqual(Rng.fromSeed(0).getState());
    }
  });

  it('non-finite seeds are treated as 0', () => {
    expect(Rng.fromSeed(Number.NaN).getState()).toEqual(Rng.fromSeed(0).getState());
  });

  it('uniform() is in the open interval (0, 1)', () => {
    const r = Rng.fromSeed(3);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.uniform();
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    // Extremes of the 32-bit grid are still strictly inside.
    expect((0 + 0.5) * 2 ** -32).toBeGreaterThan(0);
    expect((0xffffffff + 0.5) * 2 ** -32).toBeLessThan(1);
  });

  const n = 200_000;
  it('uniform: mean 1/2, variance 1/12', () => {
    const r = Rng.fromSeed(11);
    expectMean(n, () => r.uniform(), 0.5, 1 / 12);
  });
  it('uniform53: mean 1/2, variance 1/12', () => {
    const r = Rng.fromSeed(12);
    expectMean(n, () => r.uniform53(), 0.5, 1 / 12);
  });
  it('normal(10, 2): mean 10, variance 4', () => {
    const r = Rng.fromSeed(13);
    expectMean(n, () => r.normal(10, 2), 10, 4);
  });
  it('fillNormal: mean 0, variance 1', () => {
    const r = Rng.fromSeed(14);
    const buf = r.fillNormal(new Float64Array(n));
    let i = 0;
    expectMean(n, () => buf[i++], 0, 1);
  });
  it('gamma(4.5, 2) (Marsaglia–Tsang): mean 2.25, variance 1.125', () => {
    const r = Rng.fromSeed(15);
    expectMean(n, () => r.gamma(4.5, 2), 2.25, 1.125);
  });
  it('gamma(0.5, 1) (shape < 1 boost): mean 0.5, variance 0.5', () => {
    const r = Rng.fromSeed(16);
    expectMean(n, () => r.gamma(0.5), 0.5, 0.5);
  });
  it('gamma(1, 3) is exponential: mean 1/3, variance 1/9', () => {
    const r = Rng.fromSeed(17);
    expectMean(n, () => r.gamma(1, 3), 1 / 3, 1 / 9);
  });
  it('beta(2, 6): mean 0.25, variance 12/576', () => {
    const r = Rng.fromSeed(18);
    expectMean(n, () => r.beta(2, 6), 0.25, 12 / (64 * 9));
  });
  it('beta(0.3, 0.6) (log-space path): mean 1/3, variance ab/((a+b)²(a+b+1))', () => {
    const r = Rng.fromSeed(19);
    const a = 0.3;
    const b = 0.6;
    expectMean(n, () => r.beta(a, b), a / (a + b), (a * b) / ((a + b) ** 2 * (a + b + 1)));
  });
  it('beta(0.01, 0.02) never returns NaN (tiny shapes)', () => {
    const r = Rng.fromSeed(20);
    for (let i = 0; i < 10_000; i++) {
      const x = r.beta(0.01, 0.02);
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });
  it('poisson(3.2) (inversion): mean = variance = 3.2', () => {
    const r = Rng.fromSeed(21);
    expectMean(n, () => r.poisson(3.2), 3.2, 3.2);
  });
  it('poisson(57.5) (PTRS): mean = variance = 57.5', () => {
    const r = Rng.fromSeed(22);
    expectMean(n, () => r.poisson(57.5), 57.5, 57.5);
  });
  it('poisson(10) (PTRS boundary) P(X=10) matches the pmf within 4 sd', () => {
    const r = Rng.fromSeed(23);
    let hits = 0;
    for (let i = 0; i < n; i++) if (r.poisson(10) === 10) hits++;
    const p = (Math.exp(-10) * 10 ** 10) / 3628800; // 0.12511
    expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });
  it('binomial(20, 0.3) (Bernoulli sum): mean 6, variance 4.2', () => {
    const r = Rng.fromSeed(24);
    expectMean(n, () => r.binomial(20, 0.3), 6, 4.2);
  });
  it('binomial(1000, 0.37) (beta splitting): mean 370, variance 233.1', () => {
    const r = Rng.fromSeed(25);
    expectMean(n / 4, () => r.binomial(1000, 0.37), 370, 233.1);
  });
  it('geometric(0.2): mean 5, variance (1−p)/p² = 20', () => {
    const r = Rng.fromSeed(26);
    expectMean(n, () => r.geometric(0.2), 5, 20);
  });
  it('edge cases: poisson(0)=0, binomial(n,0)=0, binomial(n,1)=n, geometric(1)=1, geometric(0)=∞, gamma(0)=0', () => {
    const r = Rng.fromSeed(27);
    expect(r.poisson(0)).toBe(0);
    expect(r.binomial(10, 0)).toBe(0);
    expect(r.binomial(10, 1)).toBe(10);
    expect(r.binomial(0, 0.5)).toBe(0);
    expect(r.geometric(1)).toBe(1);
    expect(r.geometric(0)).toBe(Infinity);
    expect(r.gamma(0)).toBe(0);
    expect(r.int(1)).toBe(0);
  });
  it('int(6) is uniform over 0..5 (chi-square < 25, p ≈ 1e-4 for 5 df)', () => {
    const r = Rng.fromSeed(28);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    const chi = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi).toBeLessThan(25);
  });
});
