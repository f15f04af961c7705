import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readBgBbCsv, readRfmCsv, readSurvivalCsv } from '../../src/lib/data/summaries.ts';

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
