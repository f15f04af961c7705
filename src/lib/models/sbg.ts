/**
 * sBG — shifted-beta-geometric retention model for contractual settings.
 *
 * Fader, P.S. & Hardie, B.G.S. (2007) "How to Project Customer Retention", Journal of Interactive
 * Marketing 21(1):76-90 (equation numbers below refer to that paper), and Fader & Hardie (2010)
 * "Customer-Base Valuation in a Contractual Setting: The Perils of Ignoring Heterogeneity",
 * Marketing Science 29(1):85-93 (DEL, DERL).
 *
 * Each customer renews at the end of every period with probability 1 − θ; θ ~ Beta(alpha, beta) across
 * customers. Time is counted in the data's own period (month, year...): period 0 is acquisition, T ≥ 1 is the
 * period in which the customer churns. All likelihood sums are float64 in log space.
 */
import type { FitOptions, FitReport, ModelName, SbgParams } from './types.ts';
import { fitMle, type MleResult } from './optimize/index.ts';
import { betaln } from './special/gammaln.ts';

/** One acquisition cohort: `alive[t]` = customers still active at the start of period t (alive[0] = cohort size). */
export interface RetentionCohort {
  alive: ArrayLike<number>;
  /** Optional name used in error messages (e.g. "2003"). */
  label?: string;
}

/** One `cohort,period,alive` row, as read from a CSV or produced by `survivalCounts` in src/lib/data. */
export interface RetentionRow {
  /** Cohort id; rows without one belong to a single cohort. */
  cohort?: string | number;
  /** Periods since acquisition, 0 = acquisition (alive = cohort size). */
  period: number;
  /** Customers active at the start of `period`. */
  alive: number;
}

/**
 * Retention data for sBG/BdW: one survival series (`[1000, 631, 468, ...]`, period 0 first), several cohorts
 * of different ages, or long-format `{cohort, period, alive}` rows. A cohort observed for k periods is
 * right-censored at k.
 */
export type RetentionData = ArrayLike<number> | readonly RetentionCohort[] | readonly RetentionRow[];

/**
 * Long-format rows → cohorts. Rows may come in any order; each cohort needs period 0 and consecutive integer
 * periods without duplicates. Throws naming the 1-based row, e.g. "cohort 2003 has no period 0 row".
 * Example: [{cohort: 'a', period: 0, alive: 100}, {cohort: 'a', period: 1, alive: 80}] → [{label: 'a', alive: [100, 80]}].
 */
export function retentionFromRows(rows: readonly RetentionRow[], fnName = 'fitSbg'): RetentionCohort[] {
  const byCohort = new Map<string, Map<number, number>>();
  rows.forEach((r, i) => {
    const key = r.cohort === undefined ? '' : String(r.cohort);
    if (!Number.isInteger(r.period) || r.period < 0) {
      throw new Error(
        `${fnName}: row ${i + 1} has period ${String(r.period)}; periods are whole numbers >= 0`,
      );
    }
    let m = byCohort.get(key);
    if (!m) byCohort.set(key, (m = new Map()));
    if (m.has(r.period)) {
      throw new Error(
        `${fnName}: row ${i + 1} repeats period ${r.period}${key ? ` of cohort ${key}` : ''}; give one row per cohort and period`,
      );
    }
    m.set(r.period, r.alive);
  });
  const out: RetentionCohort[] = [];
  for (const [key, m] of byCohort) {
    const name = key ? `cohort ${key}` : 'the series';
    const maxP = Math.max(...m.keys());
    const alive: number[] = [];
    for (let t = 0; t <= maxP; t++) {
      const v = m.get(t);
      if (v === undefined) {
        throw new Error(
          t === 0
            ? `${fnName}: ${name} has no period 0 row; period 0 must give the cohort size`
            : `${fnName}: ${name} skips period ${t} (has periods up to ${maxP}); give every period from 0`,
        );
      }
      alive.push(v);
    }
    out.push(key ? { label: key, alive } : { alive });
  }
  return out;
}

/**
 * Retention data compressed to sufficient statistics: cost grows with the longest cohort, not with cohorts or
 * customers. `churned[t]` (t = 1..maxPeriod) = customers lost in period t summed over cohorts; `censored[k]`
 * (k = 0..maxPeriod) = customers still alive when their cohort's observation ended at period k.
 */
export interface CompressedRetention {
  churned: Float64Array;
  censored: Float64Array;
  /** Total customers (sum of cohort sizes). */
  n: number;
  /** Longest observed cohort, in periods. */
  maxPeriod: number;
  totalChurned: number;
}

function isSeries(data: RetentionData): data is ArrayLike<number> {
  return data.length === 0 || typeof (data as ArrayLike<unknown>)[0] === 'number';
}

function isRows(data: readonly RetentionCohort[] | readonly RetentionRow[]): data is readonly RetentionRow[] {
  return data.length > 0 && typeof data[0] === 'object' && data[0] !== null && 'period' in data[0];
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : String(n);
}

/**
 * Validate retention data and compress it to churn/censoring counts. Throws an Error that says what to fix
 * (counts must be finite, non-negative and non-increasing within a cohort).
 * Example: compressRetention([1000, 631, 468]) → churned [0, 369, 163], censored [0, 0, 468].
 */
export function compressRetention(data: RetentionData, fnName = 'fitSbg'): CompressedRetention {
  const cohorts: RetentionCohort[] = isSeries(data)
    ? [{ alive: data }]
    : isRows(data)
      ? retentionFromRows(data, fnName)
      : [...(data as readonly RetentionCohort[])];
  if (cohorts.length === 0)
    throw new Error(`${fnName} needs at least one cohort of survival counts (got none)`);
  let maxPeriod = 0;
  cohorts.forEach((c, i) => {
    if (!c || c.alive === undefined || typeof c.alive.length !== 'number') {
      throw new Error(`${fnName}: cohort ${i + 1} has no \`alive\` array of counts`);
    }
    if (c.alive.length - 1 > maxPeriod) maxPeriod = c.alive.length - 1;
  });
  const churned = new Float64Array(maxPeriod + 1);
  const censored = new Float64Array(maxPeriod + 1);
  let n = 0;
  let totalChurned = 0;
  cohorts.forEach((c, i) => {
    const name =
      c.label !== undefined ? `cohort ${c.label}` : cohorts.length > 1 ? `cohort ${i + 1}` : 'the series';
    const a = c.alive;
    for (let t = 0; t < a.length; t++) {
      const v = a[t];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new Error(
          `${fnName}: ${name} has an invalid alive count at period ${t} (${String(v)}); use finite counts >= 0`,
        );
      }
      if (t > 0 && v > a[t - 1] * (1 + 1e-12)) {
        throw new Error(
          `${fnName}: ${name} has more customers alive in period ${t} (${fmt(v)}) than in period ${t - 1} (${fmt(a[t - 1])}); alive counts must not increase`,
        );
      }
      if (t > 0) {
        const lost = Math.max(0, a[t - 1] - v);
        churned[t] += lost;
        totalChurned += lost;
      }
    }
    if (a.length > 0) {
      censored[a.length - 1] += a[a.length - 1];
      n += a[0];
    }
  });
  return { churned, censored, n, maxPeriod, totalChurned };
}

/** Throws unless the compressed data can identify a two-parameter retention model. */
export function checkFittable(d: CompressedRetention, fnName: string): void {
  if (d.maxPeriod < 2) {
    throw new Error(
      `${fnName} needs at least 2 periods of survival counts (got ${d.maxPeriod}); give alive counts for periods 0, 1 and 2 at least`,
    );
  }
  if (!(d.n > 0)) throw new Error(`${fnName} needs a cohort with at least one customer at period 0 (got 0)`);
  if (d.totalChurned === 0) {
    throw new Error(
      `${fnName} needs at least one customer who churned (got 0 of ${fmt(d.n)}); with no churn the retention rate is 1 and there is nothing to fit`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Likelihood

/**
 * Log-likelihood on compressed data, optionally with its gradient w.r.t. (alpha, beta) written into `grad`. Uses the recursions
 * S(t) = S(t−1)·(beta+t−1)/(alpha+beta+t−1) and P(T=t) = S(t−1)·alpha/(alpha+beta+t−1) (eq. 7) in log space.
 */
export function sbgLogLikelihoodCompressed(
  alpha: number,
  beta: number,
  d: CompressedRetention,
  grad?: Float64Array,
): number {
  let ll = 0; // customers censored at period 0 contribute log S(0) = 0
  let logS = 0; // log S(t-1)
  let dSa = 0; // d log S(t-1) / d alpha
  let dSb = 0; // d log S(t-1) / d beta
  let ga = 0;
  let gb = 0;
  const logAlpha = Math.log(alpha);
  for (let t = 1; t <= d.maxPeriod; t++) {
    const den = alpha + beta + t - 1;
    const logDen = Math.log(den);
    const w = d.churned[t];
    if (w > 0) {
      ll += w * (logS + logAlpha - logDen);
      ga += w * (dSa + 1 / alpha - 1 / den);
      gb += w * (dSb - 1 / den);
    }
    logS += Math.log(beta + t - 1) - logDen;
    dSa -= 1 / den;
    dSb += 1 / (beta + t - 1) - 1 / den;
    const c = d.censored[t];
    if (c > 0) {
      ll += c * logS;
      ga += c * dSa;
      gb += c * dSb;
    }
  }
  if (grad) {
    grad[0] = ga;
    grad[1] = gb;
  }
  return ll;
}

/**
 * sBG log-likelihood (Fader & Hardie 2007, eq. B3 generalised to several cohorts): sum over periods of
 * (customers lost in t)·log P(T=t) + (customers still alive at the end of their cohort's window k)·log S(k).
 * Full sum, not a mean. Example: Table 1 High End (1000 customers, years 0–7) at alpha 0.668, beta 3.806
 * → −1611.158.
 */
export function sbgLogLikelihood(params: SbgParams, data: RetentionData | CompressedRetention): number {
  const d = 'churned' in data ? data : compressRetention(data, 'sbgLogLikelihood');
  checkParams(params, 'sbgLogLikelihood');
  return sbgLogLikelihoodCompressed(params.alpha, params.beta, d);
}

function checkParams(p: SbgParams, fnName: string): void {
  if (!(p.alpha > 0 && p.beta > 0 && Number.isFinite(p.alpha) && Number.isFinite(p.beta))) {
    throw new Error(`${fnName} needs alpha > 0 and beta > 0 (got alpha ${p.alpha}, beta ${p.beta})`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Curves

/**
 * Survival S(t) = B(alpha, beta + t)/B(alpha, beta) (eq. 6): share of a cohort still active at the start of
 * period t (t ≥ 0, in periods; non-integer t is allowed as the beta-function extension).
 * Example: sbgSurvival({alpha: 0.668, beta: 3.806}, 7) ≈ 0.4889.
 */
export function sbgSurvival(params: SbgParams, t: number): number {
  if (t <= 0) return 1;
  return Math.exp(betaln(params.alpha, params.beta + t) - betaln(params.alpha, params.beta));
}

/**
 * Survival curve S(0), S(1), …, S(periods) by the exact recursion S(t) = S(t−1)(beta+t−1)/(alpha+beta+t−1).
 * Example: sbgSurvivalCurve({alpha: 1, beta: 1}, 2) → [1, 0.5, 0.3333].
 */
export function sbgSurvivalCurve(params: SbgParams, periods: number): Float64Array {
  const { alpha, beta } = params;
  const out = new Float64Array(Math.max(0, Math.floor(periods)) + 1);
  let logS = 0;
  out[0] = 1;
  for (let t = 1; t < out.length; t++) {
    logS += Math.log((beta + t - 1) / (alpha + beta + t - 1));
    out[t] = Math.exp(logS);
  }
  return out;
}

/**
 * Retention rate r(t) = S(t)/S(t−1) = (beta + t − 1)/(alpha + beta + t − 1) (eq. 8): share of customers
 * active in period t−1 who renew at the end of it (t ≥ 1). Rises with t (heterogeneity sorting).
 * Example: sbgRetention({alpha: 0.704, beta: 1.182}, 1) ≈ 0.6267.
 */
export function sbgRetention(params: SbgParams, t: number): number {
  return (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
}

/**
 * Churn probability P(T = t) = B(alpha + 1, beta + t − 1)/B(alpha, beta) (eq. 5): probability a new customer
 * is lost in period t (t = 1, 2, …). Example: sbgChurnProbability({alpha: 1, beta: 1}, 1) = 0.5.
 */
export function sbgChurnProbability(params: SbgParams, t: number): number {
  if (t < 1) return 0;
  return Math.exp(betaln(params.alpha + 1, params.beta + t - 1) - betaln(params.alpha, params.beta));
}

/**
 * Expected lifetime E[T] = sum_{t≥0} S(t) = (alpha + beta − 1)/(alpha − 1) periods for alpha > 1
 * (= E[1/θ]); Infinity for alpha ≤ 1 (the mean does not exist). Counts the acquisition period.
 * Example: sbgExpectedLifetime({alpha: 3.8, beta: 15.2}) = 6.4286 periods.
 */
export function sbgExpectedLifetime(params: SbgParams): number {
  return params.alpha > 1 ? (params.alpha + params.beta - 1) / (params.alpha - 1) : Infinity;
}

/**
 * Series for the Gauss hypergeometric 2F1(1, b; c; z) = sum_k (b)_k/(c)_k z^k with 0 < b < c and 0 ≤ z < 1.
 * Every term ratio (b+k)/(c+k)·z is below z, so after K terms the remainder is below termK·z/(1−z); summing
 * stops when that bound is under 1e-15 of the sum (relative truncation error < 1e-15, plus rounding
 * ~1e-15·K). Needs about 35/(1−z) terms at worst; throws past `maxTerms`. Used by DEL/DERL (sBG) and DERT (BG/BB).
 * Example: hyp2f1OneSeries(1, 2, 0.5) = −ln(1 − z)/z = 2 ln 2 = 1.3862943611198906.
 */
export function hyp2f1OneSeries(b: number, c: number, z: number, maxTerms = 50_000_000): number {
  if (!(z >= 0 && z < 1)) throw new Error(`hyp2f1OneSeries needs 0 <= z < 1 (got ${z})`);
  if (!(b > 0 && c > b)) throw new Error(`hyp2f1OneSeries needs 0 < b < c (got b ${b}, c ${c})`);
  let sum = 1;
  let term = 1;
  const tailFactor = z / (1 - z);
  for (let k = 0; k < maxTerms; k++) {
    term *= ((b + k) / (c + k)) * z;
    sum += term;
    if (term * tailFactor <= 1e-16 * sum) return sum;
  }
  throw new Error(
    `hyp2f1OneSeries did not converge in ${maxTerms} terms (z = ${z}); use a larger discount rate`,
  );
}

function checkRate(d: number, fnName: string): void {
  if (!(d >= 0 && Number.isFinite(d))) {
    throw new Error(
      `${fnName} needs a discount rate per period >= 0 (got ${d}); e.g. 0.1 for 10% per period`,
    );
  }
}

/**
 * Discounted expected lifetime DEL(d) = sum_{t≥0} S(t)/(1+d)^t = 2F1(1, beta; alpha+beta; 1/(1+d))
 * (Fader & Hardie 2010, eq. 4), in periods of margin; the first (acquisition) payment is undiscounted.
 * Expected CLV of a new customer = margin per period × DEL. d = discount rate per period (0.1 = 10%).
 * d = 0 gives E[T] (Infinity when alpha ≤ 1). Example: sbgDel({alpha: 3.8, beta: 15.2}, 0.1) ≈ 4.0098.
 */
export function sbgDel(params: SbgParams, discountRate: number): number {
  checkRate(discountRate, 'sbgDel');
  if (discountRate === 0) return sbgExpectedLifetime(params);
  return hyp2f1OneSeries(params.beta, params.alpha + params.beta, 1 / (1 + discountRate));
}

/**
 * Discounted expected residual lifetime of a customer who has made `renewals` renewals (0 = just acquired,
 * standing at the end of their first period) — Fader & Hardie (2010), eq. 6 with n − 1 = renewals:
 * DERL = sum_{t≥n} S(t)/S(n−1)·(1+d)^{−(t−n)} = (beta+n−1)/(alpha+beta+n−1)·2F1(1, beta+n; alpha+beta+n; 1/(1+d)).
 * In periods of margin (the next payment, made at the next renewal, is undiscounted). d = 0 gives the
 * closed form (beta + n − 1)/(alpha − 1) (Infinity when alpha ≤ 1).
 * Example: sbgDerl({alpha: 3.8, beta: 15.2}, 0.1, 4) ≈ 3.842 (Fader & Hardie 2010 worked example, 2000 cohort).
 */
export function sbgDerl(params: SbgParams, discountRate: number, renewals: number): number {
  checkRate(discountRate, 'sbgDerl');
  if (!(renewals >= 0)) throw new Error(`sbgDerl needs renewals >= 0 (got ${renewals})`);
  const { alpha, beta } = params;
  const n = renewals + 1;
  if (discountRate === 0) return alpha > 1 ? (beta + n - 1) / (alpha - 1) : Infinity;
  const r = (beta + n - 1) / (alpha + beta + n - 1);
  return r * hyp2f1OneSeries(beta + n, alpha + beta + n, 1 / (1 + discountRate));
}

// ---------------------------------------------------------------------------------------------------------------
// Fit

/**
 * Starting values from the first two observed retention rates: r1 = beta/(alpha+beta) and
 * r2 = (beta+1)/(alpha+beta+1) solve to alpha+beta = (1−r2)/(r2−r1). Falls back to alpha+beta = 20 when
 * retention does not rise (no visible heterogeneity).
 */
export function sbgStart(d: CompressedRetention): SbgParams {
  // atRisk = customers alive at the start of period t−1 whose cohort is still observed in period t.
  let atRisk = d.n - d.censored[0];
  const rates: number[] = [];
  for (let t = 1; t <= d.maxPeriod && rates.length < 2; t++) {
    if (atRisk <= 0) break;
    rates.push(1 - d.churned[t] / atRisk);
    atRisk -= d.churned[t] + d.censored[t];
  }
  const r1 = Math.min(Math.max(rates[0] ?? 0.5, 0.01), 0.99);
  const r2 = Math.min(Math.max(rates[1] ?? r1, 0.01), 0.995);
  let s = r2 > r1 + 1e-6 ? (1 - r2) / (r2 - r1) : 20;
  s = Math.min(Math.max(s, 0.05), 1000);
  return { alpha: Math.max(s * (1 - r1), 1e-3), beta: Math.max(s * r1, 1e-3) };
}

/**
 * Turns an `fitMle` result into the shared `FitReport` (params keyed in paper order, SEs, covariance).
 * Shared by the sBG, BdW, BG/BB and Gamma-Gamma fits.
 */
export function toFitReport<P extends object>(
  model: ModelName,
  res: MleResult,
  n: number,
  extraMessage?: string,
): FitReport<P> {
  const message = [res.message, extraMessage].filter((m) => m !== undefined && m !== '').join('; ');
  return {
    model,
    params: { ...res.params } as P,
    logLikelihood: res.logLikelihood,
    n,
    converged: res.converged,
    iterations: res.iterations,
    standardErrors: { ...res.standardErrors } as FitReport<P>['standardErrors'],
    covariance: res.covariance,
    ...(message ? { message } : {}),
  };
}

/**
 * Maximum-likelihood fit of the sBG (Fader & Hardie 2007, Appendix B) to one survival series or several
 * cohorts of different ages (each right-censored at its own last period). `penalizer` adds
 * penalizer·(alpha² + beta²) to the per-customer negative log-likelihood, like lifetimes' `penalizer_coef`.
 * Example: Table 1 Regular, years 0–7 → alpha 0.704, beta 1.182, LL −1680.27.
 * Throws for unusable data, e.g. "fitSbg needs at least 2 periods of survival counts (got 1); …".
 */
export function fitSbg(data: RetentionData, opts: FitOptions = {}): FitReport<SbgParams> {
  const d = compressRetention(data, 'fitSbg');
  checkFittable(d, 'fitSbg');
  const s = sbgStart(d);
  const g2 = new Float64Array(2);
  opts.onProgress?.(0, 'fitting sBG');
  const res = fitMle({
    names: ['alpha', 'beta'],
    negLogLik: (th) => -sbgLogLikelihoodCompressed(th[0], th[1], d),
    negLogLikGrad: (th, grad) => {
      const ll = sbgLogLikelihoodCompressed(th[0], th[1], d, g2);
      grad[0] = -g2[0];
      grad[1] = -g2[1];
      return -ll;
    },
    // The moment start, plus two spread-out starts so a flat ridge cannot trap the fit.
    start: [
      [s.alpha, s.beta],
      [1, 1],
      [s.alpha * 10, s.beta * 10],
    ],
    n: d.n,
    penalizer: opts.penalizer ?? 0,
    maxIterations: opts.maxIterations ?? 200,
  });
  opts.onProgress?.(1, 'fitting sBG');
  return toFitReport<SbgParams>('sbg', res, d.n, boundaryNote(res.params.alpha, res.params.beta));
}

function boundaryNote(alpha: number, beta: number): string | undefined {
  if (beta < 1e-4)
    return 'beta is near 0: almost everyone churns at once; the data may not show repeat renewals';
  if (alpha > 1e4 && beta > 1e4)
    return 'alpha and beta are very large: no visible heterogeneity (a constant churn rate fits)';
  return undefined;
}
