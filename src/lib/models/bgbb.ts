/**
 * BG/BB — beta-geometric/beta-Bernoulli model for discrete transaction opportunities (non-contractual,
 * e.g. yearly donations). Fader, P.S., Hardie, B.G.S. & Shang, J. (2010) "Customer-Base Analysis in a
 * Discrete-Time Noncontractual Setting", Marketing Science 29(6):1086-1108; equation numbers below refer to it.
 *
 * While alive a customer transacts at each opportunity with probability p ~ Beta(alpha, beta); after each
 * opportunity they die with probability θ ~ Beta(gamma, delta). Data per customer: x = number of
 * transactions in the n calibration opportunities, t_x = opportunity of the last one (0 if x = 0), n.
 * Time unit: one transaction opportunity (e.g. a year). Float64, log space, identical rows compressed.
 */
import type { BgBbParams, FitOptions, FitReport } from './types.ts';
import { fitMle } from './optimize/index.ts';
import { betaln, gammaln, logAddExp } from './special/gammaln.ts';
import { hyp2f1OneSeries, toFitReport } from './sbg.ts';

/** BG/BB input columns: one row per customer, or per group of identical customers with `weights`. */
export interface BgBbData {
  /** x: transactions in the calibration opportunities (repeat transactions for lifetimes' convention). */
  frequency: ArrayLike<number>;
  /** t_x: opportunity of the last transaction (0 when x = 0). */
  recency: ArrayLike<number>;
  /** n: number of calibration opportunities. */
  periods: ArrayLike<number>;
  /** Optional number of customers per row (lifetimes' donations.csv `weights`); default 1. */
  weights?: ArrayLike<number>;
}

/** Unique (x, t_x, n) rows with their total weight: likelihood cost grows with distinct rows, not customers. */
export interface CompressedBgBb {
  x: Float64Array;
  tx: Float64Array;
  n: Float64Array;
  w: Float64Array;
  /** Total customers (sum of weights). */
  total: number;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : String(n);
}

/**
 * Validate BG/BB rows (integers with 0 ≤ x ≤ t_x ≤ n, t_x = 0 iff x = 0, n ≥ 1, weights ≥ 0) and merge
 * identical rows. Throws an Error naming the first bad row (1-based) and what to fix.
 * Example: compressBgBb({frequency: [1, 1], recency: [2, 2], periods: [6, 6]}) → one row with weight 2.
 */
export function compressBgBb(data: BgBbData, fnName = 'fitBgBb'): CompressedBgBb {
  const len = data.frequency.length;
  if (
    data.recency.length !== len ||
    data.periods.length !== len ||
    (data.weights && data.weights.length !== len)
  ) {
    throw new Error(`${fnName}: frequency, recency, periods (and weights) must have the same length`);
  }
  const rows = new RowIndex();
  const ws: number[] = [];
  let total = 0;
  for (let i = 0; i < len; i++) {
    const x = data.frequency[i];
    const tx = data.recency[i];
    const n = data.periods[i];
    const w = data.weights ? data.weights[i] : 1;
    checkRow(x, tx, n, i, fnName);
    if (!(w >= 0 && Number.isFinite(w)))
      throw new Error(`${fnName}: row ${i + 1} has weight ${w}; weights must be finite and >= 0`);
    if (w === 0) continue;
    const j = rows.id(x, tx, n);
    if (j === ws.length) ws.push(w);
    else ws[j] += w;
    total += w;
  }
  return {
    x: Float64Array.from(rows.xs),
    tx: Float64Array.from(rows.txs),
    n: Float64Array.from(rows.ns),
    w: Float64Array.from(ws),
    total,
  };
}

function checkRow(x: number, tx: number, n: number, i: number, fnName: string): void {
  const row = `row ${i + 1}`;
  if (!(Number.isInteger(x) && Number.isInteger(tx) && Number.isInteger(n))) {
    throw new Error(
      `${fnName}: ${row} has non-integer frequency/recency/periods (${x}, ${tx}, ${n}); BG/BB counts opportunities`,
    );
  }
  if (n < 1) throw new Error(`${fnName}: ${row} has periods ${n}; need at least 1 transaction opportunity`);
  if (x < 0 || x > tx || tx > n) {
    throw new Error(
      `${fnName}: ${row} has frequency ${x}, recency ${tx}, periods ${n}; need 0 <= frequency <= recency <= periods`,
    );
  }
  if (x === 0 && tx !== 0)
    throw new Error(
      `${fnName}: ${row} has frequency 0 but recency ${tx}; recency must be 0 when frequency is 0`,
    );
}

/**
 * Ids for distinct (x, t_x, n) rows: a dense (n+1)² table per n up to 2,000 opportunities (no hashing of
 * 1M keys), a string map beyond. New rows get the next id (= previous count).
 */
class RowIndex {
  readonly xs: number[] = [];
  readonly txs: number[] = [];
  readonly ns: number[] = [];
  private readonly tables = new Map<number, Int32Array>();
  private readonly fallback = new Map<string, number>();
  private lastN = -1;
  private lastTable: Int32Array | undefined;

  id(x: number, tx: number, n: number): number {
    if (n <= 2000) {
      let tab = n === this.lastN ? this.lastTable : this.tables.get(n);
      if (!tab) this.tables.set(n, (tab = new Int32Array((n + 1) * (n + 1))));
      this.lastN = n;
      this.lastTable = tab;
      const cell = tx * (n + 1) + x;
      if (tab[cell] === 0) tab[cell] = this.push(x, tx, n) + 1;
      return tab[cell] - 1;
    }
    const key = `${x},${tx},${n}`;
    let j = this.fallback.get(key);
    if (j === undefined) this.fallback.set(key, (j = this.push(x, tx, n)));
    return j;
  }

  private push(x: number, tx: number, n: number): number {
    this.xs.push(x);
    this.txs.push(tx);
    this.ns.push(n);
    return this.xs.length - 1;
  }
}

/**
 * log L(alpha, beta, gamma, delta | x, t_x, n) for one customer (eq. 5):
 * B(alpha+x, beta+n−x)/B(alpha,beta)·B(gamma, delta+n)/B(gamma,delta)
 *   + sum_{i=0}^{n−t_x−1} B(alpha+x, beta+t_x−x+i)/B(alpha,beta)·B(gamma+1, delta+t_x+i)/B(gamma,delta).
 * The sum's terms shrink geometrically-or-slower, so it is accumulated relative to its first term
 * (no overflow, no underflow). Example: x=6, t_x=6, n=6 at the paper's estimates → log(0.11279) (= P(X(6) = 6)).
 */
export function bgbbLogLikelihoodRow(params: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = params;
  const bab = betaln(alpha, beta);
  const bgd = betaln(gamma, delta);
  const logAlive = betaln(alpha + x, beta + n - x) - bab + betaln(gamma, delta + n) - bgd;
  const m = n - tx; // number of terms in the sum (death after t_x, before n)
  if (m <= 0) return logAlive;
  const logFirst = betaln(alpha + x, beta + tx - x) - bab + betaln(gamma + 1, delta + tx) - bgd;
  let s = 1;
  let ratio = 1;
  for (let i = 0; i < m - 1; i++) {
    ratio *=
      ((beta + tx - x + i) / (alpha + beta + tx + i)) * ((delta + tx + i) / (gamma + 1 + delta + tx + i));
    s += ratio;
  }
  return logAddExp(logAlive, logFirst + Math.log(s));
}

/** Log-likelihood on compressed rows (sum of weight × row log-likelihood). */
export function bgbbLogLikelihoodCompressed(params: BgBbParams, d: CompressedBgBb): number {
  let ll = 0;
  for (let i = 0; i < d.x.length; i++) ll += d.w[i] * bgbbLogLikelihoodRow(params, d.x[i], d.tx[i], d.n[i]);
  return ll;
}

/**
 * BG/BB log-likelihood summed over customers (eq. 5 × weights). Full sum, not a mean.
 * Example: the 11,104 donors of Fader, Hardie & Shang (2010) at alpha 1.204, beta 0.750, gamma 0.657,
 * delta 2.783 → about −33,225.6.
 */
export function bgbbLogLikelihood(params: BgBbParams, data: BgBbData | CompressedBgBb): number {
  checkParams(params, 'bgbbLogLikelihood');
  const d = 'w' in data ? data : compressBgBb(data, 'bgbbLogLikelihood');
  return bgbbLogLikelihoodCompressed(params, d);
}

function checkParams(p: BgBbParams, fnName: string): void {
  for (const k of ['alpha', 'beta', 'gamma', 'delta'] as const) {
    if (!(p[k] > 0 && Number.isFinite(p[k]))) throw new Error(`${fnName} needs ${k} > 0 (got ${p[k]})`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Predictions

/**
 * P(X(n) = x) for a customer just acquired, over the next n opportunities (eq. 8):
 * C(n,x)·B(alpha+x, beta+n−x)/B(alpha,beta)·B(gamma, delta+n)/B(gamma,delta)
 *   + sum_{i=x}^{n−1} C(i,x)·B(alpha+x, beta+i−x)/B(alpha,beta)·B(gamma+1, delta+i)/B(gamma,delta).
 * Example: at the donation estimates, P(X(6) = 0) ≈ 0.312 (3,464 of 11,104 donors observed).
 */
export function bgbbProbabilityOfTransactions(params: BgBbParams, n: number, x: number): number {
  const { alpha, beta, gamma, delta } = params;
  if (!(Number.isInteger(n) && Number.isInteger(x)) || x < 0 || x > n) return 0;
  const bab = betaln(alpha, beta);
  const bgd = betaln(gamma, delta);
  const lchoose = (a: number, b: number) => gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1);
  let total = Math.exp(
    lchoose(n, x) + betaln(alpha + x, beta + n - x) - bab + betaln(gamma, delta + n) - bgd,
  );
  for (let i = x; i < n; i++) {
    total += Math.exp(
      lchoose(i, x) + betaln(alpha + x, beta + i - x) - bab + betaln(gamma + 1, delta + i) - bgd,
    );
  }
  return total;
}

/** sum_{t=from}^{to} B(gamma, delta+t)/B(gamma, delta) = sum of P(alive at opportunity t) for a new customer. */
function aliveSum(gamma: number, delta: number, from: number, to: number): number {
  if (to < from) return 0;
  const count = to - from + 1;
  if (Math.abs(gamma - 1) > 1e-3 && count > 64) {
    // Closed form: delta/(gamma−1)·Γ(gamma+delta)/Γ(1+delta)·[Γ(1+delta+from−1)/Γ(gamma+delta+from−1) − Γ(1+delta+to)/Γ(gamma+delta+to)]
    const c = Math.log(delta / Math.abs(gamma - 1)) + gammaln(gamma + delta) - gammaln(1 + delta);
    const a = gammaln(delta + from) - gammaln(gamma + delta + from - 1);
    const b = gammaln(1 + delta + to) - gammaln(gamma + delta + to);
    // gamma > 1: a > b; gamma < 1: b > a (sign absorbed by |gamma−1|)
    return gamma > 1 ? Math.exp(c + a) * -Math.expm1(b - a) : Math.exp(c + b) * -Math.expm1(a - b);
  }
  let term = Math.exp(betaln(gamma, delta + from) - betaln(gamma, delta));
  let s = 0;
  for (let t = from; t <= to; t++) {
    s += term;
    term *= (delta + t) / (gamma + delta + t);
  }
  return s;
}

/**
 * Expected transactions of a new customer in the first n opportunities, E[X(n)] (eq. 9):
 * alpha/(alpha+beta)·delta/(gamma−1)·[1 − Γ(gamma+delta)Γ(1+delta+n)/(Γ(gamma+delta+n)Γ(1+delta))]
 * (evaluated as a sum of survival probabilities near gamma = 1). Example: donation estimates, n = 6 → 2.2196.
 */
export function bgbbExpectedTransactions(params: BgBbParams, n: number): number {
  if (!(n > 0)) return 0;
  return (
    (params.alpha / (params.alpha + params.beta)) * aliveSum(params.gamma, params.delta, 1, Math.floor(n))
  );
}

/**
 * Expected transactions of a new customer in opportunities n+1 … n+nStar, E[X(n, n+n*)] = E[X(n+n*)] − E[X(n)].
 * Example: donation estimates, n = 6, n* = 5 → 1.168 donations per donor of a new cohort.
 */
export function bgbbExpectedTransactionsBetween(params: BgBbParams, n: number, nStar: number): number {
  if (!(nStar > 0)) return 0;
  return (
    (params.alpha / (params.alpha + params.beta)) * aliveSum(params.gamma, params.delta, n + 1, n + nStar)
  );
}

/**
 * P(alive at opportunity n + m | x, t_x, n) (eq. 11 for m = 1, generalised by replacing delta+n+1 with
 * delta+n+m): B(alpha+x, beta+n−x)/B(alpha,beta)·B(gamma, delta+n+m)/B(gamma,delta) / L. In [0, 1].
 * Example: donation estimates, x=6, t_x=6, n=6 → ≈ 0.93 for m = 1. m = 0 gives P(alive at n).
 */
export function bgbbProbabilityAlive(params: BgBbParams, x: number, tx: number, n: number, m = 1): number {
  const { alpha, beta, gamma, delta } = params;
  const logL = bgbbLogLikelihoodRow(params, x, tx, n);
  const lp =
    betaln(alpha + x, beta + n - x) -
    betaln(alpha, beta) +
    betaln(gamma, delta + n + m) -
    betaln(gamma, delta) -
    logL;
  return Math.min(1, Math.exp(lp));
}

/**
 * Conditional expected transactions in the next nStar opportunities, E[X(n, n+n*) | x, t_x, n] (eq. 13):
 * (1/L)·B(alpha+x+1, beta+n−x)/B(alpha,beta)·sum_{t=n+1}^{n+n*} B(gamma, delta+t)/B(gamma,delta).
 * Example: donation estimates, x=6, t_x=6, n=6, n* = 5 → 3.752 donations in 2002–2006.
 */
export function bgbbConditionalExpectedTransactions(
  params: BgBbParams,
  x: number,
  tx: number,
  n: number,
  nStar: number,
): number {
  if (!(nStar > 0)) return 0;
  const { alpha, beta, gamma, delta } = params;
  const logL = bgbbLogLikelihoodRow(params, x, tx, n);
  const lp = betaln(alpha + x + 1, beta + n - x) - betaln(alpha, beta) - logL;
  return Math.exp(lp) * aliveSum(gamma, delta, n + 1, n + nStar);
}

/**
 * Discounted expected residual transactions DERT(d | x, t_x, n) (eq. 14), in transactions, the first future
 * opportunity discounted once: B(alpha+x+1, beta+n−x)/B(alpha,beta)·B(gamma, delta+n+1)/((1+d)·B(gamma,delta))
 * ·2F1(1, delta+n+1; gamma+delta+n+1; 1/(1+d)) / L. d = discount rate per opportunity (> 0).
 * Multiply by the margin per transaction for residual CLV. Example: donation estimates, x=6, t_x=6, n=6,
 * d = 0.1 → 5.909 transactions.
 */
export function bgbbDert(params: BgBbParams, x: number, tx: number, n: number, discountRate: number): number {
  if (!(discountRate > 0 && Number.isFinite(discountRate))) {
    throw new Error(
      `bgbbDert needs a discount rate per opportunity > 0 (got ${discountRate}); e.g. 0.1 for 10%`,
    );
  }
  const { alpha, beta, gamma, delta } = params;
  const logL = bgbbLogLikelihoodRow(params, x, tx, n);
  const lp =
    betaln(alpha + x + 1, beta + n - x) -
    betaln(alpha, beta) +
    betaln(gamma, delta + n + 1) -
    betaln(gamma, delta) -
    Math.log1p(discountRate) -
    logL;
  return Math.exp(lp) * hyp2f1OneSeries(delta + n + 1, gamma + delta + n + 1, 1 / (1 + discountRate));
}

/**
 * Maximum-likelihood fit of the BG/BB (Fader, Hardie & Shang 2010, eq. 5) on compressed rows, with lifetimes'
 * penalizer. Starts from (1, 1, 1, 1) and a spread of alternatives; the best converged optimum wins.
 * Example: the donations table (lifetimes' donations.csv, 11,104 donors, n = 6) → alpha 1.204, beta 0.750,
 * gamma 0.657, delta 2.783, LL −33,225.6. Throws for unusable data, e.g.
 * "fitBgBb needs at least one customer with a transaction (got 0 of 3,464)".
 */
export function fitBgBb(data: BgBbData, opts: FitOptions = {}): FitReport<BgBbParams> {
  const d = compressBgBb(data, 'fitBgBb');
  if (d.total === 0) throw new Error('fitBgBb needs at least one customer (got 0 rows with positive weight)');
  let buyers = 0;
  let sumX = 0;
  let sumN = 0;
  let maxN = 0;
  for (let i = 0; i < d.x.length; i++) {
    if (d.x[i] > 0) buyers += d.w[i];
    sumX += d.w[i] * d.x[i];
    sumN += d.w[i] * d.n[i];
    if (d.n[i] > maxN) maxN = d.n[i];
  }
  if (buyers === 0) {
    throw new Error(`fitBgBb needs at least one customer with a transaction (got 0 of ${fmt(d.total)})`);
  }
  if (maxN < 2) {
    throw new Error(
      `fitBgBb needs at least 2 transaction opportunities per customer to separate buying from dying (got ${maxN})`,
    );
  }
  const rate = Math.min(Math.max(sumX / sumN, 0.02), 0.98);
  const starts = [
    [1, 1, 1, 1],
    [rate * 2, (1 - rate) * 2, 0.5, 2],
    [0.5, 0.5, 0.5, 5],
    [5 * rate, 5 * (1 - rate), 2, 10],
  ];
  const keys = ['alpha', 'beta', 'gamma', 'delta'] as const;
  const view = (th: Float64Array): BgBbParams => ({ alpha: th[0], beta: th[1], gamma: th[2], delta: th[3] });
  opts.onProgress?.(0, 'fitting BG/BB');
  const problem = {
    names: keys,
    negLogLik: (th: Float64Array) => -bgbbLogLikelihoodCompressed(view(th), d),
    n: d.total,
    penalizer: opts.penalizer ?? 0,
    maxIterations: opts.maxIterations ?? 200,
  };
  // One start usually converges; the spread of other starts is only paid for when it does not.
  let res = fitMle({ ...problem, start: starts[0] });
  if (!res.converged) {
    opts.onProgress?.(0.5, 'fitting BG/BB (more starting points)');
    const more = fitMle({ ...problem, start: starts.slice(1) });
    if (more.converged || more.logLikelihood > res.logLikelihood) res = more;
  }
  opts.onProgress?.(1, 'fitting BG/BB');
  return toFitReport<BgBbParams>('bgbb', res, d.total);
}

/** Per-customer BG/BB predictions, aligned with the input rows. */
export interface BgBbCustomerPredictions {
  /** P(alive at opportunity n + 1 | x, t_x, n) (eq. 11). */
  probabilityAlive: Float64Array;
  /** E[X(n, n + n*) | x, t_x, n] (eq. 13), transactions in the next `nStar` opportunities. */
  expectedTransactions: Float64Array;
  /** DERT (eq. 14) at `discountRate`, when one was given. */
  dert?: Float64Array;
  /** Distinct (x, t_x, n) rows actually evaluated. */
  distinctRows: number;
}

/**
 * Predictions for every customer, evaluated once per distinct (x, t_x, n) and scattered back, so 1M customers
 * cost about as much as their few thousand distinct histories. `nStar` in opportunities; `discountRate` per
 * opportunity (optional, > 0) adds DERT. Invalid rows throw like `fitBgBb`.
 * Example: the 11,104 donors (n = 6), nStar = 5 → expectedTransactions sums to 12,884 at the fitted parameters.
 */
export function bgbbPredictCustomers(
  params: BgBbParams,
  data: BgBbData,
  nStar: number,
  discountRate?: number,
): BgBbCustomerPredictions {
  checkParams(params, 'bgbbPredictCustomers');
  const len = data.frequency.length;
  const pa = new Float64Array(len);
  const ex = new Float64Array(len);
  const de = discountRate !== undefined ? new Float64Array(len) : undefined;
  const rows = new RowIndex();
  const ids = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    const x = data.frequency[i];
    const tx = data.recency[i];
    const n = data.periods[i];
    checkRow(x, tx, n, i, 'bgbbPredictCustomers');
    ids[i] = rows.id(x, tx, n);
  }
  const keysX = rows.xs;
  const keysTx = rows.txs;
  const keysN = rows.ns;
  const k = keysX.length;
  const uPa = new Float64Array(k);
  const uEx = new Float64Array(k);
  const uDe = de ? new Float64Array(k) : undefined;
  for (let j = 0; j < k; j++) {
    uPa[j] = bgbbProbabilityAlive(params, keysX[j], keysTx[j], keysN[j]);
    uEx[j] = bgbbConditionalExpectedTransactions(params, keysX[j], keysTx[j], keysN[j], nStar);
    if (uDe) uDe[j] = bgbbDert(params, keysX[j], keysTx[j], keysN[j], discountRate as number);
  }
  for (let i = 0; i < len; i++) {
    pa[i] = uPa[ids[i]];
    ex[i] = uEx[ids[i]];
    if (de && uDe) de[i] = uDe[ids[i]];
  }
  return { probabilityAlive: pa, expectedTransactions: ex, ...(de ? { dert: de } : {}), distinctRows: k };
}
