import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/lib/notebook/csv.ts';
import {
  translate,
  formatCurrency,
  formatNumber,
  langFromTag,
  formatPercent,
} from '../../src/lib/i18n/format.ts';
import { en } from '../../src/lib/i18n/en.ts';
import { zh } from '../../src/lib/i18n/zh.ts';

describe('toCsv', () => {
  it('quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['l1\nl2', 3],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"l1\nl2",3\r\n');
  });
  it('neutralises spreadsheet formulas and blanks non-finite numbers', () => {
    expect(toCsv(['a'], [['=HYPERLINK("x")'], [NaN]])).toBe('a\r\n"\'=HYPERLINK(""x"")"\r\n\r\n');
  });
});

describe('i18n', () => {
  it('Chinese translates every English key, with the same placeholders', () => {
    for (const k of Object.keys(en) as Array<keyof typeof en>) {
      expect(zh[k], k).toBeTruthy();
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      expect(ph(zh[k]), k).toBe(ph(en[k]));
    }
  });
  it('fills placeholders', () => {
    expect(translate('en', 'table.rows', { n: '3' })).toBe('3 rows');
    expect(translate('zh', 'table.rows', { n: '3' })).toBe('3 行');
  });
  it('formats numbers and currencies per locale, never NaN', () => {
    expect(formatNumber('en', 1234.567, 1)).toBe('1,234.6');
    expect(formatCurrency('en', 750, 'USD')).toBe('$750.00');
    expect(formatCurrency('zh', 750, 'CNY')).toBe('¥750.00');
    expect(formatCurrency('en', 24000, 'BRL', 0)).toBe('R$24,000');
    expect(formatCurrency('en', 9.5, 'EUR')).toBe('€9.50');
    expect(formatPercent('zh', 0.8)).toBe('80%');
    expect(formatNumber('en', NaN)).toBe('—');
  });
  it('picks Chinese for any zh-* browser language', () => {
    expect(langFromTag('zh-TW')).toBe('zh');
    expect(langFromTag('en-GB')).toBe('en');
    expect(langFromTag(undefined)).toBe('en');
  });
});
