/**
 * Streaming transaction importer: bytes in (any chunking), typed columns + a report out, every data row either
 * accepted or rejected with its line number and a reason. Pure (no DOM, no Node): the browser worker pushes
 * File chunks with progress and can stop at any time; the CLI pushes a whole file.
 *
 * Hot path: the record scanner works on UTF-8 bytes; dates and amounts are read from the bytes directly and
 * customer ids are interned from byte slices (ByteKeyTable), so no string is made per accepted row.
 * Non-UTF-8 input (GBK/GB18030, windows-1252, UTF-16) is transcoded chunk by chunk to UTF-8 first.
 */
import { RecordScanner, FIELD_ESCAPED } from './scanner.ts';
import {
  DateKind,
  MAX_YEAR,
  MIN_YEAR,
  NO_DAY,
  dateScratch,
  isoDate,
  parseDateBytes,
  resolveXxy,
} from './dates.ts';
import { AMOUNT_CURRENCIES, amountScratch, parseAmountBytes } from './numbers.ts';
import { ByteKeyTable } from './keys.ts';
import {
  columnStats,
  delimiterCode,
  isBlank,
  isUnitPriceName,
  looksLikeHeader,
  mapColumns,
  sampleRecords,
  sniffDelimiter,
  sniffEncoding,
  type DelimiterName,
  type Encoding,
} from './sniff.ts';
import type {
  ColumnChoice,
  ColumnRole,
  ImportMessage,
  ImportOptions,
  ImportProgress,
  ImportReport,
  ImportResult,
  MessageParams,
  RejectCode,
  RejectedRow,
  Transactions,
} from './types.ts';

// Local aliases of imported hot-path functions and constants: under a CommonJS transform (tsx in Node) every
// access to an imported binding is a getter call; module-level consts are read directly (measured ~15% of import).
const readDate = parseDateBytes;
const readAmount = parseAmountBytes;
const dayOfXxy = resolveXxy;
const blank = isBlank;
const K_INVALID: number = DateKind.Invalid;
const K_YMD: number = DateKind.Ymd;
const K_XXY: number = DateKind.Xxy;
const K_SERIAL: number = DateKind.Serial;
const K_OUT_OF_RANGE: number = DateKind.OutOfRange;
const ESCAPED: number = FIELD_ESCAPED;

/** Bytes looked at before deciding encoding, delimiter, header and mapping. */
const SNIFF_BYTES = 1 << 16;
/** Records sampled for column statistics. */
const SNIFF_RECORDS = 2000;
/** Raw text kept per rejected row (characters). */
const RAW_LIMIT = 2000;
/** When nothing can be accepted (fatal), rejects beyond this many are counted but not listed. */
const FATAL_LIST_LIMIT = 100;
/**
 * Largest accepted |amount| (currency units). Larger values are typos, sentinels or overflow bait: 1e308 + 1e308
 * is Infinity, while a sum of even a billion rows of 1e15 stays finite and exact to the cent up to ~9e15 total.
 */
export const MAX_ABS_AMOUNT = 1e15;

const ROLE_WORD: Record<ColumnRole, string> = {
  customer: 'customer id',
  date: 'date',
  amount: 'amount',
  quantity: 'quantity',
  orderId: 'order id',
  channel: 'channel',
};

/** Thousands separators for messages: 1204 -> "1,204". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function growI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/**
 * Incremental importer. `push(chunk)` any number of times (chunks may split rows and multi-byte characters),
 * then `finish()` once. Example:
 * ```ts
 * const imp = new TransactionImporter({ mapping: { customer: 'id' } });
 * for (const chunk of chunks) onProgress(imp.push(chunk));
 * const { transactions, report } = imp.finish();
 * ```
 */
export class TransactionImporter {
  private readonly options: ImportOptions;
  // raw bytes held until the sniff decision
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private sniffed = false;
  private finished = false;
  // transcoding
  private encoding: Encoding = 'utf-8';
  private bom = false;
  private decoder: TextDecoder | null = null;
  private encoder: TextEncoder | null = null;
  private bomToSkip = 0;
  // tail of UTF-8 bytes not yet forming a complete record
  private buf: Uint8Array = new Uint8Array(0);
  private bufLen = 0;
  private scanner = new RecordScanner(44);
  private delimiterName: DelimiterName = ',';
  // position
  private line = 1;
  private bytesRead = 0;
  private recordsSeen = 0;
  private skipRecords = 0; // header (and preamble) records still to skip
  private hasHeader = true;
  private columns: string[] = [];
  private ncols = 0;
  private mapping: Partial<Record<ColumnRole, ColumnChoice>> = {};
  private fatal: string | undefined;
  private fatalParams: MessageParams = {};
  private messages: ImportMessage[] = [];
  // column indices (-1 = absent)
  private cCust = -1;
  private cDate = -1;
  private cAmount = -1;
  private cQty = -1;
  private cOrder = -1;
  private cChannel = -1;
  private needFields = 0;
  private amountTimesQty = false;
  // value readers
  private ds = dateScratch();
  private as = amountScratch();
  private decimal: '.' | ',' = '.';
  private allowSerial = false;
  private order: 0 | 1 | 2 = 0; // 0 undecided, 1 dmy, 2 mdy
  private orderFromOption = false;
  private orderDecidedBy = '';
  private orderEvidence: MessageParams = { decidedBy: 'option' };
  private sawXxy = false;
  private sawSlashXxy = false;
  private xxyExample = '';
  // undecided slash dates: row index and the MM/DD reading, swapped in if the file proves MM/DD
  private undecidedRow: Int32Array = new Int32Array(0);
  private undecidedAlt: Int32Array = new Int32Array(0);
  private nUndecided = 0;
  // output columns
  private cap = 0;
  private n = 0;
  private custCol: Int32Array = new Int32Array(0);
  private dayCol: Int32Array = new Int32Array(0);
  private amountCol: Float64Array = new Float64Array(0);
  private qtyCol: Float64Array = new Float64Array(0);
  private orderCol: Int32Array = new Int32Array(0);
  private channelCol: Int32Array = new Int32Array(0);
  private lineCol: Int32Array = new Int32Array(0);
  private customers = new ByteKeyTable();
  private orders = new ByteKeyTable();
  private channels = new ByteKeyTable();
  private scratchId: Uint8Array = new Uint8Array(256);
  // report counters
  private rowsRead = 0;
  private rejectedCount = 0;
  private blankLines = 0;
  private negatives = 0;
  private zeros = 0;
  /** Accepted rows by the currency their amount was written in (index = AMOUNT_CURRENCIES). */
  private currencyRows = new Float64Array(AMOUNT_CURRENCIES.length);
  private badQuantity = 0;
  private minDay = Infinity;
  private maxDay = -Infinity;
  private rejects: RejectedRow[] = [];
  private rawDecoder = new TextDecoder('utf-8');

  constructor(options: ImportOptions = {}) {
    this.options = options;
  }

  /** Feeds the next bytes of the file. Returns progress counts so far. Throws only if called after finish(). */
  push(chunk: Uint8Array): ImportProgress {
    if (this.finished) throw new Error('TransactionImporter.push called after finish()');
    this.bytesRead += chunk.length;
    if (!this.sniffed) {
      this.pendingBytes += chunk.length;
      if (this.pendingBytes >= SNIFF_BYTES) {
        this.pending.push(chunk); // consumed within this call: no copy (a one-shot import of a big file stays in place)
        this.sniffAndDrain(false);
      } else this.pending.push(chunk.slice()); // kept across calls, and the caller may reuse its buffer
    } else this.feedRaw(chunk, false);
    return this.progress();
  }

  /** Progress counts so far (for a progress bar: bytesRead / file size). */
  progress(): ImportProgress {
    return {
      bytesRead: this.bytesRead,
      rowsRead: this.rowsRead,
      accepted: this.n,
      rejected: this.rejectedCount,
    };
  }

  /** Ends the input and returns the typed columns and the report. */
  finish(): ImportResult {
    if (this.finished) throw new Error('TransactionImporter.finish called twice');
    if (!this.sniffed) this.sniffAndDrain(true);
    this.finished = true;
    if (this.decoder) {
      const rest = this.decoder.decode();
      if (rest.length > 0) this.appendUtf8((this.encoder ?? new TextEncoder()).encode(rest));
    }
    this.scan(true);
    return this.result();
  }

  // ---- sniffing -------------------------------------------------------------------------------------------

  private sniffAndDrain(final: boolean): void {
    this.sniffed = true;
    const all = concat(this.pending, this.pendingBytes);
    this.pending = [];
    const raw = all.subarray(0, Math.min(all.length, SNIFF_BYTES));
    const sniffedEnc = sniffEncoding(raw);
    let encoding = sniffedEnc.encoding;
    let bomLength = sniffedEnc.bomLength;
    if (this.options.encoding && this.options.encoding !== encoding) {
      encoding = this.options.encoding;
      bomLength = encoding === 'utf-8' && sniffedEnc.bomLength === 3 ? 3 : 0;
    }
    this.encoding = encoding;
    this.bom = bomLength > 0;
    // sample as UTF-8
    let sample: Uint8Array;
    if (encoding === 'utf-8') sample = raw.subarray(bomLength);
    else {
      const dec = new TextDecoder(encoding);
      sample = new TextEncoder().encode(dec.decode(raw, { stream: !final || raw.length < all.length }));
      this.decoder = new TextDecoder(encoding);
      this.encoder = new TextEncoder();
    }
    if (encoding === 'utf-8') this.bomToSkip = bomLength;
    const sampleFinal = final && raw.length === all.length;
    this.decideLayout(sample, sampleFinal);
    this.feedRaw(all, final);
  }

  private decideLayout(sample: Uint8Array, final: boolean): void {
    const o = this.options;
    const binary = binaryKind(sample);
    if (binary) {
      this.setFatal(
        'binary',
        { format: binary },
        `this is ${BINARY_NAME[binary]}, not a text file: save it as CSV (UTF-8) first, with a header row and one row per transaction`,
      );
      return;
    }
    let start = 0;
    // skip leading blank lines for the layout decision
    let delim: DelimiterName | undefined = o.delimiter;
    // Excel's "sep=;" first line
    const sepLine = /^sep=(.)\r?\n/.exec(new TextDecoder().decode(sample.subarray(0, 8)));
    if (sepLine) {
      const ch = sepLine[1];
      if (!delim && (ch === ',' || ch === ';' || ch === '\t' || ch === '|')) delim = ch;
      start = sepLine[0].length;
      this.skipRecords++;
    }
    delim ??= sniffDelimiter(sample, start, sample.length, final);
    this.delimiterName = delim;
    this.scanner = new RecordScanner(delimiterCode(delim));
    const recs = sampleRecords(sample, start, sample.length, delimiterCode(delim), final, SNIFF_RECORDS);
    if (recs.length === 0) {
      // nothing but blank lines (or nothing at all): the message is set in result(); otherwise the first record
      // is longer than the sample (an unclosed quote at the top?)
      if (!isBlankText(sample))
        this.setFatal(
          'no-complete-row',
          { kb: SNIFF_BYTES / 1024 },
          `no complete row in the first ${SNIFF_BYTES / 1024} KB: check the quoting near the top of the file`,
        );
      return;
    }
    // header: the first record with the most common field count (earlier records are a preamble)
    const freq = new Map<number, number>();
    for (const r of recs) freq.set(r.length, (freq.get(r.length) ?? 0) + 1);
    let mode = recs[0].length;
    for (const [c, k] of freq) if (k > (freq.get(mode) ?? 0)) mode = c;
    // title lines before the header ("Sales report 2024"): single-field records ahead of a wider table
    let headerAt = 0;
    if (mode >= 3)
      while (headerAt < recs.length - 2 && recs[headerAt].length === 1 && !looksLikeHeader(recs[headerAt]))
        headerAt++;
    const first = recs[headerAt].map((s) => s.trim());
    const hasHeader = o.header === undefined || o.header === 'auto' ? looksLikeHeader(first) : o.header;
    this.hasHeader = hasHeader;
    if (headerAt > 0)
      this.messages.push({
        level: 'info',
        code: 'preamble',
        text: `skipped ${headerAt} line(s) before the header row`,
        params: { lines: headerAt },
      });
    this.skipRecords += headerAt + (hasHeader ? 1 : 0);
    this.ncols = hasHeader ? first.length : mode;
    this.columns = hasHeader
      ? first.map((s, j) => (s === '' ? `column ${j + 1}` : s))
      : Array.from({ length: this.ncols }, (_, j) => `column ${j + 1}`);
    if (!hasHeader)
      this.messages.push({
        level: 'info',
        code: 'no-header',
        text: `no header row: the first row holds data, columns are named "column 1" … "column ${this.ncols}"`,
        params: { columns: this.ncols },
      });
    const dataRows = recs.slice(headerAt + (hasHeader ? 1 : 0));
    const stats = columnStats(dataRows, this.ncols);
    const { mapping, unknown } = mapColumns(this.columns, hasHeader, stats, o.mapping);
    this.mapping = mapping;
    const found = this.columns.map((c) => `"${c}"`).join(', ');
    if (unknown.length > 0) {
      const u = unknown[0];
      this.setFatal(
        'unknown-column',
        { role: u.role, column: typeof u.ref === 'number' ? u.ref + 1 : String(u.ref), columns: found },
        `no column ${typeof u.ref === 'number' ? `number ${u.ref + 1}` : `"${u.ref}"`} for the ${ROLE_WORD[u.role]} (columns found: ${found})`,
      );
      return;
    }
    for (const role of ['customer', 'date'] as const) {
      if (!mapping[role]) {
        this.setFatal(
          'missing-column',
          { role, columns: found },
          `no ${ROLE_WORD[role]} column found (columns found: ${found}); name it explicitly (CLI: --${role === 'customer' ? 'customer' : 'date'} NAME)`,
        );
        return;
      }
    }
    if (!mapping.amount && o.mapping?.amount !== null)
      this.messages.push({
        level: 'warning',
        code: 'no-amount',
        text: `no amount column found (columns found: ${found}): monetary values are not computed; name it explicitly (CLI: --amount NAME) if the file has one`,
        params: { columns: found },
      });
    const chosen = (Object.keys(mapping) as ColumnRole[]).map(
      (r) =>
        `${ROLE_WORD[r]} = "${mapping[r]!.name}" (${mapping[r]!.how === 'content' ? 'from its values' : mapping[r]!.how === 'header' ? 'from its name' : 'as given'})`,
    );
    const mappingParams: MessageParams = {};
    for (const r of Object.keys(mapping) as ColumnRole[]) {
      mappingParams[r] = mapping[r]!.name;
      mappingParams[`${r}How`] = mapping[r]!.how;
    }
    this.messages.push({
      level: 'info',
      code: 'mapping',
      text: `columns: ${chosen.join(', ')}`,
      params: mappingParams,
    });
    this.cCust = mapping.customer!.index;
    this.cDate = mapping.date!.index;
    this.cAmount = mapping.amount?.index ?? -1;
    this.cQty = mapping.quantity?.index ?? -1;
    this.cOrder = mapping.orderId?.index ?? -1;
    this.cChannel = mapping.channel?.index ?? -1;
    // a unit price with a quantity column: the amount of a row is quantity × unit price (UCI Online Retail style)
    this.amountTimesQty =
      this.cAmount >= 0 &&
      this.cQty >= 0 &&
      mapping.amount!.how !== 'explicit' &&
      isUnitPriceName(mapping.amount!.name);
    if (this.amountTimesQty)
      this.messages.push({
        level: 'info',
        code: 'amount-from-price',
        text: `amount = "${mapping.quantity!.name}" × "${mapping.amount!.name}" (a unit price column and a quantity column; name an amount column explicitly to override)`,
        params: { quantity: mapping.quantity!.name, price: mapping.amount!.name },
      });
    this.needFields =
      Math.max(this.cCust, this.cDate, this.cAmount, this.amountTimesQty ? this.cQty : -1) + 1;
    // decimal separator
    const amountStats = this.cAmount >= 0 ? stats[this.cAmount] : undefined;
    if (o.decimalSeparator) this.decimal = o.decimalSeparator;
    else if (amountStats && amountStats.commaDecimal !== amountStats.dotDecimal)
      this.decimal = amountStats.commaDecimal > amountStats.dotDecimal ? ',' : '.';
    else this.decimal = delim === ';' ? ',' : '.';
    // dates: serials, day/month order
    const dateStats = stats[this.cDate];
    this.allowSerial =
      o.excelSerialDates ??
      (dateStats !== undefined && dateStats.nonEmpty > 0 && dateStats.serials / dateStats.nonEmpty >= 0.5);
    if (o.dateOrder === 'dmy' || o.dateOrder === 'mdy') {
      this.order = o.dateOrder === 'dmy' ? 1 : 2;
      this.orderFromOption = true;
    } else if (dateStats && (dateStats.dmyEvidence > 0 || dateStats.mdyEvidence > 0)) {
      this.order = dateStats.dmyEvidence >= dateStats.mdyEvidence ? 1 : 2;
      this.orderDecidedBy =
        dateStats.dmyEvidence >= dateStats.mdyEvidence
          ? `${dateStats.dmyEvidence} date(s) in the first rows whose first number is above 12`
          : `${dateStats.mdyEvidence} date(s) in the first rows whose second number is above 12`;
      this.orderEvidence = {
        decidedBy: 'sample',
        evidenceRows: Math.max(dateStats.dmyEvidence, dateStats.mdyEvidence),
      };
      if (dateStats.dmyEvidence > 0 && dateStats.mdyEvidence > 0)
        this.messages.push({
          level: 'warning',
          code: 'mixed-dates',
          text: `the date column mixes DD/MM (${dateStats.dmyEvidence} rows) and MM/DD (${dateStats.mdyEvidence} rows) dates in its first rows; read as ${this.order === 1 ? 'DD/MM/YYYY' : 'MM/DD/YYYY'} (the majority); rows that are not real dates that way are rejected`,
          params: {
            dmyRows: dateStats.dmyEvidence,
            mdyRows: dateStats.mdyEvidence,
            order: this.order === 1 ? 'DD/MM/YYYY' : 'MM/DD/YYYY',
          },
        });
    }
  }

  // ---- byte plumbing --------------------------------------------------------------------------------------

  private feedRaw(chunk: Uint8Array, final: boolean): void {
    if (this.decoder) {
      const text = this.decoder.decode(chunk, { stream: !final });
      if (text.length > 0) this.appendUtf8(this.encoder!.encode(text));
    } else {
      let c = chunk;
      if (this.bomToSkip > 0) {
        const k = Math.min(this.bomToSkip, c.length);
        c = c.subarray(k);
        this.bomToSkip -= k;
      }
      this.appendUtf8(c);
    }
    if (!final) this.scan(false);
  }

  private appendUtf8(c: Uint8Array): void {
    if (c.length === 0) return;
    if (this.bufLen === 0) {
      // scan the chunk in place; only its unfinished tail gets copied
      this.buf = c;
      this.bufLen = c.length;
      this.bufOwned = false;
      return;
    }
    const need = this.bufLen + c.length;
    if (!this.bufOwned || need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, this.bufOwned ? this.buf.length * 2 : need, 1 << 16));
      next.set(this.buf.subarray(0, this.bufLen));
      this.buf = next;
      this.bufOwned = true;
    }
    this.buf.set(c, this.bufLen);
    this.bufLen = need;
  }
  private bufOwned = false;

  private scan(final: boolean): void {
    const buf = this.buf;
    const end = this.bufLen;
    const sc = this.scanner;
    let p = 0;
    while (p < end) {
      const next = sc.next(buf, p, end, final);
      if (next < 0) break;
      this.record(buf, p, sc.contentEnd);
      this.line += sc.newlines;
      p = next;
    }
    // keep the unfinished tail (copied: the caller may reuse its chunk buffer)
    if (p >= end) this.bufLen = 0;
    else if (p > 0 || !this.bufOwned) {
      const rest = end - p;
      if (this.bufOwned) buf.copyWithin(0, p, end);
      else {
        const own = new Uint8Array(Math.max(rest * 2, 1 << 16));
        own.set(buf.subarray(p, end));
        this.buf = own;
        this.bufOwned = true;
      }
      this.bufLen = rest;
    }
    if (final) this.bufLen = 0;
  }

  // ---- one record -----------------------------------------------------------------------------------------

  private record(buf: Uint8Array, start: number, contentEnd: number): void {
    const sc = this.scanner;
    const nf = sc.nf;
    const fs = sc.fs;
    const fe = sc.fe;
    if (nf === 1 && sc.fq[0] === 0 && blank(buf, fs[0], fe[0])) {
      this.blankLines++;
      return;
    }
    this.recordsSeen++;
    if (this.skipRecords > 0) {
      this.skipRecords--;
      return;
    }
    this.rowsRead++;
    const line = this.line;
    if (this.fatal !== undefined) {
      this.rejectedCount++;
      if (this.rejects.length < FATAL_LIST_LIMIT)
        this.reject(line, 'fatal', this.fatalParams, this.fatal, buf, start, contentEnd, false);
      return;
    }
    let allBlank = true;
    for (let k = 0; k < nf && allBlank; k++) if (!blank(buf, fs[k], fe[k])) allBlank = false;
    if (allBlank)
      return this.reject(line, 'empty-row', {}, 'row is empty (only delimiters)', buf, start, contentEnd);
    if (sc.unclosed)
      return this.reject(
        line,
        'unclosed-quote',
        {},
        'a quoted field opens with " and never closes (the quote was read as text); check the quoting of this row',
        buf,
        start,
        contentEnd,
      );
    if (nf < this.needFields) {
      const missing = [this.cCust, this.cDate, this.cAmount]
        .filter((c) => c >= nf)
        .map((c) => `"${this.columns[c]}"`);
      return this.reject(
        line,
        'too-few-fields',
        { fields: nf, expected: this.ncols, missing: missing.join(', ') },
        `row has ${nf} field${nf === 1 ? '' : 's'} but the header has ${this.ncols} (missing ${missing.join(', ')})`,
        buf,
        start,
        contentEnd,
      );
    }
    if (nf > this.ncols) {
      let extra = false;
      for (let k = this.ncols; k < nf; k++) if (!blank(buf, fs[k], fe[k])) extra = true;
      if (extra)
        return this.reject(
          line,
          'too-many-fields',
          { fields: nf, expected: this.ncols, delimiter: this.delimiterName },
          `row has ${nf} fields but the header has ${this.ncols} (an unquoted "${this.delimiterName === '\t' ? '\\t' : this.delimiterName === 'whitespace' ? ' ' : this.delimiterName}" inside a value? quote such values)`,
          buf,
          start,
          contentEnd,
        );
    }
    // date
    const di = this.cDate;
    const ds = this.ds;
    const kind = readDate(buf, fs[di], fe[di], ds, this.allowSerial);
    let day: number;
    let alt = NO_DAY;
    if (kind === K_YMD || kind === K_SERIAL) day = ds.day;
    else if (kind === K_XXY) {
      if (!this.sawXxy || (ds.sep !== 46 && !this.sawSlashXxy)) {
        this.sawXxy = true;
        this.xxyExample = this.text(buf, fs[di], fe[di]);
      }
      if (ds.sep !== 46) this.sawSlashXxy = true;
      if (this.order === 0) {
        if (ds.a > 12) this.lockOrder(1, buf, fs[di], fe[di], line);
        else if (ds.b > 12) this.lockOrder(2, buf, fs[di], fe[di], line);
      }
      if (this.order === 0) {
        day = dayOfXxy(ds.year, ds.a, ds.b, true);
        alt = dayOfXxy(ds.year, ds.a, ds.b, false);
      } else {
        day = dayOfXxy(ds.year, ds.a, ds.b, this.order === 1);
        if (day === NO_DAY) {
          const how = this.order === 1 ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
          const value = this.text(buf, fs[di], fe[di]);
          return this.reject(
            line,
            'date-not-real-order',
            { value, order: how, ...this.orderEvidence },
            `date "${this.text(buf, fs[di], fe[di])}" is not a real date (dates are read as ${how}${this.orderFromOption ? '' : `, decided by ${this.orderDecidedBy}`})`,
            buf,
            start,
            contentEnd,
          );
        }
      }
    } else if (kind === K_INVALID) {
      const value = this.text(buf, fs[di], fe[di]);
      return this.reject(
        line,
        'date-not-real',
        { value },
        `date "${value}" is not a real date`,
        buf,
        start,
        contentEnd,
      );
    } else if (kind === K_OUT_OF_RANGE) {
      const value = this.text(buf, fs[di], fe[di]);
      return this.reject(
        line,
        'date-out-of-range',
        { value, year: ds.year, minYear: MIN_YEAR, maxYear: MAX_YEAR },
        `date "${value}" is out of the supported range (years ${MIN_YEAR} to ${MAX_YEAR}): a typo or a placeholder date? fix it or remove the row`,
        buf,
        start,
        contentEnd,
      );
    } else {
      if (blank(buf, fs[di], fe[di]))
        return this.reject(line, 'date-empty', {}, 'date is empty', buf, start, contentEnd);
      return this.reject(
        line,
        'date-not-a-date',
        { value: this.text(buf, fs[di], fe[di]) },
        `date "${this.text(buf, fs[di], fe[di])}" is not a date (expected e.g. 2024-03-31, 20240331, 31/03/2024)`,
        buf,
        start,
        contentEnd,
      );
    }
    // amount
    let amount = 0;
    let currency = 0;
    if (this.cAmount >= 0) {
      const ai = this.cAmount;
      amount = readAmount(buf, fs[ai], fe[ai], this.decimal, this.as);
      currency = this.as.code;
      if (amount !== amount) {
        if (this.as.empty)
          return this.reject(line, 'amount-empty', {}, 'amount is empty', buf, start, contentEnd);
        if (this.as.overflow)
          return this.rejectTooLarge(line, this.text(buf, fs[ai], fe[ai]), buf, start, contentEnd);
        return this.reject(
          line,
          'amount-not-a-number',
          { value: this.text(buf, fs[ai], fe[ai]) },
          `amount "${this.text(buf, fs[ai], fe[ai])}" is not a number`,
          buf,
          start,
          contentEnd,
        );
      }
    }
    if (this.amountTimesQty) {
      const qi = this.cQty;
      const q = readAmount(buf, fs[qi], fe[qi], this.decimal, this.as);
      if (q !== q)
        return this.reject(
          line,
          this.as.empty ? 'quantity-empty' : 'quantity-not-a-number',
          this.as.empty
            ? { priceColumn: this.columns[this.cAmount] }
            : { value: this.text(buf, fs[qi], fe[qi]) },
          this.as.empty
            ? `quantity is empty (the amount is quantity × "${this.columns[this.cAmount]}")`
            : `quantity "${this.text(buf, fs[qi], fe[qi])}" is not a number`,
          buf,
          start,
          contentEnd,
        );
      amount *= q;
    }
    if (amount > MAX_ABS_AMOUNT || amount < -MAX_ABS_AMOUNT || amount !== amount) {
      const ai = this.cAmount;
      const value = this.amountTimesQty
        ? `${this.text(buf, fs[this.cQty], fe[this.cQty])} × ${this.text(buf, fs[ai], fe[ai])}`
        : this.text(buf, fs[ai], fe[ai]);
      return this.rejectTooLarge(line, value, buf, start, contentEnd);
    }
    // customer
    const ci = this.cCust;
    let cs = fs[ci];
    let ce = fe[ci];
    while (cs < ce && (buf[cs] === 32 || buf[cs] === 9)) cs++;
    while (ce > cs && (buf[ce - 1] === 32 || buf[ce - 1] === 9)) ce--;
    if (cs === ce)
      return this.reject(line, 'customer-empty', {}, 'customer id is empty', buf, start, contentEnd);
    const cust =
      sc.fq[ci] === ESCAPED
        ? this.internEscaped(this.customers, buf, cs, ce)
        : this.customers.intern(buf, cs, ce);
    // accept
    const k = this.n;
    if (k === this.cap) this.grow();
    this.custCol[k] = cust;
    this.dayCol[k] = day;
    this.lineCol[k] = line;
    if (this.cAmount >= 0) {
      this.amountCol[k] = amount;
      if (amount < 0) this.negatives++;
      else if (amount === 0) this.zeros++;
      this.currencyRows[currency]++;
    }
    if (this.cQty >= 0) {
      const qi = this.cQty;
      let q = NaN;
      if (qi < nf) {
        q = readAmount(buf, fs[qi], fe[qi], this.decimal, this.as);
        if (q !== q && !this.as.empty) this.badQuantity++;
      }
      this.qtyCol[k] = q;
    }
    if (this.cOrder >= 0) {
      const oi = this.cOrder;
      this.orderCol[k] = oi < nf ? this.orders.intern(buf, fs[oi], fe[oi]) : this.orders.intern(buf, 0, 0);
    }
    if (this.cChannel >= 0) {
      const hi = this.cChannel;
      this.channelCol[k] =
        hi < nf ? this.channels.intern(buf, fs[hi], fe[hi]) : this.channels.intern(buf, 0, 0);
    }
    if (alt !== NO_DAY || (this.order === 0 && kind === K_XXY)) {
      if (this.nUndecided === this.undecidedRow.length) {
        const c2 = Math.max(1024, this.nUndecided * 2);
        this.undecidedRow = growI32(this.undecidedRow, c2);
        this.undecidedAlt = growI32(this.undecidedAlt, c2);
      }
      this.undecidedRow[this.nUndecided] = k;
      this.undecidedAlt[this.nUndecided] = alt;
      this.nUndecided++;
    }
    this.n = k + 1;
  }

  private lockOrder(order: 1 | 2, buf: Uint8Array, s: number, e: number, line: number): void {
    this.order = order;
    this.orderDecidedBy = `line ${line} "${this.text(buf, s, e)}"`;
    this.orderEvidence = { decidedBy: 'line', evidenceLine: line, evidenceValue: this.text(buf, s, e) };
    if (order === 2)
      for (let i = 0; i < this.nUndecided; i++) this.dayCol[this.undecidedRow[i]] = this.undecidedAlt[i];
    this.nUndecided = 0;
  }

  private internEscaped(table: ByteKeyTable, buf: Uint8Array, s: number, e: number): number {
    if (this.scratchId.length < e - s) this.scratchId = new Uint8Array((e - s) * 2);
    const t = this.scratchId;
    let n = 0;
    for (let i = s; i < e; i++) {
      t[n++] = buf[i];
      if (buf[i] === 34 && i + 1 < e && buf[i + 1] === 34) i++;
    }
    return table.intern(t, 0, n);
  }

  private text(buf: Uint8Array, s: number, e: number): string {
    const t = this.rawDecoder.decode(buf.subarray(s, Math.min(e, s + 200))).trim();
    return e - s > 200 ? `${t}…` : t;
  }

  private reject(
    line: number,
    code: RejectCode,
    params: MessageParams,
    reason: string,
    buf: Uint8Array,
    s: number,
    e: number,
    count = true,
  ): void {
    if (count) this.rejectedCount++;
    let raw = this.rawDecoder.decode(buf.subarray(s, Math.min(e, s + RAW_LIMIT * 4)));
    if (raw.length > RAW_LIMIT) raw = `${raw.slice(0, RAW_LIMIT)}…`;
    this.rejects.push({ line, reason, raw, code, params });
  }

  /** Rejects a row whose amount is beyond ±MAX_ABS_AMOUNT (`value` = the amount as written). */
  private rejectTooLarge(line: number, value: string, buf: Uint8Array, s: number, e: number): void {
    this.reject(
      line,
      'amount-too-large',
      { value, limit: MAX_ABS_AMOUNT },
      `amount ${this.amountTimesQty ? `${value} (quantity × unit price)` : `"${value}"`} is too large (over 1e15 in absolute value): check the amount column and its decimal separator`,
      buf,
      s,
      e,
    );
  }

  /** Marks the file unusable: `cause` and its values go into the `fatal` message's params. */
  private setFatal(cause: string, params: MessageParams, text: string): void {
    this.fatal = text;
    this.fatalParams = { cause, ...params };
  }

  private grow(): void {
    // x1.5 growth; the result columns are views of these buffers (no copy at the end), so spare capacity is
    // bounded by half the row count
    const cap = Math.max(1 << 14, Math.ceil(this.cap * 1.5));
    this.custCol = growI32(this.custCol, cap);
    this.dayCol = growI32(this.dayCol, cap);
    this.lineCol = growI32(this.lineCol, cap);
    if (this.cAmount >= 0) this.amountCol = growF64(this.amountCol, cap);
    if (this.cQty >= 0) this.qtyCol = growF64(this.qtyCol, cap);
    if (this.cOrder >= 0) this.orderCol = growI32(this.orderCol, cap);
    if (this.cChannel >= 0) this.channelCol = growI32(this.channelCol, cap);
    this.cap = cap;
  }

  // ---- result ---------------------------------------------------------------------------------------------

  private result(): ImportResult {
    const n = this.n;
    const msgs = this.messages;
    let fatal = this.fatal;
    if (fatal === undefined) {
      if (this.bytesRead === 0 || (this.recordsSeen === 0 && this.blankLines === 0))
        this.setFatal(
          'empty-file',
          {},
          'the file is empty: choose a CSV/TSV file with a header row and one row per transaction (customer id, date, amount)',
        );
      else if (this.recordsSeen === 0)
        this.setFatal(
          'blank-only',
          {},
          'the file has only blank lines: choose a file with a header row and one row per transaction',
        );
      else if (this.rowsRead === 0) {
        const columns = this.columns.map((c) => `"${c}"`).join(', ');
        this.setFatal('no-data-rows', { columns }, `the file has a header (${columns}) but no data rows`);
      } else if (n === 0) {
        const first: Pick<RejectedRow, 'line' | 'code' | 'reason'> = this.rejects[0] ?? {
          line: 0,
          code: 'fatal',
          reason: 'unknown',
        };
        this.setFatal(
          'no-row-readable',
          { rows: this.rowsRead, line: first.line, reasonCode: first.code, reason: first.reason },
          `none of the ${formatCount(this.rowsRead)} rows could be read (line ${first.line}: ${first.reason}); fix the file or the column mapping`,
        );
      }
      fatal = this.fatal;
    }
    // undecided day/month order: nothing in the file proves it
    let dateOrder: 'dmy' | 'mdy' | 'ymd' = this.order === 1 ? 'dmy' : this.order === 2 ? 'mdy' : 'ymd';
    let ambiguous = false;
    if (this.order === 0 && this.sawXxy && !this.sawSlashXxy) {
      // only DD.MM.YYYY-style dates: day first wherever dotted dates are written
      dateOrder = 'dmy';
      msgs.push({
        level: 'info',
        code: 'dotted-dates',
        text: `dates like "${this.xxyExample}" were read as DD.MM.YYYY (day first)`,
        params: { example: this.xxyExample },
      });
    } else if (this.order === 0 && this.sawXxy) {
      ambiguous = true;
      dateOrder = 'dmy';
      msgs.push({
        level: 'warning',
        code: 'ambiguous-dates',
        text: `dates like "${this.xxyExample}" could be DD/MM/YYYY or MM/DD/YYYY and no date in the file has a day above 12; they were read as DD/MM/YYYY — choose the order (CLI: --date-format DD/MM/YYYY or MM/DD/YYYY)`,
        params: { example: this.xxyExample },
      });
    }
    const customersN = this.customers.size;
    for (let i = 0; i < n; i++) {
      const d = this.dayCol[i];
      if (d < this.minDay) this.minDay = d;
      if (d > this.maxDay) this.maxDay = d;
    }
    const currency = fatal === undefined ? this.currencyOfAmounts(msgs) : undefined;
    if (fatal === undefined) {
      if (this.negatives > 0)
        msgs.push({
          level: 'warning',
          code: 'negative-amounts',
          text: `${formatCount(this.negatives)} row(s) have a negative amount (refunds/returns): each is netted against its order (by order id when there is an order column, else against the customer's latest earlier purchase) and never counts as a purchase`,
          params: { rows: this.negatives },
        });
      if (this.badQuantity > 0)
        msgs.push({
          level: 'warning',
          code: 'bad-quantity',
          text: `${formatCount(this.badQuantity)} row(s) have an unreadable quantity (kept, quantity left blank)`,
          params: { rows: this.badQuantity },
        });
      if (customersN === 1)
        msgs.push({
          level: 'warning',
          code: 'single-customer',
          text: `all ${formatCount(n)} accepted rows belong to one customer: the models need many customers — check the customer id column`,
          params: { rows: n },
        });
      if (n > 0 && this.minDay === this.maxDay)
        msgs.push({
          level: 'warning',
          code: 'one-day',
          text: `all purchases are on one day (${isoDate(this.minDay)}): recency and T are 0 and there are no repeat purchases — the models need purchases spread over time; check the date column`,
          params: { date: isoDate(this.minDay) },
        });
    }
    if (fatal !== undefined)
      msgs.unshift({ level: 'error', code: 'fatal', text: fatal, params: this.fatalParams });
    if (fatal !== undefined && this.rowsRead > this.rejects.length)
      msgs.push({
        level: 'info',
        code: 'rejects-truncated',
        text: `every row is rejected for the same reason; the first ${this.rejects.length} are listed`,
        params: { listed: this.rejects.length },
      });
    const transactions: Transactions = {
      n: fatal === undefined ? n : 0,
      customer: this.custCol.subarray(0, fatal === undefined ? n : 0),
      customerIds: fatal === undefined ? this.customers.strings() : [],
      day: this.dayCol.subarray(0, fatal === undefined ? n : 0),
      amount: this.cAmount >= 0 && fatal === undefined ? this.amountCol.subarray(0, n) : null,
      quantity: this.cQty >= 0 && fatal === undefined ? this.qtyCol.subarray(0, n) : null,
      order: this.cOrder >= 0 && fatal === undefined ? this.orderCol.subarray(0, n) : null,
      orderIds: this.cOrder >= 0 && fatal === undefined ? this.orders.strings() : null,
      channel: this.cChannel >= 0 && fatal === undefined ? this.channelCol.subarray(0, n) : null,
      channels: this.cChannel >= 0 && fatal === undefined ? this.channels.strings() : null,
      line: this.lineCol.subarray(0, fatal === undefined ? n : 0),
    };
    const report: ImportReport = {
      rowsRead: this.rowsRead,
      accepted: transactions.n,
      rejected: this.rowsRead - transactions.n,
      blankLines: this.blankLines,
      customers: transactions.customerIds.length,
      bytesRead: this.bytesRead,
      encoding: this.encoding,
      bom: this.bom,
      delimiter: this.delimiterName,
      hasHeader: this.hasHeader,
      columns: this.columns,
      mapping: this.mapping,
      dateOrder,
      dateOrderAmbiguous: ambiguous,
      decimalSeparator: this.decimal,
      negativeAmounts: fatal === undefined ? this.negatives : 0,
      zeroAmounts: fatal === undefined ? this.zeros : 0,
      currencyRows: Object.fromEntries(
        AMOUNT_CURRENCIES.map((c, k) => [c, this.currencyRows[k]] as const).filter(
          ([c, v]) => c !== '' && v > 0,
        ),
      ),
      rejects: this.rejects,
      messages: msgs,
    };
    if (transactions.n > 0) {
      report.firstDate = isoDate(this.minDay);
      report.lastDate = isoDate(this.maxDay);
    }
    if (fatal !== undefined) report.fatal = fatal;
    if (currency !== undefined) report.currency = currency;
    return { transactions, report };
  }

  /**
   * The currency the amounts are written in (the most frequent sign or code; ¥ alone counts as CNY), with a
   * `currency` message, and `mixed-currencies` when several appear. Undefined when no amount carries one.
   */
  private currencyOfAmounts(msgs: ImportMessage[]): string | undefined {
    const rows = this.currencyRows;
    const known = (k: number) => (AMOUNT_CURRENCIES[k] === 'YEN' ? 'CNY' : AMOUNT_CURRENCIES[k]);
    const byCode = new Map<string, number>();
    for (let k = 1; k < rows.length; k++)
      if (rows[k] > 0 && AMOUNT_CURRENCIES[k] !== 'OTHER')
        byCode.set(known(k), (byCode.get(known(k)) ?? 0) + rows[k]);
    if (byCode.size === 0) return undefined;
    const ranked = [...byCode].sort((a, b) => b[1] - a[1]);
    const [code, n] = ranked[0];
    const yen = code === 'CNY' && rows[AMOUNT_CURRENCIES.indexOf('YEN')] > 0 ? 1 : 0;
    msgs.push({
      level: 'info',
      code: 'currency',
      text: `amounts are in ${code} (a currency sign or code on ${formatCount(n)} row(s))${yen ? "; ¥ is also the Japanese yen's sign: choose JPY in the data cell if these are yen" : ''}`,
      params: { code, rows: n, yen },
    });
    if (ranked.length > 1)
      msgs.push({
        level: 'warning',
        code: 'mixed-currencies',
        text: `amounts carry more than one currency (rows per currency: ${ranked.map(([c, v]) => `${c} ${formatCount(v)}`).join(', ')}): they are added up as written — convert them to one currency first`,
        params: { codes: ranked.map(([c, v]) => `${c} ${formatCount(v)}`).join(', ') },
      });
    return code;
  }
}

/** Spaces, tabs and line breaks only. */
function isBlankText(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++)
    if (b[i] !== 32 && b[i] !== 9 && b[i] !== 10 && b[i] !== 13) return false;
  return true;
}

/** Names a binary file format from its first bytes (a BINARY_NAME key; undefined for text). */
function binaryKind(b: Uint8Array): string | undefined {
  const at = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (at(0x50, 0x4b, 0x03, 0x04)) return 'zip';
  if (at(0xd0, 0xcf, 0x11, 0xe0)) return 'xls';
  if (at(0x25, 0x50, 0x44, 0x46)) return 'pdf';
  if (at(0x1f, 0x8b)) return 'gzip';
  if (at(0x50, 0x41, 0x52, 0x31)) return 'parquet';
  // control characters other than tab/CR/LF: absent from text exports, ~10 % of random bytes
  let control = 0;
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) if (b[i] < 32 && b[i] !== 9 && b[i] !== 10 && b[i] !== 13) control++;
  return control > n / 50 ? 'binary' : undefined;
}

/** English names of the formats binaryKind recognizes. */
const BINARY_NAME: Record<string, string> = {
  zip: 'a zip archive (an Excel .xlsx workbook?)',
  xls: 'an old Excel .xls workbook',
  pdf: 'a PDF document',
  gzip: 'a gzip-compressed file',
  parquet: 'a Parquet file',
  binary: 'binary data',
};

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * One-shot import of a whole file's bytes. Example:
 * `importTransactions(bytes, { mapping: { customer: 1, date: 2, amount: 4 } })` on CDNOW_sample.txt gives
 * report.accepted = 6,919 and report.customers = 2,357.
 */
export function importTransactions(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  const imp = new TransactionImporter(options);
  imp.push(bytes);
  return imp.finish();
}

/** Something that can be aborted (an AbortSignal satisfies it). */
export interface AbortLike {
  readonly aborted: boolean;
}

/**
 * Imports from an async sequence of chunks (a File's stream in the worker), reporting progress after each
 * chunk and stopping when `signal.aborted` (returns undefined then). Example:
 * `await importStream(file.stream(), {}, { onProgress: (p) => bar(p.bytesRead / file.size), signal })`.
 */
export async function importStream(
  chunks: AsyncIterable<Uint8Array>,
  options: ImportOptions = {},
  hooks: { onProgress?: (p: ImportProgress) => void; signal?: AbortLike } = {},
): Promise<ImportResult | undefined> {
  const imp = new TransactionImporter(options);
  for await (const chunk of chunks) {
    if (hooks.signal?.aborted) return undefined;
    const p = imp.push(chunk);
    hooks.onProgress?.(p);
  }
  if (hooks.signal?.aborted) return undefined;
  return imp.finish();
}

/** What the mapping dialog shows before a full import. */
export interface ImportPreview {
  /** The import report of the first `maxBytes` (encoding, delimiter, columns, mapping, messages, first rejects). */
  report: ImportReport;
  /** The first rows as text fields (header excluded), for a preview table. */
  rows: string[][];
}

/**
 * Reads only the beginning of a file (default 64 KB) to show the detected encoding, delimiter, columns and
 * mapping with a few rows, so the user can confirm or change the mapping before the full import. Example:
 * `previewTransactions(bytes).report.mapping.date?.name === '下单时间'` for the GBK fixture.
 */
export function previewTransactions(
  bytes: Uint8Array,
  options: ImportOptions = {},
  maxRows = 20,
  maxBytes = SNIFF_BYTES,
): ImportPreview {
  const head = bytes.subarray(0, Math.min(bytes.length, maxBytes));
  const final = head.length === bytes.length;
  const { report } = importTransactions(head, options);
  let text: Uint8Array = head;
  if (report.encoding !== 'utf-8')
    text = new TextEncoder().encode(new TextDecoder(report.encoding).decode(head, { stream: !final }));
  else if (report.bom) text = head.subarray(3);
  const recs = sampleRecords(text, 0, text.length, delimiterCode(report.delimiter), final, maxRows + 50);
  const skip = recs.findIndex(
    (r) =>
      r.length === report.columns.length &&
      (!report.hasHeader || r.join('\u0000').trim() === report.columns.join('\u0000').trim()),
  );
  const start = report.hasHeader ? Math.max(0, skip) + 1 : Math.max(0, skip);
  return { report, rows: recs.slice(start, start + maxRows) };
}
