/**
 * Numerical Hessians by central differences, step scaled to each coordinate.
 */
import type { Objective, ObjectiveWithGradient } from './minimize.ts';

/**
 * Hessian of f at x by central second differences (4 evaluations per off-diagonal pair, 2 per diagonal),
 * step h_i = relStep · max(1, |x_i|), default 1e-4 (≈ ε^(1/4), the float64 optimum for second differences; truncation and
 * round-off errors ~1e-8 relative). Returns a symmetric row-major k×k Float64Array. `x` is not mutated.
 * Example: f(x) = 3 x0² + x0 x1 gives [[6, 1], [1, 0]] to ~1e-7.
 */
export function hessian(f: Objective, x: ArrayLike<number>, relStep = 1e-4): Float64Array {
  const k = x.length;
  const p = Float64Array.from(x);
  const h = new Float64Array(k);
  for (let i = 0; i < k; i++) h[i] = relStep * Math.max(1, Math.abs(p[i]));
  const f0 = f(p);
  const H = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const xi = p[i];
    p[i] = xi + h[i];
    const fp = f(p);
    p[i] = xi - h[i];
    const fm = f(p);
    p[i] = xi;
    H[i * k + i] = (fp - 2 * f0 + fm) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const xj = p[j];
      const e = (di: number, dj: number): number => {
        p[i] = xi + di * h[i];
        p[j] = xj + dj * h[j];
        const v = f(p);
        p[i] = xi;
        p[j] = xj;
        return v;
      };
      const v = (e(1, 1) - e(1, -1) - e(-1, 1) + e(-1, -1)) / (4 * h[i] * h[j]);
      H[i * k + j] = v;
      H[j * k + i] = v;
    }
  }
  return H;
}

/**
 * Hessian from an analytic gradient by central differences of the gradient (2k gradient evaluations),
 * symmetrised (`forward`: one-sided, k + 1 gradients, relative accuracy ~1e-6 with relStep 1e-6·… scaled). Step h_i = relStep · max(1, |x_i|), default 1e-5 (ε^(1/3) for first differences). More accurate (~1e-10)
 * than `hessian` when the gradient is exact.
 */
export function hessianFromGradient(
  fg: ObjectiveWithGradient,
  x: ArrayLike<number>,
  relStep = 1e-5,
  forward = false,
): Float64Array {
  const k = x.length;
  const p = Float64Array.from(x);
  const gp = new Float64Array(k);
  const gm = new Float64Array(k);
  const H = new Float64Array(k * k);
  // Forward differences (k + 1 gradients instead of 2k) when each gradient is expensive; ~√ε accuracy.
  if (forward) fg(p, gm);
  for (let i = 0; i < k; i++) {
    const xi = p[i];
    const h = relStep * Math.max(1, Math.abs(xi));
    p[i] = xi + h;
    fg(p, gp);
    if (!forward) {
      p[i] = xi - h;
      fg(p, gm);
    }
    p[i] = xi;
    for (let j = 0; j < k; j++) H[i * k + j] = (gp[j] - gm[j]) / (forward ? h : 2 * h);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (H[i * k + j] + H[j * k + i]);
      H[i * k + j] = v;
      H[j * k + i] = v;
    }
  }
  return H;
}
