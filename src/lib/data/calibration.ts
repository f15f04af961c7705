/**
 * The calibration/holdout split of a transaction log, decided in one place for the app and the CLI: the
 * calibration end is a date the user gives, the start of the "last N weeks" before the observation end, or
 * (automatic) two thirds of the way from the first purchase to the last. Customers first seen on or after the
 * calibration end have no calibration history (T would be 0): they belong to the holdout only, and are counted.
 */
import { DataError } from './errors.ts';
import { isoDate } from './dates.ts';
import { customerGroups } from './group.ts';
import { dayOption, holdoutOnlyText } from './rfm.ts';
import type { Transactions } from './types.ts';

/** How to choose the calibration end: a date wins over `holdoutWeeks`; neither (or 0) = automatic. */
export interface CalibrationChoice {
  /** Last day of calibration (ISO text or a day number). */
  calibrationEnd?: string | number;
  /** Holdout = the last N weeks before the observation end (calibration end = observation end − 7N days). */
  holdoutWeeks?: number;
  /** Last observed day (default: the last purchase). */
  observationEnd?: string | number;
}

/** The split and who falls on which side. Days are day numbers (days since 1970-01-01). */
export interface CalibrationSplit {
  calibrationEnd: number;
  observationEnd: number;
  /** Where the calibration end came from. */
  how: 'auto' | 'date' | 'weeks';
  firstDay: number;
  lastDay: number;
  /** Customers first seen before the calibration end (the ones calibration models fit on). */
  calibrationCustomers: number;
  /** Customers first seen on or after the calibration end: holdout only. */
  holdoutOnly: number;
}

/**
 * Decides the calibration end and counts the customers on each side. Throws a DataError naming what to change
 * when the choice leaves no calibration period or no holdout. Example (CDNOW sample, date 1997-09-30):
 * calibrationCustomers 2,357, holdoutOnly 0; automatic on 1997-01-01 … 1998-06-30: calibration end 1997-11-29.
 */
export function calibrationSplit(tx: Transactions, choice: CalibrationChoice = {}): CalibrationSplit {
  if (tx.n === 0)
    throw new DataError('there are no accepted transactions to split into calibration and holdout');
  const g = customerGroups(tx);
  const first = g.minDay;
  const last = g.maxDay;
  const observationEnd = dayOption('observation end', choice.observationEnd) ?? last;
  const weeks = choice.holdoutWeeks ?? 0;
  if (!(Number.isInteger(weeks) && weeks >= 0))
    throw new DataError(`the holdout must be a whole number of weeks >= 0 (got ${weeks})`);
  const date = dayOption('calibration end', choice.calibrationEnd);
  let calibrationEnd: number;
  let how: CalibrationSplit['how'];
  if (date !== undefined) {
    calibrationEnd = date;
    how = 'date';
  } else if (weeks > 0) {
    calibrationEnd = observationEnd - 7 * weeks;
    how = 'weeks';
  } else {
    calibrationEnd = first + Math.round(((last - first) * 2) / 3);
    how = 'auto';
  }
  const range = `the data run from ${isoDate(first)} to ${isoDate(observationEnd)}`;
  if (calibrationEnd <= first)
    throw new DataError(
      how === 'weeks'
        ? `a holdout of the last ${weeks} weeks starts on or before the first purchase (${range}): choose fewer weeks`
        : `the calibration end ${isoDate(calibrationEnd)} must come after the first purchase (${range}): choose a later date`,
    );
  if (calibrationEnd >= observationEnd)
    throw new DataError(
      `the calibration end ${isoDate(calibrationEnd)} must come before the observation end (${range}): choose an earlier date, or a holdout of at least one week`,
    );
  let holdoutOnly = 0;
  const C = tx.customerIds.length;
  for (let c = 0; c < C; c++)
    if (g.start[c + 1] > g.start[c] && g.sortedDay[g.start[c]] >= calibrationEnd) holdoutOnly++;
  return {
    calibrationEnd,
    observationEnd,
    how,
    firstDay: first,
    lastDay: last,
    calibrationCustomers: C - holdoutOnly,
    holdoutOnly,
  };
}

/** The sentence the data and purchase cells show (and the CLI prints) about holdout-only customers. */
export function holdoutOnlyNote(split: Pick<CalibrationSplit, 'holdoutOnly' | 'calibrationEnd'>): string {
  return holdoutOnlyText(
    split.holdoutOnly,
    isoDate(split.calibrationEnd),
    'are used only in the holdout: left out of the calibration RFM the purchase and spend models fit on (the forecast still values them from their purchases up to the observation end)',
  );
}
