// How each simulator input is shown: slider range, step, display scale (fractions shown as %), unit, test id.
// Values in the cell's params are in the simulator's units (src/lib/sim/inputs.ts); sliders show value × scale.
import type { LeverName, WhatIfInputs } from '../../lib/sim/inputs.ts';
import { snapToStep } from '../../components/snap.ts';
import type { MessageKey } from '../../lib/i18n/en.ts';

export interface LeverUi {
  key: Exclude<LeverName, 'periodMonths'>;
  label: MessageKey;
  testid: string;
  min: number;
  max: number;
  step: number;
  scale: number;
  unit: 'percent' | 'money' | 'perYear' | 'months' | 'none' | 'customers' | 'moneyPerPeriod';
  advanced?: boolean;
}

export const LEVER_UI: readonly LeverUi[] = [
  {
    key: 'retentionPerPeriod',
    label: 'whatif.retention',
    testid: 'slider-retention',
    min: 0,
    max: 99.9,
    step: 0.1,
    scale: 100,
    unit: 'percent',
  },
  {
    key: 'purchasesPerYear',
    label: 'whatif.frequency',
    testid: 'slider-frequency',
    min: 0,
    max: 52,
    step: 0.1,
    scale: 1,
    unit: 'perYear',
  },
  {
    key: 'averageOrderValue',
    label: 'whatif.aov',
    testid: 'slider-aov',
    min: 0,
    max: 1000,
    step: 1,
    scale: 1,
    unit: 'money',
  },
  {
    key: 'grossMarginPct',
    label: 'whatif.margin',
    testid: 'slider-margin',
    min: 0,
    max: 100,
    step: 1,
    scale: 1,
    unit: 'percent',
  },
  {
    key: 'acquisitionCost',
    label: 'whatif.cac',
    testid: 'slider-cac',
    min: 0,
    max: 1000,
    step: 1,
    scale: 1,
    unit: 'money',
  },
  {
    key: 'annualDiscountRate',
    label: 'whatif.discount',
    testid: 'slider-discount',
    min: 0,
    max: 50,
    step: 0.5,
    scale: 100,
    unit: 'percent',
  },
  {
    key: 'retentionHeterogeneity',
    label: 'whatif.heterogeneity',
    testid: 'slider-heterogeneity',
    min: 0,
    max: 0.99,
    step: 0.01,
    scale: 1,
    unit: 'none',
  },
  {
    key: 'horizonMonths',
    label: 'whatif.horizon',
    testid: 'slider-horizon',
    min: 1,
    max: 120,
    step: 1,
    scale: 1,
    unit: 'months',
    advanced: true,
  },
  {
    key: 'newCustomersPerPeriod',
    label: 'whatif.newCustomers',
    testid: 'slider-new-customers',
    min: 0,
    max: 10000,
    step: 10,
    scale: 1,
    unit: 'customers',
    advanced: true,
  },
  {
    key: 'programmeCostPerCustomerPerPeriod',
    label: 'whatif.programmeCost',
    testid: 'slider-programme-cost',
    min: 0,
    max: 50,
    step: 0.5,
    scale: 1,
    unit: 'moneyPerPeriod',
    advanced: true,
  },
  {
    key: 'winBackRatePerPeriod',
    label: 'whatif.winBack',
    testid: 'slider-win-back',
    min: 0,
    max: 50,
    step: 0.5,
    scale: 100,
    unit: 'percent',
    advanced: true,
  },
];

/** value × scale without binary noise (0.9 × 100 = 90, not 90.00000000000001). */
export function toDisplay(value: number, scale: number): number {
  return Number((value * scale).toPrecision(12));
}
/** Inverse of toDisplay. */
export function fromDisplay(shown: number, scale: number): number {
  return Number((shown / scale).toPrecision(12));
}
/** A slider maximum that fits `value` (a scenario may go beyond the default range): the next 1-2-5 step above. */
export function fitMax(max: number, value: number): number {
  if (value <= max) return max;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * p >= value) return m * p;
  return value;
}

/**
 * The inputs after moving lever `key`'s slider by `delta` (in displayed units, e.g. +0.1 for one step of
 * retention in %), exactly as the Slider would set them (same snapping, same slider maximum); null when the
 * slider would not move (at an end). Example: stepInputs(i, base, 'averageOrderValue', +1).
 */
export function stepInputs(
  inputs: WhatIfInputs,
  baseline: WhatIfInputs,
  key: LeverUi['key'],
  delta: number,
): WhatIfInputs | null {
  const l = LEVER_UI.find((x) => x.key === key);
  if (!l || !Number.isFinite(delta) || delta === 0) return null;
  const shown = toDisplay(inputs[key], l.scale);
  const max = fitMax(l.max, Math.max(shown, toDisplay(baseline[key], l.scale)));
  const next = snapToStep(shown + delta, l.min, max, l.step);
  return next === shown ? null : { ...inputs, [key]: fromDisplay(next, l.scale) };
}

/** The one lever whose value differs between `a` and `b`, with the move in displayed units (null otherwise). */
export function leverMove(a: WhatIfInputs, b: WhatIfInputs): { key: LeverUi['key']; delta: number } | null {
  let found: { key: LeverUi['key']; delta: number } | null = null;
  for (const k of Object.keys(b) as Array<keyof WhatIfInputs>) {
    if (a[k] === b[k]) continue;
    const l = LEVER_UI.find((x) => x.key === k);
    if (!l || found) return null;
    found = { key: l.key, delta: toDisplay(b[k], l.scale) - toDisplay(a[k], l.scale) };
  }
  return found;
}
