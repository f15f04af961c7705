import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { civilFromDays, daysFromCivil, isoDate, parseDateText } from '../../src/lib/data/index.ts';
import { amountScratch, parseAmountBytes } from '../../src/lib/data/numbers.ts';
import { DateKind, dateScratch, parseDateBytes } from '../../src/lib/data/dates.ts';

const enc = new TextEncoder();
const amount = (s: string, dec: '.' | ',' = '.') => {
  const b = enc.encode(s);
  return parseAmountBytes(b, 0, b.length, dec, amountScratch());
};
const date = (s: string, serial = false) => {
  const b = enc.encode(s);
  const out = dateScratch();
  const kind = parseDateBytes(b, 0, b.length, out, serial);
  return kind === DateKind.Ymd || kind === DateKind.Serial ? isoDate(out.day) : kind;
};

describe('day numbers', () => {
  it('daysFromCivil agrees with Date.UTC for every day 1800..2299 (independent implementation: the JS Date)', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1800, 1, 1), max: daysFromCivil(2299, 12, 31) }), (d) => {
        const t = new Date(d * 86400000);
        const c = civilFromDays(d);
        expect([c.year, c.month, c.day]).toEqual([t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()]);
        expect(daysFromCivil(c.year, c.month, c.day)).toBe(d);
        expect(parseDateText(isoDate(d))).toBe(d);
      }),
      { numRuns: 2000, seed: 1 },
    );
  });

  it('CDNOW day 0 of the calibration: 1997-01-01 = 9862', () => expect(daysFromCivil(1997, 1, 1)).toBe(9862));
});

describe('parseDateBytes', () => {
  it.each([
    ['2024-03-01', '2024-03-01'],
    ['2024/3/1', '2024-03-01'],
    ['2024.03.01', '2024-03-01'],
    ['20240301', '2024-03-01'],
    ['20240301103000', '2024-03-01'],
    ['2024-03-01T23:59:59.999-05:00', '2024-03-01'],
    ['2024-03-01 10:00 PM', '2024-03-01'],
    ['2024年3月1日', '2024-03-01'],
    ['2024年03月01日 12:00:00', '2024-03-01'],
    ['01-Mar-2024', '2024-03-01'],
    ['March 1, 2024', '2024-03-01'],
    ['Fri, 01 Mar 2024 10:00:00 +0000', '2024-03-01'],
  ])('%s -> %s', (text, iso) => expect(date(text)).toBe(iso));

  it('Excel serials only when allowed: 45000 = 2023-03-15, 61 = 1900-03-01, 60 (Excel fake 1900-02-29) invalid', () => {
    expect(date('45000', true)).toBe('2023-03-15');
    expect(date('61', true)).toBe('1900-03-01');
    expect(date('60', true)).toBe(DateKind.Invalid);
    expect(date('45000', false)).toBe(DateKind.NotADate);
  });

  it('slash dates with day/month order open are Xxy; impossible ones Invalid', () => {
    expect(date('03/04/2024')).toBe(DateKind.Xxy);
    expect(date('13/13/2024')).toBe(DateKind.Invalid);
    expect(date('2024-02-30')).toBe(DateKind.Invalid);
    expect(date('2024-01-01 24:00')).toBe(DateKind.Invalid);
    expect(date('hello')).toBe(DateKind.NotADate);
    expect(date('2024-01-01 junk')).toBe(DateKind.NotADate);
  });
});

describe('parseAmountBytes', () => {
  it.each([
    ['1,234.50', 1234.5],
    ['1.234,50', 1234.5],
    ['¥1,234', 1234],
    ['￥88', 88],
    ['$12', 12],
    ['R$ 500,00', 500],
    ['€ 1 234,56', 1234.56],
    ["1'234.50", 1234.5],
    ['-3.20', -3.2],
    ['3.20-', -3.2],
    ['(7.50)', -7.5],
    ['USD 1.5', 1.5],
    ['100元', 100],
    ['12,345,678', 12345678],
    ['0,500', 0.5],
    ['1.5e3', 1500],
    ['.5', 0.5],
  ])('%s -> %d', (text, v) => expect(amount(text)).toBe(v));

  it('"1,234" and "1.234" follow the column convention', () => {
    expect(amount('1,234', '.')).toBe(1234);
    expect(amount('1,234', ',')).toBe(1.234);
    expect(amount('1.234', ',')).toBe(1234);
    expect(amount('1.234', '.')).toBe(1.234);
  });

  it('text, percent, two signs, mixed-up groups are not numbers', () => {
    for (const s of ['abc', 'N/A', '12.5%', '--3', '1,23,4.5', '1.2.3,4,5', '', '  '])
      expect(Number.isNaN(amount(s))).toBe(true);
  });

  it('equals parseFloat for plain decimals (same double)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 4 }), (m, k) => {
        const s = (m / 10 ** k).toFixed(k);
        expect(amount(s)).toBe(parseFloat(s));
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});
