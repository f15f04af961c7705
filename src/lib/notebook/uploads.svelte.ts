/**
 * Uploaded files, by data-cell id, kept in memory and in IndexedDB (so a reload restores them). Files too
 * large for the browser's storage stay in memory only and `persisted` says so.
 *
 * A chosen file is kept as the File (a Blob) and streamed to the engine worker in chunks, undecoded: the
 * importer detects the encoding (UTF-8, GBK/GB18030...) from the bytes. Small files also keep their decoded
 * text; pasted data and data from a link are text only. `.clv.json` files carry the bytes (or text) of any
 * upload up to MAX_SAVED_DATA_BYTES, compressed; share links carry what fits (session.svelte.ts).
 */
import { sniffEncoding } from '../data/sniff.ts';

export interface Upload {
  name: string;
  /** Decoded text: pasted data, data from a link or file, or a chosen file small enough to share. */
  text?: string;
  /** The chosen file itself (streamed to the worker). */
  blob?: Blob;
  persisted: boolean;
}

/** Chosen files up to this size also keep their decoded text in memory (larger ones are read when shared). */
export const SHAREABLE_BYTES = 256 * 1024;

/** Text of a file in its own encoding (the importer's sniffer), for links. */
export async function textOf(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { encoding, bomLength } = sniffEncoding(bytes);
  return new TextDecoder(encoding).decode(bytes.subarray(bomLength));
}

const DB = 'clv-workbench';
const STORE = 'uploads';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = fn(t.objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

class Uploads {
  files = $state.raw<Record<string, Upload>>({});

  async put(cellId: string, name: string, text: string): Promise<void> {
    await this.#store(cellId, { name, text });
  }
  /** A file the user chose: kept as bytes; its text too when it is small enough to share. */
  async putFile(cellId: string, file: File): Promise<void> {
    const text = file.size <= SHAREABLE_BYTES ? await textOf(file) : undefined;
    await this.#store(cellId, { name: file.name, blob: file, ...(text !== undefined ? { text } : {}) });
  }
  /** Raw bytes of a cell's upload (the file as chosen, or its text as UTF-8), for a saved notebook. */
  async bytes(cellId: string): Promise<Uint8Array | null> {
    const f = this.files[cellId];
    if (!f) return null;
    if (f.blob) return new Uint8Array(await f.blob.arrayBuffer());
    return f.text !== undefined ? new TextEncoder().encode(f.text) : null;
  }
  async #store(cellId: string, u: Omit<Upload, 'persisted'>): Promise<void> {
    this.files = { ...this.files, [cellId]: { ...u, persisted: false } };
    try {
      await tx('readwrite', (s) => s.put(u, cellId));
      this.files = { ...this.files, [cellId]: { ...u, persisted: true } };
    } catch {
      // quota exceeded or storage blocked: kept in memory, the data cell says so
    }
  }
  /** Loads the stored file of a cell (after a reload). */
  async restore(cellId: string): Promise<void> {
    if (this.files[cellId]) return;
    try {
      const v = (await tx('readonly', (s) => s.get(cellId))) as
        { name?: unknown; text?: unknown; blob?: unknown } | undefined;
      const text = typeof v?.text === 'string' ? v.text : undefined;
      const blob = v?.blob instanceof Blob ? v.blob : undefined;
      if (v && typeof v.name === 'string' && (text !== undefined || blob)) {
        const u: Upload = {
          name: v.name,
          persisted: true,
          ...(text !== undefined ? { text } : {}),
          ...(blob ? { blob } : {}),
        };
        this.files = { ...this.files, [cellId]: u };
      }
    } catch {
      // nothing stored
    }
  }
}

export const uploads = new Uploads();
