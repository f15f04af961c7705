import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../data/cli-helpers.ts';

const FIX = join(import.meta.dirname, '../fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'clv-fit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe('clv fit', () => {
  it('bgnbd --json on CDNOW: FHL 2005 Table 2 (r 0.243, alpha 4.414, a 0.793, b 2.426, LL −9582.4)', async () => {
    const r = await runCli(['fit', 'bgnbd', join(FIX, 'cdnow_customers_summary.csv'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual([
      'model',
      'params',
      'logLikelihood',
      'n',
      'converged',
      'iterations',
      'standardErrors',
      'seconds',
    ]);
    expect(j.model).toBe('bgnbd');
    expect(j.n).toBe(2357);
    expect(j.converged).toBe(true);
    expect(j.params.r).toBeCloseTo(0.243, 3);
    expect(j.params.alpha).toBeCloseTo(4.414, 3);
    expect(j.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(j.standardErrors.r).toBeGreaterThan(0);
  });
  it('pnbd and mbgnbd fit CDNOW (lifetimes values r 0.553 / 0.525)', async () => {
    const p = JSON.parse(
      (await runCli(['fit', 'pnbd', join(FIX, 'cdnow_customers_summary.csv'), '--json'])).out,
    );
    expect(p.params.r).toBeCloseTo(0.553, 3);
    expect(p.logLikelihood).toBeCloseTo(-9594.97, 1);
    const m = JSON.parse(
      (await runCli(['fit', 'mbgnbd', join(FIX, 'cdnow_customers_summary.csv'), '--json'])).out,
    );
    expect(m.params.r).toBeCloseTo(0.525, 3);
  });
  it('gg says how many rows it skipped and fits p 6.25, q 3.74, gamma 15.44 (FHL 2005 iso-value paper)', async () => {
    const r = await runCli(['fit', 'gg', join(FIX, 'clv_quickstart.csv'), '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/uses 946 customers .* skipped 1411/);
    const j = JSON.parse(r.out);
    expect(j.params.p).toBeCloseTo(6.25, 2);
    expect(j.n).toBe(946);
  });
  it('bgbb reads donations.csv weights; sbg reads period,alive', async () => {
    const b = await runCli(['fit', 'bgbb', join(FIX, 'donations.csv'), '--json']);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.out).n).toBe(11104);
    const s = await runCli([
      'fit',
      'sbg',
      file('surv.csv', 'period,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n'),
    ]);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/alpha/);
  });
  it('--penalizer shrinks the parameters', async () => {
    const a = JSON.parse(
      (await runCli(['fit', 'bgnbd', join(FIX, 'cdnow_customers_summary.csv'), '--json'])).out,
    );
    const b = JSON.parse(
      (
        await runCli([
          'fit',
          'bgnbd',
          join(FIX, 'cdnow_customers_summary.csv'),
          '--json',
          '--penalizer',
          '0.1',
        ])
      ).out,
    );
    const sum = (o: Record<string, number>) => Object.values(o).reduce((s, v) => s + v, 0);
    expect(sum(b.params)).toBeLessThan(sum(a.params));
  });
});

describe('clv fit: malformed input => exit 2, file:line:column, no stack trace, no NaN', () => {
  const cases: [string, string, RegExp][] = [
    [
      'bad header',
      'id,freq,rec,tt\n1,1,1,1\n',
      /bad-header\.csv:1:1: header is missing columns frequency, recency, T/,
    ],
    [
      'NaN cell',
      'customer_id,frequency,recency,T\n1,1,2,3\n2,NaN,2,3\n',
      /nan\.csv:3:3: frequency must be a number \(got "NaN"\)/,
    ],
    [
      'negative value',
      'customer_id,frequency,recency,T\n1,1,2,3\n2,-1,0,3\n',
      /negative\.csv:3:3: frequency must be a whole number >= 0/,
    ],
    [
      't_x > T',
      'customer_id,frequency,recency,T\n1,1,4,3\n',
      /tx-gt-T\.csv:2:5: recency 4 is greater than T 3/,
    ],
    ['empty file', '', /empty\.csv:1:1: the file is empty/],
    ['header only', 'customer_id,frequency,recency,T\n', /header-only\.csv:1:1: no data rows/],
    [
      'nobody repeats',
      'customer_id,frequency,recency,T\n1,0,0,3\n2,0,0,4\n',
      /needs at least one customer with a repeat purchase \(got 0 of 2\)/,
    ],
  ];
  const names = ['bad-header', 'nan', 'negative', 'tx-gt-T', 'empty', 'header-only', 'norepeat'];
  cases.forEach(([title, text, msg], i) => {
    it(title, async () => {
      const r = await runCli(['fit', 'bgnbd', file(`${names[i]}.csv`, text)]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
      expect(r.out).toBe('');
    });
  });
  it('missing file', async () => {
    const r = await runCli(['fit', 'pnbd', join(tmp, 'nope.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.csv: cannot read input \(no such file\)/);
  });
  it('unknown model, missing FILE, bad --penalizer', async () => {
    expect((await runCli(['fit', 'bgnb', 'x.csv'])).err).toMatch(
      /unknown model "bgnb" \(one of sbg, bdw, bgnbd, pnbd, mbgnbd, bgbb, gg\)/,
    );
    expect((await runCli(['fit', 'bgnbd'])).code).toBe(2);
    const r = await runCli(['fit', 'bgnbd', join(FIX, 'cdnow_customers_summary.csv'), '--penalizer', 'abc']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--penalizer must be a number/);
  });
  it('gg without monetary_value column', async () => {
    const r = await runCli(['fit', 'gg', join(FIX, 'cdnow_customers_summary.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/header is missing column monetary_value/);
  });
  it('bgbb with frequency > periods, survival with an increase', async () => {
    const b = await runCli(['fit', 'bgbb', file('bb.csv', 'frequency,recency,periods\n7,7,6\n')]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/bb\.csv:2:3: recency 7 is greater than periods 6/);
    const s = await runCli(['fit', 'sbg', file('s.csv', 'period,alive\n0,100\n1,120\n')]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/s\.csv:3:3: cohort all: alive rises/);
  });
});
