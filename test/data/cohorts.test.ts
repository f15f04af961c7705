import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cohortTable,
  cohortTableToCsv,
  importTransactions,
  survivalCounts,
  survivalToCsv,
} from '../../src/lib/data/index.ts';

const FIX = join(import.meta.dirname, '../fixtures/data');
const cdnow = importTransactions(readFileSync(join(FIX, 'cdnow/CDNOW_sample.txt')), {
  mapping: { customer: 1, date: 2, amount: 4 },
}).transactions;
const tx = (text: string) => importTransactions(new TextEncoder().encode(text)).transactions;

describe('cohortTable', () => {
  it('CDNOW monthly: 3 cohorts (Jan-Mar 1997) summing to 2,357 customers, 18 periods, all complete', () => {
    const t = cohortTable(cdnow, { period: 'month' });
    expect(t.cohorts).toEqual(['1997-01', '1997-02', '1997-03']);
    expect(t.size.reduce((a, b) => a + b, 0)).toBe(2357);
    expect(t.periods).toBe(18);
    // revenue over all cells = total sales $244,091.94 (shared data README)
    expect(
      Array.from(t.revenue)
        .filter((x) => !Number.isNaN(x))
        .reduce((a, b) => a + b, 0),
    ).toBeCloseTo(244091.94, 6);
    expect(
      Array.from(t.orders)
        .filter((x) => !Number.isNaN(x))
        .reduce((a, b) => a + b, 0),
    ).toBe(6919);
    // period 0 of each cohort: every customer active
    for (let r = 0; r < 3; r++) expect(t.activePct[r * t.periods]).toBe(100);
    // the March cohort's 16th month is 1998-07: after the observation end -> NaN, not 0
    expect(Number.isNaN(t.active[2 * t.periods + 16])).toBe(true);
    expect(t.complete[2 * t.periods + 15]).toBe(1);
  });

  it('a partly observed period is flagged incomplete; later periods are NaN; the CSV leaves them out', () => {
    const t = cohortTable(
      tx('customer,date,amount\nA,2024-01-05,10\nA,2024-02-10,5\nB,2024-02-01,7\nB,2024-03-03,1\n'),
      { period: 'month' },
    );
    // observation end = last date 2024-03-03: March is partial
    expect(t.cohorts).toEqual(['2024-01', '2024-02']);
    expect(t.periods).toBe(3);
    expect(Array.from(t.complete)).toEqual([1, 1, 0, 1, 0, 0]);
    expect(Array.from(t.active.slice(0, 3))).toEqual([1, 1, 0]);
    expect(t.active[3 + 1]).toBe(1); // B active in March (partial)
    expect(Number.isNaN(t.active[3 + 2])).toBe(true); // Feb cohort, period 2 = April: unobserved
    expect(Array.from(t.cumulativeRevenuePerCustomer.slice(0, 3))).toEqual([10, 15, 15]);
    const csv = cohortTableToCsv(t).trim().split('\n');
    expect(csv).toEqual([
      'cohort,period,customers,active,active_pct,orders,revenue,revenue_per_customer,cumulative_revenue_per_customer,complete',
      '2024-01,0,1,1,100,1,10,10,10,1',
      '2024-01,1,1,1,100,1,5,5,15,1',
      '2024-01,2,1,0,0,0,0,0,15,0',
      '2024-02,0,1,1,100,1,7,7,7,1',
      '2024-02,1,1,1,100,1,1,1,8,0',
    ]);
  });

  it('weeks start on Monday (ISO) and quarters are calendar quarters', () => {
    const t = tx('customer,date,amount\nA,2024-01-07,1\nB,2024-01-08,1\nC,2024-04-01,1\n');
    expect(cohortTable(t, { period: 'week' }).cohorts).toEqual(['2024-01-01', '2024-01-08', '2024-04-01']);
    expect(cohortTable(t, { period: 'quarter' }).cohorts).toEqual(['2024-Q1', '2024-Q2']);
  });

  it('orders count distinct order ids when an order id column is mapped (line items)', () => {
    const t = tx('customer,order_id,date,amount\nA,o1,2024-01-01,1\nA,o1,2024-01-01,2\nA,o2,2024-01-02,3\n');
    expect(cohortTable(t).orders[0]).toBe(2);
  });
});

describe('survivalCounts', () => {
  it('alive(k) = customers whose last purchase is in period k or later; complete periods only', () => {
    const t = tx(
      'customer,date,amount\nA,2024-01-05,1\nB,2024-01-06,1\nB,2024-02-06,1\nC,2024-01-07,1\nC,2024-03-01,1\nD,2024-04-30,1\n',
    );
    const rows = survivalCounts(t, { period: 'month' });
    expect(rows).toEqual([
      { cohort: '2024-01', period: 0, alive: 3 },
      { cohort: '2024-01', period: 1, alive: 2 },
      { cohort: '2024-01', period: 2, alive: 1 },
      { cohort: '2024-01', period: 3, alive: 0 },
      { cohort: '2024-04', period: 0, alive: 1 },
    ]);
    expect(survivalToCsv(rows).split('\n')[0]).toBe('cohort,period,alive');
  });

  it('CDNOW: alive is non-increasing within each cohort and starts at the cohort size', () => {
    const rows = survivalCounts(cdnow, { period: 'month' });
    const sizes = cohortTable(cdnow).size;
    const first = rows.filter((r) => r.period === 0).map((r) => r.alive);
    expect(first).toEqual(Array.from(sizes));
    for (let i = 1; i < rows.length; i++)
      if (rows[i].cohort === rows[i - 1].cohort) expect(rows[i].alive).toBeLessThanOrEqual(rows[i - 1].alive);
  });
});
