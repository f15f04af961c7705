import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateScenario, scenarioInputs, type Scenario } from '../../src/lib/scenario/schema.ts';
import { computeWhatIf, whatIfMetrics } from '../../src/lib/sim/unitEconomics.ts';
import { compareScenarios } from '../../src/lib/sim/compare.ts';
import { monteCarloOptionsFromScenario } from '../../src/lib/sim/index.ts';

const DIR = join(import.meta.dirname, '../../scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function load(id: string): Scenario {
  const { scenario, errors } = validateScenario(JSON.parse(readFileSync(join(DIR, `${id}.json`), 'utf8')));
  expect(errors).toEqual([]);
  return scenario;
}

describe('scenario library numbers', () => {
  it('textbook: $750 exactly; variants follow the hand-derived closed forms', () => {
    const s = load('textbook');
    const base = whatIfMetrics(s.baseline);
    expect(base.clvTextbook).toBe(750);
    // 150/yr × (1 + 0.8 + 0.8² + 0.8³ + 0.8⁴) = 150 × 3.3616 = 504.24 (annual periods, start-of-year cash).
    expect(base.clvConstantChurn).toBeCloseTo(504.24, 10);
    const margin = whatIfMetrics(scenarioInputs(s, 1));
    expect(margin.steps.withMargin).toBe(225); // 750 × 30%
    expect(margin.clvConstantChurn).toBeCloseTo(0.3 * 504.24, 10);
    // 45 × (1 − q⁵)/(1 − q), q = 0.8/1.1 (independent Python: 131.42852264189608).
    expect(whatIfMetrics(scenarioInputs(s, 2)).clvConstantChurn).toBeCloseTo(131.42852264189608, 9);
    // 50-year horizon: 45 × (1 − q⁵⁰)/(1 − q) → 165 × (1 − q⁵⁰), q⁵⁰ = 1.2e-7.
    const long = whatIfMetrics(scenarioInputs(s, 4));
    expect(long.clvConstantChurn).toBeCloseTo(165 * (1 - (0.8 / 1.1) ** 50), 9);
    expect(long.steps.constantChurnPerpetuity).toBeCloseTo(165, 10);
    // Heterogeneous variant: same first-year retention, higher value.
    expect(whatIfMetrics(scenarioInputs(s, 3)).clvModel).toBeGreaterThan(
      whatIfMetrics(scenarioInputs(s, 2)).clvModel,
    );
  });

  it('subscription: R$24,000 exactly, and LTV:CAC just under 3 at CAC R$3,000', () => {
    const s = load('subscription');
    const m = whatIfMetrics(s.baseline);
    expect(m.clvTextbook).toBe(24000);
    // 350 × (1 − q⁴⁸)/(1 − q), q = (47/48)/1.12^(1/12); independent Python value 8956.651808555185.
    expect(m.clvConstantChurn).toBeCloseTo(8956.651808555185, 8);
    expect(m.ltvToCac).toBeCloseTo(8956.651808555185 / 3000, 10);
    expect(s.currency).toBe('BRL');
  });

  for (const file of FILES) {
    const id = file.replace(/\.json$/, '');
    it(`${id}: pinned "expected" values match the engine; all variants compute without NaN`, () => {
      const s = load(id);
      const m = whatIfMetrics(s.baseline);
      for (const [key, want] of Object.entries(s.expected)) {
        const got = m[key as keyof typeof m] as number | null;
        expect(got).not.toBeNull();
        // 1e-9 relative: the pinned values are hand/independently derived to at least 10 significant digits.
        expect(Math.abs((got ?? NaN) - want)).toBeLessThanOrEqual(1e-9 * Math.abs(want));
      }
      const cmp = compareScenarios(
        s.baseline,
        s.variants.map((v) => v.inputs),
        null,
      );
      for (const row of cmp.rows) {
        expect(Number.isFinite(row.metrics.clvModel)).toBe(true);
        expect(Number.isFinite(row.metrics.cohortProfit36Months)).toBe(true);
      }
    });
  }

  it('private-domain: reminders plus larger private-channel orders beat reminders alone', () => {
    const s = load('private-domain');
    const [, reminders, both] = [0, 1, 2].map((i) => whatIfMetrics(scenarioInputs(s, i)).clvModel);
    expect(both).toBeGreaterThan(reminders);
    expect(reminders).toBeGreaterThan(whatIfMetrics(s.baseline).clvModel);
  });

  it('acquisition channels: the messaging app has the higher LTV:CAC', () => {
    const s = load('acquisition-channels');
    expect(whatIfMetrics(scenarioInputs(s, 1)).ltvToCac ?? 0).toBeGreaterThan(
      whatIfMetrics(s.baseline).ltvToCac ?? 0,
    );
  });

  it('win-back keeps more customers active at the end of the horizon', () => {
    const s = load('win-back');
    const base = computeWhatIf(s.baseline);
    const wb = computeWhatIf(scenarioInputs(s, 1));
    expect(wb.alivePerCustomer[wb.periods - 1]).toBeGreaterThan(base.alivePerCustomer[base.periods - 1]);
  });

  it('the Monte Carlo of the CDNOW scenario runs with its stored standard errors', () => {
    const s = load('cdnow-fitted');
    const opt = monteCarloOptionsFromScenario(s.monteCarlo);
    expect(opt.uncertainty?.retentionStdError).toBe(0.004);
    const cmp = compareScenarios(
      s.baseline,
      s.variants.map((v) => v.inputs),
      { ...opt, customers: 2000, worlds: 40 },
    );
    expect(cmp.rows[1].intervals?.clv.p50 ?? 0).toBeGreaterThan(0);
  });
});

describe('cdnow-fitted scenario', () => {
  it('its baseline equals baselineFromFits on the published CDNOW parameters (to the 4 decimals stored)', async () => {
    const { baselineFromFits } = await import('../../src/lib/sim/baseline.ts');
    const s = load('cdnow-fitted');
    const { inputs } = baselineFromFits({
      bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
    });
    expect(s.baseline.retentionPerPeriod).toBeCloseTo(inputs.retentionPerPeriod ?? NaN, 4);
    expect(s.baseline.purchasesPerYear).toBeCloseTo(inputs.purchasesPerYear ?? NaN, 3);
    expect(s.baseline.retentionHeterogeneity).toBeCloseTo(inputs.retentionHeterogeneity ?? NaN, 3);
    expect(s.baseline.averageOrderValue).toBeCloseTo(inputs.averageOrderValue ?? NaN, 2);
  });
});
