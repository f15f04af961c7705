import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
});
