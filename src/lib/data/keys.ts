/**
 * Interning of byte-slice keys (customer ids, order ids, channels) into dense integer indices, without
 * allocating a string per row: open addressing over a 32-bit FNV-1a hash, key bytes kept in one growing arena.
 * Each slot holds (index + 1, hash with the key length folded in, first 8 key bytes), so a lookup of a key of
 * up to 8 bytes touches one cache line; longer keys compare their tail in the arena. The previous key is
 * remembered: logs sorted by customer hit it without hashing.
 */
export class ByteKeyTable {
  private arena: Uint8Array = new Uint8Array(1 << 16);
  private arenaLen = 0;
  private keys: Int32Array = new Int32Array(2048); // [start, length] per key
  private slots: Int32Array = new Int32Array(4 * 2048); // [index + 1 (0 = empty), hash|len, bytes 0-3, bytes 4-7]
  private mask = 2047;
  private last: Uint8Array = new Uint8Array(64); // bytes of the previous key (when it fits)
  private lastLen = -1;
  private lastKey = -1;
  /** Number of distinct keys interned so far. */
  size = 0;

  /** Index of the key bytes [start, end) of `buf`, adding it when new. Example: ids "A","B","A" -> 0,1,0. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    // same key as last time? (compared with a private copy: no random memory access)
    if (len === this.lastLen) {
      const a = this.last;
      let i = 0;
      while (i < len && a[i] === buf[start + i]) i++;
      if (i === len) return this.lastKey;
    }
    let h = 0x811c9dc5 | 0;
    let w0 = 0;
    let w1 = 0;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      h = Math.imul(h ^ b, 0x01000193);
      const o = i - start;
      if (o < 4) w0 |= b << (8 * o);
      else if (o < 8) w1 |= b << (8 * (o - 4));
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const hl = (h & ~63) | (len < 63 ? len : 63);
    const mask = this.mask;
    const slots = this.slots;
    let s = (h >>> 6) & mask;
    for (;;) {
      const base = 4 * s;
      const v = slots[base];
      if (v === 0) break;
      if (slots[base + 1] === hl && slots[base + 2] === w0 && slots[base + 3] === w1) {
        const k = v - 1;
        if (len <= 8) return this.remember(k, buf, start, len);
        // long key: compare the rest in the arena
        const a = this.arena;
        let p = this.keys[2 * k] + 8;
        let i = start + 8;
        if (this.keys[2 * k + 1] === len) {
          while (i < end && a[p] === buf[i]) {
            p++;
            i++;
          }
          if (i === end) return this.remember(k, buf, start, len);
        }
      }
      s = (s + 1) & mask;
    }
    // New key.
    const k = this.size;
    if (2 * k + 1 >= this.keys.length) {
      const next = new Int32Array(this.keys.length * 2);
      next.set(this.keys);
      this.keys = next;
    }
    if (this.arenaLen + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaLen + len) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena.subarray(0, this.arenaLen));
      this.arena = next;
    }
    this.arena.set(buf.subarray(start, end), this.arenaLen);
    this.keys[2 * k] = this.arenaLen;
    this.keys[2 * k + 1] = len;
    this.arenaLen += len;
    this.size = k + 1;
    const base = 4 * s;
    slots[base] = k + 1;
    slots[base + 1] = hl;
    slots[base + 2] = w0;
    slots[base + 3] = w1;
    if (this.size * 10 > mask * 7) this.rehash();
    return this.remember(k, buf, start, len);
  }

  private remember(k: number, buf: Uint8Array, start: number, len: number): number {
    this.lastKey = k;
    if (len <= 64) {
      const a = this.last;
      for (let i = 0; i < len; i++) a[i] = buf[start + i];
      this.lastLen = len;
    } else this.lastLen = -1;
    return k;
  }

  /** The bytes of key `index` (a view into the arena; copy before keeping). */
  bytes(index: number): Uint8Array {
    const s = this.keys[2 * index];
    return this.arena.subarray(s, s + this.keys[2 * index + 1]);
  }

  /** All keys decoded as UTF-8 strings, in index order (allocates once per distinct key, not per row). */
  strings(): string[] {
    const dec = new TextDecoder('utf-8');
    const out = new Array<string>(this.size);
    for (let k = 0; k < this.size; k++) out[k] = dec.decode(this.bytes(k));
    return out;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const old = this.slots;
    const slots = new Int32Array(size * 4);
    for (let b0 = 0; b0 < old.length; b0 += 4) {
      if (old[b0] === 0) continue;
      let s = (old[b0 + 1] >>> 6) & mask;
      while (slots[4 * s] !== 0) s = (s + 1) & mask;
      slots.set(old.subarray(b0, b0 + 4), 4 * s);
    }
    this.slots = slots;
    this.mask = mask;
  }
}
