/**
 * Purchase cell engine: fits BG/NBD, Pareto/NBD or MBG/NBD on the calibration period and builds the
 * diagnostics of Fader, Hardie & Lee (2005) — calibration/holdout tracking of cumulative repeat transactions,
 * conditional expectations vs actuals by calibration frequency, P(alive) by frequency × recency — plus a
 * holdout scorecard against a naive baseline and a comparison table of all three models.
 */
import { customerGroups, rfmSummary } from '../data/index.ts';
import type { RfmSummary, Transactions } from '../data/types.ts';
import { MODELS } from '../models/registry.ts';
import {
  bgNbdExpectedPurchases,
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
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
import type { BgNbdParams, FitReport, ParetoNbdParams } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type { DatasetPayload, PurchaseResult, Scorecard } from './types.ts';

export type PurchaseModelName = 'bgnbd' | 'pnbd' | 'mbgnbd';

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
  model: PurchaseModelName,
  rfm: Pick<RfmSummary, 'frequency' | 'recency' | 'T'>,
  penalizer = 0,
): FitReport {
  return MODELS[model].fit(
    { kind: 'rfm', frequency: rfm.frequency, recency: rfm.recency, T: rfm.T },
    { penalizer },
  );
}

/** The predictor of a fitted purchase model. */
export function predictor(model: PurchaseModelName, params: Record<string, number>): PurchasePredictor {
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
    // Only customers acquired by the calibration end, as in the fitted model.
    if (f > calibrationEnd) continue;
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

/** Holdout predictions per customer: E[Y(duration) | calibration x, t_x, T]. */
function holdoutPredictions(rfm: RfmSummary, pred: PurchasePredictor): Float64Array {
  const duration = rfm.holdout!.duration;
  const out = new Float64Array(rfm.frequency.length);
  const memo = new Map<string, number>();
  for (let i = 0; i < out.length; i++) {
    const key = `${rfm.frequency[i]},${rfm.recency[i]},${rfm.T[i]}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = pred.conditional(duration, rfm.frequency[i], rfm.recency[i], rfm.T[i]);
      memo.set(key, v);
    }
    out[i] = v;
  }
  return out;
}

const PARAM_COUNT: Record<PurchaseModelName, number> = { bgnbd: 4, pnbd: 4, mbgnbd: 4 };

/** Bayesian information criterion: −2 LL + k ln n. */
export function bic(logLikelihood: number, k: number, n: number): number {
  return -2 * logLikelihood + k * Math.log(n);
}

/** Fits the chosen model on the calibration period and computes every diagnostic of the purchase cell. */
export function fitPurchaseWithDiagnostics(
  input: { data: DatasetPayload; model: PurchaseModelName; penalizer?: number },
  onProgress?: OnProgress,
): PurchaseResult {
  const d = input.data;
  const tx = d.transactions as Transactions;
  onProgress?.(0.05, 'RFM summary');
  const rfm = rfmSummary(tx, {
    unit: d.unit,
    observationEnd: d.observationEnd,
    calibrationEnd: d.calibrationEnd,
  });
  const holdout = rfm.holdout!;
  const models: PurchaseModelName[] = [
    input.model,
    ...(['bgnbd', 'pnbd', 'mbgnbd'] as const).filter((m) => m !== input.model),
  ];
  const comparison: PurchaseResult['comparison'] = [];
  let main: { report: FitReport; pred: PurchasePredictor; holdoutPred: Float64Array } | undefined;
  models.forEach((m, i) => {
    onProgress?.(0.1 + (0.6 * i) / models.length, `fit ${m}`);
    try {
      const report = fitPurchase(m, rfm, input.penalizer ?? 0);
      const pred = predictor(m, report.params);
      const holdoutPred = holdoutPredictions(rfm, pred);
      comparison.push({
        model: m,
        logLikelihood: report.logLikelihood,
        bic: bic(report.logLikelihood, PARAM_COUNT[m], report.n),
        holdoutMae: score(holdoutPred, holdout.frequency).mae,
        converged: report.converged,
      });
      if (i === 0) main = { report, pred, holdoutPred };
    } catch (e) {
      if (i === 0) throw e; // the chosen model's failure is the cell's error; others just drop out of the table
    }
  });
  const { report, pred, holdoutPred } = main!;
  onProgress?.(0.75, 'tracking plot');
  const tracking = trackingCurves(tx, d.daysPerUnit, d.calibrationEnd, d.observationEnd, pred);

  // Conditional expectations by calibration frequency 0..7 and 7+ (Fader, Hardie & Lee 2005, Figure 4).
  const cap = 7;
  const sumA = new Float64Array(cap + 1);
  const sumP = new Float64Array(cap + 1);
  const cnt = new Float64Array(cap + 1);
  for (let i = 0; i < rfm.frequency.length; i++) {
    const b = Math.min(cap, rfm.frequency[i]);
    sumA[b] += holdout.frequency[i];
    sumP[b] += holdoutPred[i];
    cnt[b]++;
  }
  const conditional: PurchaseResult['conditional'] = {
    frequency: [],
    actual: [],
    predicted: [],
    customers: [],
  };
  for (let b = 0; b <= cap; b++) {
    if (cnt[b] === 0) continue;
    conditional.frequency.push(b);
    conditional.actual.push(sumA[b] / cnt[b]);
    conditional.predicted.push(sumP[b] / cnt[b]);
    conditional.customers.push(cnt[b]);
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

  // Naive baseline: each customer keeps buying at their own calibration repeat rate x / T.
  const naive = new Float64Array(rfm.frequency.length);
  for (let i = 0; i < naive.length; i++)
    naive[i] = rfm.T[i] > 0 ? (rfm.frequency[i] / rfm.T[i]) * holdout.duration : 0;
  onProgress?.(1, 'done');
  return {
    report,
    bic: bic(report.logLikelihood, PARAM_COUNT[input.model], report.n),
    tracking,
    conditional,
    pAlive: { frequency: xs, recency: rs, z, T: maxT },
    scorecard: { ...score(holdoutPred, holdout.frequency), naive: score(naive, holdout.frequency) },
    comparison,
  };
}
