/**
 * What-if baselines from fitted models (the notebook's retention, purchase and spend cells).
 *
 * - sBG (Fader & Hardie 2007), fitted on the same period as the simulator: exact, via `retentionFromSbg`
 *   (retention = beta/(alpha+beta), heterogeneity = 1/(alpha+beta+1)).
 * - BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing Science 24(2)): λ ~ Gamma(r,
 *   alpha) purchases per time unit, dropout after each purchase with p ~ Beta(a, b). Mapped APPROXIMATELY to the
 *   simulator's levers: purchasesPerYear = (r/alpha)·unitsPerYear; dropouts of an average customer form a Poisson
 *   process of rate p̄·λ̄ with p̄ = a/(a+b), so retention per period = exp(−p̄·λ̄·unitsPerPeriod); heterogeneity =
 *   polarisation of p, 1/(a+b+1). (Heterogeneity in λ is not carried over; the Monte Carlo's purchase-rate shape can
 *   be set to r to keep it.)
 * - Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4); Fader & Hardie 2013 note): mean spend per
 *   transaction E[z] = p·gamma/(q − 1) for q > 1.
 *
 * `baselineFromFits` is the published-parameter mapping the `cdnow-fitted` library scenario documents (an
 * average customer's dropout rate). The notebook's what-if uses `baselineFromModels` below, which matches the
 * fitted model's own survival curve instead (exact at one and two periods).
 */
import { MAX_HETEROGENEITY, MAX_RETENTION, retentionFromSbg, type WhatIfInputs } from './inputs.ts';
import type {
  BdwParams,
  BgBbParams,
  BgNbdParams,
  GammaGammaParams,
  ParetoNbdParams,
  SbgParams,
} from '../models/types.ts';
import { betaln } from '../models/special/gammaln.ts';
import { hyp2f1 } from '../models/special/hyp2f1.ts';

/** Fitted parameters available in the notebook; any subset. */
export interface FittedBaselineSources {
  /** sBG fitted on cohort survival in periods of `periodMonths` months. */
  sbg?: SbgParams;
  /** BG/NBD fitted on transactions measured in a time unit with `timeUnitsPerYear` units per year. */
  bgNbd?: BgNbdParams;
  /** Gamma-Gamma spend model. */
  gammaGamma?: GammaGammaParams;
  /** Time units per year of the BG/NBD data (52.1775 for weeks, 365.25 for days, 12 for months). Default 52.1775. */
  timeUnitsPerYear?: number;
  /** Simulator period in months (1, 3 or 12). Default 1. */
  periodMonths?: number;
}

/** Baseline inputs derived from fits, plus notes saying which are approximate. */
export interface FittedBaseline {
  inputs: Partial<WhatIfInputs>;
  /** The Monte Carlo purchase-rate shape matching BG/NBD's r, when a BG/NBD fit was given. */
  purchaseRateShape: number | null;
  notes: string[];
}

/**
 * Simulator inputs from fitted model parameters (see the module comment for the mappings). sBG, when given, wins
 * over BG/NBD for retention. Invalid parameters (non-finite or <= 0) are skipped with a note.
 * Example (CDNOW, weeks): baselineFromFits({ bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
 *   gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 } }).inputs ≈ { purchasesPerYear: 2.87, retentionPerPeriod: 0.943,
 *   retentionHeterogeneity: 0.237, averageOrderValue: 35.22 }.
 */
export function baselineFromFits(src: FittedBaselineSources): FittedBaseline {
  const inputs: Partial<WhatIfInputs> = {};
  const notes: string[] = [];
  const ok = (...xs: number[]): boolean =>
    xs.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0);
  const unitsPerYear = ok(src.timeUnitsPerYear ?? NaN) ? (src.timeUnitsPerYear as number) : 52.1775;
  const periodMonths = src.periodMonths === 3 || src.periodMonths === 12 ? src.periodMonths : 1;
  inputs.periodMonths = periodMonths;
  let purchaseRateShape: number | null = null;

  if (src.sbg) {
    if (ok(src.sbg.alpha, src.sbg.beta)) Object.assign(inputs, retentionFromSbg(src.sbg));
    else notes.push('sBG parameters must be positive numbers; retention not taken from the sBG fit');
  }
  if (src.bgNbd) {
    const { r, alpha, a, b } = src.bgNbd;
    if (ok(r, alpha, a, b)) {
      const ratePerUnit = r / alpha;
      inputs.purchasesPerYear = ratePerUnit * unitsPerYear;
      purchaseRateShape = r;
      if (inputs.retentionPerPeriod === undefined) {
        const unitsPerPeriod = (unitsPerYear * periodMonths) / 12;
        inputs.retentionPerPeriod = Math.exp(-(a / (a + b)) * ratePerUnit * unitsPerPeriod);
        inputs.retentionHeterogeneity = 1 / (a + b + 1);
        notes.push(
          'retention and heterogeneity approximated from BG/NBD (dropout after purchases); fit sBG on cohorts for an exact retention curve',
        );
      }
    } else notes.push('BG/NBD parameters must be positive numbers; frequency not taken from the BG/NBD fit');
  }
  if (src.gammaGamma) {
    const { p, q, gamma } = src.gammaGamma;
    if (ok(p, gamma) && q > 1) inputs.averageOrderValue = (p * gamma) / (q - 1);
    else
      notes.push(
        'Gamma-Gamma needs p, gamma > 0 and q > 1 for a finite mean spend; AOV not taken from the fit',
      );
  }
  return { inputs, purchaseRateShape, notes };
}

// ---------------------------------------------------------------------------------------------------------------
// Baseline from the notebook's fitted models: the simulator's sBG matched to the model's survival curve.
//
// The simulator's retention is sBG: each customer has a per-period churn θ ~ Beta(α', β'), so the share of a
// cohort alive after k periods is S(k) = E[(1 − θ)^k]; retention = S(1) = β'/(α'+β') and heterogeneity
// φ = 1/(α'+β'+1). Given any model's population survival S(·), we take
//     retention = S(1),   φ = (S(2) − S(1)²) / (S(1)(1 − S(1)))
// which is the Beta with the same first two moments of (1 − θ) — i.e. the sBG that agrees with the model's
// survival exactly after one and after two periods (for an sBG fit on the same period it returns α', β' exactly).
// Survival curves, t in the model's own time unit (weeks, days, months, opportunities, periods):
//   BG/NBD (FHL 2005): a customer with rate λ and dropout probability p drops out at the Poisson(λt)-thinned
//     purchases, so P(alive at t | λ, p) = e^{−λpt}. Over λ ~ Gamma(r, α): (1 + pt/α)^{−r}; over p ~ Beta(a, b)
//     by Euler's integral (A&S 15.3.1): S(t) = ₂F₁(r, a; a + b; −t/α).
//   MBG/NBD (Batislam, Denizel & Filiztekin 2007): also a dropout chance right after the first purchase, factor
//     (1 − p): S(t) = E[(1 − p)(1 + pt/α)^{−r}] = b/(a + b) · ₂F₁(r, a; a + b + 1; −t/α).
//   Pareto/NBD (SMC 1987): lifetime ~ Exp(μ), μ ~ Gamma(s, β): S(t) = (β/(β + t))^s.
//   BG/BB (FHS 2010): dropout θ ~ Beta(γ, δ) before each opportunity: S(n) = B(γ, δ + n)/B(γ, δ).
//   sBG (FH 2007): S(t) = B(α, β + t)/B(α, β);  BdW (FHLDS 2018): S(t) = B(α, β + t^c)/B(α, β).
// A retention fit in other periods than the simulator's is read at fractional t (months within a quarter:
// t = 1/3), i.e. each customer's churn spread evenly over the period.
// Purchases per year of an active customer = E[λ]·(time units per year) = (r/α)·unitsPerYear (BG/BB: α/(α+β)
// per opportunity). The simulator keeps purchase rate and lifetime independent; in BG/NBD heavy buyers drop out
// sooner, so the simulated purchases of survivors run somewhat above the model's.
// ---------------------------------------------------------------------------------------------------------------

/** A fitted purchase model with the time scale of its data. */
export type PurchaseFit =
  | { model: 'bgnbd' | 'mbgnbd'; params: BgNbdParams; unitsPerYear: number }
  | { model: 'pnbd'; params: ParetoNbdParams; unitsPerYear: number }
  | { model: 'bgbb'; params: BgBbParams; opportunitiesPerYear: number };

/** A fitted retention (cohort survival) model with the length of its period in months. */
export type RetentionFit =
  | { model: 'sbg'; params: SbgParams; periodMonths: number }
  | { model: 'bdw'; params: BdwParams; periodMonths: number };

/** The fits the what-if can start from; any subset. */
export interface ModelFits {
  purchase?: PurchaseFit;
  retention?: RetentionFit;
  spend?: GammaGammaParams;
}

/** Which fit each baseline input came from. */
export interface ModelBaseline {
  inputs: Partial<
    Pick<
      WhatIfInputs,
      'purchasesPerYear' | 'averageOrderValue' | 'retentionPerPeriod' | 'retentionHeterogeneity'
    >
  >;
  /** 'purchase' or 'retention' (the model retention and heterogeneity came from), or null. */
  retentionFrom: 'purchase' | 'retention' | null;
  /** Gamma shape r of the purchase rates (BG/NBD family), for the Monte Carlo's purchase heterogeneity. */
  purchaseRateShape: number | null;
  /** Fits that could not be used (invalid parameters), in words. */
  problems: string[];
}

const positive = (...xs: number[]): boolean => xs.every((x) => Number.isFinite(x) && x > 0);

/**
 * Share of a cohort still alive after `t` units of the model's own time (see the block comment above);
 * NaN for invalid parameters. Example: survival({ model: 'pnbd', params: { r: 1, alpha: 1, s: 2, beta: 10 },
 * unitsPerYear: 52 }, 10) = (10/20)² = 0.25.
 */
export function survival(fit: PurchaseFit | RetentionFit, t: number): number {
  if (!(t >= 0)) return NaN;
  if (t === 0) return 1;
  switch (fit.model) {
    case 'bgnbd':
    case 'mbgnbd': {
      const { r, alpha, a, b } = fit.params;
      if (!positive(r, alpha, a, b)) return NaN;
      return fit.model === 'bgnbd'
        ? hyp2f1(r, a, a + b, -t / alpha)
        : (b / (a + b)) * hyp2f1(r, a, a + b + 1, -t / alpha);
    }
    case 'pnbd': {
      const { s, beta } = fit.params;
      return positive(s, beta) ? Math.exp(-s * Math.log1p(t / beta)) : NaN;
    }
    case 'bgbb': {
      const { gamma, delta } = fit.params;
      return positive(gamma, delta) ? Math.exp(betaln(gamma, delta + t) - betaln(gamma, delta)) : NaN;
    }
    case 'sbg':
    case 'bdw': {
      const { alpha, beta } = fit.params;
      const c = fit.model === 'bdw' ? fit.params.c : 1;
      if (!positive(alpha, beta, c)) return NaN;
      return Math.exp(betaln(alpha, beta + t ** c) - betaln(alpha, beta));
    }
  }
}

/**
 * The sBG (retention, heterogeneity) agreeing with survival s1 after one period and s2 after two:
 * retention = s1, φ = (s2 − s1²)/(s1(1 − s1)), clamped to the simulator's limits; null if s1 is not in (0, 1).
 * Example: matchSbg(1/2, 1/3) = { retentionPerPeriod: 0.5, retentionHeterogeneity: 1/3 } (sBG α = β = 1).
 */
export function matchSbg(
  s1: number,
  s2: number,
): Pick<WhatIfInputs, 'retentionPerPeriod' | 'retentionHeterogeneity'> | null {
  if (!(s1 > 0 && s1 < 1) || !Number.isFinite(s2)) return null;
  const phi = (s2 - s1 * s1) / (s1 * (1 - s1));
  return {
    retentionPerPeriod: Math.min(MAX_RETENTION, s1),
    retentionHeterogeneity: Math.min(MAX_HETEROGENEITY, Math.max(0, phi)),
  };
}

/** Length of one simulator period in the fit's own time unit. */
function periodLength(fit: PurchaseFit | RetentionFit, periodMonths: number): number {
  if (fit.model === 'sbg' || fit.model === 'bdw') return periodMonths / fit.periodMonths;
  if (fit.model === 'bgbb') return (fit.opportunitiesPerYear * periodMonths) / 12;
  return (fit.unitsPerYear * periodMonths) / 12;
}

/**
 * What-if baseline inputs from the notebook's fits, for a simulator period of `periodMonths` months.
 * Rule for retention: the purchase model when there is one (it also gives the purchase rate, so both describe
 * the same latent "alive" customers); the retention model only without a purchase model (e.g. contractual
 * survival counts), because on transactions the retention cell counts a customer as retained only while they buy
 * again, a different definition. AOV = Gamma-Gamma mean spend p·γ/(q − 1).
 * Example (CDNOW weeks, BG/NBD r 0.243, α 4.414, a 0.793, b 2.426; GG p 6.25, q 3.74, γ 15.44; months):
 * purchasesPerYear 2.873, retentionPerPeriod 0.9522, retentionHeterogeneity 0.2475, AOV 35.22.
 */
export function baselineFromModels(fits: ModelFits, periodMonths: number): ModelBaseline {
  const out: ModelBaseline = { inputs: {}, retentionFrom: null, purchaseRateShape: null, problems: [] };
  const p = fits.purchase;
  if (p) {
    const rate =
      p.model === 'bgbb'
        ? (p.params.alpha / (p.params.alpha + p.params.beta)) * p.opportunitiesPerYear
        : (p.params.r / p.params.alpha) * p.unitsPerYear;
    const dt = periodLength(p, periodMonths);
    const matched = matchSbg(survival(p, dt), survival(p, 2 * dt));
    if (positive(rate) && matched) {
      out.inputs.purchasesPerYear = rate;
      Object.assign(out.inputs, matched);
      out.retentionFrom = 'purchase';
      if (p.model !== 'bgbb') out.purchaseRateShape = p.params.r;
    } else out.problems.push(`${p.model}: parameters are not positive numbers`);
  }
  const r = fits.retention;
  if (r && out.retentionFrom === null) {
    const dt = periodLength(r, periodMonths);
    const matched = matchSbg(survival(r, dt), survival(r, 2 * dt));
    if (matched) {
      Object.assign(out.inputs, matched);
      out.retentionFrom = 'retention';
    } else out.problems.push(`${r.model}: parameters are not positive numbers`);
  }
  const g = fits.spend;
  if (g) {
    if (positive(g.p, g.gamma) && g.q > 1) out.inputs.averageOrderValue = (g.p * g.gamma) / (g.q - 1);
    else out.problems.push('gg: needs p, gamma > 0 and q > 1 for a finite mean spend');
  }
  return out;
}

/** The what-if levers a fitted baseline sets (the others are the user's: margin, CAC, discount, ...). */
export const FITTED_LEVERS = [
  'retentionPerPeriod',
  'retentionHeterogeneity',
  'purchasesPerYear',
  'averageOrderValue',
] as const satisfies readonly (keyof WhatIfInputs)[];
