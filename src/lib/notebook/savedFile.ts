/**
 * Uploaded data inside a `.clv.json` notebook file: the file's own bytes (any encoding, as chosen), raw
 * deflate (fflate), base64. Up to MAX_SAVED_DATA_BYTES of raw data per upload; reading is capped at the same
 * size, so a file whose data would inflate past it (a zip bomb) is refused with a message, never inflated.
 *
 * Shape in the file: `"data": { "<cell id>": { "name": "shop.csv", "bytes": 611436, "deflate": "<base64>" } }`.
 * Older files carry `"uploads": { "<cell id>": { "name", "text" } }` and still open.
 */
import { deflate } from 'fflate';
import { inflateCapped } from '../scenario/codec.ts';

/** Largest upload saved inside a notebook file (raw bytes; 50 MB compresses to roughly 10–15 MB of file). */
export const MAX_SAVED_DATA_BYTES = 50 * 1024 * 1024;

export interface SavedData {
  name: string;
  /** Raw size in bytes. */
  bytes: number;
  /** Raw deflate of the bytes, base64 (RFC 4648 §4). */
  deflate: string;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  // 30 K-byte slices: String.fromCharCode's argument list stays small, and 30,720 is a multiple of 3 (so
  // no slice but the last gets padding and the pieces join into one valid base64 text).
  const SLICE = 30720;
  for (let i = 0; i < bytes.length; i += SLICE)
    s += btoa(String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + SLICE))));
  return s;
}

function fromBase64(s: string): Uint8Array | null {
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Compresses an upload for a notebook file (off the main thread: fflate's worker). */
export function encodeSavedData(name: string, bytes: Uint8Array): Promise<SavedData> {
  return new Promise((resolve, reject) =>
    deflate(bytes, { level: 6 }, (err, z) =>
      err ? reject(err) : resolve({ name, bytes: bytes.length, deflate: toBase64(z) }),
    ),
  );
}

/** Reads one saved upload; never throws. Example: a bomb gives { error: '… more than 50 MB …' }. */
export function decodeSavedData(raw: unknown): { name: string; bytes: Uint8Array } | { error: string } {
  if (typeof raw !== 'object' || raw === null) return { error: 'not an object' };
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || typeof r.deflate !== 'string') return { error: 'name or data missing' };
  const name = r.name.slice(0, 200);
  const z = fromBase64(r.deflate);
  if (!z) return { error: `${name}: the data are not valid base64` };
  const bytes = inflateCapped(z, MAX_SAVED_DATA_BYTES);
  if (bytes === 'too large')
    return {
      error: `${name}: refused, the data would inflate to more than ${MAX_SAVED_DATA_BYTES / 2 ** 20} MB`,
    };
  if (!bytes) return { error: `${name}: the data are truncated or corrupted` };
  if (typeof r.bytes === 'number' && r.bytes !== bytes.length)
    return { error: `${name}: ${bytes.length} bytes read, ${r.bytes} expected (file cut short?)` };
  return { name, bytes };
}
