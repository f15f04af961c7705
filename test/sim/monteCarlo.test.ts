import { describe, expect, it } from 'vitest';
import {
  runMonteCarlo,
  resolveMonteCarloOptions,
  type MonteCarloOptions,
} from '../../src/lib/sim/monteCarlo.ts';
import { computeWhatIf } from '../../src/lib/sim/unitEconomics.ts';
import type { WhatIfInputs } from '../../src/lib/sim/inputs.ts';

/** No parameter uncertainty: customers are i.i.d. draws of the process, so the analytic mean applies. */
const PROCESS_ONLY: MonteCarloOptions = { uncertainty: { defaultCv: 0 } };

/**
 * Customer-average CLV within 4 standard errors (sd/√n) of the analytic clvModel. With a fixed seed the check is
 * deterministic; a biased simulator (wrong survival, wrong discounting, wrong win-back) fails it, since at
 * n = 10,000 the standard error is ~1% of CLV while every such bug moves the mean by more.
 */
function expectUnbiased(inputs: Partial<WhatIfInputs>, options: MonteCarloOptions): void {
  const det = computeWhatIf(inputs);
  const mc = runMonteCarlo(inputs, { ...PROCESS_ONLY, ...options });
  const se = mc.customerClv.standardError;
  expect(se).toBeGreaterThan(0);
  expect(Math.abs(mc.customerClv.mean - det.clvModel)).toBeLessThanOrEqual(4 * se);
}

describe('runMonteCarlo', () => {
  it('same seed => identical output, bit for bit', () => {
    const inputs = { retentionHeterogeneity: 0.3, winBackRatePerPeriod: 0.02 };
    const a = runMonteCarlo(inputs, { seed: 42, customers: 2000, worlds: 40 });
    const b = runMonteCarlo(inputs, { seed: 42, customers: 2000, worlds: 40 });
    expect(Array.from(a.byWorld.clv)).toEqual(Array.from(b.byWorld.clv));
    expect(Array.from(a.cumulativeCashPerCustomer?.p50 ?? [])).toEqual(
      Array.from(b.cumulativeCashPerCustomer?.p50 ?? []),
    );
    expect(a.customerClv).toEqual(b.customerClv);
    expect(a.probLtvCacAbove).toBe(b.probLtvCacAbove);
  });

  it('different seeds => different draws', () => {
    const a = runMonteCarlo({}, { seed: 1, customers: 1000, worlds: 20 });
    const b = runMonteCarlo({}, { seed: 2, customers: 1000, worlds: 20 });
    expect(Array.from(a.byWorld.clv)).not.toEqual(Array.from(b.byWorld.clv));
  });

  it('unbiased vs analytic sBG CLV (heterogeneity 0.3, Poisson/Gamma purchases), within 4σ/√n', () => {
    expectUnbiased({ retentionPerPeriod: 0.9, retentionHeterogeneity: 0.3 }, { seed: 11 });
  });
  it('unbiased vs analytic constant-churn CLV (heterogeneity 0)', () => {
    expectUnbiased({ retentionPerPeriod: 0.85, retentionHeterogeneity: 0 }, { seed: 12 });
  });
  it('unbiased with win-back 5%/month and a programme cost', () => {
    expectUnbiased(
      {
        retentionPerPeriod: 0.8,
        retentionHeterogeneity: 0.4,
        winBackRatePerPeriod: 0.05,
        programmeCostPerCustomerPerPeriod: 1.5,
      },
      { seed: 13 },
    );
  });
  it('unbiased with the fixed (subscription) purchase model and quarterly periods', () => {
    expectUnbiased(
      { periodMonths: 3, retentionPerPeriod: 0.7, retentionHeterogeneity: 0.5, horizonMonths: 48 },
      { seed: 14, purchaseModel: 'fixed' },
    );
  });
  it('unbiased with very polarised customers (heterogeneity 0.9)', () => {
    expectUnbiased({ retentionPerPeriod: 0.6, retentionHeterogeneity: 0.9 }, { seed: 15 });
  });

  it('share alive per period matches A(t) within 4 binomial standard errors (one world of 10,000)', () => {
    // With no win-back each customer is alive at t with probability A(t), independently: SE = sqrt(A(1 − A)/n).
    const inputs = { retentionPerPeriod: 0.88, retentionHeterogeneity: 0.35, horizonMonths: 36 };
    const det = computeWhatIf(inputs);
    const mc = runMonteCarlo(inputs, { ...PROCESS_ONLY, seed: 5, worlds: 1, customers: 10_000 });
    const band = mc.alivePerCustomer;
    expect(band).not.toBeNull();
    for (let t = 1; t < 36; t += 5) {
      const A = det.alivePerCustomer[t];
      expect(Math.abs((band?.mean[t] ?? NaN) - A)).toBeLessThanOrEqual(4 * Math.sqrt((A * (1 - A)) / 10_000));
    }
  });

  it('probabilities equal the frequencies over worlds', () => {
    const mc = runMonteCarlo({ acquisitionCost: 60 }, { seed: 3, customers: 4000, worlds: 80 });
    const above = Array.from(mc.byWorld.ltvToCac).filter((x) => x > 3).length / 80;
    const within = Array.from(mc.byWorld.paybackMonths).filter((x) => x <= 12).length / 80;
    expect(mc.probLtvCacAbove).toBe(above);
    expect(mc.probPaybackWithin).toBe(within);
    expect(mc.clv.p10).toBeLessThanOrEqual(mc.clv.p50);
    expect(mc.clv.p50).toBeLessThanOrEqual(mc.clv.p90);
  });

  it('parameter uncertainty widens the CLV interval', () => {
    const narrow = runMonteCarlo({}, { seed: 9, uncertainty: { defaultCv: 0 } });
    const wide = runMonteCarlo({}, { seed: 9, uncertainty: { defaultCv: 0.3 } });
    expect(wide.clv.p90 - wide.clv.p10).toBeGreaterThan(narrow.clv.p90 - narrow.clv.p10);
  });

  it('standard errors override the default coefficient of variation', () => {
    const mc = runMonteCarlo(
      {},
      {
        seed: 9,
        uncertainty: {
          defaultCv: 0.3,
          retentionStdError: 0,
          averageOrderValueStdError: 0,
          purchasesPerYearStdError: 0,
        },
      },
    );
    const none = runMonteCarlo({}, { seed: 9, uncertainty: { defaultCv: 0 } });
    expect(Array.from(mc.byWorld.clv)).toEqual(Array.from(none.byWorld.clv));
  });

  it('payback "never" within the horizon is reported as null with probNever', () => {
    const mc = runMonteCarlo({ acquisitionCost: 1e6 }, { seed: 1, customers: 500, worlds: 10 });
    expect(mc.paybackMonths.p50).toBeNull();
    expect(mc.paybackMonths.probNever).toBe(1);
    expect(mc.probPaybackWithin).toBe(0);
  });

  it('CAC = 0: LTV:CAC interval is null and payback is immediate', () => {
    const mc = runMonteCarlo({ acquisitionCost: 0 }, { seed: 1, customers: 500, worlds: 10 });
    expect(mc.ltvToCac).toBeNull();
    expect(mc.paybackMonths.p50).toBe(0);
  });

  it('hostile options are clamped, never thrown', () => {
    const o = resolveMonteCarloOptions({
      customers: Number.NaN,
      worlds: -5,
      seed: Infinity,
      purchaseModel: 'x' as 'fixed',
    });
    expect(o.customers).toBe(10_000);
    expect(o.worlds).toBe(1);
    expect(o.seed).toBe(1);
    expect(o.purchaseModel).toBe('poisson');
    expect(() => runMonteCarlo({}, { customers: 5, worlds: 10 })).not.toThrow();
  });

  it('bands have the right lengths and ordering P10 <= P50 <= P90', () => {
    const mc = runMonteCarlo({ horizonMonths: 24 }, { seed: 4, customers: 2000, worlds: 50 });
    const cash = mc.cumulativeCashPerCustomer;
    expect(cash?.p10.length).toBe(25);
    expect(mc.alivePerCustomer?.p50.length).toBe(24);
    for (let t = 0; t < 25; t++) {
      expect(cash?.p10[t] ?? NaN).toBeLessThanOrEqual(cash?.p50[t] ?? NaN);
      expect(cash?.p50[t] ?? NaN).toBeLessThanOrEqual(cash?.p90[t] ?? NaN);
    }
  });
});

describe('transferablesOf', () => {
  it('lists every Float64Array buffer of a Monte Carlo result once', async () => {
    const { transferablesOf } = await import('../../src/lib/sim/index.ts');
    const mc = runMonteCarlo({}, { seed: 1, customers: 500, worlds: 10 });
    const bufs = transferablesOf(mc);
    expect(bufs).toContain(mc.byWorld.clv.buffer);
    expect(bufs).toContain(mc.cumulativeCashPerCustomer?.p90.buffer);
    expect(new Set(bufs).size).toBe(bufs.length);
    const det = computeWhatIf({});
    expect(transferablesOf(det)).toContain(det.layerCake.buffer);
  });
});
