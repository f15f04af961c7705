// The table's row source: id search on an index, sorting of row indices, the plain-rows adapter.
import { describe, expect, it } from 'vitest';
import { idIndex, orderBy, orderByText, rowsSource } from '../../src/components/tableSource.ts';

describe('idIndex(ids)(query)', () => {
  const search = idIndex(['C1', 'C12', 'X', 'c100', 'AC1C1']);
  it('finds every id containing the query, case-insensitively, in row order', () => {
    expect(Array.from(search('c1'))).toEqual([0, 1, 3, 4]);
  });
  it('an id with two matches is listed once', () => {
    expect(Array.from(search('c1')).filter((i) => i === 4)).toHaveLength(1);
  });
  it('a query spanning two ids matches nothing (ids are separated)', () => {
    expect(Array.from(search('1c12'))).toEqual([]);
  });
  it('the last id is searchable', () => {
    expect(Array.from(search('ac1'))).toEqual([4]);
  });
  it('agrees with a plain filter on 10,000 generated ids', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `K${(i * 7919) % 10007}`);
    const idx = idIndex(ids);
    for (const q of ['k1', '99', 'k100', '7']) {
      const plain = ids.flatMap((id, i) => (id.toLowerCase().includes(q) ? [i] : []));
      expect(Array.from(idx(q))).toEqual(plain);
    }
  });
});

describe('orderBy(values, rows, dir)', () => {
  const v = Float64Array.from([3, 1, NaN, 2, 1]);
  it('descending, ties by row, NaN last', () => {
    expect(Array.from(orderBy(v, null, -1))).toEqual([0, 3, 1, 4, 2]);
  });
  it('ascending over a subset of rows', () => {
    expect(Array.from(orderBy(v, Int32Array.from([0, 2, 4]), 1))).toEqual([4, 0, 2]);
  });
  it('text columns sort with localeCompare', () => {
    expect(Array.from(orderByText(['b', 'a', 'c'], null, 1))).toEqual([1, 0, 2]);
  });
});

describe('rowsSource(rows, keys)', () => {
  const s = rowsSource(
    [
      { line: 3, reason: 'bad date' },
      { line: 10, reason: 'no amount' },
    ],
    ['line', 'reason'],
  );
  it('searches every column as text', () => {
    expect(Array.from(s.search('amount'))).toEqual([1]);
    expect(Array.from(s.search('3'))).toEqual([0]);
  });
  it('numbers only for all-numeric columns', () => {
    expect(Array.from(s.numbers('line') ?? [])).toEqual([3, 10]);
    expect(s.numbers('reason')).toBeNull();
  });
});
