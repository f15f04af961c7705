/**
 * ModelName -> how to fit it and what input it reads. One table for the CLI (`clv fit`, `clv predict`) and the
 * engine worker, so both run exactly the same code.
 *
 * Inputs by kind (see src/lib/data/summaries.ts for the CSV readers):
 * - 'rfm': per-customer x, t_x, T (BG/NBD, Pareto/NBD, MBG/NBD) — plus mean spend for Gamma-Gamma ('spend');
 * - 'bgbb': x, t_x, n with optional weights (BG/BB);
 * - 'survival': cohorts of customers alive at the start of each period (sBG, BdW).
 */
import type { FitOptions, FitReport, ModelName } from './types.ts';
import { fitBgNbd } from './bgNbd.ts';
import { fitParetoNbd } from './paretoNbd.ts';
import { fitMbgNbd } from './mbgNbd.ts';
import { fitGammaGamma } from './gammaGamma.ts';
import { fitBgBb } from './bgbb.ts';
import { fitSbg } from './sbg.ts';
import { fitBdw } from './bdw.ts';

/** What a model reads. */
export type ModelInputKind = 'rfm' | 'spend' | 'bgbb' | 'survival';

/** Input of a fit, tagged by kind. Times in the data's own unit. */
export type ModelInput =
  | { kind: 'rfm'; frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number> }
  | { kind: 'spend'; frequency: ArrayLike<number>; monetaryValue: ArrayLike<number> }
  | {
      kind: 'bgbb';
      frequency: ArrayLike<number>;
      recency: ArrayLike<number>;
      periods: ArrayLike<number>;
      weights?: ArrayLike<number>;
    }
  | { kind: 'survival'; cohorts: readonly { label?: string; alive: ArrayLike<number> }[] };

/** One registry entry. */
export interface ModelEntry {
  name: ModelName;
  /** Human name with the paper, for help texts. */
  label: string;
  input: ModelInputKind;
  /** Parameter names in paper order (types.ts). */
  paramNames: readonly string[];
  /** Fits the model; throws an Error saying what to fix when the data cannot be fitted. */
  fit(input: ModelInput, opts?: FitOptions): FitReport<Record<string, number>>;
}

function expect<K extends ModelInputKind>(
  input: ModelInput,
  kind: K,
  model: ModelName,
): Extract<ModelInput, { kind: K }> {
  if (input.kind !== kind) throw new Error(`model ${model} needs ${kind} input (got ${input.kind})`);
  return input as Extract<ModelInput, { kind: K }>;
}

const asRecord = <P extends object>(r: FitReport<P>): FitReport<Record<string, number>> =>
  r as unknown as FitReport<Record<string, number>>;

/** The registry. Example: MODELS.bgnbd.fit({kind: 'rfm', frequency, recency, T}).params.r ≈ 0.243 on CDNOW. */
export const MODELS: Record<ModelName, ModelEntry> = {
  bgnbd: {
    name: 'bgnbd',
    label: 'BG/NBD (Fader, Hardie & Lee 2005)',
    input: 'rfm',
    paramNames: ['r', 'alpha', 'a', 'b'],
    fit: (input, opts) => asRecord(fitBgNbd(expect(input, 'rfm', 'bgnbd'), opts)),
  },
  pnbd: {
    name: 'pnbd',
    label: 'Pareto/NBD (Schmittlein, Morrison & Colombo 1987)',
    input: 'rfm',
    paramNames: ['r', 'alpha', 's', 'beta'],
    fit: (input, opts) => asRecord(fitParetoNbd(expect(input, 'rfm', 'pnbd'), opts)),
  },
  mbgnbd: {
    name: 'mbgnbd',
    label: 'MBG/NBD (Batislam, Denizel & Filiztekin 2007)',
    input: 'rfm',
    paramNames: ['r', 'alpha', 'a', 'b'],
    fit: (input, opts) => asRecord(fitMbgNbd(expect(input, 'rfm', 'mbgnbd'), opts)),
  },
  gg: {
    name: 'gg',
    label: 'Gamma-Gamma spend (Fader, Hardie & Lee 2005)',
    input: 'spend',
    paramNames: ['p', 'q', 'gamma'],
    fit: (input, opts) => asRecord(fitGammaGamma(expect(input, 'spend', 'gg'), opts)),
  },
  bgbb: {
    name: 'bgbb',
    label: 'BG/BB (Fader, Hardie & Shang 2010)',
    input: 'bgbb',
    paramNames: ['alpha', 'beta', 'gamma', 'delta'],
    fit: (input, opts) => asRecord(fitBgBb(expect(input, 'bgbb', 'bgbb'), opts)),
  },
  sbg: {
    name: 'sbg',
    label: 'sBG (Fader & Hardie 2007)',
    input: 'survival',
    paramNames: ['alpha', 'beta'],
    fit: (input, opts) => asRecord(fitSbg(expect(input, 'survival', 'sbg').cohorts, opts)),
  },
  bdw: {
    name: 'bdw',
    label: 'BdW (Fader, Hardie, Liu, Davin & Steenburgh 2018)',
    input: 'survival',
    paramNames: ['alpha', 'beta', 'c'],
    fit: (input, opts) => asRecord(fitBdw(expect(input, 'survival', 'bdw').cohorts, opts)),
  },
};

/** All model names, in help order. */
export const MODEL_NAMES: readonly ModelName[] = ['sbg', 'bdw', 'bgnbd', 'pnbd', 'mbgnbd', 'bgbb', 'gg'];

/** Type guard for user-supplied model names. Example: isModelName('bgnbd') = true, isModelName('bgnb') = false. */
export function isModelName(s: string): s is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(s);
}

/** Fits `model` to `input`. Example: fitModel('sbg', {kind: 'survival', cohorts: [{alive: [1000, 631, 468]}]}). */
export function fitModel(
  model: ModelName,
  input: ModelInput,
  opts: FitOptions = {},
): FitReport<Record<string, number>> {
  return MODELS[model].fit(input, opts);
}
