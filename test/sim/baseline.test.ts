import { describe, expect, it } from 'vitest';
import { baselineFromFits, baselineFromModels, matchSbg, survival } from '../../src/lib/sim/baseline.ts';
import { sbgFromRetention } from '../../src/lib/sim/inputs.ts';

describe('baselineFromFits', () => {
  it('sBG maps exactly: alpha = 0.668, beta = 3.806 round-trips through the sliders', () => {
    // Fader & Hardie (2007) "high end" segment parameters.
    const { inputs } = baselineFromFits({ sbg: { alpha: 0.668, beta: 3.806 } });
    expect(inputs.retentionPerPeriod).toBeCloseTo(3.806 / 4.474, 14);
    const back = sbgFromRetention(inputs.retentionPerPeriod ?? 0, inputs.retentionHeterogeneity ?? 0);
    expect(back?.alpha).toBeCloseTo(0.668, 12);
  });

  it('CDNOW BG/NBD + Gamma-Gamma (published fits) -> 2.87 purchases/yr, retention e^(−p̄λ̄·52.1775/12), AOV 35.22', () => {
    // BG/NBD: Fader, Hardie & Lee (2005) r = 0.243, alpha = 4.414 (weeks), a = 0.793, b = 2.426.
    // Gamma-Gamma: p = 6.25, q = 3.74, gamma = 15.44 -> E[z] = 6.25 × 15.44 / 2.74 = 35.2189…
    const { inputs, purchaseRateShape, notes } = baselineFromFits({
      bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
    });
    const lambda = 0.243 / 4.414;
    expect(inputs.purchasesPerYear).toBeCloseTo(lambda * 52.1775, 12);
    expect(inputs.retentionPerPeriod).toBeCloseTo(Math.exp(-(0.793 / 3.219) * lambda * (52.1775 / 12)), 12);
    expect(inputs.retentionHeterogeneity).toBeCloseTo(1 / 4.219, 12);
    expect(inputs.averageOrderValue).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    expect(purchaseRateShape).toBe(0.243);
    expect(notes.some((n) => /approximated/.test(n))).toBe(true);
  });

  it('sBG wins over BG/NBD for retention; invalid fits are skipped with notes', () => {
    const r = baselineFromFits({
      sbg: { alpha: 1, beta: 3 },
      bgNbd: { r: 1, alpha: 10, a: 1, b: 1 },
      gammaGamma: { p: 1, q: 0.5, gamma: 1 },
    });
    expect(r.inputs.retentionPerPeriod).toBe(0.75);
    expect(r.inputs.averageOrderValue).toBeUndefined();
    expect(r.notes.some((n) => /Gamma-Gamma/.test(n))).toBe(true);
    expect(baselineFromFits({ sbg: { alpha: -1, beta: Number.NaN } }).notes.length).toBe(1);
  });
});

describe('baselineFromModels (survival-matched sBG)', () => {
  // Hand-computed cases: with r = 1 and p ~ Beta(1, 1) (uniform) the BG/NBD survival is
  // ∫0^1 (1 + p t/α)^(−1) dp = ln(1 + c)/c with c = t/α, and the MBG/NBD one ∫0^1 (1 − p)/(1 + c p) dp
  // = ((1 + c) ln(1 + c) − c)/c². Tolerance 1e-12: the closed forms and hyp2f1 are both float64-exact here.
  const uniform = { r: 1, alpha: 2, a: 1, b: 1 };
  it('survival(BG/NBD, r = 1, p ~ U(0, 1), t = 3, α = 2) = ln(2.5)/1.5', () => {
    expect(survival({ model: 'bgnbd', params: uniform, unitsPerYear: 12 }, 3)).toBeCloseTo(
      Math.log(2.5) / 1.5,
      12,
    );
  });
  it('survival(MBG/NBD, same) = (2.5 ln 2.5 − 1.5)/1.5²', () => {
    expect(survival({ model: 'mbgnbd', params: uniform, unitsPerYear: 12 }, 3)).toBeCloseTo(
      (2.5 * Math.log(2.5) - 1.5) / 2.25,
      12,
    );
  });
  it('survival(BG/NBD) agrees with a direct numerical integral over λ and p (CDNOW parameters, t = 4.35 weeks)', () => {
    // Independent check: E_p[(1 + p t/α)^(−r)] by Simpson's rule on p ~ Beta(a, b), substituting p = u^(1/a) to
    // remove the p^(a−1) singularity; 20,000 panels give ~1e-9 accuracy.
    const { r, alpha, a, b } = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const t = 365.25 / 7 / 12;
    const n = 20_000;
    const f = (u: number) => {
      const p = u ** (1 / a);
      return (1 - p) ** (b - 1) * (1 + (p * t) / alpha) ** -r;
    };
    let sum = 0;
    for (let i = 0; i <= n; i++) sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f(i / n);
    const num = sum / (3 * n);
    const den = (() => {
      let s = 0;
      for (let i = 0; i <= n; i++)
        s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * (1 - (i / n) ** (1 / a)) ** (b - 1);
      return s / (3 * n);
    })();
    const s = survival({ model: 'bgnbd', params: { r, alpha, a, b }, unitsPerYear: 365.25 / 7 }, t);
    expect(s).toBeCloseTo(num / den, 6);
  });
  it('survival(Pareto/NBD, s = 2, β = 10, t = 10) = (10/20)² = 0.25', () => {
    const fit = { model: 'pnbd' as const, params: { r: 1, alpha: 1, s: 2, beta: 10 }, unitsPerYear: 52 };
    expect(survival(fit, 10)).toBeCloseTo(0.25, 14);
  });
  it('matchSbg(1/2, 1/3) recovers sBG α = β = 1: retention 0.5, heterogeneity 1/3', () => {
    expect(matchSbg(0.5, 1 / 3)).toEqual({
      retentionPerPeriod: 0.5,
      retentionHeterogeneity: expect.closeTo(1 / 3, 14),
    });
    expect(matchSbg(1, 1)).toBeNull();
    expect(matchSbg(Number.NaN, 0.2)).toBeNull();
  });
  it('an sBG fit on the simulator period comes back exactly (FH 2007 high end: α 0.668, β 3.806)', () => {
    const b = baselineFromModels(
      { retention: { model: 'sbg', params: { alpha: 0.668, beta: 3.806 }, periodMonths: 12 } },
      12,
    );
    expect(b.retentionFrom).toBe('retention');
    expect(b.inputs.retentionPerPeriod).toBeCloseTo(3.806 / 4.474, 12);
    expect(b.inputs.retentionHeterogeneity).toBeCloseTo(1 / 5.474, 12);
  });
  it('a quarterly sBG read monthly: S(1/3) = B(α, β + 1/3)/B(α, β)', () => {
    const b = baselineFromModels(
      { retention: { model: 'sbg', params: { alpha: 1, beta: 1 }, periodMonths: 3 } },
      1,
    );
    // α = β = 1: S(t) = 1/(1 + t), so S(1/3) = 0.75, S(2/3) = 0.6, φ = (0.6 − 0.5625)/(0.75 · 0.25) = 0.2.
    expect(b.inputs.retentionPerPeriod).toBeCloseTo(0.75, 12);
    expect(b.inputs.retentionHeterogeneity).toBeCloseTo(0.2, 12);
  });
  it('CDNOW BG/NBD + GG, monthly: purchases/yr = (r/α)·365.25/7, retention = S(1 month), AOV = pγ/(q − 1)', () => {
    const unitsPerYear = 365.25 / 7;
    const purchase = {
      model: 'bgnbd' as const,
      params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      unitsPerYear,
    };
    const b = baselineFromModels({ purchase, spend: { p: 6.25, q: 3.74, gamma: 15.44 } }, 1);
    expect(b.retentionFrom).toBe('purchase');
    expect(b.inputs.purchasesPerYear).toBeCloseTo((0.243 / 4.414) * unitsPerYear, 12);
    const s1 = survival(purchase, unitsPerYear / 12);
    const s2 = survival(purchase, unitsPerYear / 6);
    expect(b.inputs.retentionPerPeriod).toBeCloseTo(s1, 14);
    expect(b.inputs.retentionHeterogeneity).toBeCloseTo((s2 - s1 * s1) / (s1 * (1 - s1)), 14);
    // Under heterogeneity in λ and p the mean survival beats the average customer's e^(−p̄λ̄Δ) = 0.9428 (Jensen).
    expect(b.inputs.retentionPerPeriod).toBeGreaterThan(0.9428);
    expect(b.inputs.averageOrderValue).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    expect(b.purchaseRateShape).toBe(0.243);
  });
  it('the purchase model wins over the retention model for retention (same "alive" as the purchase rate)', () => {
    const b = baselineFromModels(
      {
        purchase: { model: 'pnbd', params: { r: 1, alpha: 10, s: 1, beta: 12 }, unitsPerYear: 12 },
        retention: { model: 'sbg', params: { alpha: 1, beta: 1 }, periodMonths: 1 },
      },
      1,
    );
    expect(b.retentionFrom).toBe('purchase');
    // Pareto/NBD in months: S(1) = 12/13, S(2) = 12/14.
    expect(b.inputs.retentionPerPeriod).toBeCloseTo(12 / 13, 14);
    expect(b.inputs.purchasesPerYear).toBeCloseTo(1.2, 14);
  });
  it('BG/BB yearly opportunities, yearly periods: retention δ/(γ+δ), heterogeneity 1/(γ+δ+1), rate α/(α+β)', () => {
    const b = baselineFromModels(
      {
        purchase: {
          model: 'bgbb',
          params: { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.78 },
          opportunitiesPerYear: 1,
        },
      },
      12,
    );
    expect(b.inputs.retentionPerPeriod).toBeCloseTo(2.78 / 3.44, 12);
    expect(b.inputs.retentionHeterogeneity).toBeCloseTo(1 / 4.44, 12);
    expect(b.inputs.purchasesPerYear).toBeCloseTo(1.2 / 1.95, 12);
  });
  it('invalid fits are reported, not used', () => {
    const b = baselineFromModels(
      {
        purchase: { model: 'bgnbd', params: { r: Number.NaN, alpha: 1, a: 1, b: 1 }, unitsPerYear: 52 },
        spend: { p: 1, q: 0.9, gamma: 1 },
      },
      1,
    );
    expect(b.inputs).toEqual({});
    expect(b.problems).toHaveLength(2);
  });
});
