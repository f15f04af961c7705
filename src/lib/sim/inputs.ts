/**
 * What-if simulator inputs: one typed object, units in the names, with limits and the mapping from
 * (retention, heterogeneity) to the sBG's Beta(alpha, beta) churn distribution.
 *
 * sBG: Fader & Hardie (2007) "How to Project Customer Retention", J. Interactive Marketing 21(1):76-90.
 * Each customer renews at the end of every period with probability 1 − θ, θ ~ Beta(alpha, beta).
 *
 * Mapping (document of record, used everywhere in src/lib/sim):
 *   mean churn at the first renewal   c = 1 − retentionPerPeriod = alpha / (alpha + beta)      (eq. 1 of the paper's
 *                                                                                              P(T = 1) = alpha/(alpha+beta))
 *   polarisation index               φ = retentionHeterogeneity = 1 / (alpha + beta + 1)      (Sabavala & Morrison
 *                                                                                              1977; Var θ = c(1−c)φ)
 *   hence   alpha + beta = (1 − φ) / φ,   alpha = c(1 − φ)/φ,   beta = (1 − c)(1 − φ)/φ.
 * φ = 0 means every customer has the same churn c (constant-churn geometric lifetimes); φ → 1 means customers are
 * polarised into "stay forever" and "leave at once". Example: retention 0.8, heterogeneity 0.5 -> alpha = 0.2,
 * beta = 0.8 (c = 0.2, alpha + beta = 1). Inverse: retention = beta/(alpha+beta), heterogeneity = 1/(alpha+beta+1).
 */
import type { SbgParams } from '../models/types.ts';

/** Everything a what-if run needs. Money is in the scenario's currency; rates are fractions unless named Pct. */
export interface WhatIfInputs {
  /** Mean probability that a customer renews at the end of a period (1 − churn), at the first renewal. [0, 0.9999]. */
  retentionPerPeriod: number;
  /** Polarisation φ = 1/(alpha+beta+1) of the sBG churn distribution, [0, 0.99]; 0 = homogeneous churn. */
  retentionHeterogeneity: number;
  /** Expected purchases per year by an active customer (subscription: 12 payments a year). */
  purchasesPerYear: number;
  /** Average order value, currency per order. */
  averageOrderValue: number;
  /** Gross margin, percent of revenue, [0, 100]. */
  grossMarginPct: number;
  /** Customer acquisition cost (CAC), currency per acquired customer, paid at month 0. */
  acquisitionCost: number;
  /** Annual discount rate as a fraction (0.1 = 10%/year); per period it is (1 + d)^(periodMonths/12) − 1. */
  annualDiscountRate: number;
  /** Horizon in months; the model uses floor(horizonMonths / periodMonths) periods (at least 1). */
  horizonMonths: number;
  /** Customers acquired at the start of every period (for cohort totals, break-even and the layer cake). */
  newCustomersPerPeriod: number;
  /** Retention-programme cost, currency per active customer per period (reminders, points, membership perks). */
  programmeCostPerCustomerPerPeriod: number;
  /** Fraction of lapsed customers won back each period, [0, 1]; a won-back customer restarts like a new one. */
  winBackRatePerPeriod: number;
  /** Length of one period in months: 1 (month, default), 3 (quarter) or 12 (year). */
  periodMonths: number;
}

/** Names of the numeric levers (every field of WhatIfInputs). */
export type LeverName = keyof WhatIfInputs;

/** Valid range of each input; `integer` inputs are rounded. Values outside are clamped by `normalizeInputs`. */
export interface InputLimit {
  min: number;
  max: number;
  integer?: boolean;
}

/** Largest retention the simulator accepts: keeps 1/churn (textbook lifetime) finite (10,000 periods). */
export const MAX_RETENTION = 0.9999;
/** Heterogeneity below this is treated as 0 (homogeneous churn). */
export const MIN_HETEROGENEITY = 1e-9;
/** Largest heterogeneity: alpha + beta >= 0.0101, far into the polarised regime. */
export const MAX_HETEROGENEITY = 0.99;

/** Limits of every input. Example: INPUT_LIMITS.grossMarginPct = { min: 0, max: 100 }. */
export const INPUT_LIMITS: Readonly<Record<LeverName, InputLimit>> = {
  retentionPerPeriod: { min: 0, max: MAX_RETENTION },
  retentionHeterogeneity: { min: 0, max: MAX_HETEROGENEITY },
  purchasesPerYear: { min: 0, max: 10_000 },
  averageOrderValue: { min: 0, max: 1e9 },
  grossMarginPct: { min: 0, max: 100 },
  acquisitionCost: { min: 0, max: 1e10 },
  annualDiscountRate: { min: 0, max: 2 },
  horizonMonths: { min: 1, max: 600, integer: true },
  newCustomersPerPeriod: { min: 0, max: 1e9 },
  programmeCostPerCustomerPerPeriod: { min: 0, max: 1e9 },
  winBackRatePerPeriod: { min: 0, max: 1 },
  periodMonths: { min: 1, max: 12, integer: true },
};

/** Allowed period lengths in months. */
export const PERIOD_MONTHS = [1, 3, 12] as const;

/**
 * Defaults for a monthly consumer business: 90% monthly retention with moderate heterogeneity, 4 orders a year
 * of 60 at 40% margin, CAC 80, 10% annual discounting, 60-month horizon, 1,000 new customers a month.
 */
export const DEFAULT_INPUTS: Readonly<WhatIfInputs> = {
  retentionPerPeriod: 0.9,
  retentionHeterogeneity: 0.2,
  purchasesPerYear: 4,
  averageOrderValue: 60,
  grossMarginPct: 40,
  acquisitionCost: 80,
  annualDiscountRate: 0.1,
  horizonMonths: 60,
  newCustomersPerPeriod: 1000,
  programmeCostPerCustomerPerPeriod: 0,
  winBackRatePerPeriod: 0,
  periodMonths: 1,
};

/** All lever names in display order. */
export const LEVERS: readonly LeverName[] = [
  'retentionPerPeriod',
  'retentionHeterogeneity',
  'purchasesPerYear',
  'averageOrderValue',
  'grossMarginPct',
  'acquisitionCost',
  'annualDiscountRate',
  'horizonMonths',
  'newCustomersPerPeriod',
  'programmeCostPerCustomerPerPeriod',
  'winBackRatePerPeriod',
  'periodMonths',
];

/**
 * A complete, in-range copy of `partial` over `base` (defaults): non-finite or missing values take the base,
 * out-of-range values are clamped, integers rounded, periodMonths snapped to 1, 3 or 12. Never throws and never
 * mutates its arguments. Example: normalizeInputs({ grossMarginPct: 250 }).grossMarginPct = 100.
 */
export function normalizeInputs(
  partial: Partial<WhatIfInputs>,
  base: Readonly<WhatIfInputs> = DEFAULT_INPUTS,
): WhatIfInputs {
  const out = { ...base };
  for (const key of LEVERS) {
    const raw = (partial as Record<string, unknown>)[key];
    let v = typeof raw === 'number' && Number.isFinite(raw) ? raw : base[key];
    const lim = INPUT_LIMITS[key];
    if (!Number.isFinite(v)) v = DEFAULT_INPUTS[key];
    if (lim.integer) v = Math.round(v);
    v = Math.min(lim.max, Math.max(lim.min, v));
    out[key] = v;
  }
  out.periodMonths = snapPeriod(out.periodMonths);
  return out;
}

function snapPeriod(m: number): number {
  if (m >= 7) return 12;
  if (m >= 2) return 3;
  return 1;
}

/**
 * sBG parameters for a mean first-renewal retention and a polarisation index (mapping above); null when
 * heterogeneity is below MIN_HETEROGENEITY (homogeneous churn has no finite Beta form). Example: sbgFromRetention(0.8, 0.5) =
 * { alpha: 0.2, beta: 0.8 }.
 */
export function sbgFromRetention(
  retentionPerPeriod: number,
  retentionHeterogeneity: number,
): SbgParams | null {
  const phi = Math.min(MAX_HETEROGENEITY, Math.max(0, retentionHeterogeneity));
  // Below 1e-9 the Beta has alpha + beta > 1e9: indistinguishable from constant churn, and 1/φ may overflow.
  if (!(phi >= MIN_HETEROGENEITY)) return null;
  const churn = 1 - Math.min(1, Math.max(0, retentionPerPeriod));
  const total = (1 - phi) / phi;
  return { alpha: churn * total, beta: (1 - churn) * total };
}

/**
 * Inverse mapping from fitted sBG parameters (e.g. the notebook's retention model) to the two sliders.
 * Example: retentionFromSbg({ alpha: 0.668, beta: 3.806 }) = { retentionPerPeriod: 0.8507, retentionHeterogeneity: 0.1827 }
 * (the "high end" parameters of Fader & Hardie 2007).
 */
export function retentionFromSbg(
  params: SbgParams,
): Pick<WhatIfInputs, 'retentionPerPeriod' | 'retentionHeterogeneity'> {
  const s = params.alpha + params.beta;
  return { retentionPerPeriod: params.beta / s, retentionHeterogeneity: 1 / (s + 1) };
}

/** Per-period discount rate from an annual one: (1 + d)^(periodMonths/12) − 1. Example: (0.1, 1) -> 0.0079741. */
export function periodDiscountRate(annualDiscountRate: number, periodMonths: number): number {
  // expm1/log1p: (1 + d)^k − 1 without cancellation when d is tiny (a 1e-9 rate keeps all its digits).
  return Math.expm1((periodMonths / 12) * Math.log1p(annualDiscountRate));
}
