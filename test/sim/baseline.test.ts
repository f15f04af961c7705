import { describe, expect, it } from 'vitest';
import { baselineFromFits } from '../../src/lib/sim/baseline.ts';
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
