import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bdwChurnProbability,
  bdwDel,
  bdwDerl,
  bdwExpectedLifetime,
  bdwLogLikelihood,
  bdwRetention,
  bdwSurvival,
  bdwSurvivalCurve,
  fitBdw,
  lgammaDiff,
} from '../../src/lib/models/bdw.ts';
import { gammaln } from '../../src/lib/models/special/gammaln.ts';
import {
  fitSbg,
  sbgDel,
  sbgDerl,
  sbgExpectedLifetime,
  sbgLogLikelihood,
  sbgSurvivalCurve,
} from '../../src/lib/models/sbg.ts';
import { Rng } from '../../src/lib/sim/rng.ts';

// Fader & Hardie (2007) Table 1, years 0–7, per 1000 customers (fixture fader_hardie_2007_table1_survival.csv).
const highEnd = [1000, 869, 743, 653, 593, 551, 517, 491];
const regular = [1000, 631, 468, 382, 326, 289, 262, 241];

describe('BdW reduces to the sBG at c = 1', () => {
  it('same log-likelihood on Table 1 (to 1e-9)', () => {
    for (const [alpha, beta, data] of [
      [0.668, 3.806, highEnd],
      [0.704, 1.182, regular],
      [3.8, 15.2, [10000, 8000, 6480, 5307, 4391]],
    ] as const) {
      expect(bdwLogLikelihood({ alpha, beta, c: 1 }, data)).toBeCloseTo(
        sbgLogLikelihood({ alpha, beta }, data),
        9,
      );
    }
  });
  it('same survival, expected lifetime, DEL and DERL', () => {
    const p = { alpha: 3.8, beta: 15.2 };
    const q = { ...p, c: 1 };
    const a = bdwSurvivalCurve(q, 30);
    const b = sbgSurvivalCurve(p, 30);
    for (let t = 0; t <= 30; t++) expect(a[t]).toBeCloseTo(b[t], 13);
    expect(bdwExpectedLifetime(q)).toBeCloseTo(sbgExpectedLifetime(p), 8);
    expect(bdwDel(q, 0.1)).toBeCloseTo(sbgDel(p, 0.1), 11);
    for (let n = 0; n < 5; n++) expect(bdwDerl(q, 0.1, n)).toBeCloseTo(sbgDerl(p, 0.1, n), 11);
    expect(bdwDerl(q, 0, 2)).toBeCloseTo(17.2 / 2.8, 8);
  });
});

describe('fitBdw', () => {
  it('fits Table 1 at least as well as the sBG (nested model) and matches scipy', () => {
    const sbg = fitSbg(highEnd);
    const bdw = fitBdw(highEnd);
    expect(bdw.logLikelihood).toBeGreaterThanOrEqual(sbg.logLikelihood - 1e-9);
    // scipy Nelder–Mead on the same likelihood: alpha 0.214253, beta 1.426575, c 1.723565, LL −1605.3142132.
    expect(bdw.logLikelihood).toBeCloseTo(-1605.314213214193, 5);
    expect(bdw.params.alpha).toBeCloseTo(0.214253, 4);
    expect(bdw.params.beta).toBeCloseTo(1.426575, 3);
    expect(bdw.params.c).toBeCloseTo(1.723565, 3);
    expect(bdw.converged).toBe(true);
    const r = fitBdw(regular);
    expect(r.logLikelihood).toBeGreaterThanOrEqual(fitSbg(regular).logLikelihood - 1e-9);
  });
  it('matches retenmod/foretell on their README example (High End years 0–4)', () => {
    // retenmod (Python port of the R package foretell): params [0.25936956, 1.72276277, 1.58428486],
    // negLL 122.27493183193245 for surv = [100, 86.9, 74.3, 65.3, 59.3].
    const fit = fitBdw([100, 86.9, 74.3, 65.3, 59.3]);
    expect(fit.logLikelihood).toBeCloseTo(-122.27493183193245, 6);
    expect(fit.params.alpha).toBeCloseTo(0.25937, 3);
    expect(fit.params.beta).toBeCloseTo(1.72276, 2);
    expect(fit.params.c).toBeCloseTo(1.58428, 2);
  });
  it('recovers alpha, beta, c from a seeded simulation (within 3 standard errors)', () => {
    // 30,000 customers, θ ~ Beta(1.2, 3), lifetime T = smallest t with (1−θ)^(t^c) < U, observed 12 periods.
    const truth = { alpha: 1.2, beta: 3, c: 0.7 };
    const rng = Rng.fromSeed(2018);
    const periods = 12;
    const alive = new Float64Array(periods + 1);
    for (let i = 0; i < 30000; i++) {
      const theta = rng.beta(truth.alpha, truth.beta);
      const u = rng.uniform();
      // survive to t iff t^c * log(1−θ) > log U  ⇔  t < (log U / log(1−θ))^(1/c)
      const limit = Math.pow(Math.log(u) / Math.log1p(-theta), 1 / truth.c);
      for (let t = 0; t <= periods; t++) if (t < limit) alive[t]++;
    }
    const fit = fitBdw(Array.from(alive));
    for (const k of ['alpha', 'beta', 'c'] as const) {
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.standardErrors[k]);
    }
    // and the sBG is clearly worse on duration-dependent data
    expect(fit.logLikelihood - fitSbg(Array.from(alive)).logLikelihood).toBeGreaterThan(5);
  });
  it('finds c ≈ 1 on the multi-cohort sBG data (generated from sBG(3.8, 15.2), Fader & Hardie note)', () => {
    // Cohorts 2001–2005 of hardie_multicohort_sbg_raw.csv, right-censored at different ages.
    const cohorts = [
      [10000, 8000, 6480, 5307, 4391],
      [10000, 8000, 6480, 5307],
      [10000, 8000, 6480],
      [10000, 8000],
      [10000],
    ].map((alive) => ({ alive }));
    const fit = fitBdw(cohorts);
    expect(Math.abs(fit.params.c - 1)).toBeLessThan(2 * fit.standardErrors.c);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(fitSbg(cohorts).logLikelihood - 1e-9);
  });
  it('needs 3 periods: "fitBdw needs at least 3 periods of survival counts …"', () => {
    expect(() => fitBdw([1000, 800, 700])).toThrow(/fitBdw needs at least 3 periods of survival counts/);
    expect(() => fitBdw([1000, 800])).toThrow('fitBdw needs at least 2 periods of survival counts (got 1)');
  });
});

describe('BdW curves (properties)', () => {
  const params = fc.record({
    alpha: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    beta: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    c: fc.double({ min: 0.05, max: 5, noNaN: true }),
  });
  it('survival is non-increasing, retention in [0, 1], churn probabilities non-negative', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 300 }), (p, t) => {
        const r = bdwRetention(p, t);
        return (
          bdwSurvival(p, t) <= bdwSurvival(p, t - 1) + 1e-15 &&
          r >= 0 &&
          r <= 1 &&
          bdwChurnProbability(p, t) >= 0
        );
      }),
      { numRuns: 300 },
    );
  });
  it('log-likelihood is finite for extreme but valid inputs', () => {
    fc.assert(
      fc.property(
        params,
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 3, maxLength: 24 }),
        (p, drops) => {
          let a = 1_000_000;
          const s = [a];
          for (const d of drops) s.push((a = Math.max(0, a - d)));
          const ll = bdwLogLikelihood(p, s);
          return Number.isFinite(ll) || ll === -Infinity;
        },
      ),
      { numRuns: 200 },
    );
  });
  it('DERL decreases as the discount rate rises', () => {
    fc.assert(
      fc.property(
        fc.record({
          alpha: fc.double({ min: 0.1, max: 20, noNaN: true }),
          beta: fc.double({ min: 0.1, max: 20, noNaN: true }),
          c: fc.double({ min: 0.3, max: 3, noNaN: true }),
        }),
        fc.double({ min: 0.02, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10 }),
        (p, d, n) => bdwDerl(p, d + 0.05, n) < bdwDerl(p, d, n),
      ),
      { numRuns: 100 },
    );
  });
  it('expected lifetime is Infinity when c·alpha ≤ 1 and matches a long direct sum otherwise', () => {
    expect(bdwExpectedLifetime({ alpha: 0.9, beta: 2, c: 1.1 })).toBe(Infinity);
    // c·alpha = 4: S(t) ~ t^-4, the direct sum to 5,000 periods leaves a tail < 1e-10.
    const p = { alpha: 2, beta: 3, c: 2 };
    const curve = bdwSurvivalCurve(p, 5000);
    expect(bdwExpectedLifetime(p)).toBeCloseTo(
      curve.reduce((a, b) => a + b, 0),
      8,
    );
  });
});

describe('lgammaDiff', () => {
  it('equals gammaln(y + a) − gammaln(y) where that is accurate, and the asymptote for huge y', () => {
    for (const [y, a] of [
      [0.3, 2],
      [14.9, 0.7],
      [15, 0.7],
      [20, 3.5],
      [400, 0.01],
    ]) {
      expect(lgammaDiff(y, a)).toBeCloseTo(gammaln(y + a) - gammaln(y), 11);
    }
    // log Γ(y+½) − log Γ(y) = ½ log y − 1/(8y) + O(y⁻³); at y = 1e10 the O(y⁻³) term is 1e-31.
    expect(lgammaDiff(1e10, 0.5)).toBeCloseTo(0.5 * Math.log(1e10) - 1 / 8e10, 13);
  });
});
