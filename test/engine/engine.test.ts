import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engine, CDNOW_DEMO } from '../../src/lib/engine/index.ts';
import type { Dataset } from '../../src/lib/engine/types.ts';

// The bundled demo file (byte-identical to Hardie's CDNOW_sample.txt, see public/demo/ATTRIBUTION.md).
const bytes = new Uint8Array(readFileSync(new URL('../../public/demo/cdnow_sample.txt', import.meta.url)));
const load = (): Dataset =>
  engine.loadBytes({
    name: 'cdnow',
    bytes,
    options: {
      import: CDNOW_DEMO.import,
      unit: CDNOW_DEMO.unit,
      calibrationEnd: CDNOW_DEMO.calibrationEnd,
      observationEnd: CDNOW_DEMO.observationEnd,
    },
  });

describe('engine on the CDNOW demo', () => {
  const ds = load();

  it('loadBytes(cdnow) => 6,919 transactions, 2,357 customers, nothing rejected', () => {
    // Counts: shared/data/README.md (CDNOW sample: 6,919 transactions, 2,357 customers, $244,091.94).
    expect(ds.summary.transactions).toBe(6919);
    expect(ds.summary.customers).toBe(2357);
    expect(ds.report.rejected).toBe(0);
    expect(ds.summary.revenue).toBeCloseTo(244091.94, 2);
    expect(ds.summary.firstDate).toBe('1997-01-01');
    expect(ds.summary.lastDate).toBe('1998-06-30');
    expect(ds.timeUnit).toBe('weeks');
  });

  it('fitPurchase(bgnbd) => Fader, Hardie & Lee (2005) Table 2 and BTYD tracking totals', () => {
    const res = engine.fitPurchase({ data: ds.payload, model: 'bgnbd' });
    // FHL 2005, Table 2: r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4 (printed to 3 dp / 1 dp).
    expect(res.report.params.r).toBeCloseTo(0.243, 3);
    expect(res.report.params.alpha).toBeCloseTo(4.414, 2);
    expect(res.report.params.a).toBeCloseTo(0.793, 3);
    expect(res.report.params.b).toBeCloseTo(2.426, 2);
    expect(res.report.logLikelihood).toBeCloseTo(-9582.4, 0);
    // BTYD cdnowSummary$cu.tracking: cumulative repeat transactions 2,457 at week 39 and 4,339 at week 78.
    expect(res.tracking.actual[38]).toBe(2457);
    expect(res.tracking.actual[77]).toBe(4339);
    // FHL 2005, Figure 2: the model tracks the holdout closely (predicted cum. at week 78 within 5% of 4,339).
    expect(Math.abs(res.tracking.predicted[77] / 4339 - 1)).toBeLessThan(0.05);
    // x = 0 customers: 1,411 of them (BTYD cbs); they make 334 holdout transactions (shared/data/README.md).
    const zero = res.conditional.frequency.indexOf(0);
    expect(res.conditional.customers[zero]).toBe(1411);
    expect(res.conditional.actual[zero] * 1411).toBeCloseTo(334, 6);
    // The model beats the naive "same rate as before" baseline on holdout MAE.
    expect(res.scorecard.mae).toBeLessThan(res.scorecard.naive.mae);
    expect(res.comparison.map((c) => c.model).sort()).toEqual(['bgnbd', 'mbgnbd', 'pnbd']);
    for (const row of res.pAlive.z)
      for (const p of row) if (!Number.isNaN(p)) expect(p).toBeGreaterThanOrEqual(0);
  });

  it('fitSpend => Gamma-Gamma on the 946 repeat buyers (FHL 2005 iso-value: p 6.25, q 3.74, gamma 15.44)', () => {
    const res = engine.fitSpend({ data: ds.payload });
    expect(res.used).toBe(946);
    expect(res.report.params.p).toBeCloseTo(6.25, 1);
    expect(res.report.params.q).toBeCloseTo(3.74, 1);
    expect(res.report.params.gamma).toBeCloseTo(15.44, 0);
    expect(Math.abs(res.correlation)).toBeLessThan(0.3);
  });

  it('cohorts(month, customers) => period 0 equals cohort size; unobserved cells NaN, never 0', () => {
    const c = engine.cohorts({ data: ds.payload, period: 'month', measure: 'customers' });
    expect(c.cohorts).toEqual(['1997-01', '1997-02', '1997-03']);
    expect(c.sizes.reduce((a, b) => a + b, 0)).toBe(2357);
    c.values.forEach((row, i) => expect(row[0]).toBe(c.sizes[i]));
    // March's cohort is observed for 16 months (1997-03 .. 1998-06): period 16 onwards is NaN.
    expect(Number.isNaN(c.values[2][c.values[2].length - 1])).toBe(true);
  });

  it('fitRetention(sbg) => survival non-increasing, retention rising with tenure', () => {
    const r = engine.fitRetention({ data: ds.payload, model: 'sbg', horizon: 36 });
    for (let t = 1; t < r.model.length; t++) expect(r.model[t]).toBeLessThanOrEqual(r.model[t - 1]);
    const rr = r.retentionRate.slice(1);
    expect(rr[rr.length - 1]).toBeGreaterThan(rr[0]);
    expect(r.constantChurn).toBeGreaterThan(0);
  });

  it('simulate => seeded: the same seed gives identical numbers', () => {
    const a = engine.simulate({ inputs: {}, options: { seed: 3 } });
    const b = engine.simulate({ inputs: {}, options: { seed: 3 } });
    expect(a).toEqual(b);
  });
});

describe('engine errors say what to do', () => {
  it('a file with one customer is refused with a message naming the problem', () => {
    const text = 'customer,date,amount\nA,2024-01-01,10\nA,2024-02-01,12\n';
    expect(() => engine.loadBytes({ name: 'one.csv', bytes: new TextEncoder().encode(text) })).toThrow(
      /single customer/,
    );
  });
  it('all purchases on one day is refused', () => {
    const text = 'customer,date,amount\nA,2024-01-01,10\nB,2024-01-01,12\n';
    expect(() => engine.loadBytes({ name: 'day.csv', bytes: new TextEncoder().encode(text) })).toThrow(
      /one day/,
    );
  });
  it('an empty file is refused with the importer message', () => {
    expect(() => engine.loadBytes({ name: 'empty.csv', bytes: new Uint8Array(0) })).toThrow(/empty/i);
  });
});

describe('engine forecast on the CDNOW demo', () => {
  const ds = load();
  const purchase = engine.fitPurchase({ data: ds.payload, model: 'bgnbd' }).report;
  const spend = engine.fitSpend({ data: ds.payload }).report;
  const base = { data: ds.payload, purchase, spend, horizonMonths: 12, annualDiscount: 0.1, seed: 1 };

  it('forecast => per-customer CLV for all 2,357 customers, intervals bracket-ordered, seeded', () => {
    const f = engine.forecast(base);
    expect(f.clv).toHaveLength(2357);
    for (let i = 0; i < f.clv.length; i++) {
      expect(f.clvLow![i]).toBeLessThanOrEqual(f.clvHigh![i]);
      expect(f.pAlive[i]).toBeGreaterThanOrEqual(0);
      expect(f.pAlive[i]).toBeLessThanOrEqual(1);
    }
    expect(f.total).toBeGreaterThan(0);
    expect(f.totalLow).toBeLessThanOrEqual(f.total);
    expect(f.totalHigh).toBeGreaterThanOrEqual(f.total);
    expect(engine.forecast(base)).toEqual(f);
  });

  it('forecast => total value falls as the discount rate rises and grows with the horizon', () => {
    const t = (o: Partial<typeof base>) => engine.forecast({ ...base, ...o }).total;
    expect(t({ annualDiscount: 0.3 })).toBeLessThan(t({ annualDiscount: 0.05 }));
    expect(t({ horizonMonths: 24 })).toBeGreaterThan(t({ horizonMonths: 12 }));
  });
});

describe('dataset kinds', () => {
  const ds = load();
  const rfmText = readFileSync(new URL('../../public/demo/cdnow_rfm_weeks.csv', import.meta.url));

  it('a transaction log is kind "transactions" and the header sniffer leaves it alone', () => {
    expect(ds.kind).toBe('transactions');
    expect(ds.payload.kind ?? 'transactions').toBe('transactions');
  });

  it('fitPurchase on the bundled CDNOW RFM table = fitPurchase on the transaction log (same x, t_x, T)', () => {
    const rfm = engine.loadBytes({ name: 'rfm', bytes: new Uint8Array(rfmText) });
    expect(rfm.kind).toBe('rfm');
    for (const model of ['bgnbd', 'pnbd'] as const) {
      const a = engine.fitPurchase({ data: ds.payload, model });
      const b = engine.fitPurchase({ data: rfm.payload, model });
      // The table stores t_x and T to 6 decimals: LLs agree to ~1e-4, parameters to ~1e-4 relative.
      expect(b.report.logLikelihood).toBeCloseTo(a.report.logLikelihood, 2);
      for (const k of Object.keys(a.report.params))
        expect(b.report.params[k] / a.report.params[k]).toBeCloseTo(1, 3);
      expect(b.scorecard.mae).toBeCloseTo(a.scorecard.mae, 4);
    }
  });

  it('summaryKind "transactions" forces the transaction importer (an RFM header then has no date column)', () => {
    expect(() =>
      engine.loadBytes({
        name: 'rfm',
        bytes: new Uint8Array(rfmText),
        options: { summaryKind: 'transactions' },
      }),
    ).toThrow(/no date column/);
  });
});
