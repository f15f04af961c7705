import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importTransactions } from '../../src/lib/data/index.ts';
import { engine } from '../../src/lib/engine/index.ts';
import type { ImportOptions, ImportResult } from '../../src/lib/data/index.ts';
import {
  FATAL_CAUSES,
  MESSAGE_CODES,
  REJECT_CODES,
  importMessageText,
  rejectText,
} from '../../src/lib/i18n/importMessages.ts';

const FIX = join(import.meta.dirname, '../fixtures/data');
const enc = (s: string) => new TextEncoder().encode(s);
const CJK = /[\u4e00-\u9fff]/;

/** Hand-made files that make the importer produce each reject and message code (the code in a comment). */
const CASES: Array<[string, string, ImportOptions?]> = [
  // empty-row, too-few-fields, too-many-fields, date-empty, amount-empty, customer-empty, amount-not-a-number
  [
    'structure',
    'customer,date,amount\nA,2024-01-05,10\n,,\nB,2024-01-06\nC,2024-01-07,5,x,y\nD,,3\nE,2024-01-08,\n,2024-01-09,4\nF,2024-01-10,abc\nA,2024-02-01,-3\n',
  ],
  // date-not-a-date, date-not-real, date-out-of-range, amount-too-large
  [
    'values',
    'customer,date,amount\nA,2024-01-05,10\nB,not a date,5\nC,2024-02-30,5\nD,0001-01-01,5\nE,2024-01-06,"1e20"\nF,2024-01-07,5\n',
  ],
  // date-not-real-order decided by a line; decided by option; decided by the sample (mixed-dates)
  // (the first 2,000 rows are the sample; the order is decided later, by line 2,102)
  ['order-line', `customer,date,amount\n${'A,05/01/2024,10\n'.repeat(2100)}B,25/01/2024,5\nC,02/30/2024,5\n`],
  ['order-option', 'customer,date,amount\nA,05/01/2024,10\nB,13/13/2024,5\n', { dateOrder: 'dmy' }],
  ['order-sample', 'customer,date,amount\nA,25/01/2024,10\nB,26/01/2024,5\nC,01/27/2024,5\nD,02/30/2024,3\n'],
  // unclosed-quote
  ['quote', 'customer,date,amount\nA,2024-01-05,10\nB,"2024-01-06,5\nC,2024-01-07,5\n'],
  // quantity × unit price: amount-from-price, quantity-empty, quantity-not-a-number, bad-quantity
  [
    'price',
    'InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n1,A,2024-01-05,2,3.5\n2,B,2024-01-06,,3\n3,C,2024-01-07,x,3\n4,D,2024-01-08,1e10,1e10\n5,E,2024-01-09,1,1\n',
  ],
  // preamble
  ['preamble', '2024-01-31\ncustomer,date,amount\nA,2024-01-05,10\nB,2024-01-06,3\n'],
  // dotted-dates, no-amount
  ['dotted', 'customer,date\nA,05.01.2024\nB,06.01.2024\n'],
  // bad-quantity (a quantity column beside a real amount column)
  ['quantity', 'customer,date,amount,quantity\nA,2024-01-05,10,x\nB,2024-01-06,3,1\n'],
  // ambiguous-dates, single-customer
  ['ambiguous', 'customer,date,amount\nA,05/01/2024,10\nA,06/02/2024,5\n'],
  // one-day
  ['one-day', 'customer,date,amount\nA,2024-01-05,10\nB,2024-01-05,5\n'],
  // fatal causes
  ['empty-file', ''],
  ['blank-only', '\n\n  \n'],
  ['no-data-rows', 'customer,date,amount\n'],
  ['missing-column', 'customer,amount\nA,10\nB,5\n'],
  ['unknown-column', 'customer,date,amount\nA,2024-01-05,10\n', { mapping: { amount: 'price' } }],
  ['unknown-column-number', 'customer,date,amount\nA,2024-01-05,10\n', { mapping: { amount: 7 } }],
  ['no-row-readable', 'customer,date,amount\nA,nope,10\nB,nah,5\n'],
  // a first row longer than the 64 KB sample (a quote that never closes at the top)
  ['no-complete-row', `"customer,date,amount\n${'A,2024-01-05,10\n'.repeat(6000)}`],
  ['binary', 'PK\u0003\u0004rest-of-a-zip'],
];

function fixtures(): Array<[string, ImportResult]> {
  const out: Array<[string, ImportResult]> = [];
  for (const f of readdirSync(FIX)) {
    const p = join(FIX, f);
    if (statSync(p).isFile()) out.push([f, importTransactions(readFileSync(p))]);
  }
  return out;
}

/**
 * Messages and rejects added after the import, when the dataset is built (issue 12): refunds netted and
 * unmatched (refunds.ts), customers first seen on or after the calibration end (calibration.ts).
 */
function datasetCase(): [string, ImportResult] {
  const d = engine.loadBytes({
    name: 'refunds.csv',
    bytes: enc(
      'order,customer,date,amount\n1,A,2024-01-01,¥100\n2,B,2024-01-05,¥30\n1,A,2024-01-04,-¥40\n9,B,2024-01-06,-¥3\n3,A,2024-03-01,¥20\n4,C,2024-03-20,¥9\n',
    ),
    options: { import: { mapping: { orderId: 'order' } }, calibrationEnd: '2024-03-01' },
  });
  return ['dataset', { report: d.report, transactions: null } as unknown as ImportResult];
}

const RESULTS: Array<[string, ImportResult]> = [
  ...CASES.map(([name, csv, o]): [string, ImportResult] => [name, importTransactions(enc(csv), o ?? {})]),
  ...fixtures(),
  datasetCase(),
];

describe('import messages in English and 简体中文', () => {
  it('English rendering equals the importer’s own English for every reject and message produced', () => {
    let n = 0;
    for (const [name, r] of RESULTS) {
      for (const x of r.report.rejects) {
        expect(rejectText('en', x), `${name} line ${x.line} (${x.code})`).toBe(x.reason);
        n++;
      }
      for (const m of r.report.messages) {
        expect(importMessageText('en', m), `${name} message ${m.code}`).toBe(m.text);
        n++;
      }
    }
    expect(n).toBeGreaterThan(40);
  });

  it('the test files exercise every reject code, every message code and every fatal cause', () => {
    const rejects = new Set<string>();
    const messages = new Set<string>();
    const causes = new Set<string>();
    for (const [, r] of RESULTS) {
      for (const x of r.report.rejects) rejects.add(x.code);
      for (const m of r.report.messages) {
        messages.add(m.code);
        if (m.code === 'fatal') causes.add(String(m.params.cause));
      }
    }
    expect([...REJECT_CODES].filter((c) => !rejects.has(c))).toEqual([]);
    // rejects-truncated needs > 100 rows rejected for a fatal reason; checked with sample params below
    expect([...MESSAGE_CODES].filter((c) => !messages.has(c) && c !== 'rejects-truncated')).toEqual([]);
    expect([...FATAL_CAUSES].filter((c) => !causes.has(c))).toEqual([]);
  });

  it('Chinese rendering exists (not the English fallback) for every reject and message produced', () => {
    for (const [name, r] of RESULTS) {
      for (const x of r.report.rejects) {
        const zh = rejectText('zh', x);
        expect(zh, `${name} line ${x.line} (${x.code})`).not.toBe(x.reason);
        expect(zh).toMatch(CJK);
        // raw values from the file stay quoted exactly as written
        if (typeof x.params.value === 'string') expect(zh).toContain(x.params.value);
      }
      for (const m of r.report.messages) {
        const zh = importMessageText('zh', m);
        expect(zh, `${name} message ${m.code}`).not.toBe(m.text);
        expect(zh).toMatch(CJK);
      }
    }
  });

  it('samples: Chinese wording, values quoted as written, counts grouped per locale', () => {
    const values = RESULTS.find(([n]) => n === 'values')![1];
    const notDate = values.report.rejects.find((x) => x.code === 'date-not-a-date')!;
    expect(rejectText('zh', notDate)).toBe(
      '日期“not a date”无法识别为日期（应类似 2024-03-31、20240331、31/03/2024）',
    );
    expect(rejectText('zh', { code: 'date-not-real', params: { value: ' 31/02/2024' }, reason: 'x' })).toBe(
      '日期“ 31/02/2024”不是真实存在的日期',
    );
    expect(importMessageText('zh', { code: 'negative-amounts', params: { rows: 12345 }, text: 'x' })).toMatch(
      /^12,345 行的金额为负/,
    );
    expect(importMessageText('en', { code: 'negative-amounts', params: { rows: 12345 }, text: 'x' })).toMatch(
      /^12,345 row\(s\)/,
    );
    const trunc = {
      code: 'rejects-truncated',
      params: { listed: 100 },
      text: 'every row is rejected for the same reason; the first 100 are listed',
    };
    expect(importMessageText('en', trunc)).toBe(trunc.text);
    expect(importMessageText('zh', trunc)).toBe('所有行都因同一原因被拒绝；仅列出前 100 行');
    const all = RESULTS.find(([n]) => n === 'no-row-readable')![1];
    const fatal = all.report.messages.find((m) => m.code === 'fatal')!;
    const byLine = RESULTS.find(([n]) => n === 'order-line')![1].report.rejects[0];
    expect(byLine.params.decidedBy).toBe('line');
    expect(rejectText('zh', byLine)).toBe(
      '日期“02/30/2024”不是真实存在的日期（日期按 DD/MM/YYYY 读取；依据：第 2,102 行的“25/01/2024”）',
    );
    expect(importMessageText('zh', fatal)).toBe(
      '全部 2 行都无法读取（第 2 行：日期无法识别）；请修正文件或列映射',
    );
  });

  it('unknown codes and missing params fall back to the English text', () => {
    const r = { code: 'some-new-code', params: { value: 'x' }, reason: 'a new English reason' };
    expect(rejectText('zh', r)).toBe('a new English reason');
    expect(rejectText('en', r)).toBe('a new English reason');
    const m = { code: 'brand-new', params: {}, text: 'a new English message' };
    expect(importMessageText('zh', m)).toBe('a new English message');
    // a known code without the value its template needs: fallback, never "undefined"
    expect(
      rejectText('zh', { code: 'date-not-real', params: {}, reason: 'date "?" is not a real date' }),
    ).toBe('date "?" is not a real date');
    expect(
      importMessageText('zh', { code: 'fatal', params: { cause: 'new-cause' }, text: 'fatal english' }),
    ).toBe('fatal english');
    expect(
      importMessageText('zh', {
        code: 'mapping',
        params: { customer: 'id', customerHow: 'guessed' },
        text: 'map',
      }),
    ).toBe('map');
  });
});
