/**
 * Rows grouped by customer and sorted by day within each customer: a stable counting sort by customer
 * (O(n + customers)), then a stable sort of each customer's few rows by day (skipped when already in order). Shared by the RFM summary and the cohort
 * tables; memoized per Transactions object (the columns are never mutated).
 */
import type { Transactions } from './types.ts';

/** Row order grouped by customer (index order), days ascending within a customer (file order on ties). */
export interface CustomerGroups {
  /** Row indices; customer c's rows are order[start[c] .. start[c + 1]). */
  order: Int32Array;
  /** Offsets into `order`, length customers + 1. */
  start: Int32Array;
  /** Days in group order (sortedDay[j] = tx.day[order[j]]): sequential reads for the summaries. */
  sortedDay: Int32Array;
  /** Amounts in group order, or null without an amount column. */
  sortedAmount: Float64Array | null;
  /** Smallest and largest day number in the data (NaN-free; 0 when empty). */
  minDay: number;
  maxDay: number;
}

const cache = new WeakMap<Transactions, CustomerGroups>();

/** Groups the rows of `tx` by customer, days ascending. Example: rows (B,d2),(A,d1),(B,d1) -> A:[1], B:[2,0]. */
export function customerGroups(tx: Transactions): CustomerGroups {
  const hit = cache.get(tx);
  if (hit) return hit;
  const n = tx.n;
  const C = tx.customerIds.length;
  const day = tx.day;
  const cust = tx.customer;
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = day[i];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  if (n === 0) minDay = maxDay = 0;
  // stable counting sort by customer (file order within a customer) ...
  const start = new Int32Array(C + 1);
  for (let i = 0; i < n; i++) start[cust[i] + 1]++;
  for (let c = 1; c <= C; c++) start[c] += start[c - 1];
  const pos = start.slice(0, C);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[pos[cust[i]]++] = i;
  const sortedDay = new Int32Array(n);
  for (let j = 0; j < n; j++) sortedDay[j] = day[order[j]];
  // ... then days ascending within each customer (stable; most logs are already in date order)
  for (let c = 0; c < C; c++) {
    const s = start[c];
    const e = start[c + 1];
    let sorted = true;
    for (let j = s + 1; j < e; j++)
      if (sortedDay[j] < sortedDay[j - 1]) {
        sorted = false;
        break;
      }
    if (sorted) continue;
    if (e - s <= 48) {
      for (let j = s + 1; j < e; j++) {
        const d = sortedDay[j];
        const o = order[j];
        let k = j - 1;
        while (k >= s && sortedDay[k] > d) {
          sortedDay[k + 1] = sortedDay[k];
          order[k + 1] = order[k];
          k--;
        }
        sortedDay[k + 1] = d;
        order[k + 1] = o;
      }
    } else {
      const idx = Array.from(order.subarray(s, e)).sort((x, y) => day[x] - day[y] || x - y);
      for (let j = s; j < e; j++) {
        order[j] = idx[j - s];
        sortedDay[j] = day[order[j]];
      }
    }
  }
  let sortedAmount: Float64Array | null = null;
  if (tx.amount) {
    const a = tx.amount;
    sortedAmount = new Float64Array(n);
    for (let j = 0; j < n; j++) sortedAmount[j] = a[order[j]];
  }
  const g = { order, start, sortedDay, sortedAmount, minDay, maxDay };
  cache.set(tx, g);
  return g;
}
