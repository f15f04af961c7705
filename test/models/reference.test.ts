// Per-customer agreement with an independent high-precision reference implementation.
//
// The expected numbers come from test/fixtures/reference/generate.py: the papers' formulas (FHL 2005 BG/NBD
// eqs. 6-11; Fader & Hardie 2005 Pareto/NBD note eqs. 17-22 and the 2006/2020 P(X(t)=x) note eq. 16;
// Batislam et al. 2007 MBG/NBD eqs. 5-8; FHL 2005 Gamma-Gamma eq. 5; Fader, Hardie & Shang 2010 BG/BB eqs.
// 5-14) written in Python from the papers, evaluated with mpmath 1.3 at 50 significant digits and each
// cross-checked there against a differently derived integral or series (agreement < 1e-25 relative). The
// values are stored with %.17g, so the reference is exact to float64 round-off: every difference measured
// here is the TypeScript's own error. Inputs are the 2,357 CDNOW customers of lifetimes'
// cdnow_customers_summary.csv (+ zbar of cdnow_customers_summary_with_transactions.csv) and the 22 rows of
// lifetimes' donations.csv, at fixed published parameter values (params.json; sources in generate.py).
//
// Tolerances (relative error |ts − ref| / max(|ref|, floor)):
//  - CLOSED = 1e-12 for quantities that are a handful of log/exp/lgamma operations in float64 (LL, P(alive),
//    Gamma-Gamma spend, BG/BB eqs. 5-13): error is a few ulps times the condition number, measured max
//    ~1e-14; 1e-12 leaves room for other platforms' libm without hiding a formula error (those show at 1e-3+).
//  - SERIES = 1e-10 for quantities whose TypeScript implementation sums a hypergeometric series or runs a
//    quadrature (conditional expectations, E[X(t)], P(alive at T+t), P(X(t)=n), DERT): the routines document
//    ~1e-12 relative accuracy (tanh-sinh step 1/32; Gauss-Legendre 8×32; series stopped at 1e-17), and
//    tolerance = 100× that.
//  - For P(X(t)=n) computed as 1 − Σ NB(j) (a difference), relative error is measured against max(ref, 1e-3):
//    the cancellation is bounded in absolute terms (~1e-16) not relative terms.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdProbabilityAliveAt,
  bgNbdProbabilityOfPurchases,
  compressRfm,
} from '../../src/lib/models/bgNbd.ts';
import {
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdLogLikelihoodRow,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityAliveAt,
  paretoNbdProbabilityAliveCompressed,
  paretoNbdProbabilityOfPurchases,
} from '../../src/lib/models/paretoNbd.ts';
import {
  mbgNbdConditionalExpectedPurchases,
  mbgNbdExpectedPurchases,
  mbgNbdLogLikelihood,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityAliveAt,
  mbgNbdProbabilityOfPurchases,
} from '../../src/lib/models/mbgNbd.ts';
import { ggConditionalExpectedSpend, ggLogLikelihood } from '../../src/lib/models/gammaGamma.ts';
import {
  bgbbConditionalExpectedTransactions,
  bgbbDert,
  bgbbExpectedTransactions,
  bgbbLogLikelihood,
  bgbbLogLikelihoodRow,
  bgbbProbabilityAlive,
  bgbbProbabilityOfTransactions,
} from '../../src/lib/models/bgbb.ts';
import { predictClv, type PurchaseModel } from '../../src/lib/models/clv.ts';
import type {
  BgBbParams,
  BgNbdParams,
  GammaGammaParams,
  MbgNbdParams,
  ParetoNbdParams,
} from '../../src/lib/models/types.ts';

const CLOSED = 1e-12;
const SERIES = 1e-10;

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/reference/${name}`, import.meta.url), 'utf8');
}
/** Header-keyed columns of a plain CSV (no quotes in these files); '' stays NaN-free as null. */
function readTable(name: string): { header: string[]; rows: string[][] } {
  const lines = fixture(name)
    .split('\n')
    .filter((l) => l !== '');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}
function column(t: { header: string[]; rows: string[][] }, name: string): (number | null)[] {
  const j = t.header.indexOf(name);
  if (j < 0) throw new Error(`reference column ${name} missing`);
  return t.rows.map((r) => (r[j] === '' ? null : Number(r[j])));
}
const num = (v: number | null): number => {
  if (v === null) throw new Error('unexpected empty reference cell');
  return v;
};

interface Params {
  bgnbd: BgNbdParams;
  pnbd: ParetoNbdParams;
  mbgnbd: MbgNbdParams;
  gg: GammaGammaParams;
  bgbb: BgBbParams;
  horizon: number;
  bgbbNStar: number;
  bgbbDiscount: number;
}
const P = JSON.parse(fixture('params.json')) as Params;

const cust = readTable('cdnow_customers.csv');
const ids = column(cust, 'ID').map(num);
const xs = column(cust, 'x').map(num);
const txs = column(cust, 't_x').map(num);
const Ts = column(cust, 'T').map(num);
const zbars = column(cust, 'zbar').map(num);
const N = ids.length;

/** Max relative error over all customers and the worst customer, for the report and the assertion message. */
function worst(
  ref: (number | null)[],
  got: (i: number) => number,
  floor = 1e-300,
): { rel: number; at: number; ref: number; got: number } {
  let w = { rel: 0, at: -1, ref: NaN, got: NaN };
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    if (r === null) continue;
    const g = got(i);
    const rel = Number.isFinite(g) ? Math.abs(g - r) / Math.max(Math.abs(r), floor) : Infinity;
    if (!(rel <= w.rel)) w = { rel, at: i, ref: r, got: g };
  }
  return w;
}
const measured: string[] = [];
function expectClose(
  label: string,
  ref: (number | null)[],
  got: (i: number) => number,
  tol: number,
  floor?: number,
  rowName: (i: number) => string = (i) =>
    `customer ${ids[i]} (x=${xs[i]}, t_x=${txs[i]}, T=${Ts[i]}, zbar=${zbars[i]})`,
): void {
  const w = worst(ref, got, floor);
  measured.push(`${label.padEnd(40)} max rel err ${w.rel.toExponential(2)}  (tol ${tol})`);
  const where = w.at >= 0 ? `${rowName(w.at)}: ts ${w.got} vs reference ${w.ref}` : '';
  expect(w.rel, `${label}: ${where}`).toBeLessThanOrEqual(tol);
}
// One line per quantity compared, printed after the run (visible with `npx vitest run test/models/reference.test.ts`).
afterAll(() => {
  console.log(`reference comparison, max relative error per quantity:\n${measured.join('\n')}`);
});
const one = (i: number) => ({ frequency: [xs[i]], recency: [txs[i]], T: [Ts[i]] });

describe('reference: CDNOW input matches the reference file', () => {
  it('has all 2,357 customers', () => {
    expect(N).toBe(2357);
    expect(xs.filter((x) => x > 0).length).toBe(946); // FHL 2005: 946 repeat buyers
  });
});

describe('reference: BG/NBD on all CDNOW customers (FHL 2005 params r .243, alpha 4.414, a .793, b 2.426)', () => {
  const p = P.bgnbd;
  it('log-likelihood per customer (eq. 6)', () => {
    expectClose('bgnbd LL', column(cust, 'bgnbd_ll'), (i) => bgNbdLogLikelihood(p, one(i)), CLOSED);
  });
  it('log-likelihood total over the compressed data equals the per-customer sum', () => {
    const ref = column(cust, 'bgnbd_ll').map(num);
    const sum = ref.reduce((a, b) => a + b, 0); // ≈ −9582.43 (FHL 2005 Table 2: −9582.4)
    const all = { frequency: xs, recency: txs, T: Ts };
    expect(Math.abs(bgNbdLogLikelihood(p, compressRfm(all)) - sum) / Math.abs(sum)).toBeLessThan(CLOSED);
  });
  it('P(alive) (eq. 11)', () => {
    expectClose(
      'bgnbd P(alive)',
      column(cust, 'bgnbd_p_alive'),
      (i) => bgNbdProbabilityAlive(p, xs[i], txs[i], Ts[i]),
      CLOSED,
    );
  });
  it('P(alive at T + 39 weeks)', () => {
    expectClose(
      'bgnbd P(alive at T+39)',
      column(cust, 'bgnbd_p_alive_39'),
      (i) => bgNbdProbabilityAliveAt(p, xs[i], txs[i], Ts[i], P.horizon),
      SERIES,
    );
  });
  it('conditional expected purchases in the next 39 weeks (eq. 10)', () => {
    expectClose(
      'bgnbd E[Y(39)|x,t_x,T]',
      column(cust, 'bgnbd_cond_39'),
      (i) => bgNbdConditionalExpectedPurchases(p, P.horizon, xs[i], txs[i], Ts[i]),
      SERIES,
    );
  });
});

describe('reference: Pareto/NBD on all CDNOW customers (r 0.5533, alpha 10.5776, s 0.6061, beta 11.6650)', () => {
  const p = P.pnbd;
  it('log-likelihood per customer (FH05 eq. 22)', () => {
    expectClose(
      'pnbd LL (row)',
      column(cust, 'pnbd_ll'),
      (i) => paretoNbdLogLikelihoodRow(p, xs[i], txs[i], Ts[i]),
      CLOSED,
    );
    expectClose(
      'pnbd LL (one-row data)',
      column(cust, 'pnbd_ll'),
      (i) => paretoNbdLogLikelihood(p, one(i)),
      CLOSED,
    );
  });
  it('log-likelihood total over the compressed data equals the per-customer sum', () => {
    const ref = column(cust, 'pnbd_ll').map(num);
    const sum = ref.reduce((a, b) => a + b, 0); // ≈ −9594.97 (BTYD walkthrough: −9594.976)
    const all = { frequency: xs, recency: txs, T: Ts };
    expect(Math.abs(paretoNbdLogLikelihood(p, compressRfm(all)) - sum) / Math.abs(sum)).toBeLessThan(CLOSED);
  });
  it('P(alive) (FH05 eq. 18), per customer and on compressed data', () => {
    const ref = column(cust, 'pnbd_p_alive');
    expectClose('pnbd P(alive)', ref, (i) => paretoNbdProbabilityAlive(p, xs[i], txs[i], Ts[i]), CLOSED);
    const d = compressRfm({ frequency: xs, recency: txs, T: Ts });
    const rows = paretoNbdProbabilityAliveCompressed(p, d);
    expectClose('pnbd P(alive) compressed', ref, (i) => rows[d.rowOf[i]], CLOSED);
  });
  it('P(alive at T + 39 weeks)', () => {
    expectClose(
      'pnbd P(alive at T+39)',
      column(cust, 'pnbd_p_alive_39'),
      (i) => paretoNbdProbabilityAliveAt(p, xs[i], txs[i], Ts[i], P.horizon),
      CLOSED,
    );
  });
  it('conditional expected purchases in the next 39 weeks (FH05 eq. 21)', () => {
    expectClose(
      'pnbd E[Y(39)|x,t_x,T]',
      column(cust, 'pnbd_cond_39'),
      (i) => paretoNbdConditionalExpectedPurchases(p, P.horizon, xs[i], txs[i], Ts[i]),
      CLOSED,
    );
  });
});

describe('reference: MBG/NBD on all CDNOW customers (lifetimes test fit r .525, alpha 6.183, a .891, b 1.614)', () => {
  const p = P.mbgnbd;
  it('log-likelihood per customer (Batislam et al. 2007 eq. 5)', () => {
    expectClose('mbgnbd LL', column(cust, 'mbgnbd_ll'), (i) => mbgNbdLogLikelihood(p, one(i)), CLOSED);
  });
  it('P(alive) (eq. 8)', () => {
    expectClose(
      'mbgnbd P(alive)',
      column(cust, 'mbgnbd_p_alive'),
      (i) => mbgNbdProbabilityAlive(p, xs[i], txs[i], Ts[i]),
      CLOSED,
    );
  });
  it('P(alive at T + 39 weeks)', () => {
    expectClose(
      'mbgnbd P(alive at T+39)',
      column(cust, 'mbgnbd_p_alive_39'),
      (i) => mbgNbdProbabilityAliveAt(p, xs[i], txs[i], Ts[i], P.horizon),
      SERIES,
    );
  });
  it('conditional expected purchases in the next 39 weeks (eq. 7)', () => {
    expectClose(
      'mbgnbd E[Y(39)|x,t_x,T]',
      column(cust, 'mbgnbd_cond_39'),
      (i) => mbgNbdConditionalExpectedPurchases(p, P.horizon, xs[i], txs[i], Ts[i]),
      SERIES,
    );
  });
});

describe('reference: Gamma-Gamma on all CDNOW customers (p 6.25, q 3.74, gamma 15.44)', () => {
  const p = P.gg;
  it('conditional expected spend per transaction (FHL 2005 iso-value eq. 5; x = 0 → population mean)', () => {
    expectClose(
      'gg E[Z|x,zbar]',
      column(cust, 'gg_spend'),
      (i) => ggConditionalExpectedSpend(p, xs[i], zbars[i]),
      CLOSED,
    );
  });
  it('log-likelihood per repeat buyer (946 customers with x > 0)', () => {
    const ref = column(cust, 'gg_ll');
    expect(ref.filter((v) => v !== null).length).toBe(946);
    expectClose(
      'gg LL',
      ref,
      (i) => ggLogLikelihood(p, { frequency: [xs[i]], monetaryValue: [zbars[i]] }),
      CLOSED,
    );
  });
});

describe('reference: predictClv (the `clv predict` path) reproduces the per-customer references', () => {
  const data = { frequency: xs, recency: txs, T: Ts, monetaryValue: zbars };
  const cases: [PurchaseModel, string][] = [
    [{ model: 'bgnbd', params: P.bgnbd }, 'bgnbd'],
    [{ model: 'pnbd', params: P.pnbd }, 'pnbd'],
    [{ model: 'mbgnbd', params: P.mbgnbd }, 'mbgnbd'],
  ];
  for (const [model, name] of cases) {
    it(`${name}: p_alive, expected_purchases (39 weeks) and expected_spend`, () => {
      const res = predictClv(model, data, { params: P.gg }, { horizon: P.horizon });
      expectClose(
        `predictClv ${name} p_alive`,
        column(cust, `${name}_p_alive`),
        (i) => res.pAlive[i],
        CLOSED,
      );
      expectClose(
        `predictClv ${name} expected_purchases`,
        column(cust, `${name}_cond_39`),
        (i) => res.expectedPurchases[i],
        SERIES,
      );
      const spend = res.expectedSpend;
      expect(spend).not.toBeNull();
      if (spend)
        expectClose(`predictClv ${name} expected_spend`, column(cust, 'gg_spend'), (i) => spend[i], CLOSED);
    });
  }
});

describe('reference: new-customer quantities (population.csv)', () => {
  const pop = readTable('population.csv');
  const rows = pop.rows.map((r) => ({
    model: r[0],
    q: r[1],
    t: Number(r[2]),
    n: r[3] === '' ? NaN : Number(r[3]),
    v: Number(r[4]),
  }));
  const fnE: Record<string, (t: number) => number> = {
    bgnbd: (t) => bgNbdExpectedPurchases(P.bgnbd, t),
    pnbd: (t) => paretoNbdExpectedPurchases(P.pnbd, t),
    mbgnbd: (t) => mbgNbdExpectedPurchases(P.mbgnbd, t),
    bgbb: (n) => bgbbExpectedTransactions(P.bgbb, n),
  };
  const fnP: Record<string, (t: number, n: number) => number> = {
    bgnbd: (t, n) => bgNbdProbabilityOfPurchases(P.bgnbd, t, n),
    pnbd: (t, n) => paretoNbdProbabilityOfPurchases(P.pnbd, t, n),
    mbgnbd: (t, n) => mbgNbdProbabilityOfPurchases(P.mbgnbd, t, n),
    bgbb: (n, x) => bgbbProbabilityOfTransactions(P.bgbb, n, x),
  };
  for (const model of ['bgnbd', 'pnbd', 'mbgnbd', 'bgbb']) {
    it(`${model}: E[X(t)] (t = 1, 10, 39, 78 weeks; BG/BB n = 1..11)`, () => {
      const sel = rows.filter((r) => r.model === model && r.q === 'expected');
      expect(sel.length).toBeGreaterThanOrEqual(4);
      expectClose(
        `${model} E[X(t)]`,
        sel.map((r) => r.v),
        (i) => fnE[model](sel[i].t),
        SERIES,
        undefined,
        (i) => `t=${sel[i].t}`,
      );
    });
    it(`${model}: P(X(t) = n) (t = 39, n = 0..5; BG/BB n = 6, x = 0..6)`, () => {
      const sel = rows.filter((r) => r.model === model && r.q === 'pmf');
      expect(sel.length).toBeGreaterThanOrEqual(6);
      expectClose(
        `${model} P(X(t)=n)`,
        sel.map((r) => r.v),
        (i) => fnP[model](sel[i].t, sel[i].n),
        SERIES,
        1e-3,
        (i) => `t=${sel[i].t}, n=${sel[i].n}`,
      );
    });
  }
});

describe('reference: BG/BB on the donations data (FHS 2010 alpha 1.204, beta .750, gamma .657, delta 2.783)', () => {
  const t = readTable('bgbb_donations.csv');
  const x = column(t, 'frequency').map(num);
  const tx = column(t, 'recency').map(num);
  const n = column(t, 'periods').map(num);
  const w = column(t, 'weights').map(num);
  const p = P.bgbb;
  const rowName = (i: number) => `row x=${x[i]}, t_x=${tx[i]}, n=${n[i]}`;
  it('log-likelihood per row (eq. 5) and weighted total', () => {
    const ref = column(t, 'll');
    expect(ref.length).toBe(22);
    expectClose(
      'bgbb LL',
      ref,
      (i) => bgbbLogLikelihoodRow(p, x[i], tx[i], n[i]),
      CLOSED,
      undefined,
      rowName,
    );
    const sum = ref.reduce<number>((a, v, i) => a + w[i] * num(v), 0); // ≈ −33,225.58 (FHS 2010: −33,225.6)
    const ll = bgbbLogLikelihood(p, { frequency: x, recency: tx, periods: n, weights: w });
    expect(Math.abs(ll - sum) / Math.abs(sum)).toBeLessThan(CLOSED);
  });
  it('P(alive) at n (m = 0, lifetimes) and in period n + 1 (m = 1, eq. 11)', () => {
    expectClose(
      'bgbb P(alive, m=0)',
      column(t, 'p_alive_0'),
      (i) => bgbbProbabilityAlive(p, x[i], tx[i], n[i], 0),
      CLOSED,
      undefined,
      rowName,
    );
    expectClose(
      'bgbb P(alive, m=1)',
      column(t, 'p_alive_1'),
      (i) => bgbbProbabilityAlive(p, x[i], tx[i], n[i], 1),
      CLOSED,
      undefined,
      rowName,
    );
  });
  it('conditional expected transactions in the next 5 periods (eq. 13)', () => {
    expectClose(
      'bgbb E[X(n,n+5)|x,t_x,n]',
      column(t, 'cond_5'),
      (i) => bgbbConditionalExpectedTransactions(p, x[i], tx[i], n[i], P.bgbbNStar),
      CLOSED,
      undefined,
      rowName,
    );
  });
  it('DERT at a 10% discount rate (eq. 14)', () => {
    expectClose(
      'bgbb DERT(0.1)',
      column(t, 'dert_10'),
      (i) => bgbbDert(p, x[i], tx[i], n[i], P.bgbbDiscount),
      SERIES,
      undefined,
      rowName,
    );
  });
});

// Stress set (stress.csv): parameter sets and customers that reach every branch of the TypeScript — the
// quadrature branch of bgFamilyExpectedIfAlive (r > a+b−1), a = 1 / s = 1 / gamma = 1 limits and values next to
// them, alpha ≥ beta and alpha = beta in the Pareto/NBD tails, x up to 500, T from 0.5 to 500, horizons up to
// 1,000 weeks, BG/BB with n = 200 and DERT at d = 0.01. The reference evaluates limits at 1 + 1e-40 with 100
// digits and cross-checks each closed form against an integral or a direct sum (generate.py, stress()).
describe('reference: stress set (branches, limits and extreme inputs)', () => {
  const st = readTable('stress.csv');
  type Row = {
    model: string;
    set: string;
    p: number[];
    x: number;
    tx: number;
    T: number;
    t: number;
    q: string;
    v: number;
  };
  const rows: Row[] = st.rows.map((r) => ({
    model: r[0],
    set: r[1],
    p: r.slice(2, 6).map(Number),
    x: Number(r[6]),
    tx: Number(r[7]),
    T: Number(r[8]),
    t: Number(r[9]),
    q: r[10],
    v: Number(r[11]),
  }));
  function ts(r: Row): number {
    const [p1, p2, p3, p4] = r.p;
    if (r.model === 'bgbb') {
      const p: BgBbParams = { alpha: p1, beta: p2, gamma: p3, delta: p4 };
      switch (r.q) {
        case 'll':
          return bgbbLogLikelihoodRow(p, r.x, r.tx, r.T);
        case 'p_alive':
          return bgbbProbabilityAlive(p, r.x, r.tx, r.T, r.t);
        case 'cond':
          return bgbbConditionalExpectedTransactions(p, r.x, r.tx, r.T, r.t);
        case 'dert':
          return bgbbDert(p, r.x, r.tx, r.T, r.t);
        case 'expected':
          return bgbbExpectedTransactions(p, r.T);
        case 'pmf':
          return bgbbProbabilityOfTransactions(p, r.T, r.x);
      }
    } else if (r.model === 'pnbd') {
      const p: ParetoNbdParams = { r: p1, alpha: p2, s: p3, beta: p4 };
      switch (r.q) {
        case 'll':
          return paretoNbdLogLikelihoodRow(p, r.x, r.tx, r.T);
        case 'p_alive':
          return paretoNbdProbabilityAlive(p, r.x, r.tx, r.T);
        case 'p_alive_t':
          return paretoNbdProbabilityAliveAt(p, r.x, r.tx, r.T, r.t);
        case 'cond':
          return paretoNbdConditionalExpectedPurchases(p, r.t, r.x, r.tx, r.T);
        case 'expected':
          return paretoNbdExpectedPurchases(p, r.t);
        case 'pmf':
          return paretoNbdProbabilityOfPurchases(p, r.t, r.x);
      }
    } else {
      const p: BgNbdParams = { r: p1, alpha: p2, a: p3, b: p4 };
      const m = r.model === 'mbgnbd';
      switch (r.q) {
        case 'll':
          return (m ? mbgNbdLogLikelihood : bgNbdLogLikelihood)(p, {
            frequency: [r.x],
            recency: [r.tx],
            T: [r.T],
          });
        case 'p_alive':
          return (m ? mbgNbdProbabilityAlive : bgNbdProbabilityAlive)(p, r.x, r.tx, r.T);
        case 'p_alive_t':
          return (m ? mbgNbdProbabilityAliveAt : bgNbdProbabilityAliveAt)(p, r.x, r.tx, r.T, r.t);
        case 'cond':
          return (m ? mbgNbdConditionalExpectedPurchases : bgNbdConditionalExpectedPurchases)(
            p,
            r.t,
            r.x,
            r.tx,
            r.T,
          );
        case 'expected':
          return (m ? mbgNbdExpectedPurchases : bgNbdExpectedPurchases)(p, r.t);
        case 'pmf':
          return (m ? mbgNbdProbabilityOfPurchases : bgNbdProbabilityOfPurchases)(p, r.t, r.x);
      }
    }
    throw new Error(`unknown stress row ${r.model} ${r.q}`);
  }
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.model} ${r.q}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const name = (g: Row[]) => (i: number) =>
    `${g[i].set} [${g[i].p.join(', ')}] x=${g[i].x} t_x=${g[i].tx} T/n=${g[i].T} t=${g[i].t}`;
  for (const [k, all] of groups) {
    // Pareto/NBD P(X(t) = n) at t = 1,000 weeks is a known disagreement (see KNOWN below), kept out of the
    // strict comparison and tested separately.
    const g = all;
    it(`${k} (${g.length} cases)`, () => {
      expectClose(
        `stress ${k}`,
        g.map((r) => r.v),
        (i) => ts(g[i]),
        SERIES,
        STRESS_FLOOR[k],
        name(g),
      );
    });
  }
  // paretoNbdProbabilityOfPurchases at t = 1,000 weeks (much longer than alpha, beta): equal-width panels lost
  // 0.85% here (r 3, alpha 1, s 5, beta 100, n = 1: 0.0228161 vs 0.0226236); doubling panels fixed it.
  it('pnbd pmf at t = 1,000 weeks agrees to 1e-10 (long horizons, geometric panels)', () => {
    const g = (groups.get('pnbd pmf') ?? []).filter((r) => r.t > 39);
    expect(g.length).toBe(24);
    expectClose(
      'stress pnbd pmf t=1000',
      g.map((r) => r.v),
      (i) => ts(g[i]),
      SERIES,
      undefined,
      name(g),
    );
  });
});
// BG/NBD and MBG/NBD P(X(t) = n) contain 1 − Σ_{j<n} NB(j) (eq. 8): in float64 that difference has an
// absolute error of ~1e-16, so a tail probability of 1e-21 (n = 30, t = 1) comes out as ~1e-18. Those are
// compared relative to max(ref, 1e-6), i.e. to 1e-16 absolute (reported to the lead as a minor limitation).
const STRESS_FLOOR: Record<string, number> = { 'bgnbd pmf': 1e-6, 'mbgnbd pmf': 1e-6 };
