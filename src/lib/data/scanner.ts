/**
 * Byte-level CSV record scanner (RFC 4180 plus the leniencies real exports need): quoted fields with ""
 * escapes and embedded delimiters/newlines, CRLF / LF / lone-CR line ends, spaces before an opening quote,
 * and a whitespace mode where runs of spaces/tabs separate fields (CDNOW_sample.txt). A quote that does not
 * open a field is an ordinary character (12" vinyl). Works on partial buffers: `next` returns -1 when the
 * record may continue past `end`, so a streaming caller keeps the tail and retries with more bytes.
 */

/** Field quoting flags in `RecordScanner.fq`. */
export const FIELD_PLAIN = 0;
/** Field was quoted (fs/fe exclude the quotes). */
export const FIELD_QUOTED = 1;
/** Field was quoted and contains "" escapes (unescape before use as an id). */
export const FIELD_ESCAPED = 2;

/** Delimiter code for whitespace-separated files. */
export const WHITESPACE = -1;

/** Scans one record at a time; field bounds land in fs/fe (byte offsets into the buffer passed to `next`). */
export class RecordScanner {
  /** Field start offsets (inclusive). */
  fs: Int32Array = new Int32Array(64);
  /** Field end offsets (exclusive). */
  fe: Int32Array = new Int32Array(64);
  /** Field flags (FIELD_PLAIN / FIELD_QUOTED / FIELD_ESCAPED). */
  fq: Uint8Array = new Uint8Array(64);
  /** Fields in the last record. */
  nf = 0;
  /** Line breaks consumed by the last record (inside quotes + its terminator). */
  newlines = 0;
  /** The last record had a quote that never closed before the end of the file (read as a literal). */
  unclosed = false;
  /** End of the last record's content (before its line terminator). */
  contentEnd = 0;

  /** @param delimiter byte code of the delimiter (44 ',', 59 ';', 9 tab, 124 '|') or WHITESPACE */
  constructor(readonly delimiter: number) {}

  private push(s: number, e: number, q: number): void {
    if (this.nf === this.fs.length) this.grow();
    const k = this.nf;
    this.fs[k] = s;
    this.fe[k] = e;
    this.fq[k] = q;
    this.nf = k + 1;
  }

  /**
   * Reads the record starting at `p` (p < end). Returns the offset after its terminator, or -1 when the
   * record is incomplete and `final` is false. With `final`, the end of the buffer ends the record, and an
   * unclosed quote is re-read as a literal character (flag `unclosed`).
   */
  next(buf: Uint8Array, p: number, end: number, final: boolean): number {
    this.newlines = 0;
    this.unclosed = false;
    const d = this.delimiter;
    const ws = d === WHITESPACE;
    let nf = 0;
    let fs = this.fs;
    let fe = this.fe;
    let fq = this.fq;
    if (ws) while (p < end && (buf[p] === 32 || buf[p] === 9)) p++;
    for (;;) {
      if (nf === fs.length) {
        this.nf = nf;
        this.grow();
        fs = this.fs;
        fe = this.fe;
        fq = this.fq;
      }
      if (p >= end) {
        if (!final) return -1;
        fs[nf] = p;
        fe[nf] = p;
        fq[nf] = FIELD_PLAIN;
        this.nf = nf + 1;
        this.contentEnd = end;
        return end;
      }
      let c = buf[p];
      if (c !== 34 && (ws || c !== 32)) {
        // fast path: an unquoted field
        let i = p;
        if (ws) {
          while (i < end) {
            c = buf[i];
            if (c === 32 || c === 9 || c === 10 || c === 13) break;
            i++;
          }
        } else {
          while (i < end) {
            c = buf[i];
            if (c === d || c === 10 || c === 13) break;
            i++;
          }
        }
        if (i >= end && !final) return -1;
        fs[nf] = p;
        fe[nf] = i;
        fq[nf] = FIELD_PLAIN;
        nf++;
        p = i;
      } else {
        this.nf = nf;
        p = this.slowField(buf, p, end, final);
        if (p < 0) return -1;
        nf = this.nf;
        fs = this.fs;
        fe = this.fe;
        fq = this.fq;
      }
      this.nf = nf;
      if (p >= end) {
        this.contentEnd = end;
        return end;
      }
      c = buf[p];
      if (c === 13 || c === 10) return this.terminate(buf, p, end, final);
      // a delimiter
      p++;
      if (ws) {
        while (p < end && (buf[p] === 32 || buf[p] === 9)) p++;
        if (p >= end) {
          if (!final) return -1;
          this.contentEnd = end;
          return end;
        }
        if (buf[p] === 10 || buf[p] === 13) return this.terminate(buf, p, end, final); // trailing whitespace
      }
    }
  }

  private grow(): void {
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.fs = grow32(this.fs);
    this.fe = grow32(this.fe);
    const f = new Uint8Array(this.fq.length * 2);
    f.set(this.fq);
    this.fq = f;
  }

  /** A field that starts with a quote or spaces: returns the offset after it, or -1 when more bytes are needed. */
  private slowField(buf: Uint8Array, p: number, end: number, final: boolean): number {
    const d = this.delimiter;
    const ws = d === WHITESPACE;
    let q = p;
    if (!ws) while (q < end && buf[q] === 32) q++;
    if (q < end && buf[q] === 34) {
      let i = q + 1;
      let esc = false;
      let nl = 0;
      let closed = false;
      while (i < end) {
        const c = buf[i];
        if (c === 34) {
          if (i + 1 < end) {
            if (buf[i + 1] === 34) {
              esc = true;
              i += 2;
              continue;
            }
          } else if (!final) return -1;
          closed = true;
          break;
        }
        if (c === 10) nl++;
        i++;
      }
      if (closed) {
        const fieldEnd = i;
        i++;
        // anything between the closing quote and the next delimiter is dropped ("abc"x -> abc)
        if (ws) while (i < end && buf[i] !== 32 && buf[i] !== 9 && buf[i] !== 10 && buf[i] !== 13) i++;
        else while (i < end && buf[i] !== d && buf[i] !== 10 && buf[i] !== 13) i++;
        if (i >= end && !final) return -1;
        this.push(q + 1, fieldEnd, esc ? FIELD_ESCAPED : FIELD_QUOTED);
        this.newlines += nl;
        return i;
      }
      if (!final) return -1;
      this.unclosed = true;
    }
    let i = p;
    if (ws) while (i < end && buf[i] !== 32 && buf[i] !== 9 && buf[i] !== 10 && buf[i] !== 13) i++;
    else while (i < end && buf[i] !== d && buf[i] !== 10 && buf[i] !== 13) i++;
    if (i >= end && !final) return -1;
    this.push(p, i, FIELD_PLAIN);
    return i;
  }

  /** Consumes the line terminator at p (CR, LF or CRLF). */
  private terminate(buf: Uint8Array, p: number, end: number, final: boolean): number {
    this.contentEnd = p;
    if (buf[p] === 10) {
      this.newlines++;
      return p + 1;
    }
    if (p + 1 < end) {
      this.newlines++;
      return buf[p + 1] === 10 ? p + 2 : p + 1;
    }
    if (!final) return -1;
    this.newlines++;
    return p + 1;
  }
}
