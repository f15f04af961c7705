/**
 * The notebook's one door to the engine worker. Cells call these functions; only this file knows the
 * worker's method names, so wiring the real engine is a change here alone. Every call takes an AbortSignal
 * and a progress callback; a missing engine method rejects with a readable message.
 */
import type {
  CohortResult,
  Dataset,
  DatasetOptions,
  DatasetSource,
  ForecastResult,
  PurchaseResult,
  RetentionResult,
  SpendResult,
} from '../engine/types.ts';
import type { RetentionInput } from '../engine/retention.ts';
import type { WhatIfInputs } from '../sim/inputs.ts';
import type { MonteCarloOptions, MonteCarloResult } from '../sim/monteCarlo.ts';
import { compareScenarios, type ComparisonResult } from '../sim/compare.ts';

export type Progress = (fraction: number, phase: string) => void;
export interface CallCtx {
  signal: AbortSignal;
  onProgress: Progress;
}

// The shapes crossing the worker boundary are the engine's own (src/lib/engine/types.ts).
export type {
  Dataset,
  CohortResult,
  RetentionResult,
  PurchaseResult,
  SpendResult,
  ForecastResult,
  DatasetSource,
  DatasetOptions,
};

/** Thrown when the worker has no such method yet. */
export class EngineMissingError extends Error {
  constructor(method: string) {
    super(`ENGINE_MISSING ${method}`);
    this.name = 'EngineMissingError';
  }
}

type Caller = (method: string, input: unknown, ctx: CallCtx) => Promise<unknown>;

// The worker client is loaded on first use, through a glob so this file builds before workers/client.ts
// exports what we call. The lead maps the method names in METHODS.
const clientModules = import.meta.glob('../../../workers/client.ts');

type CallEngine = (
  m: string,
  i: unknown,
  o: { signal: AbortSignal; onProgress: Progress },
) => Promise<unknown>;
interface Client {
  callEngine: CallEngine;
  freeWorkers: () => number;
}
/**
 * workers/client.ts once loaded. Kept so later calls post to the worker synchronously: awaiting `import()`
 * again, even of a loaded module, can wait for a task in Chromium, i.e. behind a chart redraw (measured:
 * 17 ms median before the what-if Monte Carlo request left the page).
 */
let client: Client | undefined;

async function defaultCaller(method: string, input: unknown, ctx: CallCtx): Promise<unknown> {
  if (!client) {
    const load = Object.values(clientModules)[0];
    if (!load) throw new EngineMissingError(method);
    const mod = (await load()) as Partial<Client>;
    if (!mod.callEngine || !mod.freeWorkers) throw new EngineMissingError(method);
    client = { callEngine: mod.callEngine, freeWorkers: mod.freeWorkers };
  }
  try {
    return await client.callEngine(method, input, { signal: ctx.signal, onProgress: ctx.onProgress });
  } catch (e) {
    if (e instanceof Error && /is not a function|undefined/.test(e.message))
      throw new EngineMissingError(method);
    throw e;
  }
}

let caller: Caller = defaultCaller;
let freeWorkers = (): number => (caller === defaultCaller ? (client?.freeWorkers() ?? 0) : 0);
/** Replace the transport (tests, or a direct in-thread engine), optionally with its count of free workers. */
export function setEngineCaller(c: Caller, free: () => number = () => 0): void {
  caller = c;
  freeWorkers = free;
}
/** Engine workers free to start a call now (0 until the first call has loaded the worker pool). */
export function freeEngineWorkers(): number {
  return freeWorkers();
}

/** Worker method names used by the notebook. */
export const METHODS = {
  loadDataset: 'loadDataset',
  cohorts: 'cohorts',
  fitRetention: 'fitRetention',
  fitPurchase: 'fitPurchase',
  fitSpend: 'fitSpend',
  forecast: 'forecast',
  forecastIntervals: 'forecastIntervals',
  simulate: 'simulate',
  compare: 'compare',
} as const;

/**
 * Baseline + variants with paired Monte Carlo intervals (src/lib/sim/compare.ts `compareScenarios`) in the worker.
 * Until the worker has a `compare` method the deterministic table is computed here (< 1 ms per scenario).
 */
export async function compare(
  baseline: WhatIfInputs,
  variants: Partial<WhatIfInputs>[],
  monteCarlo: MonteCarloOptions | null,
  ctx: CallCtx,
): Promise<ComparisonResult> {
  if (monteCarlo) {
    try {
      return (await caller(METHODS.compare, { baseline, variants, monteCarlo }, ctx)) as ComparisonResult;
    } catch (e) {
      if (!(e instanceof EngineMissingError)) throw e;
    }
  }
  return compareScenarios(baseline, variants, null);
}

/** Monte Carlo run of the simulator (src/lib/sim/monteCarlo.ts `runMonteCarlo`) in the worker. */
export function simulate(
  inputs: WhatIfInputs,
  options: MonteCarloOptions,
  ctx: CallCtx,
): Promise<MonteCarloResult> {
  return caller(METHODS.simulate, { inputs, options }, ctx) as Promise<MonteCarloResult>;
}

export function loadDataset(source: DatasetSource, options: DatasetOptions, ctx: CallCtx): Promise<Dataset> {
  return caller(METHODS.loadDataset, { ...source, options }, ctx) as Promise<Dataset>;
}
export function cohorts(
  data: Dataset,
  opts: { period: 'month' | 'quarter'; measure: 'customers' | 'revenue' },
  ctx: CallCtx,
): Promise<CohortResult> {
  return caller(METHODS.cohorts, { data: data.payload, ...opts }, ctx) as Promise<CohortResult>;
}
export function fitRetention(
  data: Dataset,
  opts: { model: 'sbg' | 'bdw'; horizon: number },
  ctx: CallCtx,
): Promise<RetentionResult> {
  return caller(METHODS.fitRetention, { data: data.payload, ...opts }, ctx) as Promise<RetentionResult>;
}
/**
 * Retention fit from any source (src/lib/engine/retention.ts `fitRetentionModel`): the dataset's cohorts (with
 * the follow-up rule), the bundled Fader & Hardie (2007) Table 1 (CSV text passed from the cell), or a pasted
 * survival table; with parameter-uncertainty bands and DEL/DERL. `data` is needed only for source 'data'.
 */
export function fitRetentionSource(
  data: Dataset | undefined,
  opts: Omit<RetentionInput, 'data'>,
  ctx: CallCtx,
): Promise<RetentionResult> {
  return caller(
    METHODS.fitRetention,
    { ...(data ? { data: data.payload } : {}), ...opts },
    ctx,
  ) as Promise<RetentionResult>;
}
export function fitPurchase(
  data: Dataset,
  opts: { model: 'bgnbd' | 'pnbd' | 'mbgnbd' | 'bgbb' },
  ctx: CallCtx,
): Promise<PurchaseResult> {
  return caller(METHODS.fitPurchase, { data: data.payload, ...opts }, ctx) as Promise<PurchaseResult>;
}
export function fitSpend(data: Dataset, ctx: CallCtx): Promise<SpendResult> {
  return caller(METHODS.fitSpend, { data: data.payload }, ctx) as Promise<SpendResult>;
}
export function forecast(
  data: Dataset,
  purchase: PurchaseResult,
  /** Not needed for a BG/BB table (its value column, or transactions, give the value). */
  spend: SpendResult | undefined,
  opts: {
    horizonMonths: number;
    annualDiscount: number;
    margin: number;
    seed: number;
    /** Compute the interval of the total (false: totalLow/High are NaN). */
    totalInterval: boolean;
  },
  ctx: CallCtx,
): Promise<ForecastResult> {
  return caller(
    METHODS.forecast,
    { data: data.payload, purchase: purchase.report, spend: spend?.report, ...opts },
    ctx,
  ) as Promise<ForecastResult>;
}

/** Settings of a forecast that per-customer intervals on demand need again. */
export interface IntervalSettings {
  purchase: PurchaseResult;
  spend: SpendResult;
  horizonMonths: number;
  annualDiscount: number;
  margin: number;
  seed: number;
  interval: number;
  daysPerUnit: number;
}

/**
 * Per-customer intervals of a forecast for the customers at `rows` (indices into its columns), simulated in
 * the worker (src/lib/engine/forecast.ts `forecastIntervals`); only their histories cross to the worker.
 */
export function forecastIntervals(
  result: ForecastResult,
  settings: IntervalSettings,
  rows: Int32Array,
  ctx: CallCtx,
): Promise<{ low: Float64Array; high: Float64Array }> {
  const h = result.history!;
  const pick = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]);
  const { purchase, spend, ...rest } = settings;
  return caller(
    METHODS.forecastIntervals,
    {
      ...rest,
      purchase: purchase.report,
      spend: spend.report,
      frequency: pick(h.frequency),
      recency: pick(h.recency),
      T: pick(h.T),
      monetaryValue: pick(h.monetaryValue),
    },
    ctx,
  ) as Promise<{ low: Float64Array; high: Float64Array }>;
}
