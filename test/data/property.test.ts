import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TransactionImporter, importTransactions } from '../../src/lib/data/index.ts';
import type { ImportResult } from '../../src/lib/data/index.ts';

function chunked(bytes: Uint8Array, cuts: number[]): ImportResult {
  const imp = new TransactionImporter();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  for (const p of points) {
    imp.push(bytes.subarray(prev, p));
    prev = p;
  }
  imp.push(bytes.subarray(prev));
  return imp.finish();
}

function same(a: ImportResult, b: ImportResult): void {
  expect(a.report.rowsRead).toBe(b.report.rowsRead);
  expect(a.report.accepted).toBe(b.report.accepted);
  expect(a.report.rejects).toEqual(b.report.rejects);
  expect(a.transactions.customerIds).toEqual(b.transactions.customerIds);
  expect(Array.from(a.transactions.day)).toEqual(Array.from(b.transactions.day));
  expect(Array.from(a.transactions.amount ?? [])).toEqual(Array.from(b.transactions.amount ?? []));
}

// Bytes biased towards CSV structure: delimiters, quotes, CR/LF, digits, dates, UTF-8 and GBK lead bytes.
const csvByte = fc.oneof(
  fc.constantFrom(
    ...[44, 59, 9, 34, 10, 13, 32, 45, 46, 47, 48, 49, 50, 51, 57, 0xe5, 0x81, 0xa5, 0xef, 0xbb, 0xbf].map(
      (b) => b,
    ),
  ),
  fc.integer({ min: 0, max: 255 }),
);
const header = fc.constantFrom(
  'customer,date,amount\n',
  'id;datum;betrag\n',
  '客户ID\t日期\t金额\n',
  '',
  'sep=;\n',
);

describe('importer properties (fast-check)', () => {
  it('random bytes: never throws, accepted + rejected = rows read, chunked == whole', () => {
    fc.assert(
      fc.property(
        header,
        fc.array(csvByte, { maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (h, body, cuts) => {
          const bytes = new Uint8Array([...new TextEncoder().encode(h), ...body]);
          const whole = importTransactions(bytes);
          const r = whole.report;
          expect(r.accepted + r.rejected).toBe(r.rowsRead);
          expect(r.accepted).toBe(whole.transactions.n);
          if (r.fatal === undefined) expect(r.rejects.length).toBe(r.rejected);
          same(chunked(bytes, cuts), whole);
        },
      ),
      { numRuns: 400, seed: 20261122 },
    );
  });

  const field = fc.oneof(
    fc.constantFrom(
      '2024-02-29',
      '2024-02-31',
      '31/12/2024',
      '12/31/2024',
      '20240105',
      '45000',
      '',
      'x',
      '"a,b"',
      '"q""q"',
      '1,234.50',
      '-3',
      '¥88',
      'N/A',
    ),
    fc.stringMatching(/^[A-Za-z0-9 .]{0,6}$/),
  );
  const row = fc.array(field, { minLength: 1, maxLength: 5 }).map((f) => f.join(','));

  it('generated CSV: every non-blank line after the header is a row, accepted or rejected with its line', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 5 }),
        (rows, eol, cuts) => {
          const text = ['customer,date,amount', ...rows].join(eol) + eol;
          const bytes = new TextEncoder().encode(text);
          const whole = importTransactions(bytes);
          const dataLines = rows.filter((r) => r.trim() !== '').length;
          expect(whole.report.rowsRead).toBe(dataLines);
          expect(whole.report.accepted + whole.report.rejected).toBe(dataLines);
          const lines = new Set([
            ...Array.from(whole.transactions.line),
            ...whole.report.rejects.map((x) => x.line),
          ]);
          if (whole.report.fatal === undefined) expect(lines.size).toBe(dataLines);
          same(chunked(bytes, cuts), whole);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
