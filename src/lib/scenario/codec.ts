/**
 * Share-link codec: notebook inputs <-> the URL hash `#s=<payload>`.
 *
 * Encoding (v2): only what differs from the defaults (the demo or learn notebook, each kind's default
 * params), with one-letter keys from src/lib/notebook/kinds.ts -> JSON -> raw deflate (fflate) -> base64url.
 * Old links: v1 = uncompressed base64url JSON `{ v: 1, lang, cells: [{ kind, title, params }] }` with long keys.
 *
 * What a link carries besides the settings, by data cell index (the share button picks the richest that fits
 * in LINK_TARGET_CHARS): `u` the uploaded file's text; else `r` a customer summary (src/lib/scenario/summary.ts:
 * the purchase, spend and forecast cells recompute the same numbers from it); and always `f`, the sender's
 * fitted numbers (shown to the recipient, and all she gets when neither data nor summary fits).
 *
 * `decodeLink` never throws and treats every field as hostile: sizes are capped before and after inflating,
 * every value is checked against the parameter table (unknown keys, `__proto__`, wrong types and
 * non-finite numbers are dropped, out-of-range numbers clamped, text cut), and nothing is ever evaluated —
 * note text is only ever rendered through the sanitising Markdown renderer.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import {
  cleanParams,
  demoDoc,
  learnDoc,
  makeCell,
  DOC_VERSION,
  type CellDoc,
  type NotebookDoc,
} from '../notebook/doc.ts';
import {
  CELL_KINDS,
  KINDS,
  MAX_CELLS,
  MAX_TITLE_CHARS,
  isCellKind,
  kindFromShort,
  defaultParams,
  type CellKind,
  type Params,
} from '../notebook/kinds.ts';

/** Current link version. */
export const LINK_VERSION = 2;
/**
 * Longest link the share button makes (whole URL, characters). Chromium accepts URLs up to 2,097,151
 * characters (measured: a 2,097,152-character URL is refused), but a link must also survive chat apps and
 * e-mail: Slack cuts messages at 40,000 characters, WhatsApp at 65,536; 30,000 leaves room in both.
 */
export const LINK_TARGET_CHARS = 30_000;
/** Longest link payload accepted (characters of base64url; links made here stay under LINK_TARGET_CHARS). */
export const MAX_LINK_CHARS = 64 * 1024;
/** Most bytes a payload may inflate to (a zip bomb stops here, with a message). */
export const MAX_INFLATED_BYTES = 4 * 1024 * 1024;
/** Largest uploaded file text or customer summary carried in a link (characters, before compression). */
export const MAX_LINK_UPLOAD_CHARS = MAX_INFLATED_BYTES;

export interface LinkUpload {
  name: string;
  text: string;
}
/** A customer summary in place of a file too large for a link: the sender's file name and customer count. */
export interface LinkSummary extends LinkUpload {
  customers: number;
}
/**
 * The sender's headline numbers (first cell of each kind), so the recipient sees them whatever the link
 * could carry. Parameters keep the models' names (r, alpha, a, b; p, q, gamma).
 */
export interface SharedNumbers {
  data?: { name: string; customers: number };
  purchase?: { model: string; params: Record<string, number>; logLikelihood: number };
  spend?: { params: Record<string, number> };
  forecast?: {
    total: number;
    low: number;
    high: number;
    horizonMonths: number;
    customers: number;
    currency: string;
  };
}
/** What a link carries: the notebook document, the language if set, and data by data-cell index. */
export interface LinkState {
  doc: NotebookDoc;
  lang: 'en' | 'zh' | null;
  uploads: Record<number, LinkUpload>;
  summaries?: Record<number, LinkSummary>;
  numbers?: SharedNumbers | null;
}

// ---------- base64url (RFC 4648 §5), pure ----------
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Bytes -> base64url without padding. Example: toBase64Url(new Uint8Array([251, 255])) = '-_8'. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** base64url (padding and standard +/ tolerated) -> bytes, or null on any invalid character or length. */
export function fromBase64Url(s: string): Uint8Array | null {
  const clean = s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (clean.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    const chunk = Math.min(4, clean.length - i);
    for (let k = 0; k < 4; k++) {
      const c = k < chunk ? clean.charCodeAt(i + k) : 65; // 'A' = 0 for the missing tail
      const v = c < 128 ? LOOKUP[c] : -1;
      if (v < 0) return null;
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (chunk > 2) out[o++] = (n >> 8) & 255;
    if (chunk > 3) out[o++] = n & 255;
  }
  return out.subarray(0, o);
}

/**
 * Raw-inflate with an output cap: the bytes, 'too large' as soon as the output passes the cap (a zip bomb
 * stops there, having cost at most `cap` bytes), or null if the data are not valid deflate.
 */
export function inflateCapped(data: Uint8Array, cap: number): Uint8Array | 'too large' | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  let over = false;
  try {
    const inf = new Inflate((chunk, final) => {
      total += chunk.length;
      if (total > cap) {
        over = true;
        throw new RangeError('too large');
      }
      chunks.push(chunk);
      if (final) done = true;
    });
    // In slices, so a bomb is stopped after its first few output chunks rather than after one huge push.
    for (let i = 0; i < data.length; i += 16384)
      inf.push(data.subarray(i, Math.min(data.length, i + 16384)), i + 16384 >= data.length);
    if (data.length === 0) inf.push(data, true);
  } catch {
    return over ? 'too large' : null;
  }
  if (!done) return null;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The notebook a link's diff is taken against. */
function baseDoc(mode: 'workbench' | 'learn'): NotebookDoc {
  return mode === 'learn' ? learnDoc() : demoDoc();
}

function shortParams(
  kind: CellKind,
  params: Params,
  base: Params,
): Record<string, string | number | boolean> | undefined {
  const out: Record<string, string | number | boolean> = {};
  let any = false;
  for (const [name, schema] of Object.entries(KINDS[kind].params)) {
    const v = params[name];
    if (v !== undefined && v !== base[name]) {
      out[schema.short] = v;
      any = true;
    }
  }
  return any ? out : undefined;
}

/**
 * Encodes a notebook into a link payload (the part after `#s=`). Only non-default values are written.
 * Example: the untouched demo notebook in English encodes to a payload of a few characters.
 */
export function encodeLink(state: LinkState): string {
  const { doc } = state;
  const base = baseDoc(doc.mode);
  const sameShape =
    doc.cells.length === base.cells.length && doc.cells.every((c, i) => c.kind === base.cells[i].kind);
  const j: Record<string, unknown> = { v: LINK_VERSION };
  if (state.lang) j.l = state.lang;
  if (doc.seed !== 1) j.s = doc.seed;
  if (doc.mode === 'learn') j.m = 'l';
  const extra = (c: CellDoc): Record<string, unknown> => {
    const e: Record<string, unknown> = {};
    if (c.title) e.t = c.title;
    if (c.collapsed) e.x = 1;
    return e;
  };
  if (sameShape) {
    const p: Record<string, unknown> = {};
    doc.cells.forEach((c, i) => {
      const diff = shortParams(c.kind, c.params, base.cells[i].params);
      const e = { ...(diff ? { p: diff } : {}), ...extra(c) };
      if (Object.keys(e).length) p[i] = e;
    });
    if (Object.keys(p).length) j.p = p;
  } else {
    j.c = doc.cells.map((c) => {
      const diff = shortParams(c.kind, c.params, defaultParams(c.kind));
      return { k: KINDS[c.kind].short, ...(diff ? { p: diff } : {}), ...extra(c) };
    });
  }
  const ups = Object.entries(state.uploads).filter(([, u]) => u.text.length <= MAX_LINK_UPLOAD_CHARS);
  if (ups.length) j.u = Object.fromEntries(ups.map(([i, u]) => [i, { n: u.name.slice(0, 200), t: u.text }]));
  const sums = Object.entries(state.summaries ?? {}).filter(
    ([, u]) => u.text.length <= MAX_LINK_UPLOAD_CHARS,
  );
  if (sums.length)
    j.r = Object.fromEntries(
      sums.map(([i, u]) => [i, { n: u.name.slice(0, 200), t: u.text, c: u.customers }]),
    );
  if (state.numbers && Object.keys(state.numbers).length) j.f = state.numbers;
  return toBase64Url(deflateSync(strToU8(JSON.stringify(j)), { level: 9 }));
}

/** Maps a cell's short-key params back to names, dropping anything not in the table. */
function longParams(kind: CellKind, raw: unknown, where: string, errors: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    errors.push(`${where}: parameters are not an object`);
    return out;
  }
  const byShort = new Map(Object.entries(KINDS[kind].params).map(([name, s]) => [s.short, name]));
  for (const key of Object.keys(raw)) {
    const name = byShort.get(key);
    if (name === undefined) errors.push(`${where}: unknown parameter "${key.slice(0, 40)}" ignored`);
    else out[name] = raw[key];
  }
  return out;
}

function applyExtra(cell: CellDoc, raw: Record<string, unknown>, where: string, errors: string[]): void {
  if (raw.t !== undefined) {
    if (typeof raw.t === 'string') cell.title = raw.t.slice(0, MAX_TITLE_CHARS);
    else errors.push(`${where}: title is not text`);
  }
  if (raw.x === 1 || raw.x === true) cell.collapsed = true;
}

function decodeV2(j: Record<string, unknown>, errors: string[]): LinkState {
  const mode = j.m === 'l' ? 'learn' : 'workbench';
  const doc = baseDoc(mode);
  if (j.l !== undefined && j.l !== 'en' && j.l !== 'zh') errors.push('language: unknown, ignored');
  const lang = j.l === 'en' || j.l === 'zh' ? j.l : null;
  if (j.s !== undefined) {
    if (typeof j.s === 'number' && Number.isSafeInteger(j.s) && j.s >= 0) doc.seed = j.s;
    else errors.push('seed: not a non-negative integer, default kept');
  }
  if (j.c !== undefined) {
    if (!Array.isArray(j.c)) errors.push('cells: not a list, demo cells kept');
    else {
      const cells: CellDoc[] = [];
      j.c.slice(0, MAX_CELLS).forEach((rc: unknown, i: number) => {
        const where = `cell ${i + 1}`;
        const kind = isRecord(rc) ? kindFromShort(rc.k) : null;
        if (!isRecord(rc) || !kind) {
          errors.push(`${where}: unknown cell kind, skipped`);
          return;
        }
        const cell = makeCell(kind);
        cell.params = cleanParams(kind, longParams(kind, rc.p, where, errors), where, errors);
        applyExtra(cell, rc, where, errors);
        cells.push(cell);
      });
      if (j.c.length > MAX_CELLS) errors.push(`only the first ${MAX_CELLS} of ${j.c.length} cells kept`);
      doc.cells = cells;
    }
  } else if (j.p !== undefined) {
    if (!isRecord(j.p)) errors.push('cell values: not an object, ignored');
    else {
      for (const key of Object.keys(j.p)) {
        const i = /^\d{1,3}$/.test(key) ? Number(key) : -1;
        const cell = doc.cells[i];
        const rc = j.p[key];
        if (!cell || !isRecord(rc)) {
          errors.push(`cell "${key.slice(0, 20)}": no such cell, ignored`);
          continue;
        }
        const where = `cell ${i + 1}`;
        cell.params = {
          ...cell.params,
          ...cleanParams(cell.kind, longParams(cell.kind, rc.p, where, errors), where, errors),
        };
        // cleanParams fills defaults for absent keys; keep the base notebook's own values for those
        const given = longParams(cell.kind, rc.p, where, []);
        for (const name of Object.keys(KINDS[cell.kind].params))
          if (!(name in given)) cell.params[name] = baseDoc(mode).cells[i].params[name];
        applyExtra(cell, rc, where, errors);
      }
    }
  }
  const readData = (raw: unknown, what: string): Record<number, LinkSummary> => {
    const out: Record<number, LinkSummary> = {};
    if (raw === undefined) return out;
    if (!isRecord(raw)) {
      errors.push(`${what}: not an object, ignored`);
      return out;
    }
    for (const key of Object.keys(raw)) {
      const i = /^\d{1,3}$/.test(key) ? Number(key) : -1;
      const u = raw[key];
      if (
        i < 0 ||
        i >= doc.cells.length ||
        doc.cells[i].kind !== 'data' ||
        !isRecord(u) ||
        typeof u.n !== 'string' ||
        typeof u.t !== 'string'
      ) {
        errors.push(`${what} for "${key.slice(0, 20)}": unreadable, ignored`);
        continue;
      }
      const customers = typeof u.c === 'number' && Number.isSafeInteger(u.c) && u.c >= 0 ? u.c : 0;
      out[i] = { name: u.n.slice(0, 200), text: u.t.slice(0, MAX_LINK_UPLOAD_CHARS), customers };
    }
    return out;
  };
  const uploads: Record<number, LinkUpload> = {};
  for (const [i, u] of Object.entries(readData(j.u, 'uploaded data')))
    uploads[Number(i)] = { name: u.name, text: u.text };
  const summaries = readData(j.r, 'customer summary');
  for (const i of Object.keys(summaries)) if (Number(i) in uploads) delete summaries[Number(i)];
  const numbers = j.f === undefined ? null : readNumbers(j.f, errors);
  return { doc, lang, uploads, summaries, numbers };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const text = (v: unknown, max: number): string | null => (typeof v === 'string' ? v.slice(0, max) : null);
/** Model parameters: up to 8 short names with finite values; anything else drops the whole set. */
function readParams(raw: unknown): Record<string, number> | null {
  if (!isRecord(raw)) return null;
  const keys = Object.keys(raw);
  if (keys.length === 0 || keys.length > 8) return null;
  const out: Record<string, number> = {};
  for (const k of keys) {
    const v = raw[k];
    if (!/^[A-Za-z]{1,8}$/.test(k) || !finite(v)) return null;
    out[k] = v;
  }
  return out;
}

/** The sender's numbers, field by field; a field that is not exactly the expected shape is dropped. */
function readNumbers(raw: unknown, errors: string[]): SharedNumbers | null {
  if (!isRecord(raw)) {
    errors.push("sender's numbers: not an object, ignored");
    return null;
  }
  const out: SharedNumbers = {};
  const d = raw.data;
  if (isRecord(d) && text(d.name, 200) !== null && finite(d.customers))
    out.data = { name: text(d.name, 200)!, customers: d.customers };
  const p = raw.purchase;
  const pp = isRecord(p) ? readParams(p.params) : null;
  if (isRecord(p) && pp && text(p.model, 20) !== null && finite(p.logLikelihood))
    out.purchase = { model: text(p.model, 20)!, params: pp, logLikelihood: p.logLikelihood };
  const sp = isRecord(raw.spend) ? readParams(raw.spend.params) : null;
  if (sp) out.spend = { params: sp };
  const f = raw.forecast;
  if (
    isRecord(f) &&
    finite(f.total) &&
    finite(f.low) &&
    finite(f.high) &&
    finite(f.horizonMonths) &&
    finite(f.customers) &&
    typeof f.currency === 'string' &&
    /^[A-Z]{3}$/.test(f.currency)
  )
    out.forecast = {
      total: f.total,
      low: f.low,
      high: f.high,
      horizonMonths: f.horizonMonths,
      customers: f.customers,
      currency: f.currency,
    };
  for (const k of ['data', 'purchase', 'spend', 'forecast'] as const)
    if (raw[k] !== undefined && !out[k]) errors.push(`sender's numbers: ${k} unreadable, ignored`);
  return Object.keys(out).length ? out : null;
}

function decodeV1(j: Record<string, unknown>, errors: string[]): LinkState {
  const doc = demoDoc();
  const lang = j.lang === 'en' || j.lang === 'zh' ? j.lang : null;
  if (!Array.isArray(j.cells)) {
    errors.push('cells: not a list, demo cells kept');
    return { doc, lang, uploads: {} };
  }
  const cells: CellDoc[] = [];
  j.cells.slice(0, MAX_CELLS).forEach((rc: unknown, i: number) => {
    const where = `cell ${i + 1}`;
    if (!isRecord(rc) || !isCellKind(rc.kind)) {
      errors.push(`${where}: unknown cell kind, skipped`);
      return;
    }
    const cell = makeCell(rc.kind);
    cell.params = cleanParams(rc.kind, rc.params, where, errors);
    if (typeof rc.title === 'string') cell.title = rc.title.slice(0, MAX_TITLE_CHARS);
    cells.push(cell);
  });
  doc.cells = cells;
  return { doc, lang, uploads: {} };
}

/** The payload of a hash like '#s=...' (or the payload itself). */
export function payloadFromHash(hash: string): string {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const m = /(?:^|&)s=([^&]*)/.exec(h);
  return m ? m[1] : h;
}

/**
 * Decodes a link payload (or '#s=...' hash). Never throws. On any problem returns the demo notebook (or
 * what could be read) plus one message per problem. Example: decodeLink('%%%').errors[0] starts 'link:'.
 */
export function decodeLink(input: unknown): { state: LinkState; errors: string[] } {
  const errors: string[] = [];
  const fallback = (): { state: LinkState; errors: string[] } => ({
    state: { doc: demoDoc(), lang: null, uploads: {} },
    errors,
  });
  try {
    if (typeof input !== 'string') {
      errors.push('link: not text');
      return fallback();
    }
    const payload = payloadFromHash(input.trim());
    if (payload.length === 0) return fallback();
    if (payload.length > MAX_LINK_CHARS) {
      errors.push(`link: too long (${payload.length} characters, limit ${MAX_LINK_CHARS})`);
      return fallback();
    }
    const bytes = fromBase64Url(payload);
    if (!bytes) {
      errors.push('link: not valid base64url (was it cut short or edited?)');
      return fallback();
    }
    // v2+ payloads are deflated; v1 payloads are plain JSON text.
    const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES);
    if (inflated === 'too large' && bytes[0] !== 0x7b) {
      errors.push(
        `link: refused, its data would inflate to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB (a link made here never does)`,
      );
      return fallback();
    }
    const raw = inflated instanceof Uint8Array ? inflated : bytes[0] === 0x7b ? bytes : null;
    if (!raw) {
      errors.push('link: data are truncated, corrupted or too large to read');
      return fallback();
    }
    let j: unknown;
    try {
      j = JSON.parse(strFromU8(raw));
    } catch {
      errors.push('link: data are not valid JSON (truncated?)');
      return fallback();
    }
    if (!isRecord(j)) {
      errors.push('link: not a notebook object');
      return fallback();
    }
    if (j.v === 2) return { state: decodeV2(j, errors), errors };
    if (j.v === 1) return { state: decodeV1(j, errors), errors };
    errors.push(
      `link: unknown version ${String(JSON.stringify(j.v)).slice(0, 20)} (this app reads 1 and ${LINK_VERSION})`,
    );
    return fallback();
  } catch (e) {
    errors.push(`link: unreadable (${e instanceof Error ? e.message.slice(0, 80) : 'error'})`);
    return fallback();
  }
}

/** Encodes a v1 (legacy, uncompressed) link, for tests of the old-version decoder. */
export function encodeLegacyV1(
  cells: Array<{ kind: string; title?: string; params?: Record<string, unknown> }>,
  lang?: string,
): string {
  return toBase64Url(strToU8(JSON.stringify({ v: 1, lang, cells })));
}

export { CELL_KINDS, DOC_VERSION };
