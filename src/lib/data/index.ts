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
export { rfmSummary, DAYS_PER_UNIT, unitNote, dayOption } from './rfm.ts';
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
