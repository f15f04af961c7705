/**
 * BdW — beta-discrete-Weibull retention model: the sBG with duration dependence.
 * Fader, P.S., Hardie, B.G.S., Liu, Y., Davin, J. & Steenburgh, T. (2018) "'How to Project Customer Retention'
 * Revisited: The Role of Duration Dependence", Journal of Interactive Marketing 43:1-16.
 *
 * Given θ, a customer survives to the start of period t with probability (1 − θ)^(t^c); θ ~ Beta(alpha, beta).
 * Hence S(t) = B(alpha, beta + t^c)/B(alpha, beta). c < 1: individual churn falls with tenure; c > 1: rises;
 * c = 1 is exactly the sBG. Same data and time unit as the sBG (one period of the data). Float64, log space.
 */
import type { BdwParams, FitOptions, FitReport } from './types.ts';
import { gammaln } from './special/gammaln.ts';
import { fitMle } from './optimize/index.ts';
import {
  checkFittable,
  compressRetention,
  fitSbg,
  toFitReport,
  type CompressedRetention,
  type RetentionData,
} from './sbg.ts';

function stirlingCorrection(y: number): number {
  const inv = 1 / y;
  const inv2 = inv * inv;
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680))));
}

/**
 * log Γ(y + a) − log Γ(y) for y > 0, a ≥ 0 without cancellation for large y: for y ≥ 15 Stirling's series is
 * differenced analytically, (y − ½)·log1p(a/y) + a·log(y + a) − a + corr(y + a) − corr(y), so the error stays
 * ~1e-16 relative to the result even when log Γ(y) ~ 1e11 (BdW at large t^c). Example: lgammaDiff(1e10, 0.5)
 * ≈ 0.5·log(1e10) = 11.5129.
 */
export function lgammaDiff(y: number, a: number): number {
  if (y < 15) return gammaln(y + a) - gammaln(y);
  return (
    (y - 0.5) * Math.log1p(a / y) +
    a * Math.log(y + a) -
    a +
    stirlingCorrection(y + a) -
    stirlingCorrection(y)
  );
}

/**
 * log S(t) = log B(alpha, beta + t^c) − log B(alpha, beta) = −[log Γ(alpha+beta+t^c) − log Γ(beta+t^c)]
 * + log Γ(alpha+beta) − log Γ(beta); 0 for t ≤ 0. `logB0` is log Γ(alpha+beta) − log Γ(beta).
 */
function logSurvival(alpha: number, beta: number, c: number, t: number, logB0: number): number {
  if (t <= 0) return 0;
  return logB0 - lgammaDiff(beta + Math.pow(t, c), alpha);
}

/** The constant of logSurvival: log Γ(alpha + beta) − log Γ(beta). */
function survivalConstant(alpha: number, beta: number): number {
  return lgammaDiff(beta, alpha);
}

/**
 * BdW log-likelihood on compressed retention data: sum of (lost in t)·log[S(t−1) − S(t)] + (censored at k)·log S(k).
 * The difference is taken in log space as log S(t−1) + log(−expm1(log S(t) − log S(t−1))).
 */
export function bdwLogLikelihoodCompressed(
  alpha: number,
  beta: number,
  c: number,
  d: CompressedRetention,
): number {
  const logB0 = survivalConstant(alpha, beta);
  let ll = 0;
  let prev = 0; // log S(0)
  for (let t = 1; t <= d.maxPeriod; t++) {
    const cur = logSurvival(alpha, beta, c, t, logB0);
    const w = d.churned[t];
    if (w > 0) {
      const diff = cur - prev;
      // diff < 0 always; -expm1(diff) in (0, 1]. Guard an exact tie (S(t) = S(t−1) in float64) as −Infinity.
      ll += w * (prev + Math.log(-Math.expm1(diff)));
    }
    const cz = d.censored[t];
    if (cz > 0) ll += cz * cur;
    prev = cur;
  }
  return ll;
}

/**
 * BdW log-likelihood summed over cohorts (Fader et al. 2018, eq. 4 with right-censoring). Full sum.
 * Example: with c = 1 it equals sbgLogLikelihood, e.g. Table 1 High End at (0.668, 3.806, 1) → −1611.158.
 */
export function bdwLogLikelihood(params: BdwParams, data: RetentionData | CompressedRetention): number {
  checkParams(params, 'bdwLogLikelihood');
  const d = 'churned' in data ? data : compressRetention(data, 'bdwLogLikelihood');
  return bdwLogLikelihoodCompressed(params.alpha, params.beta, params.c, d);
}

function checkParams(p: BdwParams, fnName: string): void {
  for (const k of ['alpha', 'beta', 'c'] as const) {
    if (!(p[k] > 0 && Number.isFinite(p[k]))) throw new Error(`${fnName} needs ${k} > 0 (got ${p[k]})`);
  }
}

/**
 * Survival S(t) = B(alpha, beta + t^c)/B(alpha, beta) (eq. 3): share of a cohort active at the start of
 * period t ≥ 0. Example: bdwSurvival({alpha: 3.8, beta: 15.2, c: 1}, 1) = 0.8.
 */
export function bdwSurvival(params: BdwParams, t: number): number {
  return Math.exp(
    logSurvival(params.alpha, params.beta, params.c, t, survivalConstant(params.alpha, params.beta)),
  );
}

/** Survival curve S(0..periods) as a Float64Array. Example: c = 1 reproduces sbgSurvivalCurve. */
export function bdwSurvivalCurve(params: BdwParams, periods: number): Float64Array {
  const out = new Float64Array(Math.max(0, Math.floor(periods)) + 1);
  const logB0 = survivalConstant(params.alpha, params.beta);
  for (let t = 0; t < out.length; t++)
    out[t] = Math.exp(logSurvival(params.alpha, params.beta, params.c, t, logB0));
  return out;
}

/**
 * Retention rate r(t) = S(t)/S(t−1), t ≥ 1: share of customers active in period t−1 who renew. In [0, 1].
 * Example: bdwRetention({alpha: 3.8, beta: 15.2, c: 1}, 2) = 0.81.
 */
export function bdwRetention(params: BdwParams, t: number): number {
  const logB0 = survivalConstant(params.alpha, params.beta);
  const { alpha, beta, c } = params;
  return Math.exp(logSurvival(alpha, beta, c, t, logB0) - logSurvival(alpha, beta, c, t - 1, logB0));
}

/** Churn probability P(T = t) = S(t−1) − S(t), t ≥ 1. Example: ({alpha: 1, beta: 1, c: 1}, 1) → 0.5. */
export function bdwChurnProbability(params: BdwParams, t: number): number {
  if (t < 1) return 0;
  const logB0 = survivalConstant(params.alpha, params.beta);
  const { alpha, beta, c } = params;
  const a = logSurvival(alpha, beta, c, t - 1, logB0);
  const b = logSurvival(alpha, beta, c, t, logB0);
  return Math.exp(a) * -Math.expm1(b - a);
}

/** Periods summed exactly before the asymptotic tail is added (bdwExpectedLifetime). */
export const BDW_EXACT_TERMS = 1_000_000;

/**
 * Expected lifetime E[T] = sum_{t≥0} S(t) in periods (counts the acquisition period). S(t) decays like
 * t^(−c·alpha), so the mean is Infinity when c·alpha ≤ 1. Otherwise S(t) is summed exactly until the next
 * term is below 1e-16 of the sum or for BDW_EXACT_TERMS periods; the remaining tail is added from the
 * asymptote S(t) ≈ S(K)·(K/t)^(c·alpha), integrated from K + ½ (relative error of the tail O(1/K^c), i.e. total
 * error < 1e-6 of the result whenever the tail itself is < 1% of it). Example: c = 1, alpha 3.8, beta 15.2 →
 * 6.428571 (= (alpha+beta−1)/(alpha−1)).
 */
export function bdwExpectedLifetime(params: BdwParams): number {
  const { alpha, beta, c } = params;
  const k = c * alpha;
  if (k <= 1) return Infinity;
  const logB0 = survivalConstant(alpha, beta);
  let sum = 1;
  let t = 1;
  let s = 1;
  for (; t <= BDW_EXACT_TERMS; t++) {
    s = Math.exp(logSurvival(alpha, beta, c, t, logB0));
    sum += s;
    if (s < 1e-16 * sum) return sum;
  }
  const K = t - 1;
  return sum + (s * Math.pow(K, k) * Math.pow(K + 0.5, 1 - k)) / (k - 1);
}

/**
 * Discounted sum sum_{j≥0} S(start+j)/S(start−1 or 1)·z^j with z = 1/(1+d); terms ≤ S(start+j)/S(base)·z^j
 * and S is decreasing, so the remainder after J terms is below term_J·z/(1−z); stops at 1e-16 relative.
 */
function discountedSurvivalSum(params: BdwParams, start: number, logBase: number, z: number): number {
  const { alpha, beta, c } = params;
  const logB0 = survivalConstant(alpha, beta);
  const tail = z / (1 - z);
  let sum = 0;
  let zj = 1;
  for (let j = 0; j < 100_000_000; j++) {
    const term = Math.exp(logSurvival(alpha, beta, c, start + j, logB0) - logBase) * zj;
    sum += term;
    if (term * tail <= 1e-16 * sum || term === 0) return sum;
    zj *= z;
  }
  throw new Error('bdw discounted sum did not converge; use a larger discount rate');
}

function checkRate(d: number, fnName: string): void {
  if (!(d >= 0 && Number.isFinite(d))) {
    throw new Error(
      `${fnName} needs a discount rate per period >= 0 (got ${d}); e.g. 0.1 for 10% per period`,
    );
  }
}

/**
 * Discounted expected lifetime DEL(d) = sum_{t≥0} S(t)/(1+d)^t (Fader & Hardie 2010 definition applied to
 * the BdW survival), in periods of margin; d = discount rate per period; d = 0 gives bdwExpectedLifetime.
 * Truncation error < 1e-16 relative (see discountedSurvivalSum). Example: c = 1, alpha 3.8, beta 15.2,
 * d = 0.1 → 4.00893 (= sbgDel).
 */
export function bdwDel(params: BdwParams, discountRate: number): number {
  checkRate(discountRate, 'bdwDel');
  if (discountRate === 0) return bdwExpectedLifetime(params);
  return discountedSurvivalSum(params, 0, 0, 1 / (1 + discountRate));
}

/**
 * Discounted expected residual lifetime of a customer who has made `renewals` renewals (Fader & Hardie 2010,
 * eq. 6 with the BdW survival): sum_{t≥n} S(t)/S(n−1)·(1+d)^{−(t−n)}, n − 1 = renewals, in periods of margin.
 * d = 0 gives the undiscounted residual lifetime (Infinity when c·alpha ≤ 1).
 * Example: c = 1, alpha 3.8, beta 15.2, d = 0.1, 4 renewals → 3.8421 (= sbgDerl).
 */
export function bdwDerl(params: BdwParams, discountRate: number, renewals: number): number {
  checkRate(discountRate, 'bdwDerl');
  if (!(renewals >= 0)) throw new Error(`bdwDerl needs renewals >= 0 (got ${renewals})`);
  const { alpha, beta, c } = params;
  const n = renewals + 1;
  const logB0 = survivalConstant(alpha, beta);
  const logBase = logSurvival(alpha, beta, c, n - 1, logB0);
  if (discountRate === 0) {
    const total = bdwExpectedLifetime(params);
    if (!Number.isFinite(total)) return Infinity;
    let head = 0;
    for (let t = 0; t < n; t++) head += Math.exp(logSurvival(alpha, beta, c, t, logB0));
    return (total - head) / Math.exp(logBase);
  }
  return discountedSurvivalSum(params, n, logBase, 1 / (1 + discountRate));
}

/**
 * Maximum-likelihood fit of the BdW to one survival series or several cohorts (Fader et al. 2018, eq. 4).
 * Starts from the sBG fit with c = 1 (so the BdW log-likelihood is never below the sBG's) plus c = 0.5 and
 * c = 2 variants. `penalizer` as in lifetimes. Needs at least 3 observed periods (three parameters).
 * Example: Table 1 High End years 0–7 → LL ≥ −1611.158 (the sBG optimum).
 */
export function fitBdw(data: RetentionData, opts: FitOptions = {}): FitReport<BdwParams> {
  const d = compressRetention(data, 'fitBdw');
  checkFittable(d, 'fitBdw');
  if (d.maxPeriod < 3) {
    throw new Error(
      `fitBdw needs at least 3 periods of survival counts to estimate alpha, beta and c (got ${d.maxPeriod}); use fitSbg for shorter series`,
    );
  }
  opts.onProgress?.(0, 'fitting BdW');
  let a0 = 1;
  let b0 = 1;
  try {
    const sbg = fitSbg(data, { penalizer: opts.penalizer });
    a0 = sbg.params.alpha;
    b0 = sbg.params.beta;
  } catch {
    // keep the neutral start
  }
  const res = fitMle({
    names: ['alpha', 'beta', 'c'],
    negLogLik: (th) => -bdwLogLikelihoodCompressed(th[0], th[1], th[2], d),
    start: [
      [a0, b0, 1],
      [a0, b0, 0.5],
      [a0, b0, 2],
      [1, 1, 1],
    ],
    n: d.n,
    penalizer: opts.penalizer ?? 0,
    maxIterations: opts.maxIterations ?? 300,
  });
  opts.onProgress?.(1, 'fitting BdW');
  return toFitReport<BdwParams>('bdw', res, d.n);
}
