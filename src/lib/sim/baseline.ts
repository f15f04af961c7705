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
 */
import { retentionFromSbg, type WhatIfInputs } from './inputs.ts';
import type { BgNbdParams, GammaGammaParams, SbgParams } from '../models/types.ts';

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
