import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TransactionImporter,
  importStream,
  importTransactions,
  isoDate,
  previewTransactions,
  rejectsToCsv,
} from '../../src/lib/data/index.ts';
import type { ImportOptions, ImportResult } from '../../src/lib/data/index.ts';

const FIX = join(import.meta.dirname, '../fixtures/data');
const load = (name: string, options: ImportOptions = {}): ImportResult =>
  importTransactions(readFileSync(join(FIX, name)), options);
const days = (r: ImportResult) => Array.from(r.transactions.day, isoDate);
const amounts = (r: ImportResult) => Array.from(r.transactions.amount ?? []);
const reasons = (r: ImportResult) => r.report.rejects.map((x) => `line ${x.line}: ${x.reason}`);
const codes = (r: ImportResult) => r.report.messages.map((m) => m.code);

describe('importTransactions: foreign and malformed files (test/fixtures/data, hand-made)', () => {
  it('GBK-encoded Chinese headers (客户ID, 下单时间, 实付金额, 渠道) decode and map by name', () => {
    const r = load('gbk_chinese.csv');
    expect(r.report.encoding).toBe('gb18030');
    expect(r.report.columns).toEqual(['客户ID', '下单时间', '实付金额', '渠道']);
    expect(r.report.mapping.customer?.name).toBe('客户ID');
    expect(r.report.mapping.date?.name).toBe('下单时间');
    expect(r.report.mapping.amount?.name).toBe('实付金额');
    expect(r.report.mapping.channel?.name).toBe('渠道');
    expect(r.transactions.customerIds).toEqual(['张三', '李四', '王五']);
    expect(days(r)).toEqual(['2024-03-01', '2024-03-02', '2024-03-15', '2024-04-01', '2024-04-03']);
    expect(amounts(r)).toEqual([1234.5, 88, 66.6, -20, 100]);
    expect(r.transactions.channels).toEqual(['天猫', '京东', '门店']);
    expect(r.report.negativeAmounts).toBe(1);
    expect(codes(r)).toContain('negative-amounts');
  });

  it('semicolon + comma decimals + DD.MM.YYYY (German export)', () => {
    const r = load('european_semicolon.csv');
    expect(r.report.delimiter).toBe(';');
    expect(r.report.decimalSeparator).toBe(',');
    expect(r.report.dateOrder).toBe('dmy');
    expect(amounts(r)).toEqual([1234.5, 99.9, 12, -5, 1000]);
    expect(days(r)).toEqual(['2024-01-31', '2024-02-05', '2024-02-14', '2024-03-01', '2024-02-29']);
  });

  it('Brazilian reais "R$ 1.234,56" with DD/MM/YYYY, date column found from its values ("data")', () => {
    const r = load('brazil_reais.csv');
    expect(amounts(r)).toEqual([500, 1234.56, 10]);
    expect(r.report.mapping.date).toMatchObject({ name: 'data' });
    expect(days(r)).toEqual(['2024-03-01', '2024-03-15', '2024-03-20']);
  });

  it('windows-1252 French file with "12,50 €" and "1 234,00"', () => {
    const r = load('latin1_french.csv');
    expect(r.report.encoding).toBe('windows-1252');
    expect(r.transactions.customerIds).toEqual(['Café Dupré', 'Crème']);
    expect(amounts(r)).toEqual([12.5, 1234, 3]);
  });

  it('UTF-16LE tab-separated with BOM (Excel "Unicode text")', () => {
    const r = load('utf16_tabs.txt');
    expect(r.report.encoding).toBe('utf-16le');
    expect(r.report.delimiter).toBe('\t');
    expect(amounts(r)).toEqual([1.5, 2.5]);
  });

  it('quoted fields with embedded newlines, delimiters and "" escapes; line numbers stay physical', () => {
    const r = load('quoted_multiline.csv');
    expect(r.report.rowsRead).toBe(5);
    expect(r.transactions.customerIds).toEqual(['Smith, John', 'O"Brien', 'A\nB', 'C3']);
    expect(amounts(r)).toEqual([10, 1000, 5.5, 7, 3]);
    // rows start on lines 2, 4, 5, 6, 10 (the first and fourth rows span 2 and 4 lines)
    expect(Array.from(r.transactions.line)).toEqual([2, 4, 5, 6, 10]);
  });

  it('BOM + CRLF: header names clean, rows read', () => {
    const r = load('bom_crlf.csv');
    expect(r.report.bom).toBe(true);
    expect(r.report.columns[0]).toBe('Customer ID');
    expect(r.report.accepted).toBe(3);
    expect(amounts(r)).toEqual([10, 20.5, 30]);
  });

  it('blank and whitespace-only lines are skipped, counted, and not rows', () => {
    const r = load('blank_lines.csv');
    expect(r.report).toMatchObject({ rowsRead: 3, accepted: 3, rejected: 0, blankLines: 5 });
  });

  it('short rows and rows with extra values are rejected with the reason; a trailing empty field is fine', () => {
    const r = load('short_rows.csv');
    expect(r.report).toMatchObject({ rowsRead: 6, accepted: 3, rejected: 3 });
    expect(reasons(r)).toEqual([
      'line 3: row has 2 fields but the header has 3 (missing "amount")',
      'line 4: row has 1 field but the header has 3 (missing "date", "amount")',
      'line 5: row has 4 fields but the header has 3 (an unquoted "," inside a value? quote such values)',
    ]);
  });

  it('bad dates: Feb 31, month 13, Feb 29 of a non-leap year, hour 25, text, empty', () => {
    const r = load('bad_dates.csv');
    expect(r.report).toMatchObject({ rowsRead: 9, accepted: 2, rejected: 7 });
    expect(reasons(r)).toEqual([
      'line 2: date "2024-02-31" is not a real date',
      'line 3: date "31/02/2024" is not a real date (dates are read as DD/MM/YYYY, decided by 2 date(s) in the first rows whose first number is above 12)',
      'line 4: date "not a date" is not a date (expected e.g. 2024-03-31, 20240331, 31/03/2024)',
      'line 5: date is empty',
      'line 6: date "2024-13-01" is not a real date',
      'line 8: date "2023-02-29" is not a real date',
      'line 10: date "2024-01-01 25:00:00" is not a real date',
    ]);
    expect(days(r)).toEqual(['2024-02-29', '2023-12-25']);
  });

  it('amounts: thousands, currency signs and codes, negatives and (parenthesised) refunds kept; text rejected', () => {
    const r = load('amounts.csv');
    expect(amounts(r)).toEqual([1234.5, 12, 1234, -3.2, -7.5, 1.5]);
    expect(r.report.negativeAmounts).toBe(2);
    expect(reasons(r)).toEqual([
      'line 5: amount "N/A" is not a number',
      'line 6: amount is empty',
      'line 10: amount "abc" is not a number',
      'line 11: amount "12.5%" is not a number',
    ]);
  });

  it('empty file: fatal, says what to do', () => {
    const r = load('empty.csv');
    expect(r.report.fatal).toMatch(/^the file is empty: choose a CSV/);
    expect(r.report).toMatchObject({ rowsRead: 0, accepted: 0, rejected: 0 });
  });

  it('unit price + quantity (UCI Online Retail layout): amount = Quantity × UnitPrice, M/D/YYYY H:MM dates', () => {
    const r = load('online_retail_style.csv');
    expect(r.report.mapping.orderId?.name).toBe('InvoiceNo');
    expect(codes(r)).toContain('amount-from-price');
    expect(r.report.dateOrder).toBe('mdy'); // decided by 12/13/2010
    const a = amounts(r);
    [6 * 2.55, 6 * 1.85, -1 * 27.5, 24 * 0.55].forEach((x, i) => expect(a[i]).toBeCloseTo(x, 12));
    expect(reasons(r)).toEqual(['line 5: customer id is empty']);
    expect(days(r)).toEqual(['2010-12-01', '2010-12-01', '2010-12-01', '2010-12-13']);
  });

  it('an Excel workbook (zip bytes) is named as such, with what to do', () => {
    const r = load('excel_workbook.xlsx');
    expect(r.report.fatal).toMatch(
      /^this is a zip archive \(an Excel \.xlsx workbook\?\), not a text file: save it as CSV/,
    );
    expect(r.report.accepted).toBe(0);
  });

  it('header only: fatal naming the columns found', () => {
    const r = load('header_only.csv');
    expect(r.report.fatal).toBe('the file has a header ("customer_id", "date", "amount") but no data rows');
  });

  it('missing date column: fatal naming the columns found; every row counted as rejected', () => {
    const r = load('missing_date.csv');
    expect(r.report.fatal).toBe(
      'no date column found (columns found: "customer", "amount"); name it explicitly (CLI: --date NAME)',
    );
    expect(r.report).toMatchObject({ rowsRead: 2, accepted: 0, rejected: 2 });
  });

  it('an explicit column name that does not exist is fatal and lists the columns', () => {
    const r = load('bom_crlf.csv', { mapping: { amount: 'Revenue' } });
    expect(r.report.fatal).toBe(
      'no column "Revenue" for the amount (columns found: "Customer ID", "Order Date", "Sales")',
    );
  });

  it('ambiguous slash dates are reported (read DD/MM until told); dateOrder decides', () => {
    const r = load('ambiguous_dates.csv');
    expect(r.report.dateOrderAmbiguous).toBe(true);
    expect(codes(r)).toContain('ambiguous-dates');
    expect(days(r)).toEqual(['2024-04-03', '2024-06-05', '2024-08-07']);
    const us = load('ambiguous_dates.csv', { dateOrder: 'mdy' });
    expect(us.report.dateOrderAmbiguous).toBe(false);
    expect(days(us)).toEqual(['2024-03-04', '2024-05-06', '2024-07-08']);
  });

  it('MM/DD/YYYY decided from the column (12/25/2024); 02/30/2024 rejected as not a real date', () => {
    const r = load('us_dates.csv');
    expect(r.report.dateOrder).toBe('mdy');
    expect(days(r)).toEqual(['2024-03-04', '2024-12-25', '2025-01-05']);
    expect(r.report.rejects.map((x) => x.line)).toEqual([4]);
  });

  it('the day/month order found late in a long file still applies to the rows before it', () => {
    const rows = ['customer,date,amount'];
    for (let i = 0; i < 5000; i++) rows.push(`c${i % 50},0${1 + (i % 9)}/0${1 + (i % 7)}/2024,1`);
    rows.push('c1,03/25/2024,1'); // the first proof: MM/DD
    const r = importTransactions(new TextEncoder().encode(rows.join('\n')));
    expect(r.report.dateOrder).toBe('mdy');
    expect(r.report.dateOrderAmbiguous).toBe(false);
    expect(isoDate(r.transactions.day[1])).toBe('2024-02-02');
    expect(isoDate(r.transactions.day[2])).toBe('2024-03-03');
    expect(isoDate(r.transactions.day[10])).toBe('2024-02-04'); // "02/04/2024" read as Feb 4
  });

  it('Excel serial dates (1900 system): 45000 = 2023-03-15', () => {
    const r = load('excel_serial.csv');
    expect(days(r)).toEqual(['2023-03-15', '2023-03-16', '2023-04-15']);
  });

  it('ISO with times and zones, RFC-style and month-name dates: the calendar date as written', () => {
    const r = load('iso_timezones.csv');
    expect(r.report.rejected).toBe(0);
    expect(days(r)).toEqual([
      '2024-03-01',
      '2024-03-01',
      '2024-03-05',
      '2024-03-06',
      '2024-03-08',
      '2024-03-09',
      '2024-03-09',
    ]);
  });

  it('unclosed quote: that row is rejected, the following rows are still read', () => {
    const r = load('unclosed_quote.csv');
    expect(r.report).toMatchObject({ rowsRead: 4, accepted: 3, rejected: 1 });
    expect(r.report.rejects[0].line).toBe(3);
    expect(r.report.rejects[0].reason).toMatch(/never closes/);
  });

  it('whitespace-separated without header (CDNOW layout): no header detected, columns mapped from values', () => {
    const r = load('whitespace_noheader.txt');
    expect(r.report).toMatchObject({ delimiter: 'whitespace', hasHeader: false, accepted: 3 });
    expect(r.report.mapping.date?.index).toBe(2);
    expect(r.report.mapping.amount?.index).toBe(4);
    expect(days(r)).toEqual(['1997-01-01', '1997-01-18', '1997-01-02']);
  });

  it('"sep=|" first line (Excel) sets the delimiter and is not a row', () => {
    const r = load('excel_sep_line.csv');
    expect(r.report).toMatchObject({ delimiter: '|', rowsRead: 2, accepted: 2 });
  });

  it('single customer and all purchases on one day each give a warning saying what to check', () => {
    expect(
      load('single_customer.csv').report.messages.find((m) => m.code === 'single-customer')?.text,
    ).toMatch(/one customer/);
    expect(load('one_day.csv').report.messages.find((m) => m.code === 'one-day')?.text).toMatch(
      /all purchases are on one day \(2024-01-01\)/,
    );
  });

  it('CDNOW_sample.txt: 6,919 rows, 2,357 customers, total $244,091.94 (Hardie read-me / shared data README)', () => {
    const r = load('cdnow/CDNOW_sample.txt', { mapping: { customer: 1, date: 2, amount: 4, quantity: 3 } });
    expect(r.report).toMatchObject({ rowsRead: 6919, accepted: 6919, rejected: 0, customers: 2357 });
    const total = amounts(r).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(244091.94, 6); // float sum of 6,919 cents values: 1e-6 is far below a cent
    expect(Array.from(r.transactions.quantity!).reduce((a, b) => a + b, 0)).toBe(16479);
  });

  it('rejectsToCsv writes line, reason and the raw row, quoted', () => {
    const csv = rejectsToCsv(load('bad_dates.csv').report.rejects);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('line,reason,raw');
    expect(lines[1]).toBe('2,"date ""2024-02-31"" is not a real date","A,2024-02-31,10"');
    expect(lines).toHaveLength(8);
  });

  it('streaming: 1-byte chunks give the same result as one push (multi-byte characters split)', () => {
    const bytes = readFileSync(join(FIX, 'gbk_chinese.csv'));
    const imp = new TransactionImporter();
    for (let i = 0; i < bytes.length; i++) imp.push(bytes.subarray(i, i + 1));
    const a = imp.finish();
    const b = importTransactions(bytes);
    expect(a.transactions.customerIds).toEqual(b.transactions.customerIds);
    expect(Array.from(a.transactions.day)).toEqual(Array.from(b.transactions.day));
    expect(a.report.rejects).toEqual(b.report.rejects);
  });

  it('streaming: a reused chunk buffer (as fs.readSync fills it) is safe', () => {
    const bytes = readFileSync(join(FIX, 'cdnow/CDNOW_sample.txt'));
    const imp = new TransactionImporter({ mapping: { customer: 1, date: 2, amount: 4 } });
    const chunk = new Uint8Array(4096);
    for (let o = 0; o < bytes.length; o += chunk.length) {
      const n = Math.min(chunk.length, bytes.length - o);
      chunk.set(bytes.subarray(o, o + n));
      imp.push(chunk.subarray(0, n));
      chunk.fill(0x41);
    }
    const r = imp.finish();
    expect(r.report).toMatchObject({ accepted: 6919, customers: 2357 });
  });

  it('importStream: progress after every chunk, and an abort stops it (returns undefined)', async () => {
    const bytes = readFileSync(join(FIX, 'cdnow/CDNOW_sample.txt'));
    async function* chunks() {
      for (let o = 0; o < bytes.length; o += 50_000) yield bytes.subarray(o, o + 50_000);
    }
    const seen: number[] = [];
    const r = await importStream(
      chunks(),
      { mapping: { customer: 1, date: 2, amount: 4 } },
      { onProgress: (p) => seen.push(p.bytesRead) },
    );
    expect(r?.report.accepted).toBe(6919);
    expect(seen).toEqual([50_000, 100_000, 150_000, 200_000, bytes.length]);
    const signal = { aborted: false };
    const stopped = await importStream(chunks(), {}, { onProgress: () => (signal.aborted = true), signal });
    expect(stopped).toBeUndefined();
  });

  it('previewTransactions: mapping and the first rows as text, from the first bytes only', () => {
    const p = previewTransactions(readFileSync(join(FIX, 'gbk_chinese.csv')), {}, 2);
    expect(p.report.mapping.date?.name).toBe('下单时间');
    expect(p.rows).toEqual([
      ['张三', '2024-03-01 10:15:00', '￥1,234.50', '天猫'],
      ['李四', '2024-03-02 11:00:00', '￥88', '京东'],
    ]);
    const cd = previewTransactions(readFileSync(join(FIX, 'cdnow/CDNOW_sample.txt')), {}, 1);
    expect(cd.rows).toEqual([['00004', '0001', '19970101', '2', '29.33']]);
  });
});
