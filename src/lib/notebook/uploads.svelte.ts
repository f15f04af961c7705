/**
 * Uploaded files, by data-cell id, kept in memory and in IndexedDB (so a reload restores them). Files too
 * large for the browser's storage stay in memory only and `persisted` says so.
 *
 * A chosen file is kept as the File (a Blob) and streamed to the engine worker in chunks, undecoded: the
 * importer detects the encoding (UTF-8, GBK/GB18030...) from the bytes. Small files also keep their decoded
 * text, which is what share links and `.clv.json` files carry; pasted data and data from a link are text only.
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

/** Chosen files up to this size also keep their text (share links carry at most ~60 KB compressed anyway). */
export const SHAREABLE_BYTES = 256 * 1024;

/** Text of a small file in its own encoding (the importer's sniffer), for links and saved notebooks. */
async function textOf(file: Blob): Promise<string> {
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
