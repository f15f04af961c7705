/**
 * Named comparison variants ("membership": retention +5 points, programme cost 8 per customer per month) as
 * changes relative to the what-if baseline, and their compact text form for a cell parameter (saved files,
 * undo, share links).
 *
 * A change is (lever, op, value) with the value in the units the sliders show (fractions as percent):
 *   '+'  add:        retention +5 = five percentage points more; AOV +20 = 20 more per order
 *   '*'  relative:   AOV *10 = 10% more; CAC *-20 = 20% less
 *   '='  set:        programme cost =8
 * Text form: variants separated by '|', each `name:change,change`, a change `<key><op><number>` with the
 * lever's one-letter key (LEVER_SHORT; the same letters as the what-if's link keys). In names the characters
 * % | : , ~ are written %XX. '' means "the built-in variants"; '~' an empty list.
 * Example: 'membership:r+5,p=8|bigger basket:a*10'.
 */
import { INPUT_LIMITS, type LeverName, type WhatIfInputs } from './inputs.ts';

/** One-letter key of every simulator input (share links and variant text). */
export const LEVER_SHORT: Readonly<Record<LeverName, string>> = {
  retentionPerPeriod: 'r',
  retentionHeterogeneity: 'h',
  purchasesPerYear: 'f',
  averageOrderValue: 'a',
  grossMarginPct: 'm',
  acquisitionCost: 'c',
  annualDiscountRate: 'd',
  horizonMonths: 'H',
  newCustomersPerPeriod: 'n',
  programmeCostPerCustomerPerPeriod: 'p',
  winBackRatePerPeriod: 'b',
  periodMonths: 'P',
};

/** Levers a variant may change (the period is the baseline's). */
export type VariantLever = Exclude<LeverName, 'periodMonths'>;
export const VARIANT_LEVERS = (Object.keys(LEVER_SHORT) as LeverName[]).filter(
  (k): k is VariantLever => k !== 'periodMonths',
);
/** Fractions the sliders show as percent (× 100); the other levers are shown in their own units. */
const PERCENT_SHOWN: ReadonlySet<LeverName> = new Set([
  'retentionPerPeriod',
  'annualDiscountRate',
  'winBackRatePerPeriod',
]);
/** Display value -> simulator units. Example: toInputUnits('retentionPerPeriod', 5) = 0.05. */
export function toInputUnits(lever: LeverName, shown: number): number {
  return PERCENT_SHOWN.has(lever) ? Number((shown / 100).toPrecision(12)) : shown;
}
/** Simulator units -> display value. Example: toShownUnits('retentionPerPeriod', 0.9) = 90. */
export function toShownUnits(lever: LeverName, value: number): number {
  return PERCENT_SHOWN.has(lever) ? Number((value * 100).toPrecision(12)) : value;
}

export type ChangeOp = '+' | '*' | '=';
export interface VariantChange {
  lever: VariantLever;
  op: ChangeOp;
  /** Shown units ('+', '='), or percent ('*'). */
  value: number;
}
export interface VariantSpec {
  name: string;
  changes: VariantChange[];
}

/** Most variants compared with the baseline. */
export const MAX_VARIANTS = 4;
/** Longest variant name (characters). */
export const MAX_VARIANT_NAME = 40;
/** Largest |value| of a change (a typo like 1e300 is refused rather than clamped into nonsense). */
const MAX_CHANGE = 1e10;

const BY_SHORT = new Map(VARIANT_LEVERS.map((k) => [LEVER_SHORT[k], k]));
const ESCAPED = /[%|:,~]/g;

function escapeName(s: string): string {
  return s.replace(ESCAPED, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}
function unescapeName(s: string): string | null {
  let bad = false;
  const out = s.replace(/%([0-9A-Fa-f]{2})?/g, (_match, hex: string | undefined) => {
    const c = hex ? String.fromCharCode(parseInt(hex, 16)) : '';
    if (!hex || !'%|:,~'.includes(c)) bad = true;
    return c;
  });
  return bad ? null : out;
}
/** Shortest text of a number that reads back the same to 10 significant digits. */
function num(x: number): string {
  return String(Number(x.toPrecision(10)));
}

/** The text form of `variants` ('~' for none). Example: encodeVariants([{ name: 'a', changes: [] }]) = 'a:'. */
export function encodeVariants(variants: readonly VariantSpec[]): string {
  if (variants.length === 0) return '~';
  return variants
    .map(
      (v) =>
        escapeName(v.name) + ':' + v.changes.map((c) => LEVER_SHORT[c.lever] + c.op + num(c.value)).join(','),
    )
    .join('|');
}

/** A change's problem, or null when it is usable. */
function changeProblem(c: VariantChange): string | null {
  if (!Number.isFinite(c.value) || Math.abs(c.value) > MAX_CHANGE) return 'value is not a reasonable number';
  if (c.op === '*' && c.value < -100) return 'a relative change cannot go below -100%';
  return null;
}

/**
 * Reads the text form. Never throws: unreadable variants or changes are left out with one message each
 * (`variant 2: …`), names are cut to MAX_VARIANT_NAME, more than MAX_VARIANTS are cut. `builtIn` is true for ''.
 * Example: decodeVariants('x:r+5,q+1').problems = ['variant 1 (x): unknown lever "q", change left out'].
 */
export function decodeVariants(text: unknown): {
  variants: VariantSpec[];
  builtIn: boolean;
  problems: string[];
} {
  const problems: string[] = [];
  if (typeof text !== 'string') return { variants: [], builtIn: true, problems: ['variants: not text'] };
  if (text === '') return { variants: [], builtIn: true, problems };
  if (text === '~') return { variants: [], builtIn: false, problems };
  const items = text.split('|');
  if (items.length > MAX_VARIANTS)
    problems.push(`variants: only the first ${MAX_VARIANTS} of ${items.length} kept`);
  const variants: VariantSpec[] = [];
  items.slice(0, MAX_VARIANTS).forEach((item, i) => {
    const where = `variant ${i + 1}`;
    const colon = item.indexOf(':');
    if (colon < 0) {
      problems.push(`${where}: no "name:changes", left out`);
      return;
    }
    let name = unescapeName(item.slice(0, colon));
    if (name === null) {
      problems.push(`${where}: bad %-escape in the name, left out`);
      return;
    }
    name = name.trim();
    if (name.length > MAX_VARIANT_NAME) {
      problems.push(`${where}: name longer than ${MAX_VARIANT_NAME} characters, cut`);
      name = name.slice(0, MAX_VARIANT_NAME);
    }
    if (!name) name = `#${i + 1}`;
    const changes: VariantChange[] = [];
    const body = item.slice(colon + 1);
    for (const raw of body ? body.split(',') : []) {
      const lever = BY_SHORT.get(raw.charAt(0));
      const op = raw.charAt(1);
      const where2 = `${where} (${name.slice(0, 20)})`;
      if (!lever) {
        problems.push(`${where2}: unknown lever "${raw.charAt(0)}", change left out`);
        continue;
      }
      if (op !== '+' && op !== '*' && op !== '=') {
        problems.push(`${where2}: "${raw.slice(0, 12)}" has no + * or =, change left out`);
        continue;
      }
      const rest = raw.slice(2);
      const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(rest) ? Number(rest) : NaN;
      const change: VariantChange = { lever, op, value };
      const problem = changeProblem(change);
      if (problem) problems.push(`${where2}: "${raw.slice(0, 20)}": ${problem}, change left out`);
      else if (changes.some((c) => c.lever === lever))
        problems.push(`${where2}: lever "${raw.charAt(0)}" changed twice, second left out`);
      else changes.push(change);
    }
    variants.push({ name, changes });
  });
  return { variants, builtIn: false, problems };
}

/**
 * The canonical text of a variants parameter and what was wrong with it (for the parameter table's check).
 * Example: cleanVariantsText('a:r+5,zz') = { text: 'a:r+5', problem: 'variant 1 (a): unknown lever "z", …' }.
 */
export function cleanVariantsText(text: string): { text: string; problem?: string } {
  const { variants, builtIn, problems } = decodeVariants(text);
  const out = builtIn ? '' : encodeVariants(variants);
  return problems.length ? { text: out, problem: problems.join('; ') } : { text: out };
}

/**
 * The inputs a variant changes, in simulator units, clamped to the simulator's limits (only the changed levers;
 * compare them over the baseline). Example: applyVariant(b, { name, changes: [{ lever: 'acquisitionCost',
 * op: '*', value: -20 }] }) = { acquisitionCost: 0.8 · b.acquisitionCost }.
 */
export function applyVariant(baseline: WhatIfInputs, spec: VariantSpec): Partial<WhatIfInputs> {
  const out: Partial<WhatIfInputs> = {};
  for (const c of spec.changes) {
    const base = baseline[c.lever];
    const v =
      c.op === '*'
        ? base * (1 + c.value / 100)
        : c.op === '+'
          ? base + toInputUnits(c.lever, c.value)
          : toInputUnits(c.lever, c.value);
    const lim = INPUT_LIMITS[c.lever];
    const r = lim.integer ? Math.round(v) : v;
    out[c.lever] = Math.min(lim.max, Math.max(lim.min, r));
  }
  return out;
}

/** Absolute inputs (a library scenario's variant) as '=' changes. */
export function changesFromInputs(inputs: Partial<WhatIfInputs>): VariantChange[] {
  return VARIANT_LEVERS.filter((k) => typeof inputs[k] === 'number').map((k) => ({
    lever: k,
    op: '=',
    value: toShownUnits(k, inputs[k] as number),
  }));
}
