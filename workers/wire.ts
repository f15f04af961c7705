// Long string lists across postMessage. Structured clone copies a list of strings string by string: the 431k
// customer ids and 1M order ids of a big upload took the page 170 ms to receive and 130 ms to send on to the
// second worker (bench/notebook.ts), each one long task. Packed into one string plus end offsets they cross
// in ~20 ms, and the page unpacks a list only when something reads it (most lists it never reads: it only
// forwards the dataset to the other worker).
// Used on both sides by workers/client.ts and workers/engine.worker.ts, nowhere else.

/** Lists shorter than this cross as they are. */
const MIN_PACKED = 1000;

/** A packed list: item k is text.slice(ends[k - 1] ?? 0, ends[k]). */
interface Packed {
  __packedStrings: string;
  ends: Int32Array;
}

function isPacked(x: unknown): x is Packed {
  return typeof x === 'object' && x !== null && typeof (x as Packed).__packedStrings === 'string';
}

function isStringList(x: unknown): x is string[] {
  if (!Array.isArray(x) || x.length < MIN_PACKED) return false;
  for (const s of x) if (typeof s !== 'string') return false;
  return true;
}

function packList(a: readonly string[]): Packed {
  const ends = new Int32Array(a.length);
  let at = 0;
  for (let k = 0; k < a.length; k++) ends[k] = at += a[k].length;
  return { __packedStrings: a.join(''), ends };
}

function unpackList(p: Packed): string[] {
  const out = new Array<string>(p.ends.length);
  let from = 0;
  for (let k = 0; k < out.length; k++) {
    const to = p.ends[k];
    out[k] = p.__packedStrings.slice(from, to);
    from = to;
  }
  return out;
}

const plain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' &&
  x !== null &&
  !ArrayBuffer.isView(x) &&
  !(x instanceof ArrayBuffer) &&
  !Array.isArray(x);

/**
 * `x` with every long string list in its plain objects replaced by its packed form, as a new tree of objects
 * (typed arrays and everything else shared, so a comlink transfer list of their buffers stays valid; `x` is
 * not changed). The type is x's own: the packed form exists only while crossing, `unpack*` undoes it.
 * Example: pack({ ids: ['a', ..., 'z'] (1000+ items), n: 3 }) -> { ids: { __packedStrings: 'a…z', ends }, n: 3 }.
 */
export function pack<T>(x: T): T {
  return packAny(x, 0) as T;
}
function packAny(x: unknown, depth: number): unknown {
  if (isStringList(x)) return packList(x);
  if (!plain(x) || depth > 6) return x;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(x)) {
    const w = packAny(v, depth + 1);
    if (w !== v) (out ??= { ...x })[k] = w;
  }
  return out ?? x;
}

/** Undoes `pack` at once (the worker's side: the engine reads every list). */
export function unpack<T>(x: T): T {
  return unpackAny(x, 0) as T;
}
function unpackAny(x: unknown, depth: number): unknown {
  if (isPacked(x)) return unpackList(x);
  if (!plain(x) || depth > 6) return x;
  for (const [k, v] of Object.entries(x)) {
    const w = unpackAny(v, depth + 1);
    if (w !== v) x[k] = w;
  }
  return x;
}

/**
 * Undoes `pack` lazily, in place (the page's side): each packed list becomes a getter that unpacks it on the
 * first read and then holds the list. Returns the packed form as it arrived (a separate tree sharing the
 * packed lists), for sending the same data on to a worker without unpacking it.
 */
export function unpackLazily<T>(x: T): T {
  return lazyAny(x, 0) as T;
}

function lazyAny(x: unknown, depth: number): unknown {
  if (!plain(x) || depth > 6) return x;
  // The values as they arrived, read before any getter is defined.
  const entries = Object.entries(x);
  const wire: Record<string, unknown> = {};
  let changed = false;
  for (const [k, v] of entries) {
    if (isPacked(v)) {
      wire[k] = v;
      changed = true;
      let list: string[] | null = null;
      Object.defineProperty(x, k, {
        enumerable: true,
        configurable: true,
        get: () => (list ??= unpackList(v)),
        set: (value: unknown) =>
          Object.defineProperty(x, k, { value, writable: true, enumerable: true, configurable: true }),
      });
      continue;
    }
    const w = lazyAny(v, depth + 1);
    wire[k] = w;
    if (w !== v) changed = true;
  }
  return changed ? wire : x;
}

/**
 * A copy of `x` whose typed arrays are fresh copies, with their buffers to transfer: the sender keeps its own
 * arrays and the receiver gets the copies without a structured clone on its thread (a 1M-row dataset's
 * columns took the page ~130 ms to receive as a clone). Plain objects are walked as `pack` walks them.
 */
export function copyForTransfer<T>(x: T): { value: T; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = [];
  const walk = (v: unknown, depth: number): unknown => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const c = (v as unknown as { slice(): ArrayBufferView }).slice();
      if (c.buffer instanceof ArrayBuffer && c.byteLength > 0) buffers.push(c.buffer);
      return c;
    }
    if (!plain(v) || depth > 6) return v;
    const out: Record<string, unknown> = {};
    for (const [k, w] of Object.entries(v)) out[k] = walk(w, depth + 1);
    return out;
  };
  return { value: walk(x, 0) as T, buffers };
}
