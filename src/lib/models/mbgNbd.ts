/**
 * MBG/NBD — modified BG/NBD (Batislam, E.P., Denizel, M. & Filiztekin, A. (2007) "Empirical validation and
 * comparison of models for customer base analysis", International Journal of Research in Marketing
 * 24(3):201–209; formulas as in lifetimes' ModifiedBetaGeoFitter, which follows that paper).
 * Like the BG/NBD (λ ~ Gamma(r, alpha), p ~ Beta(a, b)), but a customer may also drop out right after the
 * first purchase (at time 0), so customers with no repeat purchase are not assumed alive.
 */
import type { FitOptions, FitReport, MbgNbdParams } from './types.ts';
import { betaln, gammaln } from './special/gammaln.ts';
import {
  bgFamilyExpectedIfAlive,
  bgNbdLogLikelihoodCompressed,
  compressRfm,
  fitBgNbdLike,
  stillAliveFactor,
  type CompressedRfm,
  type RfmData,
} from './bgNbd.ts';

/**
 * MBG/NBD log-likelihood (Batislam et al. 2007, eq. 5):
 *   LL_i = log Γ(r+x) − log Γ(r) + r log α + log B(a, b+x+1) − log B(a, b)
 *          + log[ (α+T)^−(r+x) + a/(b+x) (α+t_x)^−(r+x) ].
 * Example: CDNOW at lifetimes' fitted (0.525, 6.183, 0.891, 1.614) → LL ≈ −9582.1.
 */
export function mbgNbdLogLikelihood(params: MbgNbdParams, data: RfmData | CompressedRfm): number {
  const d = 'xValues' in data ? data : compressRfm(data, 'mbgNbdLogLikelihood');
  return bgNbdLogLikelihoodCompressed(params.r, params.alpha, params.a, params.b, d, undefined, true);
}

/**
 * Maximum-likelihood fit of the MBG/NBD with analytic gradients (shared code path with fitBgNbd).
 * Example: CDNOW calibration (weeks) → r 0.525, alpha 6.183, a 0.891, b 1.614 (lifetimes' test values).
 */
export function fitMbgNbd(data: RfmData | CompressedRfm, opts: FitOptions = {}): FitReport<MbgNbdParams> {
  return fitBgNbdLike<MbgNbdParams>(data, opts, true);
}

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)) (Batislam et al. 2007, eq. 8);
 * below 1 even when x = 0. Example: CDNOW fit, x = 0, T = 38.86 → 0.390.
 */
export function mbgNbdProbabilityAlive(params: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const lr = Math.log(a / (b + x)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(lr));
}

/**
 * P(alive at T + t | x, t_x, T) = P(alive at T) · ₂F₁(r+x, a; a+b+x+1; −t/(α+T)): as for the BG/NBD, an active
 * customer drops at rate λp, and given survival of x+1 drop chances (x+1 in (1−p)'s exponent) p ~ Beta(a, b+x+1).
 */
export function mbgNbdProbabilityAliveAt(
  params: MbgNbdParams,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  const now = mbgNbdProbabilityAlive(params, x, tx, T);
  return t > 0 ? now * stillAliveFactor(params, x, T, t, 1) : now;
}

/**
 * E[X(t)] for a new customer (Batislam et al. 2007, eq. 6): b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))].
 * Example: CDNOW fit, t = 39 weeks → 1.183.
 */
export function mbgNbdExpectedPurchases(params: MbgNbdParams, t: number): number {
  if (!(t > 0)) return 0;
  const { r, alpha, a, b } = params;
  // = P(not dropped at time 0) · E[purchases | alive], with B = b + 1 (Euler-transformed, see bgNbd.ts).
  return (b / (a + b)) * bgFamilyExpectedIfAlive(r, 0, a, b + 1, alpha, t);
}

/**
 * E[Y(t) | x, t_x, T] (Batislam et al. 2007, eq. 7):
 *   (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive).
 * Example: CDNOW fit, x = 2, t_x = 30.43, T = 38.86, t = 39 → 1.263 (lifetimes: within 0.05 of 1.226).
 */
export function mbgNbdConditionalExpectedPurchases(
  params: MbgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (!(t > 0)) return 0;
  const { r, alpha, a, b } = params;
  return mbgNbdProbabilityAlive(params, x, tx, T) * bgFamilyExpectedIfAlive(r, x, a, b + x + 1, alpha + T, t);
}

/**
 * P(X(t) = n) for a new customer (as lifetimes' ModifiedBetaGeoFitter.probability_of_n_purchases_up_to_time):
 *   B(a, b+n+1)/B(a, b) · NB(n) + B(a+1, b+n)/B(a, b) · [1 − Σ_{j<n} NB(j)],  NB(j) = NB(j; r, α, t).
 * Example: n = 0 includes the a/(a+b) share who drop right after the first purchase.
 */
export function mbgNbdProbabilityOfPurchases(params: MbgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = params;
  if (!(n >= 0) || n !== Math.floor(n)) return 0;
  if (!(t > 0)) return n === 0 ? 1 : 0;
  const lq0 = r * Math.log(alpha / (alpha + t));
  const lq1 = Math.log(t / (alpha + t));
  const lnb = (j: number) => gammaln(r + j) - gammaln(r) - gammaln(j + 1) + lq0 + j * lq1;
  let cdf = 0;
  for (let j = 0; j < n; j++) cdf += Math.exp(lnb(j));
  return (
    Math.exp(betaln(a, b + n + 1) - betaln(a, b) + lnb(n)) +
    Math.exp(betaln(a + 1, b + n) - betaln(a, b)) * Math.max(0, 1 - cdf)
  );
}
