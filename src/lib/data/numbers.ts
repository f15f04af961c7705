/**
 * Byte-level money/number reader: "1,234.50", "1.234,50", "¥1,234", "$12", "R$ 500,00", "-3.20", "(3.20)",
 * "1 234,50" (space or no-break space groups), "1'234.50" (Swiss), "12.5e3". No string is allocated.
 */

/** How an ambiguous single separator followed by exactly three digits ("1,234" / "1.234") is read. */
export type DecimalSeparator = '.' | ',';

/** Result codes of parseAmountBytes besides a value: NaN means "not a number". */
export interface AmountScratch {
  /** The value (NaN when the text is not a number). */
  value: number;
  /** True when the text was empty (after trimming). */
  empty: boolean;
  /** Which decimal separator the text itself proves (0 = none, 46 = '.', 44 = ','), for column sniffing. */
  proves: number;
  /** True when the text carried a currency sign or code (¥, $, €, £, R$, RMB, USD…). */
  currency: boolean;
  /** Which currency the sign or code names: an index into AMOUNT_CURRENCIES (0 = none written). */
  code: number;
  /** True when the text had a fractional part. */
  fraction: boolean;
  /** True when the text is a number too large for a double (1e400): the value is NaN then. */
  overflow: boolean;
}

/**
 * Currencies the reader tells apart, by index (AmountScratch.code). 'YEN' is the sign ¥ / ￥ alone, which is
 * the Chinese yuan's and the Japanese yen's: read as CNY unless the user picks JPY. 'OTHER' is a sign or code
 * the reader does not know (kr, C$, CHF...). Example: "¥1,234.50" -> YEN, "R$ 500,00" -> BRL, "12 元" -> CNY.
 */
export const AMOUNT_CURRENCIES = ['', 'USD', 'CNY', 'EUR', 'GBP', 'BRL', 'JPY', 'YEN', 'OTHER'] as const;
export type AmountCurrency = (typeof AMOUNT_CURRENCIES)[number];
const USD = 1;
const CNY = 2;
const EUR = 3;
const GBP = 4;
const BRL = 5;
const JPY = 6;
const YEN = 7;
const OTHER = 8;

/** The currency of a run of ASCII letters (case-insensitive), e.g. RMB -> CNY. */
function letterCode(buf: Uint8Array, s: number, e: number): number {
  if (e - s !== 3) return OTHER;
  const a = buf[s] & 0xdf;
  const b = buf[s + 1] & 0xdf;
  const c = buf[s + 2] & 0xdf;
  const is = (x: string) => a === x.charCodeAt(0) && b === x.charCodeAt(1) && c === x.charCodeAt(2);
  if (is('RMB') || is('CNY')) return CNY;
  if (is('USD')) return USD;
  if (is('EUR')) return EUR;
  if (is('GBP')) return GBP;
  if (is('BRL')) return BRL;
  if (is('JPY')) return JPY;
  return OTHER;
}

/** The currency of a UTF-8 sign starting at `i` (¥ £ € ￥ 元 円 ＄). */
function signCode(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i];
  const b1 = i + 1 < end ? buf[i + 1] : 0;
  const b2 = i + 2 < end ? buf[i + 2] : 0;
  if (b0 === 0xc2 && b1 === 0xa5) return YEN; // ¥ U+00A5
  if (b0 === 0xc2 && b1 === 0xa3) return GBP; // £ U+00A3
  if (b0 === 0xe2 && b1 === 0x82 && b2 === 0xac) return EUR; // € U+20AC
  if (b0 === 0xef && b1 === 0xbf && b2 === 0xa5) return YEN; // ￥ U+FFE5
  if (b0 === 0xe5 && b1 === 0x85 && b2 === 0x83) return CNY; // 元 U+5143
  if (b0 === 0xe5 && b1 === 0x86 && b2 === 0x86) return JPY; // 円 U+5186
  if (b0 === 0xef && b1 === 0xbc && b2 === 0x84) return USD; // ＄ U+FF04
  return OTHER;
}

/** A fresh scratch object for parseAmountBytes. */
export function amountScratch(): AmountScratch {
  return { value: NaN, empty: false, proves: 0, currency: false, code: 0, fraction: false, overflow: false };
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

// Positions (digit counts) of separators within the digit run, reused.
const sepKind = new Int32Array(64);
const sepAt = new Int32Array(64);

/**
 * Reads a number from bytes [start, end). Currency signs/codes may lead or trail; a leading or trailing minus,
 * or parentheses, make it negative. When a lone separator is followed by exactly three digits, `decimal` decides
 * ("1,234" is 1234 with '.', 1.234 with ','). Result in `out.value` (NaN when not a number). Exact for up to 15
 * significant digits (digits accumulated as an integer, then one correctly rounded division by a power of ten,
 * the same double as parseFloat). Example: "R$ 1.234,50" -> 1234.5.
 */
export function parseAmountBytes(
  buf: Uint8Array,
  start: number,
  end: number,
  decimal: DecimalSeparator,
  out: AmountScratch,
): number {
  out.value = NaN;
  out.empty = false;
  out.proves = 0;
  out.currency = false;
  out.code = 0;
  out.fraction = false;
  out.overflow = false;
  // fast path: [-]digits[.digits] with at most 15 digits (the common machine export)
  {
    let j = start;
    let neg = false;
    if (j < end && buf[j] === 45) {
      neg = true;
      j++;
    }
    let m = 0;
    let nd = 0;
    let frac = -1;
    for (; j < end; j++) {
      const c = buf[j] - 48;
      if (c >= 0 && c <= 9) {
        m = m * 10 + c;
        nd++;
      } else if (c === -2 && frac < 0 && nd > 0) frac = nd;
      else break;
    }
    if (j === end && nd > 0 && nd <= 15 && frac !== nd) {
      const fd = frac < 0 ? 0 : nd - frac;
      // "1.234" (one dot, three decimals) is ambiguous: leave it to the general path
      if (!(fd === 3 && frac <= 3 && decimal === ',')) {
        if (fd > 0) {
          out.fraction = true;
          if (fd !== 3 || frac > 3) out.proves = 46;
        }
        const v = fd > 0 ? m / POW10[fd] : m;
        out.value = neg ? -v : v;
        return out.value;
      }
    }
  }
  let i = start;
  let negative = false;
  let paren = false;
  let sawDigit = false;
  let afterDigits = false; // the digit run has ended (trailing currency / minus)
  let mant = 0;
  let nDigits = 0;
  let nSep = 0;
  let expSign = 1;
  let exp = 0;
  let inExp = false;
  let nonSpace = false;
  while (i < end) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      if (afterDigits) return NaN;
      nonSpace = true;
      if (inExp) {
        exp = exp * 10 + (c - 48);
        if (exp > 400) {
          out.overflow = expSign > 0;
          return NaN;
        }
      } else {
        mant = mant * 10 + (c - 48);
        nDigits++;
      }
      sawDigit = true;
      i++;
      continue;
    }
    nonSpace = nonSpace || (c !== 32 && c !== 9);
    if ((c === 44 || c === 46) && sawDigit && !afterDigits && !inExp) {
      if (nSep >= 64) return NaN;
      sepKind[nSep] = c;
      sepAt[nSep] = nDigits;
      nSep++;
      i++;
      continue;
    }
    if (c === 46 && !sawDigit && !negative && i + 1 < end && buf[i + 1] >= 48 && buf[i + 1] <= 57) {
      // ".5"
      sepKind[nSep] = 46;
      sepAt[nSep] = 0;
      nSep++;
      sawDigit = true;
      i++;
      continue;
    }
    if ((c === 101 || c === 69) && sawDigit && !inExp && !afterDigits && i + 1 < end) {
      // exponent: 1.5e3, 2E-2
      let j = i + 1;
      if (buf[j] === 45 || buf[j] === 43) {
        expSign = buf[j] === 45 ? -1 : 1;
        j++;
      }
      if (j < end && buf[j] >= 48 && buf[j] <= 57) {
        inExp = true;
        i = j;
        continue;
      }
    }
    if (c === 32 || c === 9 || c === 39) {
      // spaces and apostrophes group thousands inside a number ("1 234,50", "1'234.50"); otherwise padding
      if (sawDigit && !afterDigits) {
        // a group separator only when followed by exactly three digits
        let j = i + 1;
        while (j < end && buf[j] === 32) j++;
        let k = j;
        while (k < end && buf[k] >= 48 && buf[k] <= 57) k++;
        if (k - j === 3 && j > i && (c !== 32 || j === i + 1)) {
          i = j;
          continue;
        }
        afterDigits = true;
      }
      i++;
      continue;
    }
    if (c === 0xc2 && i + 1 < end && buf[i + 1] === 0xa0) {
      // U+00A0 no-break space (French groups)
      i += 2;
      continue;
    }
    if (c === 0xe2 && i + 2 < end && buf[i + 1] === 0x80 && (buf[i + 2] === 0xaf || buf[i + 2] === 0x89)) {
      // U+202F narrow no-break space, U+2009 thin space
      i += 3;
      continue;
    }
    if (c === 45 || c === 0x2b || (c === 0xe2 && i + 2 < end && buf[i + 1] === 0x88 && buf[i + 2] === 0x92)) {
      // minus, plus, U+2212 minus sign
      const len = c === 0xe2 ? 3 : 1;
      if (c !== 0x2b) {
        if (negative) return NaN;
        negative = true;
      }
      if (sawDigit) afterDigits = true;
      i += len;
      continue;
    }
    if (c === 40 && !sawDigit && !paren) {
      paren = true;
      i++;
      continue;
    }
    if (c === 41 && paren && sawDigit) {
      paren = false;
      negative = true;
      afterDigits = true;
      i++;
      continue;
    }
    if (c === 36 || c >= 0x80 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      // currency signs and codes ($, ¥, ￥, €, £, R$, RMB, CNY, USD, 元): only before or after the digits
      if (sawDigit && !afterDigits) afterDigits = true;
      let code: number;
      if (c >= 0x80) {
        // skip the whole UTF-8 sequence
        code = signCode(buf, i, end);
        i++;
        while (i < end && (buf[i] & 0xc0) === 0x80) i++;
      } else if (c === 36) {
        code = USD;
        i++;
      } else {
        // letters: a run of at most 3 (RMB, USD, EUR, R$, US$, kr) counts as a currency code
        let j = i;
        while (j < end && ((buf[j] >= 65 && buf[j] <= 90) || (buf[j] >= 97 && buf[j] <= 122))) j++;
        if (j - i > 3) return NaN;
        if (j < end && buf[j] === 36) {
          // R$ (real), US$ (dollar); other dollars (C$, A$, HK$) are not told apart
          const one = buf[i] & 0xdf;
          code =
            j - i === 1 && one === 82
              ? BRL
              : j - i === 2 && one === 85 && (buf[i + 1] & 0xdf) === 83
                ? USD
                : OTHER;
          j++;
        } else code = letterCode(buf, i, j);
        i = j;
      }
      // a specific sign or code wins over the bare ¥ ("RMB ¥12" is CNY)
      if (out.code === 0 || out.code === YEN || out.code === OTHER) out.code = code;
      out.currency = true;
      continue;
    }
    return NaN;
  }
  if (!nonSpace && !sawDigit) {
    out.empty = true;
    return NaN;
  }
  if (!sawDigit || paren || nDigits === 0) return NaN;
  // Decide which separator is the decimal point.
  let fracDigits = 0;
  if (nSep > 0) {
    const lastKind = sepKind[nSep - 1];
    let allSame = true;
    for (let k = 0; k < nSep - 1; k++) if (sepKind[k] !== lastKind) allSame = false;
    let decimalAt = -1; // digit count before the decimal separator
    if (!allSame) {
      // "1,234.50" / "1.234,50": the last separator is the decimal one, the others group thousands
      for (let k = 0; k < nSep - 1; k++) if (sepKind[k] === lastKind) return NaN;
      decimalAt = sepAt[nSep - 1];
      out.proves = lastKind;
      if (!groupsOk(nSep - 1, decimalAt)) return NaN;
    } else if (nSep > 1) {
      // "1,234,567" / "1.234.567": thousands only
      if (!groupsOk(nSep, nDigits)) return NaN;
      out.proves = lastKind === 44 ? 46 : 44;
    } else {
      const before = sepAt[0];
      const after = nDigits - before;
      if (
        after !== 3 ||
        before === 0 ||
        before > 3 ||
        (before === 1 && mant < 1000 && digitAtIsZero(mant, nDigits))
      ) {
        decimalAt = before; // "12.5", "500,00", "0,500", "1234,567"
        out.proves = lastKind;
      } else if (String.fromCharCode(lastKind) === decimal) decimalAt = before;
    }
    if (decimalAt >= 0) fracDigits = nDigits - decimalAt;
  }
  if (fracDigits > 22) return NaN;
  out.fraction = fracDigits > 0;
  let value = fracDigits > 0 ? mant / POW10[fracDigits] : mant;
  if (inExp) value = value * Math.pow(10, expSign * exp);
  if (!Number.isFinite(value)) {
    out.overflow = true;
    return NaN;
  }
  if (negative) value = -value;
  out.value = value;
  return value;
}

/** True when the first digit of a `nDigits`-digit integer is 0 ("0,500" has a leading zero). */
function digitAtIsZero(mant: number, nDigits: number): boolean {
  return mant < POW10[nDigits - 1];
}

/** Thousands groups: the first group 1-3 digits, every later one exactly 3, up to `endAt` digits. */
function groupsOk(nGroups: number, endAt: number): boolean {
  if (sepAt[0] < 1 || sepAt[0] > 3) return false;
  for (let k = 1; k < nGroups; k++) if (sepAt[k] - sepAt[k - 1] !== 3) return false;
  return endAt - sepAt[nGroups - 1] === 3;
}
