import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyVariant,
  changesFromInputs,
  cleanVariantsText,
  decodeVariants,
  encodeVariants,
  MAX_VARIANTS,
  VARIANT_LEVERS,
  type VariantSpec,
} from '../../src/lib/sim/variants.ts';
import { DEFAULT_INPUTS } from '../../src/lib/sim/inputs.ts';
import { KINDS, checkParam, cleanTypedLevers } from '../../src/lib/notebook/kinds.ts';
import { decodeLink, encodeLink } from '../../src/lib/scenario/codec.ts';
import { demoDoc } from '../../src/lib/notebook/doc.ts';

const membership: VariantSpec = {
  name: 'membership',
  changes: [
    { lever: 'retentionPerPeriod', op: '+', value: 5 },
    { lever: 'programmeCostPerCustomerPerPeriod', op: '=', value: 8 },
  ],
};

describe('variants text form', () => {
  it('encodeVariants writes name:key-op-value, | between variants', () => {
    const text = encodeVariants([
      membership,
      { name: 'cheaper ads', changes: [{ lever: 'acquisitionCost', op: '*', value: -20 }] },
    ]);
    expect(text).toBe('membership:r+5,p=8|cheaper ads:c*-20');
  });
  it('names with | : , % ~ and Chinese survive the round trip', () => {
    const v: VariantSpec[] = [{ name: '会员 | 50%: a,b ~x', changes: [] }];
    expect(decodeVariants(encodeVariants(v))).toEqual({ variants: v, builtIn: false, problems: [] });
  });
  it('round trip for any valid list (property)', () => {
    const change = fc.record({
      lever: fc.constantFrom(...VARIANT_LEVERS),
      op: fc.constantFrom('+' as const, '*' as const, '='),
      value: fc.double({ min: -100, max: 1e6, noNaN: true }).map((x) => Number(x.toPrecision(10))),
    });
    const spec = fc.record({
      name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0),
      changes: fc.uniqueArray(change, { selector: (c) => c.lever, maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: MAX_VARIANTS }), (vs) => {
        const back = decodeVariants(encodeVariants(vs));
        expect(back.problems).toEqual([]);
        expect(back.variants).toEqual(
          vs.map((v) => ({
            ...v,
            changes: v.changes.map((c) => ({ ...c, value: c.value === 0 ? 0 : c.value })),
          })),
        );
      }),
    );
  });
  it("'' is the built-in list, '~' an empty one", () => {
    expect(decodeVariants('')).toEqual({ variants: [], builtIn: true, problems: [] });
    expect(decodeVariants('~')).toEqual({ variants: [], builtIn: false, problems: [] });
    expect(encodeVariants([])).toBe('~');
  });
});

describe('decodeVariants on hostile text: never throws, drops what it cannot use, says why', () => {
  const table: Array<[string, unknown, string, RegExp]> = [
    ['not text', 42, '', /not text/],
    ['no colon', 'membership', '~', /no "name:changes"/],
    ['unknown lever', 'x:r+5,q+1', 'x:r+5', /unknown lever "q"/],
    ['period is not a variant lever', 'x:P=3', 'x:', /unknown lever "P"/],
    ['missing op', 'x:r5', 'x:', /has no \+ \* or =/],
    ['NaN', 'x:r+NaN', 'x:', /not a reasonable number/],
    ['Infinity', 'x:a=Infinity', 'x:', /not a reasonable number/],
    ['huge', 'x:a=1e300', 'x:', /not a reasonable number/],
    ['hex / junk number', 'x:a=0x10', 'x:', /not a reasonable number/],
    ['below -100%', 'x:c*-150', 'x:', /below -100%/],
    ['same lever twice', 'x:r+1,r+2', 'x:r+1', /changed twice/],
    ['bad escape', 'a%zz:r+1|b:r+2', 'b:r+2', /bad %-escape/],
    ['escape of an unescaped character', 'a%41:r+1', '~', /bad %-escape/],
    ['too many variants', 'a:|b:|c:|d:|e:', 'a:|b:|c:|d:', /only the first 4 of 5/],
    ['long name', `${'n'.repeat(60)}:r+1`, `${'n'.repeat(40)}:r+1`, /longer than 40/],
    ['empty name', ':r+1', '#1:r+1', /^$/],
    ['__proto__ name is just a name', '__proto__:r+1', '__proto__:r+1', /^$/],
  ];
  it.each(table)('%s', (_what, text, canonical, message) => {
    expect(() => decodeVariants(text)).not.toThrow();
    const d = decodeVariants(text);
    expect(d.problems.join('; ')).toMatch(message);
    if (typeof text === 'string') expect(cleanVariantsText(text).text).toBe(canonical);
  });
  it('random text never throws and always cleans to text that reads back without problems', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const c = cleanVariantsText(s);
        expect(decodeVariants(c.text).problems).toEqual([]);
      }),
    );
  });
});

describe('applyVariant', () => {
  it('membership on the defaults: retention 0.9 + 5 points = 0.95, programme cost 8', () => {
    expect(applyVariant(DEFAULT_INPUTS, membership)).toEqual({
      retentionPerPeriod: expect.closeTo(0.95, 14),
      programmeCostPerCustomerPerPeriod: 8,
    });
  });
  it('relative changes: AOV *10 = 1.1 × 60 = 66, CAC *-20 = 0.8 × 80 = 64; retention is clamped at 0.9999', () => {
    const v = applyVariant(DEFAULT_INPUTS, {
      name: 'x',
      changes: [
        { lever: 'averageOrderValue', op: '*', value: 10 },
        { lever: 'acquisitionCost', op: '*', value: -20 },
        { lever: 'retentionPerPeriod', op: '+', value: 50 },
      ],
    });
    expect(v.averageOrderValue).toBeCloseTo(66, 12);
    expect(v.acquisitionCost).toBeCloseTo(64, 12);
    expect(v.retentionPerPeriod).toBe(0.9999);
  });
  it('changesFromInputs turns a scenario variant (absolute inputs) into = changes in shown units', () => {
    expect(changesFromInputs({ retentionPerPeriod: 0.95, averageOrderValue: 70 })).toEqual([
      { lever: 'retentionPerPeriod', op: '=', value: 95 },
      { lever: 'averageOrderValue', op: '=', value: 70 },
    ]);
  });
});

describe('variants and typed levers in the parameter table and share links', () => {
  it('checkParam cleans the compare variants text and reports the problem', () => {
    const r = checkParam(KINDS.compare.params.variants, 'a:r+5,zz|b:c*-20');
    expect(r).toEqual({
      ok: true,
      value: 'a:r+5|b:c*-20',
      problem: expect.stringMatching(/unknown lever "z"/),
    });
    expect(checkParam(KINDS.compare.params.variants, 7).ok).toBe(false);
  });
  it('cleanTypedLevers keeps fitted lever keys once, in order', () => {
    expect(cleanTypedLevers('ara')).toEqual({ text: 'ra' });
    expect(cleanTypedLevers('a<!>').text).toBe('a');
    expect(cleanTypedLevers('a<!>').problem).toMatch(/not fitted levers/);
  });
  it('a share link carries the variants and typed levers; a hostile value comes back cleaned with a message', () => {
    const doc = demoDoc();
    const cmp = doc.cells.find((c) => c.kind === 'compare')!;
    const w = doc.cells.find((c) => c.kind === 'whatif')!;
    cmp.params.variants = encodeVariants([membership]);
    w.params.typed = 'a';
    const { state, errors } = decodeLink(encodeLink({ doc, lang: null, uploads: {} }));
    expect(errors).toEqual([]);
    expect(state.doc.cells.find((c) => c.kind === 'compare')!.params.variants).toBe('membership:r+5,p=8');
    expect(state.doc.cells.find((c) => c.kind === 'whatif')!.params.typed).toBe('a');

    cmp.params.variants = 'ok:r+1|bad:r+Infinity,zz';
    const hostile = decodeLink(encodeLink({ doc, lang: null, uploads: {} }));
    expect(hostile.state.doc.cells.find((c) => c.kind === 'compare')!.params.variants).toBe('ok:r+1|bad:');
    expect(hostile.errors.join('\n')).toMatch(/variants.*not a reasonable number/);
  });
});
