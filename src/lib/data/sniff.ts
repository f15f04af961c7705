/**
 * Sniffing a transaction file from its first bytes: text encoding, delimiter, header row, which column is
 * the customer / date / amount (from English and Chinese header names, then from the values), and the
 * decimal separator and day/month order the values prove. Runs once per import on a bounded sample.
 */
import { RecordScanner, WHITESPACE } from './scanner.ts';
import { DateKind, dateScratch, parseDateBytes } from './dates.ts';
import { amountScratch, parseAmountBytes } from './numbers.ts';
import type { ColumnChoice, ColumnMapping, ColumnRole } from './types.ts';

/** Encodings the importer decodes. */
export type Encoding = 'utf-8' | 'gb18030' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * Guesses the encoding of the first bytes of a file: a BOM decides; else valid UTF-8 is UTF-8; else byte pairs
 * that fit GBK (lead 0x81-0xFE, trail 0x40-0xFE) mean GB18030, isolated high bytes mean windows-1252.
 * Returns the encoding and the BOM length to skip. Example: bytes of "客户ID" in GBK -> 'gb18030'.
 */
export function sniffEncoding(bytes: Uint8Array): { encoding: Encoding; bomLength: number } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf-8', bomLength: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { encoding: 'utf-16be', bomLength: 2 };
  const n = Math.min(bytes.length, 1 << 16);
  // UTF-16 without BOM: ASCII text has a zero byte in every other position.
  if (n >= 4) {
    let zOdd = 0;
    let zEven = 0;
    for (let i = 0; i + 1 < n; i += 2) {
      if (bytes[i] === 0) zEven++;
      if (bytes[i + 1] === 0) zOdd++;
    }
    if (zOdd > n / 5 && zEven < n / 50) return { encoding: 'utf-16le', bomLength: 0 };
    if (zEven > n / 5 && zOdd < n / 50) return { encoding: 'utf-16be', bomLength: 0 };
  }
  if (isUtf8(bytes, n)) return { encoding: 'utf-8', bomLength: 0 };
  let pairs = 0;
  let singles = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    const t = i + 1 < n ? bytes[i + 1] : 0x40;
    if (b >= 0x81 && b <= 0xfe && t >= 0x40 && t <= 0xfe && t !== 0x7f) {
      pairs++;
      i++;
    } else singles++;
  }
  return { encoding: pairs > singles ? 'gb18030' : 'windows-1252', bomLength: 0 };
}

/** Strict UTF-8 validity of the first n bytes (a sequence cut by the end of the sample is allowed). */
function isUtf8(b: Uint8Array, n: number): boolean {
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    else return false;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return true; // cut by the end of the sample
      if ((b[i + k] & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

const DELIMS: { code: number; name: ',' | ';' | '\t' | '|' }[] = [
  { code: 44, name: ',' },
  { code: 59, name: ';' },
  { code: 9, name: '\t' },
  { code: 124, name: '|' },
];

/** Delimiter names as the report states them. */
export type DelimiterName = ',' | ';' | '\t' | '|' | 'whitespace';

/** Byte code of a delimiter name. */
export function delimiterCode(name: DelimiterName): number {
  return name === 'whitespace' ? WHITESPACE : name.charCodeAt(0);
}

/** Records of a sample as field strings (skips blank lines); at most `max` records. */
export function sampleRecords(
  buf: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
  final: boolean,
  max: number,
): string[][] {
  const sc = new RecordScanner(delimiter);
  const dec = new TextDecoder('utf-8');
  const out: string[][] = [];
  let p = start;
  while (p < end && out.length < max) {
    const next = sc.next(buf, p, end, final);
    if (next < 0) break;
    if (!(sc.nf === 1 && isBlank(buf, sc.fs[0], sc.fe[0]))) {
      const rec: string[] = [];
      for (let k = 0; k < sc.nf; k++) {
        let text = dec.decode(buf.subarray(sc.fs[k], sc.fe[k]));
        if (sc.fq[k] === 2) text = text.replaceAll('""', '"');
        rec.push(text);
      }
      out.push(rec);
    }
    p = next;
  }
  return out;
}

/** True when bytes [s, e) are only spaces/tabs. */
export function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] !== 32 && buf[i] !== 9) return false;
  return true;
}

/**
 * Chooses the delimiter: the candidate (',' ';' tab '|') whose field count is most consistent across the first
 * records (and > 1); runs of whitespace when none is. `sep=;` on the first line (Excel) decides outright.
 */
export function sniffDelimiter(buf: Uint8Array, start: number, end: number, final: boolean): DelimiterName {
  let best: DelimiterName | undefined;
  let bestScore = -1;
  const score = (code: number): number => {
    const recs = fieldCounts(buf, start, end, code, final, 200);
    if (recs.length === 0) return -1;
    const freq = new Map<number, number>();
    for (const c of recs) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeN = 0;
    for (const [c, k] of freq) if (k > modeN || (k === modeN && c > mode)) [mode, modeN] = [c, k];
    if (mode < 2) return -1;
    return (modeN / recs.length) * 1000 + Math.min(mode, 99);
  };
  for (const d of DELIMS) {
    const s = score(d.code);
    if (s > bestScore) [best, bestScore] = [d.name, s];
  }
  if (best !== undefined && bestScore >= 900) return best;
  const ws = score(WHITESPACE);
  if (ws > bestScore) return 'whitespace';
  return best ?? ',';
}

function fieldCounts(
  buf: Uint8Array,
  start: number,
  end: number,
  code: number,
  final: boolean,
  max: number,
): number[] {
  const sc = new RecordScanner(code);
  const out: number[] = [];
  let p = start;
  while (p < end && out.length < max) {
    const next = sc.next(buf, p, end, final);
    if (next < 0) break;
    if (!(sc.nf === 1 && isBlank(buf, sc.fs[0], sc.fe[0]))) out.push(sc.nf);
    p = next;
  }
  return out;
}

/** Lower-case, without spaces, underscores, dashes, dots, slashes, and without a bracketed unit ("金额(元)" -> "金额"). */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s_\-./:#'"]/g, '')
    .replace(/^\uFEFF/, '');
}

// Header names per role: exact matches (after normalizeName) score 3, substrings 2; unit price scores lower than totals.
const EXACT: Record<ColumnRole, string[]> = {
  customer: [
    'customerid',
    'customer',
    'custid',
    'cust',
    'clientid',
    'client',
    'userid',
    'user',
    'memberid',
    'member',
    'buyerid',
    'buyer',
    'accountid',
    'account',
    'customerno',
    'customernumber',
    'customercode',
    'clientno',
    'shopperid',
    'contactid',
    'customerkey',
    'masterid',
    'sampleid',
    'id',
    'uid',
    'kundennummer',
    'kunde',
    'client',
    'cliente',
    'idcliente',
    'clienteid',
    'codcliente',
    '客户id',
    '客户编号',
    '客户',
    '客户号',
    '客户名称',
    '用户id',
    '用户',
    '用户名',
    '用户编号',
    '会员id',
    '会员',
    '会员编号',
    '会员号',
    '买家',
    '买家id',
    '买家昵称',
    '顾客',
    '顾客id',
    '账号',
    '客户代码',
  ],
  date: [
    'date',
    'orderdate',
    'datetime',
    'time',
    'timestamp',
    'purchasedate',
    'transactiondate',
    'invoicedate',
    'createdat',
    'created',
    'orderedat',
    'paidat',
    'day',
    'txdate',
    'saledate',
    'salesdate',
    'orderdatetime',
    'purchasetime',
    'ordertime',
    'datum',
    'fecha',
    'bestelldatum',
    'dataordine',
    'datapedido',
    '日期',
    '下单时间',
    '下单日期',
    '订单时间',
    '订单日期',
    '时间',
    '付款时间',
    '支付时间',
    '交易时间',
    '交易日期',
    '购买日期',
    '购买时间',
    '成交时间',
    '创建时间',
    '消费时间',
    '消费日期',
  ],
  amount: [
    'amount',
    'sales',
    'revenue',
    'total',
    'value',
    'spend',
    'monetary',
    'monetaryvalue',
    'payment',
    'sum',
    'amt',
    'totalamount',
    'ordertotal',
    'netamount',
    'grossamount',
    'saleamount',
    'salesamount',
    'totalprice',
    'ordervalue',
    'dollars',
    'dollarvalue',
    'betrag',
    'umsatz',
    'montant',
    'importe',
    'valor',
    'totale',
    '金额',
    '实付',
    '实付金额',
    '订单金额',
    '销售额',
    '付款金额',
    '支付金额',
    '总价',
    '总金额',
    '消费金额',
    '成交金额',
    '应付金额',
    '实收金额',
    '交易金额',
  ],
  quantity: [
    'quantity',
    'qty',
    'cds',
    'units',
    'items',
    'pieces',
    'count',
    'menge',
    'cantidad',
    'quantite',
    '数量',
    '件数',
    '购买数量',
    '商品数量',
  ],
  orderId: [
    'orderid',
    'order',
    'ordernumber',
    'orderno',
    'invoice',
    'invoiceno',
    'invoiceid',
    'invoicenumber',
    'transactionid',
    'txid',
    'receipt',
    'receiptid',
    'bestellnummer',
    '订单号',
    '订单编号',
    '订单id',
    '单号',
    '流水号',
    '交易号',
    '交易单号',
  ],
  channel: [
    'channel',
    'segment',
    'source',
    'store',
    'shop',
    'platform',
    'region',
    'customertype',
    'kanal',
    '渠道',
    '分群',
    '来源',
    '店铺',
    '平台',
    '客户类型',
    '区域',
    '门店',
  ],
};
const CONTAINS: Record<ColumnRole, string[]> = {
  customer: [
    'customer',
    'cust',
    'client',
    'user',
    'member',
    'buyer',
    'kunde',
    '客户',
    '用户',
    '会员',
    '买家',
    '顾客',
  ],
  date: ['date', 'time', 'datum', 'fecha', '日期', '时间'],
  amount: [
    'amount',
    'sales',
    'revenue',
    'total',
    'spend',
    'betrag',
    'umsatz',
    'montant',
    '金额',
    '实付',
    '销售额',
    '价',
  ],
  quantity: ['quantity', 'qty', '数量'],
  orderId: ['order', 'invoice', 'transaction', '订单号', '单号'],
  channel: ['channel', 'segment', '渠道'],
};
const PRICE = ['price', 'unitprice', 'preis', 'prix', 'precio', 'preco', '价格', '单价'];

// Contact fields that identify a customer when no customer id column exists (CRM exports).
const CONTACT = [
  'email',
  'emailaddress',
  'mail',
  'phone',
  'mobile',
  'phonenumber',
  '手机号',
  '手机',
  '手机号码',
  '邮箱',
  '电话',
];

/** True when a header names a unit price (then amount = quantity × price when a quantity column exists). */
export function isUnitPriceName(name: string): boolean {
  const norm = normalizeName(name);
  return PRICE.includes(norm) || norm.includes('unitprice') || norm.includes('单价');
}

function nameScore(role: ColumnRole, norm: string): number {
  if (norm === '') return 0;
  if (role === 'customer' && CONTACT.includes(norm)) return 2.1;
  if (EXACT[role].includes(norm)) return role === 'customer' && norm === 'id' ? 2.2 : 3;
  if (role === 'amount' && PRICE.includes(norm)) return 2.5;
  // "id" alone inside a longer name ("order id") must not make it a customer id
  for (const w of CONTAINS[role]) if (norm.includes(w)) return 2;
  if (role === 'amount' && PRICE.some((w) => norm.includes(w))) return 1.5;
  return 0;
}

/** Per-column facts about sample values used to map columns by content. */
export interface ColumnStats {
  nonEmpty: number;
  /** Values that read as a (non-serial) date. */
  dates: number;
  /** Values shaped like a date that is not a real one (2024-02-31): still evidence of a date column. */
  invalidDates: number;
  /** Values that read as Xxy dates whose first / second field exceeds 12 (day/month order evidence). */
  dmyEvidence: number;
  mdyEvidence: number;
  /** Slash dates where nothing decides the order. */
  xxy: number;
  /** Plain numbers that could be Excel serial dates (1900-2299). */
  serials: number;
  numbers: number;
  fractions: number;
  currency: number;
  /** Which decimal separator values prove: counts of ',' and '.'. */
  commaDecimal: number;
  dotDecimal: number;
  distinct: number;
  /** Example of an undecided slash date. */
  xxyExample?: string;
}

/**
 * Smallest day a plain number must map to for the column sniffer to count it as an Excel serial date: day 0
 * (serial 25,569 = 1970-01-01). A plausibility rule for guessing which column holds dates (5-digit numbers
 * below it are more often ids or amounts), not a "no day" marker: once a column is read as serials, every serial
 * from 1 (1900-01-01) on is a date.
 */
const SERIAL_SNIFF_MIN_DAY = 0;

/** Collects ColumnStats for each column of sample records (header excluded). */
export function columnStats(rows: string[][], ncols: number): ColumnStats[] {
  const enc = new TextEncoder();
  const ds = dateScratch();
  const as = amountScratch();
  const out: ColumnStats[] = [];
  for (let j = 0; j < ncols; j++) {
    const st: ColumnStats = {
      nonEmpty: 0,
      dates: 0,
      invalidDates: 0,
      dmyEvidence: 0,
      mdyEvidence: 0,
      xxy: 0,
      serials: 0,
      numbers: 0,
      fractions: 0,
      currency: 0,
      commaDecimal: 0,
      dotDecimal: 0,
      distinct: 0,
    };
    const seen = new Set<string>();
    for (const r of rows) {
      const v = (r[j] ?? '').trim();
      if (v === '') continue;
      st.nonEmpty++;
      seen.add(v);
      const b = enc.encode(v);
      const kind = parseDateBytes(b, 0, b.length, ds, true);
      if (kind === DateKind.Ymd) st.dates++;
      else if (kind === DateKind.Xxy) {
        st.dates++;
        if (ds.a > 12 && ds.b <= 12) st.dmyEvidence++;
        else if (ds.b > 12 && ds.a <= 12) st.mdyEvidence++;
        else {
          st.xxy++;
          st.xxyExample ??= v;
        }
      } else if (kind === DateKind.Serial && ds.day >= SERIAL_SNIFF_MIN_DAY && b.length >= 5) st.serials++;
      else if (kind === DateKind.Invalid || kind === DateKind.OutOfRange) st.invalidDates++;
      const x = parseAmountBytes(b, 0, b.length, '.', as);
      if (!Number.isNaN(x)) {
        st.numbers++;
        if (as.fraction) st.fractions++;
        if (as.currency) st.currency++;
        if (as.proves === 44) st.commaDecimal++;
        if (as.proves === 46) st.dotDecimal++;
      }
    }
    st.distinct = seen.size;
    out.push(st);
  }
  return out;
}

/** Is a header-row value "data-like" (a number or a date), i.e. evidence that the first row is data? */
export function isDataLike(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  const b = new TextEncoder().encode(v);
  const ds = dateScratch();
  const kind = parseDateBytes(b, 0, b.length, ds, false);
  if (
    kind === DateKind.Ymd ||
    kind === DateKind.Xxy ||
    kind === DateKind.Invalid ||
    kind === DateKind.OutOfRange
  )
    return true;
  return !Number.isNaN(parseAmountBytes(b, 0, b.length, '.', amountScratch()));
}

/** Does the first record look like a header? Names a role -> yes; all numbers/dates -> no; else yes. */
export function looksLikeHeader(first: string[]): boolean {
  const roles: ColumnRole[] = ['customer', 'date', 'amount'];
  if (first.some((f) => roles.some((r) => nameScore(r, normalizeName(f)) >= 2))) return true;
  return !first.every(isDataLike);
}

/** Result of column mapping: chosen columns, or a problem to report. */
export interface MappingResult {
  mapping: Partial<Record<ColumnRole, ColumnChoice>>;
  /** Explicit names that matched no column. */
  unknown: { role: ColumnRole; ref: string | number }[];
}

/**
 * Maps roles to columns: explicit references first, then header names (exact, then substring; greedy by
 * score, each column used once), then content for customer/date/amount (a column of dates; a numeric column
 * with decimals or a currency sign; the first remaining non-numeric-decimal column as the customer id).
 */
export function mapColumns(
  names: string[],
  hasHeader: boolean,
  stats: ColumnStats[],
  explicit: ColumnMapping | undefined,
): MappingResult {
  const mapping: Partial<Record<ColumnRole, ColumnChoice>> = {};
  const used = new Set<number>();
  const unknown: MappingResult['unknown'] = [];
  const fixed = new Set<ColumnRole>();
  // columns named exactly for a role whose sample values do not fit: used when nothing better turns up, so that
  // every row gets its own reason ("date "xx" is not a date") instead of a missing-column error
  const fallback = new Map<ColumnRole, number>();
  const roles: ColumnRole[] = ['customer', 'date', 'amount', 'quantity', 'orderId', 'channel'];
  for (const role of roles) {
    const ref = explicit?.[role];
    if (ref === undefined) continue;
    fixed.add(role);
    if (ref === null) continue;
    let idx: number;
    if (typeof ref === 'number') idx = Number.isInteger(ref) && ref >= 0 && ref < names.length ? ref : -1;
    else {
      const want = ref.trim().toLowerCase();
      idx = names.findIndex((n) => n.trim().toLowerCase() === want);
      if (idx < 0)
        idx = names.findIndex((n) => normalizeName(n) === normalizeName(ref) && normalizeName(ref) !== '');
      // "3" naming no header: the 3rd column (1-based, as people count)
      if (idx < 0 && /^\d+$/.test(ref.trim()) && Number(ref) >= 1 && Number(ref) <= names.length)
        idx = Number(ref) - 1;
    }
    if (idx < 0) unknown.push({ role, ref });
    else {
      mapping[role] = { index: idx, name: names[idx], how: 'explicit' };
      used.add(idx);
    }
  }
  if (hasHeader) {
    const cands: { role: ColumnRole; idx: number; score: number }[] = [];
    names.forEach((n, idx) => {
      const norm = normalizeName(n);
      for (const role of roles) {
        if (fixed.has(role)) continue;
        const s = nameScore(role, norm);
        if (s > 0) cands.push({ role, idx, score: s });
      }
    });
    cands.sort((a, b) => b.score - a.score || roles.indexOf(a.role) - roles.indexOf(b.role) || a.idx - b.idx);
    for (const c of cands) {
      if (mapping[c.role] || used.has(c.idx)) continue;
      // a date column by name must hold dates (guards "time" columns with durations); amount must hold numbers
      const st = stats[c.idx];
      if (st && st.nonEmpty > 0) {
        const bad =
          (c.role === 'date' && (st.dates + st.serials + st.invalidDates) / st.nonEmpty < 0.3) ||
          ((c.role === 'amount' || c.role === 'quantity') && st.numbers / st.nonEmpty < 0.5);
        if (bad) {
          if (c.score >= 3 && !fallback.has(c.role)) fallback.set(c.role, c.idx);
          continue;
        }
      }
      mapping[c.role] = { index: c.idx, name: names[c.idx], how: 'header' };
      used.add(c.idx);
    }
  }
  const free = (j: number) => !used.has(j) && stats[j] !== undefined && stats[j].nonEmpty > 0;
  if (!mapping.date && !fixed.has('date')) {
    let best = -1;
    let bestShare = 0.8;
    stats.forEach((st, j) => {
      if (!free(j)) return;
      const share = st.dates / st.nonEmpty;
      if (share >= bestShare) [best, bestShare] = [j, share + 1e-9];
    });
    if (best >= 0) {
      mapping.date = { index: best, name: names[best], how: 'content' };
      used.add(best);
    }
  }
  if (!mapping.amount && !fixed.has('amount')) {
    let best = -1;
    let bestShare = 0.3;
    stats.forEach((st, j) => {
      if (!free(j) || st.numbers / st.nonEmpty < 0.9) return;
      const share = Math.max(st.fractions, st.currency) / st.nonEmpty;
      if (share >= bestShare) [best, bestShare] = [j, share + 1e-9];
    });
    if (best >= 0) {
      mapping.amount = { index: best, name: names[best], how: 'content' };
      used.add(best);
    }
  }
  if (!mapping.customer && !fixed.has('customer')) {
    const j = stats.findIndex(
      (st, k) => free(k) && st.dates / st.nonEmpty < 0.5 && st.fractions / st.nonEmpty < 0.5,
    );
    if (j >= 0) {
      mapping.customer = { index: j, name: names[j], how: 'content' };
      used.add(j);
    }
  }
  for (const role of ['date', 'amount'] as const) {
    const j = fallback.get(role);
    if (!mapping[role] && j !== undefined && !used.has(j)) {
      mapping[role] = { index: j, name: names[j], how: 'header' };
      used.add(j);
    }
  }
  return { mapping, unknown };
}
