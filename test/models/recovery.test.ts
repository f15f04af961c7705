import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/sim/rng.ts';
import { simulateBgNbd, simulateParetoNbd } from '../../src/lib/models/simulate.ts';
import { fitBgNbd } from '../../src/lib/models/bgNbd.ts';
import { fitMbgNbd } from '../../src/lib/models/mbgNbd.ts';
import { fitParetoNbd } from '../../src/lib/models/paretoNbd.ts';

// Parameter recovery: simulate from known parameters with the seeded simulators (src/lib/models/simulate.ts),
// fit, and require every estimate within 3 standard errors of the truth (a 3-SE miss has probability ~0.3%
// per parameter if the SEs are right; the seeds are fixed, so the test is deterministic).
function ages(n: number, rng: Rng): Float64Array {
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) T[i] = 10 + 50 * rng.uniform(); // weeks since first purchase, 10..60
  return T;
}

describe('parameter recovery', () => {
  it('BG/NBD: 30,000 simulated customers -> estimates within 3 SE', () => {
    const rng = Rng.fromSeed(11);
    const truth = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 };
    const sim = simulateBgNbd(truth, ages(30000, rng), rng);
    const fit = fitBgNbd(sim);
    expect(fit.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.standardErrors[k]);
    }
  });
  it('MBG/NBD: 30,000 simulated customers -> estimates within 3 SE', () => {
    const rng = Rng.fromSeed(12);
    const truth = { r: 0.6, alpha: 4, a: 0.7, b: 2.0 };
    const sim = simulateBgNbd(truth, ages(30000, rng), rng, { modified: true });
    const fit = fitMbgNbd(sim);
    expect(fit.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.standardErrors[k]);
    }
  });
  it('Pareto/NBD: 30,000 simulated customers -> estimates within 3 SE', () => {
    const rng = Rng.fromSeed(13);
    const truth = { r: 0.6, alpha: 8, s: 0.8, beta: 12 };
    const sim = simulateParetoNbd(truth, ages(30000, rng), rng);
    const fit = fitParetoNbd(sim);
    expect(fit.converged).toBe(true);
    for (const k of ['r', 'alpha', 's', 'beta'] as const) {
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.standardErrors[k]);
    }
  });
  it('day-resolution data (times floored to whole days, 60,000 customers) still recovers BG/NBD', () => {
    const rng = Rng.fromSeed(14);
    const truth = { r: 0.3, alpha: 30, a: 0.8, b: 2.5 }; // alpha per day
    const n = 60000;
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) T[i] = 30 + rng.int(335);
    const sim = simulateBgNbd(truth, T, rng, { resolution: 1 });
    const fit = fitBgNbd(sim); // > 20,000 distinct rows: exercises the coarse warm start
    expect(fit.converged).toBe(true);
    // Flooring t_x to whole days biases slightly; allow 3 SE + 2% of the value.
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.standardErrors[k] + 0.02 * truth[k]);
    }
  });
  it('simulators are seeded: same seed, identical data', () => {
    const a = simulateParetoNbd({ r: 1, alpha: 2, s: 1, beta: 2 }, [10, 20, 30], Rng.fromSeed(5));
    const b = simulateParetoNbd({ r: 1, alpha: 2, s: 1, beta: 2 }, [10, 20, 30], Rng.fromSeed(5));
    expect(Array.from(a.recency)).toEqual(Array.from(b.recency));
  });
});
