/**
 * From an import to a dataset the notebook can use, and the cohort view of it. Pure (runs in the worker and
 * in Node tests).
 */
import {
  calibrationSplit,
  cohortTable,
  holdoutOnlyNote,
  netRefunds,
  refundMessages,
  DAYS_PER_UNIT,
} from '../data/index.ts';
import { cachedRfm } from './rfmCache.ts';
import { isoDate } from '../data/dates.ts';
import { isCurrency, type Currency } from '../i18n/format.ts';
import type { ImportResult, RejectedRow, TimeUnit, Transactions } from '../data/types.ts';
import { readBgBbCsv, readRfmCsv, readSurvivalCsv } from '../data/summaries.ts';
import { datasetFromSharedSummary, isSharedSummaryText } from '../scenario/summary.ts';
import type {
  AnyDatasetPayload,
  BgBbPayload,
  CohortResult,
  Dataset,
  DatasetKind,
  DatasetOptions,
  DatasetPayload,
  RfmPayload,
  SummaryProblem,
} from './types.ts';

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

/** The CDNOW sample as a ready RFM table (weeks, 39-week calibration + 39-week holdout), made from CDNOW_DEMO. */
export const CDNOW_RFM_DEMO = {
  name: 'CDNOW RFM summary (2,357 customers, weeks, 39-week holdout)',
  summaryKind: 'rfm',
  unit: 'week',
  currency: 'USD',
} as const;

/** Donations BG/BB table of Fader, Hardie & Shang (2010): 11,104 first-time donors, 6 yearly opportunities. */
export const DONATIONS_DEMO = {
  name: 'Donations BG/BB (11,104 donors, 6 yearly opportunities 1996–2001)',
  summaryKind: 'bgbb',
  unit: 'week',
  currency: 'USD',
} as const;

/** The currency asked for, else the one detected in the amounts (a supported code), else USD. */
function currencyOf(options: DatasetOptions, detected?: string): Currency {
  if (options.currency && options.currency !== 'auto') return options.currency;
  return isCurrency(detected) ? detected : 'USD';
}

/**
 * Builds a Dataset from an import. Refunds are netted against their purchases first (src/lib/data/refunds.ts),
 * so every summary, cell and the forecast read purchases only. Throws a message saying what to do when nothing
 * usable came in (empty file, missing column...) or when the data cannot feed the models (one customer, one day).
 * Defaults: weeks; observation end = last date; calibration end = two thirds of the way through, or the date /
 * the last `holdoutWeeks` weeks asked for. Customers first seen on or after the calibration end are holdout only
 * and counted (`summary.holdoutOnly`, message `holdout-only`).
 */
export function datasetFromImport(name: string, result: ImportResult, options: DatasetOptions = {}): Dataset {
  const { transactions: imported, report } = result;
  if (report.fatal) throw new Error(report.fatal);
  if (imported.n === 0) {
    throw new Error(
      `no usable rows in ${name}: ${report.rejected} of ${report.rowsRead} rows were rejected (see the import report for line numbers and reasons)`,
    );
  }
  const { transactions: tx, refunds } = netRefunds(imported);
  if (tx.n === 0)
    throw new Error(
      `no purchases left in ${name} after netting ${refunds.refundRows} refund row(s): every purchase is fully refunded or every row is a refund — check the amount column`,
    );
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
  const split = calibrationSplit(tx, {
    calibrationEnd: options.calibrationEnd || undefined,
    holdoutWeeks: options.holdoutWeeks || undefined,
    observationEnd: options.observationEnd || undefined,
  });
  const { calibrationEnd, observationEnd } = split;
  const payload: DatasetPayload = {
    transactions: tx,
    unit,
    daysPerUnit: DAYS_PER_UNIT[unit],
    calibrationEnd,
    observationEnd,
  };
  const rfm = cachedRfm(tx, { unit, observationEnd });
  let repeaters = 0;
  for (let i = 0; i < rfm.frequency.length; i++) if (rfm.frequency[i] > 0) repeaters++;
  // Refunds with nothing to net against are rows not used: listed with the rejects (accepted + rejected = read).
  const rejects = refunds.unmatched.length
    ? [...report.rejects, ...refunds.unmatched].sort((a, b) => a.line - b.line)
    : report.rejects;
  const messages = [...report.messages, ...refundMessages(refunds)];
  if (split.holdoutOnly > 0)
    messages.push({
      level: 'info',
      code: 'holdout-only',
      text: holdoutOnlyNote(split),
      params: { customers: split.holdoutOnly, date: isoDate(calibrationEnd) },
    });
  return {
    kind: 'transactions',
    name,
    currency: currencyOf(options, report.currency),
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
      calibrationHow: split.how,
      calibrationCustomers: split.calibrationCustomers,
      holdoutOnly: split.holdoutOnly,
      refunds: {
        rows: refunds.refundRows,
        netted: refunds.nettedRows,
        amount: refunds.nettedAmount,
        byOrder: refunds.byOrder,
        byPurchase: refunds.byPurchase,
        fullyRefunded: refunds.fullyRefunded,
        unmatched: refunds.unmatched.length,
      },
    },
    report: {
      accepted: report.accepted - refunds.unmatched.length,
      rejected: report.rejected + refunds.unmatched.length,
      rowsRead: report.rowsRead,
      problems: rejects.slice(0, 100).map((r) => ({ line: r.line, reason: r.reason })),
      rejects,
      messages,
      currencyDetected: report.currency,
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
  payload: AnyDatasetPayload,
  period: 'week' | 'month' | 'quarter',
  measure: 'customers' | 'revenue',
): CohortResult {
  const tx = transactionsOf(payload, 'the cohort table');
  const t = cohortTable(tx.transactions as Transactions, {
    period,
    observationEnd: tx.observationEnd,
  });
  const P = t.periods;
  const n = t.cohorts.length;
  const values = rows(measure === 'customers' ? t.active : t.revenue, n, P, (v) => v);
  const relative = rows(measure === 'customers' ? t.activePct : t.revenuePerCustomer, n, P, (v) => v);
  const incomplete = rows(t.complete, n, P, (v) => v === 0);
  return { cohorts: t.cohorts, values, relative, sizes: Array.from(t.size), incomplete };
}

const KIND_WORDS: Record<DatasetKind, string> = {
  transactions: 'a transaction log',
  rfm: 'a ready RFM summary',
  bgbb: 'a ready BG/BB recency/frequency table',
  survival: 'a cohort survival table',
};

/** The kind of a payload ('transactions' when it has no tag). */
export function payloadKind(p: AnyDatasetPayload): DatasetKind {
  return p.kind ?? 'transactions';
}

/**
 * The transaction-log payload, or an error naming what is missing: `what` needs dated purchases, which a
 * ready-made summary does not have. Example: transactionsOf(rfm, 'the cohort table') throws "the cohort table
 * needs a transaction log (customer, date, amount per purchase); this dataset is a ready RFM summary ...".
 */
export function transactionsOf(p: AnyDatasetPayload, what: string): DatasetPayload {
  if (p.kind === undefined || p.kind === 'transactions') return p;
  throw new Error(
    `${what} needs a transaction log (customer, date, amount per purchase); this dataset is ${KIND_WORDS[p.kind]}. Load transactions in the data cell, or remove this cell.`,
  );
}

/** Lower-cased header names of the first non-blank, non-comment line of a CSV text. */
function headerNames(text: string): string[] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const raw of t.slice(0, 65536).split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    return splitLine(line).map((h) => h.toLowerCase());
  }
  return [];
}

/** One physical CSV line into trimmed fields (double quotes honoured within the line). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * Detects a ready-made summary from the header: RFM (frequency, recency, T), BG/BB (frequency, recency,
 * periods), survival (period, alive); anything else is a transaction log. Case-insensitive, lifetimes' and
 * BTYD's aliases accepted. Example: detectSummaryKind("frequency,recency,periods,weights\n0,0,6,3464") = 'bgbb'.
 */
export function detectSummaryKind(text: string): DatasetKind {
  const h = new Set(headerNames(text));
  const has = (...names: string[]) => names.some((n) => h.has(n));
  const fr = has('frequency', 'x') && has('recency', 't_x', 't.x');
  if (fr && has('periods', 'n', 'n.cal')) return 'bgbb';
  if (fr && has('t', 't.cal', 't_cal')) return 'rfm';
  if (has('period', 'year', 'month') && has('alive', 'active', 'survivors')) return 'survival';
  return 'transactions';
}

/**
 * Optional numeric columns the strict readers ignore (holdout, value), read for the rows they accepted
 * (`lines`: source line numbers). Bad cells become problems with line:column; the column is then dropped.
 */
function extraColumns(
  text: string,
  lines: Int32Array,
  wanted: Record<string, readonly string[]>,
  problems: SummaryProblem[],
): Record<string, Float64Array | null> {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const physical = t.split('\n');
  let headerLine = -1;
  for (let i = 0; i < physical.length; i++) {
    const l = physical[i].replace(/\r$/, '');
    if (l.trim() !== '' && !l.trimStart().startsWith('#')) {
      headerLine = i;
      break;
    }
  }
  const out: Record<string, Float64Array | null> = {};
  const header =
    headerLine >= 0 ? splitLine(physical[headerLine].replace(/\r$/, '')).map((h) => h.toLowerCase()) : [];
  for (const [key, aliases] of Object.entries(wanted)) {
    const j = header.findIndex((h) => aliases.includes(h));
    if (j < 0) {
      out[key] = null;
      continue;
    }
    const col = new Float64Array(lines.length);
    let ok = true;
    for (let r = 0; r < lines.length && ok; r++) {
      const raw = (physical[lines[r] - 1] ?? '').replace(/\r$/, '');
      const fields = splitLine(raw);
      const cell = fields[j] ?? '';
      const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) ? Number(cell) : NaN;
      if (!(v >= 0)) {
        let column = 1;
        for (let k = 0, pos = 0; k < j && pos >= 0; k++) {
          pos = raw.indexOf(',', pos) + 1;
          column = pos + 1;
        }
        problems.push({
          line: lines[r],
          column,
          message: `${header[j]} must be a number >= 0 (got "${cell.slice(0, 40)}"); the ${header[j]} column is ignored`,
        });
        ok = false;
      } else col[r] = v;
    }
    out[key] = ok ? col : null;
  }
  return out;
}

function summaryReport(
  rowsRead: number,
  accepted: number,
  problems: SummaryProblem[],
  columns: string[],
  kindNote: string,
  notes: Array<[code: string, text: string, params?: Record<string, number>]>,
): Dataset['report'] {
  // One line per problem, "line:column message", for the rejects table and its CSV download.
  const rejects: RejectedRow[] = problems.map((p) => ({
    line: p.line,
    reason: `${p.line}:${p.column} ${p.message}`,
    raw: '',
    code: 'fatal',
    params: { line: p.line, column: p.column },
  }));
  return {
    accepted,
    rejected: Math.max(0, rowsRead - accepted),
    rowsRead,
    problems: rejects.slice(0, 100).map((r) => ({ line: r.line, reason: r.reason })),
    rejects,
    messages: notes.map(([code, text, params]) => ({ level: 'info', code, text, params: params ?? {} })),
    columns,
    mapping: {},
    encoding: 'UTF-8',
    delimiter: ',',
    dateOrder: 'ymd',
    dateOrderAmbiguous: false,
    negativeAmounts: 0,
    summaryErrors: problems,
    kindNote,
  };
}

function dataRowCount(text: string): number {
  let n = -1; // minus the header
  for (const raw of text.split('\n')) {
    const l = raw.replace(/\r$/, '');
    if (l.trim() !== '' && !l.trimStart().startsWith('#')) n++;
  }
  return Math.max(0, n);
}

function fatalOf(name: string, what: string, problems: SummaryProblem[]): Error {
  const first = problems.slice(0, 3).map((p) => `line ${p.line}:${p.column}: ${p.message}`);
  return new Error(
    `no usable rows in ${name} read as ${what}${first.length ? ` — ${first.join('; ')}` : ''}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
  );
}

const EMPTY_SUMMARY = { firstDate: '', lastDate: '', calibrationEnd: '', observationEnd: '' };

/**
 * A ready RFM summary (lifetimes' columns customer_id,frequency,recency,T[,monetary_value]
 * [,frequency_holdout,duration_holdout]) as a dataset; times in `unit` (default weeks). Reader problems are in
 * the report with line:column; a file with no usable row throws. Example: the CDNOW RFM demo gives 2,357
 * customers, 1,411 without a repeat purchase... (946 repeaters).
 */
export function datasetFromRfmText(name: string, text: string, options: DatasetOptions = {}): Dataset {
  const { table, errors } = readRfmCsv(text);
  const problems: SummaryProblem[] = errors.map((e) => ({ ...e }));
  const n = table.frequency.length;
  if (n === 0) throw fatalOf(name, 'an RFM summary (customer_id,frequency,recency,T)', problems);
  const extra = extraColumns(
    text,
    table.lines,
    {
      hf: ['frequency_holdout', 'x.star', 'x_star', 'holdout_frequency'],
      hd: ['duration_holdout', 't.star', 't_star', 'holdout_duration'],
    },
    problems,
  );
  let holdout: RfmPayload['holdout'] = null;
  if (extra.hf && extra.hd) holdout = { frequency: extra.hf, duration: extra.hd };
  const unit = options.unit ?? 'week';
  const payload: RfmPayload = {
    kind: 'rfm',
    unit,
    daysPerUnit: DAYS_PER_UNIT[unit],
    customerIds: table.customerId,
    frequency: table.frequency,
    recency: table.recency,
    T: table.T,
    monetaryValue: table.monetaryValue,
    holdout,
  };
  let repeaters = 0;
  let transactions = 0;
  // Revenue is not known from an RFM table (monetary_value is a mean of repeat purchases only): shown as —.
  const revenue = NaN;
  for (let i = 0; i < n; i++) {
    const x = table.frequency[i];
    if (x > 0) repeaters++;
    transactions += x + 1;
  }
  const notes: Array<[string, string]> = [
    holdout
      ? [
          'summary-rfm-holdout',
          'holdout columns found (frequency_holdout, duration_holdout): the purchase cell scores the model on them',
        ]
      : [
          'summary-rfm-no-holdout',
          'no holdout columns (frequency_holdout, duration_holdout): the purchase cell shows the fit only',
        ],
  ];
  if (!table.monetaryValue)
    notes.push([
      'summary-rfm-no-monetary',
      'no monetary_value column: the spend model and CLV in money need one',
    ]);
  const report = summaryReport(
    dataRowCount(text),
    n,
    problems,
    headerNames(text),
    `RFM summary in ${UNIT_WORD[unit]}`,
    notes,
  );
  return {
    kind: 'rfm',
    name,
    currency: currencyOf(options),
    timeUnit: UNIT_WORD[unit],
    summary: { customers: n, transactions, revenue, repeaters, ...EMPTY_SUMMARY },
    report,
    payload,
  };
}

/**
 * A BG/BB table (frequency,recency,periods[,weights][,frequency_holdout,periods_holdout][,value]) as a
 * dataset (Fader, Hardie & Shang 2010). Customers = sum of weights. Example: public/demo/donations_rf.csv
 * gives 11,104 donors over n = 6 opportunities.
 */
export function datasetFromBgBbText(name: string, text: string, options: DatasetOptions = {}): Dataset {
  const { table, errors } = readBgBbCsv(text);
  const problems: SummaryProblem[] = errors.map((e) => ({ ...e }));
  const rows = table.frequency.length;
  if (rows === 0) throw fatalOf(name, 'a BG/BB table (frequency,recency,periods[,weights])', problems);
  const extra = extraColumns(
    text,
    table.lines,
    {
      hx: ['frequency_holdout', 'x.star', 'x_star'],
      hn: ['periods_holdout', 'n.star', 'n_star'],
      value: ['value', 'monetary_value', 'value_per_transaction', 'amount'],
    },
    problems,
  );
  const holdout = extra.hx && extra.hn ? { frequency: extra.hx, periods: extra.hn } : null;
  const payload: BgBbPayload = {
    kind: 'bgbb',
    frequency: table.frequency,
    recency: table.recency,
    periods: table.periods,
    weights: table.weights,
    holdout,
    value: extra.value,
    opportunitiesPerYear: 1,
  };
  let customers = 0;
  let transactions = 0;
  let repeaters = 0;
  let revenue = extra.value ? 0 : NaN;
  for (let i = 0; i < rows; i++) {
    const w = table.weights[i];
    customers += w;
    transactions += w * table.frequency[i];
    if (table.frequency[i] > 0) repeaters += w;
    if (extra.value) revenue += w * table.frequency[i] * extra.value[i];
  }
  const notes: Array<[string, string]> = [
    [
      'summary-bgbb-discrete',
      'a BG/BB table counts transactions at discrete opportunities (e.g. one donation drive a year); time is in opportunities',
    ],
    holdout
      ? [
          'summary-bgbb-holdout',
          'holdout columns found (frequency_holdout, periods_holdout): the purchase cell compares predictions with them',
        ]
      : [
          'summary-bgbb-no-holdout',
          'no holdout columns (frequency_holdout, periods_holdout): the purchase cell shows the fit and P(alive) only',
        ],
    extra.value
      ? ['summary-bgbb-value', 'value column found: the forecast gives money (DERT × value per transaction)']
      : [
          'summary-bgbb-no-value',
          'no value column: the forecast gives discounted expected transactions, not money',
        ],
  ];
  const report = summaryReport(dataRowCount(text), rows, problems, headerNames(text), 'BG/BB table', notes);
  return {
    kind: 'bgbb',
    name,
    currency: currencyOf(options),
    timeUnit: 'weeks',
    summary: { customers, transactions, revenue, repeaters, ...EMPTY_SUMMARY },
    report,
    payload,
  };
}

/** Cohort survival counts (period,alive or cohort,period,alive) as a dataset for the retention cell. */
export function datasetFromSurvivalText(name: string, text: string, options: DatasetOptions = {}): Dataset {
  const { table, errors } = readSurvivalCsv(text);
  const problems: SummaryProblem[] = errors.map((e) => ({ ...e }));
  if (table.length === 0) throw fatalOf(name, 'a survival table (period,alive)', problems);
  let customers = 0;
  let accepted = 0;
  for (const c of table) {
    customers += c.alive[0];
    accepted += c.alive.length;
  }
  const report = summaryReport(dataRowCount(text), accepted, problems, headerNames(text), 'survival table', [
    [
      'summary-survival',
      `${table.length} cohort${table.length > 1 ? 's' : ''}: the retention cell fits sBG/BdW to them`,
      { cohorts: table.length },
    ],
  ]);
  return {
    kind: 'survival',
    name,
    currency: currencyOf(options),
    timeUnit: 'months',
    summary: { customers, transactions: NaN, revenue: NaN, repeaters: NaN, ...EMPTY_SUMMARY },
    report,
    payload: { kind: 'survival', cohorts: table },
  };
}

/**
 * A ready summary from text, of the kind asked for or detected from the header ('auto'). Returns null when
 * the text is a transaction log (the caller streams it through the transaction importer instead). `origin`
 * replaces the "detected from the header" / "chosen by you" note (e.g. 'bundled demo').
 */
export function datasetFromSummaryText(
  name: string,
  text: string,
  options: DatasetOptions = {},
  origin?: string,
): Dataset | null {
  // A share link's customer summary (src/lib/scenario/summary.ts) reads the same whatever kind was asked.
  if (isSharedSummaryText(text)) return datasetFromSharedSummary(name, text, options);
  const asked = options.summaryKind ?? 'auto';
  const kind = asked === 'auto' ? detectSummaryKind(text) : asked;
  const how =
    origin ??
    (asked === 'auto'
      ? `detected from the header (${headerNames(text).slice(0, 6).join(', ')})`
      : 'chosen by you');
  let ds: Dataset;
  if (kind === 'rfm') ds = datasetFromRfmText(name, text, options);
  else if (kind === 'bgbb') ds = datasetFromBgBbText(name, text, options);
  else if (kind === 'survival') ds = datasetFromSurvivalText(name, text, options);
  else return null;
  ds.report.kindNote = `${KIND_WORDS[kind]}, ${how}`;
  ds.report.kindOrigin = origin ? 'demo' : asked === 'auto' ? 'header' : 'chosen';
  return ds;
}
