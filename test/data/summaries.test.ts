import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clip, readBgBbCsv, readRfmCsv, readSurvivalCsv } from '../../src/lib/data/summaries.ts';

describe('readRfmCsv', () => {
  it('reads lifetimes’ header, case-insensitive, extra columns ignored, # lines and CRLF skipped', () => {
    const text =
      '\ufeff# comment\r\nCustomer_ID,Frequency,Recency,t,extra,Monetary_Value\r\na,2,30.43,38.86,x,22.35\r\nb,0,0,38.86,y,0\r\n';
    const { table, errors } = readRfmCsv(text);
    expect(errors).toEqual([]);
    expect(table.customerId).toEqual(['a', 'b']);
    expect(Array.from(table.frequency)).toEqual([2, 0]);
    expect(Array.from(table.recency)).toEqual([30.43, 0]);
    expect(Array.from(table.T)).toEqual([38.86, 38.86]);
    expect(Array.from(table.monetaryValue!)).toEqual([22.35, 0]);
    expect(Array.from(table.lines)).toEqual([3, 4]);
  });
  it('monetary_value is optional unless required', () => {
    expect(readRfmCsv('customer_id,frequency,recency,T\n1,1,2,3\n').table.monetaryValue).toBeNull();
    const r = readRfmCsv('customer_id,frequency,recency,T\n1,1,2,3\n', { requireMonetary: true });
    expect(r.errors[0]).toMatchObject({ line: 1, column: 1 });
    expect(r.errors[0].message).toMatch(/monetary_value/);
  });
  it('empty file => line 1 error', () => {
    expect(readRfmCsv('').errors[0]).toMatchObject({ line: 1, column: 1 });
    expect(readRfmCsv('# only a comment\n').errors[0].message).toMatch(/empty/);
  });
  it('header only => no data rows', () => {
    expect(readRfmCsv('customer_id,frequency,recency,T\n').errors[0].message).toMatch(/no data rows/);
  });
  it('bad header names the missing columns', () => {
    const { errors } = readRfmCsv('id,freq,rec,age\n1,1,1,1\n');
    expect(errors[0].message).toMatch(/frequency, recency/);
  });
  it('NaN cell => line and column of the field', () => {
    const { errors, table } = readRfmCsv('customer_id,frequency,recency,T\n1,1,2,3\n2,NaN,2,3\n');
    expect(errors).toEqual([{ line: 3, column: 3, message: 'frequency must be a number (got "NaN")' }]);
    expect(table.frequency.length).toBe(1);
  });
  it('negative value, t_x > T, non-integer frequency, x = 0 with t_x > 0 are rejected with columns', () => {
    const text = 'customer_id,frequency,recency,T\n1,-1,0,3\n2,1,4,3\n3,1.5,1,3\n4,0,1,3\n5,1,1,0\n';
    const { errors } = readRfmCsv(text);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 3],
      [3, 5],
      [4, 3],
      [5, 5],
      [6, 7],
    ]);
    expect(errors[1].message).toMatch(/recency 4 is greater than T 3/);
    expect(errors[4].message).toMatch(/T must be > 0/);
  });
  it('never throws and accepted + rejected = data rows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.string(),
            fc.oneof(fc.integer({ min: -3, max: 9 }).map(String), fc.string()),
            fc.double().map(String),
            fc.double().map(String),
          ),
          { maxLength: 30 },
        ),
        (rows) => {
          const text =
            'customer_id,frequency,recency,T\n' +
            rows.map((r) => r.map((c) => c.replace(/[\n\r,#"]/g, '')).join(',')).join('\n');
          const { table, errors } = readRfmCsv(text);
          const dataLines = text
            .split('\n')
            .slice(1)
            .filter((l) => l.trim() !== '').length;
          const rejectedLines = new Set(errors.map((e) => e.line)).size;
          return table.frequency.length + rejectedLines === dataLines || dataLines === 0;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('readBgBbCsv', () => {
  it('reads donations.csv-style rows with weights', () => {
    const { table, errors } = readBgBbCsv('frequency,recency,periods,weights\n6,6,6,1203\n0,0,6,3464\n');
    expect(errors).toEqual([]);
    expect(Array.from(table.weights)).toEqual([1203, 3464]);
  });
  it('rejects x > t_x, t_x > n and bad weights', () => {
    const { errors } = readBgBbCsv('frequency,recency,periods,weights\n3,2,6,1\n2,7,6,1\n1,1,6,0\n');
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
  });
});

describe('readSurvivalCsv', () => {
  it('reads one cohort and several cohorts in any order', () => {
    expect(Array.from(readSurvivalCsv('period,alive\n0,1000\n1,631\n2,468\n').table[0].alive)).toEqual([
      1000, 631, 468,
    ]);
    const { table, errors } = readSurvivalCsv('cohort,period,alive\nb,1,50\na,0,100\nb,0,80\na,1,70\n');
    expect(errors).toEqual([]);
    expect(table.map((c) => [c.label, Array.from(c.alive)])).toEqual([
      ['b', [80, 50]],
      ['a', [100, 70]],
    ]);
  });
  it('rejects gaps, increases and negative counts', () => {
    expect(readSurvivalCsv('period,alive\n0,100\n2,50\n').errors[0].message).toMatch(/period 1 is missing/);
    expect(readSurvivalCsv('period,alive\n0,100\n1,150\n').errors[0]).toMatchObject({ line: 3, column: 3 });
    expect(readSurvivalCsv('period,alive\n0,-1\n').errors[0].message).toMatch(/alive must be >= 0/);
  });
});

describe('RFC 4180 quoting, non-finite numbers and short echoes (malformed-input fixes)', () => {
  it('quoted fields hold commas, doubled quotes and line breaks; rows keep the line they start on', () => {
    const text =
      'customer_id,frequency,recency,T\r\n"Smith, J",2,30.43,38.86\r\n"say ""hi""",0,0,5\r\n"two\r\nlines", 1 ,"2",3\r\n4,1,1,2\r\n';
    const { table, errors } = readRfmCsv(text);
    expect(errors).toEqual([]);
    expect(table.customerId).toEqual(['Smith, J', 'say "hi"', 'two\r\nlines', '4']);
    expect(Array.from(table.frequency)).toEqual([2, 0, 1, 1]);
    expect(Array.from(table.recency)).toEqual([30.43, 0, 2, 1]);
    // "two\r\nlines" starts on line 4 and ends on line 5, so the next row is line 6
    expect(Array.from(table.lines)).toEqual([2, 3, 4, 6]);
  });
  it('a decimal comma inside quotes is one field, rejected at the column where it starts', () => {
    const { errors } = readRfmCsv('customer_id,frequency,recency,T\n9,2,"1,5",30\n');
    expect(errors[0]).toMatchObject({ line: 2, column: 5 });
    expect(errors[0].message).toMatch(/recency must be a number \(got "1,5"\)/);
  });
  it('a quote that is never closed is an error at the quote', () => {
    const { errors } = readRfmCsv('customer_id,frequency,recency,T\n1,1,2,3\n"x,1,2,3\n2,1,2,3\n');
    expect(errors[0]).toMatchObject({ line: 3, column: 1 });
    expect(errors[0].message).toMatch(/never closed/);
  });
  it('quoting gives the same table as the plain file (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 20 }),
        (rows) => {
          const plain = rows.map(([x, T], i) => `${i},${x},${x ? T / 2 : 0},${T}`);
          const quoted = plain.map((l) =>
            l
              .split(',')
              .map((f) => `"${f}"`)
              .join(','),
          );
          const a = readRfmCsv(['customer_id,frequency,recency,T', ...plain].join('\n'));
          const b = readRfmCsv(['customer_id,frequency,recency,T', ...quoted].join('\r\n'));
          expect(b.errors).toEqual([]);
          expect(b.table).toEqual(a.table);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('1e400 (Infinity in float64) is rejected at its cell as too large, in every reader', () => {
    const r = readRfmCsv('customer_id,frequency,recency,T\n1,1,2,3\n9001,2,1,1e400\n');
    expect(r.errors[0]).toMatchObject({ line: 3, column: 10 });
    expect(r.errors[0].message).toMatch(/T 1e400 is too large/);
    const b = readBgBbCsv('frequency,recency,periods,weights\n1,2,6,1e400\n');
    expect(b.errors[0]).toMatchObject({ line: 2, column: 7 });
    expect(b.errors[0].message).toMatch(/weights 1e400 is too large/);
    const s = readSurvivalCsv('period,alive\n0,1e400\n1,5\n');
    expect(s.errors[0]).toMatchObject({ line: 2, column: 3 });
    expect(s.errors[0].message).toMatch(/too large/);
    // 1e308 is finite and passes the number check
    expect(readRfmCsv('customer_id,frequency,recency,T\n1,1,2,1e308\n').errors).toEqual([]);
  });
  it('a 2 MB header is echoed as at most ~80 characters', () => {
    const big = 'x'.repeat(2 << 20);
    for (const r of [readRfmCsv(big), readSurvivalCsv(big)]) {
      expect(r.errors[0].message.length).toBeLessThan(300);
      expect(r.errors[0].message).toMatch(/… \(2,097,152 characters\)/);
    }
    const bad = readRfmCsv(`customer_id,frequency,recency,T\n1,${'7'.repeat(5000)}x,2,3\n`);
    expect(bad.errors[0].message.length).toBeLessThan(300);
  });
  it('clip cuts long text and hides control characters', () => {
    expect(clip('abc')).toBe('abc');
    expect(clip('a\u0000b')).toBe('a\ufffdb');
    expect(clip('y'.repeat(100))).toBe(`${'y'.repeat(80)}… (100 characters)`);
  });
  it('BG/BB rows keep their file lines', () => {
    const { table } = readBgBbCsv('# c\nfrequency,recency,periods\n1,2,6\n\n0,0,6\n');
    expect(Array.from(table.lines)).toEqual([3, 5]);
  });
});
