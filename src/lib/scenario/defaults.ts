/**
 * Defaults for what-if scenarios (the scenario library, share links and the what-if cell start from these).
 * Input defaults and limits live with the simulator (src/lib/sim/inputs.ts) and are re-exported here so the
 * schema and the engine can never disagree.
 */
import { DEFAULT_INPUTS, INPUT_LIMITS, LEVERS, type WhatIfInputs } from '../sim/inputs.ts';

/** Re-exported from the simulator: input defaults, limits and lever order (see src/lib/sim/inputs.ts). */
export { DEFAULT_INPUTS, INPUT_LIMITS, LEVERS };

/** Current scenario schema version (`v`). Bump when a field changes meaning and add an upgrader in schema.ts. */
export const SCENARIO_VERSION = 1;

/** Currencies a scenario may use (ISO 4217). */
export const CURRENCIES = ['USD', 'CNY', 'BRL', 'EUR'] as const;
/** A scenario currency code, e.g. 'BRL'. */
export type ScenarioCurrency = (typeof CURRENCIES)[number];

/** Monte Carlo settings stored with a scenario (a subset of MonteCarloOptions, all JSON-safe). */
export interface ScenarioMonteCarlo {
  seed: number;
  customers: number;
  worlds: number;
  purchaseModel: 'poisson' | 'fixed';
  /** Standard errors (absolute, input units); missing = use defaultCv. */
  retentionStdError?: number;
  purchasesPerYearStdError?: number;
  averageOrderValueStdError?: number;
  acquisitionCostStdError?: number;
  defaultCv: number;
}

/** Monte Carlo defaults: seed 1, 10,000 customers in 200 worlds, Poisson purchases, 10% CV on uncertain inputs. */
export const DEFAULT_MONTE_CARLO: Readonly<ScenarioMonteCarlo> = {
  seed: 1,
  customers: 10_000,
  worlds: 200,
  purchaseModel: 'poisson',
  defaultCv: 0.1,
};

/** Limits for stored Monte Carlo settings (a hostile link must not ask for a billion customers). */
export const MONTE_CARLO_LIMITS = {
  seed: { min: 0, max: 2 ** 32 - 1 },
  customers: { min: 100, max: 100_000 },
  worlds: { min: 10, max: 2_000 },
  defaultCv: { min: 0, max: 2 },
  stdError: { min: 0, max: 1e9 },
} as const;

/** Tornado default: each lever ±10%. */
export const DEFAULT_TORNADO_CHANGE = 0.1;

/** Baseline inputs of a new what-if cell (same as the engine defaults). */
export function defaultBaseline(): WhatIfInputs {
  return { ...DEFAULT_INPUTS };
}
