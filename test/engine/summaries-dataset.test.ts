// Ready-made summaries through the engine: the data cell's kinds (RFM, BG/BB, survival), what each engine
// function does with them, and the paper check of the BG/BB fit on the bundled donations table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engine } from '../../src/lib/engine/index.ts';
import { detectSummaryKind } from '../../src/lib/engine/dataset.ts';
import type { Dataset } from '../../src/lib/engine/types.ts';

const demo = (file: string) => readFileSync(new URL(`../../public/demo/${file}`, import.meta.url), 'utf8');
const load = (name: string, text: string, options: Parameters<typeof engine.loadBytes>[0]['options'] = {}) =>
  engine.loadBytes({ name, bytes: new TextEncoder().encode(text), options });

describe('detectSummaryKind', () => {
  it('frequency,recency,T => rfm; frequency,recency,periods => bgbb; period,alive => survival', () => {
    expect(detectSummaryKind('customer_id,frequency,recency,T\n1,0,0,5\n')).toBe('rfm');
    expect(detectSummaryKind('\ufeffFrequency,Recency,Periods,Weights\n0,0,6,3\n')).toBe('bgbb');
    expect(detectSummaryKind('# comment\nperiod,alive\n0,1000\n')).toBe('survival');
    expect(detectSummaryKind('cohort,period,alive\na,0,10\n')).toBe('survival');
    expect(detectSummaryKind('ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n')).toBe('rfm');
  });
  it('a transaction log stays transactions', () => {
    expect(detectSummaryKind('customer,date,amount\nA,2024-01-01,3\n')).toBe('transactions');
    expect(detectSummaryKind('')).toBe('transactions');
  });
});

describe('donations BG/BB demo through the engine', () => {
  const ds: Dataset = load('donations', demo('donations_rf.csv'));

  it('loads 11,104 donors in 22 rows with n = 6', () => {
    // Fader, Hardie & Shang (2010), section 2: 11,104 first-time supporters, 6 annual opportunities 1996–2001.
    expect(ds.kind).toBe('bgbb');
    expect(ds.summary.customers).toBe(11104);
    expect(ds.report.accepted).toBe(22);
    expect(ds.report.rejected).toBe(0);
  });

  it('fitPurchase(bgbb) => alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL −33,225.6 (FHS 2010)', () => {
    const res = engine.fitPurchase({ data: ds.payload, model: 'bgbb' });
    const p = res.report.params;
    // Fader, Hardie & Shang (2010), section 4 (estimates printed to 3 dp, LL to 1 dp): tolerance half a unit
    // of the last printed digit (toBeCloseTo(v, 2) = |diff| < 0.005).
    expect(p.alpha).toBeCloseTo(1.204, 2);
    expect(p.beta).toBeCloseTo(0.75, 2);
    expect(p.gamma).toBeCloseTo(0.657, 2);
    expect(p.delta).toBeCloseTo(2.783, 2);
    expect(res.report.logLikelihood).toBeCloseTo(-33225.6, 0);
    expect(res.report.n).toBe(11104);
    for (const k of ['alpha', 'beta', 'gamma', 'delta'])
      expect(res.report.standardErrors[k]).toBeGreaterThan(0);
    // Diagnostics without transactions: no tracking plot, no holdout in this table; P(alive) by x and t_x.
    expect(res.available).toEqual({ tracking: false, holdout: false });
    expect(res.tracking.period).toEqual([]);
    expect(res.pAlive.frequency).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(res.pAlive.z[6][6]).toBeGreaterThan(0.9); // FHS 2010: a 6-for-6 donor is almost surely alive
    expect(Number.isNaN(res.pAlive.z[3][2])).toBe(true); // x > t_x is impossible
    // Frequency fit: the expected counts add up to the 11,104 donors (all have n = 6).
    const sumPred = res.frequencyFit!.predicted.reduce((a, b) => a + b, 0);
    expect(sumPred).toBeCloseTo(11104, 3);
    expect(res.frequencyFit!.actual[0]).toBe(3464);
  });

  it('BG/NBD on a BG/BB table fails with what to choose instead', () => {
    expect(() => engine.fitPurchase({ data: ds.payload, model: 'bgnbd' })).toThrow(/choose BG\/BB/);
    expect(() => engine.fitSpend({ data: ds.payload })).toThrow(/value column/);
    expect(() => engine.cohorts({ data: ds.payload, period: 'month', measure: 'customers' })).toThrow(
      /needs a transaction log/,
    );
  });

  it('forecast without a value column gives DERT in transactions (FHS 2010 eq. 14: 6-for-6 donor, d = 10% => 5.909)', () => {
    const purchase = engine.fitPurchase({ data: ds.payload, model: 'bgbb' });
    const f = engine.forecast({
      data: ds.payload,
      purchase: purchase.report,
      horizonMonths: 60,
      annualDiscount: 0.1,
      seed: 1,
    });
    expect(f.valueUnit).toBe('transactions');
    const i = f.ids.indexOf('x=6 t_x=6 n=6');
    // bgbbDert doc (FHS 2010 example): 5.909 at the published estimates; our MLE agrees to ~3 dp in params.
    expect(f.clv[i]).toBeCloseTo(5.909, 1);
    expect(f.clvLow![i]).toBeLessThanOrEqual(f.clv[i]);
    expect(f.clvHigh![i]).toBeGreaterThanOrEqual(f.clv[i]);
    expect(f.weights!.reduce((a, b) => a + b, 0)).toBe(11104);
    expect(f.total).toBeGreaterThan(f.totalLow);
    expect(() =>
      engine.forecast({
        data: ds.payload,
        purchase: purchase.report,
        horizonMonths: 12,
        annualDiscount: 0,
        seed: 1,
      }),
    ).toThrow(/discount rate above 0%/);
  });

  it('with a value column the forecast is money: DERT × value', () => {
    const text = demo('donations_rf.csv')
      .trim()
      .split('\n')
      .map((l, i) => `${l},${i === 0 ? 'value' : '50'}`)
      .join('\n');
    const v = load('donations-value', text);
    const purchase = engine.fitPurchase({ data: v.payload, model: 'bgbb' });
    const noValue = engine.forecast({
      data: ds.payload,
      purchase: purchase.report,
      horizonMonths: 12,
      annualDiscount: 0.1,
      seed: 1,
    });
    const f = engine.forecast({
      data: v.payload,
      purchase: purchase.report,
      horizonMonths: 12,
      annualDiscount: 0.1,
      seed: 1,
    });
    expect(f.valueUnit).toBe('money');
    expect(f.total).toBeCloseTo(noValue.total * 50, 6);
  });
});

describe('BG/BB table with holdout columns', () => {
  it('conditional expectations and the scorecard use x* over n*', () => {
    const text =
      'frequency,recency,periods,weights,frequency_holdout,periods_holdout\n' +
      '0,0,6,300,0,5\n1,1,6,100,0,5\n3,5,6,80,2,5\n6,6,6,60,5,5\n2,6,6,90,1,5\n4,6,6,70,3,5\n';
    const ds = load('h', text);
    const res = engine.fitPurchase({ data: ds.payload, model: 'bgbb' });
    expect(res.available!.holdout).toBe(true);
    expect(res.conditional.frequency).toEqual([0, 1, 2, 3, 4, 6]);
    expect(res.conditional.actual[res.conditional.frequency.indexOf(6)]).toBe(5);
    expect(Number.isFinite(res.scorecard.mae)).toBe(true);
    expect(res.comparison[0].holdoutMae).toBe(res.scorecard.mae);
  });
});

describe('CDNOW RFM demo through the engine', () => {
  const ds = load('cdnow-rfm', demo('cdnow_rfm_weeks.csv'));

  it('loads 2,357 customers, 946 repeaters, and the holdout columns', () => {
    // CDNOW sample summary (shared/data/README.md; Fader, Hardie & Lee 2005): 2,357 customers, 946 with x > 0.
    expect(ds.kind).toBe('rfm');
    expect(ds.summary.customers).toBe(2357);
    expect(ds.summary.repeaters).toBe(946);
    expect(ds.timeUnit).toBe('weeks');
  });

  it('fitPurchase(bgnbd) on the RFM table matches FHL 2005 Table 2 and the transaction-log fit', () => {
    const res = engine.fitPurchase({ data: ds.payload, model: 'bgnbd' });
    // FHL 2005, Table 2: r 0.243, alpha 4.414, a 0.793, b 2.426, LL −9582.4.
    expect(res.report.params.r).toBeCloseTo(0.243, 3);
    expect(res.report.params.alpha).toBeCloseTo(4.414, 2);
    expect(res.report.logLikelihood).toBeCloseTo(-9582.4, 0);
    expect(res.available).toEqual({ tracking: false, holdout: true });
    expect(res.tracking.period).toEqual([]);
    // Same holdout facts as from transactions: 1,411 x = 0 customers made 334 holdout purchases.
    const zero = res.conditional.frequency.indexOf(0);
    expect(res.conditional.customers[zero]).toBe(1411);
    expect(res.conditional.actual[zero] * 1411).toBeCloseTo(334, 6);
    expect(res.scorecard.mae).toBeLessThan(res.scorecard.naive.mae);
    expect(() => engine.fitPurchase({ data: ds.payload, model: 'bgbb' })).toThrow(/discrete opportunities/);
  });

  it('spend and forecast work from monetary_value', () => {
    const spend = engine.fitSpend({ data: ds.payload });
    expect(spend.used).toBe(946);
    const purchase = engine.fitPurchase({ data: ds.payload, model: 'bgnbd' });
    const f = engine.forecast({
      data: ds.payload,
      purchase: purchase.report,
      spend: spend.report,
      horizonMonths: 12,
      annualDiscount: 0.1,
      seed: 7,
    });
    expect(f.ids.length).toBe(2357);
    expect(f.total).toBeGreaterThan(0);
    expect(f.clv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });

  it('without monetary_value the spend model says which column is missing', () => {
    const ds2 = load('nomoney', 'customer_id,frequency,recency,T\na,1,2,10\nb,0,0,10\nc,2,5,9\n');
    expect(() => engine.fitSpend({ data: ds2.payload })).toThrow(/monetary_value/);
    expect(ds2.payload.kind).toBe('rfm');
  });
});

describe('reader errors keep line:column', () => {
  it('an RFM file with a bad cell lists "line:column message" and keeps the good rows', () => {
    const ds = load('bad', 'customer_id,frequency,recency,T\na,1,2,10\nb,x,0,10\nc,2,50,9\n');
    expect(ds.report.accepted).toBe(1);
    expect(ds.report.rejected).toBe(2);
    expect(ds.report.summaryErrors).toEqual([
      expect.objectContaining({ line: 3, column: 3 }),
      expect.objectContaining({ line: 4, column: 5 }),
    ]);
    expect(ds.report.rejects[0].reason).toMatch(/^3:3 /);
  });
  it('a bad holdout cell is reported at its line:column and the holdout columns are dropped (fit still runs)', () => {
    const ds = load(
      'h',
      'customer_id,frequency,recency,T,frequency_holdout,duration_holdout\na,1,2,10,0,5\nb,0,0,10,x,5\nc,2,5,9,1,5\n',
    );
    expect(ds.report.accepted).toBe(3);
    expect(ds.report.summaryErrors).toEqual([expect.objectContaining({ line: 3, column: 10 })]);
    expect(ds.payload.kind === 'rfm' && ds.payload.holdout).toBe(null);
  });
  it('a file with no usable row throws with the first problems and their positions', () => {
    expect(() => load('bad', 'frequency,recency,periods\n7,2,6\n')).toThrow(/line 2:1/);
  });
  it('the user can override the detected kind', () => {
    expect(() => load('x', 'frequency,recency,periods\n1,1,6\n', { summaryKind: 'rfm' })).toThrow(
      /RFM summary.*missing column T/,
    );
  });
  it('a survival table is exposed in the payload for the retention cell', () => {
    const ds = load('s', 'period,alive\n0,1000\n1,631\n2,468\n');
    expect(ds.kind).toBe('survival');
    expect(ds.payload.kind).toBe('survival');
    expect(ds.summary.customers).toBe(1000);
  });
});
