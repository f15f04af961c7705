/**
 * Cell kinds and their inputs: the one table the notebook, the autosave validator and the share-link codec
 * agree on. Pure (no DOM, no svelte). Every parameter declares its type, range and default, so anything read
 * from a file or a link is checked against this table and never trusted.
 */

import { DEFAULT_INPUTS, INPUT_LIMITS, LEVERS } from '../sim/inputs.ts';
import { FITTED_LEVERS } from '../sim/baseline.ts';
import { cleanVariantsText, LEVER_SHORT } from '../sim/variants.ts';
import { LESSON_IDS } from './lessons.ts';
import { CURRENCIES } from '../i18n/format.ts';

/** The kinds of notebook cell, in palette order. */
export const CELL_KINDS = [
  'note',
  'data',
  'cohorts',
  'retention',
  'purchase',
  'spend',
  'forecast',
  'whatif',
  'compare',
  'sensitivity',
] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/** A parameter value as stored in a cell (numbers in the units the UI shows: %, $, years). */
export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

/** Declared parameter: type, bounds, default, and the short key used in share links. */
export type ParamSchema =
  | { type: 'number'; short: string; default: number; min: number; max: number; integer?: boolean }
  | { type: 'enum'; short: string; default: string; values: readonly string[] }
  | {
      type: 'text';
      short: string;
      default: string;
      maxLength: number;
      /** The whole text must match (else the value is refused). */
      pattern?: RegExp;
      /** Structured text: its canonical form and what was wrong (never throws; unusable parts dropped). */
      clean?: (text: string) => { text: string; problem?: string };
    }
  | { type: 'bool'; short: string; default: boolean };

export interface KindSchema {
  /** One-letter code used in share links. */
  short: string;
  /** Kinds whose outputs this cell reads (the nearest such cell above it). */
  needs: readonly CellKind[];
  params: Record<string, ParamSchema>;
}

/** Longest Markdown note kept (characters); longer text from a file or link is cut with a warning. */
export const MAX_NOTE_CHARS = 20_000;
/** Most cells a notebook may hold (a link asking for more is truncated). */
export const MAX_CELLS = 60;
/** Longest custom cell title (characters). */
export const MAX_TITLE_CHARS = 120;

/** What-if params = the simulator's inputs, same names, units, defaults and limits. */
function whatIfParams(): Record<string, ParamSchema> {
  const out: Record<string, ParamSchema> = {};
  for (const lever of LEVERS) {
    const lim = INPUT_LIMITS[lever];
    out[lever] = {
      type: 'number',
      short: LEVER_SHORT[lever],
      default: DEFAULT_INPUTS[lever],
      min: lim.min,
      max: lim.max,
      integer: lim.integer,
    };
  }
  return out;
}

/** Canonical `typed` text: the keys of fitted levers, each once, in FITTED_LEVERS order. Example: 'ar' -> 'ra'. */
export function cleanTypedLevers(text: string): { text: string; problem?: string } {
  const keys = FITTED_LEVERS.map((k) => LEVER_SHORT[k]);
  const out = keys.filter((k) => text.includes(k)).join('');
  const bad = [...text].filter((c) => !keys.includes(c));
  return bad.length
    ? { text: out, problem: `not fitted levers: "${bad.join('').slice(0, 8)}", left out` }
    : { text: out };
}

/** Built-in notes shown in the reader's language (content in src/cells/note/presets.ts). */
export const NOTE_PRESETS = [
  '',
  'intro',
  'learn1',
  'learn2',
  'learn3',
  'learn4',
  'learn5',
  'learn6',
  'learn7',
] as const;

export const KINDS: Record<CellKind, KindSchema> = {
  note: {
    short: 'n',
    needs: [],
    params: {
      // A preset note is rendered from the UI dictionaries (so it follows the language); editing turns it into text.
      preset: { type: 'enum', short: 'p', default: '', values: NOTE_PRESETS },
      text: { type: 'text', short: 't', default: '', maxLength: MAX_NOTE_CHARS },
    },
  },
  data: {
    short: 'd',
    needs: [],
    params: {
      source: {
        type: 'enum',
        short: 's',
        default: 'cdnow',
        values: ['cdnow', 'cdnow-rfm', 'donations', 'upload'],
      },
      // How to read an upload ('auto' = from its header) and the time unit of a ready RFM summary.
      summaryKind: {
        type: 'enum',
        short: 'k',
        default: 'auto',
        values: ['auto', 'transactions', 'rfm', 'bgbb', 'survival'],
      },
      summaryUnit: { type: 'enum', short: 'u', default: 'week', values: ['day', 'week', 'month'] },
      // Column mapping of an uploaded file ('' = detect automatically) and the day/month order of slash dates.
      customerColumn: { type: 'text', short: 'c', default: '', maxLength: 100 },
      dateColumn: { type: 'text', short: 'd', default: '', maxLength: 100 },
      amountColumn: { type: 'text', short: 'a', default: '', maxLength: 100 },
      dateOrder: { type: 'enum', short: 'o', default: 'auto', values: ['auto', 'dmy', 'mdy'] },
      // issue 12: calibration end (a date, or the last N weeks as holdout; '' / 0 = automatic) and currency.
      calibrationEnd: {
        type: 'text',
        short: 'e',
        default: '',
        maxLength: 10,
        pattern: /^(\d{4}-\d{2}-\d{2})?$/,
      },
      holdoutWeeks: { type: 'number', short: 'w', default: 0, min: 0, max: 520, integer: true },
      currency: {
        type: 'enum',
        short: 'y',
        default: 'auto',
        values: ['auto', ...CURRENCIES],
      },
    },
  },
  cohorts: {
    short: 'c',
    needs: ['data'],
    params: {
      measure: { type: 'enum', short: 'm', default: 'customers', values: ['customers', 'revenue'] },
      scale: { type: 'enum', short: 's', default: 'percent', values: ['percent', 'counts'] },
      period: { type: 'enum', short: 'p', default: 'month', values: ['month', 'quarter'] },
    },
  },
  retention: {
    short: 'r',
    needs: ['data'],
    params: {
      model: { type: 'enum', short: 'm', default: 'sbg', values: ['sbg', 'bdw'] },
      horizon: { type: 'number', short: 'h', default: 24, min: 1, max: 120, integer: true },
      source: { type: 'enum', short: 's', default: 'data', values: ['data', 'table1', 'table'] },
      segment: { type: 'enum', short: 'g', default: 'regular', values: ['regular', 'highEnd'] },
      followUp: {
        type: 'enum',
        short: 'f',
        default: 'auto',
        values: ['auto', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
      },
      discount: { type: 'number', short: 'd', default: 10, min: 0, max: 50 },
      tableUnit: { type: 'enum', short: 'u', default: 'years', values: ['years', 'quarters', 'months'] },
      holdout: { type: 'number', short: 'o', default: 0, min: 0, max: 6, integer: true },
      table: { type: 'text', short: 't', default: '', maxLength: 200000 },
    },
  },
  purchase: {
    short: 'p',
    needs: ['data'],
    params: {
      model: { type: 'enum', short: 'm', default: 'bgnbd', values: ['bgnbd', 'pnbd', 'mbgnbd'] },
    },
  },
  spend: { short: 's', needs: ['data'], params: {} },
  forecast: {
    short: 'f',
    needs: ['data', 'purchase', 'spend'],
    params: {
      horizonMonths: { type: 'number', short: 'h', default: 12, min: 1, max: 120, integer: true },
      annualDiscount: { type: 'number', short: 'd', default: 10, min: 0, max: 100 },
      // Gross margin: 30% (a typical retail margin, as the README's CLI example) rather than 100%, which would
      // present revenue as value; the forecast note states the margin used.
      marginPct: { type: 'number', short: 'm', default: 30, min: 0, max: 100 },
      // issue 12 (scale): the interval of the customer-base total can be switched off.
      totalInterval: { type: 'bool', short: 'i', default: true },
    },
  },
  whatif: {
    short: 'w',
    needs: [],
    params: {
      ...whatIfParams(),
      // Scenario the values came from ('' = typed in); its baseline is what the sliders mark.
      scenario: { type: 'text', short: 's', default: '', maxLength: 64 },
      // Learn-mode widget ('' = none): its inputs are the baseline, and it shows only what its step teaches.
      lesson: { type: 'enum', short: 'l', default: '', values: LESSON_IDS },
      // Fitted levers set by hand (their keys, e.g. 'ra'); the others follow the notebook's fitted baseline.
      typed: { type: 'text', short: 'y', default: '', maxLength: 8, clean: cleanTypedLevers },
    },
  },
  compare: {
    short: 'v',
    needs: ['whatif'],
    params: {
      // Paired Monte Carlo intervals on the deltas (same seed for every scenario).
      intervals: { type: 'bool', short: 'i', default: true },
      // Named variants, src/lib/sim/variants.ts text form ('' = the scenario's or three generic ones).
      variants: { type: 'text', short: 'v', default: '', maxLength: 2000, clean: cleanVariantsText },
    },
  },
  sensitivity: {
    short: 't',
    needs: ['whatif'],
    params: {
      change: { type: 'number', short: 'c', default: 10, min: 1, max: 50 },
      metric: { type: 'enum', short: 'm', default: 'clv', values: ['clv', 'ltvToCac'] },
    },
  },
};

/** True for a known cell kind (safe on hostile input). */
export function isCellKind(x: unknown): x is CellKind {
  return typeof x === 'string' && (CELL_KINDS as readonly string[]).includes(x);
}

/** The kind whose one-letter link code is `short`, or null. Example: kindFromShort('w') = 'whatif'. */
export function kindFromShort(short: unknown): CellKind | null {
  for (const k of CELL_KINDS) if (KINDS[k].short === short) return k;
  return null;
}

/** Default parameters of a kind (a fresh object). */
export function defaultParams(kind: CellKind): Params {
  const out: Params = {};
  for (const [name, s] of Object.entries(KINDS[kind].params)) out[name] = s.default;
  return out;
}

/**
 * Checks one parameter value against its schema. Returns the value to keep (numbers clamped to range,
 * text cut to length) and a problem description, or `{ ok: false }` when the value cannot be used.
 * Example: checkParam(KINDS.whatif.params.margin, 250) = { ok: true, value: 100, problem: 'clamped ...' }.
 */
export function checkParam(
  schema: ParamSchema,
  value: unknown,
): { ok: true; value: ParamValue; problem?: string } | { ok: false; problem: string } {
  switch (schema.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { ok: false, problem: 'not a finite number' };
      let v = schema.integer ? Math.round(value) : value;
      let problem: string | undefined;
      if (v < schema.min || v > schema.max) {
        v = Math.min(schema.max, Math.max(schema.min, v));
        problem = `out of range [${schema.min}, ${schema.max}], clamped to ${v}`;
      }
      return { ok: true, value: v, problem };
    }
    case 'enum':
      return typeof value === 'string' && schema.values.includes(value)
        ? { ok: true, value }
        : { ok: false, problem: `not one of ${schema.values.join(', ')}` };
    case 'text': {
      if (typeof value !== 'string') return { ok: false, problem: 'not text' };
      if (schema.pattern && !schema.pattern.test(value))
        return { ok: false, problem: `not of the form ${schema.pattern.source}` };
      const long = value.length > schema.maxLength;
      const text = long ? value.slice(0, schema.maxLength) : value;
      const cut = long ? `longer than ${schema.maxLength} characters, cut` : undefined;
      if (!schema.clean) return { ok: true, value: text, problem: cut };
      const c = schema.clean(text);
      const problem = [cut, c.problem].filter(Boolean).join('; ');
      return problem ? { ok: true, value: c.text, problem } : { ok: true, value: c.text };
    }
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, problem: 'not true/false' };
  }
}
