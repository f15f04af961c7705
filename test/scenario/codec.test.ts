import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import {
  decodeLink,
  encodeLegacyV1,
  encodeLink,
  fromBase64Url,
  toBase64Url,
  MAX_LINK_CHARS,
  type LinkState,
  type SharedNumbers,
} from '../../src/lib/scenario/codec.ts';
import { demoDoc, learnDoc, makeCell, type NotebookDoc } from '../../src/lib/notebook/doc.ts';

const pack = (obj: unknown): string => toBase64Url(deflateSync(strToU8(JSON.stringify(obj))));
const state = (doc: NotebookDoc, lang: 'en' | 'zh' | null = null): LinkState => ({ doc, lang, uploads: {} });
const kinds = (d: NotebookDoc) => d.cells.map((c) => c.kind);
const whatif = (d: NotebookDoc) => d.cells.find((c) => c.kind === 'whatif')!.params;

describe('base64url', () => {
  it('toBase64Url(bytes) round-trips through fromBase64Url for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(Array.from(fromBase64Url(toBase64Url(bytes))!)).toEqual(Array.from(bytes));
      }),
    );
  });
  it('fromBase64Url rejects characters outside the alphabet', () => {
    expect(fromBase64Url('ab$c')).toBeNull();
    expect(fromBase64Url('é')).toBeNull();
  });
  // RFC 4648 §10 test vector "foobar" -> "Zm9vYmFy"
  it('matches the RFC 4648 test vector for "foobar"', () => {
    expect(toBase64Url(strToU8('foobar'))).toBe('Zm9vYmFy');
    expect(toBase64Url(strToU8('fo'))).toBe('Zm8');
  });
});

describe('encodeLink / decodeLink round trip', () => {
  it('the untouched demo notebook encodes to a short payload and decodes to the demo', () => {
    const payload = encodeLink(state(demoDoc()));
    expect(payload.length).toBeLessThan(40);
    const { state: s, errors } = decodeLink(payload);
    expect(errors).toEqual([]);
    expect(kinds(s.doc)).toEqual(kinds(demoDoc()));
  });

  it('slider values, language, seed, titles and collapsed flags survive', () => {
    const doc = demoDoc();
    const w = doc.cells.find((c) => c.kind === 'whatif')!;
    w.params.averageOrderValue = 62.5;
    w.params.retentionPerPeriod = 0.85;
    w.title = 'Loyalty programme';
    doc.cells[2].collapsed = true;
    doc.seed = 42;
    const { state: s, errors } = decodeLink('#s=' + encodeLink(state(doc, 'zh')));
    expect(errors).toEqual([]);
    expect(s.lang).toBe('zh');
    expect(s.doc.seed).toBe(42);
    expect(whatif(s.doc).averageOrderValue).toBe(62.5);
    expect(whatif(s.doc).retentionPerPeriod).toBe(0.85);
    expect(whatif(s.doc).acquisitionCost).toBe(80); // untouched -> simulator default
    expect(s.doc.cells.find((c) => c.kind === 'whatif')!.title).toBe('Loyalty programme');
    expect(s.doc.cells[2].collapsed).toBe(true);
  });

  it('a reordered notebook with added cells keeps its order and parameters', () => {
    const doc = demoDoc();
    doc.cells = [
      makeCell('whatif', { acquisitionCost: 250 }),
      makeCell('note', { text: '# Hi $x^2$' }),
      makeCell('data'),
      makeCell('cohorts', { scale: 'counts' }),
    ];
    const { state: s, errors } = decodeLink(encodeLink(state(doc)));
    expect(errors).toEqual([]);
    expect(kinds(s.doc)).toEqual(['whatif', 'note', 'data', 'cohorts']);
    expect(s.doc.cells[0].params.acquisitionCost).toBe(250);
    expect(s.doc.cells[1].params.text).toBe('# Hi $x^2$');
    expect(s.doc.cells[3].params.scale).toBe('counts');
  });

  it('the learn notebook round-trips as learn mode', () => {
    const { state: s } = decodeLink(encodeLink(state(learnDoc())));
    expect(s.doc.mode).toBe('learn');
    expect(kinds(s.doc)).toEqual(kinds(learnDoc()));
    // its first what-if keeps the learn preset (margin 100%), not the kind default
    expect(whatif(s.doc).grossMarginPct).toBe(100);
  });

  it('small uploaded data ride along with their data cell', () => {
    const doc = demoDoc();
    doc.cells[1].params.source = 'upload';
    const text = 'id,date,amount\n1,2024-01-01,10\n';
    const { state: s } = decodeLink(encodeLink({ doc, lang: null, uploads: { 1: { name: 'a.csv', text } } }));
    expect(s.uploads[1]).toEqual({ name: 'a.csv', text });
    expect(s.doc.cells[1].params.source).toBe('upload');
  });

  it('a customer summary and the sender numbers ride along; a summary never replaces carried data', () => {
    const doc = demoDoc();
    doc.cells[1].params.source = 'upload';
    const numbers: SharedNumbers = {
      data: { name: 'shop.csv', customers: 4700 },
      purchase: {
        model: 'bgnbd',
        params: { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 },
        logLikelihood: -9582.4,
      },
      spend: { params: { p: 6.25, q: 3.74, gamma: 15.45 } },
      forecast: {
        total: 686356.2,
        low: 650000,
        high: 720000,
        horizonMonths: 12,
        customers: 4700,
        currency: 'CNY',
      },
    };
    const summary = { name: 'shop.csv', text: '{"clvSummary":1}', customers: 4700 };
    const { state: s, errors } = decodeLink(
      encodeLink({ doc, lang: null, uploads: {}, summaries: { 1: summary }, numbers }),
    );
    expect(errors).toEqual([]);
    expect(s.summaries?.[1]).toEqual(summary);
    expect(s.numbers).toEqual(numbers);
    const both = decodeLink(
      encodeLink({
        doc,
        lang: null,
        uploads: { 1: { name: 'a.csv', text: 'x' } },
        summaries: { 1: summary },
      }),
    ).state;
    expect(both.uploads[1]?.name).toBe('a.csv');
    expect(both.summaries?.[1]).toBeUndefined();
  });

  it('any valid what-if values round-trip exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          retentionPerPeriod: fc.double({ min: 0, max: 0.9999, noNaN: true }),
          averageOrderValue: fc.double({ min: 0, max: 1e9, noNaN: true }),
          acquisitionCost: fc.double({ min: 0, max: 1e10, noNaN: true }),
          grossMarginPct: fc.integer({ min: 0, max: 100 }),
          horizonMonths: fc.integer({ min: 1, max: 600 }),
        }),
        (p) => {
          const doc = demoDoc();
          Object.assign(doc.cells.find((c) => c.kind === 'whatif')!.params, p);
          const { state: s, errors } = decodeLink(encodeLink(state(doc)));
          expect(errors).toEqual([]);
          expect(whatif(s.doc)).toMatchObject(p);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('decodeLink on malformed links (never throws, opens the demo, lists problems)', () => {
  const valid = encodeLink(state(demoDoc(), 'zh'));
  const cases: Array<[string, unknown, RegExp]> = [
    ['empty hash', '', /^$/],
    ['not a string', 42, /not text/],
    ['invalid base64 characters', '%%%<>', /base64url/],
    ['truncated payload', valid.slice(0, Math.floor(valid.length / 2)), /truncated|corrupted|base64url/],
    ['oversized payload', 'A'.repeat(MAX_LINK_CHARS + 1), /too long/],
    [
      'valid base64 of garbage bytes',
      toBase64Url(new Uint8Array([1, 2, 3, 4, 5, 250, 251])),
      /truncated|corrupted/,
    ],
    ['deflated non-JSON', toBase64Url(deflateSync(strToU8('hello <script>'))), /not valid JSON/],
    ['JSON array instead of object', pack([1, 2, 3]), /not a notebook/],
    ['unknown future version', pack({ v: 99 }), /unknown version/],
    [
      // 20 MB of text deflate to ~20 KB: a short link that must be refused at the 4 MB inflate cap
      'zip bomb (inflates past the cap)',
      toBase64Url(deflateSync(strToU8('{"v":2,"x":"' + 'a'.repeat(20_000_000) + '"}'))),
      /refused, its data would inflate to more than 4 MB/,
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name} -> demo notebook + message`, () => {
      const { state: s, errors } = decodeLink(input);
      expect(kinds(s.doc)).toEqual(kinds(demoDoc()));
      if (expected.source === '^$') expect(errors).toEqual([]);
      else expect(errors.join('\n')).toMatch(expected);
    });
  }

  it('hostile values: script text stays inert text, wrong types and unknown keys are dropped', () => {
    const { state: s, errors } = decodeLink(
      pack({
        v: 2,
        l: '<img src=x onerror=alert(1)>',
        s: 'NaN',
        p: {
          0: { p: { t: '<script>alert(1)</script>', zz: 1 } },
          7: { p: { a: 'fifty', r: 1e308, c: -5, m: [1], d: { x: 1 } }, t: { toString: 1 } },
          999: { p: { a: 1 } },
          __proto__: { p: { a: 1 } },
        },
      }),
    );
    const w = whatif(s.doc);
    expect(w.averageOrderValue).toBe(60); // 'fifty' rejected -> default
    expect(w.retentionPerPeriod).toBe(0.9999); // 1e308 clamped to max
    expect(w.acquisitionCost).toBe(0); // -5 clamped to min
    expect(w.grossMarginPct).toBe(40); // [1] rejected
    expect(w.annualDiscountRate).toBe(0.1); // {x:1} rejected
    expect(s.doc.cells[0].params.text).toBe('<script>alert(1)</script>'); // kept as text, rendered only through the sanitiser
    expect(s.lang).toBeNull();
    expect(s.doc.seed).toBe(1);
    const all = errors.join('\n');
    expect(all).toMatch(/language/);
    expect(all).toMatch(/seed/);
    expect(all).toMatch(/unknown parameter "zz"/);
    expect(all).toMatch(/averageOrderValue: not a finite number/);
    expect(all).toMatch(/clamped/);
    expect(all).toMatch(/title is not text/);
    expect(all).toMatch(/"999": no such cell/);
  });

  it('hostile sender numbers and summaries: bad fields are dropped with a message, never trusted', () => {
    const doc = demoDoc();
    const { state: s, errors } = decodeLink(
      pack({
        v: 2,
        f: {
          data: { name: 7, customers: 1 },
          purchase: { model: 'bgnbd', params: { r: 'x' }, logLikelihood: 1 },
          spend: { params: { ['__proto__']: 1, 'a b': 2 } },
          forecast: { total: '1e3', low: 0, high: 0, horizonMonths: 12, customers: 1, currency: 'USD' },
        },
        r: { 0: { n: 'x', t: 'y' }, 1: { n: 'shop', t: 5 }, 999: { n: 'a', t: 'b' } },
      }),
    );
    expect(s.numbers).toBeNull();
    expect(errors.join('\n')).toMatch(/sender's numbers: data unreadable/);
    expect(errors.join('\n')).toMatch(/sender's numbers: forecast unreadable/);
    expect(errors.filter((e) => e.startsWith('customer summary'))).toHaveLength(3);
    expect(s.summaries).toEqual({});
    expect(kinds(s.doc)).toEqual(kinds(doc));
    expect(decodeLink(pack({ v: 2, f: [1] })).errors.join()).toMatch(/not an object/);
  });

  it('prototype-pollution keys never reach Object.prototype', () => {
    const evil =
      '{"v":2,"__proto__":{"polluted":1},"c":[{"k":"w","p":{"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}}}}],"p":{"__proto__":{"polluted":4}}}';
    const { state: s, errors } = decodeLink(toBase64Url(deflateSync(strToU8(evil))));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(kinds(s.doc)).toEqual(['whatif']);
    expect(Object.getPrototypeOf(s.doc.cells[0].params)).toBe(Object.prototype);
    expect(errors.join('\n')).toMatch(/unknown parameter "__proto__"|unknown parameter "constructor"/);
  });

  it('too many cells are cut to the cap; unknown kinds are skipped', () => {
    const { state: s, errors } = decodeLink(
      pack({ v: 2, c: [...Array.from({ length: 100 }, () => ({ k: 'n' })), { k: 'q' }] }),
    );
    expect(s.doc.cells.length).toBe(60);
    expect(errors.join('\n')).toMatch(/only the first 60/);
  });

  it('huge note text is cut to the limit', () => {
    const { state: s, errors } = decodeLink(pack({ v: 2, c: [{ k: 'n', p: { t: 'x'.repeat(50_000) } }] }));
    expect(String(s.doc.cells[0].params.text).length).toBe(20_000);
    expect(errors.join('\n')).toMatch(/cut/);
  });

  it('never throws on arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (str) => {
        const r = decodeLink(str);
        expect(Array.isArray(r.errors)).toBe(true);
        expect(r.state.doc.cells.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
  it('never throws on arbitrary JSON values deflated into a link (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (j) => {
        const r = decodeLink(
          pack(typeof j === 'object' && j !== null && !Array.isArray(j) ? { ...j, v: 2 } : j),
        );
        expect(Array.isArray(r.errors)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('old-version (v1) links', () => {
  it('an uncompressed v1 link with long parameter names opens with its values', () => {
    const link = encodeLegacyV1(
      [
        { kind: 'data', params: { source: 'cdnow' } },
        { kind: 'whatif', title: 'Old', params: { averageOrderValue: 75, retentionPerPeriod: 0.7 } },
      ],
      'zh',
    );
    const { state: s, errors } = decodeLink('#s=' + link);
    expect(errors).toEqual([]);
    expect(s.lang).toBe('zh');
    expect(kinds(s.doc)).toEqual(['data', 'whatif']);
    expect(s.doc.cells[1].params.averageOrderValue).toBe(75);
    expect(s.doc.cells[1].params.retentionPerPeriod).toBe(0.7);
    expect(s.doc.cells[1].title).toBe('Old');
  });
  it('a v1 link with a bad cell keeps the good ones and says which was skipped', () => {
    const { state: s, errors } = decodeLink(
      encodeLegacyV1([{ kind: 'evil' }, { kind: 'note', params: { text: 'ok' } }]),
    );
    expect(kinds(s.doc)).toEqual(['note']);
    expect(errors).toEqual(['cell 1: unknown cell kind, skipped']);
  });
});
