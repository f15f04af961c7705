/**
 * Edge cases of the data layer found by the QA pass (test/cli/malformed.test.ts, issue 4):
 * - dates before 1970 have negative day numbers (1969-12-31 = -1, 1900-01-01 = -25,567) and negative ISO-week
 *   indices; nothing may treat a negative day or period as "none" (cohorts, survival, RFM, slash dates);
 * - amounts beyond ±1e15 are rejected at import (1e308 + 1e308 = Infinity), and no table holds NaN/Infinity;
 * - dates outside MIN_YEAR..MAX_YEAR are "out of the supported range", not "not a real date";
 * - every reject and message carries a stable `code` and the `params` interpolated into its English text.
 * Expected calendar values come from the JS Date object (an independent implementation of the proleptic
 * Gregorian calendar) or are worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DataError,
  cohortTable,
  cohortTableToCsv,
  csvNumber,
  daysFromCivil,
  dayOption,
  importTransactions,
  isoDate,
  parseDateText,
  rfmSummary,
  rfmToCsv,
  survivalCounts,
} from '../../src/lib/data/index.ts';
import type { ImportOptions, ImportResult, Transactions } from '../../src/lib/data/index.ts';
import { REJECT_CODES } from '../../src/lib/data/types.ts';
import { DateKind, NO_DAY, dateScratch, parseDateBytes, resolveXxy } from '../../src/lib/data/dates.ts';

const imp = (text: string, options: ImportOptions = {}): ImportResult =>
  importTransactions(new TextEncoder().encode(text), options);
const tx = (text: string, options: ImportOptions = {}) => imp(text, options).transactions;
const DAY_MS = 86_400_000;

/** ISO Monday of the week holding `iso`, by the JS Date (independent of cohorts.ts). */
function mondayOf(iso: string): string {
  const t = Date.parse(`${iso}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(t - dow * DAY_MS).toISOString().slice(0, 10);
}

/** Hand-built transactions (no importer): rows of [customer, ISO date, amount]. */
function build(rows: [string, string, number][]): Transactions {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const n = rows.length;
  const customer = new Int32Array(n);
  const day = new Int32Array(n);
  const amount = new Float64Array(n);
  rows.forEach(([c, d, a], i) => {
    if (!index.has(c)) {
      index.set(c, ids.length);
      ids.push(c);
    }
    customer[i] = index.get(c)!;
    day[i] = Math.round(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
    amount[i] = a;
  });
  return {
    n,
    customer,
    customerIds: ids,
    day,
    amount,
    quantity: null,
    order: null,
    orderIds: null,
    channel: null,
    channels: null,
    line: Int32Array.from({ length: n }, (_, i) => i + 2),
  };
}

// ---------------------------------------------------------------------------------------------------------------
describe('dates before 1970 (negative day numbers)', () => {
  const LOG = [
    'customer,date,amount',
    'A,1900-01-01,10', // Monday; week index floor((-25567 + 3) / 7) = -3652
    'A,1900-01-09,5', // next ISO week (Tuesday)
    'B,1969-12-28,7', // Sunday: week of Monday 1969-12-22, index -1 (was dropped as "no cohort")
    'B,1969-12-29,1', // Monday: week index 0
    'C,1969-12-29,2', // week index 0 exactly
    'D,2024-01-02,3',
  ].join('\n');

  it('week cohorts: every customer is in a cohort, labelled by its Monday (JS Date)', () => {
    const t = cohortTable(tx(LOG), { period: 'week', observationEnd: '2024-01-07' });
    expect(t.cohorts).toEqual(['1900-01-01', '1969-12-22', '1969-12-29', '2024-01-01'].map(mondayOf));
    expect(Array.from(t.size)).toEqual([1, 1, 1, 1]);
    // A: active in weeks 0 and 1 of its cohort; B: week 0 (Sunday) and week 1 (the Monday after)
    const K = t.periods;
    expect([t.active[0], t.active[1], t.active[2]]).toEqual([1, 1, 0]);
    expect([t.active[K], t.active[K + 1], t.active[K + 2]]).toEqual([1, 1, 0]);
    expect(t.revenue[0]).toBe(10);
    expect(t.revenue[K + 1]).toBe(1);
    // CSV: four cohorts, sizes sum to the 4 customers
    const rows = cohortTableToCsv(t).trim().split('\n').slice(1);
    const sizes = new Map(rows.map((l) => [l.split(',')[0], Number(l.split(',')[2])]));
    expect([...sizes.values()].reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('month and quarter cohorts: 1900-01, 1969-12 and 2024-01 / 1900-Q1, 1969-Q4, 2024-Q1', () => {
    const t = tx(LOG);
    const m = cohortTable(t, { period: 'month' });
    expect(m.cohorts).toEqual(['1900-01', '1969-12', '2024-01']);
    expect(Array.from(m.size)).toEqual([1, 2, 1]);
    expect(m.cohortStart[0]).toBe(daysFromCivil(1900, 1, 1));
    expect(m.cohortStart[0]).toBe(-25567); // Date.UTC(1900, 0, 1) / 86,400,000
    const q = cohortTable(t, { period: 'quarter' });
    expect(q.cohorts).toEqual(['1900-Q1', '1969-Q4', '2024-Q1']);
    expect(Array.from(q.size)).toEqual([1, 2, 1]);
  });

  it('survival counts of pre-1970 week cohorts are listed (alive(0) = cohort size)', () => {
    const s = survivalCounts(tx(LOG), { period: 'week', observationEnd: '2024-01-07' });
    const first = s.filter((r) => r.period === 0).map((r) => [r.cohort, r.alive]);
    expect(first).toEqual([
      ['1900-01-01', 1],
      ['1969-12-22', 1],
      ['1969-12-29', 1],
      ['2024-01-01', 1],
    ]);
    // A's last purchase is in its week 1: alive(1) = 1, alive(2) = 0
    expect(
      s
        .filter((r) => r.cohort === '1900-01-01')
        .slice(0, 3)
        .map((r) => r.alive),
    ).toEqual([1, 1, 0]);
  });

  it('a customer first buying after the observation end is left out, also next to pre-1970 cohorts', () => {
    const t = cohortTable(tx(LOG), { period: 'week', observationEnd: '1970-01-04' });
    expect(t.cohorts).toEqual(['1900-01-01', '1969-12-22', '1969-12-29']);
    expect(Array.from(t.size)).toEqual([1, 1, 1]);
  });

  it('property: week/month/quarter cohort sizes sum to the customers acquired by the observation end, labels by JS Date', () => {
    const first = daysFromCivil(1800, 1, 1);
    const last = daysFromCivil(2299, 12, 31);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: first, max: last })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.constantFrom('week' as const, 'month' as const, 'quarter' as const),
        (rows, period) => {
          const t = build(rows.map(([c, d]) => [`c${c}`, isoDate(d), 1]));
          // keep the period table small: observation end = 3 periods after the earliest purchase at most
          const minDay = Math.min(...rows.map((r) => r[1]));
          const obsEnd = Math.min(
            Math.max(...rows.map((r) => r[1])),
            minDay + (period === 'week' ? 21 : 200),
          );
          const tab = cohortTable(t, { period, observationEnd: obsEnd });
          const firstBuy = new Map<string, number>();
          for (const [c, d] of rows) firstBuy.set(`c${c}`, Math.min(firstBuy.get(`c${c}`) ?? Infinity, d));
          const acquired = [...firstBuy.values()].filter((d) => d <= obsEnd);
          expect(tab.size.reduce((a, b) => a + b, 0)).toBe(acquired.length);
          const label = (d: number) => {
            const iso = new Date(d * DAY_MS).toISOString().slice(0, 10);
            if (period === 'week') return mondayOf(iso);
            if (period === 'month') return iso.slice(0, 7);
            return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
          };
          expect(tab.cohorts).toEqual([...new Set(acquired.sort((a, b) => a - b).map(label))]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('RFM summary with pre-1970 purchases: recency and T counted across 1970 (days and weeks)', () => {
    // A: 1969-12-28 (day -4) and 1970-01-11 (day 10): x = 1, t_x = 14 days, T = obs end day 17 - (-4) = 21
    // B: 1900-01-01 only (day -25567): x = 0, T = 17 + 25567 = 25584 days
    const t = tx('customer,date,amount\nA,1969-12-28,5\nA,1970-01-11,8\nB,1900-01-01,3\nC,1970-01-18,1\n');
    const r = rfmSummary(t, { unit: 'day' });
    expect(r.customerIds).toEqual(['A', 'B', 'C']);
    expect(Array.from(r.frequency)).toEqual([1, 0, 0]);
    expect(Array.from(r.recency)).toEqual([14, 0, 0]);
    expect(Array.from(r.T)).toEqual([21, 25584, 0]);
    expect(Array.from(r.monetaryValue!)).toEqual([8, 0, 0]);
    const w = rfmSummary(t, { unit: 'week', calibrationEnd: '1969-12-31' });
    // calibration end 1969-12-31 (day -1): C first buys after it (left out); A's 1970 purchase is holdout
    expect(w.customerIds).toEqual(['A', 'B']);
    expect(Array.from(w.T)).toEqual([3 / 7, 25566 / 7]);
    expect(Array.from(w.holdout!.frequency)).toEqual([1, 0]);
    expect(w.holdout!.duration).toBe(18 / 7);
    expect(w.customersExcluded).toBe(1);
  });

  it('Excel serial 1 (1900-01-01) and 25568 (1969-12-31) are read as dates', () => {
    const r = imp('customer,date,amount\nA,1,5\nA,25568,6\nB,45000,7\n', { excelSerialDates: true });
    expect(r.report.rejected).toBe(0);
    expect(Array.from(r.transactions.day, isoDate)).toEqual(['1900-01-01', '1969-12-31', '2023-03-15']);
  });

  it('slash dates on 1969-12-31 (day -1) are real dates in both orders, not "no day"', () => {
    expect(resolveXxy(1969, 31, 12, true)).toBe(-1);
    expect(resolveXxy(1969, 12, 31, false)).toBe(-1);
    expect(resolveXxy(1969, 31, 12, false)).toBe(NO_DAY);
    expect(parseDateText('31/12/1969')).toBe(-1);
    const dmy = imp('customer,date,amount\nA,31/12/1969,1\nA,01/01/1970,2\n');
    expect(dmy.report.rejected).toBe(0);
    expect(Array.from(dmy.transactions.day)).toEqual([-1, 0]);
    const mdy = imp('customer,date,amount\nA,12/31/1969,1\nA,02/01/1970,2\n');
    expect(mdy.report.rejected).toBe(0);
    expect(Array.from(mdy.transactions.day, isoDate)).toEqual(['1969-12-31', '1970-02-01']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('dates outside the supported years', () => {
  it('9999-12-31 and 1799-12-31 are out of range (code date-out-of-range); 2024-02-30 stays "not a real date"', () => {
    const r = imp(
      'customer,date,amount\nA,9999-12-31,1\nA,1799-12-31,1\nA,2024-02-30,1\nA,99991231,1\nA,2024-01-01,1\n',
    );
    expect(r.report.rejects.map((x) => [x.line, x.code])).toEqual([
      [2, 'date-out-of-range'],
      [3, 'date-out-of-range'],
      [4, 'date-not-real'],
      [5, 'date-out-of-range'],
    ]);
    const x = r.report.rejects[0];
    expect(x.reason).toBe(
      'date "9999-12-31" is out of the supported range (years 1800 to 2299): a typo or a placeholder date? fix it or remove the row',
    );
    expect(x.params).toEqual({ value: '9999-12-31', year: 9999, minYear: 1800, maxYear: 2299 });
    expect(r.report.rejects[2].reason).toBe('date "2024-02-30" is not a real date');
  });

  it('parseDateBytes: OutOfRange for real dates outside the years, Invalid for impossible ones', () => {
    const kind = (s: string) => {
      const b = new TextEncoder().encode(s);
      return parseDateBytes(b, 0, b.length, dateScratch(), false);
    };
    expect(kind('9999-12-31')).toBe(DateKind.OutOfRange);
    expect(kind('31/12/9999')).toBe(DateKind.OutOfRange);
    expect(kind('1000-02-29')).toBe(DateKind.Invalid); // 1000 is not a leap year
    expect(kind('0000-00-00')).toBe(DateKind.Invalid);
    expect(kind('1800-01-01')).toBe(DateKind.Ymd);
    expect(kind('2299-12-31')).toBe(DateKind.Ymd);
  });

  it('date options out of range say so (text and day numbers)', () => {
    expect(() => dayOption('observation end', '9999-12-31')).toThrow(
      /observation end "9999-12-31" is out of range: the supported range is years 1800 to 2299/,
    );
    expect(() => dayOption('observation end', 1e9)).toThrow(/day number 1000000000 is out of range/);
    expect(dayOption('observation end', -25567)).toBe(-25567);
    expect(() => dayOption('observation end', 'soon')).toThrow(/is not a date/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('amounts too large to sum: rejected at import, never Infinity in a table', () => {
  it('|amount| > 1e15 rejected with code amount-too-large; exactly 1e15 accepted', () => {
    const r = imp(
      'customer,date,amount\nA,2024-01-01,1e308\nA,2024-01-02,-2e15\nA,2024-01-03,1000000000000000\nA,2024-01-04,1e400\nA,2024-01-05,5\n',
    );
    expect(r.report.rejects.map((x) => [x.line, x.code])).toEqual([
      [2, 'amount-too-large'],
      [3, 'amount-too-large'],
      [5, 'amount-too-large'],
    ]);
    expect(r.report.rejects[0].reason).toBe(
      'amount "1e308" is too large (over 1e15 in absolute value): check the amount column and its decimal separator',
    );
    expect(r.report.rejects[0].params).toEqual({ value: '1e308', limit: 1e15 });
    expect(Array.from(r.transactions.amount!)).toEqual([1e15, 5]);
    expect(r.report.accepted + r.report.rejected).toBe(r.report.rowsRead);
  });

  it('quantity × unit price beyond 1e15 is rejected too', () => {
    const r = imp('CustomerID,InvoiceDate,Quantity,UnitPrice\nA,2024-01-01,1e10,1e10\nA,2024-01-02,2,3.5\n');
    expect(r.report.mapping.quantity?.name).toBe('Quantity');
    expect(r.report.rejects.map((x) => x.code)).toEqual(['amount-too-large']);
    expect(r.report.rejects[0].params.value).toBe('1e10 × 1e10');
    expect(Array.from(r.transactions.amount!)).toEqual([7]);
  });

  it('1e308 rows in hand-built transactions: cohortTable and rfmSummary throw a DataError, not Infinity', () => {
    const t = build([
      ['A', '2024-01-01', 1e308],
      ['A', '2024-02-01', 1e308],
      ['A', '2024-02-01', 1e308],
      ['B', '2024-01-05', 3],
    ]);
    expect(() => cohortTable(t)).toThrow(DataError);
    expect(() => cohortTable(t)).toThrow(/revenue of cohort 2024-01, period 1 is not a finite number/);
    expect(() => rfmSummary(t)).toThrow(/monetary value of customer "A" is not a finite number/);
    expect(() => csvNumber(Infinity)).toThrow(DataError);
    expect(csvNumber(NaN)).toBe('');
  });

  it('after import, huge rows are gone and the tables are finite', () => {
    const r = imp(
      'customer,date,amount\nA,2024-01-01,1e308\nA,2024-01-02,1e308\nA,2024-02-06,5\nB,2024-01-03,2\nB,2024-02-09,1\n',
    );
    expect(r.report.rejected).toBe(2);
    expect(cohortTableToCsv(cohortTable(r.transactions))).not.toMatch(/NaN|Infinity/);
    expect(rfmToCsv(rfmSummary(r.transactions))).not.toMatch(/NaN|Infinity/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('codes and params for translating import messages', () => {
  const CODES: readonly string[] = REJECT_CODES;

  it('every reject has a documented code and its params; string/number params appear in the English reason', () => {
    const r = imp(
      [
        'customer,date,amount',
        ',,',
        'A,2024-01-01',
        'A,2024-01-01,5,extra',
        'A,,5',
        'A,yesterday,5',
        'A,2024-02-30,5',
        'A,9999-12-31,5',
        'A,2024-01-01,',
        'A,2024-01-01,abc',
        'A,2024-01-01,1e308',
        ',2024-01-01,5',
        'A,2024-01-01,5',
        '"A,2024-01-01,5',
      ].join('\n') + '\n',
    );
    expect(r.report.rejects.map((x) => x.code)).toEqual([
      'empty-row',
      'too-few-fields',
      'too-many-fields',
      'date-empty',
      'date-not-a-date',
      'date-not-real',
      'date-out-of-range',
      'amount-empty',
      'amount-not-a-number',
      'amount-too-large',
      'customer-empty',
      'unclosed-quote',
    ]);
    for (const x of r.report.rejects) {
      expect(CODES).toContain(x.code);
      if ('value' in x.params) expect(x.reason).toContain(String(x.params.value));
      for (const k of ['fields', 'expected', 'missing'])
        if (k in x.params) expect(x.reason).toContain(String(x.params[k]));
    }
    expect(r.report.rejects[1].params).toEqual({ fields: 2, expected: 3, missing: '"amount"' });
  });

  it('slash dates impossible in the decided order: date-not-real-order with the evidence line', () => {
    const r = imp('customer,date,amount\nA,25/12/2024,1\nA,12/25/2024,1\n');
    const x = r.report.rejects[0];
    expect(x.code).toBe('date-not-real-order');
    expect(x.params).toMatchObject({ value: '12/25/2024', order: 'DD/MM/YYYY' });
    expect(['sample', 'line']).toContain(x.params.decidedBy);
  });

  it('messages carry params: mapping, negative amounts, single customer, one day, fatal cause', () => {
    const r = imp('customer,date,amount\nA,2024-01-01,-5\nA,2024-01-01,7\n');
    const by = (code: string) => r.report.messages.find((m) => m.code === code)!;
    expect(by('mapping').params).toEqual({
      customer: 'customer',
      customerHow: 'header',
      date: 'date',
      dateHow: 'header',
      amount: 'amount',
      amountHow: 'header',
    });
    expect(by('negative-amounts').params).toEqual({ rows: 1 });
    expect(by('single-customer').params).toEqual({ rows: 2 });
    expect(by('one-day').params).toEqual({ date: '2024-01-01' });
    for (const m of r.report.messages) expect(typeof m.params).toBe('object');

    const empty = imp('');
    expect(empty.report.messages[0]).toMatchObject({ code: 'fatal', params: { cause: 'empty-file' } });
    const noDate = imp('customer,amount\nA,1\nB,2\n');
    expect(noDate.report.messages[0]).toMatchObject({
      code: 'fatal',
      params: { cause: 'missing-column', role: 'date', columns: '"customer", "amount"' },
    });
    expect(noDate.report.rejects[0]).toMatchObject({ code: 'fatal', params: { cause: 'missing-column' } });
    expect(noDate.report.rejects[0].reason).toBe(noDate.report.fatal);
    const zip = importTransactions(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(zip.report.messages[0].params).toEqual({ cause: 'binary', format: 'zip' });
    const none = imp('customer,date,amount\nA,xx,1\nB,yy,2\n');
    expect(none.report.messages[0].params).toMatchObject({
      cause: 'no-row-readable',
      rows: 2,
      line: 2,
      reasonCode: 'date-not-a-date',
    });
  });
});
