/**
 * Seeded Monte Carlo for the what-if simulator: parameter uncertainty plus the churn/purchase process.
 *
 * Design: `worlds` parameter draws (default 200), each simulating a cohort of customers/worlds customers (default
 * 10,000 / 200 = 50). A world is "one plausible truth and one cohort living through it"; fan bands and
 * probabilities are quantiles and frequencies across worlds of cohort-average quantities, so they include both
 * parameter uncertainty and the noise of a cohort of that size. Per-customer CLV quantiles are reported too.
 *
 * Parameter uncertainty (per world; mean-preserving lognormal so draws stay positive and, with a fixed count of
 * normals per world, variants run with the same seed are paired draw for draw — common random numbers):
 *   churn_w = c·exp(σ_c z₁ − σ_c²/2), σ_c² = log(1 + (se_c/c)²), se_c = retention standard error (or defaultCv·c);
 *   purchasesPerYear_w, AOV_w, CAC_w likewise (CAC has no default uncertainty: it is a decision input).
 * Process (per customer, Fader & Hardie 2007 sBG; Poisson/Gamma purchases as in the NBD and Gamma-Gamma models of
 * Fader, Hardie & Lee 2005):
 *   θ ~ Beta(alpha_w, beta_w) (θ = churn_w when heterogeneity is 0); active for L ~ Geometric(θ) periods — drawn
 *   in one step by inverting the sBG survival P(L > t) = B(alpha, beta + t)/B(alpha, beta) (the θ-mixture of
 *   geometrics) with one uniform and a binary search over the survival table;
 *   λ_i ~ Gamma(k_f, k_f/λ_w) purchases per period; mean spend μ_i ~ Gamma(k_s, k_s/AOV_w);
 *   purchases in an episode of length ℓ ~ Poisson(λ_i ℓ); their total value ~ Gamma(n·k_o, k_o/μ_i), spread evenly
 *   over the episode; win-back: after lapsing, recovered each period with probability w, restarting with a
 *   fresh θ (the same renewal model as the deterministic engine).
 * Vectorised by cohort-survival logic: lifetimes are drawn directly (one geometric per episode, not one coin per
 * month) and per-period totals come from difference arrays, so a world costs O(customers + periods).
 * With zero parameter uncertainty the customer-average CLV is an unbiased estimate of `computeWhatIf().clvModel`.
 */
import { Rng } from './rng.ts';
import { quantilesInPlace } from './quantile.ts';
import {
  DEFAULT_INPUTS,
  normalizeInputs,
  periodDiscountRate,
  sbgFromRetention,
  MAX_RETENTION,
  type WhatIfInputs,
} from './inputs.ts';

/** Standard errors of the uncertain parameters (same units as the inputs). Missing ones use `defaultCv`. */
export interface ParameterUncertainty {
  /** Standard error of retention per period, absolute (0.01 = one point); applied to churn. */
  retentionStdError?: number;
  /** Standard error of purchases per year. */
  purchasesPerYearStdError?: number;
  /** Standard error of average order value (currency). */
  averageOrderValueStdError?: number;
  /** Standard error of CAC (currency); default 0. */
  acquisitionCostStdError?: number;
  /** Coefficient of variation used when a standard error is missing (churn, frequency, AOV). Default 0.1. */
  defaultCv?: number;
}

/** Monte Carlo settings; every field optional. */
export interface MonteCarloOptions {
  /** Seed of the run (any integer up to 2^53). Default 1. */
  seed?: number;
  /** Simulated customers in total. Default 10,000. */
  customers?: number;
  /** Parameter draws (worlds); customers are split evenly across them. Default 200. */
  worlds?: number;
  uncertainty?: ParameterUncertainty;
  /** 'poisson' (default): random purchases and order values; 'fixed': exactly λ·AOV per active period (subscriptions). */
  purchaseModel?: 'poisson' | 'fixed';
  /** Gamma shape k_f of customer purchase rates (heterogeneity, CV = 1/√k_f); 0 = identical rates. Default 2. */
  purchaseRateShape?: number;
  /** Gamma shape k_s of customers' mean order value; 0 = identical. Default 6. */
  spendHeterogeneityShape?: number;
  /** Gamma shape k_o of single order values around the customer mean; 0 = no order-to-order noise. Default 4. */
  orderValueShape?: number;
  /** Threshold for P(LTV:CAC > threshold). Default 3. */
  ltvCacThreshold?: number;
  /** Months for P(payback within months). Default 12. */
  paybackWithinMonths?: number;
  /** Compute the P10/P50/P90 time-series bands (default true; comparisons switch them off to save time). */
  bands?: boolean;
}

/** Resolved options (defaults applied, clamped). */
export type ResolvedMonteCarloOptions = Required<Omit<MonteCarloOptions, 'uncertainty'>> & {
  uncertainty: Required<ParameterUncertainty>;
};

/** Summary of a quantity across worlds (or customers). */
export interface Interval {
  mean: number;
  sd: number;
  p10: number;
  p50: number;
  p90: number;
}

/** Quantiles where the value may be "never" (Infinity); null = never within the horizon. */
export interface MaybeNeverInterval {
  p10: number | null;
  p50: number | null;
  p90: number | null;
  /** Fraction of worlds where it never happens within the horizon. */
  probNever: number;
}

/** P10/P50/P90 and mean bands of a time series across worlds. */
export interface Band {
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
  mean: Float64Array;
}

/** Per-world results, kept for paired comparisons between scenarios run with the same seed. */
export interface WorldResults {
  clv: Float64Array;
  /** clv / CAC per world; Infinity when CAC = 0 and CLV > 0 (never NaN). */
  ltvToCac: Float64Array;
  /** Infinity = never within the horizon. */
  paybackMonths: Float64Array;
  cohortProfit36Months: Float64Array;
}

/** Output of `runMonteCarlo`. */
export interface MonteCarloResult {
  options: ResolvedMonteCarloOptions;
  /** Customers actually simulated (worlds × customersPerWorld). */
  customers: number;
  customersPerWorld: number;
  periods: number;
  /** Cohort-average CLV per customer across worlds (currency). */
  clv: Interval;
  /** LTV:CAC across worlds; null when CAC = 0. */
  ltvToCac: Interval | null;
  paybackMonths: MaybeNeverInterval;
  breakEvenMonth: MaybeNeverInterval;
  /** One cohort's (newCustomersPerPeriod) undiscounted 36-month profit across worlds. */
  cohortProfit36Months: Interval;
  /** P(LTV:CAC > ltvCacThreshold) across worlds (1 when CAC = 0 and CLV > 0). */
  probLtvCacAbove: number;
  /** P(payback within paybackWithinMonths). */
  probPaybackWithin: number;
  /** Individual customers' discounted CLV over all simulated customers; `standardError` = sd/√n of the mean. */
  customerClv: Interval & { standardError: number };
  /** x axes: start month of each period (length T) and month after k periods (length T+1). */
  periodStartMonths: Float64Array;
  cumulativeMonths: Float64Array;
  /** Undiscounted cumulative cash per acquired customer after k periods (length T+1, index 0 = −CAC); null if bands off. */
  cumulativeCashPerCustomer: Band | null;
  /** Share of acquired customers active in period t (length T); null if bands off. */
  alivePerCustomer: Band | null;
  /** Revenue per acquired customer in period t (length T); null if bands off. */
  revenuePerCustomer: Band | null;
  byWorld: WorldResults;
}

const DEFAULTS = {
  seed: 1,
  customers: 10_000,
  worlds: 200,
  purchaseModel: 'poisson' as 'poisson' | 'fixed',
  purchaseRateShape: 2,
  spendHeterogeneityShape: 6,
  orderValueShape: 4,
  ltvCacThreshold: 3,
  paybackWithinMonths: 12,
  bands: true,
};

function num(x: unknown, fallback: number, lo: number, hi: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
}

/** Options with defaults applied and clamped to safe ranges. Example: resolveMonteCarloOptions({}).customers = 10000. */
export function resolveMonteCarloOptions(o: MonteCarloOptions = {}): ResolvedMonteCarloOptions {
  const u = o.uncertainty ?? {};
  const worlds = Math.round(num(o.worlds, DEFAULTS.worlds, 1, 10_000));
  return {
    seed: Math.trunc(num(o.seed, DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER)),
    customers: Math.round(num(o.customers, DEFAULTS.customers, 1, 1_000_000)),
    worlds,
    purchaseModel: o.purchaseModel === 'fixed' ? 'fixed' : 'poisson',
    purchaseRateShape: num(o.purchaseRateShape, DEFAULTS.purchaseRateShape, 0, 1e6),
    spendHeterogeneityShape: num(o.spendHeterogeneityShape, DEFAULTS.spendHeterogeneityShape, 0, 1e6),
    orderValueShape: num(o.orderValueShape, DEFAULTS.orderValueShape, 0, 1e6),
    ltvCacThreshold: num(o.ltvCacThreshold, DEFAULTS.ltvCacThreshold, 0, 1e6),
    paybackWithinMonths: num(o.paybackWithinMonths, DEFAULTS.paybackWithinMonths, 0, 1e6),
    bands: o.bands !== false,
    uncertainty: {
      retentionStdError: num(u.retentionStdError, NaN, 0, 1),
      purchasesPerYearStdError: num(u.purchasesPerYearStdError, NaN, 0, 1e6),
      averageOrderValueStdError: num(u.averageOrderValueStdError, NaN, 0, 1e12),
      acquisitionCostStdError: num(u.acquisitionCostStdError, 0, 0, 1e12),
      defaultCv: num(u.defaultCv, 0.1, 0, 10),
    },
  };
}

const PROBS = [0.1, 0.5, 0.9] as const;
/** Stream ids: world w uses stream w + 1 for its parameter draws, customer i uses CUSTOMER_STREAM + i. */
const CUSTOMER_STREAM = 0x40000000;

function summarize(values: Float64Array, scratch: Float64Array): Interval {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) * (values[i] - mean);
  const work = scratch.subarray(0, n);
  work.set(values);
  const q = quantilesInPlace(work, PROBS, new Float64Array(3));
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, p10: q[0], p50: q[1], p90: q[2] };
}

function summarizeNever(values: Float64Array, scratch: Float64Array): MaybeNeverInterval {
  const n = values.length;
  const work = scratch.subarray(0, n);
  work.set(values);
  const q = quantilesInPlace(work, PROBS, new Float64Array(3));
  let never = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) never++;
  const f = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    p10: f(q[0]),
    p50: f(q[1]),
    p90: f(q[2]),
    probNever: never / n,
  };
}

function band(matrix: Float64Array, worlds: number, len: number, scratch: Float64Array): Band {
  const out: Band = {
    p10: new Float64Array(len),
    p50: new Float64Array(len),
    p90: new Float64Array(len),
    mean: new Float64Array(len),
  };
  const col = scratch.subarray(0, worlds);
  const q = new Float64Array(3);
  for (let t = 0; t < len; t++) {
    let s = 0;
    for (let w = 0; w < worlds; w++) {
      const x = matrix[w * len + t];
      col[w] = x;
      s += x;
    }
    quantilesInPlace(col, PROBS, q);
    out.mean[t] = s / worlds;
    out.p10[t] = q[0];
    out.p50[t] = q[1];
    out.p90[t] = q[2];
  }
  return out;
}

/** S[t] = P(lifetime > t periods), t = 0..S.length−1 (S[0] = 1). */
function survivalTable(
  sbg: { alpha: number; beta: number } | null,
  retention: number,
  S: Float64Array,
): void {
  S[0] = 1;
  for (let t = 1; t < S.length; t++) {
    if (sbg) {
      const den = sbg.alpha + sbg.beta + t - 1;
      S[t] = den > 0 ? (S[t - 1] * (sbg.beta + t - 1)) / den : S[t - 1];
    } else {
      S[t] = S[t - 1] * retention;
    }
  }
}

/**
 * Lifetime L >= 1 in periods with P(L > t) = S[t], by inversion: the smallest t with S[t] < u (binary search on
 * the non-increasing table); returns maxT (censored at the horizon) when S[maxT] >= u.
 */
function drawLifetime(S: Float64Array, maxT: number, u: number): number {
  if (S[maxT] >= u) return maxT;
  let lo = 0; // S[lo] >= u
  let hi = maxT; // S[hi] < u
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (S[mid] >= u) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Mean-preserving lognormal multiplier with coefficient of variation cv, from a standard normal z. */
function lognormalFactor(cv: number, z: number): number {
  if (!(cv > 0)) return 1;
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(Math.sqrt(s2) * z - s2 / 2);
}

/**
 * Run the seeded Monte Carlo for one set of inputs (see module comment). Same inputs + same options => identical
 * result, bit for bit. At the defaults (10,000 customers × 60 months) it takes a few milliseconds in V8 (see
 * bench/sim.ts). Example: runMonteCarlo({ retentionPerPeriod: 0.9 }, { seed: 7 }).clv.p50 ≈ computeWhatIf(...).clvModel.
 */
export function runMonteCarlo(
  partial: Partial<WhatIfInputs>,
  options: MonteCarloOptions = {},
): MonteCarloResult {
  const inp = normalizeInputs(partial, DEFAULT_INPUTS);
  const opt = resolveMonteCarloOptions(options);
  const W = opt.worlds;
  const nw = Math.max(1, Math.round(opt.customers / W));
  const nTotal = nw * W;
  const pm = inp.periodMonths;
  const T = Math.max(1, Math.floor(inp.horizonMonths / pm));
  const T36 = Math.ceil(36 / pm);
  const Ts = Math.max(T, T36); // simulate long enough for the 36-month cohort profit
  const d = periodDiscountRate(inp.annualDiscountRate, pm);
  const v = 1 / (1 + d);
  const g = inp.grossMarginPct / 100;
  const progCost = inp.programmeCostPerCustomerPerPeriod;
  const wb = inp.winBackRatePerPeriod;
  const phi = inp.retentionHeterogeneity;
  const N = inp.newCustomersPerPeriod;
  const u = opt.uncertainty;
  const churn0 = 1 - inp.retentionPerPeriod;
  const cvChurn =
    churn0 > 0 ? (Number.isFinite(u.retentionStdError) ? u.retentionStdError / churn0 : u.defaultCv) : 0;
  const lam0 = (inp.purchasesPerYear * pm) / 12;
  const cvFreq =
    inp.purchasesPerYear > 0
      ? Number.isFinite(u.purchasesPerYearStdError)
        ? u.purchasesPerYearStdError / inp.purchasesPerYear
        : u.defaultCv
      : 0;
  const aov0 = inp.averageOrderValue;
  const cvAov =
    aov0 > 0
      ? Number.isFinite(u.averageOrderValueStdError)
        ? u.averageOrderValueStdError / aov0
        : u.defaultCv
      : 0;
  const cac0 = inp.acquisitionCost;
  const cvCac = cac0 > 0 ? u.acquisitionCostStdError / cac0 : 0;
  const fixed = opt.purchaseModel === 'fixed';
  const kF = fixed ? 0 : opt.purchaseRateShape;
  const kS = fixed ? 0 : opt.spendHeterogeneityShape;
  const kO = opt.orderValueShape;

  // Discount annuity table: ann[k] = Σ_{s<k} v^s, so Σ_{s=a}^{b−1} v^s = ann[b] − ann[a].
  const ann = new Float64Array(Ts + 1);
  for (let k = 1, vp = 1; k <= Ts; k++, vp *= v) ann[k] = ann[k - 1] + vp;

  // Workspaces (allocated once per run; nothing is allocated inside the loops below).
  const diffAlive = new Float64Array(Ts + 1);
  const diffContrib = new Float64Array(Ts + 1);
  const diffRevenue = new Float64Array(Ts + 1);
  const aliveMat = new Float64Array(W * T);
  const revenueMat = new Float64Array(W * T);
  const cashMat = new Float64Array(W * (T + 1));
  const clvW = new Float64Array(W);
  const ltvW = new Float64Array(W);
  const paybackW = new Float64Array(W);
  const breakEvenW = new Float64Array(W);
  const profit36W = new Float64Array(W);
  const customerClv = new Float64Array(nTotal);
  const rng = Rng.fromSeed(opt.seed);
  const z = new Float64Array(4);
  const surv = new Float64Array(Ts + 1);

  let ci = 0;
  for (let w = 0; w < W; w++) {
    // One sub-stream per world: worlds stay aligned across scenarios run with the same seed.
    rng.reseed(opt.seed, w + 1);
    rng.fillNormal(z);
    const churnW = Math.min(1, Math.max(1 - MAX_RETENTION, churn0 * lognormalFactor(cvChurn, z[0])));
    const effChurn = churn0 > 0 ? churnW : 0;
    const lamW = lam0 * lognormalFactor(cvFreq, z[1]);
    const aovW = aov0 * lognormalFactor(cvAov, z[2]);
    const cacW = cac0 * lognormalFactor(cvCac, z[3]);
    const sbg = phi > 0 ? sbgFromRetention(1 - effChurn, phi) : null;
    // Population survival table S[t] = P(L > t) (sBG recursion, or (1 − churn)^t): an episode length is drawn by
    // inverting it with one uniform and a binary search — exactly the sBG mixture of geometrics, because
    // P(L > t) = E_θ[(1 − θ)^t] = B(alpha, beta + t)/B(alpha, beta), without drawing θ.
    survivalTable(sbg, 1 - effChurn, surv);
    diffAlive.fill(0);
    diffContrib.fill(0);
    diffRevenue.fill(0);

    for (let i = 0; i < nw; i++, ci++) {
      // One sub-stream per customer, and the same order of draws for every scenario: a variant run with the same
      // seed sees the same customer (same lifetime uniform, same rate and spend quantiles), so paired deltas
      // reflect the change of inputs, not re-shuffled noise (common random numbers).
      rng.reseed(opt.seed, CUSTOMER_STREAM + ci);
      let uLife = rng.uniform();
      const lamI = kF > 0 ? rng.gamma(kF, kF / lamW) : lamW;
      const muI = kS > 0 ? rng.gamma(kS, kS / aovW) : aovW;
      let start = 0;
      let clvI = 0;
      while (start < Ts) {
        const life = drawLifetime(surv, Ts, uLife);
        const end = life >= Ts - start ? Ts : start + life;
        const len = end - start;
        let rev: number;
        if (fixed) {
          rev = lamI * muI * len;
        } else {
          const n = rng.poisson(lamI * len);
          rev = n === 0 ? 0 : kO > 0 ? rng.gamma(n * kO, kO / muI) : n * muI;
        }
        const contribRate = (rev * g) / len - progCost;
        const revRate = rev / len;
        diffAlive[start] += 1;
        diffAlive[end] -= 1;
        diffContrib[start] += contribRate;
        diffContrib[end] -= contribRate;
        diffRevenue[start] += revRate;
        diffRevenue[end] -= revRate;
        const hEnd = end < T ? end : T;
        if (start < T) clvI += contribRate * (ann[hEnd] - ann[start]);
        if (end >= Ts || !(wb > 0)) break;
        start = end + (rng.geometric(wb) - 1);
        uLife = rng.uniform();
      }
      customerClv[ci] = clvI;
    }

    // Per-world cohort averages from the difference arrays.
    let alive = 0;
    let contrib = 0;
    let revenue = 0;
    let cum = -cacW;
    let prog = 0;
    let clv = 0;
    let payback = cacW <= 0 ? 0 : Infinity;
    let breakEven = cacW <= 0 ? 0 : Infinity;
    let cum36 = -cacW;
    const aRow = w * T;
    const cRow = w * (T + 1);
    cashMat[cRow] = -cacW;
    for (let t = 0; t < Ts; t++) {
      alive += diffAlive[t];
      contrib += diffContrib[t];
      revenue += diffRevenue[t];
      const c = contrib / nw;
      const prev = cum;
      cum += c;
      if (t < T36) cum36 = cum;
      if (t < T) {
        aliveMat[aRow + t] = alive / nw;
        revenueMat[aRow + t] = revenue / nw;
        cashMat[cRow + t + 1] = cum;
        clv += c * (ann[t + 1] - ann[t]);
        if (payback === Infinity && cum >= 0) {
          const step = cum - prev;
          payback = (t + (step > 0 ? Math.min(1, -prev / step) : 1)) * pm;
        }
        // Steady acquisition: the new cohort's CAC is paid at the start of the period (see unitEconomics.ts).
        const progStart = prog - cacW;
        prog += cum;
        if (breakEven === Infinity && prog >= 0) {
          const step = prog - progStart;
          breakEven = (t + (step > 0 ? Math.min(1, Math.max(0, -progStart / step)) : 1)) * pm;
        }
      }
    }
    clvW[w] = clv;
    ltvW[w] = cacW > 0 ? clv / cacW : clv > 0 ? Infinity : 0;
    paybackW[w] = payback;
    breakEvenW[w] = breakEven;
    profit36W[w] = N * cum36;
  }

  const scratch = new Float64Array(Math.max(W, nTotal));
  let above = 0;
  let within = 0;
  for (let w = 0; w < W; w++) {
    if (ltvW[w] > opt.ltvCacThreshold) above++;
    if (paybackW[w] <= opt.paybackWithinMonths) within++;
  }
  const cust = summarize(customerClv, scratch);
  const periodStartMonths = new Float64Array(T);
  const cumulativeMonths = new Float64Array(T + 1);
  for (let t = 0; t < T; t++) {
    periodStartMonths[t] = t * pm;
    cumulativeMonths[t + 1] = (t + 1) * pm;
  }
  return {
    options: opt,
    customers: nTotal,
    customersPerWorld: nw,
    periods: T,
    clv: summarize(clvW, scratch),
    ltvToCac: cac0 > 0 ? summarize(ltvW, scratch) : null,
    paybackMonths: summarizeNever(paybackW, scratch),
    breakEvenMonth: summarizeNever(breakEvenW, scratch),
    cohortProfit36Months: summarize(profit36W, scratch),
    probLtvCacAbove: above / W,
    probPaybackWithin: within / W,
    customerClv: { ...cust, standardError: cust.sd / Math.sqrt(nTotal) },
    periodStartMonths,
    cumulativeMonths,
    cumulativeCashPerCustomer: opt.bands ? band(cashMat, W, T + 1, scratch) : null,
    alivePerCustomer: opt.bands ? band(aliveMat, W, T, scratch) : null,
    revenuePerCustomer: opt.bands ? band(revenueMat, W, T, scratch) : null,
    byWorld: { clv: clvW, ltvToCac: ltvW, paybackMonths: paybackW, cohortProfit36Months: profit36W },
  };
}
