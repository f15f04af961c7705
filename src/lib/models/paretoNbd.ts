/**
 * Pareto/NBD purchase model for non-contractual settings.
 *
 * Schmittlein, D.C., Morrison, D.G. & Colombo, R. (1987) "Counting Your Customers: Who Are They and What Will
 * They Do Next?", Management Science 33(1):1–24; Fader, P.S. & Hardie, B.G.S. (2005) "A Note on Deriving the
 * Pareto/NBD Model and Related Expressions" (brucehardie.com/notes/009, equations cited as FH05).
 * While alive a customer buys at Poisson rate λ ~ Gamma(r, alpha); her lifetime is exponential with rate
 * μ ~ Gamma(s, beta). alpha and beta are in the data's time unit.
 *
 * Numerics. FH05 eq. 22 writes the likelihood with two ₂F₁ terms whose difference cancels badly and whose
 * argument approaches 1 in some regimes (where other libraries return NaN/Inf). We integrate the death time
 * explicitly instead:
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ],
 * and integrating by parts (d/dτ of the first term) turns the bracket into a sum of two POSITIVE tails
 *   bracket = (r+x) G(T; r+x+1, s) + s G(t_x; r+x, s+1),   G(t; P, Q) = ∫_t^∞ (α+τ)^−P (β+τ)^−Q dτ,
 * so the log-likelihood is a log-add-exp of two finite logs with no subtraction. Each tail is
 *   G = (α+t)^−P (β+t)^(1−Q) ₂F₁(P, 1; P+Q; (α−β)/(α+t)) / (P+Q−1)          (α >= β),
 *   G = (β+t)^−Q (α+t)^(1−P) ₂F₁(Q, 1; P+Q; (β−α)/(β+t)) / (P+Q−1)          (α < β),
 * (substitute u = (α−β)/(α+τ), then Euler's transformation, A&S 15.3.3), always with an argument in [0, 1) and
 * first parameter below the third, where `log2F1b1`'s continued fraction is positive and convergent.
 */
import type { FitOptions, FitReport, ParetoNbdParams } from './types.ts';
import { gammaln } from './special/gammaln.ts';
import { log2F1b1 } from './special/hyp2f1.ts';
import {
  checkRepeaters,
  compressRfm,
  fitPurchaseModel,
  pairIndex,
  pairLogAddExpSum,
  purchaseFitReport,
  purchaseStarts,
  type CompressedRfm,
  type RfmData,
} from './bgNbd.ts';
import { digamma } from './special/digamma.ts';

/**
 * log G(t; P, Q) = log ∫_t^∞ (α+τ)^−P (β+τ)^−Q dτ for P, Q > 0, P + Q > 1, t >= 0 (see module comment).
 * Example: alpha = beta = 1, t = 0, P = 1, Q = 1 → log ∫_0^∞ (1+τ)^−2 dτ = log 1 = 0.
 */
export function logTail(alpha: number, beta: number, t: number, P: number, Q: number): number {
  const a = P + Q - 1;
  if (alpha >= beta) {
    const z = (alpha - beta) / (alpha + t);
    return -P * Math.log(alpha + t) - (Q - 1) * Math.log(beta + t) - Math.log(a) + log2F1b1(P, P + Q, z);
  }
  const z = (beta - alpha) / (beta + t);
  return -Q * Math.log(beta + t) - (P - 1) * Math.log(alpha + t) - Math.log(a) + log2F1b1(Q, P + Q, z);
}

/**
 * log of the likelihood bracket (r+x) G(T; r+x+1, s) + s G(t_x; r+x, s+1) for one customer (module comment).
 * Finite for every valid input (x >= 0, 0 <= t_x <= T, T > 0, positive parameters).
 */
export function logBracket(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const k = Math.log(r + x) + logTail(alpha, beta, T, r + x + 1, s);
  const j = Math.log(s) + logTail(alpha, beta, tx, r + x, s + 1);
  const m = k > j ? k : j;
  return m + Math.log1p(Math.exp(-Math.abs(k - j)));
}

/**
 * Pareto/NBD log-likelihood of one customer (FH05 eq. 22, rewritten as in the module comment).
 * Example: CDNOW params r 0.553, alpha 10.58, s 0.606, beta 11.67; x = 0, T = 38.86 → −0.5210 (mpmath quadrature of the same likelihood agrees to 1e-15).
 */
export function paretoNbdLogLikelihoodRow(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  return gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta) + logBracket(p, x, tx, T);
}

/**
 * log G(t; P, Q) from precomputed la = log(α+t), lb = log(β+t) and the ₂F₁ argument (see `logTail`).
 */
function logTailPre(alphaGeBeta: boolean, z: number, la: number, lb: number, P: number, Q: number): number {
  const a = P + Q - 1;
  return alphaGeBeta
    ? -P * la - (Q - 1) * lb - Math.log(a) + log2F1b1(P, P + Q, z)
    : -Q * lb - (P - 1) * la - Math.log(a) + log2F1b1(Q, P + Q, z);
}

/**
 * Value and partial derivatives of log G(t; P, Q): ∂/∂α = −P G(P+1, Q)/G and ∂/∂β = −Q G(P, Q+1)/G exactly
 * (differentiate under the integral), ∂/∂P and ∂/∂Q by central differences with step 1e-4·max(1, ·)
 * (truncation ~1e-9 relative; the function is smooth). Writes [value, dP, dQ, dα, dβ] into `out`.
 */
function logTailGrad(alpha: number, beta: number, t: number, P: number, Q: number, out: Float64Array): void {
  const ge = alpha >= beta;
  const z = ge ? (alpha - beta) / (alpha + t) : (beta - alpha) / (beta + t);
  const la = Math.log(alpha + t);
  const lb = Math.log(beta + t);
  const v = logTailPre(ge, z, la, lb, P, Q);
  const hP = 1e-4 * Math.max(1, P);
  const hQ = 1e-4 * Math.max(1, Q);
  out[0] = v;
  out[1] = (logTailPre(ge, z, la, lb, P + hP, Q) - logTailPre(ge, z, la, lb, P - hP, Q)) / (2 * hP);
  out[2] = (logTailPre(ge, z, la, lb, P, Q + hQ) - logTailPre(ge, z, la, lb, P, Q - hQ)) / (2 * hQ);
  out[3] = -P * Math.exp(logTailPre(ge, z, la, lb, P + 1, Q) - v);
  out[4] = -Q * Math.exp(logTailPre(ge, z, la, lb, P, Q + 1) - v);
}

/**
 * Pareto/NBD log-likelihood summed over compressed rows; the ₂F₁ work is done once per distinct (x, T) and
 * (x, t_x) pair. With `grad`, writes ∂LL/∂(r, alpha, s, beta) (analytic in alpha, beta; differences of the
 * per-pair tails in r, s). Returns NaN for non-positive parameters.
 * Example: CDNOW at (0.553, 10.58, 0.606, 11.67) ≈ −9595.0.
 */
export function paretoNbdLogLikelihoodCompressed(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  d: CompressedRfm,
  grad?: Float64Array,
): number {
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0) || !Number.isFinite(r + alpha + s + beta)) return NaN;
  const p = pairIndex(d);
  const { lA, lB, aX, aT, bX, bT } = p;
  const xv = d.xValues;
  const ls = Math.log(s);
  const wantGrad = grad !== undefined;
  const dA = wantGrad ? gradScratch(d, lA.length, lB.length) : null;
  const tmp = new Float64Array(5);
  for (let k = 0; k < lA.length; k++) {
    const x = xv[aX[k]];
    const T = d.TValues[aT[k]];
    if (dA) {
      logTailGrad(alpha, beta, T, r + x + 1, s, tmp);
      lA[k] = Math.log(r + x) + tmp[0];
      const o = 4 * k;
      dA.a[o] = 1 / (r + x) + tmp[1];
      dA.a[o + 1] = tmp[3];
      dA.a[o + 2] = tmp[2];
      dA.a[o + 3] = tmp[4];
    } else {
      lA[k] = Math.log(r + x) + logTail(alpha, beta, T, r + x + 1, s);
    }
  }
  for (let k = 0; k < lB.length; k++) {
    const x = xv[bX[k]];
    const tx = d.txValues[bT[k]];
    if (dA) {
      logTailGrad(alpha, beta, tx, r + x, s + 1, tmp);
      lB[k] = ls + tmp[0];
      const o = 4 * k;
      dA.b[o] = tmp[1];
      dA.b[o + 1] = tmp[3];
      dA.b[o + 2] = 1 / s + tmp[2];
      dA.b[o + 3] = tmp[4];
    } else {
      lB[k] = ls + logTail(alpha, beta, tx, r + x, s + 1);
    }
  }
  const lgr = gammaln(r);
  let ll = d.n * (r * Math.log(alpha) + s * Math.log(beta));
  for (let j = 0; j < xv.length; j++) ll += d.wByX[j] * (gammaln(r + xv[j]) - lgr);
  ll += pairLogAddExpSum(d, p, wantGrad);
  if (grad && dA) {
    const dgr = digamma(r);
    let gr = d.n * Math.log(alpha);
    for (let j = 0; j < xv.length; j++) gr += d.wByX[j] * (digamma(r + xv[j]) - dgr);
    let gal = (d.n * r) / alpha;
    let gs = d.n * Math.log(beta);
    let gbe = (d.n * s) / beta;
    const { sA, sB } = p;
    for (let k = 0; k < lA.length; k++) {
      const w = sA[k];
      const o = 4 * k;
      gr += w * dA.a[o];
      gal += w * dA.a[o + 1];
      gs += w * dA.a[o + 2];
      gbe += w * dA.a[o + 3];
    }
    for (let k = 0; k < lB.length; k++) {
      const w = sB[k];
      const o = 4 * k;
      gr += w * dA.b[o];
      gal += w * dA.b[o + 1];
      gs += w * dA.b[o + 2];
      gbe += w * dA.b[o + 3];
    }
    grad[0] = gr;
    grad[1] = gal;
    grad[2] = gs;
    grad[3] = gbe;
  }
  return ll;
}

const gradCache = new WeakMap<CompressedRfm, { a: Float64Array; b: Float64Array }>();
function gradScratch(d: CompressedRfm, na: number, nb: number): { a: Float64Array; b: Float64Array } {
  let g = gradCache.get(d);
  if (!g) {
    g = { a: new Float64Array(4 * na), b: new Float64Array(4 * nb) };
    gradCache.set(d, g);
  }
  return g;
}

/** Pareto/NBD log-likelihood of per-customer data. Example: CDNOW (2,357 customers, weeks) at the MLE ≈ −9594.98. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: RfmData | CompressedRfm): number {
  const d = 'xValues' in data ? data : compressRfm(data, 'paretoNbdLogLikelihood');
  return paretoNbdLogLikelihoodCompressed(params.r, params.alpha, params.s, params.beta, d);
}

/**
 * Maximum-likelihood fit of the Pareto/NBD (FH05 eq. 22) by BFGS in log-parameters with central-difference
 * gradients (the likelihood is smooth in all four parameters) and a Nelder–Mead fallback.
 * Example: CDNOW calibration (weeks) → r 0.553, alpha 10.58, s 0.606, beta 11.67, LL −9594.98 (BTYD
 * pnbd.EstimateParameters on the same data; lifetimes ParetoNBDFitter tests).
 */
export function fitParetoNbd(
  data: RfmData | CompressedRfm,
  opts: FitOptions = {},
): FitReport<ParetoNbdParams> {
  const d = 'xValues' in data ? data : compressRfm(data, 'fitParetoNbd');
  checkRepeaters(d, 'fitParetoNbd');
  opts.onProgress?.(0, 'fitting Pareto/NBD');
  const starts = purchaseStarts(d).map(([r, alpha]) => [r, alpha, 1, alpha]);
  const res = fitPurchaseModel(
    d,
    ['r', 'alpha', 's', 'beta'],
    (th, dd, g) => paretoNbdLogLikelihoodCompressed(th[0], th[1], th[2], th[3], dd, g),
    starts,
    opts,
    1e-4,
  );
  opts.onProgress?.(1, 'done');
  return purchaseFitReport<ParetoNbdParams>('pnbd', res, d.n);
}

/**
 * P(alive at T | x, t_x, T) (FH05 eq. 18): (α+T)^−(r+x) (β+T)^−s / bracket.
 * Example: CDNOW params, x = 0, T = 38.86 → 0.295.
 */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const lAlive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const v = Math.exp(lAlive - logBracket(p, x, tx, T));
  return v > 1 ? 1 : v;
}

/**
 * P(alive at T + t | x, t_x, T) = P(alive at T) · ((β+T)/(β+T+t))^s: given survival to T, μ ~ Gamma(s, β+T)
 * (FH05 section 3), so survival for t more has probability E[e^(−μt)].
 */
export function paretoNbdProbabilityAliveAt(
  p: ParetoNbdParams,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  const now = paretoNbdProbabilityAlive(p, x, tx, T);
  if (!(t > 0)) return now;
  return now * Math.exp(-p.s * Math.log1p(t / (p.beta + T)));
}

/** [1 − (1+u)^−(s−1)]/(s−1) with u >= 0, stable as s → 1 (limit log(1+u)). */
function powerIntegral(s: number, u: number): number {
  const L = Math.log1p(u);
  const e = (s - 1) * L;
  if (Math.abs(e) < 1e-8) return L * (1 - e / 2);
  return -Math.expm1(-e) / (s - 1);
}

/**
 * Expected purchases in (0, t] for a new customer (FH05 eq. 17): r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)],
 * with the s = 1 limit r β/α · log(1 + t/β). Example: CDNOW params, t = 39 weeks → 1.213.
 */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number {
  if (!(t > 0)) return 0;
  return ((p.r * p.beta) / p.alpha) * powerIntegral(p.s, t / p.beta);
}

/**
 * Conditional expected purchases in (T, T+t] (FH05 eq. 21):
 *   (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive | x, t_x, T).
 * Example: CDNOW params, x = 2, t_x = 30.43, T = 38.86, t = 39 → 1.455.
 */
export function paretoNbdConditionalExpectedPurchases(
  p: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (!(t > 0)) return 0;
  const pa = paretoNbdProbabilityAlive(p, x, tx, T);
  return (((p.r + x) * (p.beta + T)) / (p.alpha + T)) * powerIntegral(p.s, t / (p.beta + T)) * pa;
}

// 32-point Gauss–Legendre nodes/weights on [−1, 1] (computed once by Newton on the Legendre recurrence).
const GL = (() => {
  const n = 32;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) < 1e-15) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * pp * pp);
  }
  return { x, w };
})();

/**
 * P(X(t) = n) for a new customer. Conditioning on the death time (Fader & Hardie 2006/2020 note
 * "Deriving an Expression for P(X(t) = x) Under the Pareto/NBD Model"):
 *   P = NB(n; r, α, t) (β/(β+t))^s + Γ(r+n)/(Γ(r) n!) α^r s β^s ∫_0^t τ^n (α+τ)^−(r+n) (β+τ)^−(s+1) dτ,
 * the integral by composite 32-point Gauss–Legendre on geometrically growing panels [0, h], [h, 2h], [2h, 4h] …
 * up to t, with h = min(α, β)/4: the integrand changes on the scale of α and β near 0 and slowly far out, so
 * doubling panels follow it for any t/α, t/β (equal panels lost 0.85% at t = 1000, α = 1; see
 * test/models/reference.test.ts, checked against mpmath to 1e-10). Example: CDNOW params, t = 39, n = 0 → 0.594.
 */
export function paretoNbdProbabilityOfPurchases(p: ParetoNbdParams, t: number, n: number): number {
  const { r, alpha, s, beta } = p;
  if (!(n >= 0) || n !== Math.floor(n)) return 0;
  if (!(t > 0)) return n === 0 ? 1 : 0;
  const lc = gammaln(r + n) - gammaln(r) - gammaln(n + 1);
  const alive = Math.exp(
    lc + r * Math.log(alpha / (alpha + t)) + n * Math.log(t / (alpha + t)) + s * Math.log(beta / (beta + t)),
  );
  let integral = 0;
  const base = lc + r * Math.log(alpha) + Math.log(s) + s * Math.log(beta);
  // Also resolve the peak of τ^n (α+τ)^−(r+n), near τ = nα/r, when it lies far out.
  const scale = Math.min(alpha, beta, n > 0 ? (n * alpha) / r : Infinity) / 4;
  let lo = 0;
  let hi = Math.min(t, scale);
  for (let panel = 0; panel < 200 && lo < t; panel++) {
    const half = (hi - lo) / 2;
    const mid = (hi + lo) / 2;
    for (let i = 0; i < GL.x.length; i++) {
      const tau = mid + half * GL.x[i];
      const l =
        (n > 0 ? n * Math.log(tau) : 0) - (r + n) * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau);
      integral += half * GL.w[i] * Math.exp(base + l);
    }
    lo = hi;
    hi = Math.min(t, hi * 2);
  }
  return alive + integral;
}

/**
 * P(alive at T) for every distinct row of compressed data, with the ₂F₁ work done once per (x, T) and
 * (x, t_x) pair (same numbers as `paretoNbdProbabilityAlive`, much faster for many customers).
 */
export function paretoNbdProbabilityAliveCompressed(params: ParetoNbdParams, d: CompressedRfm): Float64Array {
  const { r, alpha, s, beta } = params;
  const p = pairIndex(d);
  const xv = d.xValues;
  const lK = new Float64Array(p.aX.length);
  const lAlive = new Float64Array(p.aX.length);
  for (let k = 0; k < lK.length; k++) {
    const x = xv[p.aX[k]];
    const T = d.TValues[p.aT[k]];
    lK[k] = Math.log(r + x) + logTail(alpha, beta, T, r + x + 1, s);
    lAlive[k] = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  }
  const lJ = new Float64Array(p.bX.length);
  const ls = Math.log(s);
  for (let k = 0; k < lJ.length; k++)
    lJ[k] = ls + logTail(alpha, beta, d.txValues[p.bT[k]], r + xv[p.bX[k]], s + 1);
  const out = new Float64Array(d.x.length);
  for (let i = 0; i < out.length; i++) {
    const a = lK[p.rowA[i]];
    const b = lJ[p.rowB[i]];
    const m = a > b ? a : b;
    const v = Math.exp(lAlive[p.rowA[i]] - (m + Math.log1p(Math.exp(-Math.abs(a - b)))));
    out[i] = v > 1 ? 1 : v;
  }
  return out;
}
