// The forecast's histogram, segments and certain-alive count, computed in the worker (src/lib/engine/distribution.ts).
// Expected numbers are derived by hand in each test (type-7 quantiles: Hyndman & Fan 1996, the numpy default).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { forecastSummary, niceStep } from '../../src/lib/engine/distribution.ts';
import { quantileSorted } from '../../src/lib/sim/quantile.ts';

const ramp = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('forecastSummary: histogram', () => {
  it('clips at the 99th percentile and keeps the mean of everyone', () => {
    const clv = [...ramp(100), 1e6];
    const { histogram: h } = forecastSummary(
      clv,
      clv.map(() => 0.5),
    );
    // P99 of 101 values: position 99 -> the 100th smallest = 99
    expect(h.p99).toBe(99);
    expect(h.above).toBe(1);
    expect(h.mean).toBeCloseTo((4950 + 1e6) / 101, 9);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(100);
    // span 99 / 40 bins -> 2.475 -> nice 2.5
    expect(h.size).toBe(2.5);
    expect(h.start).toBe(0);
    expect(h.start + h.counts.length * h.size).toBeGreaterThan(h.p99);
  });

  it('puts every value in the bin that holds it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (clv) => {
          const { histogram: h } = forecastSummary(
            clv,
            clv.map(() => 1),
          );
          const sorted = [...clv].sort((a, b) => a - b);
          const p99 = quantileSorted(sorted, 0.99);
          expect(h.p99).toBe(p99);
          const want = new Array(h.counts.length).fill(0);
          for (const v of clv) {
            if (v > p99) continue;
            const k = Math.floor((v - h.start) / h.size);
            expect(k).toBeGreaterThanOrEqual(0);
            expect(k).toBeLessThan(h.counts.length);
            want[k]++;
          }
          expect(h.counts).toEqual(want);
          expect(h.above).toBe(clv.filter((v) => v > p99).length);
        },
      ),
    );
  });

  it('counts a weighted row as that many customers, also in the quantile', () => {
    const weighted = forecastSummary([5, 1, 3], [1, 1, 1], { weights: [2, 1, 3] });
    const expanded = forecastSummary([5, 5, 1, 3, 3, 3], [1, 1, 1, 1, 1, 1]);
    expect(weighted.histogram).toEqual(expanded.histogram);
    expect(weighted.segments).toEqual(expanded.segments);
    expect(weighted.certainAlive).toBe(6);
  });

  it('leaves non-finite values out of the histogram and counts them as 0 in the segments', () => {
    const s = forecastSummary([1, NaN, 3], [0.9, 0.9, 0.1]);
    // finite values 1 and 3: P99 = 1 + 0.99 * 2 = 2.98, so 3 is above the cut
    expect(s.histogram.p99).toBeCloseTo(2.98, 12);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0) + s.histogram.above).toBe(2);
    expect(s.segments.reduce((a, r) => a + r.customers, 0)).toBe(3);
  });

  it('nice steps are 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(1000, 40)).toBe(25);
    expect(niceStep(40, 40)).toBe(1);
    expect(niceStep(0.9, 40)).toBe(0.025);
    expect(niceStep(0)).toBe(1);
  });
});

describe('forecastSummary: segments', () => {
  it('counts add up to the number of customers (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          { maxLength: 200 },
        ),
        (rows) => {
          const seg = forecastSummary(
            rows.map((r) => r[0]),
            rows.map((r) => r[1]),
          ).segments;
          expect(seg.reduce((a, s) => a + s.customers, 0)).toBe(rows.length);
        },
      ),
    );
  });
  it('a likely-alive customer above the median CLV is "activeHigh"', () => {
    const seg = forecastSummary([1, 2, 100], [0.1, 0.1, 0.9]).segments;
    expect(seg.find((s) => s.segment === 'activeHigh')).toMatchObject({ customers: 1, totalClv: 100 });
  });
  it('counts the customers alive for certain (P(alive) = 1)', () => {
    expect(forecastSummary([1, 2, 3], [1, 0.999, 1 - 1e-13]).certainAlive).toBe(2);
  });
});
