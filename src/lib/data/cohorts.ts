/**
 * Acquisition-cohort tables and survival counts.
 *
 * A customer's cohort is the calendar period (ISO week starting Monday, calendar month or quarter) of their
 * first purchase; period k of a cohort is the k-th calendar period after it (k = 0 is the acquisition period).
 * A cell (cohort, k) is observed when its period starts on or before the observation end, and complete when its
 * period ends on or before it; unobserved cells are NaN (never 0) and incomplete ones are flagged, because a
 * half-observed month looks like churn otherwise (right censoring).
 *
 * Survival counts: alive(cohort, k) = customers of the cohort whose last purchase falls in period k or later —
 * the "still a customer at renewal k" count of a contractual business (Fader & Hardie 2007, "How to project
 * customer retention", J. Interactive Marketing 21(1), Table 1), non-increasing in k by construction. Only
 * complete periods are listed, in the `cohort,period,alive` layout the sBG/BdW fit reads.
 */
import { civilFromDays, daysFromCivil, isoDate } from './dates.ts';
import { customerGroups } from './group.ts';
import { dayOption } from './rfm.ts';
import { DataError } from './errors.ts';
import type { CohortOptions, CohortPeriod, CohortTable, SurvivalRow, Transactions } from './types.ts';

/** Remainder with the sign of the divisor (0..m-1 for negative i too). */
function mod(i: number, m: number): number {
  return ((i % m) + m) % m;
}

/**
 * Cohort index of a customer left out of the table (first purchase after the observation end). Period indices
 * are negative before 1970 for weeks (week of 1969-12-28 = -1, of 1900-01-01 = -3,653), so -1 cannot mark
 * "none"; INT32_MIN is below any period index of a supported date and fits the Int32Array.
 */
const NO_COHORT = -0x80000000;

/** Calendar period arithmetic for one period kind. */
interface PeriodKind {
  index(day: number): number;
  start(index: number): number;
  label(index: number): string;
}

/** Period helpers: index (integer, consecutive periods differ by 1), first day, label. */
export function periodKind(period: CohortPeriod): PeriodKind {
  if (period === 'week')
    return {
      // day 0 (1970-01-01) is a Thursday; weeks start on Monday (ISO 8601)
      index: (d) => Math.floor((d + 3) / 7),
      start: (i) => i * 7 - 3,
      label: (i) => isoDate(i * 7 - 3),
    };
  if (period === 'month')
    return {
      index: (d) => {
        const c = civilFromDays(d);
        return c.year * 12 + c.month - 1;
      },
      start: (i) => daysFromCivil(Math.floor(i / 12), mod(i, 12) + 1, 1),
      label: (i) => `${Math.floor(i / 12)}-${String(mod(i, 12) + 1).padStart(2, '0')}`,
    };
  if (period === 'quarter')
    return {
      index: (d) => {
        const c = civilFromDays(d);
        return c.year * 4 + Math.floor((c.month - 1) / 3);
      },
      start: (i) => daysFromCivil(Math.floor(i / 4), mod(i, 4) * 3 + 1, 1),
      label: (i) => `${Math.floor(i / 4)}-Q${mod(i, 4) + 1}`,
    };
  throw new DataError(`cohort period must be week, month or quarter (got "${String(period)}")`);
}

interface CohortWork {
  table: CohortTable;
  /** Per cohort row, histogram of customers' last active period offset (for survival). */
  lastHist: Float64Array;
}

function build(tx: Transactions, options: CohortOptions): CohortWork {
  const period = options.period ?? 'month';
  const pk = periodKind(period);
  if (tx.n === 0)
    throw new DataError('there are no accepted transactions to build cohorts from: check the import report');
  const g = customerGroups(tx);
  const obsEnd = dayOption('observation end', options.observationEnd) ?? g.maxDay;
  if (obsEnd < g.minDay)
    throw new DataError(
      `observation end ${isoDate(obsEnd)} is before the first purchase (${isoDate(g.minDay)}): choose a later observation end`,
    );
  // period index per day, via a lookup table over the observed day range
  const D = obsEnd - g.minDay + 1;
  const pidx = new Int32Array(D);
  {
    let d = g.minDay;
    while (d <= obsEnd) {
      const i = pk.index(d);
      const next = Math.min(pk.start(i + 1), obsEnd + 1);
      pidx.fill(i, d - g.minDay, next - g.minDay);
      d = next;
    }
  }
  const lastP = pidx[D - 1];
  const C = tx.customerIds.length;
  const { order, start } = g;
  const day = g.sortedDay;
  // cohort index per customer
  const custP = new Int32Array(C);
  let minP = Infinity;
  let maxP = -Infinity;
  for (let c = 0; c < C; c++) {
    const f = day[start[c]];
    if (f > obsEnd) {
      custP[c] = NO_COHORT;
      continue;
    }
    const p = pidx[f - g.minDay];
    custP[c] = p;
    if (p < minP) minP = p;
    if (p > maxP) maxP = p;
  }
  // only non-empty cohorts, in time order
  const span = maxP - minP + 1;
  const sizeByP = new Int32Array(span);
  for (let c = 0; c < C; c++) if (custP[c] !== NO_COHORT) sizeByP[custP[c] - minP]++;
  const rowOf = new Int32Array(span).fill(-1);
  let R = 0;
  for (let k = 0; k < span; k++) if (sizeByP[k] > 0) rowOf[k] = R++;
  const K = lastP - minP + 1;
  const cells = R * K;
  const active = new Float64Array(cells);
  const orders = new Float64Array(cells);
  const revenue = new Float64Array(cells);
  const lastHist = new Float64Array(cells);
  const amount = g.sortedAmount;
  const ord = tx.order;
  const orderStamp = ord ? new Int32Array(tx.orderIds!.length).fill(-1) : null;
  for (let c = 0; c < C; c++) {
    const p0 = custP[c];
    if (p0 === NO_COHORT) continue;
    const base = rowOf[p0 - minP] * K;
    let lastK = -1;
    for (let j = start[c]; j < start[c + 1]; j++) {
      const d = day[j];
      if (d > obsEnd) break;
      const k = pidx[d - g.minDay] - p0;
      const cell = base + k;
      if (k !== lastK) {
        active[cell]++;
        lastK = k;
      }
      if (orderStamp) {
        const o = ord![order[j]];
        if (orderStamp[o] !== cell) {
          orderStamp[o] = cell;
          orders[cell]++;
        }
      } else orders[cell]++;
      if (amount) revenue[cell] += amount[j];
    }
    lastHist[base + lastK]++;
  }
  const size = new Int32Array(R);
  const cohortStart = new Int32Array(R);
  const cohorts = new Array<string>(R);
  for (let k = 0; k < span; k++) {
    const r = rowOf[k];
    if (r < 0) continue;
    size[r] = sizeByP[k];
    cohortStart[r] = pk.start(minP + k);
    cohorts[r] = pk.label(minP + k);
  }
  const activePct = new Float64Array(cells);
  const rpc = new Float64Array(cells);
  const cum = new Float64Array(cells);
  const complete = new Uint8Array(cells);
  for (let r = 0; r < R; r++) {
    const p0 = pk.index(cohortStart[r]);
    let run = 0;
    for (let k = 0; k < K; k++) {
      const cell = r * K + k;
      const p = p0 + k;
      if (p > lastP) {
        active[cell] = orders[cell] = revenue[cell] = activePct[cell] = rpc[cell] = cum[cell] = NaN;
        continue;
      }
      complete[cell] = pk.start(p + 1) - 1 <= obsEnd ? 1 : 0;
      activePct[cell] = (active[cell] / size[r]) * 100;
      rpc[cell] = revenue[cell] / size[r];
      run += rpc[cell];
      cum[cell] = run;
      if (!Number.isFinite(run) || !Number.isFinite(revenue[cell]))
        throw new DataError(
          `the revenue of cohort ${cohorts[r]}, period ${k} is not a finite number (${revenue[cell]}): amounts must be finite and within ±1e15 — re-import the file so such rows are rejected`,
        );
    }
  }
  const table: CohortTable = {
    period,
    cohorts,
    cohortStart,
    size,
    periods: K,
    active,
    activePct,
    orders,
    revenue,
    revenuePerCustomer: rpc,
    cumulativeRevenuePerCustomer: cum,
    complete,
    observationEnd: isoDate(obsEnd),
  };
  return { table, lastHist };
}

/**
 * Acquisition-cohort table (see the module comment). Example (CDNOW sample, month): 3 cohorts 1997-01 … 1997-03
 * with 781 / 713 / 863 customers (the 2,357 of Fader, Hardie & Lee 2005), periods 0..17, every cell complete
 * (observation end 1998-06-30 ends a month); active(1997-01, 0) = 781 (100 %).
 */
export function cohortTable(tx: Transactions, options: CohortOptions = {}): CohortTable {
  return build(tx, options).table;
}

/**
 * Survival counts per cohort and complete period: `{cohort, period, alive}` rows, alive(0) = cohort size,
 * alive(k) = customers whose last purchase is in period k or later (non-increasing). Feed to the sBG/BdW fit.
 */
export function survivalCounts(tx: Transactions, options: CohortOptions = {}): SurvivalRow[] {
  const { table, lastHist } = build(tx, options);
  const K = table.periods;
  const out: SurvivalRow[] = [];
  for (let r = 0; r < table.cohorts.length; r++) {
    const alive = new Float64Array(K);
    let run = 0;
    for (let k = K - 1; k >= 0; k--) {
      run += lastHist[r * K + k];
      alive[k] = run;
    }
    for (let k = 0; k < K; k++) {
      if (!table.complete[r * K + k]) break;
      out.push({ cohort: table.cohorts[r], period: k, alive: alive[k] });
    }
  }
  return out;
}
