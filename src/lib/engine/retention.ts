/**
 * Retention cell engine: sBG / BdW fitted to cohort survival counts, projected with parameter-uncertainty bands,
 * and compared with the constant-churn projection (Fader & Hardie 2007: under heterogeneity, cohort retention
 * rises with tenure). Three sources of survival counts:
 * - `data`: the monthly (or quarterly) acquisition cohorts of the transaction data. In a non-contractual setting
 *   "alive at k" can only mean "buys again in period k or later", which undercounts near the end of the data
 *   (customers who will buy again have not yet). Rule used here: a cohort's period k enters the fit only when at
 *   least `followUp` further complete periods are observed after it, i.e. the last `followUp` calendar periods
 *   before the end of the data are left out of the fit (shown, not fitted). By default `followUp` is the 90th
 *   percentile of the gaps between a customer's consecutive purchase days, in periods (rounded up), so a
 *   customer who is still active would have bought again inside the window nine times in ten.
 * - `table1`: Fader & Hardie (2007) Table 1 (Regular / High End, per 1,000), years 0–7 to fit, 8–12 holdout.
 * - `table`: a `period,alive` or `cohort,period,alive` CSV (src/lib/data readSurvivalCsv), optional holdout.
 */
import { survivalCounts } from '../data/index.ts';
import { readSurvivalCsv } from '../data/summaries.ts';
import type { Transactions } from '../data/types.ts';
import {
  fitSbg,
  sbgSurvivalCurve,
  sbgExpectedLifetime,
  sbgDel,
  sbgDerl,
  type RetentionRow,
} from '../models/sbg.ts';
import { fitBdw, bdwSurvivalCurve, bdwExpectedLifetime, bdwDel, bdwDerl } from '../models/bdw.ts';
import { drawParameters } from '../models/clv.ts';
import { Rng } from '../sim/rng.ts';
import { quantileSorted } from '../sim/quantile.ts';
import type { BdwParams, FitReport, SbgParams } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type { AnyDatasetPayload, RetentionResult } from './types.ts';

/**
 * Pooled observed survival S(k) = Σ alive(c, k) / Σ size(c) over the cohorts observed at k (NaN when none),
 * and the constant-churn MLE p = deaths / customer-periods at risk (geometric lifetimes, right-censored).
 */
export function pooledSurvival(rows: readonly RetentionRow[]): { observed: number[]; constantChurn: number } {
  const byCohort = groupRows(rows);
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

function groupRows(rows: readonly RetentionRow[]): Map<string, number[]> {
  const byCohort = new Map<string, number[]>();
  for (const r of rows) {
    const key = String(r.cohort ?? '');
    const a = byCohort.get(key) ?? [];
    a[r.period] = r.alive;
    byCohort.set(key, a);
  }
  return byCohort;
}

/**
 * Pooled observed retention rate r(k) = Σ alive(c, k) / Σ alive(c, k−1) over the cohorts observed at k (NaN at
 * k = 0 and where none). Example: one cohort [1000, 631, 468] → [NaN, 0.631, 0.7417].
 */
export function pooledRetentionRate(rows: readonly RetentionRow[]): number[] {
  const byCohort = groupRows(rows);
  const maxK = Math.max(0, ...[...byCohort.values()].map((a) => a.length - 1));
  const num = new Array<number>(maxK + 1).fill(0);
  const den = new Array<number>(maxK + 1).fill(0);
  for (const alive of byCohort.values())
    for (let k = 1; k < alive.length; k++) {
      num[k] += alive[k];
      den[k] += alive[k - 1];
    }
  return num.map((v, k) => (k > 0 && den[k] > 0 ? v / den[k] : NaN));
}

/**
 * Keeps, per cohort, the periods 0..(last − drop): drops each cohort's last `drop` observed periods (the same
 * calendar periods for every cohort when cohorts are consecutive). Example: drop 1 of [0,1,2] keeps [0,1].
 */
export function dropLastPeriods(rows: readonly RetentionRow[], drop: number): RetentionRow[] {
  if (drop <= 0) return rows.slice();
  const last = new Map<string, number>();
  for (const r of rows) {
    const key = String(r.cohort ?? '');
    last.set(key, Math.max(last.get(key) ?? 0, r.period));
  }
  return rows.filter((r) => r.period <= (last.get(String(r.cohort ?? '')) ?? 0) - drop);
}

/**
 * Gap between a customer's consecutive distinct purchase days, its `quantile` (default 0.9) in days, over all
 * repeat purchases in the data (NaN when no customer bought on two different days). Example (CDNOW sample):
 * 196 days (90th percentile), about 6.4 months.
 */
export function interPurchaseGapDays(tx: Transactions, quantile = 0.9): number {
  const order = Array.from({ length: tx.n }, (_, i) => i);
  order.sort((i, j) => tx.customer[i] - tx.customer[j] || tx.day[i] - tx.day[j]);
  const gaps: number[] = [];
  for (let k = 1; k < order.length; k++) {
    const i = order[k - 1];
    const j = order[k];
    if (tx.customer[i] === tx.customer[j] && tx.day[j] > tx.day[i]) gaps.push(tx.day[j] - tx.day[i]);
  }
  if (gaps.length === 0) return NaN;
  gaps.sort((a, b) => a - b);
  return gaps[Math.min(gaps.length - 1, Math.ceil(quantile * gaps.length) - 1)];
}

/** Table 1 of Fader & Hardie (2007): customers surviving per 1,000 at years 0..12, Regular and High End. */
export interface Table1 {
  year: number[];
  regular: number[];
  highEnd: number[];
}

/**
 * Reads public/demo/retention_table1.csv (Fader & Hardie 2007, Table 1): lines starting with `#` are notes;
 * header `year,regular_pct,highend_pct,regular_per_1000,highend_per_1000` (the per-1000 columns are used; the %
 * columns × 10 when they are missing). Example: regular [1000, 631, 468, …], highEnd [1000, 869, 743, …].
 * Throws naming the line, e.g. "retention Table 1, line 17: regular_per_1000 is not a number (got "x")".
 */
export function parseTable1Csv(text: string): Table1 {
  const lines = text
    .split(/\r?\n/)
    .map((s, i) => ({ s: s.trim(), line: i + 1 }))
    .filter((l) => l.s !== '' && !l.s.startsWith('#'));
  if (lines.length < 2) throw new Error('retention Table 1: no header and data rows found');
  const header = lines[0].s.split(',').map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => names.map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  const iYear = col(['year', 'period']);
  const reg = col(['regular_per_1000']);
  const hi = col(['highend_per_1000']);
  const regPct = col(['regular_pct']);
  const hiPct = col(['highend_pct']);
  if (iYear < 0 || (reg < 0 && regPct < 0) || (hi < 0 && hiPct < 0))
    throw new Error(
      `retention Table 1, line ${lines[0].line}: header needs year and regular/highend columns (got ${lines[0].s.slice(0, 80)})`,
    );
  const out: Table1 = { year: [], regular: [], highEnd: [] };
  for (const { s, line } of lines.slice(1)) {
    const f = s.split(',');
    const num = (i: number, name: string, scale = 1): number => {
      const v = Number(f[i]);
      if (f[i] === undefined || f[i].trim() === '' || !Number.isFinite(v))
        throw new Error(
          `retention Table 1, line ${line}: ${name} is not a number (got "${String(f[i] ?? '')}")`,
        );
      return v * scale;
    };
    out.year.push(num(iYear, 'year'));
    out.regular.push(reg >= 0 ? num(reg, 'regular_per_1000') : num(regPct, 'regular_pct', 10));
    out.highEnd.push(hi >= 0 ? num(hi, 'highend_per_1000') : num(hiPct, 'highend_pct', 10));
  }
  out.year.forEach((y, k) => {
    if (y !== k)
      throw new Error(`retention Table 1: years must be 0, 1, 2, … in order (row ${k + 1} is ${y})`);
  });
  return out;
}

/**
 * Survival rows from a pasted/uploaded `period,alive` or `cohort,period,alive` CSV (readSurvivalCsv). Throws
 * with the first problems as `line L, column C: message` so the cell can show what to fix.
 */
export function survivalRowsFromCsv(text: string): RetentionRow[] {
  const { table, errors } = readSurvivalCsv(text);
  if (errors.length > 0) {
    const shown = errors
      .slice(0, 3)
      .map((e) => `line ${e.line}, column ${e.column}: ${e.message}`)
      .join('; ');
    throw new Error(`survival table: ${shown}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`);
  }
  const rows: RetentionRow[] = [];
  for (const c of table) c.alive.forEach((a, k) => rows.push({ cohort: c.label, period: k, alive: a }));
  if (rows.length === 0)
    throw new Error('survival table: no rows (expected period,alive with period 0 = cohort size)');
  return rows;
}

/** Options of the parameter-uncertainty bands (retentionBands). */
export interface BandOptions {
  /** Parameter draws from the asymptotic normal of the log-parameters (default 400). */
  draws?: number;
  /** Seed of the draws (default 1): same seed, same bands. */
  seed?: number;
  /** Central probability of the band (default 0.8: P10–P90). */
  level?: number;
}

/**
 * Projection bands from parameter uncertainty: draws params from the asymptotic normal of the log-parameters
 * (report.covariance, delta method; drawParameters in src/lib/models/clv.ts), computes each draw's survival
 * curve S(0..horizon) and retention rate r(1..horizon), and returns per-period quantiles (P10/P90 at level 0.8).
 * Seeded. When the covariance is unusable the band collapses to the point curve and `note` says so.
 * Example: Table 1 High End years 0–7, S(12): point 0.390, band about 0.35–0.43.
 */
export function retentionBands(
  report: FitReport,
  horizon: number,
  opts: BandOptions = {},
): {
  low: number[];
  high: number[];
  rateLow: number[];
  rateHigh: number[];
  level: number;
  draws: number;
  seed: number;
  note?: string;
} {
  const draws = Math.max(10, Math.min(5000, Math.round(opts.draws ?? 400)));
  const seed = opts.seed ?? 1;
  const level = Math.min(0.99, Math.max(0.5, opts.level ?? 0.8));
  const names = Object.keys(report.params);
  const values = names.map((k) => (report.params as Record<string, number>)[k]);
  const notes: string[] = [];
  const thetas = drawParameters(
    values,
    report.covariance,
    draws,
    Rng.fromSeed(seed),
    'retention model',
    notes,
  );
  const curves = thetas.map((th) =>
    report.model === 'bdw'
      ? bdwSurvivalCurve({ alpha: th[0], beta: th[1], c: th[2] }, horizon)
      : sbgSurvivalCurve({ alpha: th[0], beta: th[1] }, horizon),
  );
  const qLo = (1 - level) / 2;
  const col = new Float64Array(draws);
  const rcol = new Float64Array(draws);
  const low: number[] = [];
  const high: number[] = [];
  const rateLow: number[] = [];
  const rateHigh: number[] = [];
  for (let t = 0; t <= horizon; t++) {
    for (let m = 0; m < draws; m++) {
      col[m] = curves[m][t];
      rcol[m] = t > 0 && curves[m][t - 1] > 0 ? curves[m][t] / curves[m][t - 1] : NaN;
    }
    col.sort();
    low.push(quantileSorted(col, qLo));
    high.push(quantileSorted(col, 1 - qLo));
    if (t === 0) {
      rateLow.push(NaN);
      rateHigh.push(NaN);
    } else {
      rcol.sort();
      rateLow.push(quantileSorted(rcol, qLo));
      rateHigh.push(quantileSorted(rcol, 1 - qLo));
    }
  }
  return {
    low,
    high,
    rateLow,
    rateHigh,
    level,
    draws,
    seed,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** Input of fitRetentionModel. Only `model` and `horizon` are required; `source` defaults to 'data'. */
export interface RetentionInput {
  /** Source `data`: the dataset above (a transaction log, or a survival table loaded by the data cell). */
  data?: AnyDatasetPayload;
  model: 'sbg' | 'bdw';
  /** Projection horizon in periods (months/quarters for `data`, years for `table1`, table periods for `table`). */
  horizon: number;
  period?: 'month' | 'quarter';
  source?: 'data' | 'table1' | 'table';
  /** Text of public/demo/retention_table1.csv (source `table1`). */
  table1Text?: string;
  segment?: 'regular' | 'highEnd';
  /** Pasted/uploaded survival CSV (source `table`). */
  tableText?: string;
  /** Unit of one period of the pasted table (source `table`; default 'years'). */
  tableUnit?: 'months' | 'quarters' | 'years';
  /** Source `table`: last periods of each cohort held out of the fit (default 0). */
  holdout?: number;
  /** Source `data`: complete periods required after a period for it to be fitted ('auto' = P90 purchase gap). */
  followUp?: number | 'auto';
  /** Annual discount rate (0.1 = 10 %/year) for DEL/DERL; converted to the period (default 0.1). */
  annualDiscountRate?: number;
  bands?: BandOptions;
}

const PERIODS_PER_YEAR = { months: 12, quarters: 4, years: 1 } as const;
const DAYS_PER_PERIOD = { month: 365.25 / 12, quarter: 365.25 / 4 } as const;
/** Tenures (renewals made) at which DERL is reported. */
const DERL_RENEWALS = [0, 1, 2, 4, 7, 11] as const;

/**
 * Median lifetime: the first period t with S(t) <= 1/2, searched in `curve` and then up to 100,000 periods
 * (Infinity beyond). Example: sBG alpha 1, beta 1 → 1 (S(1) = 0.5).
 */
function medianPeriod(report: FitReport, curve: number[]): number {
  const i = curve.findIndex((v) => v <= 0.5);
  if (i >= 0) return i;
  const long =
    report.model === 'bdw'
      ? bdwSurvivalCurve(report.params as unknown as BdwParams, 100_000)
      : sbgSurvivalCurve(report.params as unknown as SbgParams, 100_000);
  const j = long.findIndex((v) => v <= 0.5);
  return j >= 0 ? j : Infinity;
}

/** Fits sBG or BdW to the chosen survival counts and projects `horizon` periods with bands, DEL and DERL. */
export function fitRetentionModel(input: RetentionInput, onProgress?: OnProgress): RetentionResult {
  const source = input.source ?? 'data';
  const horizonIn = Math.max(1, Math.min(600, Math.round(input.horizon)));
  onProgress?.(0.05, 'survival counts');
  let rows: RetentionRow[];
  let fitRows: RetentionRow[];
  let unit: 'months' | 'quarters' | 'years';
  let sourceLabel: string;
  let followUp: RetentionResult['followUp'];
  if (source === 'table1') {
    if (!input.table1Text) throw new Error('the Table 1 demo needs the text of retention_table1.csv');
    const t1 = parseTable1Csv(input.table1Text);
    const seg = input.segment === 'highEnd' ? 'highEnd' : 'regular';
    rows = t1[seg].map((alive, period) => ({ cohort: seg, period, alive }));
    // The paper calibrates on years 0–7 and holds out 8–12 (Fader & Hardie 2007, section 3).
    fitRows = rows.filter((r) => r.period <= 7);
    unit = 'years';
    sourceLabel = seg;
  } else if (source === 'table') {
    if (!input.tableText || input.tableText.trim() === '')
      throw new Error(
        'paste or upload a survival table: header period,alive (or cohort,period,alive), period 0 = cohort size',
      );
    rows = survivalRowsFromCsv(input.tableText);
    fitRows = dropLastPeriods(rows, Math.max(0, Math.round(input.holdout ?? 0)));
    unit = input.tableUnit ?? 'years';
    sourceLabel = `${new Set(rows.map((r) => String(r.cohort))).size}`;
  } else if (input.data?.kind === 'survival') {
    // A survival table loaded by the data cell: contractual counts, fitted as given (no follow-up rule).
    rows = [];
    for (const c of input.data.cohorts)
      Array.from(c.alive).forEach((alive, period) => rows.push({ cohort: c.label, period, alive }));
    fitRows = dropLastPeriods(rows, Math.max(0, Math.round(input.holdout ?? 0)));
    unit = input.tableUnit ?? 'years';
    sourceLabel = `${input.data.cohorts.length}`;
  } else {
    if (!input.data)
      throw new Error('the retention cell needs a data cell above it (or choose a demo table)');
    if (input.data.kind === 'rfm' || input.data.kind === 'bgbb')
      throw new Error(
        `the retention model needs a transaction log or a survival table (period,alive); the data above is a ready ${input.data.kind === 'rfm' ? 'RFM' : 'BG/BB'} summary without cohorts — choose the Table 1 demo or paste a survival table`,
      );
    const period = input.period ?? 'month';
    unit = period === 'month' ? 'months' : 'quarters';
    const tx = input.data.transactions;
    rows = survivalCounts(tx, { period, observationEnd: input.data.observationEnd });
    if (rows.length === 0)
      throw new Error('no complete cohort period to fit: the data cover less than one full period');
    const gapDays = interPurchaseGapDays(tx, 0.9);
    const auto = input.followUp === undefined || input.followUp === 'auto';
    const lastPeriod = Math.max(...rows.map((r) => r.period));
    let periods = auto
      ? Number.isFinite(gapDays)
        ? Math.ceil(gapDays / DAYS_PER_PERIOD[period])
        : 0
      : Math.max(0, Math.round(Number(input.followUp)));
    // Keep at least periods 0..2 of the oldest cohort so the model can be fitted at all.
    periods = Math.min(periods, Math.max(0, lastPeriod - 2));
    followUp = { periods, auto, gapDaysP90: gapDays };
    fitRows = dropLastPeriods(rows, periods);
    sourceLabel = `${new Set(rows.map((r) => String(r.cohort))).size}`;
  }
  const all = pooledSurvival(rows);
  const fitted = pooledSurvival(fitRows);
  const fitEnd = Math.max(...fitRows.map((r) => r.period));
  const observedLast = all.observed.length - 1;
  const horizon = Math.max(horizonIn, observedLast);
  const constantChurn = fitted.constantChurn;

  onProgress?.(0.2, `fit ${input.model}`);
  let report: FitReport;
  let model: Float64Array;
  let expectedLifetime: number;
  let del: number;
  let derl: number[];
  const perYear = PERIODS_PER_YEAR[unit];
  const annual = input.annualDiscountRate ?? 0.1;
  if (!(annual >= 0 && annual <= 10))
    throw new Error(`discount rate must be between 0 % and 1000 % a year (got ${annual * 100} %)`);
  const d = perYear === 1 ? annual : Math.pow(1 + annual, 1 / perYear) - 1;
  if (input.model === 'sbg') {
    const fit = fitSbg(fitRows);
    report = fit as unknown as FitReport;
    const p = fit.params as SbgParams;
    model = sbgSurvivalCurve(p, horizon);
    expectedLifetime = sbgExpectedLifetime(p);
    del = d > 0 ? sbgDel(p, d) : expectedLifetime;
    derl = DERL_RENEWALS.map((n) => sbgDerl(p, d, n));
  } else {
    const fit = fitBdw(fitRows);
    report = fit as unknown as FitReport;
    const p = fit.params as BdwParams;
    model = bdwSurvivalCurve(p, horizon);
    expectedLifetime = bdwExpectedLifetime(p);
    del = d > 0 ? bdwDel(p, d) : expectedLifetime;
    derl = DERL_RENEWALS.map((n) => bdwDerl(p, d, n));
  }
  onProgress?.(0.6, 'bands');
  const bands = retentionBands(report, horizon, input.bands);
  const modelArr = Array.from(model);
  const retentionRate = modelArr.map((s, t) =>
    t === 0 ? NaN : modelArr[t - 1] > 0 ? s / modelArr[t - 1] : NaN,
  );
  const constant = modelArr.map((_, t) => Math.pow(1 - constantChurn, t));
  const pad = (a: number[]) => modelArr.map((_, t) => (t < a.length ? a[t] : NaN));
  const medianLifetime = medianPeriod(report, modelArr);
  const q = constantChurn;
  onProgress?.(1, 'done');
  return {
    report,
    observed: pad(all.observed),
    model: modelArr,
    constant,
    retentionRate,
    constantChurn,
    calibrationPeriods: fitEnd,
    periodUnit: unit === 'quarters' ? 'quarters' : 'months',
    expectedLifetime,
    source,
    sourceLabel,
    unit,
    fitEnd,
    observedFit: pad(fitted.observed),
    observedRate: pad(pooledRetentionRate(rows)),
    observedLast,
    followUp,
    bands,
    value: {
      annualDiscountRate: annual,
      discountRatePerPeriod: d,
      del,
      derlRenewals: [...DERL_RENEWALS],
      derl,
      // Constant churn q: DERL = (1 − q)(1 + d)/(d + q) for every tenure; E[T] = 1/q periods.
      derlConstant: q > 0 ? ((1 - q) * (1 + d)) / (d + q) : Infinity,
      expectedLifetimeConstant: q > 0 ? 1 / q : Infinity,
      medianLifetime,
    },
  };
}
