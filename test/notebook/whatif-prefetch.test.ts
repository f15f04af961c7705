// The what-if cell's Monte Carlo cache and next-step guesses (src/cells/whatif/prefetch.ts, levers.ts). A result
// served from the cache must be exactly the run of those inputs; guesses must land on the values the Slider sets.
import { describe, expect, it } from 'vitest';
import { McCache, mcKey } from '../../src/cells/whatif/prefetch.ts';
import { leverMove, stepInputs } from '../../src/cells/whatif/levers.ts';
import { snapToStep } from '../../src/components/snap.ts';
import { DEFAULT_INPUTS, type WhatIfInputs } from '../../src/lib/sim/inputs.ts';
import { runMonteCarlo, type MonteCarloResult } from '../../src/lib/sim/monteCarlo.ts';

const base: WhatIfInputs = { ...DEFAULT_INPUTS, retentionPerPeriod: 0.851, averageOrderValue: 50 };
const small = { customers: 400, worlds: 20 };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('snapToStep (the Slider and the guesses share it)', () => {
  it('lands on min + k*step without binary noise and clamps to [min, max]', () => {
    expect(snapToStep(85.1 + 0.1, 0, 99.9, 0.1)).toBe(85.2);
    expect(snapToStep(0.1 + 0.2, 0, 1, 0.1)).toBe(0.3);
    expect(snapToStep(99.95, 0, 99.9, 0.1)).toBe(99.9);
    expect(snapToStep(-3, 0, 10, 0.5)).toBe(0);
    expect(snapToStep(7.26, 0, 50, 0.5)).toBe(7.5);
  });
});

describe('stepInputs / leverMove', () => {
  it('one step of each kind of lever gives the value the slider sets', () => {
    // retention is shown in % with step 0.1: 85.1% + 0.1 -> 85.2% = 0.852
    expect(stepInputs(base, base, 'retentionPerPeriod', 0.1)?.retentionPerPeriod).toBe(0.852);
    expect(stepInputs(base, base, 'averageOrderValue', -1)?.averageOrderValue).toBe(49);
    // PageUp = 10 steps of 0.5 points of discount rate: 10% -> 15%
    expect(stepInputs(base, base, 'annualDiscountRate', 5)?.annualDiscountRate).toBe(0.15);
  });

  it('returns null at the end of the slider and for a zero move', () => {
    const top = { ...base, retentionPerPeriod: 0.999 };
    expect(stepInputs(top, top, 'retentionPerPeriod', 0.1)).toBeNull();
    expect(stepInputs(base, base, 'averageOrderValue', 0)).toBeNull();
  });

  it('leverMove names the one lever that moved, in displayed units; null for none or several', () => {
    const next = stepInputs(base, base, 'retentionPerPeriod', 0.1)!;
    const m = leverMove(base, next)!;
    expect(m.key).toBe('retentionPerPeriod');
    expect(m.delta).toBeCloseTo(0.1, 12);
    expect(leverMove(base, base)).toBeNull();
    expect(leverMove(base, { ...next, averageOrderValue: 60 })).toBeNull();
    expect(leverMove(base, { ...base, periodMonths: 3 })).toBeNull();
  });
});

describe('McCache', () => {
  function setup(allowed = () => true) {
    const started: WhatIfInputs[] = [];
    const run = (inputs: WhatIfInputs, seed: number): Promise<MonteCarloResult> => {
      started.push(inputs);
      return Promise.resolve().then(() => runMonteCarlo(inputs, { seed, ...small }));
    };
    return { cache: new McCache(run, allowed, 4), started };
  }

  it('a speculated result is exactly the run of those inputs and seed', async () => {
    const { cache } = setup();
    const next = stepInputs(base, base, 'averageOrderValue', 1)!;
    cache.speculate([next], 7);
    const hit = cache.get(next, 7);
    expect(hit).toBeDefined();
    expect(await hit).toEqual(runMonteCarlo(next, { seed: 7, ...small }));
    // other seed or inputs: not the same run
    expect(cache.get(next, 8)).toBeUndefined();
    expect(cache.get(base, 7)).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 2]);
  });

  it('speculates one run at a time, most likely first, only while allowed; a new list replaces the old', async () => {
    let allowed = false;
    const { cache, started } = setup(() => allowed);
    const a = stepInputs(base, base, 'averageOrderValue', 1)!;
    const b = stepInputs(base, base, 'averageOrderValue', -1)!;
    cache.speculate([a, b], 1);
    expect(started).toEqual([]); // not allowed: nothing runs
    allowed = true;
    cache.speculate([a, b], 1);
    expect(started).toEqual([a]); // one at a time
    await tick();
    await tick();
    expect(started).toEqual([a, b]);
    await tick();
    cache.speculate([a, b], 1); // both known: nothing to run
    expect(started.length).toBe(2);
    expect(cache.speculated).toBe(2);
  });

  it('keeps at most `capacity` results, dropping the least recently used', () => {
    const { cache } = setup();
    const r = runMonteCarlo(base, { seed: 1, ...small });
    const xs = [40, 41, 42, 43, 44].map((v) => ({ ...base, averageOrderValue: v }));
    for (const x of xs.slice(0, 4)) cache.put(x, 1, r);
    expect(cache.get(xs[0], 1)).toBeDefined(); // refreshes 40
    cache.put(xs[4], 1, r); // evicts 41, the least recently used
    expect(cache.get(xs[1], 1)).toBeUndefined();
    expect(cache.get(xs[0], 1)).toBeDefined();
  });

  it('a failed speculative run is forgotten and the next guess runs', async () => {
    const started: string[] = [];
    const cache = new McCache(
      (inputs) => {
        started.push(mcKey(inputs, 0));
        return inputs.averageOrderValue === 51
          ? Promise.reject(new Error('worker died'))
          : Promise.resolve(runMonteCarlo(inputs, small));
      },
      () => true,
    );
    const a = { ...base, averageOrderValue: 51 };
    const b = { ...base, averageOrderValue: 49 };
    cache.speculate([a, b], 0);
    await tick();
    await tick();
    expect(started).toEqual([mcKey(a, 0), mcKey(b, 0)]);
    expect(cache.get(a, 0)).toBeUndefined();
    expect(cache.get(b, 0)).toBeDefined();
  });
});
