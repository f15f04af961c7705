// The forecast on a big base: per-customer intervals on demand, the total's interval switchable, and the
// datasets a worker keeps by id (workers/datasets.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engine } from '../../src/lib/engine/index.ts';
import { EAGER_INTERVAL_CUSTOMERS } from '../../src/lib/engine/forecast.ts';
import type { RfmPayload } from '../../src/lib/engine/types.ts';
import { DATASET_MISSING, keep, resolveData } from '../../workers/datasets.ts';

const text = readFileSync(new URL('../../public/demo/cdnow_rfm_weeks.csv', import.meta.url), 'utf8');
const small = engine.loadBytes({
  name: 'cdnow-rfm.csv',
  bytes: new TextEncoder().encode(text),
  options: { summaryKind: 'rfm', unit: 'week' },
}).payload as RfmPayload;

/** The CDNOW RFM table repeated `k` times (customer ids made unique). */
function repeated(k: number): RfmPayload {
  const n = small.frequency.length;
  const rep = (a: Float64Array) => Float64Array.from({ length: n * k }, (_, i) => a[i % n]);
  return {
    ...small,
    customerIds: Array.from({ length: n * k }, (_, i) => `${small.customerIds[i % n]}-${Math.floor(i / n)}`),
    frequency: rep(small.frequency),
    recency: rep(small.recency),
    T: rep(small.T),
    monetaryValue: rep(small.monetaryValue!),
    holdout: null,
  };
}

const purchase = engine.fitPurchase({ data: small, model: 'bgnbd' }).report;
const spend = engine.fitSpend({ data: small }).report;
const settings = { purchase, spend, horizonMonths: 12, annualDiscount: 0.1, margin: 1, seed: 7 };

describe('forecast on more than EAGER_INTERVAL_CUSTOMERS customers', () => {
  const k = Math.ceil((EAGER_INTERVAL_CUSTOMERS + 1) / small.frequency.length);
  const big = repeated(k);
  const f = engine.forecast({ data: big, ...settings });
  const f1 = engine.forecast({ data: small, ...settings });

  it('leaves the per-customer intervals to forecastIntervals (clvLow/clvHigh null)', () => {
    expect(big.frequency.length).toBeGreaterThan(EAGER_INTERVAL_CUSTOMERS);
    expect(f.clvLow).toBeNull();
    expect(f.clvHigh).toBeNull();
    expect(f1.clvLow).not.toBeNull();
  });

  it('the total is k times the total of the table repeated k times (each customer valued alone)', () => {
    expect(f.total).toBeCloseTo(k * f1.total, 6);
  });

  it('the parameter part of the total interval scales with k; the whole interval brackets the total', () => {
    expect(f.totalLow).toBeLessThan(f.total);
    expect(f.totalHigh).toBeGreaterThan(f.total);
    // Parameter uncertainty is shared by all customers: the relative width cannot shrink much with k copies
    // (only the independent process part does, as 1/sqrt(k)).
    const rel = (r: typeof f) => (r.totalHigh - r.totalLow) / r.total;
    expect(rel(f)).toBeLessThanOrEqual(rel(f1));
    expect(rel(f)).toBeGreaterThan(0.5 * rel(f1));
  });

  it('byValue lists every customer once, in ascending order of value', () => {
    const o = f.byValue!;
    expect(new Set(o).size).toBe(f.clv.length);
    for (let i = 1; i < o.length; i++) expect(f.clv[o[i]]).toBeGreaterThanOrEqual(f.clv[o[i - 1]]);
  });

  it('history carries frequency, recency and T in the data unit', () => {
    expect(f.history!.unit).toBe('weeks');
    expect(Array.from(f.history!.T.slice(0, 5))).toEqual(Array.from(small.T.slice(0, 5)));
  });

  it('forecastIntervals: seeded, P10 <= P90, identical histories get identical intervals', () => {
    const n = small.frequency.length;
    const rows = [0, 1, 2, n, n + 1, n + 2]; // the same three customers in two copies
    const pick = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]);
    const input = {
      ...settings,
      interval: 0.8,
      daysPerUnit: 7,
      frequency: pick(big.frequency),
      recency: pick(big.recency),
      T: pick(big.T),
      monetaryValue: pick(big.monetaryValue!),
    };
    const a = engine.forecastIntervals(input);
    const b = engine.forecastIntervals(input);
    expect(Array.from(a.low)).toEqual(Array.from(b.low));
    for (let j = 0; j < 3; j++) {
      expect(a.low[j]).toBe(a.low[j + 3]);
      expect(a.high[j]).toBe(a.high[j + 3]);
    }
    for (let j = 0; j < rows.length; j++) expect(a.low[j]).toBeLessThanOrEqual(a.high[j]);
    const c = engine.forecastIntervals({ ...input, seed: 8 });
    expect(Array.from(c.high)).not.toEqual(Array.from(a.high));
  });

  it('forecastIntervals agrees with the eager intervals within Monte Carlo noise (mean P90 over customers)', () => {
    const all = {
      ...settings,
      interval: 0.8,
      daysPerUnit: 7,
      frequency: small.frequency,
      recency: small.recency,
      T: small.T,
      monetaryValue: small.monetaryValue!,
    };
    const lazy = engine.forecastIntervals(all);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    // Same worlds (parameter draws), other random streams: averaged over 2,357 customers the P90s agree closely.
    expect(mean(lazy.high)).toBeGreaterThan(0.95 * mean(f1.clvHigh!));
    expect(mean(lazy.high)).toBeLessThan(1.05 * mean(f1.clvHigh!));
  });
});

describe('forecast with totalInterval: false', () => {
  it('skips the interval of the total (NaN) and keeps the total', () => {
    const on = engine.forecast({ data: small, ...settings });
    const off = engine.forecast({ data: small, ...settings, totalInterval: false });
    expect(off.total).toBe(on.total);
    expect(off.totalLow).toBeNaN();
    expect(off.totalHigh).toBeNaN();
  });
});

describe('workers/datasets.ts: a worker keeps datasets by id', () => {
  it('a reference with its payload is kept; later references without it resolve to the same object', () => {
    const first = resolveData({ data: { ref: 'a', payload: small }, x: 1 });
    expect(first.data).toBe(small);
    expect(resolveData({ data: { ref: 'a' } }).data).toBe(small);
  });
  it('inputs without a reference pass through untouched', () => {
    const input = { data: small };
    expect(resolveData(input)).toBe(input);
  });
  it('the least recently used dataset beyond two is dropped, and naming it then fails with DATASET_MISSING', () => {
    keep('b', small);
    keep('c', small); // now holds b, c: a is gone
    expect(() => resolveData({ data: { ref: 'a' } })).toThrow(DATASET_MISSING);
    expect(resolveData({ data: { ref: 'b' } }).data).toBe(small);
  });
});
