/**
 * Purchase cell engine: fits BG/NBD, Pareto/NBD or MBG/NBD on the calibration period and builds the
 * diagnostics of Fader, Hardie & Lee (2005) — calibration/holdout tracking of cumulative repeat transactions,
 * conditional expectations vs actuals by calibration frequency, P(alive) by frequency × recency — plus a
 * holdout scorecard against a naive baseline and a comparison table of all three models.
 */
import { customerGroups } from '../data/index.ts';
import { cachedRfm } from './rfmCache.ts';
import type { RfmSummary, Transactions } from '../data/types.ts';
import { MODELS } from '../models/registry.ts';
import {
  bgNbdExpectedPurchases,
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  compressRfm,
} from '../models/bgNbd.ts';
import {
  paretoNbdExpectedPurchases,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdProbabilityAlive,
} from '../models/paretoNbd.ts';
import {
  mbgNbdExpectedPurchases,
  mbgNbdConditionalExpectedPurchases,
  mbgNbdProbabilityAlive,
} from '../models/mbgNbd.ts';
import {
  fitBgBb,
  bgbbConditionalExpectedTransactions,
  bgbbProbabilityAlive,
  bgbbProbabilityOfTransactions,
} from '../models/bgbb.ts';
import type { BgBbParams, BgNbdParams, FitReport, ParetoNbdParams } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type {
  AnyDatasetPayload,
  BgBbPayload,
  CustomersUsed,
  DatasetPayload,
  ExclusionReason,
  PurchaseResult,
  RfmPayload,
  Scorecard,
} from './types.ts';
import { isoDate } from '../data/dates.ts';
import { CONDITIONAL_CAP, PURCHASE_MODEL_NAMES, type PurchaseModelName } from './types.ts';

/** Continuous-time models (RFM data: x, t_x, T) and BG/BB (discrete opportunities: x, t_x, n). */
export type { PurchaseModelName };
type ContinuousModel = Exclude<PurchaseModelName, 'bgbb'>;

/** The three predictions the diagnostics need, for one fitted model; times in the data's unit. */
export interface PurchasePredictor {
  /** E[X(t)] for a customer who made their first purchase t units ago. */
  expected(t: number): number;
  /** E[Y(t) | x, t_x, T]: expected purchases in the next t units. */
  conditional(t: number, x: number, tx: number, T: number): number;
  /** P(alive | x, t_x, T) now. */
  pAlive(x: number, tx: number, T: number): number;
}

/** Fits one purchase model to RFM columns (through the registry the CLI uses too). */
export function fitPurchase(
  model: ContinuousModel,
  rfm: Pick<RfmSummary, 'frequency' | 'recency' | 'T'>,
  penalizer = 0,
): FitReport {
  return MODELS[model].fit(
    { kind: 'rfm', frequency: rfm.frequency, recency: rfm.recency, T: rfm.T },
    { penalizer },
  );
}

/** The predictor of a fitted purchase model. */
export function predictor(model: ContinuousModel, params: Record<string, number>): PurchasePredictor {
  if (model === 'pnbd') {
    const p = params as unknown as ParetoNbdParams;
    return {
      expected: (t) => paretoNbdExpectedPurchases(p, t),
      conditional: (t, x, tx, T) => paretoNbdConditionalExpectedPurchases(p, t, x, tx, T),
      pAlive: (x, tx, T) => paretoNbdProbabilityAlive(p, x, tx, T),
    };
  }
  const p = params as unknown as BgNbdParams;
  if (model === 'mbgnbd')
    return {
      expected: (t) => mbgNbdExpectedPurchases(p, t),
      conditional: (t, x, tx, T) => mbgNbdConditionalExpectedPurchases(p, t, x, tx, T),
      pAlive: (x, tx, T) => mbgNbdProbabilityAlive(p, x, tx, T),
    };
  return {
    expected: (t) => bgNbdExpectedPurchases(p, t),
    conditional: (t, x, tx, T) => bgNbdConditionalExpectedPurchases(p, t, x, tx, T),
    pAlive: (x, tx, T) => bgNbdProbabilityAlive(p, x, tx, T),
  };
}

/**
 * Cumulative repeat transactions (same-day purchases merged) at the end of each period 1..K since the first
 * purchase in the data, actual and expected (Σ over customers of E[X(age)], customers grouped by first day).
 */
export function trackingCurves(
  tx: Transactions,
  daysPerUnit: number,
  calibrationEnd: number,
  observationEnd: number,
  pred: PurchasePredictor,
): PurchaseResult['tracking'] {
  const g = customerGroups(tx);
  const C = tx.customerIds.length;
  const start = g.minDay;
  const K = Math.max(1, Math.ceil((observationEnd - start + 1) / daysPerUnit));
  const repeatsIn = new Float64Array(K + 1);
  const firstDays = new Map<number, number>();
  for (let c = 0; c < C; c++) {
    const a = g.start[c];
    const b = g.start[c + 1];
    if (a === b) continue;
    const f = g.sortedDay[a];
    // Only customers acquired before the calibration end, as in the fitted model (the others are holdout only).
    if (f >= calibrationEnd) continue;
    firstDays.set(f, (firstDays.get(f) ?? 0) + 1);
    let prev = f;
    for (let j = a + 1; j < b; j++) {
      const d = g.sortedDay[j];
      if (d === prev || d > observationEnd) continue;
      prev = d;
      const k = Math.floor((d - start) / daysPerUnit) + 1;
      if (k <= K) repeatsIn[k]++;
    }
  }
  const period: number[] = [];
  const actual: number[] = [];
  const predicted: number[] = [];
  let cum = 0;
  for (let k = 1; k <= K; k++) {
    cum += repeatsIn[k];
    const endDay = Math.min(start + k * daysPerUnit - 1, observationEnd);
    let e = 0;
    for (const [f, n] of firstDays) if (endDay > f) e += n * pred.expected((endDay - f) / daysPerUnit);
    period.push(k);
    actual.push(cum);
    predicted.push(e);
  }
  return { period, actual, predicted, calibrationEnd: (calibrationEnd - start + 1) / daysPerUnit };
}

function score(pred: ArrayLike<number>, actual: ArrayLike<number>): Scorecard {
  let abs = 0;
  let sq = 0;
  let diff = 0;
  const n = actual.length;
  for (let i = 0; i < n; i++) {
    const e = pred[i] - actual[i];
    abs += Math.abs(e);
    sq += e * e;
    diff += e;
  }
  return { mae: abs / n, rmse: Math.sqrt(sq / n), bias: diff / n, totalError: diff };
}

/** Holdout predictions per customer: E[Y(duration_i) | calibration x, t_x, T] (duration per customer or one for all). */
function holdoutPredictions(
  cols: RfmColumns,
  duration: number | ArrayLike<number>,
  pred: PurchasePredictor,
): Float64Array {
  const out = new Float64Array(cols.frequency.length);
  const n = out.length;
  // One holdout length for everyone (a transaction log): one prediction per distinct (x, t_x, T).
  let t0 = typeof duration === 'number' ? duration : n ? duration[0] : 0;
  if (typeof duration !== 'number')
    for (let i = 1; i < n && Number.isFinite(t0); i++) if (duration[i] !== t0) t0 = NaN;
  if (Number.isFinite(t0) && n > 0) {
    const g = compressRfm(cols, 'the holdout predictions');
    const rows = new Float64Array(g.x.length);
    for (let r = 0; r < rows.length; r++) rows[r] = pred.conditional(t0, g.x[r], g.tx[r], g.T[r]);
    for (let i = 0; i < n; i++) out[i] = rows[g.rowOf[i]];
    return out;
  }
  const memo = new Map<string, number>();
  for (let i = 0; i < out.length; i++) {
    const t = typeof duration === 'number' ? duration : duration[i];
    const key = `${cols.frequency[i]},${cols.recency[i]},${cols.T[i]},${t}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = pred.conditional(t, cols.frequency[i], cols.recency[i], cols.T[i]);
      memo.set(key, v);
    }
    out[i] = v;
  }
  return out;
}

/** Calibration columns x, t_x, T (data time units). */
type RfmColumns = Pick<RfmSummary, 'frequency' | 'recency' | 'T'>;
type Holdout = { frequency: Float64Array; duration: number | Float64Array };

/** The reasons in words, for error messages (the UI renders them from the codes). */
export const EXCLUSION_WORDS: Record<ExclusionReason, string> = {
  'holdout-only': 'first bought on or after the calibration end (holdout only)',
  'zero-age': 'T = 0 (first purchase at the end of the calibration period)',
  'zero-recency': 'repeat purchases with recency 0',
  'recency-above-age': 'recency greater than T',
  invalid: 'a value that is not a finite number >= 0',
  'no-repeat': 'no repeat purchase',
  'non-positive-spend': 'mean repeat spend <= 0',
};

/** "12 with T = 0 ..., 3 with ..." for error messages. */
export function exclusionText(excluded: CustomersUsed['excluded']): string {
  return excluded
    .map((e) => `${e.customers.toLocaleString('en-US')} with ${EXCLUSION_WORDS[e.reason]}`)
    .join(', ');
}

/**
 * The RFM rows a continuous-time purchase model can use (x >= 0, 0 <= t_x <= T, T > 0, t_x > 0 when x > 0, all
 * finite) and the others counted by reason, with the holdout columns kept in step. The same arrays come back
 * when every row is usable. Example: T = [0, 5], x = [0, 1], t_x = [0, 2] -> one row, { 'zero-age': 1 }.
 */
export function usableRfm(
  rfm: RfmColumns,
  holdout: Holdout | null,
): { rfm: RfmColumns; holdout: Holdout | null; excluded: Map<ExclusionReason, number> } {
  const n = rfm.frequency.length;
  const excluded = new Map<ExclusionReason, number>();
  const keep = new Uint8Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = rfm.frequency[i];
    const tx = rfm.recency[i];
    const T = rfm.T[i];
    let why: ExclusionReason | null = null;
    if (!(x >= 0 && tx >= 0 && T >= 0 && Number.isFinite(x + tx + T))) why = 'invalid';
    else if (T === 0) why = 'zero-age';
    else if (tx > T * (1 + 1e-9)) why = 'recency-above-age';
    else if (x > 0 && tx === 0) why = 'zero-recency';
    if (why) excluded.set(why, (excluded.get(why) ?? 0) + 1);
    else {
      keep[i] = 1;
      m++;
    }
  }
  if (m === n) return { rfm, holdout, excluded };
  const pick = (a: Float64Array) => {
    const out = new Float64Array(m);
    for (let i = 0, w = 0; i < n; i++) if (keep[i]) out[w++] = a[i];
    return out;
  };
  return {
    rfm: { frequency: pick(rfm.frequency), recency: pick(rfm.recency), T: pick(rfm.T) },
    holdout: holdout
      ? {
          frequency: pick(holdout.frequency),
          duration: typeof holdout.duration === 'number' ? holdout.duration : pick(holdout.duration),
        }
      : null,
    excluded,
  };
}

/** Who is fitted: the usable rows, plus customers outside the calibration RFM (holdout only). */
function customersUsed(
  used: number,
  total: number,
  excluded: Map<ExclusionReason, number>,
  holdoutOnly: number,
  calibrationEnd?: number,
): CustomersUsed {
  const list: CustomersUsed['excluded'] = [];
  if (holdoutOnly > 0) list.push({ reason: 'holdout-only', customers: holdoutOnly });
  for (const [reason, customers] of excluded) list.push({ reason, customers });
  return {
    used,
    total,
    excluded: list,
    ...(calibrationEnd !== undefined ? { calibrationEnd: isoDate(calibrationEnd) } : {}),
  };
}

const PARAM_COUNT: Record<PurchaseModelName, number> = { bgnbd: 4, pnbd: 4, mbgnbd: 4, bgbb: 4 };

/** Bayesian information criterion: −2 LL + k ln n. */
export function bic(logLikelihood: number, k: number, n: number): number {
  return -2 * logLikelihood + k * Math.log(n);
}

/**
 * Fits the chosen model and computes every diagnostic the dataset allows. Transactions: all of them.
 * A ready RFM table: fit, conditional expectations and scorecard when it has holdout columns, P(alive); no
 * tracking plot (no dates). A BG/BB table: BG/BB fit, P(alive) by x and t_x, frequency fit, holdout
 * comparison when the table has x*. Other combinations throw a message saying what is missing.
 */
export function fitPurchaseWithDiagnostics(
  input: { data: AnyDatasetPayload; model: PurchaseModelName; penalizer?: number },
  onProgress?: OnProgress,
): PurchaseResult {
  const d = input.data;
  const kind = d.kind ?? 'transactions';
  if (kind === 'bgbb') {
    if (input.model !== 'bgbb')
      throw new Error(
        `${PURCHASE_MODEL_NAMES[input.model]} needs continuous-time RFM data (frequency, recency, T); this dataset is a BG/BB table of discrete opportunities: choose BG/BB`,
      );
    return fitBgBbWithDiagnostics(d as BgBbPayload, input.penalizer ?? 0, onProgress);
  }
  if (kind === 'survival')
    throw new Error(
      'the purchase model needs per-customer purchases (a transaction log, an RFM or a BG/BB table); a survival table only feeds the retention cell',
    );
  if (input.model === 'bgbb')
    throw new Error(
      'BG/BB needs a table of discrete opportunities (frequency, recency, periods): load one in the data cell, or choose BG/NBD, Pareto/NBD or MBG/NBD',
    );
  const model = input.model;
  if (kind === 'rfm') {
    const r = d as RfmPayload;
    return continuousDiagnostics(
      model,
      r,
      r.holdout ? { frequency: r.holdout.frequency, duration: r.holdout.duration } : null,
      null,
      input.penalizer ?? 0,
      onProgress,
      'rfm',
      { total: r.frequency.length, holdoutOnly: 0 },
    );
  }
  const t = d as DatasetPayload;
  const tx = t.transactions as Transactions;
  onProgress?.(0.05, 'RFM summary');
  const rfm = cachedRfm(tx, {
    unit: t.unit,
    observationEnd: t.observationEnd,
    calibrationEnd: t.calibrationEnd,
  });
  const holdout = rfm.holdout!;
  return continuousDiagnostics(
    model,
    rfm,
    { frequency: holdout.frequency, duration: holdout.duration },
    (pred) => trackingCurves(tx, t.daysPerUnit, t.calibrationEnd, t.observationEnd, pred),
    input.penalizer ?? 0,
    onProgress,
    'transactions',
    { total: tx.customerIds.length, holdoutOnly: rfm.customersExcluded, calibrationEnd: t.calibrationEnd },
  );
}

const NO_SCORE: Scorecard = { mae: NaN, rmse: NaN, bias: NaN, totalError: NaN };

/**
 * Fits (with their holdout predictions) per RFM summary object and model: a change of the chosen model, or a
 * second cell on the same data, fits nothing again (three models took ~3 s at 430k customers). A failure is
 * kept too (the same data fails the same way).
 */
type CachedFit =
  { report: FitReport; pred: PurchasePredictor; holdoutPred: Float64Array | null } | { error: unknown };
const fitCache = new WeakMap<object, Map<string, CachedFit>>();

function continuousDiagnostics(
  model: ContinuousModel,
  allRows: RfmColumns,
  allHoldout: Holdout | null,
  tracker: ((pred: PurchasePredictor) => PurchaseResult['tracking']) | null,
  penalizer: number,
  onProgress: OnProgress | undefined,
  kind: 'transactions' | 'rfm',
  who: { total: number; holdoutOnly: number; calibrationEnd?: number },
): PurchaseResult {
  // Rows no model can use are left out and counted, never a reason to refuse the whole dataset.
  const { rfm, holdout, excluded } = usableRfm(allRows, allHoldout);
  const customers = customersUsed(
    rfm.frequency.length,
    who.total,
    excluded,
    who.holdoutOnly,
    who.calibrationEnd,
  );
  if (rfm.frequency.length === 0)
    throw new Error(
      `none of the ${who.total.toLocaleString('en-US')} customers can be used to fit ${PURCHASE_MODEL_NAMES[model]}: ${exclusionText(customers.excluded)}. ${
        kind === 'rfm'
          ? 'Fix the RFM file: T must be > 0, recency <= T, and recency > 0 when frequency > 0'
          : 'Choose a later calibration end in the data cell'
      }`,
    );
  const models: ContinuousModel[] = [
    model,
    ...(['bgnbd', 'pnbd', 'mbgnbd'] as const).filter((m) => m !== model),
  ];
  const comparison: PurchaseResult['comparison'] = [];
  let main: { report: FitReport; pred: PurchasePredictor; holdoutPred: Float64Array | null } | undefined;
  // Fits of this summary by model (the worker's cached summary is the same object on every call).
  let fits = fitCache.get(allRows);
  if (!fits) fitCache.set(allRows, (fits = new Map()));
  models.forEach((m, i) => {
    onProgress?.(0.1 + (0.6 * i) / models.length, `fit ${m}`);
    try {
      const key = `${m}|${penalizer}`;
      let fit = fits.get(key);
      if (!fit) {
        try {
          const report = fitPurchase(m, rfm, penalizer);
          const pred = predictor(m, report.params);
          fit = {
            report,
            pred,
            holdoutPred: holdout ? holdoutPredictions(rfm, holdout.duration, pred) : null,
          };
        } catch (e) {
          fit = { error: e };
        }
        fits.set(key, fit);
      }
      if ('error' in fit) throw fit.error;
      const { report, pred, holdoutPred } = fit;
      comparison.push({
        model: m,
        logLikelihood: report.logLikelihood,
        bic: bic(report.logLikelihood, PARAM_COUNT[m], report.n),
        holdoutMae: holdout && holdoutPred ? score(holdoutPred, holdout.frequency).mae : NaN,
        converged: report.converged,
      });
      if (i === 0) main = { report, pred, holdoutPred };
    } catch (e) {
      if (i === 0) throw e; // the chosen model's failure is the cell's error; others just drop out of the table
    }
  });
  const { report, pred, holdoutPred } = main!;
  onProgress?.(0.75, 'tracking plot');
  const tracking = tracker ? tracker(pred) : { period: [], actual: [], predicted: [], calibrationEnd: NaN };

  // Conditional expectations by calibration frequency 0..6 and 7+ (Fader, Hardie & Lee 2005, Figure 4).
  const conditional: PurchaseResult['conditional'] = {
    frequency: [],
    actual: [],
    predicted: [],
    customers: [],
  };
  if (holdout && holdoutPred) {
    const cap = CONDITIONAL_CAP;
    const sumA = new Float64Array(cap + 1);
    const sumP = new Float64Array(cap + 1);
    const cnt = new Float64Array(cap + 1);
    for (let i = 0; i < rfm.frequency.length; i++) {
      const b = Math.min(cap, rfm.frequency[i]);
      sumA[b] += holdout.frequency[i];
      sumP[b] += holdoutPred[i];
      cnt[b]++;
    }
    for (let b = 0; b <= cap; b++) {
      if (cnt[b] === 0) continue;
      conditional.frequency.push(b);
      conditional.actual.push(sumA[b] / cnt[b]);
      conditional.predicted.push(sumP[b] / cnt[b]);
      conditional.customers.push(cnt[b]);
    }
  }

  onProgress?.(0.9, 'P(alive) matrix');
  let maxT = 0;
  let maxX = 0;
  for (let i = 0; i < rfm.T.length; i++) {
    if (rfm.T[i] > maxT) maxT = rfm.T[i];
    if (rfm.frequency[i] > maxX) maxX = rfm.frequency[i];
  }
  const xs = Array.from({ length: Math.min(maxX, 30) + 1 }, (_, i) => i);
  const steps = 40;
  const rs = Array.from({ length: steps + 1 }, (_, j) => (maxT * j) / steps);
  const z = xs.map((x) => rs.map((r) => (x === 0 && r > 0 ? NaN : pred.pAlive(x, x === 0 ? 0 : r, maxT))));

  let scorecard: PurchaseResult['scorecard'] = { ...NO_SCORE, naive: NO_SCORE };
  if (holdout && holdoutPred) {
    // Naive baseline: each customer keeps buying at their own calibration repeat rate x / T.
    const naive = new Float64Array(rfm.frequency.length);
    for (let i = 0; i < naive.length; i++) {
      const dur = typeof holdout.duration === 'number' ? holdout.duration : holdout.duration[i];
      naive[i] = rfm.T[i] > 0 ? (rfm.frequency[i] / rfm.T[i]) * dur : 0;
    }
    scorecard = { ...score(holdoutPred, holdout.frequency), naive: score(naive, holdout.frequency) };
  }
  onProgress?.(1, 'done');
  return {
    kind,
    customers,
    available: { tracking: tracker !== null, holdout: holdout !== null },
    report,
    bic: bic(report.logLikelihood, PARAM_COUNT[model], report.n),
    tracking,
    conditional,
    pAlive: { frequency: xs, recency: rs, z, T: maxT },
    scorecard,
    comparison,
  };
}

/**
 * BG/BB (Fader, Hardie & Shang 2010) on a recency/frequency table: parameters with SEs, P(alive) at the next
 * opportunity by x and t_x (for the longest n), the number of customers by x (actual vs N·P(X(n) = x), eq. 8),
 * and, when the table has holdout x*, conditional expectations vs actuals by x and the scorecard (eq. 13).
 */
function fitBgBbWithDiagnostics(d: BgBbPayload, penalizer: number, onProgress?: OnProgress): PurchaseResult {
  const data = { frequency: d.frequency, recency: d.recency, periods: d.periods, weights: d.weights };
  onProgress?.(0.1, 'fit bgbb');
  const report = fitBgBb(data, { penalizer }) as unknown as FitReport;
  const params = report.params as unknown as BgBbParams;
  let maxN = 0;
  for (let i = 0; i < d.periods.length; i++) if (d.periods[i] > maxN) maxN = d.periods[i];

  onProgress?.(0.6, 'P(alive) matrix');
  // P(alive at n + 1 | x, t_x, n = maxN): rows x = 0..n, columns t_x = 0..n; impossible cells (x > t_x, or
  // t_x > 0 with x = 0) are NaN.
  const xs = Array.from({ length: maxN + 1 }, (_, i) => i);
  const txs = Array.from({ length: maxN + 1 }, (_, i) => i);
  const z = xs.map((x) =>
    txs.map((tx) =>
      (x === 0 && tx > 0) || (x > 0 && (tx < x || tx === 0))
        ? NaN
        : bgbbProbabilityAlive(params, x, tx, maxN),
    ),
  );

  // Frequency fit on the customers with the longest history (Fader, Hardie & Shang 2010, Figure 3).
  const actualByX = new Float64Array(maxN + 1);
  let nAtMax = 0;
  for (let i = 0; i < d.frequency.length; i++) {
    if (d.periods[i] !== maxN) continue;
    actualByX[d.frequency[i]] += d.weights[i];
    nAtMax += d.weights[i];
  }
  const frequencyFit = {
    frequency: xs,
    actual: Array.from(actualByX),
    predicted: xs.map((x) => nAtMax * bgbbProbabilityOfTransactions(params, maxN, x)),
  };

  const conditional: PurchaseResult['conditional'] = {
    frequency: [],
    actual: [],
    predicted: [],
    customers: [],
  };
  let scorecard: PurchaseResult['scorecard'] = { ...NO_SCORE, naive: NO_SCORE };
  let holdoutMae = NaN;
  if (d.holdout) {
    onProgress?.(0.8, 'holdout');
    const h = d.holdout;
    const sumA = new Float64Array(maxN + 1);
    const sumP = new Float64Array(maxN + 1);
    const cnt = new Float64Array(maxN + 1);
    // Weighted scorecard (each row stands for `weights` customers).
    let abs = 0;
    let sq = 0;
    let diff = 0;
    let nAbs = 0;
    let nSq = 0;
    let nDiff = 0;
    let total = 0;
    for (let i = 0; i < d.frequency.length; i++) {
      const w = d.weights[i];
      const x = d.frequency[i];
      const n = d.periods[i];
      const p = bgbbConditionalExpectedTransactions(params, x, d.recency[i], n, h.periods[i]);
      // Naive: the customer's own calibration rate x / n per opportunity.
      const naive = (x / n) * h.periods[i];
      sumA[x] += w * h.frequency[i];
      sumP[x] += w * p;
      cnt[x] += w;
      const e = p - h.frequency[i];
      const en = naive - h.frequency[i];
      abs += w * Math.abs(e);
      sq += w * e * e;
      diff += w * e;
      nAbs += w * Math.abs(en);
      nSq += w * en * en;
      nDiff += w * en;
      total += w;
    }
    for (let x = 0; x <= maxN; x++) {
      if (cnt[x] === 0) continue;
      conditional.frequency.push(x);
      conditional.actual.push(sumA[x] / cnt[x]);
      conditional.predicted.push(sumP[x] / cnt[x]);
      conditional.customers.push(cnt[x]);
    }
    scorecard = {
      mae: abs / total,
      rmse: Math.sqrt(sq / total),
      bias: diff / total,
      totalError: diff,
      naive: { mae: nAbs / total, rmse: Math.sqrt(nSq / total), bias: nDiff / total, totalError: nDiff },
    };
    holdoutMae = scorecard.mae;
  }
  onProgress?.(1, 'done');
  const b = bic(report.logLikelihood, PARAM_COUNT.bgbb, report.n);
  return {
    kind: 'bgbb',
    available: { tracking: false, holdout: d.holdout !== null },
    frequencyFit,
    report,
    bic: b,
    tracking: { period: [], actual: [], predicted: [], calibrationEnd: NaN },
    conditional,
    pAlive: { frequency: xs, recency: txs, z, T: maxN },
    scorecard,
    comparison: [
      { model: 'bgbb', logLikelihood: report.logLikelihood, bic: b, holdoutMae, converged: report.converged },
    ],
  };
}
