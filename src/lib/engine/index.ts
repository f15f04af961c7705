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
import { cohortView, datasetFromImport, CDNOW_DEMO } from './dataset.ts';
import { fitPurchaseWithDiagnostics, type PurchaseModelName } from './purchase.ts';
import { fitRetentionModel } from './retention.ts';
import { fitSpendModel } from './spend.ts';
import { forecastClv, type ForecastInput } from './forecast.ts';
import type { OnProgress } from './progress.ts';
import type { CohortResult, Dataset, DatasetOptions, DatasetPayload } from './types.ts';

export { CDNOW_DEMO };

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
    const result = importTransactions(input.bytes, input.options?.import);
    onProgress?.(0.8, 'summaries');
    return datasetFromImport(input.name, result, input.options);
  },

  /** Acquisition-cohort matrix for the heatmap. */
  cohorts(
    input: { data: DatasetPayload; period: 'week' | 'month' | 'quarter'; measure: 'customers' | 'revenue' },
    _onProgress?: OnProgress,
  ): CohortResult {
    return cohortView(input.data, input.period, input.measure);
  },

  /** sBG / BdW on cohort survival. */
  fitRetention: fitRetentionModel,

  /** BG/NBD, Pareto/NBD or MBG/NBD with diagnostics. */
  fitPurchase(
    input: { data: DatasetPayload; model: PurchaseModelName; penalizer?: number },
    onProgress?: OnProgress,
  ) {
    return fitPurchaseWithDiagnostics(input, onProgress);
  },

  /** Gamma-Gamma spend model. */
  fitSpend: fitSpendModel,

  /** Per-customer CLV with intervals. */
  forecast(input: ForecastInput, onProgress?: OnProgress) {
    return forecastClv(input, onProgress);
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
