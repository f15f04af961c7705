// The notebook runtime's rules for results (src/lib/notebook/computed.svelte.ts, bind.svelte.ts,
// notebook.svelte.ts): stale runs are dropped, a cancel or a failure never lets an old value pass for a
// current one, and a cell never shows a result computed from other data than its inputs hold now.
// Run by vitest.runtime.config.ts (runes compiled for the client; see there why).
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { Computed } from '../../src/lib/notebook/computed.svelte.ts';
import { bindCompute } from '../../src/lib/notebook/bind.svelte.ts';
import { Notebook } from '../../src/lib/notebook/notebook.svelte.ts';
import { makeCell, DOC_VERSION } from '../../src/lib/notebook/doc.ts';
import { effectRoot } from './effects.svelte.ts';
import { LatestRunner } from '../../src/cells/whatif/latestRunner.ts';

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
  type Src = { name: string };
  /**
   * data -> purchase, spend -> forecast, each bound like its cell's Model (bindCompute in one effect root,
   * in notebook order). The data cell loads whatever `load` is set to; the fits answer from `fits`, a map
   * from dataset name to a job result (or a deferred the test settles); `forecasts` records each forecast run
   * with the data and fits it combined.
   */
  function wired() {
    const nb = new Notebook({
      v: DOC_VERSION,
      seed: 1,
      mode: 'workbench',
      cells: [makeCell('data'), makeCell('purchase'), makeCell('spend'), makeCell('forecast')],
    });
    const [data, purchase, spend, forecast] = nb.cells;
    const forecasts: string[] = [];
    const fit = new Map<string, () => Promise<{ on: string }>>();
    // A loop of re-runs (an effect tracking what it writes) spins on microtasks, where no test timeout can
    // fire: past this many jobs the effects are torn down, so such a bug fails the test instead of hanging.
    let jobs = 0;
    const guard = () => {
      if (++jobs > 200) stop();
    };
    const fitJob = (d: Src) => {
      guard();
      return (fit.get(d.name) ?? (async () => ({ on: d.name })))();
    };
    let stop = () => {};
    stop = effectRoot(() => {
      for (const cell of [purchase, spend])
        bindCompute(
          cell.out,
          () => nb.input(cell.id, 'data') as unknown as Src | undefined,
          (d) => fitJob(d),
          (d) => d ?? nb.input(cell.id, 'data'),
        );
      bindCompute(
        forecast.out,
        () => {
          const d = nb.input(forecast.id, 'data') as unknown as Src | undefined;
          const p = nb.input(forecast.id, 'purchase') as unknown as { on: string } | undefined;
          const s = nb.input(forecast.id, 'spend') as unknown as { on: string } | undefined;
          return d && p && s ? { d, p, s } : null;
        },
        async ({ d, p, s }) => {
          guard();
          forecasts.push(`${d.name}/${p.on}/${s.on}`);
          return { on: d.name } as never;
        },
        () => nb.input(forecast.id, 'data'),
      );
    });
    const load = (src: Src) => data.out.run(async () => src as never, { source: src });
    return { nb, data, purchase, spend, forecast, forecasts, fit, load, stop };
  }
  const settle = async () => {
    flushSync();
    for (let i = 0; i < 5; i++) await tick();
  };
  const cdnow = { name: 'cdnow' };
  const shop = { name: 'shop.csv' };

  it('a failed purchase refit on new data => forecast input undefined, old forecast hidden, state error', async () => {
    const w = wired();
    await w.load(cdnow);
    await settle();
    expect(w.forecasts).toEqual(['cdnow/cdnow/cdnow']);
    expect(w.forecast.out.current).toEqual({ on: 'cdnow' });
    w.fit.set('shop.csv', async () => {
      throw new Error('fit refused');
    });
    await w.load(shop);
    await settle();
    expect(w.nb.input(w.forecast.id, 'purchase')).toBeUndefined();
    expect(w.forecasts).toEqual(['cdnow/cdnow/cdnow']); // never ran shop data with the CDNOW fits
    expect(w.forecast.out.shown).toBeUndefined(); // its CDNOW forecast is not shown next to shop data
    expect(w.forecast.out.showingStale).toBe(false);
    expect(w.nb.inputStates(w.forecast.id, ['data', 'purchase', 'spend'])).toEqual([
      { kind: 'purchase', state: 'error' },
      { kind: 'spend', state: 'error' },
    ]);
    w.stop();
  });

  it('dataset A then B requested: Notebook.input never returns an A result, while B computes or after', async () => {
    const w = wired();
    await w.load(cdnow);
    await settle();
    expect(w.nb.input(w.forecast.id, 'purchase')).toEqual({ on: 'cdnow' });
    const slow = deferred<{ on: string }>();
    w.fit.set('shop.csv', () => slow.promise);
    await w.load(shop);
    await settle();
    // B is loaded, its fits compute: nothing below reads the A fits or the A forecast.
    expect(w.nb.input(w.forecast.id, 'data')).toBe(shop);
    expect(w.nb.input(w.forecast.id, 'purchase')).toBeUndefined();
    expect(w.nb.input(w.forecast.id, 'spend')).toBeUndefined();
    expect(w.purchase.out.value).toEqual({ on: 'cdnow' }); // still held...
    expect(w.purchase.out.shown).toBeUndefined(); // ...but never shown next to shop data
    expect(w.forecast.out.current).toBeUndefined();
    expect(w.nb.inputStates(w.forecast.id, ['data', 'purchase', 'spend'])).toEqual([
      { kind: 'purchase', state: 'pending' },
      { kind: 'spend', state: 'pending' },
    ]);
    slow.resolve({ on: 'shop.csv' });
    await settle();
    expect(w.forecasts).toEqual(['cdnow/cdnow/cdnow', 'shop.csv/shop.csv/shop.csv']);
    expect(w.nb.input(w.forecast.id, 'purchase')).toEqual({ on: 'shop.csv' });
    expect(w.forecast.out.current).toEqual({ on: 'shop.csv' });
    w.stop();
  });

  it('a late A result arriving after B was requested is dropped (never current, never shown)', async () => {
    const w = wired();
    const a = deferred<{ on: string }>();
    w.fit.set('cdnow', () => a.promise);
    await w.load(cdnow);
    await settle();
    await w.load(shop);
    await settle();
    a.resolve({ on: 'cdnow' }); // the aborted A fit answers anyway
    await settle();
    expect(w.purchase.out.current).toEqual({ on: 'shop.csv' });
    expect(w.forecasts).toEqual(['shop.csv/shop.csv/shop.csv']);
    w.stop();
  });

  it('same data, new settings pending: the old fit is showingStale with its source, not an input', async () => {
    const w = wired();
    await w.load(cdnow);
    await settle();
    const p = w.purchase.out;
    void p.run(() => new Promise(() => {}), { source: cdnow }); // a model switch on the same data
    expect(p.showingStale).toBe(true);
    expect(p.source).toBe(cdnow);
    expect(p.shown).toEqual({ on: 'cdnow' });
    expect(w.nb.input(w.forecast.id, 'purchase')).toBeUndefined();
    await settle();
    // the forecast detached with the data it still holds: its CDNOW forecast stays, marked stale
    expect(w.forecast.out.showingStale).toBe(true);
    expect(w.forecast.out.source).toBe(cdnow);
    expect(w.nb.inputStates(w.forecast.id, ['purchase'])).toEqual([{ kind: 'purchase', state: 'pending' }]);
    w.stop();
  });

  it('a cancelled upload => data not current, below detached; inputStates says cancelled', async () => {
    const w = wired();
    await w.load(cdnow);
    await settle();
    void w.data.out.run(() => new Promise(() => {}), { source: { name: 'big.csv' } });
    w.data.out.cancel();
    await settle();
    expect(w.nb.input(w.purchase.id, 'data')).toBeUndefined();
    expect(w.data.out.shown).toBeUndefined();
    expect(w.nb.inputStates(w.purchase.id, ['data'])).toEqual([{ kind: 'data', state: 'cancelled' }]);
    // null input => detach: purchase stops being an input and, its data unknown, is not shown
    expect(w.purchase.out.current).toBeUndefined();
    expect(w.purchase.out.shown).toBeUndefined();
    expect(w.nb.input(w.forecast.id, 'purchase')).toBeUndefined();
    w.stop();
  });

  it('a removed data cell => inputs null, the cells below detach and show nothing; missing state', async () => {
    const w = wired();
    await w.load(cdnow);
    await settle();
    w.nb.remove(w.data.id);
    await settle();
    expect(w.purchase.out.current).toBeUndefined();
    expect(w.purchase.out.shown).toBeUndefined();
    expect(w.forecast.out.shown).toBeUndefined();
    expect(w.nb.inputStates(w.forecast.id, ['data', 'purchase'])).toEqual([
      { kind: 'data', state: 'missing' },
      { kind: 'purchase', state: 'waiting' },
    ]);
    w.stop();
  });

  it('the bound effect does not re-run on its own writes (a settle is not a new input)', async () => {
    const w = wired();
    await w.load(cdnow);
    await settle();
    await settle();
    await w.forecast.out.run(async () => ({ on: 'x' }) as never, { source: cdnow });
    await settle();
    expect(w.forecasts).toEqual(['cdnow/cdnow/cdnow']);
    expect(w.purchase.out.current).toEqual({ on: 'cdnow' });
    w.stop();
  });
});

describe('LatestRunner lanes + Computed (the what-if cells)', () => {
  it('per cell only the newest waiting request runs; the superseded one is dropped, not "cancelled"', async () => {
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const runner = new LatestRunner<string, string>(
      (input) =>
        new Promise((resolve) => {
          started.push(input);
          gates.set(input, () => resolve(input));
        }),
      1,
      1500,
    );
    const a = new Computed<string>();
    const b = new Computed<string>();
    void a.run((signal, onProgress) => runner.run('a1', { signal, onProgress }, 'a'));
    void b.run((signal, onProgress) => runner.run('b1', { signal, onProgress }, 'b'));
    void a.run((signal, onProgress) => runner.run('a2', { signal, onProgress }, 'a'));
    void a.run((signal, onProgress) => runner.run('a3', { signal, onProgress }, 'a'));
    for (const id of ['a1', 'b1', 'a3']) {
      await tick();
      gates.get(id)?.();
      await tick();
    }
    await tick();
    expect(started).toEqual(['a1', 'b1', 'a3']); // a2 never ran; b1 was not superseded by a's requests
    expect(a.current).toBe('a3');
    expect(b.current).toBe('b1');
    expect(a.cancelled).toBe(false);
    expect(a.pending).toBe(false);
  });
});
