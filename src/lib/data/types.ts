/**
 * Types of the data layer: imported transactions (typed columns), the import report, RFM and cohort tables.
 * Dates are day numbers (days since 1970-01-01, see dates.ts); money is in the file's currency units.
 */

/** Roles a column can play in a transaction log. customer and date are required; the rest optional. */
export type ColumnRole = 'customer' | 'date' | 'amount' | 'quantity' | 'orderId' | 'channel';

/** The column roles in display order. */
export const COLUMN_ROLES: readonly ColumnRole[] = [
  'customer',
  'date',
  'amount',
  'quantity',
  'orderId',
  'channel',
];

/**
 * An explicit column for a role: a header name (matched case-insensitively, surrounding spaces ignored; a text
 * of digits that names no header is a 1-based column number, "2" = second column) or a 0-based column index
 * (number); `null` says "this file has no such column" (stops auto-detection for that role).
 */
export type ColumnRef = string | number | null;

/** Explicit mapping; roles left out are auto-detected from header names, then from content. */
export type ColumnMapping = Partial<Record<ColumnRole, ColumnRef>>;

/**
 * Day/month order of dates like 03/04/2024. 'auto' decides from the whole column (a first field above 12 proves
 * DD/MM, a second above 12 proves MM/DD) and reports an ambiguity when nothing decides.
 */
export type DateOrder = 'auto' | 'dmy' | 'mdy';

/** Options of the importer. Everything is optional: the defaults sniff the file. */
export interface ImportOptions {
  /** Explicit columns (override auto-detection). */
  mapping?: ColumnMapping;
  /** Day/month order of slash dates (default 'auto'). */
  dateOrder?: DateOrder;
  /** Field delimiter; 'whitespace' = runs of spaces/tabs (CDNOW_sample.txt). Default: sniffed. */
  delimiter?: ',' | ';' | '\t' | '|' | 'whitespace';
  /** Text encoding. Default: sniffed (BOM, then UTF-8 validity, then GB18030 vs windows-1252). */
  encoding?: 'utf-8' | 'gb18030' | 'windows-1252' | 'utf-16le' | 'utf-16be';
  /** Does the first row hold column names? Default 'auto' (a first row of only numbers/dates is data). */
  header?: boolean | 'auto';
  /** Decimal separator for ambiguous amounts like "1,234". Default: sniffed from the column. */
  decimalSeparator?: '.' | ',';
  /** Read plain numbers in the date column as Excel serial dates (default: true when the column is all numbers). */
  excelSerialDates?: boolean;
}

/** How a column was chosen for a role. */
export interface ColumnChoice {
  /** 0-based column index. */
  index: number;
  /** Header name (or "column N" when the file has no header). */
  name: string;
  /** 'explicit' (given in options), 'header' (name matched), 'content' (values look right). */
  how: 'explicit' | 'header' | 'content';
}

/**
 * Values interpolated into an import message or reject reason, by name, so the UI can render the same message
 * in another language (English and 简体中文) from `code` + `params` instead of parsing the English `text`.
 * Values are data (numbers, column names, the field's text as written, role keys), never English words.
 */
export type MessageParams = Record<string, string | number>;

/**
 * Reject codes (`RejectedRow.code`) and their params. Every reject also has the English `reason`.
 * - `fatal`: nothing can be read from the file; the row carries the file-level problem (params as the `fatal`
 *   message below: `cause` + its values).
 * - `empty-row` {}: a row of only delimiters.
 * - `unclosed-quote` {}: a quoted field that never closes.
 * - `too-few-fields` {fields, expected, missing}: `missing` = the required columns' names, quoted, comma-joined.
 * - `too-many-fields` {fields, expected, delimiter}: extra non-empty fields (an unquoted delimiter in a value?).
 * - `date-empty` {}.
 * - `date-not-a-date` {value}: text that is no date.
 * - `date-not-real` {value}: looks like a date but is not one (2024-02-30, month 13, hour 25).
 * - `date-not-real-order` {value, order, decidedBy, evidenceLine?, evidenceValue?, evidenceRows?}: a DD/MM or
 *   MM/DD date impossible in the order used; order = 'DD/MM/YYYY' | 'MM/DD/YYYY'; decidedBy = 'option' (given),
 *   'line' (evidenceLine / evidenceValue, the first date that proved the order), 'sample' (evidenceRows dates
 *   in the first rows).
 * - `date-out-of-range` {value, year, minYear, maxYear}: a real date outside MIN_YEAR..MAX_YEAR (9999-12-31).
 * - `amount-empty` {}.
 * - `amount-not-a-number` {value}.
 * - `amount-too-large` {value, limit}: |amount| > limit (1e15); sums of such values overflow to Infinity.
 * - `quantity-empty` {priceColumn}: the amount is quantity × the unit price column `priceColumn`.
 * - `quantity-not-a-number` {value}.
 * - `customer-empty` {}.
 * - `refund-unmatched` {amount, date, customer, order?}: a refund (negative amount) with no purchase to net
 *   against — no purchase of its order in the file, or no purchase by the customer on or before its date
 *   (added after the import by netRefunds, src/lib/data/refunds.ts).
 */
export const REJECT_CODES = [
  'fatal',
  'empty-row',
  'unclosed-quote',
  'too-few-fields',
  'too-many-fields',
  'date-empty',
  'date-not-a-date',
  'date-not-real',
  'date-not-real-order',
  'date-out-of-range',
  'amount-empty',
  'amount-not-a-number',
  'amount-too-large',
  'quantity-empty',
  'quantity-not-a-number',
  'customer-empty',
  'refund-unmatched',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

/** One rejected row: 1-based physical line where the row starts, why, and its raw text. */
export interface RejectedRow {
  line: number;
  /** Why, in English (e.g. `date "31/02/2024" is not a real date`). */
  reason: string;
  raw: string;
  /** Stable machine-readable reason (list above RejectCode). */
  code: RejectCode;
  /** The values in `reason`, by name (see RejectCode). */
  params: MessageParams;
}

/**
 * A message for the user, with what to do. Codes (`code`) and their `params`:
 * - `fatal` (error) {cause, ...}: nothing usable comes out of the file; `cause` says why:
 *   `binary` {format: 'zip' | 'xls' | 'pdf' | 'gzip' | 'parquet' | 'binary'}; `no-complete-row` {kb};
 *   `unknown-column` {role, column} (an explicit column that is not in the file; column = name, or 1-based
 *   number); `missing-column` {role, columns} (no customer/date column found; columns = the names found, quoted,
 *   comma-joined); `empty-file` {}; `blank-only` {}; `no-data-rows` {columns}; `no-row-readable` {rows, line,
 *   reasonCode, reason} (every row rejected; the first reject's line and code/English reason).
 *   Roles are ColumnRole keys ('customer', 'date', 'amount', ...).
 * - `preamble` (info) {lines}: lines skipped before the header row.
 * - `no-header` (info) {columns}: no header row; columns are named "column 1" … "column {columns}".
 * - `no-amount` (warning) {columns}: no amount column found (columns = the names found).
 * - `mapping` (info) {<role>: column name, <role>How: 'explicit' | 'header' | 'content'} for each mapped role.
 * - `amount-from-price` (info) {quantity, price}: amount = quantity column × unit price column.
 * - `mixed-dates` (warning) {dmyRows, mdyRows, order}: both DD/MM and MM/DD evidence; order used.
 * - `dotted-dates` (info) {example}: DD.MM.YYYY dates read day first.
 * - `ambiguous-dates` (warning) {example}: DD/MM vs MM/DD undecided; read as DD/MM/YYYY.
 * - `negative-amounts` (warning) {rows}; `bad-quantity` (warning) {rows}.
 * - `currency` (info) {code, rows, yen}: the amounts' currency (yen = 1 when ¥ alone was written: CNY or JPY).
 * - `mixed-currencies` (warning) {codes}: more than one currency among the amounts ("CNY 1,200, USD 3").
 * - `refunds-netted` (info) {rows, amount, byOrder, byPurchase, fullyRefunded} and `refunds-unmatched` (warning)
 *   {rows}: added after the import by refundMessages (src/lib/data/refunds.ts).
 * - `holdout-only` (info) {customers, date}: customers first seen on/after the calibration end (dataset only).
 * - `single-customer` (warning) {rows}: all accepted rows belong to one customer.
 * - `one-day` (warning) {date}: all purchases on one day (ISO date).
 * - `rejects-truncated` (info) {listed}: every row rejected for the fatal reason; the first `listed` are listed.
 */
export interface ImportMessage {
  level: 'error' | 'warning' | 'info';
  /** Stable code for the UI (list above). */
  code: string;
  /** The message in English. */
  text: string;
  /** The values in `text`, by name (list above), for rendering the message in another language. */
  params: MessageParams;
}

/** Everything the user should know about an import; accepted + rejected === rowsRead always. */
export interface ImportReport {
  /** Data rows read (records after the header, blank lines excluded). */
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Blank (or whitespace-only) lines skipped; not rows. */
  blankLines: number;
  /** Distinct customers among accepted rows. */
  customers: number;
  bytesRead: number;
  encoding: string;
  bom: boolean;
  delimiter: ',' | ';' | '\t' | '|' | 'whitespace';
  hasHeader: boolean;
  /** Column names (header names, or "column 1"… without a header). */
  columns: string[];
  /** The chosen column per role (absent = not in the file). */
  mapping: Partial<Record<ColumnRole, ColumnChoice>>;
  /** Day/month order used for slash dates ('ymd' when no slash dates were seen). */
  dateOrder: 'dmy' | 'mdy' | 'ymd';
  /** True when slash dates were seen and nothing in the file decided the day/month order. */
  dateOrderAmbiguous: boolean;
  decimalSeparator: '.' | ',';
  /** First and last accepted dates, ISO (undefined when nothing was accepted). */
  firstDate?: string;
  lastDate?: string;
  /** Accepted rows with a negative amount (refunds/returns: kept, flagged) and with zero amount. */
  negativeAmounts: number;
  zeroAmounts: number;
  /**
   * Accepted rows by the currency their amount was written in (AMOUNT_CURRENCIES in numbers.ts: 'USD', 'CNY',
   * 'YEN' = ¥ alone, 'OTHER' ...); rows without a sign are not counted.
   */
  currencyRows: Record<string, number>;
  /** The amounts' currency (ISO 4217: the most frequent sign or code, ¥ read as CNY); absent when none is written. */
  currency?: string;
  /** Every rejected row, in file order. */
  rejects: RejectedRow[];
  messages: ImportMessage[];
  /** Set when nothing usable can come out of this file (empty, no header, missing required column…). */
  fatal?: string;
}

/**
 * Accepted transactions as typed columns (one entry per accepted row, file order). The arrays may be views
 * of larger buffers (up to 1.5x the row count: no copy at the end of an import); transfer `array.buffer`
 * or `slice()` first when exact-size buffers matter.
 * Example: CDNOW_sample.txt gives n = 6,919, customerIds.length = 2,357, day[0] = 9862 (1997-01-01).
 */
export interface Transactions {
  n: number;
  /** Customer index per row, into customerIds. */
  customer: Int32Array;
  /** Distinct customer ids in order of first appearance. */
  customerIds: string[];
  /** Day number per row (days since 1970-01-01; the calendar date as written). */
  day: Int32Array;
  /** Amount per row in currency units (negative = refund), or null when the file has no amount column. */
  amount: Float64Array | null;
  /** Quantity per row (NaN when blank/unreadable), or null. */
  quantity: Float64Array | null;
  /** Order index per row into orderIds, or null. */
  order: Int32Array | null;
  orderIds: string[] | null;
  /** Channel/segment index per row into channels, or null. */
  channel: Int32Array | null;
  channels: string[] | null;
  /** 1-based source line of each row (traceability back to the file). */
  line: Int32Array;
}

/** Result of an import: the columns and the report. */
export interface ImportResult {
  transactions: Transactions;
  report: ImportReport;
}

/** Progress after a chunk (for a progress bar). */
export interface ImportProgress {
  bytesRead: number;
  rowsRead: number;
  accepted: number;
  rejected: number;
}

/** Time unit of RFM summaries. A month is 365.25 / 12 = 30.4375 days; a week is 7 days. */
export type TimeUnit = 'day' | 'week' | 'month';

/** Options of rfmSummary. Dates are day numbers or ISO text. */
export interface RfmOptions {
  /** Time unit of recency, T and durations (default 'day'). */
  unit?: TimeUnit;
  /** Last day of observation (inclusive for transactions; T = this day − first purchase). Default: last date in the data. */
  observationEnd?: number | string;
  /** Last day of calibration: adds holdout columns (transactions after it, up to observationEnd). */
  calibrationEnd?: number | string;
}

/**
 * RFM summary per customer in lifetimes' conventions (summary_data_from_transaction_data /
 * calibration_and_holdout_data with freq='D', freq_multiplier = days per unit).
 * frequency = repeat purchase days; recency = last − first purchase; T = end − first purchase (units);
 * monetaryValue = mean of the day totals on repeat purchase days (0 when frequency = 0).
 */
export interface RfmSummary {
  unit: TimeUnit;
  /** Days per unit: 1, 7, or 30.4375 (= 365.25 / 12). */
  daysPerUnit: number;
  /** Human statement of the unit, e.g. "time unit: week (7 days)". */
  unitNote: string;
  /** Customer ids, one per row, in order of first appearance in the file. */
  customerIds: string[];
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Null when the transactions have no amount column. */
  monetaryValue: Float64Array | null;
  /** Present when calibrationEnd was given. */
  holdout?: {
    /** Purchase days in (calibrationEnd, observationEnd]. */
    frequency: Float64Array;
    /** Mean amount of the holdout transactions (lifetimes: raw transactions, not day totals), 0 if none; null without amounts. */
    monetaryValue: Float64Array | null;
    /** observationEnd − calibrationEnd in units. */
    duration: number;
  };
  /** ISO dates used. */
  observationEnd: string;
  calibrationEnd?: string;
  /** Transactions after the observation end (ignored). */
  rowsAfterEnd: number;
  /**
   * Customers left out: with a calibration end, those first seen on or after it (no calibration history: T would
   * be 0; they belong to the holdout only); without one, those first seen after the observation end.
   */
  customersExcluded: number;
  warnings: string[];
}

/** Cohort period. Weeks start on Monday (ISO 8601); quarters are calendar quarters. */
export type CohortPeriod = 'week' | 'month' | 'quarter';

/** Options of cohortTable / survivalCounts. */
export interface CohortOptions {
  /** Acquisition and activity period (default 'month'). */
  period?: CohortPeriod;
  /** Last observed day (inclusive). Default: last date in the data. */
  observationEnd?: number | string;
}

/**
 * Acquisition-cohort table: cohorts (rows) × periods since acquisition (columns), row-major Float64Arrays of
 * cohorts.length × periods. Cells not yet observed (period starts after observationEnd) are NaN, never 0;
 * `complete[i]` is 1 only when the cell's calendar period ended on or before observationEnd.
 */
export interface CohortTable {
  period: CohortPeriod;
  /** Cohort labels: "1997-01" (month), "1997-Q1" (quarter), "1997-01-06" (Monday of the week). */
  cohorts: string[];
  /** First day (day number) of each cohort's period. */
  cohortStart: Int32Array;
  /** Customers acquired in each cohort (first purchase in that period). */
  size: Int32Array;
  /** Number of period columns (0 = acquisition period). */
  periods: number;
  /** Customers with at least one transaction in the cell. */
  active: Float64Array;
  /** active / size × 100. */
  activePct: Float64Array;
  /** Transactions in the cell (distinct order ids when an order id column is mapped). */
  orders: Float64Array;
  /** Sum of amounts in the cell (0 without an amount column). */
  revenue: Float64Array;
  /** revenue / size. */
  revenuePerCustomer: Float64Array;
  /** Running sum of revenuePerCustomer over periods 0..k. */
  cumulativeRevenuePerCustomer: Float64Array;
  /** 1 = the cell's period is fully observed; 0 = partial (right-censored) or unobserved (NaN values). */
  complete: Uint8Array;
  observationEnd: string;
}

/** Survival counts of one cohort period, the `cohort,period,alive` rows the sBG/BdW fit reads. */
export interface SurvivalRow {
  cohort: string;
  /** Periods since acquisition (0 = acquisition period, alive = cohort size). */
  period: number;
  /** Customers whose last active period is at or after `period`. */
  alive: number;
}
