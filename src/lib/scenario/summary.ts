/**
 * The customer summary a share link carries when the uploaded file itself is too large for a link: per
 * customer the numbers the purchase, spend and forecast cells fit on — calibration-period frequency,
 * recency, T and mean repeat spend (plus holdout purchases) and the same as of the observation end — and
 * nothing else (no customer ids, no dates of single purchases). Pure.
 *
 * Times are carried as whole days and divided by the unit's days on reading, exactly as `rfmSummary` does,
 * so the recipient's columns are bit-identical to the sender's: `encodeSharedSummary` checks this by
 * decoding its own output and returns null when any value differs (the link then carries fitted numbers
 * only). The cohort chart, the retention fit and the tracking plot need dated purchases and are not covered.
 *
 * Text form (JSON, stored as the recipient's upload):
 * `{"clvSummary":1,"unit","calibrationEnd","observationEnd","holdoutDays","A","X","R","M","out","x","r","m"}`
 * with A = days from first purchase to the observation end, X/R/M = frequency, recency (days) and total
 * repeat spend (mean × frequency) as of the observation end for every customer; `out` = indices of customers not in the
 * calibration fit (first seen after the calibration end); x/r/m the calibration values of the others, in order.
 */
import { DAYS_PER_UNIT, rfmSummary } from '../data/index.ts';
import { daysFromCivil } from '../data/dates.ts';
import type { TimeUnit, Transactions } from '../data/types.ts';
import { isCurrency, type Currency } from '../i18n/format.ts';
import type { Dataset, DatasetOptions, DatasetPayload, RfmPayload } from '../engine/types.ts';

/** Most customers a summary may hold (a hostile summary asking for more is refused). */
export const MAX_SUMMARY_CUSTOMERS = 2_000_000;

/** The columns of a shared summary, ready for the engine (times in `unit`). */
export interface SummaryColumns {
  unit: TimeUnit;
  /** The sender's currency (absent in summaries written before it was carried). */
  currency?: Currency;
  calibrationEnd: string;
  observationEnd: string;
  /** As of the observation end, every customer (the forecast's input). */
  current: {
    frequency: Float64Array;
    recency: Float64Array;
    T: Float64Array;
    monetaryValue: Float64Array | null;
  };
  /** Calibration period, customers first seen by the calibration end (the fits' input). */
  calibration: {
    index: Int32Array;
    frequency: Float64Array;
    recency: Float64Array;
    T: Float64Array;
    monetaryValue: Float64Array | null;
    holdoutFrequency: Float64Array;
    holdoutDuration: number;
  };
}

interface SummaryJson {
  clvSummary: 1;
  unit: TimeUnit;
  cur?: Currency;
  calibrationEnd: string;
  observationEnd: string;
  holdoutDays: number;
  A: number[];
  X: number[];
  R: number[];
  M: number[] | null;
  out: number[];
  x: number[];
  r: number[];
  m: number[] | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const dayNumber = (iso: string) => daysFromCivil(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10));

function sameBits(a: ArrayLike<number> | null | undefined, b: ArrayLike<number> | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Repeat-spend totals that give back each mean exactly (mean = total / x, as `rfmSummary` divides): the
 * total rounded to cents when that divides back to the same double (short text), else mean × x or the mean
 * itself. Example: a mean of 34.56 over x = 3 is carried as 103.68.
 */
function sums(mean: Float64Array, x: Float64Array): number[] {
  return Array.from(mean, (m, i) => {
    if (x[i] === 0) return 0;
    const t = m * x[i];
    const cents = Math.round(t * 100) / 100;
    // When even mean × x does not divide back exactly, encodeSharedSummary's own check refuses the summary.
    return cents / x[i] === m ? cents : t;
  });
}

/**
 * The summary text of a transaction-log dataset, or null when it cannot reproduce the sender's columns
 * exactly (then a link carries fitted numbers only). Example: the CDNOW sample gives 2,357 customers.
 */
export function encodeSharedSummary(
  p: DatasetPayload,
  currency?: Currency,
): { text: string; customers: number } | null {
  const tx = p.transactions as Transactions;
  const calEnd = p.calibrationEnd;
  const obsEnd = p.observationEnd;
  const full = rfmSummary(tx, { unit: p.unit, observationEnd: obsEnd });
  const cal = rfmSummary(tx, { unit: p.unit, observationEnd: obsEnd, calibrationEnd: calEnd });
  const dpu = DAYS_PER_UNIT[p.unit];
  const days = (v: number) => Math.round(v * dpu);
  const n = full.frequency.length;
  const j: SummaryJson = {
    clvSummary: 1,
    unit: p.unit,
    ...(currency ? { cur: currency } : {}),
    calibrationEnd: cal.calibrationEnd ?? '',
    observationEnd: full.observationEnd,
    holdoutDays: obsEnd - calEnd,
    A: Array.from(full.T, days),
    X: Array.from(full.frequency),
    R: Array.from(full.recency, days),
    M: full.monetaryValue ? sums(full.monetaryValue, full.frequency) : null,
    out: [],
    x: Array.from(cal.frequency),
    r: Array.from(cal.recency, days),
    m: cal.monetaryValue ? sums(cal.monetaryValue, cal.frequency) : null,
  };
  // Calibration customers are a subsequence of all customers (same order): walk both lists.
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (k < cal.customerIds.length && cal.customerIds[k] === full.customerIds[i]) k++;
    else j.out.push(i);
  }
  if (k !== cal.customerIds.length) return null;
  const text = JSON.stringify(j);
  const back = readSharedSummary(text);
  if ('error' in back) return null;
  const c = back.columns;
  const exact =
    sameBits(c.current.frequency, full.frequency) &&
    sameBits(c.current.recency, full.recency) &&
    sameBits(c.current.T, full.T) &&
    sameBits(c.current.monetaryValue, full.monetaryValue) &&
    sameBits(c.calibration.frequency, cal.frequency) &&
    sameBits(c.calibration.recency, cal.recency) &&
    sameBits(c.calibration.T, cal.T) &&
    sameBits(c.calibration.monetaryValue, cal.monetaryValue) &&
    sameBits(c.calibration.holdoutFrequency, cal.holdout?.frequency) &&
    c.calibration.holdoutDuration === cal.holdout?.duration;
  return exact ? { text, customers: n } : null;
}

/** True when a text is a shared summary (cheap test on its start). */
export function isSharedSummaryText(text: string): boolean {
  return /^\s*\{\s*"clvSummary"\s*:/.test(text.slice(0, 64));
}

function intList(v: unknown, n: number, what: string, min = 0): Float64Array | string {
  if (!Array.isArray(v) || v.length !== n) return `${what}: expected ${n} values`;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min)
      return `${what}: value ${i + 1} is not a whole number >= ${min}`;
    out[i] = x;
  }
  return out;
}
function moneyList(v: unknown, n: number, what: string): Float64Array | null | string {
  if (v === null) return null;
  if (!Array.isArray(v) || v.length !== n) return `${what}: expected ${n} values`;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || Math.abs(x) > 1e15)
      return `${what}: value ${i + 1} is not a finite amount`;
    out[i] = x;
  }
  return out;
}

/**
 * Reads a shared summary text; never throws. Every field is checked (types, lengths, whole days, recency
 * within the customer's age, indices in range), so a hostile summary gives `{ error }` and nothing else.
 */
export function readSharedSummary(text: string): { columns: SummaryColumns } | { error: string } {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return { error: 'the customer summary is not valid JSON' };
  }
  const bad = (m: string) => ({ error: `customer summary: ${m}` });
  if (typeof j !== 'object' || j === null || Array.isArray(j)) return bad('not an object');
  const s = j as Record<string, unknown>;
  if (s.clvSummary !== 1) return bad(`unknown version ${String(s.clvSummary).slice(0, 10)}`);
  const unit = s.unit;
  if (unit !== 'day' && unit !== 'week' && unit !== 'month') return bad('unit must be day, week or month');
  const cal = s.calibrationEnd;
  const obs = s.observationEnd;
  if (typeof cal !== 'string' || typeof obs !== 'string' || !ISO.test(cal) || !ISO.test(obs))
    return bad('calibration and observation ends must be YYYY-MM-DD dates');
  const D = s.holdoutDays;
  if (typeof D !== 'number' || !Number.isSafeInteger(D) || D <= 0 || D !== dayNumber(obs) - dayNumber(cal))
    return bad('holdoutDays must be the days from the calibration end to the observation end');
  if (!Array.isArray(s.A) || s.A.length === 0 || s.A.length > MAX_SUMMARY_CUSTOMERS)
    return bad(`between 1 and ${MAX_SUMMARY_CUSTOMERS} customers expected`);
  const n = s.A.length;
  const A = intList(s.A, n, 'A');
  const X = intList(s.X, n, 'X');
  const R = intList(s.R, n, 'R');
  const M = moneyList(s.M, n, 'M');
  const out =
    Array.isArray(s.out) && s.out.length <= n ? intList(s.out, s.out.length, 'out') : 'out: not a list';
  for (const v of [A, X, R, M, out]) if (typeof v === 'string') return bad(v);
  const [a, xf, rf, mf, o] = [A, X, R, M, out] as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array | null,
    Float64Array,
  ];
  const left = new Uint8Array(n);
  for (let i = 0; i < o.length; i++) {
    if (o[i] >= n || (i > 0 && o[i] <= o[i - 1]))
      return bad('out: indices must increase and stay below the customer count');
    left[o[i]] = 1;
  }
  const m = n - o.length;
  const x = intList(s.x, m, 'x');
  const r = intList(s.r, m, 'r');
  const mc = moneyList(s.m, m, 'm');
  for (const v of [x, r, mc]) if (typeof v === 'string') return bad(v);
  if ((mf === null) !== (mc === null)) return bad('M and m must both be present or both null');
  const dpu = DAYS_PER_UNIT[unit];
  // M and m are repeat-spend totals: the mean is total / x (0 without repeat purchases).
  const meanOf = (tot: Float64Array | null, freq: Float64Array) =>
    tot && tot.map((t, i) => (freq[i] > 0 ? t / freq[i] : 0));
  const current = {
    frequency: xf,
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValue: meanOf(mf, xf),
  };
  const index = new Int32Array(m);
  const calibration = {
    index,
    frequency: x as Float64Array,
    recency: new Float64Array(m),
    T: new Float64Array(m),
    monetaryValue: meanOf(mc as Float64Array | null, x as Float64Array),
    holdoutFrequency: new Float64Array(m),
    holdoutDuration: D / dpu,
  };
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (rf[i] > a[i] || (xf[i] === 0 && rf[i] !== 0))
      return bad(`customer ${i + 1}: recency must lie within the customer's age`);
    current.recency[i] = rf[i] / dpu;
    current.T[i] = a[i] / dpu;
    if (left[i]) continue;
    const age = a[i] - D;
    const xi = (x as Float64Array)[k];
    const ri = (r as Float64Array)[k];
    if (age < 0 || ri > age || xi > xf[i] || (xi === 0 && ri !== 0))
      return bad(`customer ${i + 1}: calibration values do not fit the customer's history`);
    index[k] = i;
    calibration.recency[k] = ri / dpu;
    calibration.T[k] = age / dpu;
    calibration.holdoutFrequency[k] = xf[i] - xi;
    k++;
  }
  const currency = isCurrency(s.cur) ? s.cur : undefined;
  if (s.cur !== undefined && !currency) return bad('unknown currency');
  return {
    columns: {
      unit,
      ...(currency ? { currency } : {}),
      calibrationEnd: cal,
      observationEnd: obs,
      current,
      calibration,
    },
  };
}

const UNIT_WORD = { day: 'days', week: 'weeks', month: 'months' } as const;

/**
 * A shared summary as a dataset: an RFM payload (calibration columns with holdout, for the fits) with the
 * as-of-observation-end columns in `current` (for the forecast). Customers are numbered 1..n in the
 * sender's order (the summary carries no ids). Throws the reader's message on a bad summary.
 */
export function datasetFromSharedSummary(name: string, text: string, options: DatasetOptions = {}): Dataset {
  const read = readSharedSummary(text);
  if ('error' in read) throw new Error(read.error);
  const c = read.columns;
  const n = c.current.frequency.length;
  const ids = Array.from({ length: n }, (_, i) => String(i + 1));
  const cal = c.calibration;
  const payload: RfmPayload = {
    kind: 'rfm',
    unit: c.unit,
    daysPerUnit: DAYS_PER_UNIT[c.unit],
    customerIds: Array.from(cal.index, (i) => ids[i]),
    frequency: cal.frequency,
    recency: cal.recency,
    T: cal.T,
    monetaryValue: cal.monetaryValue,
    holdout: {
      frequency: cal.holdoutFrequency,
      duration: new Float64Array(cal.frequency.length).fill(cal.holdoutDuration),
    },
    current: { customerIds: ids, ...c.current },
  };
  let transactions = 0;
  let repeaters = 0;
  for (let i = 0; i < n; i++) {
    transactions += c.current.frequency[i] + 1;
    if (c.current.frequency[i] > 0) repeaters++;
  }
  const kindNote = `a customer summary from a share link (${n} customers, ${UNIT_WORD[c.unit]})`;
  return {
    kind: 'rfm',
    name,
    // The recipient's own choice, else the sender's currency carried by the summary.
    currency: options.currency && options.currency !== 'auto' ? options.currency : (c.currency ?? 'USD'),
    timeUnit: UNIT_WORD[c.unit],
    summary: {
      customers: n,
      // Purchase days (same-day purchases merged), the only count a summary knows.
      transactions,
      revenue: NaN,
      repeaters,
      firstDate: '',
      lastDate: '',
      calibrationEnd: c.calibrationEnd,
      observationEnd: c.observationEnd,
    },
    report: {
      accepted: n,
      rejected: 0,
      rowsRead: n,
      problems: [],
      rejects: [],
      messages: [
        {
          level: 'info',
          code: 'summary-shared',
          text: `customer summary from a share link: ${n} customers, calibration end ${c.calibrationEnd}, observation end ${c.observationEnd}; the cohort chart and the retention fit need the original file`,
          params: { customers: n, excluded: n - cal.frequency.length },
        },
      ],
      columns: [],
      mapping: {},
      encoding: 'UTF-8',
      delimiter: ',',
      dateOrder: 'ymd',
      dateOrderAmbiguous: false,
      negativeAmounts: 0,
      kindNote,
    },
    payload,
  };
}
