/**
 * What-if scenario schema: the JSON shape of scenarios/*.json and of a what-if state carried in a share link.
 * `validateScenario(json)` never throws: it treats every field as hostile, keeps what it can read, replaces the
 * rest with defaults, and lists each problem (path: what was wrong; what was used instead).
 *
 * Shape (v = 1):
 * {
 *   "v": 1,
 *   "id": "textbook",                                   // [a-z0-9-], <= 64 chars
 *   "title": { "en": "...", "zh": "..." },              // <= 200 chars each
 *   "explanation": { "en": "...", "zh": "..." },        // <= 4,000 chars each
 *   "currency": "USD" | "CNY" | "BRL" | "EUR",
 *   "baseline": { <WhatIfInputs fields, all optional> },
 *   "variants": [ { "id", "title", "explanation"?, "inputs": { <overrides of the baseline> } } ],   // <= 4
 *   "monteCarlo": { "seed", "customers", "worlds", "purchaseModel", "defaultCv", "<lever>StdError"... },
 *   "expected": { "clvTextbook": 750, ... }             // optional hand-derived checks of the baseline
 *   "sources": [ "..." ]                                // optional, <= 10 strings
 * }
 */
import {
  INPUT_LIMITS,
  LEVERS,
  normalizeInputs,
  DEFAULT_INPUTS,
  type LeverName,
  type WhatIfInputs,
} from '../sim/inputs.ts';
import {
  CURRENCIES,
  DEFAULT_MONTE_CARLO,
  MONTE_CARLO_LIMITS,
  SCENARIO_VERSION,
  type ScenarioCurrency,
  type ScenarioMonteCarlo,
} from './defaults.ts';

/** Text in both UI languages. */
export interface LocalizedText {
  en: string;
  zh: string;
}

/** One variant: overrides applied on top of the baseline. */
export interface ScenarioVariant {
  id: string;
  title: LocalizedText;
  explanation: LocalizedText | null;
  inputs: Partial<WhatIfInputs>;
}

/** Metrics a scenario may pin with hand-derived values. */
export const EXPECTED_KEYS = [
  'clvTextbook',
  'clvConstantChurn',
  'clvModel',
  'ltvToCac',
  'paybackMonths',
] as const;
/** One of EXPECTED_KEYS, e.g. 'clvTextbook'. */
export type ExpectedKey = (typeof EXPECTED_KEYS)[number];

/** A validated scenario: every field present and in range. */
export interface Scenario {
  v: number;
  id: string;
  title: LocalizedText;
  explanation: LocalizedText;
  currency: ScenarioCurrency;
  /** Complete baseline inputs (missing fields filled from DEFAULT_INPUTS). */
  baseline: WhatIfInputs;
  variants: ScenarioVariant[];
  monteCarlo: ScenarioMonteCarlo;
  expected: Partial<Record<ExpectedKey, number>>;
  sources: string[];
}

/** Result of validation: always a usable scenario, plus the problems found (empty when the input was clean). */
export interface ScenarioValidation {
  scenario: Scenario;
  errors: string[];
}

/** Caps that keep a hostile file or link from costing memory or time. */
export const SCENARIO_LIMITS = {
  jsonChars: 200_000,
  idChars: 64,
  titleChars: 200,
  explanationChars: 4_000,
  variants: 4,
  sources: 10,
  sourceChars: 500,
} as const;

const ID_RE = /^[a-z0-9][a-z0-9-]*$/;
const TOP_KEYS = new Set([
  'v',
  'id',
  'title',
  'explanation',
  'currency',
  'baseline',
  'variants',
  'monteCarlo',
  'expected',
  'sources',
]);
const VARIANT_KEYS = new Set(['id', 'title', 'explanation', 'inputs']);
const MC_NUMERIC = ['seed', 'customers', 'worlds', 'defaultCv'] as const;
const MC_STDERR = [
  'retentionStdError',
  'purchasesPerYearStdError',
  'averageOrderValueStdError',
  'acquisitionCostStdError',
] as const;
const MC_KEYS = new Set<string>([...MC_NUMERIC, ...MC_STDERR, 'purchaseModel']);

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function own(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x);
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? 'an object' : typeof x;
}

/** Strip control characters (except newline and tab) and cap the length. */
function cleanText(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  return t.length > max ? t.slice(0, max) : t;
}

function readText(
  raw: unknown,
  path: string,
  max: number,
  fallback: LocalizedText,
  errors: string[],
): LocalizedText {
  if (typeof raw === 'string') {
    // A plain string is accepted as English and Chinese alike.
    const t = cleanText(raw, max);
    return { en: t, zh: t };
  }
  if (!isObj(raw)) {
    errors.push(
      `${path}: ${raw === undefined ? 'missing' : `expected {en, zh}, got ${describe(raw)}`}; using ${JSON.stringify(fallback.en)}`,
    );
    return { ...fallback };
  }
  const out: LocalizedText = { en: '', zh: '' };
  for (const lang of ['en', 'zh'] as const) {
    const v = own(raw, lang);
    if (typeof v === 'string' && v.trim() !== '') {
      if (v.length > max) errors.push(`${path}.${lang}: longer than ${max} characters; cut`);
      out[lang] = cleanText(v, max);
    } else {
      errors.push(`${path}.${lang}: ${v === undefined ? 'missing' : `expected text, got ${describe(v)}`}`);
    }
  }
  if (out.en === '' && out.zh === '') return { ...fallback };
  if (out.en === '') out.en = out.zh;
  if (out.zh === '') out.zh = out.en;
  return out;
}

function readId(raw: unknown, path: string, fallback: string, errors: string[]): string {
  if (typeof raw === 'string' && raw.length <= SCENARIO_LIMITS.idChars && ID_RE.test(raw)) return raw;
  errors.push(
    `${path}: ${raw === undefined ? 'missing' : `${describe(raw)} is not an id of lowercase letters, digits and "-"`}; using "${fallback}"`,
  );
  return fallback;
}

/**
 * Read input fields from a hostile object: only known numeric fields, finite, within INPUT_LIMITS (clamped with
 * an error), integers rounded. Returns only the fields that were present and usable.
 */
function readInputs(raw: unknown, path: string, errors: string[]): Partial<WhatIfInputs> {
  const out: Partial<WhatIfInputs> = {};
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    errors.push(`${path}: expected an object of inputs, got ${describe(raw)}; using defaults`);
    return out;
  }
  const known = new Set<string>(LEVERS);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors.push(`${path}.${key}: unknown input; ignored (known: ${LEVERS.join(', ')})`);
  }
  for (const key of LEVERS) {
    const v = own(raw, key);
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      errors.push(`${path}.${key}: expected a finite number, got ${describe(v)}; ignored`);
      continue;
    }
    const lim = INPUT_LIMITS[key as LeverName];
    let x = lim.integer ? Math.round(v) : v;
    if (x < lim.min || x > lim.max) {
      const hint = lim.max <= 1 && x > 1 && x <= 100 ? ` (use a fraction: ${x / 100} for ${x}%)` : '';
      x = Math.min(lim.max, Math.max(lim.min, x));
      errors.push(`${path}.${key}: ${v} is outside [${lim.min}, ${lim.max}]${hint}; using ${x}`);
    }
    if (key === 'periodMonths' && x !== 1 && x !== 3 && x !== 12) {
      const snapped = x >= 7 ? 12 : x >= 2 ? 3 : 1;
      errors.push(`${path}.periodMonths: ${x} is not 1, 3 or 12; using ${snapped}`);
      x = snapped;
    }
    out[key as LeverName] = x;
  }
  return out;
}

function readMonteCarlo(raw: unknown, errors: string[]): ScenarioMonteCarlo {
  const out: ScenarioMonteCarlo = { ...DEFAULT_MONTE_CARLO };
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    errors.push(`monteCarlo: expected an object, got ${describe(raw)}; using defaults`);
    return out;
  }
  for (const key of Object.keys(raw))
    if (!MC_KEYS.has(key)) errors.push(`monteCarlo.${key}: unknown setting; ignored`);
  for (const key of MC_NUMERIC) {
    const v = own(raw, key);
    if (v === undefined) continue;
    const lim = MONTE_CARLO_LIMITS[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      errors.push(`monteCarlo.${key}: expected a finite number, got ${describe(v)}; using ${out[key]}`);
      continue;
    }
    let x = key === 'defaultCv' ? v : Math.round(v);
    if (x < lim.min || x > lim.max) {
      x = Math.min(lim.max, Math.max(lim.min, x));
      errors.push(`monteCarlo.${key}: ${v} is outside [${lim.min}, ${lim.max}]; using ${x}`);
    }
    out[key] = x;
  }
  for (const key of MC_STDERR) {
    const v = own(raw, key);
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      errors.push(`monteCarlo.${key}: expected a number >= 0, got ${describe(v)}; ignored`);
      continue;
    }
    out[key] = Math.min(MONTE_CARLO_LIMITS.stdError.max, v);
  }
  const pmodel = own(raw, 'purchaseModel');
  if (pmodel !== undefined) {
    if (pmodel === 'poisson' || pmodel === 'fixed') out.purchaseModel = pmodel;
    else
      errors.push(
        `monteCarlo.purchaseModel: expected "poisson" or "fixed", got ${describe(pmodel)}; using "poisson"`,
      );
  }
  return out;
}

const FALLBACK_TITLE: LocalizedText = { en: 'Untitled scenario', zh: '未命名情景' };
const FALLBACK_EXPLANATION: LocalizedText = { en: '', zh: '' };

/** Upgraders from older schema versions to the current one (none yet: v1 is the first). */
const UPGRADES: Record<number, (raw: Obj) => Obj> = {};

/**
 * Validate a scenario given as parsed JSON or as a JSON string. Never throws; unknown fields are reported and
 * ignored; bad values are replaced (defaults) or clamped, each with an error naming the path.
 * Example: validateScenario({ v: 1, id: 'x', title: { en: 'X', zh: 'X' }, explanation: { en: 'e', zh: 'e' },
 *   currency: 'USD', baseline: { grossMarginPct: 250 } }) -> scenario.baseline.grossMarginPct = 100 and
 *   errors = ['baseline.grossMarginPct: 250 is outside [0, 100]; using 100'].
 */
export function validateScenario(json: unknown): ScenarioValidation {
  const errors: string[] = [];
  let raw: unknown = json;
  if (typeof json === 'string') {
    if (json.length > SCENARIO_LIMITS.jsonChars) {
      errors.push(`scenario: text longer than ${SCENARIO_LIMITS.jsonChars} characters; not read`);
      raw = undefined;
    } else {
      try {
        raw = JSON.parse(json) as unknown;
      } catch (e) {
        errors.push(`scenario: not valid JSON (${e instanceof Error ? e.message : 'parse error'})`);
        raw = undefined;
      }
    }
  }
  if (!isObj(raw)) {
    if (raw !== undefined || errors.length === 0)
      errors.push(`scenario: expected an object, got ${describe(raw)}; using the default scenario`);
    raw = {};
  }
  let o = raw as Obj;

  // Version.
  const vRaw = own(o, 'v');
  let v = SCENARIO_VERSION;
  if (vRaw === undefined) errors.push(`v: missing; assuming version ${SCENARIO_VERSION}`);
  else if (typeof vRaw !== 'number' || !Number.isInteger(vRaw) || vRaw < 1)
    errors.push(`v: ${describe(vRaw)} is not a version number; assuming ${SCENARIO_VERSION}`);
  else if (vRaw > SCENARIO_VERSION)
    errors.push(
      `v: ${vRaw} is newer than this app understands (${SCENARIO_VERSION}); reading the fields it knows`,
    );
  else {
    for (let k = vRaw; k < SCENARIO_VERSION; k++) if (UPGRADES[k]) o = UPGRADES[k](o);
    v = SCENARIO_VERSION;
  }

  for (const key of Object.keys(o)) if (!TOP_KEYS.has(key)) errors.push(`${key}: unknown field; ignored`);

  const id = readId(own(o, 'id'), 'id', 'scenario', errors);
  const title = readText(own(o, 'title'), 'title', SCENARIO_LIMITS.titleChars, FALLBACK_TITLE, errors);
  const explanation = readText(
    own(o, 'explanation'),
    'explanation',
    SCENARIO_LIMITS.explanationChars,
    FALLBACK_EXPLANATION,
    errors,
  );

  const cRaw = own(o, 'currency');
  let currency: ScenarioCurrency = 'USD';
  if ((CURRENCIES as readonly unknown[]).includes(cRaw)) currency = cRaw as ScenarioCurrency;
  else
    errors.push(
      `currency: ${cRaw === undefined ? 'missing' : `${describe(cRaw)} is not one of ${CURRENCIES.join(', ')}`}; using USD`,
    );

  const bRaw = own(o, 'baseline');
  if (bRaw === undefined) errors.push('baseline: missing; using the default inputs');
  const baseline = normalizeInputs(readInputs(bRaw, 'baseline', errors), DEFAULT_INPUTS);

  const variants: ScenarioVariant[] = [];
  const vsRaw = own(o, 'variants');
  if (vsRaw !== undefined) {
    if (!Array.isArray(vsRaw)) errors.push(`variants: expected an array, got ${describe(vsRaw)}; ignored`);
    else {
      if (vsRaw.length > SCENARIO_LIMITS.variants)
        errors.push(
          `variants: ${vsRaw.length} given, at most ${SCENARIO_LIMITS.variants} are shown; the rest ignored`,
        );
      const seen = new Set<string>();
      vsRaw.slice(0, SCENARIO_LIMITS.variants).forEach((vr: unknown, i: number) => {
        const path = `variants[${i}]`;
        if (!isObj(vr)) {
          errors.push(`${path}: expected an object, got ${describe(vr)}; ignored`);
          return;
        }
        for (const key of Object.keys(vr))
          if (!VARIANT_KEYS.has(key)) errors.push(`${path}.${key}: unknown field; ignored`);
        let vid = readId(own(vr, 'id'), `${path}.id`, `variant-${i + 1}`, errors);
        if (seen.has(vid)) {
          errors.push(`${path}.id: "${vid}" repeats an earlier variant; using "variant-${i + 1}"`);
          vid = `variant-${i + 1}`;
        }
        seen.add(vid);
        const vt = readText(
          own(vr, 'title'),
          `${path}.title`,
          SCENARIO_LIMITS.titleChars,
          { en: `Variant ${i + 1}`, zh: `方案 ${i + 1}` },
          errors,
        );
        const veRaw = own(vr, 'explanation');
        const ve =
          veRaw === undefined || veRaw === null
            ? null
            : readText(
                veRaw,
                `${path}.explanation`,
                SCENARIO_LIMITS.explanationChars,
                FALLBACK_EXPLANATION,
                errors,
              );
        const inputs = readInputs(own(vr, 'inputs'), `${path}.inputs`, errors);
        variants.push({ id: vid, title: vt, explanation: ve, inputs });
      });
    }
  }

  const monteCarlo = readMonteCarlo(own(o, 'monteCarlo'), errors);

  const expected: Partial<Record<ExpectedKey, number>> = {};
  const eRaw = own(o, 'expected');
  if (eRaw !== undefined) {
    if (!isObj(eRaw)) errors.push(`expected: expected an object, got ${describe(eRaw)}; ignored`);
    else {
      for (const key of Object.keys(eRaw)) {
        if (!(EXPECTED_KEYS as readonly string[]).includes(key)) {
          errors.push(`expected.${key}: unknown metric; ignored (known: ${EXPECTED_KEYS.join(', ')})`);
          continue;
        }
        const val = own(eRaw, key);
        if (typeof val === 'number' && Number.isFinite(val)) expected[key as ExpectedKey] = val;
        else errors.push(`expected.${key}: expected a finite number, got ${describe(val)}; ignored`);
      }
    }
  }

  const sources: string[] = [];
  const sRaw = own(o, 'sources');
  if (sRaw !== undefined) {
    if (!Array.isArray(sRaw))
      errors.push(`sources: expected an array of text, got ${describe(sRaw)}; ignored`);
    else {
      if (sRaw.length > SCENARIO_LIMITS.sources)
        errors.push(`sources: more than ${SCENARIO_LIMITS.sources}; the rest ignored`);
      sRaw.slice(0, SCENARIO_LIMITS.sources).forEach((s: unknown, i: number) => {
        if (typeof s === 'string') sources.push(cleanText(s, SCENARIO_LIMITS.sourceChars));
        else errors.push(`sources[${i}]: expected text, got ${describe(s)}; ignored`);
      });
    }
  }

  return {
    scenario: { v, id, title, explanation, currency, baseline, variants, monteCarlo, expected, sources },
    errors,
  };
}

/** The inputs of variant `index` (0 = baseline, 1.. = variants): baseline with the variant's overrides. */
export function scenarioInputs(scenario: Scenario, index: number): WhatIfInputs {
  if (index <= 0 || index > scenario.variants.length) return { ...scenario.baseline };
  return normalizeInputs(scenario.variants[index - 1].inputs, scenario.baseline);
}
