/**
 * Seeded simulators of the purchase models' data-generating processes, for parameter-recovery tests,
 * benchmarks and what-if scenarios. Each returns RFM columns (x, t_x, T) in the same time unit as `T` and
 * the rate parameters (alpha, beta are in that unit).
 *
 * - BG/NBD (Fader, Hardie & Lee 2005, section 2): λ ~ Gamma(r, alpha), p ~ Beta(a, b); purchases at Poisson
 *   rate λ; after each purchase the customer drops out with probability p. MBG/NBD (Batislam et al. 2007): the
 *   same, plus a drop-out chance right at the first purchase (time 0).
 * - Pareto/NBD (Schmittlein et al. 1987): λ ~ Gamma(r, alpha), μ ~ Gamma(s, beta); lifetime ~ Exp(μ); purchases
 *   at Poisson rate λ while alive.
 * `resolution` (> 0) floors every time to a multiple of it (e.g. 1 for whole days) and merges purchases that
 * fall in the same period — including the first one's — like a transaction log summarised at that grain
 * (lifetimes' and `clv summarize`'s convention), so x counts periods with a repeat purchase. Same seed => identical data.
 */
import type { BgNbdParams, ParetoNbdParams } from './types.ts';
import type { Rng } from '../sim/rng.ts';

/** Simulated RFM columns plus each customer's latent state (for checking P(alive)). */
export interface SimulatedRfm {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** 1 if the customer is still alive at T, else 0. */
  aliveAtT: Uint8Array;
}

function floorTo(v: number, res: number): number {
  return res > 0 ? Math.floor(v / res) * res : v;
}

/**
 * Simulates BG/NBD customers (or MBG/NBD when `modified`), one per entry of `ages` (T, in data time units).
 * Example: simulateBgNbd({r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, new Float64Array(2357).fill(39), rng)
 * gives about 0.9–1.1 mean repeat purchases, like CDNOW.
 */
export function simulateBgNbd(
  params: BgNbdParams,
  ages: ArrayLike<number>,
  rng: Rng,
  options: { modified?: boolean; resolution?: number } = {},
): SimulatedRfm {
  const n = ages.length;
  const res = options.resolution ?? 0;
  const out: SimulatedRfm = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    aliveAtT: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const T = ages[i];
    const lambda = rng.gamma(params.r, params.alpha);
    const p = rng.beta(params.a, params.b);
    let alive = !(options.modified && rng.uniform() < p);
    let t = 0;
    let x = 0;
    let tx = 0;
    while (alive) {
      t += rng.exponential(lambda);
      if (!(t <= T)) break;
      const tr = floorTo(t, res);
      // At a resolution, a purchase in the same period as the previous one is merged into it.
      if (res <= 0 || tr > tx) {
        x++;
        tx = tr;
      }
      if (rng.uniform() < p) alive = false;
    }
    const Tr = floorTo(T, res);
    out.frequency[i] = x;
    out.recency[i] = Math.min(tx, Tr);
    out.T[i] = Tr > 0 ? Tr : res > 0 ? res : T;
    out.aliveAtT[i] = alive ? 1 : 0;
  }
  return out;
}

/**
 * Simulates Pareto/NBD customers, one per entry of `ages`. x ~ Poisson(λ · min(T, lifetime)); the last purchase
 * time is the maximum of x uniforms on (0, min(T, lifetime)). Example: CDNOW-like params and T = 39 give
 * about one repeat purchase per customer on average.
 */
export function simulateParetoNbd(
  params: ParetoNbdParams,
  ages: ArrayLike<number>,
  rng: Rng,
  options: { resolution?: number } = {},
): SimulatedRfm {
  const n = ages.length;
  const res = options.resolution ?? 0;
  const out: SimulatedRfm = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    aliveAtT: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const T = ages[i];
    const lambda = rng.gamma(params.r, params.alpha);
    const mu = rng.gamma(params.s, params.beta);
    const life = rng.exponential(mu);
    const end = life < T ? life : T;
    const k = rng.poisson(lambda * end);
    let x = k;
    let tx = k > 0 ? end * Math.exp(Math.log(rng.uniform()) / k) : 0;
    if (res > 0 && k > 0) {
      // Purchase times are k uniforms on (0, end); count the distinct periods after the first purchase's.
      const periods = new Set<number>();
      for (let j = 0; j < k; j++) {
        const tr = floorTo(end * rng.uniform(), res);
        if (tr > 0) periods.add(tr);
      }
      x = periods.size;
      tx = x > 0 ? Math.max(...periods) : 0;
    }
    const Tr = floorTo(T, res);
    out.frequency[i] = x;
    out.recency[i] = Math.min(floorTo(tx, res), Tr);
    out.T[i] = Tr > 0 ? Tr : res > 0 ? res : T;
    out.aliveAtT[i] = life > T ? 1 : 0;
  }
  return out;
}
