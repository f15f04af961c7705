/**
 * Calendar days as integers, and a byte-level date reader for transaction logs.
 *
 * A date is stored as a day number: days since 1970-01-01 in the proleptic Gregorian calendar
 * (1970-01-01 = 0, 1997-01-01 = 9862). The day is the calendar date as written in the file (the shop's
 * local day): a time of day and a zone offset are read and validated but do not move the date, because
 * a purchase "2024-03-01 23:30 -05:00" happened on the shop's 1 March whatever UTC says.
 */

/**
 * Day number (days since 1970-01-01) of a civil date, valid for any year.
 * Algorithm: H. Hinnant, "chrono-compatible low-level date algorithms" (days_from_civil).
 * Example: `daysFromCivil(1997, 1, 1) === 9862`.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date {year, month 1-12, day 1-31} of a day number (inverse of daysFromCivil). Example: 9862 -> 1997-01-01. */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO text (YYYY-MM-DD) of a day number. Example: `isoDate(9862) === '1997-01-01'`. */
export function isoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days in a month (Gregorian leap years). Example: `daysInMonth(2024, 2) === 29`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Earliest and latest year accepted as a real transaction date (anything else is a typo or a sentinel). */
export const MIN_YEAR = 1800;
export const MAX_YEAR = 2299;

/** Day number of the Excel 1900 date system's day 0 (1899-12-30, which absorbs Excel's fake 1900-02-29). */
const EXCEL_EPOCH = daysFromCivil(1899, 12, 30);

/** What kind of text a date field held (numeric codes, so the hot loop compares small integers). */
export const DateKind = {
  /** Not a date at all (text, empty, garbage). */
  NotADate: 0,
  /** Looks like a date but is not a real calendar date (Feb 31, month 13, hour 25). */
  Invalid: 1,
  /** Year first (ISO, YYYYMMDD, YYYY/MM/DD, 2024年3月1日, month names): `day` is set. */
  Ymd: 2,
  /** Day and month order unknown (03/04/2024): `a`, `b`, `year` set; resolved with resolveXxy. */
  Xxy: 3,
  /** A plain number read as an Excel serial date (45000 = 2023-03-15): `day` is set. */
  Serial: 4,
  /** A real calendar date whose year is outside MIN_YEAR..MAX_YEAR (9999-12-31, 0001-01-01): `year` is set. */
  OutOfRange: 5,
} as const;
/** One of the DateKind codes. */
export type DateKind = (typeof DateKind)[keyof typeof DateKind];

/** Scratch result of parseDateBytes (one object reused for every row: no per-row allocation). */
export interface DateScratch {
  kind: DateKind;
  day: number;
  year: number;
  a: number;
  b: number;
  /** Separator of an Xxy date: 46 '.', 47 '/', 45 '-' (DD.MM.YYYY is day-first wherever it is used). */
  sep: number;
}

/** A fresh scratch object for parseDateBytes. */
export function dateScratch(): DateScratch {
  return { kind: DateKind.NotADate, day: 0, year: 0, a: 0, b: 0, sep: 0 };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// Token stream of one field: numbers (value, digit count) and words (month index or -1), reused.
const MAX_TOKENS = 32;
const tokVal = new Float64Array(MAX_TOKENS);
const tokLen = new Int32Array(MAX_TOKENS);
const tokType = new Int32Array(MAX_TOKENS); // 1 number, 2 month word, 3 other word, 4 ':' , 5 '+', 6 '-', 7 'T', 8 'Z', 9 am, 10 pm, 11 '.', 12 '/', 13 CJK date mark
let nTok = 0;

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Tokenizes bytes [s, e) into tokType/tokVal/tokLen. Returns false on a character no date contains. */
function tokenize(buf: Uint8Array, s: number, e: number): boolean {
  nTok = 0;
  let i = s;
  while (i < e) {
    const c = buf[i];
    if (nTok >= MAX_TOKENS) return false;
    if (c >= 48 && c <= 57) {
      let v = 0;
      const st = i;
      while (i < e && buf[i] >= 48 && buf[i] <= 57) {
        v = v * 10 + (buf[i] - 48);
        i++;
      }
      tokType[nTok] = 1;
      tokVal[nTok] = v;
      tokLen[nTok] = i - st;
      nTok++;
    } else if (isLetter(c)) {
      const st = i;
      while (i < e && (isLetter(buf[i]) || buf[i] === 46)) i++;
      let end = i;
      while (end > st && buf[end - 1] === 46) end--; // "a.m." / "Mar."
      const len = end - st;
      let type = 3;
      let val = -1;
      if (len === 1 && lower(c) === 116) type = 7;
      else if (len === 1 && lower(c) === 122) type = 8;
      else if (len >= 2) {
        const w0 = lower(buf[st]);
        const w1 = lower(buf[st + 1]);
        if (len === 2 && w1 === 109 && (w0 === 97 || w0 === 112)) type = w0 === 97 ? 9 : 10;
        else if (len === 4 && w0 === 97 && w1 === 46) type = 9;
        else if (len >= 3) {
          const key = String.fromCharCode(w0, w1, lower(buf[st + 2]));
          const m = MONTHS.indexOf(key);
          if (m >= 0) {
            type = 2;
            val = m + 1;
          } else if (WEEKDAYS.includes(key))
            type = 0; // weekday names are skipped
          else if (key === 'utc' || key === 'gmt') type = 8;
        }
      }
      if (type !== 0) {
        tokType[nTok] = type;
        tokVal[nTok] = val;
        tokLen[nTok] = len;
        nTok++;
      }
    } else if (c === 58) {
      tokType[nTok++] = 4;
      i++;
    } else if (c === 43) {
      tokType[nTok++] = 5;
      i++;
    } else if (c === 45) {
      tokType[nTok++] = 6;
      i++;
    } else if (c === 46) {
      tokType[nTok++] = 11;
      i++;
    } else if (c === 47) {
      tokType[nTok++] = 12;
      i++;
    } else if (c === 32 || c === 9 || c === 44 || c === 34 || c === 39) {
      i++; // spaces, commas ("Mar 1, 2024"), stray quotes separate tokens
    } else if (c === 0xe5 && i + 2 < e && buf[i + 1] === 0xb9 && buf[i + 2] === 0xb4) {
      tokType[nTok++] = 13; // 年
      i += 3;
    } else if (c === 0xe6 && i + 2 < e && buf[i + 1] === 0x9c && buf[i + 2] === 0x88) {
      tokType[nTok++] = 13; // 月
      i += 3;
    } else if (c === 0xe6 && i + 2 < e && buf[i + 1] === 0x97 && buf[i + 2] === 0xa5) {
      i += 3; // 日 ends the date
    } else if (c === 0xe5 && i + 2 < e && buf[i + 1] === 0x8f && buf[i + 2] === 0xb7) {
      i += 3; // 号 ends the date
    } else return false;
  }
  return true;
}

// Set by validTail when it failed on a value out of range (hour 25) rather than on text that is no time at all.
let tailOutOfRange = false;

/** The kind to return when validTail failed: Invalid for an impossible time, NotADate for garbage. */
function tailFail(out: DateScratch): DateKind {
  out.kind = tailOutOfRange ? DateKind.Invalid : DateKind.NotADate;
  return out.kind;
}

/** Reads an optional time of day + zone from token k on; true when everything left is a valid time. */
function validTail(k: number): boolean {
  tailOutOfRange = false;
  if (k < nTok && tokType[k] === 7) k++; // 'T'
  if (k >= nTok) return true;
  if (tokType[k] !== 1) return false;
  const hh = tokVal[k];
  let mm = 0;
  let ss = 0;
  k++;
  if (k < nTok && tokType[k] === 4) {
    if (k + 1 >= nTok || tokType[k + 1] !== 1) return false;
    mm = tokVal[k + 1];
    k += 2;
    if (k < nTok && tokType[k] === 4) {
      if (k + 1 >= nTok || tokType[k + 1] !== 1) return false;
      ss = tokVal[k + 1];
      k += 2;
      if (k < nTok && tokType[k] === 11 && k + 1 < nTok && tokType[k + 1] === 1) k += 2; // fraction
    }
  } else if (k < nTok && tokType[k] !== 9 && tokType[k] !== 10) return false; // a bare number after the date
  let maxHour = 23;
  if (k < nTok && (tokType[k] === 9 || tokType[k] === 10)) {
    if (hh < 1 || hh > 12) return !(tailOutOfRange = true);
    maxHour = 12;
    k++;
  }
  if (hh > maxHour || mm > 59 || ss > 60) return !(tailOutOfRange = true);
  if (k < nTok && tokType[k] === 8) k++; // Z / UTC / GMT
  if (k < nTok && (tokType[k] === 5 || tokType[k] === 6)) {
    if (k + 1 >= nTok || tokType[k + 1] !== 1) return false;
    const len = tokLen[k + 1];
    const v = tokVal[k + 1];
    let oh = v;
    let om = 0;
    if (len === 4) {
      oh = Math.floor(v / 100);
      om = v % 100;
    } else if (len > 2) return false;
    k += 2;
    if (k < nTok && tokType[k] === 4 && k + 1 < nTok && tokType[k + 1] === 1) {
      om = tokVal[k + 1];
      k += 2;
    }
    if (oh > 14 || om > 59) return !(tailOutOfRange = true);
  }
  return k === nTok;
}

/** Value of `n` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(buf: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

// Day number of the 1st of every month MIN_YEAR-01 .. MAX_YEAR-12 (+ one sentinel): a date is a lookup.
const MONTH_START = new Int32Array((MAX_YEAR - MIN_YEAR + 1) * 12 + 1);
for (let i = 0; i < MONTH_START.length; i++)
  MONTH_START[i] = daysFromCivil(MIN_YEAR + Math.floor(i / 12), (i % 12) + 1, 1);

function setYmd(out: DateScratch, y: number, m: number, d: number): DateKind {
  if (m < 1 || m > 12 || d < 1) {
    out.kind = DateKind.Invalid;
    return DateKind.Invalid;
  }
  if (y < MIN_YEAR || y > MAX_YEAR) {
    out.year = y;
    // a typo or a placeholder (9999-12-31) when it is a real date; "not a real date" when it is not
    out.kind = d <= daysInMonth(y, m) ? DateKind.OutOfRange : DateKind.Invalid;
    return out.kind;
  }
  const at = (y - MIN_YEAR) * 12 + m - 1;
  const first = MONTH_START[at];
  if (d > MONTH_START[at + 1] - first) {
    out.kind = DateKind.Invalid;
    return DateKind.Invalid;
  }
  out.kind = DateKind.Ymd;
  out.day = first + d - 1;
  return DateKind.Ymd;
}

function twoDigitYear(v: number, len: number): number {
  if (len === 4) return v;
  if (len === 2) return v < 70 ? 2000 + v : 1900 + v;
  return -1;
}

/**
 * Reads a date from the bytes [start, end) of a UTF-8 field, without allocating.
 * Accepts ISO 8601 with optional time and zone (2024-03-01, 2024-03-01T10:00:00+08:00), YYYYMMDD (CDNOW's
 * 19970101), YYYY/MM/DD, YYYY.MM.DD, 2024年3月1日, DD/MM/YYYY or MM/DD/YYYY (kind Xxy: order left to the caller),
 * DD.MM.YYYY, two-digit years (pivot 70), month names (01-Mar-2024, Mar 1, 2024, Fri, 01 Mar 2024 10:00:00 +0000),
 * and, when `allowSerial`, Excel serial numbers (45000, 45000.5: 1900 date system).
 * Returns the kind; on Ymd/Serial `out.day` is the day number.
 */
export function parseDateBytes(
  buf: Uint8Array,
  start: number,
  end: number,
  out: DateScratch,
  allowSerial: boolean,
): DateKind {
  out.kind = DateKind.NotADate;
  while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
  while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  if (start >= end) return DateKind.NotADate;
  // fast paths (no tokenizing): YYYY-MM-DD, YYYY/MM/DD, "YYYY-MM-DD hh:mm:ss", YYYYMMDD
  const len = end - start;
  if (
    len === 10 ||
    (len === 19 &&
      (buf[start + 10] === 32 || buf[start + 10] === 84) &&
      buf[start + 13] === 58 &&
      buf[start + 16] === 58)
  ) {
    const sep = buf[start + 4];
    if ((sep === 45 || sep === 47) && buf[start + 7] === sep) {
      const y = digits(buf, start, 4);
      const m = digits(buf, start + 5, 2);
      const d = digits(buf, start + 8, 2);
      if (y >= 0 && m >= 0 && d >= 0) {
        if (len === 19) {
          const hh = digits(buf, start + 11, 2);
          const mi = digits(buf, start + 14, 2);
          const ss = digits(buf, start + 17, 2);
          if (hh < 0 || mi < 0 || ss < 0) return DateKind.NotADate;
          if (hh > 23 || mi > 59 || ss > 60) return (out.kind = DateKind.Invalid);
        }
        return setYmd(out, y, m, d);
      }
    }
  } else if (len === 8) {
    const v = digits(buf, start, 8);
    if (v >= 0) return setYmd(out, Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
  }
  if (!tokenize(buf, start, end)) return DateKind.NotADate;
  if (nTok === 0) return DateKind.NotADate;
  const t0 = tokType[0];
  if (t0 === 1) {
    const len0 = tokLen[0];
    const v0 = tokVal[0];
    // All digits: YYYYMMDD, YYYYMMDDhhmmss, or an Excel serial.
    if (
      nTok === 1 ||
      (nTok >= 2 &&
        tokType[1] !== 6 &&
        tokType[1] !== 12 &&
        tokType[1] !== 11 &&
        tokType[1] !== 13 &&
        tokType[1] !== 2 &&
        len0 === 8)
    ) {
      if (len0 === 8) {
        const kind = setYmd(out, Math.floor(v0 / 10000), Math.floor(v0 / 100) % 100, v0 % 100);
        if (kind !== DateKind.Ymd) return kind;
        if (!validTail(1)) return tailFail(out);
        return kind;
      }
      if (nTok === 1 && len0 === 14) {
        const d8 = Math.floor(v0 / 1e6);
        const kind = setYmd(out, Math.floor(d8 / 10000), Math.floor(d8 / 100) % 100, d8 % 100);
        const hms = v0 % 1e6;
        if (
          kind === DateKind.Ymd &&
          (Math.floor(hms / 10000) > 23 || Math.floor(hms / 100) % 100 > 59 || hms % 100 > 60)
        )
          return (out.kind = DateKind.Invalid);
        return kind;
      }
      if (nTok === 1 && allowSerial && len0 <= 5 && v0 >= 1) return serial(out, v0);
      return DateKind.NotADate;
    }
    // Serial with a fraction: 45000.5
    if (allowSerial && nTok === 3 && tokType[1] === 11 && tokType[2] === 1 && len0 <= 5 && v0 >= 1)
      return serial(out, v0);
    if (nTok < 3) return DateKind.NotADate;
    const sep = tokType[1];
    if (sep !== 6 && sep !== 12 && sep !== 11 && sep !== 13) {
      // "01 Mar 2024" (space-separated, month name)
      if (tokType[1] === 2 && tokType[2] === 1 && len0 <= 2) {
        const y = twoDigitYear(tokVal[2], tokLen[2]);
        if (y < 0) return DateKind.NotADate;
        if (!validTail(3)) return tailFail(out);
        return setYmd(out, y, tokVal[1], v0);
      }
      return DateKind.NotADate;
    }
    // number sep X sep number ...
    if (nTok < 5) {
      return DateKind.NotADate;
    }
    const t2 = tokType[2];
    const sep2 = tokType[3];
    if (tokType[4] !== 1) return DateKind.NotADate;
    if (len0 === 4) {
      // Year first: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, 2024年3月1日, 2024-Mar-01
      if (sep2 !== sep && !(sep === 13 && sep2 === 13)) return DateKind.NotADate;
      const m = t2 === 1 || t2 === 2 ? tokVal[2] : -1;
      if (m < 0 || (t2 === 1 && tokLen[2] > 2) || tokLen[4] > 2) return DateKind.NotADate;
      if (!validTail(5)) return tailFail(out);
      return setYmd(out, v0, m, tokVal[4]);
    }
    if (len0 > 2 || sep2 !== sep || sep === 13) return DateKind.NotADate;
    const y = twoDigitYear(tokVal[4], tokLen[4]);
    if (y < 0) return DateKind.NotADate;
    if (!validTail(5)) return tailFail(out);
    if (t2 === 2) return setYmd(out, y, tokVal[2], v0); // 01-Mar-2024
    if (t2 !== 1 || tokLen[2] > 2) return DateKind.NotADate;
    const a = v0;
    const b = tokVal[2];
    out.year = y;
    out.a = a;
    out.b = b;
    out.sep = sep === 11 ? 46 : sep === 12 ? 47 : 45;
    if (a < 1 || b < 1 || (a > 12 && b > 12) || a > 31 || b > 31) return (out.kind = DateKind.Invalid);
    if (y < MIN_YEAR || y > MAX_YEAR) return (out.kind = DateKind.OutOfRange);
    out.kind = DateKind.Xxy;
    return DateKind.Xxy;
  }
  if (t0 === 2 && nTok >= 3 && tokType[1] === 1 && tokType[2] === 1) {
    // "Mar 1, 2024" / "March 1 2024 10:00"
    const y = twoDigitYear(tokVal[2], tokLen[2]);
    if (y < 0 || tokLen[1] > 2) return DateKind.NotADate;
    if (!validTail(3)) return tailFail(out);
    return setYmd(out, y, tokVal[0], tokVal[1]);
  }
  return DateKind.NotADate;
}

function serial(out: DateScratch, v: number): DateKind {
  // Excel 1900 system: serial 1 = 1900-01-01; 60 is the non-existent 1900-02-29.
  if (v === 60) return (out.kind = DateKind.Invalid);
  const day = v < 60 ? EXCEL_EPOCH + v + 1 : EXCEL_EPOCH + v;
  const y = civilFromDays(day).year;
  out.year = y;
  if (y < MIN_YEAR || y > MAX_YEAR) return (out.kind = DateKind.OutOfRange);
  out.day = day;
  out.kind = DateKind.Serial;
  return DateKind.Serial;
}

/**
 * "No day": the value resolveXxy returns for a pair that is not a real date. Day numbers are negative before
 * 1970 (1969-12-31 = -1, 1900-01-01 = -25,567), so no small negative number can mark "none"; this is INT32_MIN,
 * far below MIN_YEAR's day numbers (~ -62,000), and still fits an Int32Array.
 */
export const NO_DAY = -0x80000000;

/**
 * Day number of the day/month pair (a, b) of an Xxy date read as DD/MM (dmy = true) or MM/DD; NO_DAY when that
 * reading is not a real date. Example: `resolveXxy(1969, 31, 12, true) === -1` (1969-12-31).
 */
export function resolveXxy(year: number, a: number, b: number, dmy: boolean): number {
  const d = dmy ? a : b;
  const m = dmy ? b : a;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(year, m)) return NO_DAY;
  return daysFromCivil(year, m, d);
}

/**
 * Parses a date option given as text (CLI `--calibration-end 1997-09-30`, UI fields): any format
 * parseDateBytes reads year-first, or DD/MM/YYYY-style text when `order` says which. Returns a day number or
 * undefined. Example: `parseDateText('1997-09-30') === 10134`.
 */
export function parseDateText(text: string, order: 'dmy' | 'mdy' = 'dmy'): number | undefined {
  const bytes = new TextEncoder().encode(text);
  const s = dateScratch();
  const kind = parseDateBytes(bytes, 0, bytes.length, s, false);
  if (kind === DateKind.Ymd) return s.day;
  if (kind === DateKind.Xxy) {
    const d = resolveXxy(s.year, s.a, s.b, order === 'dmy');
    return d === NO_DAY ? undefined : d;
  }
  return undefined;
}
