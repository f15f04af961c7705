/**
 * Refunds (rows with a negative amount) netted against the purchase they undo, before any summary: RFM, cohorts,
 * the tracking plot and the forecast all read the netted transactions, so a refund never counts as a purchase.
 *
 * Rules (one place; the app's dataset, its cohorts and `clv summarize` / `clv cohorts` all call netRefunds):
 * - with an order-id column, a refund nets against the rows of its own order (same order id, any date);
 * - without one (or when the refund's order id is blank), it nets against the customer's latest purchase day on
 *   or before the refund's date (the last such row in file order takes the amount; RFM merges the day anyway);
 * - a purchase (an order, or a customer's day) whose net amount after its refunds is <= 0 is fully refunded and
 *   is no purchase: its rows are left out and counted. An over-refund beyond its purchase is not carried on to
 *   another purchase. A zero-amount row without a refund (a free order) stays a purchase;
 * - a refund with nothing to net against (no purchase of that order in the file, or no earlier purchase by that
 *   customer) is left out and reported with its line number and reason (code `refund-unmatched`).
 * Customers left with no row are dropped from the customer list (the others keep their order of appearance).
 * Example: purchase 100 on 2024-03-01 and -40 on 2024-03-04 by one customer -> one purchase of 60 on 2024-03-01.
 */
import { customerGroups } from './group.ts';
import { isoDate } from './dates.ts';
import { formatCount } from './importer.ts';
import type { ImportMessage, RejectedRow, Transactions } from './types.ts';

/** What netting did, for the import report and the CLI's stderr note. Amounts in the file's currency units. */
export interface RefundReport {
  /** Rows with a negative amount. */
  refundRows: number;
  /** Refund rows netted against a purchase, and the sum of their amounts (<= 0). */
  nettedRows: number;
  nettedAmount: number;
  /** Of the netted rows: matched by order id / against the customer's latest earlier purchase day. */
  byOrder: number;
  byPurchase: number;
  /** Purchases (orders or customer-days) whose net is <= 0 after their refunds, and their purchase rows. */
  fullyRefunded: number;
  fullyRefundedRows: number;
  /** Customers with no row left (only unmatched refunds, or every purchase fully refunded). */
  customersDropped: number;
  /** Refunds with nothing to net against: line, reason (code `refund-unmatched`). */
  unmatched: RejectedRow[];
}

const NO_REFUNDS: RefundReport = {
  refundRows: 0,
  nettedRows: 0,
  nettedAmount: 0,
  byOrder: 0,
  byPurchase: 0,
  fullyRefunded: 0,
  fullyRefundedRows: 0,
  customersDropped: 0,
  unmatched: [],
};

/** Money in messages: two decimals, thousands grouped ("1,234.50"). */
function money(x: number): string {
  const [i, f] = Math.abs(x).toFixed(2).split('.');
  return `${x < 0 ? '-' : ''}${formatCount(Number(i))}.${f}`;
}

/** A net at or below this fraction of its gross purchase amount counts as zero (float rounding of sums). */
const REL_EPS = 1e-9;

/**
 * Nets refunds into their purchases (rules in the module comment). Returns the same Transactions object when
 * there is nothing to net (no amount column, no negative amount), else new compact columns.
 * Example: rows (A, d1, 100, order 1), (A, d4, -100, order 1), (A, d9, 30, order 2) -> one row (A, d9, 30),
 * fullyRefunded 1, nettedRows 1, nettedAmount -100.
 */
export function netRefunds(tx: Transactions): { transactions: Transactions; refunds: RefundReport } {
  const amount = tx.amount;
  const n = tx.n;
  let refundRows = 0;
  if (amount) for (let i = 0; i < n; i++) if (amount[i] < 0) refundRows++;
  if (!amount || refundRows === 0) return { transactions: tx, refunds: { ...NO_REFUNDS, unmatched: [] } };

  const net = Float64Array.from(amount.subarray(0, n));
  const keep = new Uint8Array(n).fill(1);
  // target row of each netted refund's purchase unit: orders (by order index) and customer-days (by row)
  const ord = tx.order;
  const orderIds = tx.orderIds;
  const blankOrder = orderIds ? orderIds.indexOf('') : -1;
  const orderAnchor = ord && orderIds ? new Int32Array(orderIds.length).fill(-1) : null;
  const orderGross = orderAnchor ? new Float64Array(orderAnchor.length) : null;
  const orderRefunded = orderAnchor ? new Uint8Array(orderAnchor.length) : null;
  if (ord && orderAnchor && orderGross)
    for (let i = 0; i < n; i++) {
      const o = ord[i];
      if (amount[i] >= 0 && o !== blankOrder) {
        if (orderAnchor[o] < 0) orderAnchor[o] = i;
        orderGross[o] += amount[i];
      }
    }
  const g = customerGroups(tx);
  const posOf = new Int32Array(n);
  for (let j = 0; j < n; j++) posOf[g.order[j]] = j;
  const dayRefunded = new Uint8Array(n); // by row: a customer-day refund landed on this row
  const unmatched: RejectedRow[] = [];
  let byOrder = 0;
  let byPurchase = 0;
  let nettedAmount = 0;
  const C = tx.customerIds.length;
  const custEnd = (c: number) => g.start[c + 1];
  for (let i = 0; i < n; i++) {
    const a = amount[i];
    if (!(a < 0)) continue;
    keep[i] = 0;
    const c = tx.customer[i];
    const o = ord ? ord[i] : -1;
    if (orderAnchor && o >= 0 && o !== blankOrder) {
      const anchor = orderAnchor[o];
      if (anchor < 0) {
        unmatched.push(
          unmatchedRow(
            tx,
            i,
            `refund ${money(a)} of order "${orderIds![o]}" has no purchase of that order in the file: left out`,
            { order: orderIds![o] },
          ),
        );
        continue;
      }
      net[anchor] += a;
      orderRefunded![o] = 1;
      byOrder++;
      nettedAmount += a;
      continue;
    }
    // the customer's latest non-refund row on or before the refund's day (last in file order on that day)
    const d = tx.day[i];
    let k = posOf[i];
    const e = custEnd(c);
    while (k + 1 < e && g.sortedDay[k + 1] === d) k++;
    const s = g.start[c];
    while (k >= s && amount[g.order[k]] < 0) k--;
    if (k < s) {
      unmatched.push(
        unmatchedRow(
          tx,
          i,
          `refund ${money(a)} on ${isoDate(d)} has no earlier purchase by customer "${tx.customerIds[c]}" to net against: left out`,
          {},
        ),
      );
      continue;
    }
    const target = g.order[k];
    net[target] += a;
    dayRefunded[target] = 1;
    byPurchase++;
    nettedAmount += a;
  }

  // fully refunded purchases: orders, then customer-days, whose net is <= 0
  let fullyRefunded = 0;
  let fullyRefundedRows = 0;
  if (ord && orderRefunded && orderGross) {
    const orderNet = new Float64Array(orderRefunded.length);
    for (let i = 0; i < n; i++) if (keep[i] && ord[i] !== blankOrder) orderNet[ord[i]] += net[i];
    const gone = new Uint8Array(orderRefunded.length);
    for (let o = 0; o < gone.length; o++)
      if (orderRefunded[o] && orderNet[o] <= REL_EPS * orderGross[o]) {
        gone[o] = 1;
        fullyRefunded++;
      }
    for (let i = 0; i < n; i++)
      if (keep[i] && ord[i] !== blankOrder && gone[ord[i]]) {
        keep[i] = 0;
        fullyRefundedRows++;
      }
  }
  for (let c = 0; c < C; c++) {
    const e = g.start[c + 1];
    for (let j = g.start[c]; j < e;) {
      let k = j;
      const d = g.sortedDay[j];
      let hit = false;
      let sum = 0;
      let gross = 0;
      while (k < e && g.sortedDay[k] === d) {
        const r = g.order[k];
        if (keep[r]) {
          if (dayRefunded[r]) hit = true;
          sum += net[r];
          gross += amount[r];
        }
        k++;
      }
      if (hit && sum <= REL_EPS * gross) {
        fullyRefunded++;
        for (let q = j; q < k; q++)
          if (keep[g.order[q]]) {
            keep[g.order[q]] = 0;
            fullyRefundedRows++;
          }
      }
      j = k;
    }
  }

  // compact columns, customers re-indexed in order of first appearance among the rows kept
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i];
  const newIndex = new Int32Array(C).fill(-1);
  const customerIds: string[] = [];
  const customer = new Int32Array(m);
  const day = new Int32Array(m);
  const amt = new Float64Array(m);
  const line = new Int32Array(m);
  const quantity = tx.quantity ? new Float64Array(m) : null;
  const order = ord ? new Int32Array(m) : null;
  const channel = tx.channel ? new Int32Array(m) : null;
  for (let i = 0, w = 0; i < n; i++) {
    if (!keep[i]) continue;
    const c = tx.customer[i];
    if (newIndex[c] < 0) {
      newIndex[c] = customerIds.length;
      customerIds.push(tx.customerIds[c]);
    }
    customer[w] = newIndex[c];
    day[w] = tx.day[i];
    amt[w] = net[i];
    line[w] = tx.line[i];
    if (quantity) quantity[w] = tx.quantity![i];
    if (order) order[w] = ord![i];
    if (channel) channel[w] = tx.channel![i];
    w++;
  }
  unmatched.sort((x, y) => x.line - y.line);
  return {
    transactions: {
      n: m,
      customer,
      customerIds,
      day,
      amount: amt,
      quantity,
      order,
      orderIds: tx.orderIds,
      channel,
      channels: tx.channels,
      line,
    },
    refunds: {
      refundRows,
      nettedRows: byOrder + byPurchase,
      nettedAmount,
      byOrder,
      byPurchase,
      fullyRefunded,
      fullyRefundedRows,
      customersDropped: C - customerIds.length,
      unmatched,
    },
  };
}

function unmatchedRow(
  tx: Transactions,
  i: number,
  reason: string,
  extra: Record<string, string>,
): RejectedRow {
  return {
    line: tx.line[i],
    reason,
    raw: '',
    code: 'refund-unmatched',
    params: {
      amount: money(tx.amount![i]),
      date: isoDate(tx.day[i]),
      customer: tx.customerIds[tx.customer[i]],
      ...extra,
    },
  };
}

/**
 * The report's messages about netting (codes `refunds-netted`, `refunds-unmatched`), empty without refunds.
 * Example: "3 refund row(s) totalling -250.00 were netted against their purchases (3 by order id, 0 against
 * the customer's latest earlier purchase); 1 fully refunded purchase(s) (net <= 0) are not counted as purchases".
 */
export function refundMessages(r: RefundReport): ImportMessage[] {
  const out: ImportMessage[] = [];
  if (r.nettedRows > 0)
    out.push({
      level: 'info',
      code: 'refunds-netted',
      text: `${formatCount(r.nettedRows)} refund row(s) totalling ${money(r.nettedAmount)} were netted against their purchases (${formatCount(r.byOrder)} by order id, ${formatCount(r.byPurchase)} against the customer's latest earlier purchase); ${formatCount(r.fullyRefunded)} fully refunded purchase(s) (net <= 0) are not counted as purchases`,
      params: {
        rows: r.nettedRows,
        amount: money(r.nettedAmount),
        byOrder: r.byOrder,
        byPurchase: r.byPurchase,
        fullyRefunded: r.fullyRefunded,
      },
    });
  if (r.unmatched.length > 0)
    out.push({
      level: 'warning',
      code: 'refunds-unmatched',
      text: `${formatCount(r.unmatched.length)} refund row(s) have no purchase to net against and are left out (listed with the rejected rows)`,
      params: { rows: r.unmatched.length },
    });
  return out;
}
