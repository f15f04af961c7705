/**
 * Forecast cell engine: per-customer CLV from the fitted purchase and spend models, applied to each customer's
 * history as of the observation end (parameters are per unit of time, so the calibration-period fit carries
 * over), with seeded Monte Carlo intervals. Units are explicit: the horizon is in months and converted to the
 * data's unit with a month of 365.25 / 12 days; the discount rate is annual (per 365.25 days).
 */
import { rfmSummary } from '../data/index.ts';
import type { Transactions } from '../data/types.ts';
import {
  drawParameters,
  predictClv,
  toPurchaseModel,
  type PurchaseModel,
  type SpendModel,
} from '../models/clv.ts';
import { Rng } from '../sim/rng.ts';
import { bgbbPredictCustomers } from '../models/bgbb.ts';
import type { BgBbParams, FitReport, GammaGammaParams } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type { AnyDatasetPayload, BgBbPayload, ForecastResult } from './types.ts';

const DAYS_PER_MONTH = 365.25 / 12;
const DAYS_PER_YEAR = 365.25;

export interface ForecastInput {
  data: AnyDatasetPayload;
  purchase: FitReport;
  /** Gamma-Gamma fit; not needed for a BG/BB table (its value column, or transactions, give the value). */
  spend?: FitReport;
  horizonMonths: number;
  /** Annual discount rate, e.g. 0.1 = 10% a year. */
  annualDiscount: number;
  /** Gross margin as a fraction of revenue (default 1: CLV in revenue). */
  margin?: number;
  seed: number;
  /** Central probability of the intervals (default 0.8: P10–P90). */
  interval?: number;
}

/** Per-customer CLV with intervals, and the customer-base total with its interval. */
export function forecastClv(input: ForecastInput, onProgress?: OnProgress): ForecastResult {
  const d = input.data;
  const model = input.purchase.model;
  if (!(input.horizonMonths > 0))
    throw new Error(`the horizon must be at least one month (got ${input.horizonMonths})`);
  if (d.kind === 'bgbb') {
    if (model !== 'bgbb')
      throw new Error(`a BG/BB table needs the BG/BB purchase model for the forecast (got ${model})`);
    return forecastBgBb(d, input, onProgress);
  }
  if (d.kind === 'survival')
    throw new Error(
      'the CLV forecast needs per-customer purchases (transactions or an RFM table); a survival table feeds the retention cell only',
    );
  if (model !== 'bgnbd' && model !== 'pnbd' && model !== 'mbgnbd') {
    throw new Error(`the CLV forecast needs a BG/NBD, Pareto/NBD or MBG/NBD purchase model (got ${model})`);
  }
  if (!input.spend) throw new Error('the CLV forecast needs the spend model (Gamma-Gamma) above it');
  onProgress?.(0.05, 'RFM summary');
  const rfm =
    d.kind === 'rfm'
      ? { ...d, customerIds: d.customerIds }
      : rfmSummary(d.transactions as Transactions, { unit: d.unit, observationEnd: d.observationEnd });
  if (!rfm.monetaryValue)
    throw new Error(
      d.kind === 'rfm'
        ? 'the CLV forecast needs a monetary_value column in the RFM file (mean spend per repeat purchase)'
        : 'the CLV forecast needs an amount column: map one in the data cell',
    );
  const horizon = (input.horizonMonths * DAYS_PER_MONTH) / d.daysPerUnit;
  const margin = input.margin ?? 1;
  const interval = input.interval ?? 0.8;
  onProgress?.(0.2, 'predict');
  const purchase = toPurchaseModel(model, input.purchase.params, input.purchase.covariance);
  const spendModel: SpendModel = {
    params: input.spend.params as unknown as GammaGammaParams,
    covariance: input.spend.covariance,
  };
  const data = { frequency: rfm.frequency, recency: rfm.recency, T: rfm.T, monetaryValue: rfm.monetaryValue };
  const settings = {
    horizon,
    discountRate: input.annualDiscount,
    discountPeriod: DAYS_PER_YEAR / d.daysPerUnit,
    margin,
  };
  const res = predictClv(purchase, data, spendModel, { ...settings, interval, seed: input.seed });
  onProgress?.(0.9, 'totals');
  const clv = Array.from(res.clv!);
  const low = Array.from(res.clvLow ?? res.clv!);
  const high = Array.from(res.clvHigh ?? res.clv!);
  const total = clv.reduce((a, b) => a + b, 0);
  const band = totalInterval(
    purchase,
    spendModel,
    data,
    settings,
    total,
    low,
    high,
    interval,
    input.seed,
    onProgress,
  );
  onProgress?.(1, 'done');
  return {
    ids: rfm.customerIds,
    clv,
    clvLow: low,
    clvHigh: high,
    clvMedian: Array.from(res.clvMedian ?? res.clv!),
    pAlive: Array.from(res.pAlive),
    expectedPurchases: Array.from(res.expectedPurchases),
    expectedSpend: Array.from(res.expectedSpend ?? []),
    total,
    totalLow: band.low,
    totalHigh: band.high,
    mean: total / clv.length,
    horizonMonths: input.horizonMonths,
    note: `discounted ${margin === 1 ? 'revenue' : `gross margin (${Math.round(margin * 100)}%)`} over ${input.horizonMonths} months at ${(input.annualDiscount * 100).toFixed(1)}% a year; ${Math.round(interval * 100)}% intervals`,
  };
}

/**
 * BG/BB forecast per row of the table (Fader, Hardie & Shang 2010): P(alive) at the next opportunity (eq. 11),
 * expected transactions over the horizon's opportunities (eq. 13) and DERT (eq. 14) at the discount rate per
 * opportunity. Value = DERT × value per transaction × margin when the table has a value column, else DERT
 * itself (discounted expected transactions). Intervals: quantiles over parameter draws from the asymptotic
 * normal of the MLE (parameter uncertainty only).
 */
function forecastBgBb(d: BgBbPayload, input: ForecastInput, onProgress?: OnProgress): ForecastResult {
  if (!(input.annualDiscount > 0))
    throw new Error(
      'the BG/BB residual value (DERT) needs a discount rate above 0%: with no discounting the expected number of future transactions can be infinite',
    );
  const perYear = d.opportunitiesPerYear;
  const rate = Math.pow(1 + input.annualDiscount, 1 / perYear) - 1;
  const nStar = Math.max(1, Math.round((input.horizonMonths / 12) * perYear));
  const margin = input.margin ?? 1;
  const interval = input.interval ?? 0.8;
  const data = { frequency: d.frequency, recency: d.recency, periods: d.periods };
  const params = input.purchase.params as unknown as BgBbParams;
  onProgress?.(0.2, 'predict');
  const res = bgbbPredictCustomers(params, data, nStar, rate);
  const rows = d.frequency.length;
  const valueOf = (dert: number, i: number) => (d.value ? dert * d.value[i] * margin : dert);
  const clv = Array.from(res.dert!, valueOf);
  // Parameter uncertainty: per-row and total quantiles over draws.
  const draws = 100;
  const rng = Rng.fromSeed(input.seed, 0x2fffffff);
  const notes: string[] = [];
  const pv = [params.alpha, params.beta, params.gamma, params.delta];
  const thetas = drawParameters(pv, input.purchase.covariance, draws, rng, 'purchase model', notes);
  const perRow: number[][] = Array.from({ length: rows }, () => []);
  const totals: number[] = [];
  for (let w = 0; w < draws; w++) {
    onProgress?.(0.3 + (0.6 * w) / draws, 'intervals');
    const [alpha, beta, gamma, delta] = thetas[w];
    const r = bgbbPredictCustomers({ alpha, beta, gamma, delta }, data, nStar, rate);
    let t = 0;
    for (let i = 0; i < rows; i++) {
      const v = valueOf(r.dert![i], i);
      perRow[i].push(v);
      t += d.weights[i] * v;
    }
    totals.push(t);
  }
  const q = (a: number[], p: number) => {
    const s = [...a].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
  };
  const lo = (1 - interval) / 2;
  const hi = 1 - lo;
  let total = 0;
  let customers = 0;
  for (let i = 0; i < rows; i++) {
    total += d.weights[i] * clv[i];
    customers += d.weights[i];
  }
  const money = d.value !== null;
  onProgress?.(1, 'done');
  return {
    ids: Array.from({ length: rows }, (_, i) => `x=${d.frequency[i]} t_x=${d.recency[i]} n=${d.periods[i]}`),
    clv,
    clvLow: perRow.map((a) => q(a, lo)),
    clvHigh: perRow.map((a) => q(a, hi)),
    clvMedian: perRow.map((a) => q(a, 0.5)),
    pAlive: Array.from(res.probabilityAlive),
    expectedPurchases: Array.from(res.expectedTransactions),
    expectedSpend: d.value ? Array.from(d.value) : [],
    total,
    totalLow: Math.min(total, q(totals, lo)),
    totalHigh: Math.max(total, q(totals, hi)),
    mean: total / customers,
    horizonMonths: input.horizonMonths,
    valueUnit: money ? 'money' : 'transactions',
    weights: Array.from(d.weights),
    note: money
      ? `BG/BB: discounted expected residual transactions (DERT, whole remaining lifetime) × value per transaction${margin === 1 ? '' : ` × margin ${Math.round(margin * 100)}%`} at ${(input.annualDiscount * 100).toFixed(1)}% a year; expected transactions over the next ${nStar} opportunit${nStar === 1 ? 'y' : 'ies'}; ${Math.round(interval * 100)}% intervals (parameter uncertainty)`
      : `BG/BB without a value column: values are discounted expected residual transactions (DERT, whole remaining lifetime) at ${(input.annualDiscount * 100).toFixed(1)}% a year, not money; expected transactions over the next ${nStar} opportunit${nStar === 1 ? 'y' : 'ies'}; ${Math.round(interval * 100)}% intervals (parameter uncertainty)`,
  };
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). Example: normalQuantile(0.9) = 1.2816. */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Interval of the customer-base total. Customers share the parameters, so their values are correlated
 * through parameter uncertainty and independent through the purchase process. Parameter part: the analytic
 * total under `draws` parameter vectors from the asymptotic normal of the MLE (equal-tailed quantiles).
 * Process part: a normal approximation of the sum of independent customers, each customer's spread read
 * from its own simulated interval (which also holds parameter noise, so this errs wide). The two half-widths
 * are combined in quadrature on each side of the point estimate.
 */
function totalInterval(
  purchase: PurchaseModel,
  spend: SpendModel,
  data: Parameters<typeof predictClv>[1],
  settings: { horizon: number; discountRate: number; discountPeriod: number; margin: number },
  total: number,
  low: readonly number[],
  high: readonly number[],
  level: number,
  seed: number,
  onProgress?: OnProgress,
): { low: number; high: number } {
  const z = normalQuantile(0.5 + level / 2);
  let processVar = 0;
  for (let i = 0; i < low.length; i++) {
    const sd = (high[i] - low[i]) / (2 * z);
    processVar += sd * sd;
  }
  const draws = data.frequency.length > 200_000 ? 20 : 60;
  const rng = Rng.fromSeed(seed, 0x3fffffff);
  const names = purchase.model === 'pnbd' ? ['r', 'alpha', 's', 'beta'] : ['r', 'alpha', 'a', 'b'];
  const pv = names.map((k) => (purchase.params as unknown as Record<string, number>)[k]);
  const notes: string[] = [];
  const thetas = drawParameters(pv, purchase.covariance, draws, rng, 'purchase model', notes);
  const spends = drawParameters(
    [spend.params.p, spend.params.q, spend.params.gamma],
    spend.covariance,
    draws,
    rng,
    'spend model',
    notes,
  );
  const totals: number[] = [];
  for (let w = 0; w < draws; w++) {
    onProgress?.(0.9 + (0.1 * w) / draws, 'interval of the total');
    const params = Object.fromEntries(names.map((k, j) => [k, thetas[w][j]]));
    const m = toPurchaseModel(purchase.model, params);
    const [p, q, gamma] = spends[w];
    // q <= 1 has no finite mean spend: such a draw says "unbounded", so it pushes the top of the interval.
    const res = predictClv(m, data, { params: { p, q, gamma } }, settings);
    let t = 0;
    for (const v of res.clv!) t += v;
    totals.push(Number.isFinite(t) ? t : Infinity);
  }
  totals.sort((a, b) => a - b);
  const at = (p: number) =>
    totals[Math.min(totals.length - 1, Math.max(0, Math.round(p * (totals.length - 1))))];
  const loParam = Math.max(0, total - at((1 - level) / 2));
  const hiParam = Math.max(0, at(1 - (1 - level) / 2) - total);
  const proc = z * Math.sqrt(processVar);
  return {
    low: Math.max(0, total - Math.hypot(loParam, proc)),
    high: total + Math.hypot(hiParam, proc),
  };
}
