import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  validateScenario,
  scenarioInputs,
  SCENARIO_LIMITS,
  type Scenario,
} from '../../src/lib/scenario/schema.ts';
import { CURRENCIES, SCENARIO_VERSION } from '../../src/lib/scenario/defaults.ts';
import { INPUT_LIMITS, LEVERS, DEFAULT_INPUTS } from '../../src/lib/sim/inputs.ts';

const DIR = join(import.meta.dirname, '../../scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** Every number of a validated scenario is finite and inside its limits. */
function expectSane(s: Scenario): void {
  for (const key of LEVERS) {
    const v = s.baseline[key];
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(INPUT_LIMITS[key].min);
    expect(v).toBeLessThanOrEqual(INPUT_LIMITS[key].max);
  }
  expect(s.variants.length).toBeLessThanOrEqual(SCENARIO_LIMITS.variants);
  for (let i = 0; i <= s.variants.length; i++) {
    const x = scenarioInputs(s, i);
    for (const key of LEVERS) expect(Number.isFinite(x[key])).toBe(true);
  }
  expect((CURRENCIES as readonly string[]).includes(s.currency)).toBe(true);
  expect(s.v).toBe(SCENARIO_VERSION);
  expect(typeof s.title.en).toBe('string');
  expect(typeof s.title.zh).toBe('string');
  expect(Number.isFinite(s.monteCarlo.seed) && Number.isFinite(s.monteCarlo.customers)).toBe(true);
}

const VALID = {
  v: 1,
  id: 'test',
  title: { en: 'Test', zh: '测试' },
  explanation: { en: 'An explanation.', zh: '说明。' },
  currency: 'USD',
  baseline: { retentionPerPeriod: 0.8 },
};

describe('scenario library (scenarios/*.json)', () => {
  it('has at least the nine required scenarios', () => {
    for (const id of [
      'textbook',
      'subscription',
      'private-domain',
      'membership',
      'points-programme',
      'acquisition-channels',
      'win-back',
      'retain-vs-acquire',
      'b2b-vs-b2c',
    ]) {
      expect(FILES).toContain(`${id}.json`);
    }
  });

  for (const file of FILES) {
    it(`${file} validates with no errors, id = file name, English and Chinese text`, () => {
      const { scenario, errors } = validateScenario(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
      expect(errors).toEqual([]);
      expect(`${scenario.id}.json`).toBe(file);
      for (const t of [scenario.title, scenario.explanation, ...scenario.variants.map((v) => v.title)]) {
        expect(t.en.length).toBeGreaterThan(0);
        expect(t.zh).toMatch(/[\u4e00-\u9fff]/); // real Chinese, not a copy of the English
      }
      expect(scenario.variants.length).toBeGreaterThan(0);
      expectSane(scenario);
    });
  }
});

describe('validateScenario: hostile input never throws', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['null', null, /expected an object/],
    ['a number', 42, /expected an object/],
    ['an array', [1, 2], /expected an object/],
    ['broken JSON text', '{"v":1,"id":', /not valid JSON/],
    ['oversized text', 'x'.repeat(SCENARIO_LIMITS.jsonChars + 1), /longer than/],
    ['missing version', { ...VALID, v: undefined }, /^v: missing/],
    ['string version', { ...VALID, v: '1' }, /^v: "1" is not a version number/],
    ['future version', { ...VALID, v: 99 }, /newer than this app/],
    ['bad id', { ...VALID, id: '<script>alert(1)</script>' }, /^id: .* is not an id/],
    ['unknown currency', { ...VALID, currency: 'GBP' }, /^currency: "GBP" is not one of/],
    [
      'margin out of range',
      { ...VALID, baseline: { grossMarginPct: 250 } },
      /grossMarginPct: 250 is outside \[0, 100\]; using 100/,
    ],
    [
      'retention given in percent',
      { ...VALID, baseline: { retentionPerPeriod: 90 } },
      /use a fraction: 0\.9 for 90%/,
    ],
    [
      'non-numeric input',
      { ...VALID, baseline: { averageOrderValue: '50' } },
      /averageOrderValue: expected a finite number/,
    ],
    ['odd period', { ...VALID, baseline: { periodMonths: 5 } }, /periodMonths: 5 is not 1, 3 or 12; using 3/],
    ['unknown input', { ...VALID, baseline: { churn: 0.1 } }, /baseline\.churn: unknown input/],
    ['unknown top-level field', { ...VALID, evil: '<img onerror=x>' }, /^evil: unknown field/],
    [
      'too many variants',
      { ...VALID, variants: Array.from({ length: 9 }, (_, i) => ({ id: `v${i}`, title: 'x', inputs: {} })) },
      /at most 4/,
    ],
    [
      'duplicate variant ids',
      {
        ...VALID,
        variants: [
          { id: 'a', title: 'A' },
          { id: 'a', title: 'B' },
        ],
      },
      /repeats an earlier variant/,
    ],
    ['variant not an object', { ...VALID, variants: ['x'] }, /variants\[0\]: expected an object/],
    [
      'huge customers',
      { ...VALID, monteCarlo: { customers: 1e12 } },
      /monteCarlo\.customers: 1000000000000 is outside/,
    ],
    [
      'bad purchase model',
      { ...VALID, monteCarlo: { purchaseModel: 'eval' } },
      /purchaseModel: expected "poisson" or "fixed"/,
    ],
    [
      'negative standard error',
      { ...VALID, monteCarlo: { retentionStdError: -1 } },
      /retentionStdError: expected a number >= 0/,
    ],
    ['title missing zh', { ...VALID, title: { en: 'Only English' } }, /title\.zh: missing/],
    ['unknown expected metric', { ...VALID, expected: { hack: 1 } }, /expected\.hack: unknown metric/],
  ];
  for (const [name, input, pattern] of cases) {
    it(`${name} -> usable scenario and an error matching ${pattern}`, () => {
      let out: ReturnType<typeof validateScenario> | undefined;
      expect(() => {
        out = validateScenario(input);
      }).not.toThrow();
      if (!out) throw new Error('no result');
      expect(out.errors.some((e) => pattern.test(e))).toBe(true);
      expectSane(out.scenario);
    });
  }

  it('__proto__ keys do not pollute prototypes', () => {
    const { scenario } = validateScenario(
      '{"v":1,"__proto__":{"polluted":1},"baseline":{"__proto__":{"grossMarginPct":7}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(scenario.baseline.grossMarginPct).toBe(DEFAULT_INPUTS.grossMarginPct);
  });

  it('control characters are stripped and long text is cut', () => {
    const { scenario, errors } = validateScenario({
      ...VALID,
      title: { en: `a\u0000b\u001bc${'x'.repeat(500)}`, zh: '标题' },
    });
    expect(scenario.title.en.startsWith('abc')).toBe(true);
    expect(scenario.title.en.length).toBe(SCENARIO_LIMITS.titleChars);
    expect(errors.some((e) => /title\.en: longer than/.test(e))).toBe(true);
  });

  it('a clean scenario validates with no errors and round-trips through JSON', () => {
    const first = validateScenario({
      ...VALID,
      variants: [{ id: 'x', title: { en: 'X', zh: '方案' }, inputs: { averageOrderValue: 70 } }],
    });
    expect(first.errors).toEqual([]);
    const again = validateScenario(JSON.parse(JSON.stringify(first.scenario)));
    expect(again.errors).toEqual([]);
    expect(again.scenario).toEqual(first.scenario);
    expect(scenarioInputs(again.scenario, 1).averageOrderValue).toBe(70);
    expect(scenarioInputs(again.scenario, 1).retentionPerPeriod).toBe(0.8);
  });

  it('property: anything at all yields a sane scenario and never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expectSane(validateScenario(x).scenario);
      }),
      { numRuns: 300 },
    );
  });

  it('property: random JSON text and random partial scenarios yield sane scenarios', () => {
    const partial = fc.record(
      {
        v: fc.oneof(fc.integer(), fc.string(), fc.constant(1)),
        id: fc.string(),
        title: fc.oneof(fc.string(), fc.record({ en: fc.string(), zh: fc.string() })),
        currency: fc.oneof(fc.constantFrom('USD', 'CNY', 'BRL', 'EUR'), fc.string()),
        baseline: fc.dictionary(
          fc.constantFrom(...LEVERS, 'x'),
          fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        ),
        variants: fc.array(
          fc.record({ id: fc.string(), inputs: fc.dictionary(fc.constantFrom(...LEVERS), fc.double()) }),
          { maxLength: 8 },
        ),
        monteCarlo: fc.dictionary(
          fc.constantFrom('seed', 'customers', 'worlds', 'defaultCv', 'purchaseModel'),
          fc.oneof(fc.double(), fc.string()),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          partial.map((p) => JSON.stringify(p)),
        ),
        (text) => {
          expectSane(validateScenario(text).scenario);
        },
      ),
      { numRuns: 300 },
    );
  });
});
