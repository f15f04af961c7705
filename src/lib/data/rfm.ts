/**
 * RFM summary (frequency, recency, T, monetary value) per customer, in the conventions of lifetimes
 * (`summary_data_from_transaction_data`, `calibration_and_holdout_data` with freq='D' and
 * freq_multiplier = days per unit) and of BTYD's `dc.ElogToCbsCbt` as used by Fader, Hardie & Lee (2005),
 * "Counting Your Customers the Easy Way", Marketing Science 24(2):
 *
 * - purchases on the same day by the same customer are merged into one purchase (their amounts summed);
 * - frequency x = number of purchase days after the first (repeat purchases);
 * - recency t_x = last purchase day − first purchase day;
 * - T = end day − first purchase day, where the end day is the observation end (or the calibration end);
 * - monetary value = mean of the day totals over the repeat purchase days (0 when x = 0);
 * - holdout: frequency = purchase days in (calibration end, observation end]; monetary value = mean amount of the
 *   holdout transactions (lifetimes takes the raw transactions here, not day totals); duration = obs. end − cal. end.
 *
 * Times are in the chosen unit: day = 1 day, week = 7 days, month = 365.25 / 12 = 30.4375 days (an average
 * Gregorian month; lifetimes' freq='D', freq_multiplier=30.4375). Reproduces lifetimes' cdnow_customers_summary.csv
 * and BTYD's cdnowSummary$cbs exactly (see test/data/rfm.test.ts).
 */
import { DataError } from './errors.ts';
import {
  DateKind,
  MAX_YEAR,
  MIN_YEAR,
  dateScratch,
  daysFromCivil,
  isoDate,
  parseDateBytes,
  parseDateText,
} from './dates.ts';
import { customerGroups } from './group.ts';
import type { RfmOptions, RfmSummary, TimeUnit, Transactions } from './types.ts';
import { formatCount } from './importer.ts';

/**
 * The one sentence about customers first seen on or after the calibration end, shared by `clv summarize`, the
 * data cell and the purchase cell so they state the same count the same way. `what` says what happens to them.
 * Example: holdoutOnlyText(12, '2024-06-30', 'are used only in the holdout') = "12 customer(s) first bought on
 * or after the calibration end 2024-06-30 (no calibration history) and are used only in the holdout".
 */
export function holdoutOnlyText(customers: number, calibrationEnd: string, what: string): string {
  return `${formatCount(customers)} customer(s) first bought on or after the calibration end ${calibrationEnd} (no calibration history) and ${what}`;
}

/** Days per time unit: day 1, week 7, month 30.4375 (= 365.25 / 12). */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { day: 1, week: 7, month: 365.25 / 12 };

/** The sentence stating a unit, for output headers and the UI. Example: "time unit: week (7 days)". */
export function unitNote(unit: TimeUnit): string {
  return unit === 'month'
    ? 'time unit: month (365.25 / 12 = 30.4375 days)'
    : unit === 'week'
      ? 'time unit: week (7 days)'
      : 'time unit: day';
}

/** First and last supported day numbers (MIN_YEAR-01-01 = -62,091 and MAX_YEAR-12-31 = 120,529). */
const FIRST_DAY = daysFromCivil(MIN_YEAR, 1, 1);
const LAST_DAY = daysFromCivil(MAX_YEAR, 12, 31);

/**
 * A day option as a day number: a whole number of days since 1970-01-01 (negative before 1970) passes through,
 * text is parsed (ISO, YYYYMMDD, ...); either must lie in years MIN_YEAR..MAX_YEAR. Example:
 * `dayOption('observation end', '1998-06-30') === 10407`.
 */
export function dayOption(name: string, value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const range = `the supported range is years ${MIN_YEAR} to ${MAX_YEAR}`;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new DataError(`${name} must be a whole day number (got ${value})`);
    if (value < FIRST_DAY || value > LAST_DAY)
      throw new DataError(
        `${name} day number ${value} is out of range: ${range} (days ${FIRST_DAY} to ${LAST_DAY})`,
      );
    return value;
  }
  const d = parseDateText(value);
  if (d === undefined) {
    const bytes = new TextEncoder().encode(value);
    if (parseDateBytes(bytes, 0, bytes.length, dateScratch(), false) === DateKind.OutOfRange)
      throw new DataError(`${name} "${value}" is out of range: ${range}`);
    throw new DataError(`${name} "${value}" is not a date (write it as YYYY-MM-DD, e.g. 1997-09-30)`);
  }
  return d;
}

/** Throws a DataError naming the customer when a summary value is NaN or ±Infinity (never written out). */
function assertFinite(what: string, values: Float64Array | null, ids: readonly string[]): void {
  if (!values) return;
  for (let k = 0; k < values.length; k++)
    if (!Number.isFinite(values[k]))
      throw new DataError(
        `the ${what} of customer "${ids[k]}" is not a finite number (${values[k]}): amounts must be finite and within ±1e15 — re-import the file so such rows are rejected`,
      );
}

/**
 * RFM summary of transactions (see the module comment for the definitions). Throws DataError when the dates
 * make no sense (calibration end not before observation end, observation end before every purchase).
 * Example (CDNOW sample, sample id as customer, unit week, calibration end 1997-09-30, observation end
 * 1998-06-30): customer 1 -> frequency 2, recency 30.428571, T 38.857143, frequency_holdout 1, duration 39.
 */
export function rfmSummary(tx: Transactions, options: RfmOptions = {}): RfmSummary {
  const unit = options.unit ?? 'day';
  const dpu = DAYS_PER_UNIT[unit];
  if (dpu === undefined) throw new DataError(`unit must be day, week or month (got "${unit}")`);
  const g = customerGroups(tx);
  if (tx.n === 0)
    throw new DataError(
      'there are no accepted transactions to summarize: check the import report for why rows were rejected',
    );
  const obsEnd = dayOption('observation end', options.observationEnd) ?? g.maxDay;
  const calEnd = dayOption('calibration end', options.calibrationEnd);
  if (obsEnd < g.minDay)
    throw new DataError(
      `observation end ${isoDate(obsEnd)} is before the first purchase (${isoDate(g.minDay)}): choose a later observation end`,
    );
  if (calEnd !== undefined && calEnd >= obsEnd)
    throw new DataError(
      `calibration end ${isoDate(calEnd)} must be before the observation end ${isoDate(obsEnd)}: choose an earlier calibration end`,
    );
  if (calEnd !== undefined && calEnd <= g.minDay)
    throw new DataError(
      `calibration end ${isoDate(calEnd)} is ${calEnd === g.minDay ? 'the day of' : 'before'} the first purchase (${isoDate(g.minDay)}): no customer would have a calibration history — choose a later calibration end`,
    );
  const cutoff = calEnd ?? obsEnd;
  const C = tx.customerIds.length;
  const { start } = g;
  const day = g.sortedDay;
  const amount = g.sortedAmount;
  const freq = new Float64Array(C);
  const rec = new Float64Array(C);
  const T = new Float64Array(C);
  const mon = amount ? new Float64Array(C) : null;
  const hFreq = calEnd !== undefined ? new Float64Array(C) : null;
  const hMon = calEnd !== undefined && amount ? new Float64Array(C) : null;
  const keep = new Int32Array(C);
  let m = 0;
  let rowsAfterEnd = 0;
  let excluded = 0;
  let anyRepeat = false;
  for (let c = 0; c < C; c++) {
    const s = start[c];
    const e = start[c + 1];
    const first = day[s];
    // First seen on or after the calibration end: no calibration history (T would be 0), holdout only.
    if (calEnd !== undefined ? first >= calEnd : first > obsEnd) {
      excluded++;
      for (let j = s; j < e; j++) if (day[j] > obsEnd) rowsAfterEnd++;
      continue;
    }
    let days = 0;
    let last = first;
    let prev = -Infinity;
    let repeatSum = 0;
    let hDays = 0;
    let hSum = 0;
    let hRows = 0;
    let hPrev = -Infinity;
    for (let j = s; j < e; j++) {
      const i = j;
      const d = day[i];
      if (d <= cutoff) {
        if (d !== prev) {
          days++;
          prev = d;
          last = d;
        }
        if (amount && d !== first) repeatSum += amount[i];
      } else if (d <= obsEnd) {
        if (d !== hPrev) {
          hDays++;
          hPrev = d;
        }
        if (amount) {
          hSum += amount[i];
          hRows++;
        }
      } else rowsAfterEnd++;
    }
    const x = days - 1;
    if (x > 0) anyRepeat = true;
    freq[m] = x;
    rec[m] = (last - first) / dpu;
    T[m] = (cutoff - first) / dpu;
    if (mon) mon[m] = x > 0 ? repeatSum / x : 0;
    if (hFreq) hFreq[m] = hDays;
    if (hMon) hMon[m] = hRows > 0 ? hSum / hRows : 0;
    keep[m] = c;
    m++;
  }
  const ids = new Array<string>(m);
  for (let k = 0; k < m; k++) ids[k] = tx.customerIds[keep[k]];
  const warnings: string[] = [];
  if (excluded > 0)
    warnings.push(
      calEnd !== undefined
        ? holdoutOnlyText(excluded, isoDate(calEnd), 'are left out of this table')
        : `${formatCount(excluded)} customer(s) first bought after the observation end ${isoDate(cutoff)} and are left out`,
    );
  if (rowsAfterEnd > 0)
    warnings.push(
      `${formatCount(rowsAfterEnd)} transaction(s) after the observation end ${isoDate(obsEnd)} are ignored`,
    );
  if (m === 1)
    warnings.push('only one customer: the models need many customers to estimate their parameters');
  if (m > 0 && !anyRepeat)
    warnings.push(
      `no customer made a repeat purchase${calEnd !== undefined ? ' in the calibration period' : ''}: frequency models (BG/NBD, Pareto/NBD) need repeat purchases — check the customer id and date columns`,
    );
  const table: RfmSummary = {
    unit,
    daysPerUnit: dpu,
    unitNote: unitNote(unit),
    customerIds: ids,
    frequency: freq.slice(0, m),
    recency: rec.slice(0, m),
    T: T.slice(0, m),
    monetaryValue: mon ? mon.slice(0, m) : null,
    observationEnd: isoDate(obsEnd),
    rowsAfterEnd,
    customersExcluded: excluded,
    warnings,
  };
  assertFinite('monetary value', table.monetaryValue, ids);
  if (calEnd !== undefined) {
    table.calibrationEnd = isoDate(calEnd);
    table.holdout = {
      frequency: hFreq!.slice(0, m),
      monetaryValue: hMon ? hMon.slice(0, m) : null,
      duration: (obsEnd - calEnd) / dpu,
    };
    assertFinite('holdout monetary value', table.holdout.monetaryValue, ids);
  }
  return table;
}
