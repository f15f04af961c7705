import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../data/cli-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'clv-derl-'));
const file = join(dir, 'survival.csv');
// Any survival table: with --params the fit is skipped and only the parameters matter.
writeFileSync(file, 'period,alive\n0,1000\n1,800\n2,648\n');

describe('clv predict sbg|bdw --discount-rate', () => {
  it('sbg: derl after 4 renewals = 3.842 at alpha 3.8, beta 15.2, d = 10% (Fader & Hardie 2010 worked example)', async () => {
    const r = await runCli([
      'predict',
      'sbg',
      file,
      '--horizon',
      '6',
      '--params',
      '{"alpha":3.8,"beta":15.2}',
      '--discount-rate',
      '0.1',
    ]);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n');
    expect(rows[0]).toBe('period,survival,retention,derl');
    // Fader & Hardie (2010), Customer-Base Valuation in a Contractual Setting, worked example (Hardie's
    // workshop handout, slides 167-172; shared/data/retention/fader_hardie_2010_derl_example_active.csv): the 2000
    // cohort, 4 renewals made at the valuation date, DERL = 3.84 at 10%.
    expect(Number(rows[5].split(',')[3])).toBeCloseTo(3.842, 3);
    // DEL = 2F1(1, beta; alpha + beta; 1/(1+d)) = 4.00893 (eq. 4), reported on stderr.
    expect(r.err).toMatch(/DEL of a new customer = 4\.00893 periods of margin/);
  });

  it('bdw with c = 1 gives the same derl column as sbg', async () => {
    const a = await runCli([
      'predict',
      'sbg',
      file,
      '--horizon',
      '3',
      '--params',
      '{"alpha":3.8,"beta":15.2}',
      '--discount-rate',
      '0.1',
    ]);
    const b = await runCli([
      'predict',
      'bdw',
      file,
      '--horizon',
      '3',
      '--params',
      '{"alpha":3.8,"beta":15.2,"c":1}',
      '--discount-rate',
      '0.1',
    ]);
    const col = (out: string) =>
      out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[3]));
    col(b.out).forEach((v, i) => expect(v).toBeCloseTo(col(a.out)[i], 9));
  });

  it('a discount rate too small for the series exits 2 with what to do', async () => {
    // alpha < 1: the survival tail is heavy, so the DERL series needs ~35/d terms (too many at d = 1e-9).
    const r = await runCli([
      'predict',
      'sbg',
      file,
      '--horizon',
      '2',
      '--params',
      '{"alpha":0.5,"beta":1}',
      '--discount-rate',
      '1e-9',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/larger discount rate/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('gg still refuses --discount-rate (nothing to discount)', async () => {
    writeFileSync(
      join(dir, 'rfm.csv'),
      'customer_id,frequency,recency,T,monetary_value\n1,2,3,5,10\n2,1,2,5,12\n3,3,4,5,9\n4,2,2,5,11\n5,1,1,5,8\n',
    );
    const r = await runCli([
      'predict',
      'gg',
      join(dir, 'rfm.csv'),
      '--horizon',
      '2',
      '--discount-rate',
      '0.1',
    ]);
    expect(r.code).toBe(2);
  });
});
