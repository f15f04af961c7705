/**
 * Malformed-input corpus for the `clv` CLI (issues 3 and 4: "each must give exit code 2 and a clear message, never
 * a stack trace or NaN"; "every row accounted for"). Every input is generated into a temp dir here, except the
 * GBK export, which is read from test/fixtures/data (read-only).
 *
 * Each case asserts, through `expectClean`:
 * - the exit code: 2 for bad input, 0 when the input is actually valid (BOM, CRLF, quoted numbers, ...);
 * - stderr has no stack frames ("    at ...") and no control characters, and on exit 2 ends in ONE line
 *   `clv <command>: <message>` (fit/predict: that is the only line; summarize/cohorts may list `line N: reason`,
 *   `note:`, `warning:` lines first);
 * - stdout (and any --out file) never holds "NaN" or "Infinity"; --json parses and every number in it is finite;
 * - where the problem is at a cell, the message names `file:line:column` exactly.
 * The CLI is called in-process through `main()` (fast); a few cases spawn `node bin/clv.mjs` to check the real
 * process (exit status, no stack trace from the loader, EPIPE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../data/cli-helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIX = join(import.meta.dirname, '../fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'clv-malformed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Result = { code: number; out: string; err: string };

let seq = 0;
/** Writes `content` to a fresh temp file and returns its path. */
function file(content: string | Uint8Array, name = `in${++seq}.csv`): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

/** Deterministic pseudo-random bytes (xorshift32), so the "random" file is the same on every run. */
function randomBytes(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const STACK = /^\s+at /m;

/** Walks parsed JSON and returns the paths of numbers that are not finite and of nulls (NaN became null). */
function nonFinite(v: unknown, path = '$', acc: string[] = []): string[] {
  if (v === null) acc.push(`${path}=null`);
  else if (typeof v === 'number' && !Number.isFinite(v)) acc.push(`${path}=${v}`);
  else if (Array.isArray(v)) v.forEach((x, i) => nonFinite(x, `${path}[${i}]`, acc));
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) nonFinite(x, `${path}.${k}`, acc);
  return acc;
}

interface Expect {
  /** The message must match (the last stderr line on exit 2). */
  msg?: RegExp;
  /** On exit 2, the message must contain `file:line:column` (or `file:line` when column is undefined). */
  at?: { file: string; line: number; column?: number };
  /** Output files that must not contain NaN/Infinity (when they exist). */
  outFiles?: string[];
  /** Nulls allowed in --json at these paths (e.g. standard errors a flat likelihood cannot give). */
  allowNull?: RegExp;
}

/** The common contract of every case; see the file comment. */
function expectClean(r: Result, code: 0 | 2, e: Expect = {}): void {
  const ctx = `exit ${r.code}\nstderr:\n${r.err}\nstdout:\n${r.out.slice(0, 600)}`;
  expect(r.code, ctx).toBe(code);
  expect(r.err, 'stack trace on stderr').not.toMatch(STACK);
  expect(r.out, 'stack trace on stdout').not.toMatch(STACK);
  expect(r.err, 'control characters on stderr').not.toMatch(CONTROL);
  // --json stdout: every number finite (checked below on the parsed value: reject reasons may quote "NaN")
  if (!r.out.trimStart().startsWith('{')) expect(r.out, 'NaN/Infinity on stdout').not.toMatch(/NaN|Infinity/);
  for (const f of e.outFiles ?? [])
    if (existsSync(f)) expect(readFileSync(f, 'utf8'), `NaN/Infinity in ${f}`).not.toMatch(/NaN|Infinity/);
  const lines = r.err.replace(/\n$/, '').split('\n');
  for (const l of lines) expect(l.length, `stderr line too long: ${l.slice(0, 200)}…`).toBeLessThan(600);
  if (code === 2) {
    const last = lines[lines.length - 1];
    expect(last, ctx).toMatch(/^clv( (fit|predict|summarize|cohorts))?: \S/);
    if (/^clv (fit|predict)/.test(last))
      expect(lines, `fit/predict: exactly one stderr line\n${ctx}`).toHaveLength(1);
    for (const l of lines.slice(0, -1))
      expect(l, ctx).toMatch(
        /^(line [\d,]+: |note: |warning: |read |… and |[\d,]+ customers summarized|[\d,]+ \w+ly cohorts)/,
      );
    expect(r.out.trim(), 'exit 2 must not print a result on stdout').toBe('');
    if (e.msg) expect(last).toMatch(e.msg);
    if (e.at) {
      const where =
        e.at.column === undefined ? `${e.at.file}:${e.at.line}` : `${e.at.file}:${e.at.line}:${e.at.column}:`;
      expect(last, ctx).toContain(where);
    }
  } else {
    if (e.msg) expect(r.err).toMatch(e.msg);
  }
  {
    const t = r.out.trimStart();
    if (t.startsWith('{')) {
      const bad = nonFinite(JSON.parse(t)).filter((p) => !(e.allowNull && e.allowNull.test(p)));
      expect(bad, `non-finite numbers in --json output\n${ctx}`).toEqual([]);
    }
  }
}

const run = (argv: string[]) => runCli(argv);

// ---------------------------------------------------------------------------------------------------------------
// Valid bases (copied from the fixtures, cut small so every fit takes milliseconds)
// ---------------------------------------------------------------------------------------------------------------

/** 300 CDNOW customers (lifetimes' cdnow_customers_summary_with_transactions.csv), lifetimes' column names. */
function rfmBase(rows = 300): { header: string; rows: string[] } {
  const text = readFileSync(join(FIX, 'cdnow_customers_summary_with_transactions.csv'), 'utf8');
  const lines = text
    .trim()
    .split(/\r?\n/)
    .slice(1, rows + 1);
  return { header: 'customer_id,frequency,recency,T,monetary_value', rows: lines };
}
const RFM = rfmBase();
const rfmText = (rows = RFM.rows, header = RFM.header) => [header, ...rows].join('\n') + '\n';
/** Donations (lifetimes' donations.csv): frequency,recency,periods,weights. */
const BGBB = readFileSync(join(FIX, 'donations.csv'), 'utf8').trim().split(/\r?\n/);
const bgbbText = (rows = BGBB.slice(1), header = BGBB[0]) => [header, ...rows].join('\n') + '\n';
/** Fader & Hardie 2007 Table 1, "regular" segment per 1,000 (years 0-7). */
const SURV = [1000, 631, 468, 382, 326, 289, 262, 241];
const survText = (alive = SURV.map(String)) =>
  'period,alive\n' + alive.map((a, i) => `${i},${a}`).join('\n') + '\n';

const RFM_MODELS = ['bgnbd', 'pnbd', 'mbgnbd', 'gg'] as const;
const ALL_MODELS = ['sbg', 'bdw', 'bgnbd', 'pnbd', 'mbgnbd', 'bgbb', 'gg'] as const;
type Model = (typeof ALL_MODELS)[number];
function validText(m: Model): string {
  return m === 'sbg' || m === 'bdw' ? survText() : m === 'bgbb' ? bgbbText() : rfmText();
}
const PARAMS: Record<Model, string> = {
  bgnbd: '{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}',
  mbgnbd: '{"r":0.525,"alpha":6.183,"a":0.891,"b":1.614}',
  pnbd: '{"r":0.553,"alpha":10.578,"s":0.606,"beta":11.669}',
  gg: '{"p":6.25,"q":3.74,"gamma":15.44}',
  bgbb: '{"alpha":1.204,"beta":0.750,"gamma":0.657,"delta":2.783}',
  sbg: '{"alpha":0.668,"beta":3.806}',
  bdw: '{"alpha":1,"beta":2,"c":1}',
};

/** 1-based character column of field `j` (0-based) in a comma-separated line. */
function col(line: string, j: number): number {
  let c = 1;
  for (let k = 0; k < j; k++) c = line.indexOf(',', c - 1) + 2;
  return c;
}

// ---------------------------------------------------------------------------------------------------------------
describe('every command: files that are not there, not files, not text', () => {
  const commands: string[][] = [
    ...ALL_MODELS.map((m) => ['fit', m]),
    ...ALL_MODELS.map((m) => ['predict', m]),
    ['summarize'],
    ['cohorts'],
  ];
  const extra = (c: string[]) => (c[0] === 'predict' ? ['--horizon', '10'] : []);
  let rand10m = '';
  let bin = '';
  let ascii = '';
  beforeAll(() => {
    rand10m = file(randomBytes(10 << 20), 'random-10mb.bin');
    const g = randomBytes(4096, 7);
    bin = file(g, 'garbage.csv');
    ascii = file('x'.repeat(2 << 20), 'one-long-line.csv'); // 2 MB of valid text without a newline
  });
  for (const c of commands) {
    const name = c.join(' ');
    it(`${name} MISSING_FILE => 2 "no such file"`, async () => {
      const p = join(tmp, 'does-not-exist.csv');
      expectClean(await run([...c, p, ...extra(c)]), 2, { msg: /does-not-exist\.csv.*no such file/ });
    });
    it(`${name} DIRECTORY => 2 "is a directory"`, async () => {
      const d = join(tmp, 'a-dir');
      mkdirSync(d, { recursive: true });
      expectClean(await run([...c, d, ...extra(c)]), 2, { msg: /a-dir.*is a directory/ });
    });
    it(`${name} EMPTY FILE => 2`, async () => {
      expectClean(await run([...c, file(''), ...extra(c)]), 2, { msg: /empty/ });
    });
    it(`${name} 4 KB binary garbage => 2`, async () => {
      expectClean(await run([...c, bin, ...extra(c)]), 2);
    });
    it(`${name} 10 MB random bytes => 2, quickly`, async () => {
      const t0 = performance.now();
      expectClean(await run([...c, rand10m, ...extra(c)]), 2);
      expect(performance.now() - t0).toBeLessThan(10_000);
    });
    it(`${name} 2 MB one-line text => 2 with a short message (no echo of the whole line)`, async () => {
      expectClean(await run([...c, ascii, ...extra(c)]), 2);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
describe('clv fit / predict: the valid base passes, and harmless variations are still accepted', () => {
  for (const m of ALL_MODELS) {
    it(`fit ${m} valid base => 0 and --json finite`, async () => {
      expectClean(await run(['fit', m, file(validText(m)), '--json']), 0);
    });
    it(`predict ${m} valid base with --params => 0, CSV without NaN`, async () => {
      const r = await run(['predict', m, file(validText(m)), '--horizon', '10', '--params', PARAMS[m]]);
      expectClean(r, 0);
      expect(r.out.split('\n').length).toBeGreaterThan(2);
    });
  }

  const variants: [string, (t: string) => string | Uint8Array][] = [
    ['BOM', (t) => '\ufeff' + t],
    ['CRLF', (t) => t.replace(/\n/g, '\r\n')],
    ['trailing blank lines', (t) => t + '\n\n  \n\r\n'],
    [
      'quoted numbers',
      (t) =>
        t
          .split('\n')
          .map((l, i) =>
            i === 0
              ? l
              : l
                  .split(',')
                  .map((f) => (f ? `"${f}"` : f))
                  .join(','),
          )
          .join('\n'),
    ],
    [
      'extra columns',
      (t) =>
        t
          .split('\n')
          .map((l, i) => (l === '' ? l : l + (i === 0 ? ',note,segment' : ',hello,A')))
          .join('\n'),
    ],
    ['upper-case header', (t) => t.replace(/^[^\n]*/, (h) => h.toUpperCase())],
    ['comment lines', (t) => '# exported by a test\n' + t],
  ];
  for (const m of ALL_MODELS) {
    for (const [v, f] of variants) {
      it(`fit ${m} with ${v} => 0 and the same estimates as the plain file`, async () => {
        const plain = await run(['fit', m, file(validText(m)), '--json']);
        const r = await run(['fit', m, file(f(validText(m))), '--json']);
        expectClean(r, 0);
        const a = JSON.parse(plain.out);
        const b = JSON.parse(r.out);
        expect(b.n).toBe(a.n);
        for (const k of Object.keys(a.params)) expect(b.params[k]).toBeCloseTo(a.params[k], 8);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
describe('clv fit: malformed summary files => exit 2 naming file:line:column', () => {
  for (const m of ALL_MODELS) {
    it(`fit ${m} header only => 2 at :1`, async () => {
      const h = validText(m).split('\n')[0] + '\n';
      const p = file(h);
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 1 }, msg: /no data rows/ });
    });
    it(`fit ${m} wrong header => 2 at :1:1`, async () => {
      const p = file('a,b,c,d,e\n1,2,3,4,5\n');
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 1, column: 1 } });
    });
    it(`fit ${m} no header (data in the first row) => 2 at :1:1`, async () => {
      const p = file(validText(m).split('\n').slice(1).join('\n'));
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 1, column: 1 } });
    });
    it(`fit ${m} invalid UTF-8 => 2 at :1:1 saying to save as UTF-8`, async () => {
      const t = new TextEncoder().encode(validText(m));
      const bytes = new Uint8Array([...t.slice(0, 20), 0xff, 0xfe, 0x80, ...t.slice(20)]);
      const p = file(bytes);
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 1, column: 1 }, msg: /UTF-8/ });
    });
    it(`fit ${m} a single data row => 0 with finite output, or 2 saying it needs more data`, async () => {
      const t = validText(m).split('\n');
      // the first row with a repeat purchase / the cohort's first two periods
      const row =
        m === 'sbg' || m === 'bdw'
          ? [t[1], t[2]]
          : [t.slice(1).find((l) => !/^[^,]*,0,/.test(l) && !/^0,/.test(l)) ?? t[1]];
      const r = await run(['fit', m, file([t[0], ...row].join('\n') + '\n'), '--json']);
      expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
    });
  }

  for (const m of RFM_MODELS) {
    it(`fit ${m} a quoted customer_id with a comma ("Smith, J") => 0 like any other id`, async () => {
      const rows = [`"Smith, J",${RFM.rows[0].split(',').slice(1).join(',')}`, ...RFM.rows.slice(1)];
      expectClean(await run(['fit', m, file(rfmText(rows)), '--json']), 0);
    });
    it(`fit ${m} semicolon-separated export => 2 at :1:1 (or read correctly)`, async () => {
      const p = file(rfmText().replace(/,/g, ';'));
      const r = await run(['fit', m, p, '--json']);
      if (r.code === 2) expectClean(r, 2, { at: { file: p, line: 1, column: 1 } });
      else expectClean(r, 0);
    });
    it(`fit ${m} missing required column T => 2 at :1:1 naming T`, async () => {
      const p = file(
        rfmText(
          RFM.rows.map((l) =>
            l
              .split(',')
              .filter((_, j) => j !== 3)
              .join(','),
          ),
          'customer_id,frequency,recency,monetary_value',
        ),
      );
      expectClean(await run(['fit', m, p]), 2, {
        at: { file: p, line: 1, column: 1 },
        msg: /missing column.*\bT\b/,
      });
    });
    // [title, bad row, 0-based field index that is wrong]
    const bad: [string, string, number][] = [
      ['NaN frequency', '9001,NaN,1,30,5', 1],
      ['Infinity recency', '9001,2,Infinity,30,5', 2],
      ['inf T', '9001,2,1,inf,5', 3],
      ['-Infinity T', '9001,2,1,-Infinity,5', 3],
      ['1e400 T (overflows to Infinity)', '9001,2,1,1e400,5', 3],
      ['1e400 frequency', '9001,1e400,1,30,5', 1],
      ['1e400 recency and T', '9001,2,1e400,1e400,5', 2],
      ['empty frequency', '9001,,1,30,5', 1],
      ['text frequency', '9001,two,1,30,5', 1],
      ['hex number', '9001,0x2,1,30,5', 1],
      ['negative frequency', '9001,-1,1,30,5', 1],
      ['negative recency', '9001,2,-1,30,5', 2],
      ['negative T', '9001,0,0,-30,0', 3],
      ['t_x > T', '9001,2,31,30,5', 2],
      ['frequency not an integer', '9001,1.5,1,30,5', 1],
      ['x = 0 with t_x > 0', '9001,0,3,30,0', 2],
      ['T = 0', '9001,0,0,0,0', 3],
      ['European decimal comma splits the row', '9001,2,"1,5",30,5', 2],
    ];
    for (const [title, row, j] of bad) {
      it(`fit ${m} ${title} on line 5 => 2 at :5:${col(row, j)}`, async () => {
        const rows = [...RFM.rows.slice(0, 3), row, ...RFM.rows.slice(3)];
        const p = file(rfmText(rows));
        expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 5, column: col(row, j) } });
      });
    }
    it(`fit ${m} a row with too few fields => 2 at :3`, async () => {
      const p = file(rfmText([RFM.rows[0], '9001,2', ...RFM.rows.slice(1)]));
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 3 } });
    });
    it(`fit ${m} huge but finite times (T = 1e300) => 0 with finite estimates, or 2`, async () => {
      const rows = RFM.rows.slice(0, 100).map((l) => {
        const f = l.split(',');
        return [f[0], f[1], `${Number(f[2])}e298`, `${Number(f[3])}e298`, f[4]].join(',');
      });
      const r = await run(['fit', m, file(rfmText(rows)), '--json']);
      expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
    });
    it(`fit ${m} huge monetary values (1e300) => 0 with finite estimates, or 2`, async () => {
      const rows = RFM.rows.map((l) => {
        const f = l.split(',');
        return [...f.slice(0, 4), `${Number(f[4])}e300`].join(',');
      });
      const r = await run(['fit', m, file(rfmText(rows)), '--json']);
      expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
    });
  }

  for (const m of RFM_MODELS) {
    it(`predict ${m} (fit first) on huge times and spends (x 1e298) => 0 finite or 2 — never exit 1`, async () => {
      const rows = RFM.rows.slice(0, 100).map((l) => {
        const f = l.split(',');
        return [f[0], f[1], `${Number(f[2])}e298`, `${Number(f[3])}e298`, `${Number(f[4])}e298`].join(',');
      });
      const r = await run(['predict', m, file(rfmText(rows)), '--horizon', '52', '--draws', '20']);
      expectClean(r, r.code === 0 ? 0 : 2);
    });
    it(`predict ${m} (fit first) on tiny times (x 1e-300) => 0 finite or 2 — never exit 1`, async () => {
      const rows = RFM.rows.slice(0, 100).map((l) => {
        const f = l.split(',');
        return [f[0], f[1], `${Number(f[2])}e-300`, `${Number(f[3])}e-300`, f[4]].join(',');
      });
      const r = await run(['predict', m, file(rfmText(rows)), '--horizon', '1e-299', '--draws', '20']);
      expectClean(r, r.code === 0 ? 0 : 2);
    });
  }
  for (const m of ['bgnbd', 'pnbd', 'mbgnbd'] as const) {
    it(`fit ${m} all-zero frequency (no repeaters) => 2 saying what to do`, async () => {
      const rows = RFM.rows.map((l, i) => `${i + 1},0,0,${l.split(',')[3]},0`);
      expectClean(await run(['fit', m, file(rfmText(rows))]), 2, {
        msg: /repeat purchase.*\(got 0 of 300\)/,
      });
    });
    it(`fit ${m} every customer identical => 0 with finite estimates, or 2`, async () => {
      const rows = RFM.rows.map((_, i) => `${i + 1},2,10,20,5`);
      const r = await run(['fit', m, file(rfmText(rows)), '--json']);
      expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
    });
  }

  it('fit gg all monetary_value 0 => 2 saying what it needs', async () => {
    const rows = RFM.rows.map((l) => [...l.split(',').slice(0, 4), '0'].join(','));
    expectClean(await run(['fit', 'gg', file(rfmText(rows))]), 2, { msg: /monetary_value > 0/ });
  });
  it('fit gg without a monetary_value column => 2 at :1:1', async () => {
    const p = file(
      rfmText(
        RFM.rows.map((l) => l.split(',').slice(0, 4).join(',')),
        'customer_id,frequency,recency,T',
      ),
    );
    expectClean(await run(['fit', 'gg', p]), 2, {
      at: { file: p, line: 1, column: 1 },
      msg: /monetary_value/,
    });
  });
  it('fit gg negative monetary_value on line 3 => 2 at :3:col', async () => {
    const row = '9001,2,1,30,-5';
    const p = file(rfmText([RFM.rows[0], row, ...RFM.rows.slice(1)]));
    expectClean(await run(['fit', 'gg', p]), 2, { at: { file: p, line: 3, column: col(row, 4) } });
  });
  it('fit gg a single repeat buyer => 2 (cannot fit 3 parameters to one customer) or finite', async () => {
    const r = await run(['fit', 'gg', file(rfmText(['1,2,30,38,22.35', '2,0,0,38,0'])), '--json']);
    expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
  });

  // BG/BB: frequency,recency,periods[,weights]
  const bgbbBad: [string, string, number][] = [
    ['recency > periods', '3,7,6,10', 1],
    ['frequency > recency', '4,3,6,10', 0],
    ['x = 0 with recency > 0', '0,2,6,10', 1],
    ['periods 0', '0,0,0,10', 2],
    ['frequency not an integer', '1.5,2,6,10', 0],
    ['negative frequency', '-1,2,6,10', 0],
    ['weight 0', '1,2,6,0', 3],
    ['negative weight', '1,2,6,-3', 3],
    ['NaN weight', '1,2,6,NaN', 3],
    ['1e400 weight', '1,2,6,1e400', 3],
    ['1e400 periods', '1,2,1e400,10', 2],
    ['Infinity recency', '1,Infinity,6,10', 1],
  ];
  for (const [title, row, j] of bgbbBad) {
    it(`fit bgbb ${title} on line 4 => 2 at :4:${col(row, j)}`, async () => {
      const rows = BGBB.slice(1);
      const p = file(bgbbText([...rows.slice(0, 2), row, ...rows.slice(2)]));
      expectClean(await run(['fit', 'bgbb', p]), 2, { at: { file: p, line: 4, column: col(row, j) } });
    });
  }
  it('fit bgbb nobody ever transacts => 2 saying what to do', async () => {
    expectClean(await run(['fit', 'bgbb', file(bgbbText(['0,0,6,100', '0,0,5,30']))]), 2, {
      msg: /transaction/,
    });
  });
  it('fit bgbb huge weights (1e300) => 0 finite, or 2', async () => {
    const rows = BGBB.slice(1).map((l) => l.replace(/,(\d+)$/, ',$1e290'));
    const r = await run(['fit', 'bgbb', file(bgbbText(rows)), '--json']);
    expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
  });

  // sBG / BdW: period,alive
  for (const m of ['sbg', 'bdw'] as const) {
    const survBad: [string, string[], number, number][] = [
      // [title, alive column (periods 0..), line of the problem, 0-based field]
      ['survival counts that increase', ['1000', '631', '700', '382'], 4, 1],
      ['alive NaN', ['1000', 'NaN', '468'], 3, 1],
      ['alive Infinity', ['1000', 'Infinity', '468'], 3, 1],
      ['alive 1e400 at period 0', ['1e400', '631', '468'], 2, 1],
      ['negative alive', ['1000', '-5', '-6'], 3, 1],
      ['cohort size 0', ['0', '0', '0'], 2, 1],
      ['empty alive', ['1000', '', '468'], 3, 1],
    ];
    for (const [title, alive, line, j] of survBad) {
      it(`fit ${m} ${title} => 2 at :${line}:col`, async () => {
        const text = survText(alive);
        const p = file(text);
        const l = text.split('\n')[line - 1];
        expectClean(await run(['fit', m, p]), 2, { at: { file: p, line, column: col(l, j) } });
      });
    }
    it(`fit ${m} period gap (0,1,3) => 2 at the row after the gap`, async () => {
      const p = file('period,alive\n0,1000\n1,631\n3,382\n');
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 4 }, msg: /period 2 is missing/ });
    });
    it(`fit ${m} period repeated => 2`, async () => {
      const p = file('period,alive\n0,1000\n1,631\n1,600\n2,468\n');
      expectClean(await run(['fit', m, p]), 2, { msg: /repeated/ });
    });
    it(`fit ${m} period not starting at 0 => 2`, async () => {
      const p = file('period,alive\n1,1000\n2,631\n3,468\n');
      expectClean(await run(['fit', m, p]), 2, { msg: /period 0 is missing/ });
    });
    it(`fit ${m} period 1.5 => 2 at :3:1`, async () => {
      const p = file('period,alive\n0,1000\n1.5,631\n');
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 3, column: 1 } });
    });
    it(`fit ${m} only period 0 (nobody observed churning) => 2 saying what to do`, async () => {
      expectClean(await run(['fit', m, file('period,alive\n0,1000\n')]), 2);
    });
    it(`fit ${m} nobody ever churns => 0 finite, or 2 saying what to do`, async () => {
      const r = await run(['fit', m, file(survText(['1000', '1000', '1000', '1000'])), '--json']);
      expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
    });
    it(`fit ${m} everybody churns after period 0 => 0 finite, or 2 saying what to do`, async () => {
      const r = await run(['fit', m, file(survText(['1000', '0', '0'])), '--json']);
      expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
    });
    it(`fit ${m} multi-cohort with an empty cohort label => 2 at :3:1`, async () => {
      const p = file('cohort,period,alive\nA,0,1000\n,1,631\n');
      expectClean(await run(['fit', m, p]), 2, { at: { file: p, line: 3, column: 1 } });
    });
    it(`fit ${m} huge cohort (1e300 customers) => 0 finite, or 2`, async () => {
      const r = await run(['fit', m, file(survText(SURV.map((a) => `${a}e297`))), '--json']);
      expectClean(r, r.code === 0 ? 0 : 2, { allowNull: /standardErrors/ });
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
describe('clv fit / predict: bad arguments => exit 2, one line', () => {
  let rfm = '';
  let surv = '';
  let bgbb = '';
  beforeAll(() => {
    rfm = file(rfmText(), 'rfm.csv');
    surv = file(survText(), 'surv.csv');
    bgbb = file(bgbbText(), 'bgbb.csv');
  });
  const P = PARAMS.bgnbd;
  const argCases: [string, () => string[], RegExp?][] = [
    ['unknown command', () => ['frobnicate'], /unknown command/],
    ['fit without MODEL', () => ['fit'], /missing MODEL/],
    ['fit unknown model', () => ['fit', 'bgnbdx', rfm], /unknown model "bgnbdx"/],
    ['fit model in upper case', () => ['fit', 'BGNBD', rfm]],
    ['fit without FILE', () => ['fit', 'bgnbd'], /missing FILE/],
    ['fit two files', () => ['fit', 'bgnbd', rfm, rfm], /unexpected argument/],
    ['fit unknown option', () => ['fit', 'bgnbd', rfm, '--frobnicate'], /frobnicate/],
    ['fit --penalizer without a value', () => ['fit', 'bgnbd', rfm, '--penalizer'], /penalizer/],
    [
      'fit --penalizer text',
      () => ['fit', 'bgnbd', rfm, '--penalizer', 'lots'],
      /--penalizer must be a number/,
    ],
    [
      'fit --penalizer negative',
      () => ['fit', 'bgnbd', rfm, '--penalizer', '-0.1'],
      /--penalizer must be >= 0/,
    ],
    ['fit --penalizer Infinity', () => ['fit', 'bgnbd', rfm, '--penalizer', 'Infinity'], /--penalizer/],
    ['fit --json=yes', () => ['fit', 'bgnbd', rfm, '--json=yes'], /json/],
    ['predict unknown model', () => ['predict', 'lifetimes', rfm, '--horizon', '10'], /unknown model/],
    ['predict without --horizon', () => ['predict', 'bgnbd', rfm, '--params', P], /--horizon/],
    [
      'predict --horizon without a value',
      () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon'],
      /horizon/,
    ],
    [
      'predict --horizon 0',
      () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', '0'],
      /--horizon must be > 0/,
    ],
    ['predict --horizon -5', () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', '-5'], /--horizon/],
    ['predict --horizon=-5', () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon=-5'], /--horizon/],
    [
      'predict --horizon text',
      () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', 'ten'],
      /--horizon must be a number/,
    ],
    ['predict --horizon empty', () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', ''], /--horizon/],
    [
      'predict --horizon NaN',
      () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', 'NaN'],
      /--horizon/,
    ],
    [
      'predict --horizon Infinity',
      () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', 'Infinity'],
      /--horizon/,
    ],
    [
      'predict --horizon 1e400',
      () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', '1e400'],
      /--horizon/,
    ],
    [
      'predict --horizon 10weeks',
      () => ['predict', 'bgnbd', rfm, '--params', P, '--horizon', '10weeks'],
      /--horizon/,
    ],
    [
      'predict --params malformed JSON',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', '{r:0.2'],
      /--params must be a JSON object/,
    ],
    [
      'predict --params an array',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', '[1,2,3,4]'],
      /--params/,
    ],
    [
      'predict --params null',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', 'null'],
      /--params/,
    ],
    [
      'predict --params missing key b',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', '{"r":0.2,"alpha":4,"a":0.8}'],
      /"b"/,
    ],
    [
      'predict --params negative',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', '{"r":-0.2,"alpha":4,"a":0.8,"b":2}'],
      /"r"/,
    ],
    [
      'predict --params zero',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', '{"r":0,"alpha":4,"a":0.8,"b":2}'],
      /"r"/,
    ],
    [
      'predict --params string value',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', '{"r":"0.2","alpha":4,"a":0.8,"b":2}'],
      /"r"/,
    ],
    [
      'predict --params 1e400',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', '{"r":1e400,"alpha":4,"a":0.8,"b":2}'],
      /"r"/,
    ],
    [
      'predict --params unknown key',
      () => [
        'predict',
        'bgnbd',
        rfm,
        '--horizon',
        '10',
        '--params',
        '{"r":0.2,"alpha":4,"a":0.8,"b":2,"s":1}',
      ],
      /unknown key "s"/,
    ],
    [
      'predict --params of another model',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', PARAMS.pnbd],
      /--params/,
    ],
    [
      'predict --spend-params malformed',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--spend-params', '{"p":6.25,'],
      /--spend-params/,
    ],
    [
      'predict --spend-params missing gamma',
      () => [
        'predict',
        'bgnbd',
        rfm,
        '--horizon',
        '10',
        '--params',
        P,
        '--spend-params',
        '{"p":6.25,"q":3.74}',
      ],
      /"gamma"/,
    ],
    [
      'predict --spend-params negative',
      () => [
        'predict',
        'bgnbd',
        rfm,
        '--horizon',
        '10',
        '--params',
        P,
        '--spend-params',
        '{"p":6.25,"q":-3.74,"gamma":15}',
      ],
      /"q"/,
    ],
    [
      'predict sbg --spend-params',
      () => ['predict', 'sbg', surv, '--horizon', '10', '--spend-params', PARAMS.gg],
      /--spend-params/,
    ],
    [
      'predict --interval 1.5',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--interval', '1.5'],
      /--interval/,
    ],
    [
      'predict --interval 0',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--interval', '0'],
      /--interval/,
    ],
    [
      'predict --interval 1',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--interval', '1'],
      /--interval/,
    ],
    [
      'predict --interval 80%',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--interval', '80%'],
      /--interval/,
    ],
    [
      'predict --discount-rate -1',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--discount-rate', '-1'],
      /--discount-rate/,
    ],
    [
      'predict --discount-rate text',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--discount-rate', '10%'],
      /--discount-rate/,
    ],
    [
      'predict --margin text',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--margin', 'half'],
      /--margin/,
    ],
    [
      'predict --draws 1',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--draws', '1'],
      /--draws/,
    ],
    [
      'predict --draws 2.5',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--draws', '2.5'],
      /--draws/,
    ],
    [
      'predict --seed text',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--seed', 'abc'],
      /--seed/,
    ],
    [
      'predict --penalizer -1',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--penalizer', '-1'],
      /--penalizer/,
    ],
    [
      'predict --seed -1 (a negative number after an option)',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--seed', '-1'],
      /--seed/,
    ],
    [
      'predict sbg --horizon 2.5 (periods are whole)',
      () => ['predict', 'sbg', surv, '--horizon', '2.5', '--params', PARAMS.sbg],
      /whole number/,
    ],
    [
      'predict bdw --horizon 2.5 (periods are whole)',
      () => ['predict', 'bdw', surv, '--horizon', '2.5', '--params', PARAMS.bdw],
      /whole number/,
    ],
    [
      'predict bgbb --horizon 1.5',
      () => ['predict', 'bgbb', bgbb, '--horizon', '1.5', '--params', PARAMS.bgbb],
      /whole number/,
    ],
    [
      'predict --out into a missing directory',
      () => [
        'predict',
        'bgnbd',
        rfm,
        '--horizon',
        '10',
        '--params',
        P,
        '--out',
        join(tmp, 'no/such/dir/out.csv'),
      ],
      /cannot write/,
    ],
    [
      'predict --out a directory',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--out', tmp],
      /cannot write/,
    ],
    [
      'predict --out under a regular file',
      () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--params', P, '--out', join(rfm, 'x.csv')],
      /cannot write/,
    ],
    ['predict unknown option', () => ['predict', 'bgnbd', rfm, '--horizon', '10', '--bogus', '1'], /bogus/],
  ];
  for (const [title, argv, msg] of argCases) {
    it(`${title} => 2`, async () => {
      expectClean(await run(argv()), 2, { msg });
    });
  }

  it('clv with no command => 2 (usage shown), no stack trace', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out + r.err).toMatch(/Usage: clv/);
    expect(r.out + r.err).not.toMatch(STACK);
  });
  it('predict bgnbd on 200,000 customers => 0 with 200,001 lines (no "Maximum call stack size exceeded")', async () => {
    // every line of the output table is pushed with one spread call: large tables must not blow the stack
    const lines = ['customer_id,frequency,recency,T'];
    for (let i = 0; i < 200_000; i++) {
      const x = i % 7;
      lines.push(`${i},${x},${x ? 10 + (i % 20) : 0},40`);
    }
    const p = file(lines.join('\n') + '\n', 'rfm-200k.csv');
    const out = join(tmp, 'pred-200k.csv');
    const r = await run(['predict', 'bgnbd', p, '--horizon', '10', '--params', P, '--out', out]);
    expectClean(r, 0, { outFiles: [out] });
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(200_001);
  });
  it('predict sbg --horizon 1e5 => 0 with a finite table of 100,001 periods, or 2 naming --horizon', async () => {
    // sbg/bdw print one row per period 0..H; 1e5 rows must not blow the stack ("Maximum call stack size exceeded")
    const r = await run(['predict', 'sbg', surv, '--horizon', '1e5', '--params', PARAMS.sbg]);
    if (r.code === 2) expectClean(r, 2, { msg: /--horizon/ });
    else {
      expectClean(r, 0);
      expect(r.out.trimEnd().split('\n')).toHaveLength(100_002);
    }
  });
  it('predict bgnbd --horizon 1e300 => 0 finite or 2 — never exit 1', async () => {
    const r = await run(['predict', 'bgnbd', rfm, '--horizon', '1e300', '--params', P]);
    expectClean(r, r.code === 0 ? 0 : 2);
  });
  it('predict bgnbd --margin 1e308 (CLV overflows) => 0 finite or 2 — never exit 1', async () => {
    const r = await run([
      'predict',
      'bgnbd',
      rfm,
      '--horizon',
      '52',
      '--params',
      P,
      '--margin',
      '1e308',
      '--draws',
      '20',
    ]);
    expectClean(r, r.code === 0 ? 0 : 2);
  });
  it('predict bgnbd extreme but positive --params => 0 finite or 2 — never exit 1', async () => {
    const r = await run([
      'predict',
      'bgnbd',
      rfm,
      '--horizon',
      '10',
      '--params',
      '{"r":1e-300,"alpha":1e300,"a":1e-300,"b":1e300}',
    ]);
    expectClean(r, r.code === 0 ? 0 : 2);
  });
  it('predict pnbd extreme --params => 0 finite or 2 — never exit 1', async () => {
    const r = await run([
      'predict',
      'pnbd',
      rfm,
      '--horizon',
      '10',
      '--params',
      '{"r":1e200,"alpha":1e-200,"s":1e200,"beta":1e-200}',
    ]);
    expectClean(r, r.code === 0 ? 0 : 2);
  });
  it('predict gg extreme --params => 0 finite or 2 — never exit 1', async () => {
    const r = await run([
      'predict',
      'gg',
      rfm,
      '--horizon',
      '10',
      '--params',
      '{"p":1e300,"q":1e-300,"gamma":1e300}',
    ]);
    expectClean(r, r.code === 0 ? 0 : 2);
  });
  it('predict gg --params with q <= 1 (mean spend undefined for x = 0) => 2 naming q, or finite output — never exit 1', async () => {
    for (const q of ['0.5', '1']) {
      const r = await run([
        'predict',
        'gg',
        rfm,
        '--horizon',
        '10',
        '--params',
        `{"p":6,"q":${q},"gamma":15}`,
      ]);
      if (r.code === 2) expectClean(r, 2, { msg: /\bq\b/ });
      else expectClean(r, 0);
    }
  });
  it('predict bgnbd --spend-params with q = 0.9 => 2 naming q, or finite output — never exit 1', async () => {
    const r = await run([
      'predict',
      'bgnbd',
      rfm,
      '--horizon',
      '10',
      '--params',
      P,
      '--spend-params',
      '{"p":6,"q":0.9,"gamma":15}',
      '--draws',
      '20',
    ]);
    if (r.code === 2) expectClean(r, 2, { msg: /\bq\b/ });
    else expectClean(r, 0);
  });
  it('predict bgnbd --discount-rate 1e300 => 0 finite or 2', async () => {
    const r = await run([
      'predict',
      'bgnbd',
      rfm,
      '--horizon',
      '52',
      '--params',
      P,
      '--discount-rate',
      '1e300',
      '--draws',
      '20',
    ]);
    expectClean(r, r.code === 0 ? 0 : 2);
  });
  it('predict with a bad --out writes nothing to stdout and nothing half-written', async () => {
    const r = await run([
      'predict',
      'bgnbd',
      rfm,
      '--horizon',
      '10',
      '--params',
      P,
      '--out',
      join(tmp, 'nope/out.csv'),
    ]);
    expectClean(r, 2);
  });
  it('predict bgnbd --out FILE with valid input => 0 and the file is finite', async () => {
    const out = join(tmp, 'pred.csv');
    const r = await run(['predict', 'bgnbd', rfm, '--horizon', '52', '--draws', '20', '--out', out]);
    expectClean(r, 0, { outFiles: [out] });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
      'customer_id,p_alive,expected_purchases,expected_spend,clv,clv_low,clv_high',
    );
  });
  for (const m of ['bgnbd', 'pnbd', 'mbgnbd'] as const) {
    it(`predict ${m} fits no-repeater data => 2 saying what to do (not exit 1)`, async () => {
      const rows = RFM.rows.map((l, i) => `${i + 1},0,0,${l.split(',')[3]},0`);
      expectClean(await run(['predict', m, file(rfmText(rows)), '--horizon', '10']), 2, {
        msg: /repeat purchase/,
      });
    });
  }
  it('predict bgnbd --spend-params on a file without monetary_value => 2 naming the column', async () => {
    const p = file(
      rfmText(
        RFM.rows.map((l) => l.split(',').slice(0, 4).join(',')),
        'customer_id,frequency,recency,T',
      ),
    );
    expectClean(
      await run(['predict', 'bgnbd', p, '--horizon', '10', '--params', P, '--spend-params', PARAMS.gg]),
      2,
      {
        msg: /monetary_value/,
      },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('clv summarize / cohorts: every row accounted for, never NaN/Infinity', () => {
  const HEAD = 'customer,date,amount';
  /** 6 customers over 3 months: a valid transaction log. */
  const GOOD = [
    'A,2024-01-03,10.00',
    'A,2024-01-20,12.50',
    'A,2024-03-02,8.00',
    'B,2024-01-15,100',
    'B,2024-02-15,90',
    'C,2024-02-01,5',
    'D,2024-02-10,20',
    'D,2024-03-10,25',
    'E,2024-03-01,7',
    'F,2024-03-15,9',
  ];
  const tx = (rows: string[], header = HEAD) => [header, ...rows].join('\n') + '\n';

  /** Runs summarize (or cohorts) with --json and --out, and checks the accounting. */
  async function account(cmd: 'summarize' | 'cohorts', p: string, dataRows: number, args: string[] = []) {
    const out = join(tmp, `${cmd}-${++seq}.csv`);
    const r = await run([cmd, p, '--json', '--out', out, ...args]);
    if (r.code === 0) {
      expectClean(r, 0, { outFiles: [out] });
      const j = JSON.parse(r.out);
      expect(j.accepted + j.rejected, 'accepted + rejected = rowsRead').toBe(j.rowsRead);
      expect(j.rowsRead, 'rows read = data rows in the file').toBe(dataRows);
      expect(j.rejects.length).toBe(Math.min(100, j.rejected));
      for (const x of j.rejects) {
        expect(x.line).toBeGreaterThanOrEqual(1);
        expect(x.reason).toMatch(/\S/);
      }
      return { r, j, csv: readFileSync(out, 'utf8') };
    }
    expectClean(r, 2);
    return { r, j: undefined, csv: '' };
  }

  for (const cmd of ['summarize', 'cohorts'] as const) {
    it(`${cmd} valid log => 0; accepted + rejected = rows read`, async () => {
      const { j } = await account(cmd, file(tx(GOOD)), GOOD.length);
      expect(j).toMatchObject({ rowsRead: 10, accepted: 10, rejected: 0, customers: 6 });
    });
    const variants: [string, (t: string) => string][] = [
      ['BOM', (t) => '\ufeff' + t],
      ['CRLF', (t) => t.replace(/\n/g, '\r\n')],
      ['trailing blank lines', (t) => t + '\n\n\n'],
      [
        'quoted fields',
        (t) =>
          t
            .split('\n')
            .map(
              (l) =>
                l &&
                l
                  .split(',')
                  .map((f) => `"${f}"`)
                  .join(','),
            )
            .join('\n'),
      ],
      [
        'extra columns',
        (t) =>
          t
            .split('\n')
            .map((l, i) => (l === '' ? l : l + (i === 0 ? ',channel,note' : ',web,"x, y"')))
            .join('\n'),
      ],
      ['upper-case header', (t) => t.replace(/^[^\n]*/, (h) => h.toUpperCase())],
      ['no final newline', (t) => t.replace(/\n$/, '')],
    ];
    for (const [v, f] of variants) {
      it(`${cmd} with ${v} => 0, all 10 rows accepted`, async () => {
        const { j } = await account(cmd, file(f(tx(GOOD))), GOOD.length);
        expect(j).toMatchObject({ rowsRead: 10, accepted: 10, rejected: 0, customers: 6 });
      });
    }
    it(`${cmd} header only => 2 saying there are no data rows`, async () => {
      expectClean(await run([cmd, file(HEAD + '\n')]), 2, { msg: /no data rows/ });
    });
    it(`${cmd} wrong header (no date column) => 2 at :1`, async () => {
      const p = file(
        tx(
          GOOD.map((l) => l.replace(/,2024-\d\d-\d\d/, ',x')),
          'who,what,amount',
        ),
      );
      expectClean(await run([cmd, p]), 2);
    });
    it(`${cmd} --date names a missing column => 2 listing the columns`, async () => {
      expectClean(await run([cmd, file(tx(GOOD)), '--date', 'order_date']), 2, { msg: /order_date/ });
    });
    it(`${cmd} --customer 9 (column number out of range) => 2`, async () => {
      expectClean(await run([cmd, file(tx(GOOD)), '--customer', '9']), 2);
    });
    it(`${cmd} NaN / Infinity / inf / 1e400 / empty / text amounts => rejected with line numbers, rest accepted`, async () => {
      const bad = [
        'G,2024-01-05,NaN',
        'G,2024-01-06,Infinity',
        'G,2024-01-07,inf',
        'G,2024-01-08,1e400',
        'G,2024-01-09,',
        'G,2024-01-10,abc',
        'G,2024-01-11,-Infinity',
      ];
      const { j } = await account(cmd, file(tx([...GOOD, ...bad])), GOOD.length + bad.length);
      expect(j.rejected).toBe(bad.length);
      expect(j.rejects.map((x: { line: number }) => x.line)).toEqual([12, 13, 14, 15, 16, 17, 18]);
    });
    it(`${cmd} rejects are listed on stderr as "line N: reason"`, async () => {
      const r = await run([cmd, file(tx([...GOOD, 'G,2024-01-05,NaN', 'H,not-a-date,5']))]);
      expectClean(r, 0);
      expect(r.err).toMatch(/^line 12: .*NaN/m);
      expect(r.err).toMatch(/^line 13: .*not-a-date/m);
    });
    it(`${cmd} bad dates (Feb 30, month 13, 0000-00-00, text) => rejected, counted`, async () => {
      const bad = ['G,2024-02-30,5', 'G,2024-13-01,5', 'G,0000-00-00,5', 'G,yesterday,5', 'G,,5'];
      const { j } = await account(cmd, file(tx([...GOOD, ...bad])), GOOD.length + bad.length);
      expect(j.rejected).toBe(bad.length);
    });
    it(`${cmd} an empty customer id => rejected, counted`, async () => {
      const { j } = await account(cmd, file(tx([...GOOD, ',2024-01-05,5'])), GOOD.length + 1);
      expect(j.rejected).toBe(1);
      expect(j.rejects[0].line).toBe(12);
    });
    it(`${cmd} rows with too few / too many fields => accounted for`, async () => {
      const bad = ['G,2024-01-05', 'H,2024-01-06,5,extra,more', 'I'];
      const { j } = await account(cmd, file(tx([...GOOD, ...bad])), GOOD.length + bad.length);
      expect(j.accepted + j.rejected).toBe(GOOD.length + bad.length);
    });
    it(`${cmd} an unclosed quote => every row still accounted for (or 2 naming the line)`, async () => {
      const rows = [...GOOD.slice(0, 3), '"G,2024-01-05,5', ...GOOD.slice(3)];
      const p = file(tx(rows));
      const r = await run([cmd, p, '--json', '--out', join(tmp, `uq-${cmd}.csv`)]);
      if (r.code === 2) expectClean(r, 2, { at: { file: p, line: 5 } });
      else {
        expectClean(r, 0);
        const j = JSON.parse(r.out);
        expect(j.accepted + j.rejected).toBe(j.rowsRead);
        expect(j.rowsRead).toBe(rows.length);
      }
    });
    it(`${cmd} negative amounts (refunds) => kept and flagged, output finite`, async () => {
      const { j, r } = await account(
        cmd,
        file(tx([...GOOD, 'A,2024-03-05,-8.00', 'B,2024-03-01,-500'])),
        GOOD.length + 2,
      );
      expect(j.accepted).toBe(12);
      expect(r.err).toMatch(/negative/);
    });
    it(`${cmd} huge amounts (1e308, sums overflow) => finite output or rejected rows, never Infinity`, async () => {
      const rows = [
        ...GOOD,
        'G,2024-01-05,1e308',
        'G,2024-01-06,1e308',
        'G,2024-02-06,1e308',
        'G,2024-02-06,1e308',
      ];
      await account(cmd, file(tx(rows)), rows.length);
    });
    it(`${cmd} a single row => 0 (with a warning) or 2 saying what to do`, async () => {
      const r = await run([cmd, file(tx([GOOD[0]]))]);
      expectClean(r, r.code === 0 ? 0 : 2);
      if (r.code === 0) expect(r.err).toMatch(/warning: .*(one customer|single)/);
    });
    it(`${cmd} all purchases on one day => 0 with a warning or 2 saying what to do`, async () => {
      const rows = GOOD.map((l) => l.replace(/2024-\d\d-\d\d/, '2024-02-01'));
      const r = await run([cmd, file(tx(rows))]);
      expectClean(r, r.code === 0 ? 0 : 2);
      if (r.code === 0) expect(r.err).toMatch(/warning: .*(one day|same day|single day)/);
    });
    it(`${cmd} every row rejected => 2, each listed as "line N: reason"`, async () => {
      const r = await run([cmd, file(tx(['A,xx,1', 'B,yy,2', 'C,2024-01-01,zz']))]);
      expectClean(r, 2);
      expect(r.err).toMatch(/^line 2: /m);
      expect(r.err).toMatch(/^line 3: /m);
      expect(r.err).toMatch(/^line 4: /m);
    });
    it(`${cmd} a NUL byte in the middle of a text file => 2 or the row rejected`, async () => {
      const t = tx(GOOD);
      const bytes = new TextEncoder().encode(t);
      const mid = t.indexOf('B,2024');
      const withNul = new Uint8Array([...bytes.slice(0, mid + 1), 0, ...bytes.slice(mid + 1)]);
      const p = file(withNul);
      const r = await run([cmd, p, '--json', '--out', join(tmp, `nul-${cmd}.csv`)]);
      expectClean(r, r.code === 0 ? 0 : 2);
      if (r.code === 0) expect(JSON.parse(r.out).rowsRead).toBe(GOOD.length);
    });
    it(`${cmd} far-future and far-past dates => accounted for, finite`, async () => {
      const rows = [...GOOD, 'G,9999-12-31,5', 'H,1900-01-01,5', 'H,1900-02-01,5'];
      await account(cmd, file(tx(rows)), rows.length);
    });
    it(`${cmd} GBK-encoded Chinese export => decoded (0), names in UTF-8`, async () => {
      const r = await run([
        cmd,
        join(FIX, 'data/gbk_chinese.csv'),
        '--json',
        '--out',
        join(tmp, `gbk-${cmd}.csv`),
      ]);
      expectClean(r, 0);
      const j = JSON.parse(r.out);
      expect(j.encoding).toMatch(/gb/i);
      expect(j.accepted + j.rejected).toBe(j.rowsRead);
      expect(readFileSync(join(tmp, `gbk-${cmd}.csv`), 'utf8')).not.toContain('\ufffd');
    });
    it(`${cmd} Latin-1 bytes read as UTF-8 => 0 with the rows accounted for, or 2 — never a crash`, async () => {
      const bytes = new Uint8Array([
        ...new TextEncoder().encode(HEAD + '\n'),
        0x4a,
        0xe9,
        0x72,
        0xf4,
        0x6d,
        0x65,
        ...new TextEncoder().encode(',2024-01-05,5\n' + GOOD.join('\n') + '\n'),
      ]);
      const r = await run([cmd, file(bytes), '--json', '--out', join(tmp, `l1-${cmd}.csv`)]);
      expectClean(r, r.code === 0 ? 0 : 2);
      if (r.code === 0) {
        const j = JSON.parse(r.out);
        expect(j.accepted + j.rejected).toBe(j.rowsRead);
        expect(j.rowsRead).toBe(GOOD.length + 1);
      }
    });
    const optCases: [string, string[], RegExp?][] = [
      ['unknown option', ['--frobnicate'], /frobnicate/],
      ['--customer without a value', ['--customer'], /customer/],
      ['--delimiter nonsense', ['--delimiter', 'xx'], /--delimiter/],
      ['--encoding nonsense', ['--encoding', 'ebcdic'], /--encoding/],
      ['--date-format nonsense', ['--date-format', 'YY-DD'], /--date-format/],
      ['--decimals -1', ['--decimals', '-1'], /--decimals/],
      ['--decimals text', ['--decimals', 'two'], /--decimals/],
      ['--observation-end not a date', ['--observation-end', 'soon'], /soon|observation/],
      ['--observation-end before every purchase', ['--observation-end', '2020-01-01'], /observation|before/],
      ['--out into a missing directory', ['--out', join(tmp, 'no/such/dir.csv')], /cannot write/],
      ['--rejects into a missing directory', ['--rejects', join(tmp, 'no/such/rej.csv')], /cannot write/],
      ['two input files', ['extra.csv'], /one input FILE/],
    ];
    for (const [title, args, msg] of optCases) {
      it(`${cmd} ${title} => 2`, async () => {
        expectClean(await run([cmd, file(tx(GOOD)), ...args]), 2, { msg });
      });
    }
  }
  it('summarize --unit fortnight => 2', async () => {
    expectClean(await run(['summarize', file(tx(GOOD)), '--unit', 'fortnight']), 2, { msg: /--unit/ });
  });
  it('summarize --calibration-end not a date => 2', async () => {
    expectClean(await run(['summarize', file(tx(GOOD)), '--calibration-end', '31/31/2024']), 2, {
      msg: /calibration/,
    });
  });
  it('summarize --calibration-end before every purchase => 2 or 0 with finite output', async () => {
    const r = await run(['summarize', file(tx(GOOD)), '--calibration-end', '2020-01-01']);
    expectClean(r, r.code === 0 ? 0 : 2);
  });
  it('cohorts --period year => 2', async () => {
    expectClean(await run(['cohorts', file(tx(GOOD)), '--period', 'year']), 2, { msg: /--period/ });
  });
  it('cohorts --survival into a missing directory => 2', async () => {
    expectClean(await run(['cohorts', file(tx(GOOD)), '--survival', join(tmp, 'no/s.csv')]), 2, {
      msg: /cannot write/,
    });
  });
  it('cohorts with a 1900 customer: the 1900 cohort is in the table (nothing silently dropped)', async () => {
    const rows = [...GOOD, 'H,1990-01-01,5', 'H,1990-02-01,5'];
    const { csv } = await account('cohorts', file(tx(rows)), rows.length);
    expect(csv).toMatch(/^1990-01,/m);
  });
  it('cohorts --period week with first purchases before 1970 (e.g. Excel day 1 = 1900-01-01): no customer dropped', async () => {
    // week index = floor((day + 3) / 7) is negative before 1969-12-29; every customer must still be in a cohort
    const rows = ['A,1969-06-02,1', 'A,1969-06-20,1', 'B,2024-01-02,1', 'C,1900-01-01,1'];
    const { csv, j } = await account('cohorts', file(tx(rows)), rows.length, [
      '--period',
      'week',
      '--observation-end',
      '2024-01-07',
    ]);
    expect(j.customers).toBe(3);
    const sizes = new Map<string, number>();
    for (const l of csv.trim().split('\n').slice(1)) sizes.set(l.split(',')[0], Number(l.split(',')[2]));
    expect(
      [...sizes.values()].reduce((a, b) => a + b, 0),
      `cohort sizes ${JSON.stringify([...sizes])}`,
    ).toBe(3);
  });
  it('summarize a 200k-row log with 1 bad row in the middle => that one row rejected with its line', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 200_000; i++)
      rows.push(
        `C${i % 5000},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${(i % 97) + 0.5}`,
      );
    rows[123_456] = 'C1,2024-02-30,5';
    const { j } = await account('summarize', file(tx(rows)), rows.length);
    expect(j.rejected).toBe(1);
    expect(j.rejects[0].line).toBe(123_458);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('the real process (node bin/clv.mjs): exit status and no stack trace', () => {
  const bin = join(ROOT, 'bin/clv.mjs');
  const spawn = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, input });
  it('fit with a NaN cell and predict with a bad --params exit 2 with one line', () => {
    const p = file(rfmText([RFM.rows[0], '9001,2,1,NaN,5', ...RFM.rows.slice(1)]));
    const a = spawn(['fit', 'bgnbd', p, '--json']);
    expectClean({ code: a.status ?? -1, out: a.stdout, err: a.stderr }, 2, {
      at: { file: p, line: 3, column: 10 },
    });
    const b = spawn(['predict', 'gg', p, '--horizon', '5', '--params', '{"p":']);
    expectClean({ code: b.status ?? -1, out: b.stdout, err: b.stderr }, 2, { msg: /--params/ });
  });
  // Unbounded work from one option: must be refused up front, not run until the machine runs out of memory.
  // The child gets a 256 MB heap and 12 s, so a regression fails fast instead of eating the shared machine.
  const guarded = (args: string[]) =>
    spawnSync(process.execPath, ['--max-old-space-size=256', bin, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 12_000,
    });
  it('predict sbg --horizon 1e12 => 2 naming --horizon (not an endless table / out-of-memory crash)', () => {
    const p = file(survText());
    const a = guarded(['predict', 'sbg', p, '--horizon', '1e12', '--params', PARAMS.sbg]);
    expectClean({ code: a.status ?? -1, out: a.stdout.slice(0, 10_000), err: a.stderr.slice(0, 10_000) }, 2, {
      msg: /--horizon/,
    });
  });
  it('predict --draws 1e9 => 2 naming --draws (not hours of Monte Carlo / out-of-memory crash)', () => {
    const p = file(rfmText(RFM.rows.slice(0, 50)));
    const a = guarded([
      'predict',
      'bgnbd',
      p,
      '--horizon',
      '10',
      '--params',
      PARAMS.bgnbd,
      '--spend-params',
      PARAMS.gg,
      '--draws',
      '1e9',
    ]);
    expectClean({ code: a.status ?? -1, out: a.stdout.slice(0, 10_000), err: a.stderr.slice(0, 10_000) }, 2, {
      msg: /--draws/,
    });
  });
  it('summarize from stdin ("-") with garbage => 2, no stack trace', () => {
    const a = spawn(['summarize', '-'], '\u0000\u0001\u0002garbage\u0000\n');
    expectClean({ code: a.status ?? -1, out: a.stdout, err: a.stderr }, 2);
  });
});
