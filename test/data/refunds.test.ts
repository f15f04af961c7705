// Refund netting (src/lib/data/refunds.ts), the calibration split (calibration.ts) and the currency the amount
// reader records (numbers.ts): one `it` per rule, on logs small enough to check by hand.
import { describe, expect, it } from 'vitest';
import {
  calibrationSplit,
  importTransactions,
  isoDate,
  netRefunds,
  rfmSummary,
} from '../../src/lib/data/index.ts';
import { AMOUNT_CURRENCIES, amountScratch, parseAmountBytes } from '../../src/lib/data/numbers.ts';

const tx = (csv: string, mapping = {}) =>
  importTransactions(new TextEncoder().encode(csv), { mapping }).transactions;
const rows = (t: ReturnType<typeof tx>) =>
  Array.from({ length: t.n }, (_, i) => [t.customerIds[t.customer[i]], isoDate(t.day[i]), t.amount![i]]);

describe('netRefunds', () => {
  it('nothing to net: the same Transactions object comes back', () => {
    const t = tx('customer,date,amount\nA,2024-01-01,5\nA,2024-01-09,0\n');
    expect(netRefunds(t).transactions).toBe(t);
  });

  it('by order id: a partial refund lowers its order, never a purchase of its own', () => {
    const t = tx('order,customer,date,amount\n1,A,2024-01-01,100\n2,A,2024-01-10,30\n1,A,2024-01-04,-40\n', {
      orderId: 'order',
    });
    const { transactions: n, refunds } = netRefunds(t);
    expect(rows(n)).toEqual([
      ['A', '2024-01-01', 60],
      ['A', '2024-01-10', 30],
    ]);
    expect(refunds).toMatchObject({
      refundRows: 1,
      nettedRows: 1,
      byOrder: 1,
      nettedAmount: -40,
      fullyRefunded: 0,
    });
  });

  it('a fully refunded order is no purchase; a customer with nothing left is dropped', () => {
    const t = tx(
      'order,customer,date,amount\n1,A,2024-01-01,100\n2,B,2024-01-02,50\n1,A,2024-01-04,-100\n3,B,2024-01-20,10\n',
      { orderId: 'order' },
    );
    const { transactions: n, refunds } = netRefunds(t);
    expect(n.customerIds).toEqual(['B']);
    expect(rows(n)).toEqual([
      ['B', '2024-01-02', 50],
      ['B', '2024-01-20', 10],
    ]);
    expect(refunds).toMatchObject({ fullyRefunded: 1, fullyRefundedRows: 1, customersDropped: 1 });
  });

  it('without order ids: against the latest purchase day on or before the refund (same day counts)', () => {
    const t = tx(
      'customer,date,amount\nA,2024-01-01,100\nA,2024-01-05,20\nA,2024-01-05,-5\nA,2024-01-06,-10\nA,2024-01-09,7\n',
    );
    const { transactions: n, refunds } = netRefunds(t);
    // both refunds land on 2024-01-05 (the latest purchase day on or before 01-05 and 01-06): 20 - 5 - 10 = 5
    expect(rows(n)).toEqual([
      ['A', '2024-01-01', 100],
      ['A', '2024-01-05', 5],
      ['A', '2024-01-09', 7],
    ]);
    expect(refunds).toMatchObject({ byPurchase: 2, nettedAmount: -15 });
  });

  it('without order ids: a day refunded to <= 0 is no purchase (over-refunds are not carried on)', () => {
    const t = tx('customer,date,amount\nA,2024-01-01,100\nA,2024-01-05,20\nA,2024-01-08,-25\n');
    const { transactions: n, refunds } = netRefunds(t);
    expect(rows(n)).toEqual([['A', '2024-01-01', 100]]);
    expect(refunds.fullyRefunded).toBe(1);
    expect(rfmSummary(n).frequency[0]).toBe(0); // the refund made no repeat purchase
  });

  it('a refund with nothing to net against is reported with its line and reason, never dropped silently', () => {
    const t = tx('customer,date,amount\nA,2024-01-05,10\nB,2024-01-01,-3\nA,2024-01-02,-4\n');
    const { transactions: n, refunds } = netRefunds(t);
    expect(rows(n)).toEqual([['A', '2024-01-05', 10]]);
    expect(refunds.unmatched.map((r) => [r.line, r.code])).toEqual([
      [3, 'refund-unmatched'],
      [4, 'refund-unmatched'],
    ]);
    expect(refunds.unmatched[0].reason).toBe(
      'refund -3.00 on 2024-01-01 has no earlier purchase by customer "B" to net against: left out',
    );
  });

  it('a refund of an order not in the file is reported, not netted against another order', () => {
    const t = tx('order,customer,date,amount\n1,A,2024-01-01,10\n9,A,2024-01-03,-4\n', { orderId: 'order' });
    const { refunds } = netRefunds(t);
    expect(refunds.nettedRows).toBe(0);
    expect(refunds.unmatched[0].params.order).toBe('9');
  });
});

describe('calibrationSplit', () => {
  const t = tx(
    'customer,date,amount\nA,2024-01-01,1\nA,2024-03-01,1\nB,2024-02-01,1\nC,2024-03-31,1\nD,2024-04-01,1\n',
  );
  // first 2024-01-01 (day 19723), last 2024-04-01 (day 19814): range 91 days, 2/3 -> day 19784 = 2024-03-02

  it('automatic: two thirds of the way from the first to the last purchase', () => {
    const s = calibrationSplit(t);
    expect([isoDate(s.calibrationEnd), s.how, s.holdoutOnly, s.calibrationCustomers]).toEqual([
      '2024-03-02',
      'auto',
      2,
      2,
    ]);
  });

  it('a customer first seen ON the calibration end is holdout only (T would be 0)', () => {
    const s = calibrationSplit(t, { calibrationEnd: '2024-03-31' });
    expect(s.holdoutOnly).toBe(2); // C on the day, D after
    const r = rfmSummary(t, { calibrationEnd: '2024-03-31' });
    expect(r.customerIds).toEqual(['A', 'B']);
    expect(Math.min(...r.T)).toBeGreaterThan(0);
  });

  it('last N weeks: the calibration end is the observation end minus 7N days', () => {
    const s = calibrationSplit(t, { holdoutWeeks: 2 });
    expect([isoDate(s.calibrationEnd), s.how, s.holdoutOnly]).toEqual(['2024-03-18', 'weeks', 2]);
  });

  it('a date wins over weeks; impossible splits say what to change', () => {
    expect(calibrationSplit(t, { calibrationEnd: '2024-02-15', holdoutWeeks: 2 }).how).toBe('date');
    expect(() => calibrationSplit(t, { holdoutWeeks: 20 })).toThrow(/choose fewer weeks/);
    expect(() => calibrationSplit(t, { calibrationEnd: '2024-04-01' })).toThrow(/choose an earlier date/);
    expect(() => calibrationSplit(t, { calibrationEnd: '2023-12-01' })).toThrow(/choose a later date/);
  });
});

describe('currency of an amount', () => {
  const code = (text: string) => {
    const s = amountScratch();
    const b = new TextEncoder().encode(text);
    parseAmountBytes(b, 0, b.length, '.', s);
    return [s.value, AMOUNT_CURRENCIES[s.code]];
  };
  it.each([
    ['¥1,234.50', 1234.5, 'YEN'],
    ['￥88.80', 88.8, 'YEN'],
    ['-￥159.37', -159.37, 'YEN'],
    ['12 元', 12, 'CNY'],
    ['RMB 12', 12, 'CNY'],
    ['CNY12', 12, 'CNY'],
    ['RMB ¥12', 12, 'CNY'],
    ['$12.50', 12.5, 'USD'],
    ['US$ 12', 12, 'USD'],
    ['12 USD', 12, 'USD'],
    ['€1.234,50', 1234.5, 'EUR'],
    ['12 EUR', 12, 'EUR'],
    ['R$ 500,00', 500, 'BRL'],
    ['£1,234.50', 1234.5, 'GBP'],
    ['GBP 3', 3, 'GBP'],
    ['JPY 1200', 1200, 'JPY'],
    ['1200円', 1200, 'JPY'],
    ['12 kr', 12, 'OTHER'],
    ['12.50', 12.5, ''],
  ])('%s -> %s %s', (text, value, cur) => {
    expect(code(text)).toEqual([value, cur]);
  });

  it('the import records the majority currency, says ¥ may be JPY, and warns about mixed currencies', () => {
    const r = importTransactions(
      new TextEncoder().encode('customer,date,amount\nA,2024-01-01,¥5\nB,2024-01-02,¥6\nC,2024-01-03,$1\n'),
    );
    expect(r.report.currency).toBe('CNY');
    expect(r.report.currencyRows).toEqual({ YEN: 2, USD: 1 });
    expect(r.report.messages.find((m) => m.code === 'currency')?.params).toEqual({
      code: 'CNY',
      rows: 2,
      yen: 1,
    });
    expect(r.report.messages.some((m) => m.code === 'mixed-currencies')).toBe(true);
  });
});
