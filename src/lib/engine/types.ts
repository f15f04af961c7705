/**
 * Inputs and outputs of the engine methods (what crosses the worker boundary). Plain objects, numbers, strings
 * and typed arrays only: everything here survives structured cloning.
 */
import type { FitReport } from '../models/types.ts';
import type { Currency } from '../i18n/format.ts';
import type { ImportOptions, ImportReport, RejectedRow, TimeUnit, Transactions } from '../data/types.ts';

/** A browser Blob/File as the pure core sees it (the worker shell reads it; the core never does). */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
}

/** Where a dataset comes from. `file` streams a Blob in the worker (progress, cancel, any encoding). */
export type DatasetSource =
  | { kind: 'demo'; id: 'cdnow' }
  | { kind: 'upload'; name: string; text: string }
  | { kind: 'file'; name: string; file: BlobLike }
  | { kind: 'bytes'; name: string; bytes: Uint8Array };

/** Options for turning an import into a dataset (column mapping etc. go to the importer). */
export interface DatasetOptions {
  import?: ImportOptions;
  currency?: Currency;
  unit?: TimeUnit;
  /** ISO dates; defaults: observation end = last date, calibration end = 2/3 of the way through. */
  calibrationEnd?: string;
  observationEnd?: string;
}

/** What the engine needs back on every call (opaque to the UI). */
export interface DatasetPayload {
  transactions: Transactions;
  unit: TimeUnit;
  daysPerUnit: number;
  /** Day numbers (days since 1970-01-01). */
  calibrationEnd: number;
  observationEnd: number;
}

/** A loaded dataset: summary, import report, and the payload passed back to the engine. */
export interface Dataset {
  name: string;
  currency: Currency;
  /** Unit of recency/tenure in the purchase models ('weeks' for CDNOW). */
  timeUnit: 'days' | 'weeks' | 'months';
  summary: {
    customers: number;
    transactions: number;
    revenue: number;
    repeaters: number;
    firstDate: string;
    lastDate: string;
    calibrationEnd: string;
    observationEnd: string;
  };
  report: {
    accepted: number;
    rejected: number;
    rowsRead: number;
    problems: Array<{ line: number; reason: string }>;
    /** Every rejected row (line, reason, raw text) for the CSV download. */
    rejects: RejectedRow[];
    messages: ImportReport['messages'];
    columns: string[];
    mapping: ImportReport['mapping'];
    encoding: string;
    delimiter: ImportReport['delimiter'];
    dateOrder: ImportReport['dateOrder'];
    dateOrderAmbiguous: boolean;
    negativeAmounts: number;
  };
  payload: DatasetPayload;
}

export interface CohortResult {
  /** Cohort labels, oldest first (e.g. '1997-01'). */
  cohorts: string[];
  /** values[i][k]: customers (or revenue) of cohort i active in period k after acquisition; NaN = not observed. */
  values: number[][];
  /** Same cells as % of the cohort's size (customers) or per original customer (revenue). */
  relative: number[][];
  /** Cohort sizes (customers at period 0). */
  sizes: number[];
  /** incomplete[i][k]: the period had not ended when the data stop. */
  incomplete: boolean[][];
}

export interface RetentionResult {
  report: FitReport;
  /** Survival by period 0..h: observed (pooled over cohorts; NaN beyond data), model, constant-churn. */
  observed: number[];
  model: number[];
  constant: number[];
  /** Period-to-period retention rate implied by the model (rises with tenure under heterogeneity). */
  retentionRate: number[];
  /** Constant churn per period fitted to the same counts (geometric MLE). */
  constantChurn: number;
  /** Periods used to fit (complete periods of every cohort). */
  calibrationPeriods: number;
  periodUnit: 'months' | 'quarters';
  expectedLifetime: number;
}

export interface PurchaseResult {
  report: FitReport;
  bic: number;
  tracking: { period: number[]; actual: number[]; predicted: number[]; calibrationEnd: number };
  conditional: { frequency: number[]; actual: number[]; predicted: number[]; customers: number[] };
  pAlive: { frequency: number[]; recency: number[]; z: number[][]; T: number };
  scorecard: Scorecard & { naive: Scorecard };
  comparison: Array<{
    model: string;
    logLikelihood: number;
    bic: number;
    holdoutMae: number;
    converged: boolean;
  }>;
}

/** Holdout error per customer (predicted − actual transactions). */
export interface Scorecard {
  mae: number;
  rmse: number;
  bias: number;
  totalError: number;
}

export interface SpendResult {
  report: FitReport;
  /** Pearson correlation of average spend and frequency among repeat customers. */
  correlation: number;
  /** Plain-words verdict of the independence check. */
  verdict: string;
  /** Expected average spend per transaction across the base (money). */
  meanSpend: number;
  /** Customers used (x > 0 and positive mean spend) and skipped. */
  used: number;
  skipped: number;
}

export interface ForecastResult {
  ids: string[];
  clv: number[];
  clvLow: number[];
  clvHigh: number[];
  pAlive: number[];
  expectedPurchases: number[];
  expectedSpend: number[];
  total: number;
  totalLow: number;
  totalHigh: number;
  mean: number;
  horizonMonths: number;
  /** What the numbers mean, e.g. "discounted gross margin over 12 months at 10%/year". */
  note: string;
}
