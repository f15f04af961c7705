/**
 * Digamma ψ(x) = d/dx log Γ(x) in float64, for the analytic likelihood gradients.
 * Method: recurrence ψ(x) = ψ(x+1) − 1/x up to x >= 10, then the asymptotic series
 * ψ(x) ~ log x − 1/(2x) − Σ B_2k/(2k x^2k) (Abramowitz & Stegun 6.3.18), 6 terms: |error| < 1e-15 for x >= 10.
 * Negative non-integers by reflection ψ(1−x) − ψ(x) = π cot(πx) (A&S 6.3.7); poles (x = 0, −1, ...) give NaN.
 * Example: digamma(1) = −0.5772156649015329 (−Euler's γ).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) {
    if (x === Math.floor(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  if (x === Infinity) return Infinity;
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // B2/2 = 1/12, B4/4 = −1/120, B6/6 = 1/252, B8/8 = −1/240, B10/10 = 1/132, B12/12 = −691/32760
  const series =
    inv2 *
    (1 / 12 -
      inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return acc + Math.log(x) - 0.5 * inv - series;
}

/**
 * Trigamma ψ'(x) for x > 0: recurrence to x >= 10 then ψ'(x) ~ 1/x + 1/(2x²) + Σ B_2k/x^(2k+1) (A&S 6.4.12).
 * Example: trigamma(1) = π²/6 = 1.6449340668482264.
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv *
    (1 +
      inv *
        (0.5 +
          inv *
            (1 / 6 -
              inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - inv2 * (5 / 66 - inv2 * (691 / 2730))))))));
  return acc + series;
}
