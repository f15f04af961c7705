/**
 * CSV text for the data layer's tables: RFM summary (lifetimes column names), cohort table (long format),
 * survival counts (`cohort,period,alive`) and rejected rows (`line,reason,raw`). RFC 4180 quoting, LF line ends.
 */
import { DataError } from './errors.ts';
import type { CohortTable, RejectedRow, RfmSummary, SurvivalRow } from './types.ts';

/** Quotes a CSV field when it holds a comma, quote, CR/LF or surrounding spaces. Example: `a,b` -> `"a,b"`. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A number as CSV text: shortest round-trip form, or rounded to `decimals` places; NaN as an empty field (an
 * unobserved cell). ±Infinity throws a DataError: no table is written with "Infinity" in it. Example:
 * `csvNumber(2 / 3, 2) === '0.67'`.
 */
export function csvNumber(x: number, decimals?: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity || x === -Infinity)
    throw new DataError(
      'a value to write is infinite: amounts must be finite and within ±1e15 — re-import the file so such rows are rejected',
    );
  if (decimals === undefined) return String(x);
  const r = Number(x.toFixed(decimals));
  return String(Object.is(r, -0) ? 0 : r);
}

/**
 * RFM summary as CSV: `customer_id,frequency,recency,T,monetary_value` (monetary_value only with amounts), plus
 * `frequency_holdout,monetary_value_holdout,duration_holdout` with a calibration end. Full precision unless
 * `decimals` is given (lifetimes' published CDNOW file uses 2). Example first row (CDNOW, weeks):
 * `0001,2,30.428571428571427,38.857142857142854,22.345`.
 */
export function rfmToCsv(table: RfmSummary, decimals?: number): string {
  const cols = ['customer_id', 'frequency', 'recency', 'T'];
  if (table.monetaryValue) cols.push('monetary_value');
  const h = table.holdout;
  if (h) {
    cols.push('frequency_holdout');
    if (h.monetaryValue) cols.push('monetary_value_holdout');
    cols.push('duration_holdout');
  }
  const lines = [cols.join(',')];
  const n = table.customerIds.length;
  for (let i = 0; i < n; i++) {
    const row = [
      csvField(table.customerIds[i]),
      String(table.frequency[i]),
      csvNumber(table.recency[i], decimals),
      csvNumber(table.T[i], decimals),
    ];
    if (table.monetaryValue) row.push(csvNumber(table.monetaryValue[i], decimals));
    if (h) {
      row.push(String(h.frequency[i]));
      if (h.monetaryValue) row.push(csvNumber(h.monetaryValue[i], decimals));
      row.push(csvNumber(h.duration, decimals));
    }
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Column names of cohortTableToCsv, in order. */
export const COHORT_CSV_COLUMNS = [
  'cohort',
  'period',
  'customers',
  'active',
  'active_pct',
  'orders',
  'revenue',
  'revenue_per_customer',
  'cumulative_revenue_per_customer',
  'complete',
] as const;

/**
 * Cohort table as long-format CSV, one row per observed cell (unobserved, right-censored cells are left out,
 * never written as zeros); `complete` is 1 when the cell's period ended by the observation end, else 0.
 * Example row: `1997-01,0,781,781,100,1014,33123.5,42.41,42.41,1`.
 */
export function cohortTableToCsv(table: CohortTable, decimals?: number): string {
  const lines: string[] = [COHORT_CSV_COLUMNS.join(',')];
  const K = table.periods;
  for (let r = 0; r < table.cohorts.length; r++) {
    for (let k = 0; k < K; k++) {
      const c = r * K + k;
      if (Number.isNaN(table.active[c])) continue;
      lines.push(
        [
          csvField(table.cohorts[r]),
          k,
          table.size[r],
          table.active[c],
          csvNumber(table.activePct[c], decimals),
          table.orders[c],
          csvNumber(table.revenue[c], decimals),
          csvNumber(table.revenuePerCustomer[c], decimals),
          csvNumber(table.cumulativeRevenuePerCustomer[c], decimals),
          table.complete[c],
        ].join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** Survival counts as CSV `cohort,period,alive` (the layout the sBG/BdW fit reads). */
export function survivalToCsv(rows: SurvivalRow[]): string {
  return (
    ['cohort,period,alive', ...rows.map((r) => `${csvField(r.cohort)},${r.period},${r.alive}`)].join('\n') +
    '\n'
  );
}

/**
 * Rejected rows as CSV `line,reason,raw` (raw = the row's original text) for download and correction.
 * Example: `1204,"date ""31/02/2024"" is not a real date","C17,31/02/2024,12.50"`.
 */
export function rejectsToCsv(rejects: readonly RejectedRow[]): string {
  return (
    ['line,reason,raw', ...rejects.map((r) => `${r.line},${csvField(r.reason)},${csvField(r.raw)}`)].join(
      '\n',
    ) + '\n'
  );
}
