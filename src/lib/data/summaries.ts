/**
 * Strict readers of ready-made summary CSVs (the model fitters' inputs), from text. They never throw: every
 * problem is returned as `{ line, column, message }` (1-based line; 1-based character column where the field
 * starts), and a table is returned only for the rows that passed. Lines starting with '#' and blank lines are
 * skipped; a UTF-8 BOM and CRLF line endings are accepted; header names are case-insensitive and extra
 * columns are ignored. Fields may be quoted RFC 4180 style ("Smith, J", "say ""hi""", line breaks inside).
 * Numbers are plain decimals ("1.5", "2e3"); "NaN", "Inf", "" and values beyond float64 ("1e400") are
 * rejected. Echoed user text is cut to 80 characters.
 *
 * - RFM (lifetimes' names): `customer_id,frequency,recency,T[,monetary_value]` — x repeat purchases,
 *   recency t_x (time of the last repeat purchase since the first), age T, mean repeat spend; all times in the
 *   data's own unit. Aliases: id/cust for customer_id, x, t_x / t.x, t.cal / t_cal, m.x / zbar / monetary.
 * - BG/BB (lifetimes' donations.csv): `frequency,recency,periods[,weights]`.
 * - Survival (sBG/BdW): `period,alive` or `cohort,period,alive`, alive = customers active at the start of the
 *   period (period 0 = cohort size).
 */

/** A problem in the input text. */
export interface SummaryError {
  /** 1-based line number in the text. */
  line: number;
  /** 1-based character column where the offending field starts (1 for whole-line problems). */
  column: number;
  message: string;
}

/** Per-customer RFM summary as typed columns (one entry per accepted row). */
export interface RfmTable {
  customerId: string[];
  /** x: number of repeat purchases (>= 0, whole number). */
  frequency: Float64Array;
  /** t_x: time of the last repeat purchase, since the first purchase (0 when x = 0), data time units. */
  recency: Float64Array;
  /** T: time since the first purchase until the end of the calibration period, data time units. */
  T: Float64Array;
  /** Mean spend per repeat purchase (currency units), or null when the file has no monetary column. */
  monetaryValue: Float64Array | null;
  /** Source line of each row, for messages. */
  lines: Int32Array;
}

/** BG/BB recency/frequency table: x transactions in n opportunities, last at t_x, `weights` customers each. */
export interface BgBbTable {
  frequency: Float64Array;
  recency: Float64Array;
  periods: Float64Array;
  weights: Float64Array;
  /** Source line of each row, for messages. */
  lines: Int32Array;
}

/** One acquisition cohort of survival data: `alive[t]` active at the start of period t (alive[0] = size). */
export interface SurvivalCohort {
  label: string;
  alive: Float64Array;
}

export interface SummaryResult<T> {
  table: T;
  errors: SummaryError[];
}

interface Field {
  text: string;
  column: number;
}
interface Row {
  line: number;
  fields: Field[];
}

/** Longest echo of user text inside a message (a 2 MB header must not come back as a 2 MB message). */
const ECHO_MAX = 80;

/**
 * User text made safe to quote in a one-line message: control characters shown as U+FFFD and anything beyond
 * 80 characters cut with "…". Example: clip("x".repeat(1000)) is 80 x's then "… (1,000 characters)".
 */
export function clip(text: string, max = ECHO_MAX): string {
  // eslint-disable-next-line no-control-regex
  const safe = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  if (text.length <= max) return safe(text);
  return `${safe(text.slice(0, max))}… (${text.length.toLocaleString('en-US')} characters)`;
}

/**
 * Splits text into non-comment, non-blank rows of comma-separated fields, RFC 4180 style: a field may be
 * enclosed in double quotes, and then holds commas, line breaks (LF or CRLF, kept as they are) and doubled
 * quotes ("" = one "). Spaces around fields (and around a quoted field's quotes) are trimmed. A row's `line` is
 * the line it starts on; a field's `column` is where it starts on its own line. A quote that is never closed
 * is an error at the opening quote, and reading stops there (the rest of the text is inside the quote).
 */
function splitRows(text: string, errors?: SummaryError[]): Row[] {
  const rows: Row[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const len = text.length;
  let pos = 0; // start of the current physical line
  let lineNo = 0;
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    lineNo++;
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      pos = nl + 1;
      continue;
    }
    if (line.indexOf('"') < 0) {
      // Fast path: no quotes on this line.
      const fields: Field[] = [];
      let start = 0;
      for (;;) {
        let end = line.indexOf(',', start);
        if (end < 0) end = line.length;
        fields.push({ text: line.slice(start, end).trim(), column: start + 1 });
        if (end >= line.length) break;
        start = end + 1;
      }
      rows.push({ line: lineNo, fields });
      pos = nl + 1;
      continue;
    }
    // Quoted fields: a character scanner over the whole text from this line on.
    const rowLine = lineNo;
    const fields: Field[] = [];
    let lineStart = pos;
    let i = pos;
    for (;;) {
      // One field starting at i.
      const column = i - lineStart + 1;
      let j = i;
      while (j < len && (text[j] === ' ' || text[j] === '\t')) j++;
      let value: string;
      if (text[j] === '"') {
        const openLine = lineNo;
        const openCol = j - lineStart + 1;
        let buf = '';
        j++;
        let closed = false;
        while (j < len) {
          const q = text.indexOf('"', j);
          if (q < 0) break;
          const chunk = text.slice(j, q);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) {
            lineNo++;
            lineStart = j + k + 1;
          }
          buf += chunk;
          if (text[q + 1] === '"') {
            buf += '"';
            j = q + 2;
          } else {
            j = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          errors?.push({
            line: openLine,
            column: openCol,
            message: 'a quoted field is never closed (a " without its closing ")',
          });
          // The rest of the text is inside the open quote: stop here.
          return rows;
        }
        value = buf;
        // Anything between the closing quote and the next comma / line end must be blank.
        let k = j;
        while (k < len && text[k] !== ',' && text[k] !== '\n') k++;
        const rest = text.slice(j, k).replace(/\r$/, '');
        if (rest.trim() !== '') value += rest.trimEnd();
        j = k;
      } else {
        let k = j;
        while (k < len && text[k] !== ',' && text[k] !== '\n') k++;
        value = text.slice(j, k).replace(/\r$/, '').trim();
        j = k;
      }
      fields.push({ text: value, column });
      if (j < len && text[j] === ',') {
        i = j + 1;
        continue;
      }
      i = j; // at '\n' or end of text
      break;
    }
    rows.push({ line: rowLine, fields });
    pos = i + 1;
  }
  return rows;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(
  f: Field | undefined,
  name: string,
  line: number,
  errors: SummaryError[],
  col0: number,
): number {
  if (f === undefined || f.text === '') {
    errors.push({ line, column: f?.column ?? col0, message: `${name} is empty (expected a number)` });
    return NaN;
  }
  if (!NUMBER_RE.test(f.text)) {
    errors.push({ line, column: f.column, message: `${name} must be a number (got "${clip(f.text)}")` });
    return NaN;
  }
  const v = Number(f.text);
  if (!Number.isFinite(v)) {
    errors.push({
      line,
      column: f.column,
      message: `${name} ${clip(f.text)} is too large (numbers must be below 1.8e308, the float64 limit)`,
    });
    return NaN;
  }
  return v;
}

function findColumn(header: Field[], aliases: readonly string[]): number {
  for (let j = 0; j < header.length; j++) {
    const h = header[j].text.trim().toLowerCase();
    if (aliases.includes(h)) return j;
  }
  return -1;
}

function emptyRfm(): RfmTable {
  return {
    customerId: [],
    frequency: new Float64Array(0),
    recency: new Float64Array(0),
    T: new Float64Array(0),
    monetaryValue: null,
    lines: new Int32Array(0),
  };
}

/** Relative slack for t_x <= T and similar checks: summaries rounded to 2 dp must still pass. */
const SLACK = 1e-9;

/**
 * Reads an RFM summary CSV (`customer_id,frequency,recency,T[,monetary_value]`). Rules: frequency a whole
 * number >= 0; recency >= 0, recency = 0 when frequency = 0; T > 0; recency <= T; monetary_value >= 0 (must be
 * present when `requireMonetary`). Example: "customer_id,frequency,recency,T\n1,2,30.43,38.86\n" gives one row
 * with x = 2, t_x = 30.43, T = 38.86 and no errors.
 */
export function readRfmCsv(
  text: string,
  options: { requireMonetary?: boolean } = {},
): SummaryResult<RfmTable> {
  const errors: SummaryError[] = [];
  const rows = splitRows(text, errors);
  if (rows.length === 0) {
    errors.push({
      line: 1,
      column: 1,
      message: 'the file is empty (expected a header customer_id,frequency,recency,T[,monetary_value])',
    });
    return { table: emptyRfm(), errors };
  }
  const header = rows[0].fields;
  const hl = rows[0].line;
  const iId = findColumn(header, ['customer_id', 'id', 'cust', 'customer', 'customerid']);
  const iX = findColumn(header, ['frequency', 'x']);
  const iR = findColumn(header, ['recency', 't_x', 't.x', 'tx']);
  const iT = findColumn(header, ['t', 't.cal', 't_cal', 'age']);
  const iM = findColumn(header, ['monetary_value', 'm.x', 'zbar', 'monetary', 'm_x']);
  const missing: string[] = [];
  if (iX < 0) missing.push('frequency');
  if (iR < 0) missing.push('recency');
  if (iT < 0) missing.push('T');
  if (options.requireMonetary && iM < 0) missing.push('monetary_value');
  if (missing.length > 0) {
    errors.push({
      line: hl,
      column: 1,
      message: `header is missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected customer_id,frequency,recency,T[,monetary_value]; got ${clip(header.map((f) => f.text).join(','))})`,
    });
    return { table: emptyRfm(), errors };
  }
  const n = rows.length - 1;
  const ids: string[] = [];
  const fx = new Float64Array(n);
  const fr = new Float64Array(n);
  const fT = new Float64Array(n);
  const fm = iM >= 0 ? new Float64Array(n) : null;
  const lines = new Int32Array(n);
  let k = 0;
  for (let i = 1; i < rows.length; i++) {
    const { line, fields } = rows[i];
    const before = errors.length;
    if (fields.length <= Math.max(iX, iR, iT)) {
      errors.push({ line, column: 1, message: `expected ${header.length} fields, got ${fields.length}` });
      continue;
    }
    const endCol = (fields[fields.length - 1]?.column ?? 1) + (fields[fields.length - 1]?.text.length ?? 0);
    const x = parseNumber(fields[iX], 'frequency', line, errors, endCol);
    const r = parseNumber(fields[iR], 'recency', line, errors, endCol);
    const T = parseNumber(fields[iT], 'T', line, errors, endCol);
    let m = 0;
    if (iM >= 0) {
      if (fields.length > iM && fields[iM].text !== '')
        m = parseNumber(fields[iM], 'monetary_value', line, errors, endCol);
      else if (options.requireMonetary)
        errors.push({
          line,
          column: fields[iM]?.column ?? endCol,
          message: 'monetary_value is empty (expected a number)',
        });
    }
    if (errors.length === before) {
      if (!(x >= 0) || x !== Math.floor(x))
        errors.push({
          line,
          column: fields[iX].column,
          message: `frequency must be a whole number >= 0 (got ${clip(fields[iX].text)})`,
        });
      if (!(r >= 0))
        errors.push({
          line,
          column: fields[iR].column,
          message: `recency must be >= 0 (got ${clip(fields[iR].text)})`,
        });
      if (!(T > 0))
        errors.push({
          line,
          column: fields[iT].column,
          message: `T must be > 0 (got ${clip(fields[iT].text)})`,
        });
      if (iM >= 0 && !(m >= 0))
        errors.push({
          line,
          column: fields[iM].column,
          message: `monetary_value must be >= 0 (got ${clip(fields[iM].text)})`,
        });
    }
    if (errors.length === before && r > T * (1 + SLACK)) {
      errors.push({
        line,
        column: fields[iR].column,
        message: `recency ${clip(fields[iR].text)} is greater than T ${clip(fields[iT].text)} (recency must be <= T)`,
      });
    }
    if (errors.length === before && x === 0 && r !== 0) {
      errors.push({
        line,
        column: fields[iR].column,
        message: `recency must be 0 when frequency is 0 (got ${clip(fields[iR].text)})`,
      });
    }
    if (errors.length !== before) continue;
    ids.push(iId >= 0 && fields.length > iId ? fields[iId].text : String(i));
    fx[k] = x;
    fr[k] = Math.min(r, T);
    fT[k] = T;
    if (fm) fm[k] = m;
    lines[k] = line;
    k++;
  }
  if (n === 0) errors.push({ line: hl, column: 1, message: 'no data rows after the header' });
  return {
    table: {
      customerId: ids,
      frequency: fx.slice(0, k),
      recency: fr.slice(0, k),
      T: fT.slice(0, k),
      monetaryValue: fm ? fm.slice(0, k) : null,
      lines: lines.slice(0, k),
    },
    errors,
  };
}

/**
 * Reads a BG/BB summary (`frequency,recency,periods[,weights]`, lifetimes' donations.csv). Rules: whole numbers;
 * 0 <= frequency <= recency <= periods, periods >= 1, recency = 0 iff frequency = 0; weights > 0 (default 1).
 * Example: "frequency,recency,periods,weights\n6,6,6,1203\n" gives one row with weight 1203.
 */
export function readBgBbCsv(text: string): SummaryResult<BgBbTable> {
  const errors: SummaryError[] = [];
  const empty: BgBbTable = {
    frequency: new Float64Array(0),
    recency: new Float64Array(0),
    periods: new Float64Array(0),
    weights: new Float64Array(0),
    lines: new Int32Array(0),
  };
  const rows = splitRows(text, errors);
  if (rows.length === 0) {
    errors.push({
      line: 1,
      column: 1,
      message: 'the file is empty (expected a header frequency,recency,periods[,weights])',
    });
    return { table: empty, errors };
  }
  const header = rows[0].fields;
  const iX = findColumn(header, ['frequency', 'x']);
  const iR = findColumn(header, ['recency', 't_x', 't.x']);
  const iN = findColumn(header, ['periods', 'n', 'n.cal', 't']);
  const iW = findColumn(header, ['weights', 'weight', 'count', 'custs']);
  const missing = [iX < 0 ? 'frequency' : '', iR < 0 ? 'recency' : '', iN < 0 ? 'periods' : ''].filter(
    Boolean,
  );
  if (missing.length) {
    errors.push({
      line: rows[0].line,
      column: 1,
      message: `header is missing ${missing.join(', ')} (expected frequency,recency,periods[,weights])`,
    });
    return { table: empty, errors };
  }
  const n = rows.length - 1;
  const fx = new Float64Array(n);
  const fr = new Float64Array(n);
  const fn = new Float64Array(n);
  const fw = new Float64Array(n);
  const fl = new Int32Array(n);
  let k = 0;
  for (let i = 1; i < rows.length; i++) {
    const { line, fields } = rows[i];
    const before = errors.length;
    const endCol = (fields[fields.length - 1]?.column ?? 1) + (fields[fields.length - 1]?.text.length ?? 0);
    const x = parseNumber(fields[iX], 'frequency', line, errors, endCol);
    const r = parseNumber(fields[iR], 'recency', line, errors, endCol);
    const p = parseNumber(fields[iN], 'periods', line, errors, endCol);
    const w = iW >= 0 ? parseNumber(fields[iW], 'weights', line, errors, endCol) : 1;
    if (errors.length === before) {
      const whole = (v: number) => v >= 0 && v === Math.floor(v);
      if (!whole(x))
        errors.push({
          line,
          column: fields[iX].column,
          message: `frequency must be a whole number >= 0 (got ${clip(fields[iX].text)})`,
        });
      else if (!whole(r))
        errors.push({
          line,
          column: fields[iR].column,
          message: `recency must be a whole number >= 0 (got ${clip(fields[iR].text)})`,
        });
      else if (!whole(p) || p < 1)
        errors.push({
          line,
          column: fields[iN].column,
          message: `periods must be a whole number >= 1 (got ${clip(fields[iN].text)})`,
        });
      else if (r > p)
        errors.push({
          line,
          column: fields[iR].column,
          message: `recency ${r} is greater than periods ${p}`,
        });
      else if (x > r)
        errors.push({
          line,
          column: fields[iX].column,
          message: `frequency ${x} is greater than recency ${r} (x transactions need at least x opportunities)`,
        });
      else if ((x === 0) !== (r === 0))
        errors.push({
          line,
          column: fields[iR].column,
          message: 'recency must be 0 exactly when frequency is 0',
        });
      else if (!(w > 0))
        errors.push({
          line,
          column: fields[iW].column,
          message: `weights must be > 0 (got ${clip(fields[iW].text)})`,
        });
    }
    if (errors.length !== before) continue;
    fx[k] = x;
    fr[k] = r;
    fn[k] = p;
    fw[k] = w;
    fl[k] = line;
    k++;
  }
  if (n === 0) errors.push({ line: rows[0].line, column: 1, message: 'no data rows after the header' });
  return {
    table: {
      frequency: fx.slice(0, k),
      recency: fr.slice(0, k),
      periods: fn.slice(0, k),
      weights: fw.slice(0, k),
      lines: fl.slice(0, k),
    },
    errors,
  };
}

/**
 * Reads survival data for sBG/BdW: `period,alive` (one cohort) or `cohort,period,alive`. Per cohort the
 * periods must be 0, 1, 2, ... without gaps (any row order), alive >= 0 and non-increasing, alive[0] > 0.
 * Example: "period,alive\n0,1000\n1,631\n2,468\n" gives one cohort [1000, 631, 468].
 */
export function readSurvivalCsv(text: string): SummaryResult<SurvivalCohort[]> {
  const errors: SummaryError[] = [];
  const rows = splitRows(text, errors);
  if (rows.length === 0) {
    errors.push({
      line: 1,
      column: 1,
      message: 'the file is empty (expected a header period,alive or cohort,period,alive)',
    });
    return { table: [], errors };
  }
  const header = rows[0].fields;
  const iC = findColumn(header, ['cohort']);
  const iP = findColumn(header, ['period', 'year', 'month', 't']);
  const iA = findColumn(header, ['alive', 'active', 'customers', 'survivors']);
  if (iP < 0 || iA < 0) {
    errors.push({
      line: rows[0].line,
      column: 1,
      message: `header must have period and alive columns (got ${clip(header.map((f) => f.text).join(','))})`,
    });
    return { table: [], errors };
  }
  const byCohort = new Map<string, { period: number; alive: number; line: number; column: number }[]>();
  for (let i = 1; i < rows.length; i++) {
    const { line, fields } = rows[i];
    const before = errors.length;
    const endCol = (fields[fields.length - 1]?.column ?? 1) + (fields[fields.length - 1]?.text.length ?? 0);
    const label = iC >= 0 ? (fields[iC]?.text ?? '') : 'all';
    if (iC >= 0 && label === '')
      errors.push({ line, column: fields[iC]?.column ?? endCol, message: 'cohort is empty' });
    const p = parseNumber(fields[iP], 'period', line, errors, endCol);
    const a = parseNumber(fields[iA], 'alive', line, errors, endCol);
    if (errors.length === before) {
      if (!(p >= 0) || p !== Math.floor(p))
        errors.push({
          line,
          column: fields[iP].column,
          message: `period must be a whole number >= 0 (got ${clip(fields[iP].text)})`,
        });
      else if (!(a >= 0))
        errors.push({
          line,
          column: fields[iA].column,
          message: `alive must be >= 0 (got ${clip(fields[iA].text)})`,
        });
    }
    if (errors.length !== before) continue;
    let list = byCohort.get(label);
    if (!list) byCohort.set(label, (list = []));
    list.push({ period: p, alive: a, line, column: fields[iA].column });
  }
  const cohorts: SurvivalCohort[] = [];
  for (const [label, list] of byCohort) {
    list.sort((u, v) => u.period - v.period);
    let ok = true;
    for (let t = 0; t < list.length && ok; t++) {
      const e = list[t];
      if (e.period !== t) {
        errors.push({
          line: e.line,
          column: 1,
          message: `cohort ${clip(label)}: period ${t} is ${t < e.period ? 'missing' : 'repeated'} (periods must be 0, 1, 2, ... without gaps)`,
        });
        ok = false;
      } else if (t === 0 && !(e.alive > 0)) {
        errors.push({
          line: e.line,
          column: e.column,
          message: `cohort ${clip(label)}: alive at period 0 (the cohort size) must be > 0`,
        });
        ok = false;
      } else if (t > 0 && e.alive > list[t - 1].alive) {
        errors.push({
          line: e.line,
          column: e.column,
          message: `cohort ${clip(label)}: alive rises from ${list[t - 1].alive} to ${e.alive} at period ${t} (survivors cannot increase)`,
        });
        ok = false;
      }
    }
    if (ok) cohorts.push({ label, alive: Float64Array.from(list, (e) => e.alive) });
  }
  if (rows.length === 1)
    errors.push({ line: rows[0].line, column: 1, message: 'no data rows after the header' });
  return { table: cohorts, errors };
}
