/**
 * From an import to a dataset the notebook can use, and the cohort view of it. Pure (runs in the worker and
 * in Node tests).
 */
import { cohortTable, rfmSummary, DAYS_PER_UNIT } from '../data/index.ts';
import { isoDate, parseDateText } from '../data/dates.ts';
import type { ImportResult, TimeUnit, Transactions } from '../data/types.ts';
import type { CohortResult, Dataset, DatasetOptions, DatasetPayload } from './types.ts';

const UNIT_WORD: Record<TimeUnit, Dataset['timeUnit']> = { day: 'days', week: 'weeks', month: 'months' };

/** The CDNOW demo: the standard 39-week calibration / 39-week holdout split of Fader, Hardie & Lee (2005). */
export const CDNOW_DEMO = {
  name: 'CDNOW sample (2,357 customers, 1997–1998)',
  import: {
    mapping: { customer: 0, date: 2, quantity: 3, amount: 4 },
    header: false,
    delimiter: 'whitespace',
  },
  unit: 'week',
  calibrationEnd: '1997-09-30',
  observationEnd: '1998-06-30',
  currency: 'USD',
} as const;

function dayOf(text: string | undefined, what: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const d = parseDateText(text, 'dmy');
  if (d === undefined) throw new Error(`${what} "${text}" is not a date: use YYYY-MM-DD`);
  return d;
}

/**
 * Builds a Dataset from an import. Throws a message saying what to do when nothing usable came in
 * (empty file, missing column...) or when the data cannot feed the models (one customer, one day).
 * Defaults: weeks; observation end = last date; calibration end = two thirds of the way through.
 */
export function datasetFromImport(name: string, result: ImportResult, options: DatasetOptions = {}): Dataset {
  const { transactions: tx, report } = result;
  if (report.fatal) throw new Error(report.fatal);
  if (tx.n === 0) {
    throw new Error(
      `no usable rows in ${name}: ${report.rejected} of ${report.rowsRead} rows were rejected (see the import report for line numbers and reasons)`,
    );
  }
  let first = Infinity;
  let last = -Infinity;
  let revenue = 0;
  for (let i = 0; i < tx.n; i++) {
    const d = tx.day[i];
    if (d < first) first = d;
    if (d > last) last = d;
    if (tx.amount) revenue += tx.amount[i];
  }
  if (tx.customerIds.length < 2) {
    throw new Error(
      `${name} has a single customer (${tx.customerIds[0]}): the models compare customers, so they need at least two. Check the customer-id column mapping.`,
    );
  }
  if (first === last) {
    throw new Error(
      `every purchase in ${name} is on one day (${isoDate(first)}): repeat-purchase models need purchases spread over time. Check the date column mapping.`,
    );
  }
  const unit = options.unit ?? 'week';
  const observationEnd = dayOf(options.observationEnd, 'observation end') ?? last;
  const calibrationEnd =
    dayOf(options.calibrationEnd, 'calibration end') ?? first + Math.round(((last - first) * 2) / 3);
  if (!(calibrationEnd > first && calibrationEnd < observationEnd)) {
    throw new Error(
      `the calibration end ${isoDate(calibrationEnd)} must fall between the first purchase ${isoDate(first)} and the observation end ${isoDate(observationEnd)}`,
    );
  }
  const payload: DatasetPayload = {
    transactions: tx,
    unit,
    daysPerUnit: DAYS_PER_UNIT[unit],
    calibrationEnd,
    observationEnd,
  };
  const rfm = rfmSummary(tx, { unit, observationEnd });
  let repeaters = 0;
  for (let i = 0; i < rfm.frequency.length; i++) if (rfm.frequency[i] > 0) repeaters++;
  return {
    name,
    currency: options.currency ?? 'USD',
    timeUnit: UNIT_WORD[unit],
    summary: {
      customers: tx.customerIds.length,
      transactions: tx.n,
      revenue,
      repeaters,
      firstDate: isoDate(first),
      lastDate: isoDate(last),
      calibrationEnd: isoDate(calibrationEnd),
      observationEnd: isoDate(observationEnd),
    },
    report: {
      accepted: report.accepted,
      rejected: report.rejected,
      rowsRead: report.rowsRead,
      problems: report.rejects.slice(0, 100).map((r) => ({ line: r.line, reason: r.reason })),
      rejects: report.rejects,
      messages: report.messages,
      columns: report.columns,
      mapping: report.mapping,
      encoding: report.encoding,
      delimiter: report.delimiter,
      dateOrder: report.dateOrder,
      dateOrderAmbiguous: report.dateOrderAmbiguous,
      negativeAmounts: report.negativeAmounts,
    },
    payload,
  };
}

function rows<T>(
  flat: ArrayLike<number>,
  nRows: number,
  nCols: number,
  f: (v: number, i: number, k: number) => T,
): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < nRows; i++) {
    const row: T[] = [];
    for (let k = 0; k < nCols; k++) row.push(f(flat[i * nCols + k], i, k));
    out.push(row);
  }
  return out;
}

/**
 * Cohort view for the heatmap: customers active (or revenue) per acquisition cohort × period since
 * acquisition; unobserved cells NaN, incomplete (right-censored) cells flagged.
 */
export function cohortView(
  payload: DatasetPayload,
  period: 'week' | 'month' | 'quarter',
  measure: 'customers' | 'revenue',
): CohortResult {
  const t = cohortTable(payload.transactions as Transactions, {
    period,
    observationEnd: payload.observationEnd,
  });
  const P = t.periods;
  const n = t.cohorts.length;
  const values = rows(measure === 'customers' ? t.active : t.revenue, n, P, (v) => v);
  const relative = rows(measure === 'customers' ? t.activePct : t.revenuePerCustomer, n, P, (v) => v);
  const incomplete = rows(t.complete, n, P, (v) => v === 0);
  return { cohorts: t.cohorts, values, relative, sizes: Array.from(t.size), incomplete };
}
