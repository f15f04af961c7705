import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../data/cli-helpers.ts';

const FIX = join(import.meta.dirname, '../fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'clv-predict-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const PAPER = '{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}';

describe('clv predict', () => {
  it('bgnbd with --params: customer 1 (x=2, t_x=30.43, T=38.86) expects 1.226 in 39 weeks (FHL 2005)', async () => {
    const r = await runCli([
      'predict',
      'bgnbd',
      join(FIX, 'cdnow_customers_summary.csv'),
      '--horizon',
      '39',
      '--params',
      PAPER,
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('customer_id,p_alive,expected_purchases');
    expect(lines).toHaveLength(2358);
    const [id, pa, ep] = lines[1].split(',');
    expect(id).toBe('1');
    expect(Number(pa)).toBeGreaterThan(0.7);
    expect(Number(ep)).toBeCloseTo(1.226, 3);
  });
  it('with monetary_value: spend, CLV and a seeded interval; same seed => identical file', async () => {
    const a = join(tmp, 'a.csv');
    const b = join(tmp, 'b.csv');
    const args = [
      'predict',
      'pnbd',
      join(FIX, 'clv_quickstart.csv'),
      '--horizon',
      '52',
      '--discount-rate',
      '0.002',
      '--margin',
      '0.3',
      '--interval',
      '0.9',
      '--draws',
      '50',
      '--seed',
      '42',
    ];
    expect((await runCli([...args, '--out', a])).code).toBe(0);
    expect((await runCli([...args, '--out', b])).code).toBe(0);
    const ta = readFileSync(a, 'utf8');
    expect(ta).toBe(readFileSync(b, 'utf8'));
    const lines = ta.trim().split('\n');
    expect(lines[0]).toBe('customer_id,p_alive,expected_purchases,expected_spend,clv,clv_low,clv_high');
    for (const line of lines.slice(1)) {
      const v = line.split(',').slice(1).map(Number);
      expect(v.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
      expect(v[4]).toBeLessThanOrEqual(v[5]);
    }
    expect(ta).not.toMatch(/NaN|Infinity/);
  });
  it('--spend-params without monetary_value is an error; with it the CLV uses those params', async () => {
    const bad = await runCli([
      'predict',
      'bgnbd',
      join(FIX, 'cdnow_customers_summary.csv'),
      '--horizon',
      '39',
      '--params',
      PAPER,
      '--spend-params',
      '{"p":6.25,"q":3.74,"gamma":15.44}',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/needs a monetary_value column/);
  });
  it('gg, bgbb and sbg outputs', async () => {
    const g = await runCli(['predict', 'gg', join(FIX, 'clv_quickstart.csv'), '--horizon', '1']);
    expect(g.out.split('\n')[0]).toBe('customer_id,expected_spend');
    const bb = await runCli(['predict', 'bgbb', join(FIX, 'donations.csv'), '--horizon', '5']);
    expect(bb.out.split('\n')[0]).toBe('customer_id,p_alive,expected_purchases,weights');
    const path = join(tmp, 's.csv');
    writeFileSync(path, 'period,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n');
    const s = await runCli(['predict', 'sbg', path, '--horizon', '12']);
    expect(s.out.trim().split('\n')).toHaveLength(14);
  });
  it('bad options => exit 2 with a clear message', async () => {
    const f = join(FIX, 'cdnow_customers_summary.csv');
    const cases: [string[], RegExp][] = [
      [['predict', 'bgnbd', f], /missing required option --horizon/],
      [['predict', 'bgnbd', f, '--horizon', '0'], /--horizon must be > 0/],
      [
        ['predict', 'bgnbd', f, '--horizon', '39', '--params', '{"r":1}'],
        /--params needs "alpha" as a positive number/,
      ],
      [['predict', 'bgnbd', f, '--horizon', '39', '--params', 'nope'], /--params must be a JSON object/],
      [['predict', 'bgnbd', f, '--horizon', '39', '--interval', '2'], /--interval must be between 0 and 1/],
      [['predict', 'bgnbd', f, '--horizon', '39', '--discount-rate=-1'], /--discount-rate must be >= 0/],
      [['predict', 'bgnbd', f, '--horizon', '39', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });
});
