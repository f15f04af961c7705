/**
 * `clv predict` / `clv fit` option limits and output fixes (QA pass, test/cli/malformed.test.ts): negative option
 * values, --out checked up front, opt-in intervals, caps on --horizon/--draws/--margin, Gamma-Gamma q > 1, big
 * outputs without a spread, model "row N" errors mapped to file lines, too-small data sets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../data/cli-helpers.ts';
import { joinNegativeValues } from '../../src/cli/main.ts';
import { modelError, type LoadedInput } from '../../src/cli/commands/fit.ts';

const FIX = join(import.meta.dirname, '../fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'clv-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CDNOW = join(FIX, 'cdnow_customers_summary.csv');
const QUICK = join(FIX, 'clv_quickstart.csv');
// Fader, Hardie & Lee (2005) Table 2 BG/NBD and Gamma-Gamma estimates on CDNOW.
const PAPER = '{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}';
const GG = '{"p":6.25,"q":3.74,"gamma":15.44}';
const predict = (...a: string[]) => runCli(['predict', 'bgnbd', CDNOW, '--params', PAPER, ...a]);

describe('joinNegativeValues', () => {
  it('joins an option and a negative number, leaves the rest alone', () => {
    expect(joinNegativeValues(['--horizon', '-5', 'f.csv'])).toEqual(['--horizon=-5', 'f.csv']);
    expect(joinNegativeValues(['--seed', '-1e3', '--json'])).toEqual(['--seed=-1e3', '--json']);
    expect(joinNegativeValues(['--margin', '-.5'])).toEqual(['--margin=-.5']);
    expect(joinNegativeValues(['--out', '-'])).toEqual(['--out', '-']);
    expect(joinNegativeValues(['--x=-1', '-h'])).toEqual(['--x=-1', '-h']);
    expect(joinNegativeValues(['--', '--a', '-1'])).toEqual(['--', '--a', '-1']);
  });
});

describe('clv predict: option checks (exit 2, one line, before any work)', () => {
  const cases: [string[], RegExp][] = [
    [['--horizon', '-5'], /^clv predict: --horizon must be > 0 .*\(got -5\)$/],
    [['--horizon', '1e300'], /--horizon is at most 1e6/],
    [['--horizon', '10', '--seed', '-1'], /--seed must be a whole number/],
    [['--horizon', '10', '--discount-rate', '-0.1'], /--discount-rate must be >= 0 \(got -0.1\)/],
    [['--horizon', '10', '--margin', '1e308'], /--margin is a fraction of spend between -10 and 10/],
    [['--horizon', '10', '--draws', '1e9'], /--draws is at most 100,000/],
    [
      ['--horizon', '10', '--spend-params', '{"p":6,"q":0.9,"gamma":15}'],
      /--spend-params has q = 0.9.*q > 1/,
    ],
  ];
  for (const [args, msg] of cases) {
    it(args.join(' '), async () => {
      const r = await predict(...args);
      expect(r.code).toBe(2);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err.trimEnd()).toMatch(msg);
      expect(r.out).toBe('');
    });
  }
  it('sbg/bdw/bgbb horizons are whole numbers of periods, at most 10,000', async () => {
    const s = join(tmp, 's.csv');
    writeFileSync(s, 'period,alive\n0,1000\n1,631\n2,468\n3,382\n');
    for (const [h, msg] of [
      ['2.5', /--horizon for sbg counts periods: a whole number \(got 2.5\)/],
      ['1e12', /--horizon for sbg is at most 10,000 periods/],
    ] as const) {
      const r = await runCli([
        'predict',
        'sbg',
        s,
        '--horizon',
        h,
        '--params',
        '{"alpha":0.668,"beta":3.806}',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
    const ok = await runCli([
      'predict',
      'bdw',
      s,
      '--horizon',
      '10000',
      '--params',
      '{"alpha":1,"beta":2,"c":1}',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.out.trimEnd().split('\n')).toHaveLength(10_002);
  });
  it('gg --params with q <= 1 is refused naming q (its mean spend p·gamma/(q − 1) is infinite)', async () => {
    const r = await runCli([
      'predict',
      'gg',
      QUICK,
      '--horizon',
      '1',
      '--params',
      '{"p":6,"q":1,"gamma":15}',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--params has q = 1.*finite only for q > 1/);
  });
  it('--discount-rate on sbg adds a derl column (test/cli/predict-derl.test.ts); on bgbb a dert column', async () => {
    const s = join(tmp, 's2.csv');
    writeFileSync(s, 'period,alive\n0,1000\n1,631\n2,468\n');
    const r = await runCli(['predict', 'sbg', s, '--horizon', '3', '--discount-rate', '0.1']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('period,survival,retention,derl');
    const b = await runCli([
      'predict',
      'bgbb',
      join(FIX, 'donations.csv'),
      '--horizon',
      '5',
      '--discount-rate',
      '0.1',
    ]);
    expect(b.code).toBe(0);
    const lines = b.out.trim().split('\n');
    expect(lines[0]).toBe('customer_id,p_alive,expected_purchases,dert,weights');
    // DERT is a discounted sum over all future opportunities, finite and > 0 for these donors
    for (const l of lines.slice(1)) expect(Number(l.split(',')[3])).toBeGreaterThan(0);
  });
});

describe('clv predict: --out is checked before loading; notes only on success', () => {
  it('an unwritable --out fails in milliseconds with one line and creates nothing', async () => {
    const bad = join(tmp, 'no/such/dir/out.csv');
    const t0 = performance.now();
    const r = await runCli(['predict', 'pnbd', CDNOW, '--horizon', '39', '--out', bad]); // would fit first
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write output \(ENOENT/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(join(tmp, 'no'))).toBe(false);
    const dir = await predict('--horizon', '5', '--out', tmp);
    expect(dir.err).toMatch(/EISDIR/);
    const under = await predict('--horizon', '5', '--out', join(CDNOW, 'x.csv'));
    expect(under.err).toMatch(/ENOTDIR/);
  });
});

describe('clv predict: intervals on request, big outputs', () => {
  it('no --interval/--draws: no clv_low/clv_high; --interval adds them; --draws alone means 0.8', async () => {
    const base = ['predict', 'bgnbd', QUICK, '--horizon', '52', '--params', PAPER, '--spend-params', GG];
    const a = await runCli(base);
    expect(a.code).toBe(0);
    expect(a.out.split('\n')[0]).toBe('customer_id,p_alive,expected_purchases,expected_spend,clv');
    const b = await runCli([...base, '--interval', '0.8', '--draws', '30']);
    const c = await runCli([...base, '--draws', '30']);
    expect(b.out.split('\n')[0]).toBe(
      'customer_id,p_alive,expected_purchases,expected_spend,clv,clv_low,clv_high',
    );
    expect(c.out).toBe(b.out);
    // the point columns do not depend on whether intervals were asked for
    const strip = (s: string) =>
      s
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(0, 5).join(','));
    expect(strip(b.out)).toEqual(strip(a.out));
  });
  it('300,000 customers => 300,001 lines (no spread of the output array)', async () => {
    const lines = ['customer_id,frequency,recency,T'];
    for (let i = 0; i < 300_000; i++) lines.push(`${i},${i % 5},${i % 5 ? 10 : 0},40`);
    const p = join(tmp, 'big.csv');
    const out = join(tmp, 'big-out.csv');
    writeFileSync(p, lines.join('\n') + '\n');
    const r = await runCli(['predict', 'bgnbd', p, '--horizon', '10', '--params', PAPER, '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(300_001);
  });
});

describe('fit: too little data, model row numbers as file lines', () => {
  it('fit bgnbd on 2 customers => 2 "needs at least 5 customers"', async () => {
    const p = join(tmp, 'two.csv');
    writeFileSync(p, 'customer_id,frequency,recency,T\n1,2,3,10\n2,1,2,5\n');
    const r = await runCli(['fit', 'bgnbd', p]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/bgnbd needs at least 5 customers to estimate its 4 parameters \(got 2\)/);
  });
  it("fit sbg on periods 0..1 => 2 asking for more periods (the model's own check)", async () => {
    const p = join(tmp, 'short.csv');
    writeFileSync(p, 'period,alive\n0,1000\n1,631\n');
    const r = await runCli(['fit', 'sbg', p]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/short\.csv: fitSbg needs at least 2 periods of survival counts/);
  });
  it('modelError maps "customer row 4" to the row\'s file line', () => {
    const loaded = { lines: Int32Array.from([2, 3, 5, 7]) } as unknown as LoadedInput;
    const e = modelError(
      new Error('fitBgNbd: customer row 4 has invalid values (frequency -1)'),
      'f.csv',
      loaded,
    );
    expect(e.message).toBe('f.csv:7: fitBgNbd: line 7 has invalid values (frequency -1)');
    expect(modelError(new Error('no rows at all'), 'f.csv', loaded).message).toBe('f.csv: no rows at all');
    expect(modelError(new Error('row 9 of 4'), 'f.csv', loaded).message).toBe('f.csv: row 9 of 4');
  });
});

describe('clv with no command', () => {
  it('prints the usage on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: clv <command>/m);
  });
});
