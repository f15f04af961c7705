/**
 * The simulator inputs held by a what-if cell's params (same names and units as src/lib/sim/inputs.ts);
 * missing or non-numeric values take the simulator defaults. Example: whatIfInputs({ averageOrderValue: 50 }).
 */
import { DEFAULT_INPUTS, LEVERS, type WhatIfInputs } from '../sim/inputs.ts';
import type { Params } from './kinds.ts';

export function whatIfInputs(params: Params): WhatIfInputs {
  const out = { ...DEFAULT_INPUTS };
  for (const k of LEVERS) {
    const v = params[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}
