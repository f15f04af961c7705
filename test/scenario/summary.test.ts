// The customer summary a share link carries instead of a large file: the purchase, spend and forecast cells
// fitted on it must give the sender's numbers exactly (bit for bit), and a hostile summary is refused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engine, CDNOW_DEMO } from '../../src/lib/engine/index.ts';
import type { Dataset, DatasetPayload } from '../../src/lib/engine/types.ts';
import {
  datasetFromSharedSummary,
  encodeSharedSummary,
  readSharedSummary,
} from '../../src/lib/scenario/summary.ts';
import { datasetFromSummaryText } from '../../src/lib/engine/dataset.ts';
import { shopLog } from '../fixtures/shopLog.ts';

const cdnow = engine.loadBytes({
  name: 'cdnow',
  bytes: new Uint8Array(readFileSync(new URL('../../public/demo/cdnow_sample.txt', import.meta.url))),
  options: {
    import: CDNOW_DEMO.import,
    unit: CDNOW_DEMO.unit,
    calibrationEnd: CDNOW_DEMO.calibrationEnd,
    observationEnd: CDNOW_DEMO.observationEnd,
  },
});
// Customers acquired over two years: with the default two-thirds calibration end many are holdout-only.
const shop = engine.loadBytes({
  name: 'shop.csv',
  bytes: new TextEncoder().encode(shopLog(1500)),
  options: {},
});

function numbers(d: Dataset) {
  const purchase = engine.fitPurchase({ data: d.payload, model: 'bgnbd' });
  const pnbd = engine.fitPurchase({ data: d.payload, model: 'pnbd' });
  const spend = engine.fitSpend({ data: d.payload });
  const forecast = engine.forecast({
    data: d.payload,
    purchase: purchase.report,
    spend: spend.report,
    horizonMonths: 12,
    annualDiscount: 0.1,
    margin: 0.3,
    seed: 1,
  });
  return { purchase, pnbd, spend, forecast };
}

describe('encodeSharedSummary -> datasetFromSharedSummary', () => {
  for (const [name, d] of [
    ['CDNOW sample', cdnow],
    ['a shop log with customers first seen after the calibration end', shop],
  ] as const) {
    it(`${name}: identical purchase, spend and forecast numbers`, () => {
      const s = encodeSharedSummary(d.payload as DatasetPayload);
      expect(s).not.toBeNull();
      const back = datasetFromSharedSummary('shared', s!.text);
      expect(back.summary.customers).toBe(d.summary.customers);
      const a = numbers(d);
      const b = numbers(back);
      // bit-identical inputs and a deterministic optimiser: exactly the same parameters and totals
      expect(b.purchase.report.params).toEqual(a.purchase.report.params);
      expect(b.purchase.report.logLikelihood).toBe(a.purchase.report.logLikelihood);
      expect(b.purchase.scorecard).toEqual(a.purchase.scorecard);
      expect(b.purchase.conditional).toEqual(a.purchase.conditional);
      expect(b.pnbd.report.params).toEqual(a.pnbd.report.params);
      expect(b.spend.report.params).toEqual(a.spend.report.params);
      expect(b.forecast.total).toBe(a.forecast.total);
      expect(b.forecast.totalLow).toBe(a.forecast.totalLow);
      expect(b.forecast.totalHigh).toBe(a.forecast.totalHigh);
      expect(b.forecast.clv).toEqual(a.forecast.clv);
      expect(b.forecast.ids.length).toBe(a.forecast.ids.length);
      // the tracking plot needs dated purchases: the summary says it is not available
      expect(b.purchase.available).toEqual({ tracking: false, holdout: true });
    });
  }

  it('the shop log has holdout-only customers, carried for the forecast only', () => {
    const j = JSON.parse(encodeSharedSummary(shop.payload as DatasetPayload)!.text) as {
      out: number[];
      A: number[];
    };
    expect(j.out.length).toBeGreaterThan(100);
    expect(j.A.length).toBe(shop.summary.customers);
  });

  it('carries no customer ids: customers are numbered in the sender order', () => {
    const s = encodeSharedSummary(shop.payload as DatasetPayload)!;
    expect(s.text).not.toMatch(/C1\d{5}/);
    const back = datasetFromSharedSummary('shared', s.text);
    expect(numbers(back).forecast.ids.slice(0, 3)).toEqual(['1', '2', '3']);
  });

  it('is read by datasetFromSummaryText whatever kind the data cell asks for', () => {
    const s = encodeSharedSummary(cdnow.payload as DatasetPayload)!;
    for (const summaryKind of ['auto', 'rfm', 'bgbb'] as const)
      expect(datasetFromSummaryText('x', s.text, { summaryKind })?.kind).toBe('rfm');
    const cohortCall = () =>
      engine.cohorts({
        data: datasetFromSharedSummary('x', s.text).payload,
        period: 'month',
        measure: 'customers',
      });
    expect(cohortCall).toThrow(/needs a transaction log/);
  });
});

describe('readSharedSummary on hostile summaries (never throws, refuses with a message)', () => {
  const good = JSON.parse(encodeSharedSummary(shop.payload as DatasetPayload)!.text) as Record<
    string,
    unknown
  >;
  const A = good.A as number[];
  const cases: Array<[string, unknown]> = [
    ['not JSON', '{"clvSummary":1,'],
    ['an array', '[1,2]'],
    ['unknown version', JSON.stringify({ ...good, clvSummary: 2 })],
    ['unknown unit', JSON.stringify({ ...good, unit: 'year' })],
    ['bad dates', JSON.stringify({ ...good, calibrationEnd: '2024/01/01' })],
    ['holdout days not matching the dates', JSON.stringify({ ...good, holdoutDays: 3 })],
    ['no customers', JSON.stringify({ ...good, A: [] })],
    ['a column of the wrong length', JSON.stringify({ ...good, X: (good.X as number[]).slice(1) })],
    ['a fractional day', JSON.stringify({ ...good, A: [0.5, ...A.slice(1)] })],
    ['a negative count', JSON.stringify({ ...good, X: [-1, ...(good.X as number[]).slice(1)] })],
    ['a string amount', JSON.stringify({ ...good, M: ['1e999', ...(good.M as number[]).slice(1)] })],
    ['recency beyond the age', JSON.stringify({ ...good, R: [A[0] + 1, ...(good.R as number[]).slice(1)] })],
    ['decreasing out indices', JSON.stringify({ ...good, out: [...(good.out as number[])].reverse() })],
    ['out index past the end', JSON.stringify({ ...good, out: [A.length + 5] })],
    ['M without m', JSON.stringify({ ...good, m: null })],
  ];
  for (const [name, text] of cases)
    it(`${name} -> { error }`, () => {
      const r = readSharedSummary(text as string);
      expect('error' in r && r.error).toMatch(/summary/);
    });
});
