/**
 * Tiny dense linear algebra for the optimizer (k <= ~6 parameters): symmetric inverse, Cholesky check.
 * Matrices are row-major Float64Array of length k*k.
 */

/**
 * Inverse of a symmetric positive-definite k×k matrix by Cholesky (A = L Lᵀ). Returns null when A is not
 * numerically positive definite (a pivot <= 1e-14 × the largest diagonal), which for a Hessian means the
 * optimum is a saddle, a boundary or a flat ridge. Example: invertSpd([4,0,0,1], 2) = [0.25,0,0,1].
 */
export function invertSpd(a: ArrayLike<number>, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * k + i]));
  if (!(maxDiag > 0) || !Number.isFinite(maxDiag)) return null;
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let m = 0; m < j; m++) d -= l[j * k + m] * l[j * k + m];
    if (!(d > 1e-14 * maxDiag)) return null;
    const ljj = Math.sqrt(d);
    l[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
      l[i * k + j] = s / ljj;
    }
  }
  // inv(L) by forward substitution, then inv(A) = inv(L)ᵀ inv(L).
  const li = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    li[i * k + i] = 1 / l[i * k + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let m = j; m < i; m++) s -= l[i * k + m] * li[m * k + j];
      li[i * k + j] = s / l[i * k + i];
    }
  }
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let m = i; m < k; m++) s += li[m * k + i] * li[m * k + j];
      inv[i * k + j] = s;
      inv[j * k + i] = s;
    }
  }
  return inv;
}
