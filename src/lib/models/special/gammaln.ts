/**
 * Special functions in float64 for the model likelihoods.
 * gammaln: log Γ(x) for x > 0 via the Lanczos approximation (g = 7, n = 9; relative error ~1e-15),
 * with Stirling's series for large x where it is both faster and more accurate.
 * Example: gammaln(0.5) = 0.5723649429247001 (= log √π).
 */
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.9189385332046728;

export function gammaln(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1-x) = π / sin(πx); only used for 0 < x < 0.5 in this project.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - gammaln(1 - x);
  }
  if (x >= 15) {
    // Stirling series with four correction terms: |error| < 1e-16 relative for x >= 15.
    const inv = 1 / x;
    const inv2 = inv * inv;
    const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  }
  const z = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a+b). Example: betaln(1, 1) = 0. */
export function betaln(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}

/** log(exp(a) + exp(b)) without overflow. Example: logAddExp(0, 0) = log 2. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
