import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { cohortTable, cohortTableToCsv, importTransactions, rfmSummary } from '../../src/lib/data/index.ts';
import type { CohortPeriod } from '../../src/lib/data/index.ts';

// The SQL templates in sql/ run in DuckDB on cdnowElog.csv (BTYD's CSV copy of the CDNOW sample) and are compared
// row by row with the TypeScript summaries computed from CDNOW_sample.txt (the whitespace-separated original).
// Counts must be equal; floating values agree to 1e-9 relative (sums taken in a different order).
const FIX = join(import.meta.dirname, '../fixtures/data');
const SQL = join(import.meta.dirname, '../../sql');
const tx = importTransactions(readFileSync(join(FIX, 'cdnow/CDNOW_sample.txt')), {
  mapping: { customer: 1, date: 2, amount: 4 },
}).transactions;
const id = (s: string) => String(Number(s));

let instance: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  con = await instance.connect();
  const elog = join(FIX, 'cdnow/cdnowElog.csv').replaceAll("'", "''");
  await con.run(
    `CREATE VIEW transactions AS SELECT CAST(sampleid AS VARCHAR) AS customer_id, CAST(strptime(CAST(date AS VARCHAR), '%Y%m%d') AS DATE) AS order_date, CAST(sales AS DOUBLE) AS amount FROM read_csv('${elog}', header = true)`,
  );
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

async function query(file: string, vars: Record<string, string>): Promise<Record<string, unknown>[]> {
  for (const [k, v] of Object.entries(vars)) await con.run(`SET VARIABLE ${k} = ${v}`);
  return (await con.runAndReadAll(readFileSync(join(SQL, file), 'utf8'))).getRowObjectsJS();
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe('sql/duckdb_rfm.sql == rfmSummary', () => {
  for (const [unit, days] of [
    ['week', '7'],
    ['month', '30.4375'],
  ] as const) {
    it(`CDNOW, ${unit}s, calibration end 1997-09-30, observation end 1998-06-30: all 2,357 rows`, async () => {
      const rows = await query('duckdb_rfm.sql', {
        days_per_unit: days,
        calibration_end: "DATE '1997-09-30'",
        observation_end: "DATE '1998-06-30'",
      });
      const t = rfmSummary(tx, { unit, calibrationEnd: '1997-09-30', observationEnd: '1998-06-30' });
      expect(rows).toHaveLength(2357);
      const at = new Map(t.customerIds.map((c, i) => [id(c), i]));
      let bad = 0;
      for (const r of rows) {
        const i = at.get(id(String(r.customer_id)))!;
        const ok =
          Number(r.frequency) === t.frequency[i] &&
          close(Number(r.recency), t.recency[i]) &&
          close(Number(r.T), t.T[i]) &&
          close(Number(r.monetary_value), t.monetaryValue![i]) &&
          Number(r.frequency_holdout) === t.holdout!.frequency[i] &&
          close(Number(r.monetary_value_holdout), t.holdout!.monetaryValue![i]) &&
          close(Number(r.duration_holdout), t.holdout!.duration);
        if (!ok) bad++;
      }
      expect(bad).toBe(0);
    });
  }
});

describe('sql/duckdb_cohorts.sql == cohortTable', () => {
  for (const [period, end] of [
    ['month', '1998-06-30'],
    ['week', '1998-06-30'],
    ['quarter', '1998-05-15'],
    ['month', '1997-11-12'],
  ] as const) {
    it(`CDNOW, ${period} cohorts, observation end ${end}: every observed cell, same complete flags`, async () => {
      const rows = await query('duckdb_cohorts.sql', {
        period: `'${period}'`,
        observation_end: `DATE '${end}'`,
      });
      const t = cohortTable(tx, { period: period as CohortPeriod, observationEnd: end });
      const ours = cohortTableToCsv(t)
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
      expect(rows.length).toBe(ours.length);
      let bad = 0;
      rows.forEach((r, j) => {
        const o = ours[j];
        const ints = [
          r.cohort === o[0],
          Number(r.period) === Number(o[1]),
          Number(r.customers) === Number(o[2]),
          Number(r.active) === Number(o[3]),
          Number(r.orders) === Number(o[5]),
          Number(r.complete) === Number(o[9]),
        ];
        const floats = [
          close(Number(r.active_pct), Number(o[4])),
          close(Number(r.revenue), Number(o[6])),
          close(Number(r.revenue_per_customer), Number(o[7])),
          close(Number(r.cumulative_revenue_per_customer), Number(o[8])),
        ];
        if (![...ints, ...floats].every(Boolean)) bad++;
      });
      expect(bad).toBe(0);
      if (end === '1997-11-12') expect(rows.some((r) => Number(r.complete) === 0)).toBe(true);
    });
  }
});
