/**
 * Inputs and outputs of the engine methods (what crosses the worker boundary). Plain objects, numbers, strings
 * and typed arrays only: everything here survives structured cloning.
 */
import type { FitReport } from '../models/types.ts';
import type { Currency } from '../i18n/format.ts';
import type { ImportOptions, ImportReport, RejectedRow, TimeUnit, Transactions } from '../data/types.ts';
import type { SurvivalCohort } from '../data/summaries.ts';
import type { ForecastSummary } from './distribution.ts';

/** The purchase (transaction-process) models. */
export type PurchaseModelName = 'bgnbd' | 'pnbd' | 'mbgnbd' | 'bgbb';

/** Standard abbreviations of the purchase models (the same in every language). */
export const PURCHASE_MODEL_NAMES: Readonly<Record<PurchaseModelName, string>> = {
  bgnbd: 'BG/NBD',
  pnbd: 'Pareto/NBD',
  mbgnbd: 'MBG/NBD',
  bgbb: 'BG/BB',
};

// issue 12 (scale): how the forecast's intervals are computed (src/lib/engine/forecast.ts).
/**
 * Up to this many customers the per-customer intervals come with the forecast; above it they are simulated
 * on demand for the rows shown (`forecastIntervals`): at 200 worlds a customer costs ~150 µs, so 420k
 * customers would add ~45 s to every forecast while a person reads 25 rows at a time.
 */
export const EAGER_INTERVAL_CUSTOMERS = 20_000;
/** Monte Carlo worlds per customer for the per-customer intervals (the models' default). */
export const INTERVAL_WORLDS = 200;
/** Customers sampled (seeded) for the process part of the total's interval when there are more. */
export const TOTAL_PROCESS_SAMPLE = 2_000;

/** Calibration frequencies at or above this are pooled into one "7+" group of the conditional expectations. */
export const CONDITIONAL_CAP = 7;

/** A browser Blob/File as the pure core sees it (the worker shell reads it; the core never does). */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
}

/** Where a dataset comes from. `file` streams a Blob in the worker (progress, cancel, any encoding). */
export type DatasetSource =
  | { kind: 'demo'; id: DemoId }
  | { kind: 'upload'; name: string; text: string }
  | { kind: 'file'; name: string; file: BlobLike }
  | { kind: 'bytes'; name: string; bytes: Uint8Array };

/** Bundled demo datasets (public/demo/, see ATTRIBUTION.md there). */
export type DemoId = 'cdnow' | 'cdnow-rfm' | 'donations';

/**
 * What a dataset holds: a transaction log, or a ready-made summary aggregated elsewhere — an RFM table
 * (lifetimes' columns), a BG/BB recency/frequency table (discrete opportunities), or cohort survival counts.
 */
export type DatasetKind = 'transactions' | 'rfm' | 'bgbb' | 'survival';

/** Options for turning an import into a dataset (column mapping etc. go to the importer). */
export interface DatasetOptions {
  import?: ImportOptions;
  /** How to read the file: 'auto' (default) detects a ready summary from its header, else transactions. */
  summaryKind?: 'auto' | DatasetKind;
  /** The amounts' currency; 'auto' (default) = detected from the amounts' signs or codes, else USD. */
  currency?: Currency | 'auto';
  unit?: TimeUnit;
  /** ISO dates; defaults: observation end = last date, calibration end = 2/3 of the way through. */
  calibrationEnd?: string;
  observationEnd?: string;
  /** Holdout = the last N weeks before the observation end (used when calibrationEnd is not given; 0 = auto). */
  holdoutWeeks?: number;
}

/** What the engine needs back on every call for a transaction log (opaque to the UI). */
export interface DatasetPayload {
  kind?: 'transactions';
  transactions: Transactions;
  unit: TimeUnit;
  daysPerUnit: number;
  /** Day numbers (days since 1970-01-01). */
  calibrationEnd: number;
  observationEnd: number;
}

/**
 * A ready RFM summary (lifetimes' columns, times in `unit`). With `holdout` (columns frequency_holdout,
 * duration_holdout) the purchase cell can score the model on the holdout period.
 */
export interface RfmPayload {
  kind: 'rfm';
  unit: TimeUnit;
  daysPerUnit: number;
  customerIds: string[];
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Mean repeat spend per customer (money), null without a monetary_value column. */
  monetaryValue: Float64Array | null;
  /** Holdout transactions per customer and holdout length (units) per customer. */
  holdout: { frequency: Float64Array; duration: Float64Array } | null;
  /**
   * Every customer as of the observation end, when the table carries it (a share link's customer summary,
   * src/lib/scenario/summary.ts): the forecast starts from these; absent = from the columns above.
   */
  current?: {
    customerIds: string[];
    frequency: Float64Array;
    recency: Float64Array;
    T: Float64Array;
    monetaryValue: Float64Array | null;
  };
}

/**
 * A BG/BB table (Fader, Hardie & Shang 2010): x transactions in n opportunities, last at t_x, `weights`
 * customers per row. Optional holdout x* in n* further opportunities, and a value per transaction (money).
 */
export interface BgBbPayload {
  kind: 'bgbb';
  frequency: Float64Array;
  recency: Float64Array;
  periods: Float64Array;
  weights: Float64Array;
  holdout: { frequency: Float64Array; periods: Float64Array } | null;
  /** Value (money) per transaction for each row, null when the table has none. */
  value: Float64Array | null;
  /** Transaction opportunities per year (1 for yearly donations), to convert the forecast horizon and discount. */
  opportunitiesPerYear: number;
}

/** Cohort survival counts for the retention cell (`alive[t]` active at the start of period t). */
export interface SurvivalPayload {
  kind: 'survival';
  cohorts: SurvivalCohort[];
}

/** Every dataset kind's payload; `kind` absent or 'transactions' = a transaction log. */
export type AnyDatasetPayload = DatasetPayload | RfmPayload | BgBbPayload | SurvivalPayload;

/** A problem in a ready-made summary file, where it is (1-based line and character column). */
export interface SummaryProblem {
  line: number;
  column: number;
  message: string;
}

/** A loaded dataset: summary, import report, and the payload passed back to the engine. */
export interface Dataset {
  /** What the dataset holds (absent = transactions). */
  kind?: DatasetKind;
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
    /** Transaction logs: where the calibration end came from (automatic, a date, the last N weeks). */
    calibrationHow?: 'auto' | 'date' | 'weeks';
    /** Customers first seen before the calibration end (the calibration RFM the models fit on). */
    calibrationCustomers?: number;
    /** Customers first seen on or after the calibration end: holdout only (src/lib/data/calibration.ts). */
    holdoutOnly?: number;
    /** Refunds netted against their purchases (src/lib/data/refunds.ts); counts and the amount netted. */
    refunds?: {
      rows: number;
      netted: number;
      amount: number;
      byOrder: number;
      byPurchase: number;
      fullyRefunded: number;
      unmatched: number;
    };
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
    /** The currency the amounts were written in (ISO code), absent when no sign or code was seen. */
    currencyDetected?: string;
    /** Problems found by the ready-summary readers, with line:column (summary kinds only). */
    summaryErrors?: SummaryProblem[];
    /** How the kind was chosen, e.g. "detected from the header: frequency, recency, periods". */
    kindNote?: string;
    /** Where the kind came from: detected from the header, chosen by the user, or a bundled demo. */
    kindOrigin?: 'header' | 'chosen' | 'demo';
  };
  payload: AnyDatasetPayload;
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
  // --- Added for the retention cell's sources, bands and value (src/lib/engine/retention.ts) ---
  /** Where the survival counts came from: the data's cohorts, Fader & Hardie (2007) Table 1, or a pasted table. */
  source?: 'data' | 'table1' | 'table';
  /** Table 1 segment ('regular' | 'highEnd'), or the number of cohorts for the other sources. */
  sourceLabel?: string;
  /** Length of one period (periodUnit is kept for old readers; 'years' for Table 1). */
  unit?: 'months' | 'quarters' | 'years';
  /** Last period whose counts entered the fit; observed points after it are holdout or left out. */
  fitEnd?: number;
  /** Pooled observed survival of the fitted counts only (NaN where none), by period 0..h. */
  observedFit?: number[];
  /** Pooled observed retention rate alive(k)/alive(k−1) over all observed counts (NaN at 0 and beyond data). */
  observedRate?: number[];
  /** Last observed period. */
  observedLast?: number;
  /**
   * Data source only: complete periods required after a period for it to be fitted (the last `periods` calendar
   * periods are left out), whether chosen automatically, and the P90 gap between purchase days it came from.
   */
  followUp?: { periods: number; auto: boolean; gapDaysP90: number };
  /** Parameter-uncertainty bands of the survival and retention-rate curves, per period 0..h (seeded). */
  bands?: {
    low: number[];
    high: number[];
    rateLow: number[];
    rateHigh: number[];
    level: number;
    draws: number;
    seed: number;
    note?: string;
  };
  /**
   * Value of a customer in periods of margin (multiply by margin per period): DEL of a new customer and DERL
   * after n renewals (Fader & Hardie 2010), against constant churn; lifetimes in periods.
   */
  value?: {
    annualDiscountRate: number;
    discountRatePerPeriod: number;
    del: number;
    derlRenewals: number[];
    derl: number[];
    derlConstant: number;
    expectedLifetimeConstant: number;
    medianLifetime: number;
  };
}

/**
 * Why a customer was left out of a model's fit: 'holdout-only' (first seen on or after the calibration end),
 * 'zero-age' (T = 0), 'zero-recency' (repeat purchases with recency 0), 'recency-above-age' (t_x > T),
 * 'invalid' (a value not finite or negative), 'no-repeat' (x = 0: no repeat spend to average),
 * 'non-positive-spend' (mean repeat spend <= 0).
 */
export type ExclusionReason =
  | 'holdout-only'
  | 'zero-age'
  | 'zero-recency'
  | 'recency-above-age'
  | 'invalid'
  | 'no-repeat'
  | 'non-positive-spend';

/** Which customers a model was fitted on, and how many were left out for each reason (reasons with 0 omitted). */
export interface CustomersUsed {
  /** Customers the fit used. */
  used: number;
  /** Customers in the dataset (transactions: every customer; a summary table: its customers). */
  total: number;
  excluded: Array<{ reason: ExclusionReason; customers: number }>;
  /** The calibration end the fit stopped at (ISO), transaction logs only. */
  calibrationEnd?: string;
}

export interface PurchaseResult {
  /** Customers the model was fitted on and those left out, with the reasons. */
  customers?: CustomersUsed;
  /** Dataset kind the fit came from (absent = transactions). */
  kind?: DatasetKind;
  /** Which diagnostics could be computed (a ready summary has no dates, so no tracking plot). */
  available?: { tracking: boolean; holdout: boolean };
  /** Actual vs expected number of customers by calibration frequency x (BG/BB: P(X(n) = x)). */
  frequencyFit?: { frequency: number[]; actual: number[]; predicted: number[] };
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
  /** The same, with the reasons customers were skipped (no repeat purchase, mean spend <= 0, holdout only). */
  customers?: CustomersUsed;
}

export interface ForecastResult {
  ids: string[];
  // Per-customer columns are typed arrays: they move from the worker by transfer, not by copy.
  clv: Float64Array;
  /** Per-customer interval; null when there are too many customers to simulate with the forecast (ask forecastIntervals). */
  clvLow: Float64Array | null;
  clvHigh: Float64Array | null;
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  expectedSpend: Float64Array;
  /** Customers (row indices) in ascending order of clv, ties by index; absent for a BG/BB table. */
  byValue?: Int32Array;
  /** Each customer's history at the observation end (RFM inputs), in `unit`; absent for a BG/BB table. */
  history?: {
    frequency: Float64Array;
    recency: Float64Array;
    T: Float64Array;
    monetaryValue: Float64Array;
    unit: 'days' | 'weeks' | 'months';
  };
  /** Median of each customer's CLV distribution (same draws as clvLow/clvHigh); null or absent when not simulated. */
  clvMedian?: Float64Array | null;
  total: number;
  /** Interval of the total; NaN when it was switched off. */
  totalLow: number;
  totalHigh: number;
  mean: number;
  horizonMonths: number;
  /** Central probability of the intervals (0.8 = P10–P90). */
  interval?: number;
  /** 'money' (default) or 'transactions' (BG/BB without a value per transaction: discounted expected transactions). */
  valueUnit?: 'money' | 'transactions';
  /** Customers per row (BG/BB rows group identical customers); absent = 1 each. */
  weights?: Float64Array;
  /** Histogram, segments and certain-alive count over all customers (computed beside the forecast). */
  summary: ForecastSummary;
  /** What the numbers mean, e.g. "discounted gross margin over 12 months at 10%/year". */
  note: string;
}
