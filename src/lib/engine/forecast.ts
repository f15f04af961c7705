/**
 * Forecast cell engine: per-customer CLV from the fitted purchase and spend models, applied to each customer's
 * history as of the observation end (parameters are per unit of time, so the calibration-period fit carries
 * over), with seeded Monte Carlo intervals (per customer on demand for big bases) and an analytic + sampled
 * interval of the total. Units are explicit: the horizon is in months and converted to the
 * data's unit with a month of 365.25 / 12 days; the discount rate is annual (per 365.25 days).
 */
import { cachedRfm } from './rfmCache.ts';
import type { RfmSummary, Transactions } from '../data/types.ts';
import {
  discountSteps,
  drawParameters,
  predictClv,
  rowPredictions,
  simulateCustomerClv,
  toPurchaseModel,
  type PurchaseModel,
  type SpendModel,
} from '../models/clv.ts';
import { compressRfm, type CompressedRfm } from '../models/bgNbd.ts';
import { ggConditionalExpectedSpend, ggPopulationMeanSpend } from '../models/gammaGamma.ts';
import { Rng } from '../sim/rng.ts';
import { quantileSorted } from '../sim/quantile.ts';
import { bgbbPredictCustomers } from '../models/bgbb.ts';
import type { BgBbParams, FitReport, GammaGammaParams } from '../models/types.ts';
import { forecastSummary } from './distribution.ts';
import type { OnProgress } from './progress.ts';
import type { AnyDatasetPayload, BgBbPayload, DatasetPayload, ForecastResult } from './types.ts';
import { EAGER_INTERVAL_CUSTOMERS, INTERVAL_WORLDS, TOTAL_PROCESS_SAMPLE } from './types.ts';

const DAYS_PER_MONTH = 365.25 / 12;
const DAYS_PER_YEAR = 365.25;

export { EAGER_INTERVAL_CUSTOMERS, INTERVAL_WORLDS, TOTAL_PROCESS_SAMPLE };

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
  /** Compute the interval of the customer-base total (default true); false leaves totalLow/High NaN. */
  totalInterval?: boolean;
}

/** The RFM summary at the observation end (shared with the other cells: rfmCache.ts). */
function rfmAtObservationEnd(d: DatasetPayload): RfmSummary {
  return cachedRfm(d.transactions as Transactions, { unit: d.unit, observationEnd: d.observationEnd });
}

/** Horizon and discounting in the data's time unit, as predictClv takes them. */
function clvSettings(
  horizonMonths: number,
  annualDiscount: number,
  margin: number,
  daysPerUnit: number,
): { horizon: number; discountRate: number; discountPeriod: number; margin: number } {
  return {
    horizon: (horizonMonths * DAYS_PER_MONTH) / daysPerUnit,
    discountRate: annualDiscount,
    discountPeriod: DAYS_PER_YEAR / daysPerUnit,
    margin,
  };
}

/** Per-customer CLV (intervals with it up to EAGER_INTERVAL_CUSTOMERS), and the customer-base total with its interval. */
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
  const rfm = d.kind === 'rfm' ? (d.current ?? d) : rfmAtObservationEnd(d);
  if (!rfm.monetaryValue)
    throw new Error(
      d.kind === 'rfm'
        ? 'the CLV forecast needs a monetary_value column in the RFM file (mean spend per repeat purchase)'
        : 'the CLV forecast needs an amount column: map one in the data cell',
    );
  const margin = input.margin ?? 1;
  const interval = input.interval ?? 0.8;
  const settings = clvSettings(input.horizonMonths, input.annualDiscount, margin, d.daysPerUnit);
  onProgress?.(0.2, 'predict');
  const purchase = toPurchaseModel(model, input.purchase.params, input.purchase.covariance);
  const spendModel: SpendModel = {
    params: input.spend.params as unknown as GammaGammaParams,
    covariance: input.spend.covariance,
  };
  // Customers first seen on the observation end have T = 0 (no time observed): valued as new customers, with
  // T = 1e-9 units (the predictions are continuous in T; this changes them by ~1e-9 relative).
  const T = rfm.T.some((t) => t === 0) ? rfm.T.map((t) => (t === 0 ? 1e-9 : t)) : rfm.T;
  const data = { frequency: rfm.frequency, recency: rfm.recency, T, monetaryValue: rfm.monetaryValue };
  const n = data.frequency.length;
  const eager = n <= EAGER_INTERVAL_CUSTOMERS;
  const compressed = compressRfm(data, 'the CLV forecast');
  const res = predictClv(purchase, data, spendModel, {
    ...settings,
    interval: eager ? interval : 0,
    seed: input.seed,
    compressed,
  });
  const clv = res.clv!;
  let total = 0;
  for (let i = 0; i < n; i++) total += clv[i];
  let band = { low: NaN, high: NaN };
  if (input.totalInterval !== false) {
    onProgress?.(0.6, 'interval of the total');
    band = totalInterval(
      purchase,
      spendModel,
      data,
      settings,
      total,
      interval,
      input.seed,
      compressed,
      res.discountedPurchases,
    );
  }
  const byValue = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => clv[a] - clv[b] || a - b);
  onProgress?.(1, 'done');
  const unit = ({ day: 'days', week: 'weeks', month: 'months' } as const)[d.unit];
  return {
    ids: rfm.customerIds,
    clv,
    clvLow: eager ? res.clvLow : null,
    clvHigh: eager ? res.clvHigh : null,
    clvMedian: eager ? (res.clvMedian ?? null) : null,
    pAlive: res.pAlive,
    expectedPurchases: res.expectedPurchases,
    expectedSpend: res.expectedSpend ?? new Float64Array(0),
    byValue,
    summary: forecastSummary(clv, res.pAlive, { order: byValue }),
    history: {
      frequency: Float64Array.from(rfm.frequency),
      recency: Float64Array.from(rfm.recency),
      T: Float64Array.from(rfm.T),
      monetaryValue: Float64Array.from(rfm.monetaryValue),
      unit,
    },
    total,
    totalLow: band.low,
    totalHigh: band.high,
    mean: total / n,
    horizonMonths: input.horizonMonths,
    interval,
    note: `discounted ${margin === 1 ? 'revenue' : `gross margin (${Math.round(margin * 100)}%)`} over ${input.horizonMonths} months at ${(input.annualDiscount * 100).toFixed(1)}% a year; ${Math.round(interval * 100)}% intervals`,
  };
}

/** Input of `forecastIntervals`: the forecast's settings and the histories of the customers wanted. */
export interface ForecastIntervalsInput {
  purchase: FitReport;
  spend: FitReport;
  horizonMonths: number;
  annualDiscount: number;
  margin?: number;
  seed: number;
  interval?: number;
  daysPerUnit: number;
  /** Calibration histories (x, t_x, T in the data's unit, mean repeat spend), one per customer wanted. */
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetaryValue: Float64Array;
}

/** A 32-bit stream number from a customer's history, so the same history always gets the same worlds. */
function historyStream(x: number, tx: number, T: number, zbar: number): number {
  const f = new Float64Array([x, tx, T, zbar]);
  const u = new Uint32Array(f.buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 0x01000193);
  return h >>> 0;
}

/**
 * Per-customer prediction intervals on demand (for the rows a table shows, or all of them for a download):
 * INTERVAL_WORLDS simulated worlds per customer (simulateCustomerClv: parameter draws from the MLE's
 * asymptotic normal, the customer's latent state, purchases and spends), equal-tailed quantiles. Seeded by
 * the forecast seed and the customer's history, so a row shows the same interval whenever it is asked for.
 */
export function forecastIntervals(
  input: ForecastIntervalsInput,
  onProgress?: OnProgress,
): { low: Float64Array; high: Float64Array } {
  const model = input.purchase.model;
  if (model !== 'bgnbd' && model !== 'pnbd' && model !== 'mbgnbd')
    throw new Error(
      `per-customer intervals need a BG/NBD, Pareto/NBD or MBG/NBD purchase model (got ${model})`,
    );
  const purchase = toPurchaseModel(model, input.purchase.params, input.purchase.covariance);
  const sp = input.spend.params as unknown as GammaGammaParams;
  const s = clvSettings(input.horizonMonths, input.annualDiscount, input.margin ?? 1, input.daysPerUnit);
  const level = input.interval ?? 0.8;
  const o = { H: s.horizon, rho: Math.log1p(s.discountRate) / s.discountPeriod, margin: s.margin };
  const { thetas, spends } = worlds(purchase, { params: sp, covariance: input.spend.covariance }, input.seed);
  const n = input.frequency.length;
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  const values = new Float64Array(INTERVAL_WORLDS);
  const cr = Rng.fromSeed(input.seed);
  for (let i = 0; i < n; i++) {
    if (i % 2048 === 0) onProgress?.(i / n, 'intervals');
    const x = input.frequency[i];
    const tx = x > 0 ? input.recency[i] : 0;
    const zbar = x > 0 ? input.monetaryValue[i] : 0;
    cr.reseed(input.seed, historyStream(x, tx, input.T[i], zbar));
    simulateCustomerClv(purchase.model, thetas, spends, x, tx, input.T[i], zbar, o, cr, values);
    values.sort();
    low[i] = quantileSorted(values, (1 - level) / 2);
    high[i] = quantileSorted(values, 1 - (1 - level) / 2);
  }
  onProgress?.(1, 'done');
  return { low, high };
}

/** The parameter draws of the simulated worlds (purchase and spend), as predictClv's intervals draw them. */
function worlds(
  purchase: PurchaseModel,
  spend: SpendModel,
  seed: number,
): { thetas: number[][]; spends: number[][] } {
  const rng = Rng.fromSeed(seed, 0x7fffffff);
  const names = purchase.model === 'pnbd' ? ['r', 'alpha', 's', 'beta'] : ['r', 'alpha', 'a', 'b'];
  const pv = names.map((k) => (purchase.params as unknown as Record<string, number>)[k]);
  const notes: string[] = [];
  const thetas = drawParameters(pv, purchase.covariance, INTERVAL_WORLDS, rng, 'purchase model', notes);
  const gv = [spend.params.p, spend.params.q, spend.params.gamma];
  const spends = drawParameters(gv, spend.covariance, INTERVAL_WORLDS, rng, 'spend model', notes);
  return { thetas, spends };
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
  const clv = Float64Array.from(res.dert!, valueOf);
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
  const pAlive = Float64Array.from(res.probabilityAlive);
  const weights = Float64Array.from(d.weights);
  onProgress?.(1, 'done');
  return {
    ids: Array.from({ length: rows }, (_, i) => `x=${d.frequency[i]} t_x=${d.recency[i]} n=${d.periods[i]}`),
    clv,
    clvLow: Float64Array.from(perRow, (a) => q(a, lo)),
    clvHigh: Float64Array.from(perRow, (a) => q(a, hi)),
    clvMedian: Float64Array.from(perRow, (a) => q(a, 0.5)),
    pAlive,
    expectedPurchases: Float64Array.from(res.expectedTransactions),
    expectedSpend: d.value ? Float64Array.from(d.value) : new Float64Array(0),
    total,
    totalLow: Math.min(total, q(totals, lo)),
    totalHigh: Math.max(total, q(totals, hi)),
    mean: total / customers,
    horizonMonths: input.horizonMonths,
    valueUnit: money ? 'money' : 'transactions',
    weights,
    summary: forecastSummary(clv, pAlive, { weights }),
    interval,
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
 * Interval of the customer-base total. Customers share the parameters, so their values are correlated through
 * parameter uncertainty and independent through the purchase process; the two parts are combined in quadrature
 * on each side of the point estimate.
 * - Parameter part, analytic (delta method on log parameters): Var(log total) = gᵀ Cov(log θ) g with
 *   g = ∂ log total / ∂ log θ by forward differences (step 1e-4), purchase and spend fits independent; the
 *   part is lognormal, exp(±z·sd). The total under other parameters is exact on the distinct (x, t_x, T)
 *   histories, as E[spend | x, z̄] is affine in z̄ (Gamma-Gamma, eq. 5): 5 predictions of discounted
 *   purchases (the spend parameters only rescale them), whatever the number of customers.
 * - Process part: a normal approximation of the sum of independent customers, Σ Var(value_i), each variance
 *   from INTERVAL_WORLDS simulated worlds (which also hold parameter noise, so this errs wide); up to 5,000
 *   customers all of them, beyond that TOTAL_PROCESS_SAMPLE customers drawn with the seed, scaled to all.
 */
function totalInterval(
  purchase: PurchaseModel,
  spend: SpendModel,
  data: {
    frequency: ArrayLike<number>;
    recency: ArrayLike<number>;
    T: ArrayLike<number>;
    monetaryValue: ArrayLike<number>;
  },
  settings: { horizon: number; discountRate: number; discountPeriod: number; margin: number },
  total: number,
  level: number,
  seed: number,
  /** compressRfm(data): the distinct histories (also the forecast's). */
  g: CompressedRfm,
  /** The forecast's discounted expected purchases per customer under the fitted parameters. */
  discounted: Float64Array,
): { low: number; high: number } {
  const z = normalQuantile(0.5 + level / 2);
  const n = data.frequency.length;
  // Distinct histories, with the summed mean spend of their customers.
  const rows = g.x.length;
  const sumM = new Float64Array(rows);
  for (let i = 0; i < n; i++) if (data.frequency[i] > 0) sumM[g.rowOf[i]] += data.monetaryValue[i];
  const { dt, weights } = discountSteps(
    settings.horizon,
    Math.log1p(settings.discountRate) / settings.discountPeriod,
  );
  const det = (m: PurchaseModel) => rowPredictions(m, g, dt, weights).discountedRow;
  const totalOf = (dp: Float64Array, sp: GammaGammaParams) => {
    let t = 0;
    for (let j = 0; j < rows; j++) {
      const x = g.x[j];
      const spendSum =
        x > 0
          ? ggConditionalExpectedSpend(sp, x, sumM[j] / g.w[j]) * g.w[j]
          : g.w[j] * ggPopulationMeanSpend(sp);
      t += dp[j] * spendSum;
    }
    return settings.margin * t;
  };
  // Under the fitted parameters the forecast has them already (same value for every customer of a row).
  const base = new Float64Array(rows);
  for (let i = 0; i < n; i++) base[g.rowOf[i]] = discounted[i];
  const logBase = Math.log(totalOf(base, spend.params));
  const h = 1e-4;
  let varLog = 0;
  const names = purchase.model === 'pnbd' ? ['r', 'alpha', 's', 'beta'] : ['r', 'alpha', 'a', 'b'];
  const pv = names.map((k) => (purchase.params as unknown as Record<string, number>)[k]);
  const logCov = (cov: number[][] | undefined, v: number[]) =>
    cov && cov.length === v.length && cov.every((r) => r.every(Number.isFinite))
      ? cov.map((r, i) => r.map((c, j) => c / (v[i] * v[j])))
      : null;
  const pCov = logCov(purchase.covariance, pv);
  if (pCov) {
    const grad = pv.map((_, k) => {
      const q = pv.map((v, j) => (j === k ? v * Math.exp(h) : v));
      const m = toPurchaseModel(purchase.model, Object.fromEntries(names.map((nm, j) => [nm, q[j]])));
      return (Math.log(totalOf(det(m), spend.params)) - logBase) / h;
    });
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) varLog += grad[i] * pCov[i][j] * grad[j];
  }
  const sv = [spend.params.p, spend.params.q, spend.params.gamma];
  const sCov = logCov(spend.covariance, sv);
  if (sCov) {
    const grad = sv.map((_, k) => {
      const q = sv.map((v, j) => (j === k ? v * Math.exp(h) : v));
      return (Math.log(totalOf(base, { p: q[0], q: q[1], gamma: q[2] })) - logBase) / h;
    });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) varLog += grad[i] * sCov[i][j] * grad[j];
  }
  const sdLog = Number.isFinite(varLog) && varLog > 0 ? Math.sqrt(varLog) : 0;
  const loParam = total * (1 - Math.exp(-z * sdLog));
  const hiParam = total * (Math.exp(z * sdLog) - 1);

  // Process part.
  const { thetas, spends } = worlds(purchase, spend, seed);
  const o = {
    H: settings.horizon,
    rho: Math.log1p(settings.discountRate) / settings.discountPeriod,
    margin: settings.margin,
  };
  const all = n <= 5_000;
  const picks = all ? n : TOTAL_PROCESS_SAMPLE;
  const pickRng = Rng.fromSeed(seed, 0x5fffffff);
  const cr = Rng.fromSeed(seed);
  const values = new Float64Array(INTERVAL_WORLDS);
  let sumVar = 0;
  for (let k = 0; k < picks; k++) {
    const i = all ? k : Math.min(n - 1, Math.floor(pickRng.uniform() * n));
    const x = data.frequency[i];
    const tx = x > 0 ? data.recency[i] : 0;
    const zbar = x > 0 ? data.monetaryValue[i] : 0;
    cr.reseed(seed, historyStream(x, tx, data.T[i], zbar));
    simulateCustomerClv(purchase.model, thetas, spends, x, tx, data.T[i], zbar, o, cr, values);
    let mean = 0;
    for (const v of values) mean += v;
    mean /= values.length;
    let v2 = 0;
    for (const v of values) v2 += (v - mean) * (v - mean);
    sumVar += v2 / (values.length - 1);
  }
  const proc = z * Math.sqrt((sumVar * n) / picks);
  return {
    low: Math.max(0, total - Math.hypot(loParam, proc)),
    high: total + Math.hypot(hiParam, proc),
  };
}
