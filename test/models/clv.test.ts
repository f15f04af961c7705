import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { predictClv, simulateCustomerClv, type PurchaseModel } from '../../src/lib/models/clv.ts';
import { fitBgNbd } from '../../src/lib/models/bgNbd.ts';
import { fitGammaGamma, ggConditionalExpectedSpend } from '../../src/lib/models/gammaGamma.ts';
import { Rng } from '../../src/lib/sim/rng.ts';
import { cdnowSpend } from './cdnow.ts';

const data = cdnowSpend();
const bg = fitBgNbd(data);
const keep = Array.from(data.frequency.keys()).filter(
  (i) => data.frequency[i] > 0 && data.monetaryValue![i] > 0,
);
const gg = fitGammaGamma({
  frequency: keep.map((i) => data.frequency[i]),
  monetaryValue: keep.map((i) => data.monetaryValue![i]),
});
const purchase: PurchaseModel = { model: 'bgnbd', params: bg.params, covariance: bg.covariance };
const spend = { params: gg.params, covariance: gg.covariance };
const one = { frequency: [2], recency: [30.43], T: [38.86], monetaryValue: [22.35] };

describe('predictClv', () => {
  it('with no discounting, discounted purchases = conditional expected purchases (FHL 2005: 1.226 for x=2, t_x=30.43, T=38.86)', () => {
    const r = predictClv(purchase, one, spend, { horizon: 39 });
    expect(r.discountedPurchases[0]).toBeCloseTo(r.expectedPurchases[0], 10);
    expect(r.expectedPurchases[0]).toBeCloseTo(1.226, 3);
    // Gamma-Gamma conditional spend for this customer: 24.66 USD (gammaGamma.ts example / FHL 2005 iso-value paper).
    expect(r.clv![0]).toBeCloseTo(
      r.expectedPurchases[0] * ggConditionalExpectedSpend(gg.params, 2, 22.35),
      8,
    );
  });
  it('units are explicit: weekly data with a 10% annual rate (period 52) = the same data in days with period 364', () => {
    const weekly = predictClv(purchase, one, spend, {
      horizon: 39,
      discountRate: 0.1,
      discountPeriod: 52,
      steps: 39,
    });
    const p = bg.params;
    const daily = predictClv(
      { model: 'bgnbd', params: { ...p, alpha: p.alpha * 7 } },
      { ...one, recency: [30.43 * 7], T: [38.86 * 7] },
      spend,
      { horizon: 39 * 7, discountRate: 0.1, discountPeriod: 52 * 7, steps: 39 },
    );
    expect(daily.clv![0]).toBeCloseTo(weekly.clv![0], 9);
    expect(daily.clv![0]).toBeLessThan(weekly.expectedPurchases[0] * weekly.expectedSpend![0]);
  });
  it('midpoint discounting converges: 39 vs 390 steps agree to 1e-5 relative', () => {
    const a = predictClv(purchase, one, spend, {
      horizon: 39,
      discountRate: 0.3,
      discountPeriod: 52,
      steps: 39,
    });
    const b = predictClv(purchase, one, spend, {
      horizon: 39,
      discountRate: 0.3,
      discountPeriod: 52,
      steps: 390,
    });
    expect(Math.abs(a.clv![0] / b.clv![0] - 1)).toBeLessThan(1e-5);
  });
  /** The first n CDNOW customers (a fast subset for the Monte Carlo intervals). */
  const firstCustomers = (n: number) => ({
    frequency: data.frequency.slice(0, n),
    recency: data.recency.slice(0, n),
    T: data.T.slice(0, n),
    monetaryValue: data.monetaryValue!.slice(0, n),
  });
  it('same seed => identical intervals; another seed => different', () => {
    const opts = { horizon: 39, discountRate: 0.1, discountPeriod: 52, interval: 0.8, draws: 100, seed: 7 };
    const sub = firstCustomers(50);
    const a = predictClv(purchase, sub, spend, opts);
    const b = predictClv(purchase, sub, spend, opts);
    const c = predictClv(purchase, sub, spend, { ...opts, seed: 8 });
    expect(Array.from(a.clvHigh!)).toEqual(Array.from(b.clvHigh!));
    expect(Array.from(a.clvHigh!)).not.toEqual(Array.from(c.clvHigh!));
    for (let i = 0; i < 50; i++) expect(a.clvLow![i]).toBeLessThanOrEqual(a.clvHigh![i]);
  });
  it('the median lies within P10..P90 of the same draws and, the distribution being right-skewed, mostly below the mean', () => {
    const opts = { horizon: 39, discountRate: 0.1, discountPeriod: 52, interval: 0.8, draws: 100, seed: 7 };
    const sub = firstCustomers(200);
    const a = predictClv(purchase, sub, spend, opts);
    let below = 0;
    for (let i = 0; i < 200; i++) {
      expect(a.clvMedian![i]).toBeGreaterThanOrEqual(a.clvLow![i]);
      expect(a.clvMedian![i]).toBeLessThanOrEqual(a.clvHigh![i]);
      if (a.clvMedian![i] < a.clv![i]) below++;
    }
    expect(below).toBeGreaterThan(150);
    expect(predictClv(purchase, sub, spend, { ...opts, interval: 0 }).clvMedian).toBeNull();
  });
  it('the Monte Carlo process mean matches the analytic CLV within 4 sigma/sqrt(n) (no parameter uncertainty)', () => {
    const n = 40000;
    const out = new Float64Array(n);
    const th = [bg.params.r, bg.params.alpha, bg.params.a, bg.params.b];
    const sp = [gg.params.p, gg.params.q, gg.params.gamma];
    const rho = Math.log1p(0.1) / 52;
    simulateCustomerClv(
      'bgnbd',
      new Array(n).fill(th),
      new Array(n).fill(sp),
      2,
      30.43,
      38.86,
      22.35,
      { H: 39, rho, margin: 1 },
      Rng.fromSeed(3),
      out,
    );
    let m = 0;
    let v = 0;
    for (const x of out) m += x / n;
    for (const x of out) v += (x - m) ** 2 / (n - 1);
    const analytic = predictClv(
      { model: 'bgnbd', params: bg.params },
      one,
      { params: gg.params },
      { horizon: 39, discountRate: 0.1, discountPeriod: 52, steps: 390 },
    ).clv![0];
    expect(Math.abs(m - analytic)).toBeLessThan((4 * Math.sqrt(v)) / Math.sqrt(n));
  });
  it('Pareto/NBD process mean matches the analytic CLV too', async () => {
    const { fitParetoNbd } = await import('../../src/lib/models/paretoNbd.ts');
    const pn = fitParetoNbd(data);
    const n = 40000;
    const out = new Float64Array(n);
    const th = [pn.params.r, pn.params.alpha, pn.params.s, pn.params.beta];
    const sp = [gg.params.p, gg.params.q, gg.params.gamma];
    simulateCustomerClv(
      'pnbd',
      new Array(n).fill(th),
      new Array(n).fill(sp),
      2,
      30.43,
      38.86,
      22.35,
      { H: 39, rho: 0, margin: 1 },
      Rng.fromSeed(4),
      out,
    );
    let m = 0;
    let v = 0;
    for (const x of out) m += x / n;
    for (const x of out) v += (x - m) ** 2 / (n - 1);
    const analytic = predictClv(
      { model: 'pnbd', params: pn.params },
      one,
      { params: gg.params },
      { horizon: 39 },
    ).clv![0];
    expect(Math.abs(m - analytic)).toBeLessThan((4 * Math.sqrt(v)) / Math.sqrt(n));
  });
  it('CLV is non-increasing in the discount rate (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 30 }),
        (d1, d2, x) => {
          const cust = {
            frequency: [x],
            recency: [x === 0 ? 0 : 20],
            T: [38],
            monetaryValue: [x === 0 ? 0 : 30],
          };
          const lo = Math.min(d1, d2);
          const hi = Math.max(d1, d2);
          const a = predictClv(purchase, cust, spend, { horizon: 52, discountRate: lo, discountPeriod: 52 })
            .clv![0];
          const b = predictClv(purchase, cust, spend, { horizon: 52, discountRate: hi, discountPeriod: 52 })
            .clv![0];
          return b <= a * (1 + 1e-12) && b >= 0;
        },
      ),
      { numRuns: 100 },
    );
  });
  it('new-customer CLV = margin × population mean spend × discounted E[X(t)]', () => {
    const r = predictClv(purchase, one, spend, { horizon: 39, margin: 0.3 });
    expect(r.newCustomer.clv).toBeCloseTo(
      0.3 * ((gg.params.p * gg.params.gamma) / (gg.params.q - 1)) * r.newCustomer.expectedPurchases,
      8,
    );
  });
  it('bad options say what to fix', () => {
    expect(() => predictClv(purchase, one, spend, { horizon: 0 })).toThrow(/horizon > 0/);
    expect(() => predictClv(purchase, one, spend, { horizon: 5, discountRate: -1 })).toThrow(
      /discount rate >= 0/,
    );
    expect(() => predictClv(purchase, one, spend, { horizon: 5, interval: 1.5 })).toThrow(
      /interval probability/,
    );
  });
});
