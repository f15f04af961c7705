/**
 * Seeded, serialisable pseudo-random numbers for every stochastic computation in the pure core.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021): 128 bits of state held as four uint32 words, period 2^128 − 1, passes BigCrush.
 * Seeding: splitmix32 (a 32-bit variant of Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
 * generators", OOPSLA) expands a number seed and a stream id into the four state words, so nearby seeds give
 * unrelated streams and the all-zero state cannot occur.
 *
 * Guarantees: same seed (and stream) => bit-identical sequence on every JS engine (only 32-bit integer ops
 * and IEEE-754 double arithmetic with correctly rounded Math.log/sqrt are used for uniforms; the transcendental
 * functions in normal/gamma draws are the engine's Math.* functions, identical within one engine). The state is
 * four numbers (`getState()` / `Rng.fromState()`), small enough for a share link or a worker message. No
 * draw caches a spare value, so the state alone determines the future: serialise at any point and resume.
 *
 * @example
 *   const rng = Rng.fromSeed(42);
 *   const u = rng.uniform();          // in (0, 1), e.g. 0.7 (value depends on the seed)
 *   const saved = rng.getState();     // [s0, s1, s2, s3], four uint32 numbers
 *   const z = rng.normal();           // standard normal
 *   const again = Rng.fromState(saved);
 *   again.normal() === z;             // true: bit-identical continuation
 *   rng.gamma(0.5, 2);                // Gamma(shape 0.5, rate 2), mean 0.25
 *   rng.beta(0.7, 2.3);               // Beta, mean 0.233
 *   rng.poisson(3.2);                 // integer, mean 3.2
 *   rng.binomial(100, 0.3);           // integer, mean 30
 *   rng.geometric(0.2);               // trials to first success >= 1, mean 5
 */

const TWO_POW_M32 = 2.3283064365386963e-10; // 2^-32
const TWO_POW_M53 = 1.1102230246251565e-16; // 2^-53

/** splitmix32 output function (finaliser) for the counter value x: a bijective 32-bit mix. */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}
const GOLDEN = 0x9e3779b9;

/** log(Γ(n+1)) for the Poisson PTRS acceptance test (exact table for small n, Stirling beyond). */
const LOG_FACT_TABLE: number[] = (() => {
  const t = [0];
  for (let i = 1; i < 64; i++) t.push(t[i - 1] + Math.log(i));
  return t;
})();
function logFactorial(k: number): number {
  if (k < 64) return LOG_FACT_TABLE[k];
  const x = k + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    (x - 0.5) * Math.log(x) - x + 0.9189385332046727 + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260)))
  );
}

/**
 * A seeded xoshiro128** generator with distribution helpers. Construct with `Rng.fromSeed(seed, stream?)` or
 * `Rng.fromState(state)`. Methods mutate the generator's internal state only (never their arguments).
 */
export class Rng {
  /** The four xoshiro128** state words (uint32). Never all zero. */
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  private constructor() {}

  /**
   * Generator seeded from any finite number (the integer part, up to 2^53, is used) and an optional stream
   * id, for independent sub-streams (e.g. one per Monte Carlo world). Non-finite seeds are treated as 0.
   * Example: Rng.fromSeed(7).nextUint32() is the same number on every run.
   */
  static fromSeed(seed: number, stream = 0): Rng {
    const r = new Rng();
    r.reseed(seed, stream);
    return r;
  }

  /**
   * Generator resumed from `getState()` output. Invalid input (wrong length, non-integers, all zero) falls back
   * to `fromSeed(0)` rather than throwing, so a hostile share link cannot break a run; check with
   * `Rng.isValidState` first if you need to report it.
   */
  static fromState(state: readonly number[]): Rng {
    const r = new Rng();
    if (!Rng.isValidState(state)) {
      r.reseed(0, 0);
      return r;
    }
    r.s0 = state[0] >>> 0;
    r.s1 = state[1] >>> 0;
    r.s2 = state[2] >>> 0;
    r.s3 = state[3] >>> 0;
    return r;
  }

  /** True if `state` is four integers in [0, 2^32) that are not all zero. Example: isValidState([1,0,0,0]) = true. */
  static isValidState(state: unknown): state is number[] {
    if (!Array.isArray(state) || state.length !== 4) return false;
    let any = false;
    for (const v of state) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) return false;
      if (v !== 0) any = true;
    }
    return any;
  }

  /**
   * Re-seed this generator in place (no allocation), as `fromSeed(seed, stream)` would.
   * Useful in hot loops that need one deterministic sub-stream per world.
   */
  reseed(seed: number, stream = 0): void {
    const s = Number.isFinite(seed) ? Math.trunc(Math.abs(seed)) : 0;
    const lo = (s % 4294967296) >>> 0;
    const hi = Math.floor(s / 4294967296) >>> 0;
    const st = Number.isFinite(stream) ? (Math.trunc(Math.abs(stream)) % 4294967296) >>> 0 : 0;
    // Mix seed-high, seed-low and stream through splitmix32 so each input word affects every state word, then
    // take four consecutive splitmix32 outputs from the resulting counter (no allocation: used in hot loops).
    let c = mix32(hi ^ 0x85ebca6b);
    c = mix32((c + GOLDEN) ^ lo);
    c = mix32((c + GOLDEN) ^ Math.imul(st, 0x9e3779b1));
    this.s0 = mix32((c += GOLDEN));
    this.s1 = mix32((c += GOLDEN));
    this.s2 = mix32((c += GOLDEN));
    this.s3 = mix32(c + GOLDEN);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A copy of the state: four uint32 numbers, JSON-safe. Example: [3463110741, 2011716453, 97431327, 4049532919]. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** An independent copy at the same position (same future sequence). */
  clone(): Rng {
    return Rng.fromState(this.getState());
  }

  /** Next raw 32-bit output in [0, 2^32) (xoshiro128** `next()`). */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    // Keep the words as uint32 numbers so getState() is canonical.
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /**
   * Uniform on the open interval (0, 1) with 32-bit resolution: (k + 0.5) / 2^32. Never returns 0 or 1, so
   * `Math.log(u)` and inverse-CDF draws are always finite. Example: mean over many draws ≈ 0.5.
   */
  uniform(): number {
    return (this.nextUint32() + 0.5) * TWO_POW_M32;
  }

  /** Uniform on [0, 1) with 53-bit resolution (two outputs), for when 32 bits are too coarse. */
  uniform53(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) * TWO_POW_M53;
  }

  /** Uniform on (lo, hi). Example: uniformRange(2, 4) has mean 3. */
  uniformRange(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32, unbiased (Lemire's rejection). Example: int(6) + 1 is a die. */
  int(n: number): number {
    if (!(n >= 1)) return 0;
    if (n > 4294967296) n = 4294967296;
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** 1 with probability p, else 0. Example: bernoulli(0.25) has mean 0.25. */
  bernoulli(p: number): number {
    return this.uniform() < p ? 1 : 0;
  }

  /** Exponential with the given rate (mean 1/rate). Example: exponential(2) has mean 0.5. */
  exponential(rate = 1): number {
    return -Math.log(this.uniform()) / rate;
  }

  /**
   * Normal(mean, sd) by Marsaglia's polar method (Marsaglia & Bray 1964, SIAM Review 6(3):260–264): no
   * trigonometry; the second normal of each accepted pair is discarded so that no spare value lives outside the
   * serialisable state. Example: normal(10, 2) has mean 10 and standard deviation 2.
   */
  normal(mean = 0, sd = 1): number {
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s < 1) return mean + sd * u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }

  /**
   * Fill `out` with standard normals using both Box–Muller branches (Box & Muller 1958), two values per pair of
   * uniforms.
   * The sequence differs from repeated `normal()` calls but is equally deterministic. Returns `out`.
   */
  fillNormal(out: Float64Array): Float64Array {
    const n = out.length;
    let i = 0;
    while (i < n) {
      const u1 = this.uniform();
      const u2 = this.nextUint32() * TWO_POW_M32;
      const r = Math.sqrt(-2 * Math.log(u1));
      const a = 6.283185307179586 * u2;
      out[i++] = r * Math.cos(a);
      if (i < n) out[i++] = r * Math.sin(a);
    }
    return out;
  }

  /**
   * Gamma(shape, rate): density ∝ x^(shape−1) e^(−rate·x), mean shape/rate, variance shape/rate².
   * Note the RATE parameterisation, as in the papers' λ ~ Gamma(r, alpha). Marsaglia & Tsang (2000),
   * "A simple method for generating gamma variables", ACM TOMS 26(3):363–372; for shape < 1 the boost
   * Gamma(shape) = Gamma(shape + 1) · U^(1/shape) (same paper, section 6). Returns 0 for shape <= 0 or
   * rate = ∞, NaN-free for finite positive input. Example: gamma(2, 4) has mean 0.5, variance 0.125.
   */
  gamma(shape: number, rate = 1): number {
    if (!(shape > 0) || !(rate > 0)) return 0;
    if (shape < 1) {
      // exp(log u / shape) underflows to 0 for tiny shape; that is the correct limit in double precision.
      return (this.gammaMT(shape + 1) * Math.exp(Math.log(this.uniform()) / shape)) / rate;
    }
    return this.gammaMT(shape) / rate;
  }

  /** log of a Gamma(shape, 1) draw, accurate even when the draw itself would underflow (tiny shape). */
  logGamma(shape: number): number {
    if (!(shape > 0)) return -Infinity;
    if (shape < 1) return Math.log(this.gammaMT(shape + 1)) + Math.log(this.uniform()) / shape;
    return Math.log(this.gammaMT(shape));
  }

  /** Marsaglia–Tsang squeeze for shape >= 1, unit rate. */
  private gammaMT(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /**
   * Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b); computed from log-gamma draws when a or b < 1 so
   * that tiny shapes (e.g. 0.01) give 0 or 1 rather than 0/0. Mean a/(a+b).
   * Example: beta(2, 6) has mean 0.25 and variance 2·6/(8²·9) = 0.0208.
   */
  beta(a: number, b: number): number {
    if (!(a > 0) || !(b > 0)) return a > 0 ? 1 : 0;
    if (a >= 1 && b >= 1) {
      const x = this.gammaMT(a);
      const y = this.gammaMT(b);
      return x / (x + y);
    }
    const lx = this.logGamma(a);
    const ly = this.logGamma(b);
    // x/(x+y) = 1/(1+exp(ly-lx)), stable for any magnitudes.
    const diff = ly - lx;
    if (diff > 745) return 0;
    return 1 / (1 + Math.exp(diff));
  }

  /**
   * Poisson(mean): inversion by sequential search for mean < 10 (Devroye 1986, X.3.3), and Hörmann's
   * transformed rejection PTRS for mean >= 10 (Hörmann 1993, "The transformed rejection method for
   * generating Poisson random variables", Insurance: Math. & Econ. 12:39–45). Returns 0 for mean <= 0.
   * Example: poisson(3.2) has mean and variance 3.2.
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 10) {
      let p = Math.exp(-mean);
      let u = this.uniform();
      let k = 0;
      while (u > p) {
        u -= p;
        k++;
        p *= mean / k;
        if (p === 0) break; // numerical tail exhausted
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (
        Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -mean + k * loglam - logFactorial(k)
      ) {
        return k;
      }
    }
  }

  /**
   * Binomial(n, p): exact. For large n, Knuth's beta-splitting recursion (TAOCP vol. 2, 3.4.1 F: the median
   * order statistic of n uniforms is Beta-distributed) reduces n geometrically; for n <= 32 a sum of
   * Bernoulli trials. n is truncated to an integer; returns 0 for n < 1 or p <= 0 and n for p >= 1.
   * Example: binomial(100, 0.3) has mean 30 and variance 21.
   */
  binomial(n: number, p: number): number {
    n = Math.floor(n);
    if (!(n >= 1) || !(p > 0)) return 0;
    if (p >= 1) return n;
    let acc = 0;
    while (n > 32) {
      const a = 1 + (n >> 1);
      const b = n + 1 - a;
      const x = this.beta(a, b);
      if (x >= p) {
        n = a - 1;
        p = p / x;
      } else {
        acc += a;
        n = b - 1;
        p = (p - x) / (1 - x);
      }
      if (!(p > 0)) return acc;
      if (p >= 1) return acc + n;
    }
    for (let i = 0; i < n; i++) if (this.uniform() < p) acc++;
    return acc;
  }

  /**
   * Geometric: number of Bernoulli(p) trials up to and including the first success, k >= 1,
   * P(k) = (1−p)^(k−1) p, mean 1/p; by inversion k = ⌈log U / log(1−p)⌉. In the sBG a customer with churn
   * probability θ stays for geometric(θ) periods. Returns Infinity for p <= 0 and 1 for p >= 1.
   * Example: geometric(0.2) has mean 5.
   */
  geometric(p: number): number {
    if (!(p > 0)) return Infinity;
    if (p >= 1) return 1;
    const k = Math.ceil(Math.log(this.uniform()) / Math.log1p(-p));
    return k < 1 ? 1 : k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
