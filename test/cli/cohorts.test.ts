import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../data/cli-helpers.ts';

const FIX = join(import.meta.dirname, '../fixtures/data');
const tmp = mkdtempSync(join(tmpdir(), 'clv-cohorts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('clv cohorts', () => {
  it('CDNOW monthly cohort table to stdout: 3 cohorts observed for 18, 17 and 16 months = 51 cells', async () => {
    const r = await runCli([
      'cohorts',
      join(FIX, 'cdnow/cdnowElog.csv'),
      '--customer',
      'sampleid',
      '--period',
      'month',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(
      'cohort,period,customers,active,active_pct,orders,revenue,revenue_per_customer,cumulative_revenue_per_customer,complete',
    );
    expect(lines).toHaveLength(1 + 51);
    expect(lines[1]).toMatch(/^1997-01,0,781,781,100,/);
  });

  it('--survival writes cohort,period,alive; --json prints the report and --out gets the table', async () => {
    const surv = join(tmp, 's.csv');
    const out = join(tmp, 'c.csv');
    const r = await runCli([
      'cohorts',
      join(FIX, 'cdnow/cdnowElog.csv'),
      '--customer',
      'sampleid',
      '--period',
      'quarter',
      '--survival',
      surv,
      '--json',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      rowsRead: 6919,
      accepted: 6919,
      rejected: 0,
      customers: 2357,
      rejects: [],
    });
    expect(readFileSync(surv, 'utf8').split('\n').slice(0, 2)).toEqual([
      'cohort,period,alive',
      '1997-Q1,0,2357',
    ]);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toMatch(/^1997-Q1,0,2357,2357,100,/);
  });

  it('--period must be week, month or quarter', async () => {
    const r = await runCli(['cohorts', join(FIX, 'bom_crlf.csv'), '--period', 'year']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--period must be week, month or quarter/);
  });

  it('--period week keeps customers whose first purchase is before 1970 (1900-01-01, 1969-12-28)', async () => {
    // week index floor((day + 3) / 7) is negative before 1969-12-29; those cohorts used to be dropped
    const p = join(tmp, 'pre1970.csv');
    writeFileSync(
      p,
      'customer,date,amount\nA,1969-12-28,1\nA,1969-12-30,2\nB,2024-01-02,1\nC,1900-01-01,1\n',
    );
    const r = await runCli(['cohorts', p, '--period', 'week', '--observation-end', '2024-01-07']);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n').slice(1);
    const period0 = rows
      .filter((l) => l.split(',')[1] === '0')
      .map((l) => l.split(',').slice(0, 3).join(','));
    expect(period0).toEqual(['1900-01-01,0,1', '1969-12-22,0,1', '2024-01-01,0,1']);
    expect(r.out).not.toMatch(/NaN|Infinity/);
  });

  it('amounts of 1e308 are rejected (line and reason on stderr); the table stays finite', async () => {
    const p = join(tmp, 'huge.csv');
    writeFileSync(
      p,
      'customer,date,amount\nA,2024-01-05,1e308\nA,2024-02-06,1e308\nA,2024-02-07,4\nB,2024-01-08,2\n',
    );
    const r = await runCli(['cohorts', p]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^line 2: amount "1e308" is too large \(over 1e15/m);
    expect(r.err).toMatch(/^line 3: amount "1e308" is too large/m);
    expect(r.out).not.toMatch(/NaN|Infinity/);
    // A's first accepted purchase is 2024-02-07: B alone makes the January cohort
    expect(r.out.split('\n')[1]).toBe('2024-01,0,1,1,100,1,2,2,2,1');
    expect(r.out.split('\n')[3]).toBe('2024-02,0,1,1,100,1,4,4,4,0'); // February observed to the 7th only
  });
});
