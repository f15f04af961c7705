import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engine, CDNOW_DEMO } from '../../src/lib/engine/index.ts';
import {
  dropLastPeriods,
  fitRetentionModel,
  interPurchaseGapDays,
  parseTable1Csv,
  pooledRetentionRate,
  retentionBands,
} from '../../src/lib/engine/retention.ts';
import { sbgDerl } from '../../src/lib/models/sbg.ts';
import type { DatasetPayload } from '../../src/lib/engine/types.ts';

// The bundled Table 1 (public/demo/retention_table1.csv; provenance in its header: Fader & Hardie 2007, Table 1).
const table1Text = readFileSync(new URL('../../public/demo/retention_table1.csv', import.meta.url), 'utf8');
const table1 = (segment: 'regular' | 'highEnd', model: 'sbg' | 'bdw' = 'sbg', extra = {}) =>
  fitRetentionModel({ source: 'table1', table1Text, segment, model, horizon: 12, ...extra });

describe('retention engine: Fader & Hardie (2007) Table 1 source', () => {
  it('parseTable1Csv => 13 years per segment, per 1,000 (Table 1: Regular 631 at year 1, High End 394 at year 12)', () => {
    const t = parseTable1Csv(table1Text);
    expect(t.year).toEqual(Array.from({ length: 13 }, (_, k) => k));
    expect(t.regular.slice(0, 3)).toEqual([1000, 631, 468]);
    expect(t.highEnd[12]).toBe(394);
  });

  it('Regular, years 0–7 => alpha 0.704, beta 1.182 (Fader & Hardie 2007, section 4)', () => {
    const r = table1('regular');
    // Paper prints 3 decimals; the likelihood is flat only to ~1e-4 in each parameter, so ±0.0005 (printed rounding).
    expect(Math.abs(r.report.params.alpha - 0.704)).toBeLessThan(5e-4);
    expect(Math.abs(r.report.params.beta - 1.182)).toBeLessThan(5e-4);
    expect(r.report.logLikelihood).toBeCloseTo(-1680.27, 1); // sbg.ts fitSbg doc: LL −1680.27 on the same counts
    expect(r.fitEnd).toBe(7);
    expect(r.report.n).toBe(1000);
  });

  it('High End, years 0–7 => alpha 0.668, beta 3.806 (Fader & Hardie 2007, section 4)', () => {
    const r = table1('highEnd');
    expect(Math.abs(r.report.params.alpha - 0.668)).toBeLessThan(5e-4);
    expect(Math.abs(r.report.params.beta - 3.806)).toBeLessThan(5e-4);
  });

  it('holdout years 8–12 are observed but not fitted; the sBG projection tracks them within 2 points', () => {
    const r = table1('highEnd');
    expect(r.observedFit!.slice(8, 13).every(Number.isNaN)).toBe(true);
    // Table 1 High End: 46.8, 44.5, 42.7, 40.9, 39.4 % at years 8–12 (the paper's fig. 3 shows the sBG tracking them).
    const holdout = [0.468, 0.445, 0.427, 0.409, 0.394];
    holdout.forEach((v, i) => {
      expect(r.observed[8 + i]).toBeCloseTo(v, 6);
      expect(Math.abs(r.model[8 + i] - v)).toBeLessThan(0.02);
    });
  });

  it('retention rate rises with tenure; constant churn is flat and undershoots survival at long tenure', () => {
    const r = table1('regular', 'sbg', { horizon: 24 });
    for (let t = 2; t < r.retentionRate.length; t++)
      expect(r.retentionRate[t]).toBeGreaterThan(r.retentionRate[t - 1]);
    expect(r.constant[24]).toBeLessThan(r.model[24]);
  });

  it('DERL at 10 %/year equals sbgDerl with the fitted params and rises with tenure; constant churn is flat', () => {
    const r = table1('highEnd', 'sbg', { annualDiscountRate: 0.1 });
    const v = r.value!;
    expect(v.discountRatePerPeriod).toBe(0.1); // years: the annual rate is the period rate
    const p = r.report.params as { alpha: number; beta: number };
    v.derlRenewals.forEach((n, i) => expect(v.derl[i]).toBeCloseTo(sbgDerl(p, 0.1, n), 12));
    for (let i = 1; i < v.derl.length; i++) expect(v.derl[i]).toBeGreaterThan(v.derl[i - 1]);
    // Constant churn q: DERL = (1 − q)(1 + d)/(d + q), the closed form of sum_j (1 − q)^(j+1)/(1 + d)^j.
    const q = r.constantChurn;
    expect(v.derlConstant).toBeCloseTo(((1 - q) * 1.1) / (0.1 + q), 12);
    // alpha < 1 => E[T] has no finite mean (Fader & Hardie 2007, eq. 9 needs alpha > 1).
    expect(r.expectedLifetime).toBe(Infinity);
    expect(v.medianLifetime).toBe(7); // S(7) = 0.489 ≤ 0.5 < S(6) = 0.522 (sbgSurvival doc example)
  });

  it('BdW on Table 1 High End => log-likelihood at least the sBG one (nested model, c = 1)', () => {
    expect(table1('highEnd', 'bdw').report.logLikelihood).toBeGreaterThanOrEqual(
      table1('highEnd', 'sbg').report.logLikelihood - 1e-6,
    );
  });
});

describe('retention bands from parameter uncertainty', () => {
  it('contain the point projection and widen with horizon (Table 1 both segments, sBG and BdW, years 0–24)', () => {
    for (const [seg, m] of [
      ['regular', 'sbg'],
      ['highEnd', 'sbg'],
      ['regular', 'bdw'],
      ['highEnd', 'bdw'],
    ] as const) {
      const r = table1(seg, m, { horizon: 24 });
      const b = r.bands!;
      expect(b.level).toBe(0.8);
      expect(b.low[0]).toBe(1);
      expect(b.high[0]).toBe(1);
      for (let t = 1; t <= 24; t++) {
        expect(b.low[t]).toBeLessThan(r.model[t]);
        expect(b.high[t]).toBeGreaterThan(r.model[t]);
        // Widening is measured on the relative (log) scale: the absolute width P90 − P10 shrinks as S(t) itself
        // falls (Regular: 0.037 at year 1, 0.033 at year 2), while log(P90/P10) grows every year.
        expect(Math.log(b.high[t] / b.low[t])).toBeGreaterThan(Math.log(b.high[t - 1] / b.low[t - 1]));
        expect(b.rateLow[t]).toBeLessThanOrEqual(r.retentionRate[t]);
        expect(b.rateHigh[t]).toBeGreaterThanOrEqual(r.retentionRate[t]);
      }
    }
  });

  it('seeded => identical; another seed => different', () => {
    const a = table1('regular', 'sbg', { bands: { seed: 7 } });
    const b = table1('regular', 'sbg', { bands: { seed: 7 } });
    const c = table1('regular', 'sbg', { bands: { seed: 8 } });
    expect(a.bands).toEqual(b.bands);
    expect(c.bands!.low[12]).not.toBe(a.bands!.low[12]);
  });

  it('width scales with the standard errors: 10× the customers => bands about √10 narrower', () => {
    const base = table1('highEnd').report;
    const big = { ...base, covariance: base.covariance.map((row) => row.map((v) => v / 10)) };
    const w = (rep: typeof base) => {
      const b = retentionBands(rep, 12, { seed: 1, draws: 2000 });
      return b.high[12] - b.low[12];
    };
    expect(w(base) / w(big)).toBeGreaterThan(Math.sqrt(10) * 0.85);
    expect(w(base) / w(big)).toBeLessThan(Math.sqrt(10) * 1.15);
  });

  it('no usable covariance => the band collapses to the curve and says why', () => {
    const rep = { ...table1('regular').report, covariance: [] };
    const b = retentionBands(rep, 5);
    expect(b.note).toMatch(/no usable parameter covariance/);
    expect(b.high[5]).toBe(b.low[5]);
  });
});

describe('retention engine: pasted survival table', () => {
  it('period,alive with holdout 2 => fits periods 0..5 and shows 6..7 as holdout', () => {
    const text = 'period,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n';
    const r = fitRetentionModel({ source: 'table', tableText: text, holdout: 2, model: 'sbg', horizon: 10 });
    expect(r.fitEnd).toBe(5);
    expect(r.observed[7]).toBeCloseTo(0.241, 9);
    expect(Number.isNaN(r.observedFit![7])).toBe(true);
  });
  it('cohort,period,alive (two cohorts of different ages) => fitted; rows of both in the pooled curve', () => {
    const text = 'cohort,period,alive\na,0,100\na,1,60\na,2,45\na,3,38\nb,0,200\nb,1,130\nb,2,95\n';
    const r = fitRetentionModel({ source: 'table', tableText: text, model: 'sbg', horizon: 6 });
    expect(r.observed[1]).toBeCloseTo(190 / 300, 12);
    expect(r.observed[3]).toBeCloseTo(0.38, 12);
    expect(r.sourceLabel).toBe('2');
  });
  it('a bad table is refused with line and column', () => {
    expect(() =>
      fitRetentionModel({
        source: 'table',
        tableText: 'period,alive\n0,100\n1,120\n',
        model: 'sbg',
        horizon: 4,
      }),
    ).toThrow(/line 3, column \d+: .*survivors cannot increase/);
    expect(() => fitRetentionModel({ source: 'table', tableText: ' ', model: 'sbg', horizon: 4 })).toThrow(
      /paste or upload a survival table/,
    );
  });
});

describe('retention engine: cohorts of the CDNOW transactions (non-contractual)', () => {
  const bytes = new Uint8Array(readFileSync(new URL('../../public/demo/cdnow_sample.txt', import.meta.url)));
  const ds = engine.loadBytes({
    name: 'cdnow',
    bytes,
    options: {
      import: CDNOW_DEMO.import,
      unit: CDNOW_DEMO.unit,
      calibrationEnd: CDNOW_DEMO.calibrationEnd,
      observationEnd: CDNOW_DEMO.observationEnd,
    },
  });
  const data = ds.payload as DatasetPayload;

  it('interPurchaseGapDays(CDNOW) => 196 days at the 90th percentile (independent count over distinct days)', () => {
    // Independent check: recount gaps with a Map of day sets.
    const days = new Map<number, Set<number>>();
    for (let i = 0; i < data.transactions.n; i++) {
      const c = data.transactions.customer[i];
      if (!days.has(c)) days.set(c, new Set());
      days.get(c)!.add(data.transactions.day[i]);
    }
    const gaps: number[] = [];
    for (const s of days.values()) {
      const u = [...s].sort((a, b) => a - b);
      for (let i = 1; i < u.length; i++) gaps.push(u[i] - u[i - 1]);
    }
    gaps.sort((a, b) => a - b);
    expect(interPurchaseGapDays(data.transactions)).toBe(gaps[Math.ceil(0.9 * gaps.length) - 1]);
    expect(interPurchaseGapDays(data.transactions)).toBe(196);
  });

  it('auto follow-up => the last 7 months (196 days) of each cohort are not fitted', () => {
    const r = fitRetentionModel({ data, model: 'sbg', horizon: 24 });
    expect(r.followUp).toEqual({ periods: 7, auto: true, gapDaysP90: 196 });
    // Cohorts 1997-01..03 have complete months 0..17, 0..16, 0..15 (observation end 1998-06-30) => fit to 10.
    expect(r.fitEnd).toBe(10);
    expect(r.observedLast).toBe(17);
  });

  it('the follow-up rule removes the end-of-data bias: observed points sit below the fit only when included', () => {
    const naive = fitRetentionModel({ data, model: 'sbg', horizon: 24, followUp: 0 });
    const ruled = fitRetentionModel({ data, model: 'sbg', horizon: 24 });
    // Mean squared misfit over the fitted periods is smaller with the rule (the last months drop steeply).
    const mse = (r: typeof naive) => {
      let s = 0;
      let n = 0;
      for (let t = 1; t <= r.fitEnd!; t++) {
        s += (r.observedFit![t] - r.model[t]) ** 2;
        n++;
      }
      return s / n;
    };
    expect(mse(ruled)).toBeLessThan(mse(naive));
    // Without the rule the long-run projection is pulled down by the "dead" recent buyers.
    expect(ruled.model[24]).toBeGreaterThan(naive.model[24]);
  });

  it('the old call shape engine.fitRetention({data, model, horizon}) still works and returns bands', () => {
    const r = engine.fitRetention({ data: ds.payload, model: 'bdw', horizon: 12 });
    expect(r.bands!.low.length).toBe(r.model.length);
    expect(r.periodUnit).toBe('months');
  });

  it('a ready RFM summary is refused with what to do', () => {
    expect(() =>
      fitRetentionModel({
        data: {
          kind: 'rfm',
          unit: 'week',
          daysPerUnit: 7,
          customerIds: [],
          frequency: new Float64Array(0),
          recency: new Float64Array(0),
          T: new Float64Array(0),
          monetaryValue: null,
          holdout: null,
        } as never,
        model: 'sbg',
        horizon: 4,
      }),
    ).toThrow(/choose the Table 1 demo or paste a survival table/);
  });
});

describe('retention helpers (properties)', () => {
  it('dropLastPeriods keeps each cohort up to its own last period − drop', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 6 }),
        (lens, drop) => {
          const rows = lens.flatMap((len, c) =>
            Array.from({ length: len }, (_, k) => ({ cohort: c, period: k, alive: 100 - k })),
          );
          const kept = dropLastPeriods(rows, drop);
          lens.forEach((len, c) => {
            const n = kept.filter((r) => r.cohort === c).length;
            expect(n).toBe(Math.max(0, len - drop));
          });
        },
      ),
    );
  });
  it('pooledRetentionRate of one cohort = alive(k)/alive(k−1)', () => {
    const r = pooledRetentionRate([
      { period: 0, alive: 1000 },
      { period: 1, alive: 631 },
      { period: 2, alive: 468 },
    ]);
    expect(Number.isNaN(r[0])).toBe(true);
    expect(r[1]).toBeCloseTo(0.631, 12);
    expect(r[2]).toBeCloseTo(468 / 631, 12);
  });
});
