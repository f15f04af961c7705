/**
 * Public API of the what-if simulator (issue 6). Pure: no DOM, no clock, no Math.random; randomness comes from a
 * seeded `Rng`. A UI calls `whatIf(inputs, options)` once per slider change (the deterministic part takes < 1 ms;
 * the Monte Carlo a few ms, meant for a worker where stale runs are dropped), `compareScenarios` for the comparison
 * cell, `tornado` and `solveEquivalence` for the sensitivity cell.
 */
import { computeWhatIf, type WhatIfResult } from './unitEconomics.ts';
import { runMonteCarlo, type MonteCarloOptions, type MonteCarloResult } from './monteCarlo.ts';
import type { WhatIfInputs } from './inputs.ts';
import type { ScenarioMonteCarlo } from '../scenario/defaults.ts';

export { Rng } from './rng.ts';
export {
  DEFAULT_INPUTS,
  INPUT_LIMITS,
  LEVERS,
  MAX_HETEROGENEITY,
  MAX_RETENTION,
  PERIOD_MONTHS,
  normalizeInputs,
  periodDiscountRate,
  retentionFromSbg,
  sbgFromRetention,
  type InputLimit,
  type LeverName,
  type WhatIfInputs,
} from './inputs.ts';
export {
  aliveWithWinBack,
  computeWhatIf,
  survivalCurve,
  whatIfMetrics,
  type ClvSteps,
  type WhatIfMetrics,
  type WhatIfResult,
} from './unitEconomics.ts';
export { quantileSorted } from './quantile.ts';
export {
  resolveMonteCarloOptions,
  runMonteCarlo,
  type Band,
  type Interval,
  type MaybeNeverInterval,
  type MonteCarloOptions,
  type MonteCarloResult,
  type ParameterUncertainty,
  type ResolvedMonteCarloOptions,
  type WorldResults,
} from './monteCarlo.ts';
export {
  MAX_VARIANTS,
  TORNADO_LEVERS,
  brentRoot,
  compareScenarios,
  retentionPointsForAovIncrease,
  solveEquivalence,
  tornado,
  type ComparisonIntervals,
  type ComparisonResult,
  type ComparisonRow,
  type Delta,
  type EquivalenceMetric,
  type EquivalenceQuery,
  type EquivalenceResult,
  type TornadoBar,
  type TornadoOptions,
  type TornadoResult,
} from './compare.ts';
export { quantilesInPlace } from './quantile.ts';
export { baselineFromFits, type FittedBaseline, type FittedBaselineSources } from './baseline.ts';

/** What one slider move produces. */
export interface WhatIfRun {
  result: WhatIfResult;
  /** null when Monte Carlo was switched off. */
  monteCarlo: MonteCarloResult | null;
}

/**
 * One call per slider change: the deterministic outputs and (unless `monteCarlo: false`) the seeded Monte Carlo.
 * Example: whatIf({ averageOrderValue: 50, purchasesPerYear: 3, retentionPerPeriod: 0.8, periodMonths: 12,
 *   retentionHeterogeneity: 0 }, { monteCarlo: false }).result.clvTextbook = 750.
 */
export function whatIf(
  inputs: Partial<WhatIfInputs>,
  options: { monteCarlo?: MonteCarloOptions | false } = {},
): WhatIfRun {
  const result = computeWhatIf(inputs);
  const monteCarlo =
    options.monteCarlo === false ? null : runMonteCarlo(result.inputs, options.monteCarlo ?? {});
  return { result, monteCarlo };
}

/**
 * Monte Carlo options from a validated scenario's `monteCarlo` block.
 * Example: monteCarloOptionsFromScenario(DEFAULT_MONTE_CARLO).customers = 10000.
 */
export function monteCarloOptionsFromScenario(mc: ScenarioMonteCarlo): MonteCarloOptions {
  return {
    seed: mc.seed,
    customers: mc.customers,
    worlds: mc.worlds,
    purchaseModel: mc.purchaseModel,
    uncertainty: {
      retentionStdError: mc.retentionStdError,
      purchasesPerYearStdError: mc.purchasesPerYearStdError,
      averageOrderValueStdError: mc.averageOrderValueStdError,
      acquisitionCostStdError: mc.acquisitionCostStdError,
      defaultCv: mc.defaultCv,
    },
  };
}

/**
 * The ArrayBuffers inside a simulator result (its Float64Array series, bands and per-world arrays), for comlink's
 * `transfer(result, transferablesOf(result))` so a worker hands results over without copying. Walks plain objects
 * up to three levels deep; each buffer is listed once. Example: transferablesOf(runMonteCarlo({})).length > 10.
 */
export function transferablesOf(result: object): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const walk = (x: unknown, depth: number): void => {
    if (x instanceof Float64Array) {
      if (x.buffer instanceof ArrayBuffer) seen.add(x.buffer);
      return;
    }
    if (depth >= 3 || typeof x !== 'object' || x === null || Array.isArray(x)) return;
    for (const v of Object.values(x)) walk(v, depth + 1);
  };
  walk(result, 0);
  return [...seen];
}
