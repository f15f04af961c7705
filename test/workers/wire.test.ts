// Long string lists cross postMessage packed (workers/wire.ts): every round trip gives back the same data.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyForTransfer, pack, unpack, unpackLazily } from '../../workers/wire.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `C${i}`);

describe('wire packing of string lists', () => {
  it('packs long lists in nested plain objects, leaves short lists, typed arrays and the input alone', () => {
    const day = Int32Array.of(1, 2, 3);
    const input = { payload: { transactions: { customerIds: ids(1500), day, channels: ['a', 'b'] } }, n: 3 };
    const wire = pack(input);
    const t = wire.payload.transactions as unknown as Record<string, unknown>;
    expect(typeof (t.customerIds as { __packedStrings: string }).__packedStrings).toBe('string');
    expect(t.day).toBe(day);
    expect(t.channels).toEqual(['a', 'b']);
    expect(input.payload.transactions.customerIds).toHaveLength(1500); // not changed
    expect(unpack(structuredClone(wire))).toEqual(input);
  });

  it('round-trips any strings, also empty ones and ones with separators (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1000, maxLength: 1200 }), (list) => {
        expect(unpack(structuredClone(pack({ list }))).list).toEqual(list);
      }),
      { numRuns: 20 },
    );
  });

  it('unpacks lazily on first read and keeps the packed form for sending on', () => {
    const input = { payload: { customerIds: ids(2000), n: 2000 } };
    const received = structuredClone(pack(input));
    const wire = unpackLazily(received);
    // the packed form is a separate tree: reading it does not unpack
    expect(typeof (wire.payload.customerIds as unknown as { __packedStrings: string }).__packedStrings).toBe(
      'string',
    );
    expect(received.payload.customerIds[1999]).toBe('C1999');
    expect(received.payload.customerIds).toBe(received.payload.customerIds); // unpacked once
    expect(unpack(structuredClone(wire))).toEqual(input);
    // a result without long lists comes back as it is
    const small = { a: ['x'], b: 1 };
    expect(unpackLazily(small)).toBe(small);
  });
});

describe('copyForTransfer', () => {
  it('copies typed arrays (the sender keeps its own) and lists their buffers once each', () => {
    const day = Int32Array.of(1, 2, 3);
    const x = { payload: { day, amount: Float64Array.of(1.5), name: 'x', list: ['a'] } };
    const { value, buffers } = copyForTransfer(x);
    expect(value).toEqual(x);
    expect(value.payload.day).not.toBe(day);
    expect(buffers).toHaveLength(2);
    expect(buffers).toContain(value.payload.day.buffer);
  });
});
