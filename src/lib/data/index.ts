/**
 * Data layer public API: import transaction files (streaming or one-shot), RFM summaries with
 * calibration/holdout, cohort tables and survival counts, and CSV writers. Pure: runs in the engine worker
 * and in the CLI alike.
 */
export {
  TransactionImporter,
  importTransactions,
  importStream,
  previewTransactions,
  formatCount,
} from './importer.ts';
export type { AbortLike, ImportPreview } from './importer.ts';
export { rfmSummary, DAYS_PER_UNIT, unitNote, dayOption, holdoutOnlyText } from './rfm.ts';
export { calibrationSplit, holdoutOnlyNote } from './calibration.ts';
export type { CalibrationChoice, CalibrationSplit } from './calibration.ts';
export { netRefunds, refundMessages } from './refunds.ts';
export type { RefundReport } from './refunds.ts';
export { cohortTable, survivalCounts, periodKind } from './cohorts.ts';
export {
  rfmToCsv,
  cohortTableToCsv,
  survivalToCsv,
  rejectsToCsv,
  csvField,
  csvNumber,
  COHORT_CSV_COLUMNS,
} from './output.ts';
export { DataError } from './errors.ts';
export { daysFromCivil, civilFromDays, isoDate, parseDateText } from './dates.ts';
export { customerGroups } from './group.ts';
export type * from './types.ts';
export { COLUMN_ROLES } from './types.ts';
