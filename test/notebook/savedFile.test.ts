// Uploads inside a .clv.json: compressed bytes that come back exactly; truncated, edited and bomb data refused.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { decodeSavedData, encodeSavedData, MAX_SAVED_DATA_BYTES } from '../../src/lib/notebook/savedFile.ts';
import { shopLog } from '../fixtures/shopLog.ts';

describe('encodeSavedData / decodeSavedData', () => {
  it('a 600 KB export (GB18030-like bytes included) round-trips byte for byte, smaller than the raw file', async () => {
    const text = shopLog(4700);
    const bytes = new Uint8Array([0xbf, 0xcd, 0xbb, 0xa7, 0x0a, ...new TextEncoder().encode(text)]);
    const saved = await encodeSavedData('shop.csv', bytes);
    expect(saved.bytes).toBe(bytes.length);
    expect(saved.deflate.length).toBeLessThan(bytes.length / 2);
    const back = decodeSavedData(JSON.parse(JSON.stringify(saved)));
    expect('bytes' in back && back.bytes).toEqual(bytes);
    expect('name' in back && back.name).toBe('shop.csv');
  });

  it('every length round-trips (base64 slices join without padding inside)', async () => {
    for (const n of [0, 1, 2, 3, 30719, 30720, 30721, 61441]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 7919) & 255);
      const back = decodeSavedData(await encodeSavedData('x', bytes));
      expect('bytes' in back && back.bytes.length, `n = ${n}`).toBe(n);
      if ('bytes' in back) expect(back.bytes).toEqual(bytes);
    }
  });

  const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 'x', /not an object/],
    ['no data', { name: 'a.csv' }, /missing/],
    ['not base64', { name: 'a.csv', deflate: '%%%' }, /not valid base64/],
    [
      'not deflate',
      { name: 'a.csv', deflate: b64(new Uint8Array([1, 2, 3, 250, 251])) },
      /truncated or corrupted/,
    ],
    [
      'cut short',
      { name: 'a.csv', deflate: b64(deflateSync(new Uint8Array(5000).fill(65)).subarray(0, 10)) },
      /truncated or corrupted/,
    ],
    ['a wrong size', { name: 'a.csv', bytes: 9, deflate: b64(deflateSync(new Uint8Array(5))) }, /9 expected/],
    // 60 MB of zeros deflate to ~60 KB: refused at the cap without inflating it all
    [
      'a zip bomb',
      { name: 'bomb.csv', deflate: b64(deflateSync(new Uint8Array(MAX_SAVED_DATA_BYTES + 10 * 2 ** 20))) },
      /refused, the data would inflate to more than 50 MB/,
    ],
  ];
  for (const [name, raw, expected] of cases)
    it(`${name} -> { error }`, () => {
      const r = decodeSavedData(raw);
      expect('error' in r && r.error).toMatch(expected);
    });
});
