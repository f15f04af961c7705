/**
 * Retention cell engine: sBG / BdW fitted to cohort survival counts, projected, and compared with the
 * constant-churn projection (Fader & Hardie 2007: under heterogeneity, cohort retention rises with tenure).
 */
import { survivalCounts } from '../data/index.ts';
import type { Transactions } from '../data/types.ts';
import { fitSbg, sbgSurvivalCurve, sbgExpectedLifetime, type RetentionRow } from '../models/sbg.ts';
import { fitBdw, bdwSurvivalCurve, bdwExpectedLifetime } from '../models/bdw.ts';
import type { BdwParams, FitReport, SbgParams } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type { DatasetPayload, RetentionResult } from './types.ts';

/**
 * Pooled observed survival S(k) = Σ alive(c, k) / Σ size(c) over the cohorts observed at k (NaN when none),
 * and the constant-churn MLE p = deaths / customer-periods at risk (geometric lifetimes, right-censored).
 */
export function pooledSurvival(rows: readonly RetentionRow[]): { observed: number[]; constantChurn: number } {
  const byCohort = new Map<string, number[]>();
  for (const r of rows) {
    const key = String(r.cohort ?? '');
    const a = byCohort.get(key) ?? [];
    a[r.period] = r.alive;
    byCohort.set(key, a);
  }
  const maxK = Math.max(0, ...[...byCohort.values()].map((a) => a.length - 1));
  const num = new Array<number>(maxK + 1).fill(0);
  const den = new Array<number>(maxK + 1).fill(0);
  let deaths = 0;
  let atRisk = 0;
  for (const alive of byCohort.values()) {
    const size = alive[0];
    if (!(size > 0)) continue;
    for (let k = 0; k < alive.length; k++) {
      num[k] += alive[k];
      den[k] += size;
      if (k > 0) {
        deaths += alive[k - 1] - alive[k];
        atRisk += alive[k - 1];
      }
    }
  }
  return {
    observed: num.map((v, k) => (den[k] > 0 ? v / den[k] : NaN)),
    constantChurn: atRisk > 0 ? deaths / atRisk : NaN,
  };
}

/** Fits sBG or BdW to the dataset's monthly (or quarterly) cohort survival and projects `horizon` periods. */
export function fitRetentionModel(
  input: { data: DatasetPayload; model: 'sbg' | 'bdw'; horizon: number; period?: 'month' | 'quarter' },
  onProgress?: OnProgress,
): RetentionResult {
  const period = input.period ?? 'month';
  const horizon = Math.max(1, Math.min(600, Math.round(input.horizon)));
  onProgress?.(0.1, 'survival counts');
  const rows = survivalCounts(input.data.transactions as Transactions, {
    period,
    observationEnd: input.data.observationEnd,
  });
  if (rows.length === 0)
    throw new Error('no complete cohort period to fit: the data cover less than one full period');
  const { observed, constantChurn } = pooledSurvival(rows);
  onProgress?.(0.3, `fit ${input.model}`);
  let report: FitReport;
  let model: Float64Array;
  let expectedLifetime: number;
  if (input.model === 'sbg') {
    const fit = fitSbg(rows);
    report = fit as unknown as FitReport;
    model = sbgSurvivalCurve(fit.params as SbgParams, horizon);
    expectedLifetime = sbgExpectedLifetime(fit.params as SbgParams);
  } else {
    const fit = fitBdw(rows);
    report = fit as unknown as FitReport;
    model = bdwSurvivalCurve(fit.params as BdwParams, horizon);
    expectedLifetime = bdwExpectedLifetime(fit.params as BdwParams);
  }
  const modelArr = Array.from(model).slice(0, horizon + 1);
  const retentionRate = modelArr.map((s, t) =>
    t === 0 ? NaN : modelArr[t - 1] > 0 ? s / modelArr[t - 1] : NaN,
  );
  const constant = modelArr.map((_, t) => Math.pow(1 - constantChurn, t));
  const obs = modelArr.map((_, t) => (t < observed.length ? observed[t] : NaN));
  onProgress?.(1, 'done');
  return {
    report,
    observed: obs,
    model: modelArr,
    constant,
    retentionRate,
    constantChurn,
    calibrationPeriods: observed.length - 1,
    periodUnit: period === 'month' ? 'months' : 'quarters',
    expectedLifetime,
  };
}
