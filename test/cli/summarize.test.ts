import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../data/cli-helpers.ts';

const FIX = join(import.meta.dirname, '../fixtures/data');
const tmp = mkdtempSync(join(tmpdir(), 'clv-summarize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('clv summarize', () => {
  it('CDNOW_sample.txt in weeks with calibration/holdout: the published first rows (lifetimes, BTYD)', async () => {
    const r = await runCli([
      'summarize',
      join(FIX, 'cdnow/CDNOW_sample.txt'),
      '--customer',
      '2',
      '--date',
      '3',
      '--amount',
      '5',
      '--unit',
      'week',
      '--calibration-end',
      '1997-09-30',
      '--observation-end',
      '1998-06-30',
      '--decimals',
      '2',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(
      'customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,duration_holdout',
    );
    expect(lines).toHaveLength(2358);
    // lifetimes cdnow_customers_summary.csv: "1,2,30.43,38.86", "3,0,0.0,38.86"; BTYD x.star(1) = 1
    expect(lines[1]).toMatch(/^0001,2,30\.43,38\.86,22\.34,1,/);
    expect(lines[3]).toMatch(/^0003,0,0,38\.86,0,0,0,39$/);
    expect(r.err).toMatch(/time unit: week \(7 days\)/);
  });

  it('--json prints the import report; the table goes to --out', async () => {
    const out = join(tmp, 'rfm.csv');
    const r = await runCli(['summarize', join(FIX, 'bad_dates.csv'), '--json', '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ rowsRead: 9, accepted: 2, rejected: 7, customers: 2 });
    expect(j.rejects[0]).toEqual({ line: 2, reason: 'date "2024-02-31" is not a real date' });
    expect(j.rejects).toHaveLength(7);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('customer_id,frequency,recency,T,monetary_value');
  });

  it('rejected rows go to stderr as "line N: reason", or to --rejects FILE as CSV', async () => {
    const r = await runCli(['summarize', join(FIX, 'amounts.csv')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('line 5: amount "N/A" is not a number\n');
    const rej = join(tmp, 'rejects.csv');
    const r2 = await runCli(['summarize', join(FIX, 'amounts.csv'), '--rejects', rej]);
    expect(r2.err).not.toContain('line 5:');
    expect(readFileSync(rej, 'utf8').split('\n')[1]).toBe(
      '5,"amount ""N/A"" is not a number","D,2024-01-02,N/A"',
    );
  });

  it('exit 2 with one line naming the file when nothing usable remains', async () => {
    for (const [file, msg] of [
      ['empty.csv', /empty\.csv: the file is empty/],
      ['header_only.csv', /header_only\.csv: the file has a header .* but no data rows/],
      [
        'missing_date.csv',
        /missing_date\.csv:1: no date column found \(columns found: "customer", "amount"\)/,
      ],
    ] as const) {
      const r = await runCli(['summarize', join(FIX, file)]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
  });

  it('every row rejected: each listed on stderr as "line N: reason", then exit 2', async () => {
    const r = await runCli(['summarize', join(FIX, 'all_rows_bad.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('line 2: date "xx" is not a date');
    expect(r.err).toContain('line 3: date "yy" is not a date');
    expect(r.err).toMatch(/all_rows_bad\.csv: none of the 2 rows could be read/);
  });

  it('ambiguous slash dates: exit 2 asking for --date-format; with it, rows are read', async () => {
    const r = await runCli(['summarize', join(FIX, 'ambiguous_dates.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--date-format DD\/MM\/YYYY or MM\/DD\/YYYY/);
    const ok = await runCli([
      'summarize',
      join(FIX, 'ambiguous_dates.csv'),
      '--date-format',
      'MM/DD/YYYY',
      '--unit',
      'day',
    ]);
    expect(ok.code).toBe(0);
    // A: 2024-03-04 and 2024-07-08 -> recency 126 days
    expect(ok.out.split('\n')[1]).toBe('A,1,126,126,30');
  });

  it('bad options are one-line errors with exit 2', async () => {
    expect((await runCli(['summarize', join(FIX, 'bom_crlf.csv'), '--unit', 'fortnight'])).code).toBe(2);
    const r = await runCli(['summarize', join(FIX, 'bom_crlf.csv'), '--calibration-end', '2030-01-01']);
    expect(r.code).toBe(2);
    // the workbench's rule and wording (src/lib/data/calibration.ts), shared with the app since issue 12
    expect(r.err).toMatch(/calibration end 2030-01-01 must come before the observation end/);
    expect((await runCli(['summarize', join(tmp, 'nope.csv')])).err).toMatch(/no such file/);
    const bad = join(tmp, 'cols.csv');
    writeFileSync(bad, 'a,b,c\n1,2,3\n');
    expect((await runCli(['summarize', bad, '--customer', 'a', '--date', 'zzz'])).err).toMatch(
      /no column "zzz" for the date \(columns found: "a", "b", "c"\)/,
    );
  });

  it('reports the columns it chose when auto-detecting', async () => {
    const r = await runCli(['summarize', join(FIX, 'gbk_chinese.csv'), '--unit', 'day']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('customer id = "客户ID" (from its name)');
    expect(r.out.split('\n')[1]).toBe('张三,1,14,33,66.6');
  });

  it('rejects 1e308 amounts and 9999-12-31 dates with clear reasons; the RFM table stays finite', async () => {
    const p = join(tmp, 'edges.csv');
    writeFileSync(
      p,
      'customer,date,amount\nA,2024-01-05,1e308\nA,2024-02-06,3\nA,2024-03-06,5\nB,9999-12-31,2\nB,1900-01-01,4\n',
    );
    const r = await runCli(['summarize', p, '--json', '--out', join(tmp, 'edges-rfm.csv')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rejects).toEqual([
      {
        line: 2,
        reason:
          'amount "1e308" is too large (over 1e15 in absolute value): check the amount column and its decimal separator',
      },
      {
        line: 5,
        reason:
          'date "9999-12-31" is out of the supported range (years 1800 to 2299): a typo or a placeholder date? fix it or remove the row',
      },
    ]);
    const csv = readFileSync(join(tmp, 'edges-rfm.csv'), 'utf8');
    expect(csv).not.toMatch(/NaN|Infinity/);
    // A: 2024-02-06 and 2024-03-06 -> x = 1, t_x = T = 29 days, m = 5; B: 1900-01-01 only, T = 1900-01-01 to
    // the observation end 2024-03-06 = (Date.UTC(2024, 2, 6) - Date.UTC(1900, 0, 1)) / 86,400,000 = 45,355 days
    expect(csv.trim().split('\n').slice(1)).toEqual(['A,1,29,29,5', 'B,0,0,45355,0']);
  });
});
