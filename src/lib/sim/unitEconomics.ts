/**
 * Deterministic what-if engine: CLV three ways, LTV:CAC, CAC payback, break-even, cumulative cash, layer cake and
 * customers alive over time. Closed forms and O(T²) recursions only (T = periods in the horizon); one call takes
 * well under 1 ms at 60 monthly periods, so a UI can call `computeWhatIf` on every slider move.
 *
 * Conventions (all per acquired customer unless a name says cohort or programme):
 * - Period t = 0, 1, …, T−1; a customer acquired at the start of period 0 is active in period 0 for sure
 *   (S(0) = 1), and renews at the end of each period. CAC is paid at month 0.
 * - Cash earned in period t is discounted by v^t, v = 1/(1 + d), d = (1 + annual)^(periodMonths/12) − 1
 *   (start-of-period timing, as in Fader & Hardie 2010's DEL = Σ_{t≥0} S(t)/(1+d)^t).
 * - Contribution per active customer-period: m = (purchasesPerYear·periodMonths/12)·AOV·margin − programmeCost.
 * - sBG survival (Fader & Hardie 2007, eq. 7): S(t) = B(alpha, beta+t)/B(alpha, beta), computed by the recursion
 *   S(t) = S(t−1)·(beta + t − 1)/(alpha + beta + t − 1). Constant churn: S(t) = r^t.
 * - Win-back w: each period a fraction w of lapsed customers restarts as if newly acquired (fresh θ, tenure 0):
 *   A_pre(t) = Σ_{s<t} R(s)·S(t−s),  R(0) = 1,  R(t) = w·(1 − A_pre(t)),  A(t) = A_pre(t) + R(t).
 *   With w = 0, A = S. With constant churn this is the two-state chain A(t) = π + (1 − π)ρ^t, ρ = (1−w)r,
 *   π = w/(1 − ρ).
 * - Payback and break-even use undiscounted cash (the usual CAC-payback convention) and interpolate linearly
 *   inside the period where the cumulative cash crosses zero; null means "never within the horizon".
 */
import {
  DEFAULT_INPUTS,
  MAX_HETEROGENEITY,
  normalizeInputs,
  periodDiscountRate,
  sbgFromRetention,
  type WhatIfInputs,
} from './inputs.ts';
import type { SbgParams } from '../models/types.ts';

/** The CLV of one acquired customer, built up one assumption at a time (all in currency per customer). */
export interface ClvSteps {
  /** AOV × purchases per year × lifetime in years, lifetime = 1/churn periods. Example: 50 × 3 × 5 = 750. */
  textbook: number;
  /** textbook × gross margin. Example: 750 × 30% = 225. */
  withMargin: number;
  /** Margin per period over the same fixed lifetime L = 1/churn, discounted: m_g·(1 − v^L)/(1 − v). */
  withMarginAndDiscount: number;
  /** Constant churn, no horizon: m_g·Σ_{t≥0} (r v)^t = m_g·(1 + d)/(1 + d − r). */
  constantChurnPerpetuity: number;
  /** Constant churn within the horizon, net of programme cost, with win-back (= clvConstantChurn). */
  constantChurn: number;
  /** Heterogeneous sBG retention within the horizon (= clvModel, the headline `metric-clv`). */
  model: number;
}

/** Scalar outputs of one what-if evaluation. */
export interface WhatIfMetrics {
  /** Textbook CLV: AOV × purchases/year × (periodMonths/12)/churn; no margin, discounting or horizon. */
  clvTextbook: number;
  /** Margin- and discount-adjusted CLV with constant churn (closed form), within the horizon. */
  clvConstantChurn: number;
  /** Heterogeneous (sBG) CLV within the horizon: Σ_{t<T} m·A(t)·v^t. This is `metric-clv`. */
  clvModel: number;
  /** clvModel / CAC; null when CAC = 0 (unbounded). */
  ltvToCac: number | null;
  /** Months until undiscounted cumulative cash per customer reaches 0 (interpolated); 0 if CAC = 0; null = never. */
  paybackMonths: number | null;
  /** Months until the cumulative cash of steady acquisition (one cohort every period) reaches 0; null = never. */
  breakEvenMonth: number | null;
  /** Undiscounted profit of one cohort (newCustomersPerPeriod customers) over its first 36 months, CAC included. */
  cohortProfit36Months: number;
  /** Expected months active within the horizon per acquired customer (Σ A(t)·periodMonths). */
  expectedActiveMonths: number;
  /** The stepwise CLV decomposition (textbook → margin → discount → churn → heterogeneity). */
  steps: ClvSteps;
}

/** Full deterministic output: metrics plus the time series the charts use. */
export interface WhatIfResult extends WhatIfMetrics {
  /** The inputs actually used (clamped and completed). */
  inputs: WhatIfInputs;
  /** sBG parameters used; null for homogeneous churn (heterogeneity 0). */
  sbg: SbgParams | null;
  /** Periods in the horizon, T. */
  periods: number;
  /** Discount rate per period. */
  periodDiscountRate: number;
  /** Expected purchases per active customer per period. */
  purchasesPerPeriod: number;
  /** Expected revenue per active customer per period (currency). */
  revenuePerActivePeriod: number;
  /** Contribution per active customer per period after margin and programme cost (currency). */
  contributionPerActivePeriod: number;
  /** Month at the start of each period, length T: 0, pm, 2pm, … (x axis for per-period series). */
  periodStartMonths: Float64Array;
  /** Month at the end of k periods, length T+1: 0, pm, …, T·pm (x axis for cumulative series). */
  cumulativeMonths: Float64Array;
  /** Probability an acquired customer is active in period t (sBG + win-back), length T. A(0) = 1. */
  alivePerCustomer: Float64Array;
  /** Same with constant churn (heterogeneity ignored), length T. */
  aliveConstantChurn: Float64Array;
  /** Undiscounted cumulative cash per acquired customer after k periods, length T+1, index 0 = −CAC. */
  cumulativeCashPerCustomer: Float64Array;
  /** Discounted cumulative cash per acquired customer, length T+1, index 0 = −CAC. */
  cumulativeDiscountedCashPerCustomer: Float64Array;
  /** cumulativeCashPerCustomer × newCustomersPerPeriod (one cohort), length T+1. */
  cumulativeCashPerCohort: Float64Array;
  /** Undiscounted cumulative cash of steady acquisition (all cohorts so far), length T+1. */
  programmeCumulativeCash: Float64Array;
  /** Active customers from all cohorts acquired so far, at each period, length T. */
  customersAliveTotal: Float64Array;
  /** Revenue of cohort k in period t at index k·T + t (0 for t < k): the layer cake, T×T row-major. */
  layerCake: Float64Array;
  /** Total revenue per period over all cohorts (column sums of the layer cake), length T. */
  revenueTotal: Float64Array;
}

/** Round to 12 significant digits: removes binary noise such as 1/(1 − (1 − 1/60)) = 59.99999999999978. */
function clean(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(12)) : x;
}

/**
 * Σ_{t=0}^{n−1} x^t for real n >= 0 (n may be fractional), from ln x: expm1(n ln x)/expm1(ln x), n when x = 1.
 * Written with expm1 so x within 1e-11 of 1 (a tiny discount rate) keeps full precision, where
 * (1 − x^n)/(1 − x) loses half its digits. ln x = −Infinity (x = 0) gives 1.
 */
function geomSumLn(lnX: number, n: number): number {
  if (lnX === 0) return n;
  return Math.expm1(n * lnX) / Math.expm1(lnX);
}

/**
 * Survival of an acquired customer, S(t), t = 0..n−1, into `out`. sBG recursion (Fader & Hardie 2007 eq. 7)
 * when `sbg` is given, else r^t. Example: alpha = 1, beta = 1 -> S = 1, 1/2, 1/3, 1/4, … (S(t) = 1/(t+1)).
 */
export function survivalCurve(
  sbg: SbgParams | null,
  retentionPerPeriod: number,
  out: Float64Array,
): Float64Array {
  const n = out.length;
  if (n === 0) return out;
  out[0] = 1;
  if (sbg) {
    const { alpha, beta } = sbg;
    for (let t = 1; t < n; t++) {
      const den = alpha + beta + t - 1;
      out[t] = den > 0 ? (out[t - 1] * (beta + t - 1)) / den : out[t - 1];
    }
  } else {
    for (let t = 1; t < n; t++) out[t] = out[t - 1] * retentionPerPeriod;
  }
  return out;
}

/**
 * Active probability A(t) with win-back rate w from the survival curve S (renewal recursion in the module
 * comment), into `out` (same length as S). O(n²). Example: S = r^t with r = 0.5, w = 0.5 -> A = 1, 0.75, 0.6875, …
 */
export function aliveWithWinBack(
  survival: Float64Array,
  winBackRatePerPeriod: number,
  out: Float64Array,
  restarts?: Float64Array,
): Float64Array {
  const n = survival.length;
  const w = winBackRatePerPeriod;
  if (!(w > 0)) {
    out.set(survival);
    return out;
  }
  const R = restarts ?? new Float64Array(n);
  if (n === 0) return out;
  R[0] = 1;
  out[0] = 1;
  for (let t = 1; t < n; t++) {
    let pre = 0;
    for (let s = 0; s < t; s++) pre += R[s] * survival[t - s];
    if (pre > 1) pre = 1;
    R[t] = w * (1 - pre);
    out[t] = pre + R[t];
  }
  return out;
}

interface Core {
  inp: WhatIfInputs;
  sbg: SbgParams | null;
  T: number;
  Tc: number;
  d: number;
  v: number;
  lambda: number;
  revenue: number;
  m: number;
  A: Float64Array;
  Ah: Float64Array;
  metrics: WhatIfMetrics;
}

function evaluate(partial: Partial<WhatIfInputs>): Core {
  const inp = normalizeInputs(partial, DEFAULT_INPUTS);
  const pm = inp.periodMonths;
  const T = Math.max(1, Math.floor(inp.horizonMonths / pm));
  const T36 = Math.ceil(36 / pm);
  const Tc = Math.max(T, T36);
  const r = inp.retentionPerPeriod;
  const churn = 1 - r;
  const w = inp.winBackRatePerPeriod;
  const g = inp.grossMarginPct / 100;
  const d = periodDiscountRate(inp.annualDiscountRate, pm);
  const v = 1 / (1 + d);
  const lambda = (inp.purchasesPerYear * pm) / 12;
  const revenue = lambda * inp.averageOrderValue;
  const grossPerPeriod = revenue * g;
  const m = grossPerPeriod - inp.programmeCostPerCustomerPerPeriod;
  const sbg =
    inp.retentionHeterogeneity > 0
      ? sbgFromRetention(r, Math.min(MAX_HETEROGENEITY, inp.retentionHeterogeneity))
      : null;

  // Curves over Tc >= T periods (Tc covers 36 months for the cohort-profit metric).
  const S = survivalCurve(sbg, r, new Float64Array(Tc));
  const A = aliveWithWinBack(S, w, new Float64Array(Tc));
  // Constant-churn closed form: A_h(t) = π + (1 − π)ρ^t (reduces to r^t when w = 0).
  const rho = (1 - w) * r;
  const pi = w > 0 ? w / (1 - rho) : 0;
  const Ah = new Float64Array(Tc);
  let rhoPow = 1;
  for (let t = 0; t < Tc; t++) {
    Ah[t] = pi + (1 - pi) * rhoPow;
    rhoPow *= rho;
  }

  // CLV three ways.
  const lifetimePeriods = 1 / churn; // churn >= 1e-4 by MAX_RETENTION
  const clvTextbook = clean(inp.averageOrderValue * inp.purchasesPerYear * ((lifetimePeriods * pm) / 12));
  const lnV = -Math.log1p(d);
  const clvConstantChurn = m * (pi * geomSumLn(lnV, T) + (1 - pi) * geomSumLn(Math.log(rho) + lnV, T));
  let clvModel = 0;
  let active = 0;
  let vt = 1;
  for (let t = 0; t < T; t++) {
    clvModel += m * A[t] * vt;
    active += A[t];
    vt *= v;
  }

  // Undiscounted cumulative cash per customer and its crossing.
  const cac = inp.acquisitionCost;
  let cum = -cac;
  let paybackMonths: number | null = cac <= 0 ? 0 : null;
  let prog = 0; // programme cumulative cash per unit of acquisition rate
  let breakEvenMonth: number | null = cac <= 0 ? 0 : null;
  let cum36 = -cac;
  for (let t = 0; t < Tc; t++) {
    const prev = cum;
    cum += m * A[t];
    if (t < T36) cum36 = cum;
    if (t < T) {
      if (paybackMonths === null && cum >= 0) {
        const step = cum - prev;
        paybackMonths = (t + (step > 0 ? Math.min(1, Math.max(0, -prev / step)) : 1)) * pm;
      }
      // Cohort j pays CAC at the start of period j. After period t the programme holds cohorts 0..t with
      // combined cash Σ_{k=1}^{t+1} cumCash[k]; within period t it starts from the previous total minus the new
      // cohort's CAC and gains the period's contribution of all cohorts (= cum + CAC), so it ends at prog + cum.
      const progStart = prog - cac;
      prog += cum;
      if (breakEvenMonth === null && prog >= 0) {
        const step = prog - progStart;
        breakEvenMonth = (t + (step > 0 ? Math.min(1, Math.max(0, -progStart / step)) : 1)) * pm;
      }
    }
  }

  const steps: ClvSteps = {
    textbook: clvTextbook,
    withMargin: clean(clvTextbook * g),
    withMarginAndDiscount: grossPerPeriod * geomSumLn(lnV, lifetimePeriods),
    constantChurnPerpetuity: grossPerPeriod / (1 - r * v),
    constantChurn: clvConstantChurn,
    model: clvModel,
  };
  const metrics: WhatIfMetrics = {
    clvTextbook,
    clvConstantChurn,
    clvModel,
    ltvToCac: cac > 0 ? clvModel / cac : null,
    paybackMonths,
    breakEvenMonth,
    cohortProfit36Months: inp.newCustomersPerPeriod * cum36,
    expectedActiveMonths: active * pm,
    steps,
  };
  return { inp, sbg, T, Tc, d, v, lambda, revenue, m, A, Ah, metrics };
}

/**
 * Scalar what-if metrics only (no series): the function the tornado, equivalence solver and property tests
 * call many times. `partial` is completed with DEFAULT_INPUTS and clamped to INPUT_LIMITS.
 * Example: whatIfMetrics({ retentionPerPeriod: 1 - 1/60, retentionHeterogeneity: 0, averageOrderValue: 50,
 * purchasesPerYear: 3 }).clvTextbook = 750.
 */
export function whatIfMetrics(partial: Partial<WhatIfInputs>): WhatIfMetrics {
  return evaluate(partial).metrics;
}

/**
 * Everything the what-if cell shows for one set of inputs: call it on every slider move (deterministic, < 1 ms
 * at 60 monthly periods). See the module comment for conventions.
 * Example: computeWhatIf({ retentionPerPeriod: 0.9, retentionHeterogeneity: 0, averageOrderValue: 100,
 *   purchasesPerYear: 12, grossMarginPct: 50, annualDiscountRate: 0, acquisitionCost: 100, horizonMonths: 12 })
 *   -> clvConstantChurn = 50·(1 − 0.9^12)/(1 − 0.9) = 358.785, paybackMonths = 2 + 5/40.5 ≈ 2.123.
 */
export function computeWhatIf(partial: Partial<WhatIfInputs>): WhatIfResult {
  const c = evaluate(partial);
  const { inp, T, A, Ah, m, v, revenue } = c;
  const pm = inp.periodMonths;
  const N = inp.newCustomersPerPeriod;
  const cac = inp.acquisitionCost;

  const periodStartMonths = new Float64Array(T);
  const cumulativeMonths = new Float64Array(T + 1);
  const alivePerCustomer = A.slice(0, T);
  const aliveConstantChurn = Ah.slice(0, T);
  const cumulativeCashPerCustomer = new Float64Array(T + 1);
  const cumulativeDiscountedCashPerCustomer = new Float64Array(T + 1);
  const cumulativeCashPerCohort = new Float64Array(T + 1);
  const programmeCumulativeCash = new Float64Array(T + 1);
  cumulativeCashPerCustomer[0] = -cac;
  cumulativeDiscountedCashPerCustomer[0] = -cac;
  cumulativeCashPerCohort[0] = -cac * N;
  let vt = 1;
  for (let t = 0; t < T; t++) {
    periodStartMonths[t] = t * pm;
    cumulativeMonths[t + 1] = (t + 1) * pm;
    cumulativeCashPerCustomer[t + 1] = cumulativeCashPerCustomer[t] + m * A[t];
    cumulativeDiscountedCashPerCustomer[t + 1] = cumulativeDiscountedCashPerCustomer[t] + m * A[t] * vt;
    cumulativeCashPerCohort[t + 1] = cumulativeCashPerCustomer[t + 1] * N;
    programmeCumulativeCash[t + 1] = programmeCumulativeCash[t] + cumulativeCashPerCustomer[t + 1] * N;
    vt *= v;
  }

  // Layer cake and totals: cohort k (N customers acquired at period k) earns N·revenue·A(t − k) in period t.
  const layerCake = new Float64Array(T * T);
  const revenueTotal = new Float64Array(T);
  const customersAliveTotal = new Float64Array(T);
  for (let k = 0; k < T; k++) {
    const row = k * T;
    for (let t = k; t < T; t++) {
      const a = N * A[t - k];
      layerCake[row + t] = a * revenue;
      revenueTotal[t] += a * revenue;
      customersAliveTotal[t] += a;
    }
  }

  return {
    ...c.metrics,
    inputs: inp,
    sbg: c.sbg,
    periods: T,
    periodDiscountRate: c.d,
    purchasesPerPeriod: c.lambda,
    revenuePerActivePeriod: revenue,
    contributionPerActivePeriod: m,
    periodStartMonths,
    cumulativeMonths,
    alivePerCustomer,
    aliveConstantChurn,
    cumulativeCashPerCustomer,
    cumulativeDiscountedCashPerCustomer,
    cumulativeCashPerCohort,
    programmeCumulativeCash,
    customersAliveTotal,
    layerCake,
    revenueTotal,
  };
}
