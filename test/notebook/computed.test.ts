// The notebook runtime's rules for results (src/lib/notebook/computed.svelte.ts, bind.svelte.ts,
// notebook.svelte.ts): stale runs are dropped, a cancel or a failure never lets an old value pass for a
// current one, and a cell never shows a result computed from other data than its inputs hold now.
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { Computed } from '../../src/lib/notebook/computed.svelte.ts';
import { bindCompute } from '../../src/lib/notebook/bind.svelte.ts';
import { Notebook } from '../../src/lib/notebook/notebook.svelte.ts';
import { makeCell, DOC_VERSION } from '../../src/lib/notebook/doc.ts';
import { effectRoot } from './effects.svelte.ts';

/** A job whose result the test releases by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Computed', () => {
  it('run(a), run(b), a settles last => b wins (stale result dropped)', async () => {
    const c = new Computed<string>();
    const a = deferred<string>();
    const b = deferred<string>();
    void c.run(() => a.promise);
    void c.run(() => b.promise);
    b.resolve('b');
    await tick();
    a.resolve('a');
    await tick();
    expect(c.value).toBe('b');
    expect(c.current).toBe('b');
    expect(c.pending).toBe(false);
  });

  it('run(a) aborted by run(b) => a sees its signal aborted', async () => {
    const c = new Computed<number>();
    let aborted = false;
    void c.run((signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => {});
    });
    void c.run(async () => 2);
    await tick();
    expect(aborted).toBe(true);
    expect(c.value).toBe(2);
  });

  it('cancel() => cancelled, old value stale: current undefined', async () => {
    const c = new Computed<number>();
    await c.run(async () => 1);
    expect(c.current).toBe(1);
    void c.run(() => new Promise(() => {}));
    expect(c.stale).toBe(true);
    expect(c.current).toBeUndefined();
    c.cancel();
    expect(c.cancelled).toBe(true);
    expect(c.pending).toBe(false);
    expect(c.current).toBeUndefined();
    expect(c.value).toBe(1);
  });

  it('a failed run => error set and the previous value is not current', async () => {
    const c = new Computed<number>();
    await c.run(async () => 1);
    await c.run(async () => {
      throw new Error('fit failed');
    });
    expect(c.error).toBe('fit failed');
    expect(c.current).toBeUndefined();
  });

  it('retry() after an error runs the last job again and it becomes current', async () => {
    const c = new Computed<number>();
    let n = 0;
    await c.run(async () => {
      if (n++ === 0) throw new Error('once');
      return 7;
    });
    expect(c.error).toBe('once');
    c.retry();
    await tick();
    expect(c.current).toBe(7);
    expect(c.error).toBeNull();
  });

  it('shown: stale value from the same dataset is shown, from another dataset hidden', async () => {
    const cdnow = { name: 'cdnow' };
    const shop = { name: 'shop.csv' };
    const c = new Computed<number>();
    await c.run(async () => 1, { source: cdnow });
    expect(c.shown).toBe(1);
    // Same dataset, new settings pending: shown (dimmed by CellFrame), not current.
    void c.run(() => new Promise(() => {}), { source: cdnow });
    expect(c.shown).toBe(1);
    expect(c.showingStale).toBe(true);
    expect(c.current).toBeUndefined();
    // Other data: hidden while pending, and after an error.
    void c.run(
      async () => {
        throw new Error('x');
      },
      { source: shop },
    );
    expect(c.shown).toBeUndefined();
    await tick();
    expect(c.error).toBe('x');
    expect(c.shown).toBeUndefined();
  });

  it('detach(undefined) => value hidden and not current; detach(same source) => shown stale', async () => {
    const src = { name: 'd' };
    const c = new Computed<number>();
    await c.run(async () => 3, { source: src });
    c.detach(src);
    expect(c.current).toBeUndefined();
    expect(c.shown).toBe(3);
    c.detach(undefined);
    expect(c.shown).toBeUndefined();
  });

  it('detach() while pending drops the late result', async () => {
    const c = new Computed<number>();
    const d = deferred<number>();
    void c.run(() => d.promise);
    c.detach(undefined);
    expect(c.pending).toBe(false);
    d.resolve(5);
    await tick();
    expect(c.value).toBeUndefined();
  });

  it('results with no dataset (what-if) stay shown while a newer run is pending', async () => {
    const c = new Computed<number>();
    await c.run(async () => 1);
    void c.run(() => new Promise(() => {}));
    expect(c.shown).toBe(1);
  });
});

describe('bindCompute + Notebook.input', () => {
  function notebook() {
    return new Notebook({
      v: DOC_VERSION,
      seed: 1,
      mode: 'workbench',
      cells: [makeCell('data'), makeCell('purchase'), makeCell('spend'), makeCell('forecast')],
    });
  }

  it('a failed purchase refit on new data => forecast input undefined, old forecast hidden', async () => {
    const nb = notebook();
    const [data, purchase, spend, forecast] = nb.cells;
    const cdnow = { name: 'cdnow' };
    const shop = { name: 'shop.csv' };
    const runs: string[] = [];
    const stop = effectRoot(() => {
      bindCompute(
        forecast.out,
        () => {
          const d = nb.input(forecast.id, 'data');
          const p = nb.input(forecast.id, 'purchase');
          const s = nb.input(forecast.id, 'spend');
          return d && p && s ? { d, p, s } : null;
        },
        async ({ d }) => {
          runs.push(d.name);
          return { total: d.name } as never;
        },
        () => nb.input(forecast.id, 'data'),
      );
    });
    await data.out.run(async () => cdnow as never, { source: cdnow });
    await purchase.out.run(async () => ({ fit: 'cdnow' }) as never, { source: cdnow });
    await spend.out.run(async () => ({ fit: 'cdnow' }) as never, { source: cdnow });
    flushSync();
    await tick();
    expect(runs).toEqual(['cdnow']);
    expect(forecast.out.shown).toBeDefined();
    // A new upload loads: everything below must stop using CDNOW.
    await data.out.run(async () => shop as never, { source: shop });
    await purchase.out.run(
      async () => {
        throw new Error('fit refused');
      },
      { source: shop },
    );
    await spend.out.run(async () => ({ fit: 'shop' }) as never, { source: shop });
    flushSync();
    await tick();
    expect(nb.input(forecast.id, 'purchase')).toBeUndefined();
    expect(runs).toEqual(['cdnow']); // never ran shop data with the CDNOW purchase fit
    expect(forecast.out.shown).toBeUndefined(); // its CDNOW forecast is not shown next to shop data
    expect(nb.inputStates(forecast.id, ['data', 'purchase', 'spend'])).toEqual([
      { kind: 'purchase', state: 'error' },
    ]);
    stop();
  });

  it('a cancelled upload => data not current; inputStates says cancelled', async () => {
    const nb = notebook();
    const [data, purchase] = nb.cells;
    await data.out.run(async () => ({ name: 'cdnow' }) as never, { source: { name: 'cdnow' } });
    void data.out.run(() => new Promise(() => {}), { source: { name: 'big.csv' } });
    data.out.cancel();
    expect(nb.input(purchase.id, 'data')).toBeUndefined();
    expect(data.out.shown).toBeUndefined();
    expect(nb.inputStates(purchase.id, ['data'])).toEqual([{ kind: 'data', state: 'cancelled' }]);
  });
});
