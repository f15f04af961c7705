/**
 * The engine: every heavy computation the app runs, as plain functions of (input, onProgress?).
 * workers/engine.worker.ts exposes this object with comlink (adding the I/O of reading files); tests call it
 * directly in Node. Inputs and outputs are structured-clone friendly (see types.ts).
 */
import { importTransactions } from '../data/index.ts';
import {
  compareScenarios,
  runMonteCarlo,
  type ComparisonResult,
  type MonteCarloOptions,
  type MonteCarloResult,
  type WhatIfInputs,
} from '../sim/index.ts';
import {
  cohortView,
  datasetFromImport,
  datasetFromSummaryText,
  CDNOW_DEMO,
  CDNOW_RFM_DEMO,
  DONATIONS_DEMO,
} from './dataset.ts';
import { fitPurchaseWithDiagnostics, type PurchaseModelName } from './purchase.ts';
import { fitRetentionModel } from './retention.ts';
import { fitSpendModel } from './spend.ts';
import {
  forecastClv,
  forecastIntervals,
  type ForecastInput,
  type ForecastIntervalsInput,
} from './forecast.ts';
import type { OnProgress } from './progress.ts';
import type { AnyDatasetPayload, CohortResult, Dataset, DatasetOptions } from './types.ts';

export { CDNOW_DEMO, CDNOW_RFM_DEMO, DONATIONS_DEMO };

export const engine = {
  /** Health check: resolves to 'pong'. */
  ping(_input?: undefined, _onProgress?: OnProgress): string {
    return 'pong';
  },

  /** Imports a whole file given as bytes (the worker shell streams Files through the same importer). */
  loadBytes(
    input: { name: string; bytes: Uint8Array; options?: DatasetOptions },
    onProgress?: OnProgress,
  ): Dataset {
    onProgress?.(0.1, 'parse');
    if (input.options?.summaryKind !== 'transactions') {
      // A ready-made summary (RFM, BG/BB, survival) when asked for or detected from the header.
      const text = new TextDecoder().decode(input.bytes);
      const ds = datasetFromSummaryText(input.name, text, input.options);
      if (ds) return ds;
    }
    const result = importTransactions(input.bytes, input.options?.import);
    onProgress?.(0.8, 'summaries');
    return datasetFromImport(input.name, result, input.options);
  },

  /** Acquisition-cohort matrix for the heatmap. */
  cohorts(
    input: {
      data: AnyDatasetPayload;
      period: 'week' | 'month' | 'quarter';
      measure: 'customers' | 'revenue';
    },
    _onProgress?: OnProgress,
  ): CohortResult {
    return cohortView(input.data, input.period, input.measure);
  },

  /** sBG / BdW on cohort survival (transactions or a survival table; retention.ts says what else is missing). */
  fitRetention: fitRetentionModel,

  /** BG/NBD, Pareto/NBD or MBG/NBD (transactions, RFM table) or BG/BB (BG/BB table) with diagnostics. */
  fitPurchase(
    input: { data: AnyDatasetPayload; model: PurchaseModelName; penalizer?: number },
    onProgress?: OnProgress,
  ) {
    return fitPurchaseWithDiagnostics(input, onProgress);
  },

  /** Gamma-Gamma spend model. */
  fitSpend: fitSpendModel,

  /** Per-customer CLV (with intervals up to 20,000 customers) and the total with its interval. */
  forecast(input: ForecastInput, onProgress?: OnProgress) {
    return forecastClv(input, onProgress);
  },

  /** Per-customer CLV intervals for the customers given (the rows a table shows, or all for a download). */
  forecastIntervals(input: ForecastIntervalsInput, onProgress?: OnProgress) {
    return forecastIntervals(input, onProgress);
  },

  /** What-if Monte Carlo (src/lib/sim). */
  simulate(
    input: { inputs: Partial<WhatIfInputs>; options?: MonteCarloOptions },
    _onProgress?: OnProgress,
  ): MonteCarloResult {
    return runMonteCarlo(input.inputs, input.options ?? {});
  },

  /** Baseline + up to four variants with paired Monte Carlo intervals (src/lib/sim/compare.ts). */
  compare(
    input: {
      baseline: Partial<WhatIfInputs>;
      variants: Partial<WhatIfInputs>[];
      monteCarlo?: MonteCarloOptions | null;
    },
    _onProgress?: OnProgress,
  ): ComparisonResult {
    return compareScenarios(input.baseline, input.variants, input.monteCarlo ?? null);
  },
};

export type Engine = typeof engine;
