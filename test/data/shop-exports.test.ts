// Issue 12 (data layer): the two realistic shop exports of test/fixtures/shop-exports.ts read end to end.
// Every expected count comes from the generator's own list of orders (its `truth`), never from the code tested.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine } from '../../src/lib/engine/index.ts';
import type { Dataset, DatasetOptions, DatasetPayload } from '../../src/lib/engine/types.ts';
import {
  AUTO_CAL_END,
  chineseExport,
  englishExport,
  isoOf,
  makeShopExports,
} from '../fixtures/shop-exports.ts';
import { runCli } from './cli-helpers.ts';

const FIX = join(import.meta.dirname, '../fixtures');
const read = (name: string) => new Uint8Array(readFileSync(join(FIX, name)));
const load = (name: string, options: DatasetOptions = {}): Dataset =>
  engine.loadBytes({ name, bytes: read(name), options });
const LAST = 546; // 2024-06-30, days since 2023-01-01 (the generator's last day)

const zh = chineseExport().truth;
const en = englishExport().truth;

describe('shop export fixtures', () => {
  it('the committed files are exactly what the generator writes (small: < 300 KB each)', () => {
    for (const [name, bytes] of Object.entries(makeShopExports())) {
      expect(Buffer.compare(Buffer.from(read(name)), Buffer.from(bytes)), name).toBe(0);
      expect(bytes.length).toBeLessThan(300_000);
    }
  });

  it('exercise what they are for: refunds, orphans, bad rows, first-day customers on the calibration end and the last day', () => {
    expect(zh.nettedRows).toBeGreaterThan(30);
    expect(zh.fullyRefunded).toBeGreaterThan(5);
    expect(zh.unmatchedLines).toHaveLength(2);
    expect(zh.badLines).toHaveLength(3);
    expect(zh.firstOnCalEnd).toBeGreaterThan(0);
    expect(zh.firstOnLastDay).toBeGreaterThan(0);
    expect(en.nettedRows).toBeGreaterThan(20);
    expect(en.unmatchedLines).toHaveLength(1);
  });
});

describe('GB18030 export with Chinese headers, ￥ amounts and refunds by order id', () => {
  const d = load('shop-export-gb18030.csv');

  it('reads GB18030, maps the Chinese headers and detects CNY', () => {
    expect(d.report.encoding).toBe('gb18030');
    expect(d.report.mapping.customer?.name).toBe('客户ID');
    expect(d.report.mapping.orderId?.name).toBe('订单号');
    expect(d.report.mapping.amount?.name).toBe('实付金额');
    expect(d.currency).toBe('CNY');
    expect(d.report.currencyDetected).toBe('CNY');
  });

  it('every row accounted for: bad dates and unmatched refunds rejected with their line numbers', () => {
    expect(d.report.rowsRead).toBe(zh.rowsRead);
    expect(d.report.accepted + d.report.rejected).toBe(zh.rowsRead);
    const lines = d.report.rejects.map((r) => r.line).sort((a, b) => a - b);
    expect(lines).toEqual([...zh.badLines, ...zh.unmatchedLines].sort((a, b) => a - b));
    const orphan = d.report.rejects.find((r) => r.code === 'refund-unmatched')!;
    expect(orphan.reason).toMatch(/has no purchase of that order in the file/);
  });

  it('refunds net against their order: purchases, repeat buyers and revenue as the orders say', () => {
    const s = d.summary;
    expect(s.refunds).toMatchObject({
      rows: zh.refundRows,
      netted: zh.nettedRows,
      byOrder: zh.nettedRows,
      byPurchase: 0,
      fullyRefunded: zh.fullyRefunded,
      unmatched: 2,
    });
    expect(s.refunds!.amount).toBeCloseTo(zh.nettedAmount, 6);
    expect(s.transactions).toBe(zh.rows);
    expect(s.customers).toBe(zh.customers);
    expect(s.repeaters).toBe(zh.repeaters);
    expect(s.revenue).toBeCloseTo(zh.revenue, 4);
    const netted = d.report.messages.find((m) => m.code === 'refunds-netted')!;
    expect(netted.params.rows).toBe(zh.nettedRows);
  });

  it('automatic calibration end: customers first seen on or after it are holdout only, and counted', () => {
    expect(d.summary.calibrationEnd).toBe(isoOf(AUTO_CAL_END));
    expect(d.summary.calibrationHow).toBe('auto');
    const split = zh.split(AUTO_CAL_END);
    expect(d.summary.holdoutOnly).toBe(split.holdoutOnly);
    expect(d.summary.calibrationCustomers).toBe(split.calibration);
    const m = d.report.messages.find((x) => x.code === 'holdout-only')!;
    expect(m.text).toContain(`first bought on or after the calibration end ${isoOf(AUTO_CAL_END)}`);
    expect(m.params.customers).toBe(split.holdoutOnly);
  });

  it('purchase and spend models fit and say whom they used; the forecast runs', () => {
    const split = zh.split(AUTO_CAL_END);
    const p = engine.fitPurchase({ data: d.payload, model: 'bgnbd' });
    expect(p.report.n).toBe(split.calibration);
    expect(p.customers).toEqual({
      used: split.calibration,
      total: zh.customers,
      excluded: [{ reason: 'holdout-only', customers: split.holdoutOnly }],
      calibrationEnd: isoOf(AUTO_CAL_END),
    });
    expect(engine.fitPurchase({ data: d.payload, model: 'pnbd' }).customers?.used).toBe(split.calibration);
    const g = engine.fitSpend({ data: d.payload });
    expect(g.used).toBe(split.calibrationRepeaters);
    expect(g.customers?.excluded).toEqual([
      { reason: 'holdout-only', customers: split.holdoutOnly },
      { reason: 'no-repeat', customers: split.calibration - split.calibrationRepeaters },
    ]);
    const f = engine.forecast({
      data: d.payload,
      purchase: p.report,
      spend: g.report,
      horizonMonths: 12,
      annualDiscount: 0.1,
      seed: 1,
    });
    expect(f.ids).toHaveLength(zh.customers);
    expect(Number.isFinite(f.total) && f.total > 0).toBe(true);
  });

  it('the tracking plot marks the calibration end the dataset uses', () => {
    const p = engine.fitPurchase({ data: d.payload, model: 'bgnbd' });
    // weeks since the first purchase day (2023-01-01), as trackingCurves counts them
    expect(p.tracking.calibrationEnd).toBeCloseTo((AUTO_CAL_END - 0 + 1) / 7, 9);
    const w = load('shop-export-gb18030.csv', { holdoutWeeks: 13 });
    const pw = engine.fitPurchase({ data: w.payload, model: 'bgnbd' });
    expect(pw.tracking.calibrationEnd).toBeCloseTo((LAST - 91 + 1) / 7, 9);
  });

  it('the calibration control: last N weeks or a date change the split and the holdout-only count', () => {
    const w = load('shop-export-gb18030.csv', { holdoutWeeks: 13 });
    expect(w.summary.calibrationEnd).toBe(isoOf(LAST - 91));
    expect(w.summary.calibrationHow).toBe('weeks');
    expect(w.summary.holdoutOnly).toBe(zh.split(LAST - 91).holdoutOnly);
    const t = load('shop-export-gb18030.csv', { calibrationEnd: isoOf(300) });
    expect(t.summary.calibrationHow).toBe('date');
    expect(t.summary.holdoutOnly).toBe(zh.split(300).holdoutOnly);
    expect(t.summary.holdoutOnly).not.toBe(w.summary.holdoutOnly);
    expect(engine.fitSpend({ data: t.payload }).used).toBe(zh.split(300).calibrationRepeaters);
  });

  it('a calibration end on the last day leaves no holdout: a clear error that names what to change', () => {
    expect(() => load('shop-export-gb18030.csv', { calibrationEnd: isoOf(LAST) })).toThrow(
      /must come before the observation end .*choose an earlier date/,
    );
    expect(() => load('shop-export-gb18030.csv', { holdoutWeeks: 200 })).toThrow(/choose fewer weeks/);
  });

  it('cohort revenue is net of refunds and refunds are no activity', () => {
    const rev = engine.cohorts({ data: d.payload, period: 'month', measure: 'revenue' });
    let total = 0;
    for (const row of rev.values) for (const v of row) if (Number.isFinite(v)) total += v;
    expect(total).toBeCloseTo(zh.revenue, 4);
    const cust = engine.cohorts({ data: d.payload, period: 'month', measure: 'customers' });
    expect(cust.sizes.reduce((a, b) => a + b, 0)).toBe(zh.customers);
  });

  it('the user can say the amounts are yen', () => {
    expect(load('shop-export-gb18030.csv', { currency: 'JPY' }).currency).toBe('JPY');
  });
});

describe('English export with £ amounts, UK dates and refunds without an order column', () => {
  const d = load('shop-export-en.csv');

  it('detects GBP and DD/MM dates', () => {
    expect(d.currency).toBe('GBP');
    expect(d.report.dateOrder).toBe('dmy');
  });

  it("refunds net against the customer's latest purchase day on or before them", () => {
    expect(d.summary.refunds).toMatchObject({
      rows: en.refundRows,
      netted: en.nettedRows,
      byOrder: 0,
      byPurchase: en.nettedRows,
      fullyRefunded: en.fullyRefunded,
      unmatched: 1,
    });
    expect(d.summary.refunds!.amount).toBeCloseTo(en.nettedAmount, 6);
    expect(d.summary.transactions).toBe(en.rows);
    expect(d.summary.customers).toBe(en.customers);
    expect(d.summary.repeaters).toBe(en.repeaters);
    expect(d.summary.revenue).toBeCloseTo(en.revenue, 4);
    const orphan = d.report.rejects.find((r) => r.code === 'refund-unmatched')!;
    expect(orphan.line).toBe(en.unmatchedLines[0]);
    expect(orphan.reason).toMatch(/has no earlier purchase by customer "UK\d+" to net against/);
  });

  it('the RFM the models see has as many purchase days as the orders say', () => {
    const p = d.payload as DatasetPayload;
    const rfm = engine.fitSpend({ data: p });
    const split = en.split(AUTO_CAL_END);
    expect(rfm.used).toBe(split.calibrationRepeaters);
  });
});

describe('clv summarize agrees with the workbench', () => {
  it('same calibration end, same holdout-only count, same netting', async () => {
    const split = zh.split(AUTO_CAL_END);
    const r = await runCli([
      'summarize',
      join(FIX, 'shop-export-gb18030.csv'),
      '--unit',
      'week',
      '--calibration-end',
      'auto',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.calibrationEnd).toBe(isoOf(AUTO_CAL_END));
    expect(j.holdoutOnlyCustomers).toBe(split.holdoutOnly);
    expect(j.summarizedCustomers).toBe(split.calibration);
    expect(j.refunds.netted).toBe(zh.nettedRows);
    expect(j.refunds.fullyRefunded).toBe(zh.fullyRefunded);
    expect(r.err).toContain(
      `${split.holdoutOnly} customer(s) first bought on or after the calibration end ${isoOf(AUTO_CAL_END)}`,
    );
    for (const line of zh.unmatchedLines) expect(r.err).toContain(`line ${line}: refund`);
    const w = await runCli([
      'summarize',
      join(FIX, 'shop-export-gb18030.csv'),
      '--holdout-weeks',
      '13',
      '--json',
    ]);
    expect(JSON.parse(w.out).holdoutOnlyCustomers).toBe(zh.split(LAST - 91).holdoutOnly);
  });

  it('clv cohorts: revenue net of refunds', async () => {
    const r = await runCli(['cohorts', join(FIX, 'shop-export-en.csv'), '--period', 'month']);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n');
    const head = rows[0].split(',');
    const k = head.indexOf('revenue');
    const total = rows.slice(1).reduce((a, line) => a + Number(line.split(',')[k]), 0);
    expect(total).toBeCloseTo(en.revenue, 4);
  });
});
