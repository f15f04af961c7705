import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataError,
  importTransactions,
  rfmSummary,
  rfmToCsv,
  survivalCounts,
  survivalToCsv,
} from '../../src/lib/data/index.ts';
import { readRfmCsv, readSurvivalCsv } from '../../src/lib/data/summaries.ts';

const FIX = join(import.meta.dirname, '../fixtures/data');
const cdnow = () =>
  importTransactions(readFileSync(join(FIX, 'cdnow/CDNOW_sample.txt')), {
    mapping: { customer: 1, date: 2, amount: 4 },
  }).transactions;
const csvRows = (name: string) =>
  readFileSync(join(FIX, name), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(',').map((s) => s.replaceAll('"', '')));
const tx = (text: string) => importTransactions(new TextEncoder().encode(text)).transactions;

describe('rfmSummary: CDNOW sample against the published summaries', () => {
  const table = rfmSummary(cdnow(), {
    unit: 'week',
    calibrationEnd: '1997-09-30',
    observationEnd: '1998-06-30',
  });
  const byId = new Map(table.customerIds.map((id, i) => [String(Number(id)), i]));

  it('lifetimes cdnow_customers_summary.csv: all 2,357 rows (ID, frequency, recency, T) equal at its 2 dp', () => {
    // Source: lifetimes lifetimes/datasets/cdnow_customers_summary.csv (weeks, rounded to 2 dp in the file).
    const rows = csvRows('cdnow/cdnow_customers_summary.csv');
    expect(rows).toHaveLength(2357);
    expect(table.customerIds).toHaveLength(2357);
    const ours = rfmToCsv(table, 2)
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    let mismatches = 0;
    for (const [id, f, r, T] of rows) {
      const o = ours[byId.get(id)!];
      if (Number(o[1]) !== Number(f) || Number(o[2]) !== Number(r) || Number(o[3]) !== Number(T))
        mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('BTYD cdnowSummary$cbs (x, t.x, T.cal, x.star, m.x) unrounded: equal within 1e-9', () => {
    // Source: BTYD data/cdnowSummary.RData -> btyd_cdnowSummary_cbs.csv (R write.csv, 15 significant digits,
    // so 1e-9 covers the printing; our values are exact day counts / 7).
    const rows = csvRows('cdnow/btyd_cdnowSummary_cbs.csv');
    let worst = 0;
    let sumX = 0;
    let sumXStar = 0;
    for (const [cust, x, tx_, Tcal, xStar, mx] of rows) {
      const i = byId.get(cust)!;
      const d = [
        table.frequency[i] - Number(x),
        table.recency[i] - Number(tx_),
        table.T[i] - Number(Tcal),
        table.holdout!.frequency[i] - Number(xStar),
        table.monetaryValue![i] - Number(mx),
      ];
      worst = Math.max(worst, ...d.map(Math.abs));
      sumX += table.frequency[i];
      sumXStar += table.holdout!.frequency[i];
    }
    expect(worst).toBeLessThan(1e-9);
    expect(sumX).toBe(2457); // Σx = 2,457 (shared data README)
    expect(sumXStar).toBe(1882); // Σx* = 1,882
    expect(table.holdout!.duration).toBe(39); // 1997-09-30 .. 1998-06-30 = 273 days
  });

  it('customer 1 row: frequency 2, recency 30.428571 (213 days), T 38.857143 (272 days)', () => {
    const i = byId.get('1')!;
    expect([table.frequency[i], table.recency[i] * 7, table.T[i] * 7]).toEqual([2, 213, 272]);
  });

  it('the unit is stated: week = 7 days, month = 365.25 / 12 days', () => {
    expect(table.unitNote).toBe('time unit: week (7 days)');
    const m = rfmSummary(cdnow(), { unit: 'month' });
    expect(m.daysPerUnit).toBe(30.4375);
    expect(m.unitNote).toMatch(/30\.4375 days/);
  });
});

describe('rfmSummary: conventions on small logs', () => {
  it('same-day purchases merge; monetary value = mean of repeat-day totals (first day excluded)', () => {
    // day 1: 10 + 5 (first, excluded); day 3: 20 + 4 = 24; day 8: 6 -> x = 2, mean = (24 + 6) / 2 = 15
    const t = tx(
      'customer,date,amount\nA,2024-01-01,10\nA,2024-01-01,5\nA,2024-01-03,20\nA,2024-01-03,4\nA,2024-01-08,6\nB,2024-01-05,9\n',
    );
    const s = rfmSummary(t, { observationEnd: '2024-01-10' });
    expect(s.customerIds).toEqual(['A', 'B']);
    expect(Array.from(s.frequency)).toEqual([2, 0]);
    expect(Array.from(s.recency)).toEqual([7, 0]);
    expect(Array.from(s.T)).toEqual([9, 5]);
    expect(Array.from(s.monetaryValue!)).toEqual([15, 0]);
  });

  it('holdout: frequency counts purchase days, monetary value averages raw holdout transactions (lifetimes)', () => {
    const t = tx(
      'customer,date,amount\nA,2024-01-01,10\nA,2024-01-12,4\nA,2024-01-12,8\nA,2024-01-15,3\nB,2024-01-11,1\n',
    );
    const s = rfmSummary(t, { calibrationEnd: '2024-01-10', observationEnd: '2024-01-20' });
    expect(s.customerIds).toEqual(['A']); // B first bought in the holdout: left out, as lifetimes does
    expect(s.customersExcluded).toBe(1);
    expect(s.holdout!.frequency[0]).toBe(2);
    expect(s.holdout!.monetaryValue![0]).toBe(5); // (4 + 8 + 3) / 3
    expect(s.holdout!.duration).toBe(10);
    expect(s.T[0]).toBe(9);
  });

  it('transactions after the observation end are ignored and counted', () => {
    const s = rfmSummary(tx('customer,date,amount\nA,2024-01-01,1\nA,2024-02-01,1\n'), {
      observationEnd: '2024-01-15',
    });
    expect(s.frequency[0]).toBe(0);
    expect(s.rowsAfterEnd).toBe(1);
  });

  it('no amount column -> monetaryValue null and no monetary_value column in the CSV', () => {
    const s = rfmSummary(tx('id,date\nA,2024-01-01\nA,2024-01-02\n'));
    expect(s.monetaryValue).toBeNull();
    expect(rfmToCsv(s).split('\n')[0]).toBe('customer_id,frequency,recency,T');
  });

  it('calibration end not before the observation end -> DataError saying what to do', () => {
    const t = tx('customer,date,amount\nA,2024-01-01,1\nA,2024-02-01,1\n');
    expect(() => rfmSummary(t, { calibrationEnd: '2024-03-01', observationEnd: '2024-02-01' })).toThrow(
      DataError,
    );
    expect(() => rfmSummary(t, { calibrationEnd: '2024-03-01', observationEnd: '2024-02-01' })).toThrow(
      /choose an earlier calibration end/,
    );
    expect(() => rfmSummary(t, { observationEnd: 'soon' })).toThrow(/is not a date/);
  });

  it('no repeat purchases -> a warning naming the models that need them', () => {
    const s = rfmSummary(tx('customer,date,amount\nA,2024-01-01,1\nB,2024-01-02,1\n'));
    expect(s.warnings.join(' ')).toMatch(/no customer made a repeat purchase/);
  });
});

describe('outputs read back by the ready-made summary readers (src/lib/data/summaries.ts)', () => {
  it('rfmToCsv -> readRfmCsv: 2,357 CDNOW rows, no errors, same values', () => {
    const t = rfmSummary(cdnow(), {
      unit: 'week',
      calibrationEnd: '1997-09-30',
      observationEnd: '1998-06-30',
    });
    const back = readRfmCsv(rfmToCsv(t));
    expect(back.errors).toEqual([]);
    expect(Array.from(back.table!.T)).toEqual(Array.from(t.T));
    expect(Array.from(back.table!.monetaryValue!)).toEqual(Array.from(t.monetaryValue!));
  });

  it('survivalToCsv -> readSurvivalCsv: one cohort per acquisition month, no errors', () => {
    const back = readSurvivalCsv(survivalToCsv(survivalCounts(cdnow(), { period: 'month' })));
    expect(back.errors).toEqual([]);
    expect(back.table!.map((c) => c.label)).toEqual(['1997-01', '1997-02', '1997-03']);
  });
});
