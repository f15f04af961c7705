/**
 * Uploaded files, by data-cell id, kept in memory and in IndexedDB (so a reload restores them). Files too
 * large for the browser's storage stay in memory only and `persisted` says so.
 */
export interface Upload {
  name: string;
  text: string;
  persisted: boolean;
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
    this.files = { ...this.files, [cellId]: { name, text, persisted: false } };
    try {
      await tx('readwrite', (s) => s.put({ name, text }, cellId));
      this.files = { ...this.files, [cellId]: { name, text, persisted: true } };
    } catch {
      // quota exceeded or storage blocked: kept in memory, the data cell says so
    }
  }
  /** Loads the stored file of a cell (after a reload). */
  async restore(cellId: string): Promise<void> {
    if (this.files[cellId]) return;
    try {
      const v = (await tx('readonly', (s) => s.get(cellId))) as
        { name?: unknown; text?: unknown } | undefined;
      if (v && typeof v.name === 'string' && typeof v.text === 'string') {
        this.files = { ...this.files, [cellId]: { name: v.name, text: v.text, persisted: true } };
      }
    } catch {
      // nothing stored
    }
  }
}

export const uploads = new Uploads();
