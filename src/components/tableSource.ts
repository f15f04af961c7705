// What DataTable shows, as row indices into columns instead of one object per row: a 420k-customer forecast
// is a few typed arrays, and the table touches only the rows of the page on screen. Search runs on an index
// (the ids joined into one lower-case string), sorting on a numeric column's array.

export type CellValue = string | number | null;

export interface TableSource {
  /** Rows in all. */
  readonly size: number;
  /** The value of column `key` in row `i`. */
  value(i: number, key: string): CellValue;
  /** Rows matching the (lower-case, trimmed, non-empty) query, in row order. */
  search(query: string): Int32Array;
  /** Builds what search needs ahead of the first query (called when the search box gets focus). */
  prepareSearch?(): void;
  /** A numeric column to sort by, or null when the column cannot be sorted (e.g. filled in on demand). */
  numbers(key: string): ArrayLike<number> | null;
  /** A text column to sort by (localeCompare), when it can be. */
  strings?(key: string): ArrayLike<string> | null;
  /** Told which rows are on screen (columns filled in on demand fetch them). */
  visible?(rows: Int32Array): void;
  /** Columns only the CSV download has (after the table's own), with their header text. */
  readonly exportExtra?: ReadonlyArray<{ key: string; header: string }>;
  /** Called before a download of `rows`: resolves once every value is available (with progress 0–1). */
  prepareExport?(rows: Int32Array, onProgress: (fraction: number) => void): Promise<void>;
}

/** A table over plain row objects (small tables: import rejects...): search looks in every column's text. */
export function rowsSource(
  rows: ReadonlyArray<Record<string, CellValue>>,
  keys: readonly string[],
): TableSource {
  return {
    size: rows.length,
    value: (i, key) => rows[i][key] ?? null,
    search(q) {
      const out: number[] = [];
      rows.forEach((r, i) => {
        if (
          keys.some((k) =>
            String(r[k] ?? '')
              .toLowerCase()
              .includes(q),
          )
        )
          out.push(i);
      });
      return Int32Array.from(out);
    },
    numbers(key) {
      if (!rows.every((r) => typeof r[key] === 'number')) return null;
      return Float64Array.from(rows, (r) => r[key] as number);
    },
    strings: (key) => rows.map((r) => String(r[key] ?? '')),
  };
}

/**
 * Substring search over many ids, built once: the ids lower-cased and joined by '\n' (which no query holds),
 * with each id's start offset. A query costs one indexOf per match, ~10 ms for 400k ids.
 * Example: idIndex(['C1', 'C12', 'X'])('c1') = [0, 1].
 */
export function idIndex(ids: readonly string[]): ((query: string) => Int32Array) & { prepare(): void } {
  // Built on focus of the search box or the first query, not with the table: most tables are never searched.
  let starts: Int32Array | null = null;
  let hay = '';
  const prepare = () => {
    if (starts) return;
    starts = new Int32Array(ids.length + 1);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      starts[i] = at;
      at += ids[i].length + 1;
    }
    starts[ids.length] = at;
    hay = ids.join('\n').toLowerCase();
  };
  const search = (q: string): Int32Array => {
    prepare();
    if (!starts) return new Int32Array(0);
    const out = new Int32Array(ids.length);
    let n = 0;
    let row = 0;
    for (let pos = hay.indexOf(q); pos >= 0;) {
      while (starts[row + 1] <= pos) row++;
      out[n++] = row;
      // next match after this id
      pos = hay.indexOf(q, starts[row + 1]);
    }
    return out.slice(0, n);
  };
  return Object.assign(search, { prepare });
}

/** Rows `rows` (or all) ordered by `key` (dir 1 ascending, -1 descending; NaN last); stable. */
export function orderBy(values: ArrayLike<number>, rows: Int32Array | null, dir: 1 | -1): Int32Array {
  const idx = rows ? rows.slice() : Int32Array.from({ length: values.length }, (_, i) => i);
  const key = (i: number) => {
    const v = values[i];
    return Number.isNaN(v) ? Infinity : dir * v;
  };
  return idx.sort((a, b) => key(a) - key(b) || a - b);
}

/** Rows `rows` (or all) ordered by a text column (dir 1 A→Z, -1 Z→A). */
export function orderByText(values: ArrayLike<string>, rows: Int32Array | null, dir: 1 | -1): Int32Array {
  const idx = rows ? rows.slice() : Int32Array.from({ length: values.length }, (_, i) => i);
  return idx.sort((a, b) => values[a].localeCompare(values[b]) * dir || a - b);
}
