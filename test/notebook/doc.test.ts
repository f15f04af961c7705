import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoDoc, learnDoc, validateDoc, makeCell } from '../../src/lib/notebook/doc.ts';
import { checkParam, defaultParams, KINDS, CELL_KINDS, kindFromShort } from '../../src/lib/notebook/kinds.ts';
import { DEFAULT_INPUTS } from '../../src/lib/sim/inputs.ts';
import { computeWhatIf } from '../../src/lib/sim/unitEconomics.ts';

describe('kinds table', () => {
  it('every kind has a unique one-letter link code and unique short keys for its params', () => {
    const shorts = CELL_KINDS.map((k) => KINDS[k].short);
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const k of CELL_KINDS) {
      const keys = Object.values(KINDS[k].params).map((p) => p.short);
      expect(new Set(keys).size, k).toBe(keys.length);
      expect(kindFromShort(KINDS[k].short)).toBe(k);
    }
  });
  it('what-if defaults are the simulator defaults (one source of truth)', () => {
    const p = defaultParams('whatif');
    for (const [k, v] of Object.entries(DEFAULT_INPUTS)) expect(p[k], k).toBe(v);
  });
  it('checkParam clamps numbers, rejects wrong types, cuts text', () => {
    const margin = KINDS.whatif.params.grossMarginPct;
    expect(checkParam(margin, 250)).toMatchObject({ ok: true, value: 100 });
    expect(checkParam(margin, '40')).toMatchObject({ ok: false });
    expect(checkParam(margin, Infinity)).toMatchObject({ ok: false });
    expect(checkParam(KINDS.purchase.params.model, 'evil')).toMatchObject({ ok: false });
    expect(checkParam(KINDS.note.params.text, 'x'.repeat(30_000))).toMatchObject({
      ok: true,
      problem: expect.stringMatching(/cut/),
    });
  });
});

describe('validateDoc (autosave and .clv.json files)', () => {
  it('accepts its own output unchanged', () => {
    const doc = demoDoc();
    expect(validateDoc(JSON.parse(JSON.stringify(doc)))).toEqual({ doc, errors: [] });
  });
  it('rejects non-objects and other versions with a readable message', () => {
    expect(validateDoc('x').errors[0]).toMatch(/not a notebook/);
    expect(validateDoc({ v: 7, cells: [] }).errors[0]).toMatch(/unsupported notebook version 7/);
    expect(validateDoc({ v: 1 }).errors[0]).toMatch(/"cells" is missing/);
  });
  it('drops unknown kinds and params, re-ids duplicates, keeps the rest', () => {
    const a = makeCell('note');
    const { doc, errors } = validateDoc({
      v: 1,
      cells: [
        a,
        { ...a },
        { kind: 'rm -rf' },
        { kind: 'whatif', id: '<x>', params: { evil: 1, averageOrderValue: 70 } },
      ],
    });
    expect(doc!.cells.map((c) => c.kind)).toEqual(['note', 'note', 'whatif']);
    expect(new Set(doc!.cells.map((c) => c.id)).size).toBe(3);
    expect(doc!.cells[2].params.averageOrderValue).toBe(70);
    expect(errors).toEqual([
      'cell 3: unknown cell kind, skipped',
      'cell 4: unknown parameter "evil" ignored',
    ]);
  });
  it('never throws on arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (j) => {
        const r = validateDoc(typeof j === 'object' && j && !Array.isArray(j) ? { ...j, v: 1 } : j);
        expect(Array.isArray(r.errors)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('learn notebook', () => {
  it('its first what-if is the textbook case: $50 × 3 × 5 years = $750', () => {
    // Issue 5 learn mode: "AOV x frequency x lifetime: $50 x 3 x 5 = $750"; lifetime 1/(1 − 0.8) = 5 years.
    const w = learnDoc().cells.find((c) => c.kind === 'whatif')!;
    expect(computeWhatIf(w.params as never).clvTextbook).toBeCloseTo(750, 9);
  });
  it('step 3 answer: 30% margin, 80% retention, 10% discount, 5 years ≈ $131 (sum of 45·(0.8/1.1)^t, t = 0..4)', () => {
    // (issue 12 added a widget to step 2, so step 3's is found by its lesson id, not its position)
    const w = learnDoc().cells.find((c) => c.params.lesson === 'discount')!;
    // Independent arithmetic: 45 × (1 − (0.8/1.1)^5)/(1 − 0.8/1.1) = 131.42…
    const q = 0.8 / 1.1;
    expect(computeWhatIf(w.params as never).clvConstantChurn).toBeCloseTo((45 * (1 - q ** 5)) / (1 - q), 6);
  });
});
