import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdProbabilityAliveAt,
} from '../../src/lib/models/bgNbd.ts';
import {
  mbgNbdExpectedPurchases,
  mbgNbdLogLikelihood,
  mbgNbdProbabilityAlive,
  mbgNbdConditionalExpectedPurchases,
} from '../../src/lib/models/mbgNbd.ts';
import {
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdProbabilityAlive,
} from '../../src/lib/models/paretoNbd.ts';

const pos = fc.double({ min: -2, max: 2, noNaN: true }).map((e) => Math.pow(10, e));
const customer = fc
  .tuple(
    fc.integer({ min: 0, max: 500 }),
    // t_x in (0, T] when x > 0: a repeat purchase at recency 0 makes the likelihood unbounded (rejected).
    fc.double({ min: 1e-6, max: 1, noNaN: true }),
    fc.double({ min: -4, max: 3, noNaN: true }),
  )
  .map(([x, u, lT]) => {
    const T = Math.pow(10, lT);
    return { x, tx: x === 0 ? 0 : u * T, T };
  });
const times = fc
  .tuple(fc.double({ min: 0, max: 200, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

describe('model properties (fast-check)', () => {
  it('0 <= P(alive) <= 1 for BG/NBD, MBG/NBD, Pareto/NBD, also at a future time', () => {
    fc.assert(
      fc.property(
        pos,
        pos,
        pos,
        pos,
        customer,
        fc.double({ min: 0, max: 100, noNaN: true }),
        (p1, p2, p3, p4, c, t) => {
          const bg = { r: p1, alpha: p2, a: p3, b: p4 };
          const vals = [
            bgNbdProbabilityAlive(bg, c.x, c.tx, c.T),
            bgNbdProbabilityAliveAt(bg, c.x, c.tx, c.T, t),
            mbgNbdProbabilityAlive(bg, c.x, c.tx, c.T),
            paretoNbdProbabilityAlive({ r: p1, alpha: p2, s: p3, beta: p4 }, c.x, c.tx, c.T),
          ];
          return vals.every((v) => v >= 0 && v <= 1);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('E[X(t)] and E[Y(t) | data] are non-decreasing in t', () => {
    fc.assert(
      fc.property(
        pos,
        pos,
        pos.map((a) => a + 0.05),
        pos,
        times,
        customer,
        (r, alpha, a, b, [t1, t2], c) => {
          const bg = { r, alpha, a, b };
          const pn = { r, alpha, s: a, beta: b };
          const tol = (v: number) => 1e-9 * Math.max(1, Math.abs(v));
          const pairs: [number, number][] = [
            [bgNbdExpectedPurchases(bg, t1), bgNbdExpectedPurchases(bg, t2)],
            [mbgNbdExpectedPurchases(bg, t1), mbgNbdExpectedPurchases(bg, t2)],
            [paretoNbdExpectedPurchases(pn, t1), paretoNbdExpectedPurchases(pn, t2)],
            [
              bgNbdConditionalExpectedPurchases(bg, t1, c.x, c.tx, c.T),
              bgNbdConditionalExpectedPurchases(bg, t2, c.x, c.tx, c.T),
            ],
            [
              mbgNbdConditionalExpectedPurchases(bg, t1, c.x, c.tx, c.T),
              mbgNbdConditionalExpectedPurchases(bg, t2, c.x, c.tx, c.T),
            ],
            [
              paretoNbdConditionalExpectedPurchases(pn, t1, c.x, c.tx, c.T),
              paretoNbdConditionalExpectedPurchases(pn, t2, c.x, c.tx, c.T),
            ],
          ];
          return pairs.every(
            ([u, v]) => Number.isFinite(u) && Number.isFinite(v) && u >= 0 && v >= u - tol(u),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
  it('BG/NBD and MBG/NBD likelihoods are finite for extreme valid inputs (x = 0, x = 500, t_x = T, tiny T)', () => {
    fc.assert(
      fc.property(pos, pos, pos, pos, customer, (r, alpha, a, b, c) => {
        const d = { frequency: [c.x], recency: [c.tx], T: [c.T] };
        return (
          Number.isFinite(bgNbdLogLikelihood({ r, alpha, a, b }, d)) &&
          Number.isFinite(mbgNbdLogLikelihood({ r, alpha, a, b }, d))
        );
      }),
      { numRuns: 300 },
    );
    for (const [x, tx, T] of [
      [0, 0, 1e-9],
      [500, 30, 30],
      [500, 1e-9, 1e-9],
      [1, 38, 38],
    ]) {
      const d = { frequency: [x], recency: [tx], T: [T] };
      if (!Number.isFinite(bgNbdLogLikelihood({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, d)))
        throw new Error(`BG/NBD LL not finite at ${x},${tx},${T}`);
    }
  });
  it('x > 0 with t_x = 0 is refused with what to fix (the likelihood is unbounded there as alpha -> 0)', () => {
    const d = { frequency: [2, 1], recency: [0, 3], T: [10, 10] };
    expect(() => bgNbdLogLikelihood({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, d)).toThrow(
      /row 1 has frequency 2 but recency 0.*merge purchases made on the first day/,
    );
  });
});
