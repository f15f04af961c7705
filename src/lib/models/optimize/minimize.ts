/**
 * Unconstrained minimizers for smooth functions of a few (2–6) variables, used on log-parameters.
 *
 * - `bfgs`: quasi-Newton BFGS (Nocedal & Wright 2006, "Numerical Optimization", 2nd ed., Algorithm 6.1) with a
 *   backtracking Armijo line search (ibid. Algorithm 3.1, cubic/quadratic interpolation of the step) and the
 *   curvature-guarded update (skip when sᵀy <= 0). Gradients analytic or central differences.
 * - `nelderMead`: the Nelder & Mead (1965) simplex with the standard coefficients (1, 2, 0.5, 0.5) as in
 *   Lagarias et al. (1998), SIAM J. Optim. 9(1), used as a derivative-free fallback.
 *
 * Non-finite objective values are treated as +Infinity ("outside the domain"): the line search backs off.
 */

/** Objective f(x); may return NaN/Infinity outside its domain. */
export type Objective = (x: Float64Array) => number;
/** Objective with gradient: writes ∇f(x) into `grad` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Infinity norm of the gradient at x (NaN for Nelder–Mead). */
  gradientNorm: number;
  message: string;
}

export interface BfgsOptions {
  maxIterations?: number;
  /** Stop when max |∂f/∂x_i| <= gradientTolerance. Default 1e-8. */
  gradientTolerance?: number;
  /** Largest change of any coordinate in one step (log-parameters: 3 = a factor e³ ≈ 20). Default 3. */
  maxStep?: number;
  /** Initial inverse Hessian (row-major k×k); default identity scaled after the first step. */
  inverseHessian?: Float64Array;
}

const SAFE = (v: number): number => (Number.isFinite(v) ? v : Infinity);

/**
 * Central-difference gradient of f at x with step h_i = 1e-5 · max(1, |x_i|) (≈ ε^(1/3), the optimum for
 * central differences in float64). Writes into `grad`, returns f(x). Costs 2k + 1 evaluations.
 * Example: for f(x) = x0² at x0 = 3 the gradient is 6 to ~1e-10.
 */
export function centralGradient(f: Objective, x: Float64Array, grad: Float64Array): number {
  const f0 = f(x);
  const k = x.length;
  for (let i = 0; i < k; i++) {
    const xi = x[i];
    const h = 1e-5 * Math.max(1, Math.abs(xi));
    x[i] = xi + h;
    const fp = f(x);
    x[i] = xi - h;
    const fm = f(x);
    x[i] = xi;
    grad[i] = (fp - fm) / (2 * h);
  }
  return f0;
}

/** Wraps a plain objective into an objective-with-gradient by central differences. */
export function withNumericGradient(f: Objective): ObjectiveWithGradient {
  return (x, grad) => centralGradient(f, x, grad);
}

function infNorm(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (!(a <= m)) m = a; // NaN propagates as NaN below
    if (Number.isNaN(a)) return NaN;
  }
  return m;
}

/**
 * BFGS minimization of `fg` from `x0` (not mutated). Converges when the gradient's infinity norm is below
 * `gradientTolerance`, or when a line search can no longer decrease f at a point whose gradient is below
 * 1000 × tolerance (flat to machine precision). Example: minimizes the Rosenbrock function from (−1.2, 1) to
 * (1, 1) in ~35 iterations.
 */
export function bfgs(
  fg: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  options: BfgsOptions = {},
): MinimizeResult {
  const k = x0.length;
  const maxIterations = options.maxIterations ?? 200;
  const gtol = options.gradientTolerance ?? 1e-8;
  const maxStep = options.maxStep ?? 3;
  const x = Float64Array.from(x0);
  const g = new Float64Array(k);
  const xNew = new Float64Array(k);
  const gNew = new Float64Array(k);
  const p = new Float64Array(k);
  const s = new Float64Array(k);
  const y = new Float64Array(k);
  const hy = new Float64Array(k);
  const H = new Float64Array(k * k);
  let scaledInitial = options.inverseHessian !== undefined;
  if (options.inverseHessian) H.set(options.inverseHessian);
  else for (let i = 0; i < k; i++) H[i * k + i] = 1;

  let evaluations = 1;
  let f = SAFE(fg(x, g));
  if (!Number.isFinite(f) || !Number.isFinite(infNorm(g))) {
    return {
      x,
      f,
      converged: false,
      iterations: 0,
      evaluations,
      gradientNorm: NaN,
      message: 'objective not finite at the start',
    };
  }
  let iter = 0;
  let message = 'iteration limit reached';
  let converged = false;
  for (; iter < maxIterations; iter++) {
    const gn = infNorm(g);
    if (gn <= gtol) {
      converged = true;
      message = 'gradient below tolerance';
      break;
    }
    // Search direction p = −H g; fall back to steepest descent if it is not a descent direction.
    let slope = 0;
    for (let i = 0; i < k; i++) {
      let v = 0;
      for (let j = 0; j < k; j++) v -= H[i * k + j] * g[j];
      p[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      H.fill(0);
      for (let i = 0; i < k; i++) {
        H[i * k + i] = 1;
        p[i] = -g[i];
      }
      slope = 0;
      for (let i = 0; i < k; i++) slope -= g[i] * g[i];
      scaledInitial = false;
    }
    // The quasi-Newton model predicts a decrease of about −slope/2: below round-off of f there is nothing
    // left to gain (on 10⁶ customers the sum itself is only accurate to ~1e-14 relative).
    if (-slope < 1e-14 * Math.max(1, Math.abs(f)) && gn <= 1e4 * gtol) {
      converged = true;
      message = 'predicted decrease below round-off';
      break;
    }
    // Limit the step length so that exp(x) cannot overflow in one jump.
    const pn = infNorm(p);
    let t = pn > maxStep ? maxStep / pn : 1;
    // Backtracking Armijo line search with safeguarded quadratic/cubic interpolation.
    let fNew = Infinity;
    let accepted = false;
    let tPrev = 0;
    let fPrev = f;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < k; i++) xNew[i] = x[i] + t * p[i];
      fNew = SAFE(fg(xNew, gNew));
      evaluations++;
      if (fNew <= f + 1e-4 * t * slope && Number.isFinite(infNorm(gNew))) {
        accepted = true;
        break;
      }
      let tNext: number;
      if (!Number.isFinite(fNew)) tNext = t * 0.2;
      else if (ls === 0 || tPrev === 0) {
        tNext = (-slope * t * t) / (2 * (fNew - f - slope * t));
      } else {
        // Cubic through f(0), f'(0), f(t), f(tPrev).
        const r1 = fNew - f - t * slope;
        const r2 = fPrev - f - tPrev * slope;
        const a = (r1 / (t * t) - r2 / (tPrev * tPrev)) / (t - tPrev);
        const b = ((-tPrev * r1) / (t * t) + (t * r2) / (tPrev * tPrev)) / (t - tPrev);
        if (a === 0) tNext = -slope / (2 * b);
        else {
          const disc = b * b - 3 * a * slope;
          tNext =
            disc < 0 ? 0.5 * t : b <= 0 ? (-b + Math.sqrt(disc)) / (3 * a) : -slope / (b + Math.sqrt(disc));
        }
      }
      tPrev = t;
      fPrev = fNew;
      if (!Number.isFinite(tNext)) tNext = 0.5 * t;
      t = Math.min(0.5 * t, Math.max(0.1 * t, tNext));
      if (t < 1e-20) break;
    }
    if (!accepted) {
      // No decrease possible along p: at a minimum to machine precision if the gradient is small.
      converged = gn <= 1000 * gtol;
      message = converged ? 'no further decrease (flat to machine precision)' : 'line search failed';
      break;
    }
    let sy = 0;
    for (let i = 0; i < k; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
    }
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaledInitial) {
        // Nocedal & Wright eq. 6.20: scale H0 = (sᵀy / yᵀy) I before the first update.
        const scale = sy / dot(y, y);
        for (let i = 0; i < k * k; i++) H[i] *= scale;
        scaledInitial = true;
      }
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, written out to avoid temporaries.
      const rho = 1 / sy;
      let yhy = 0;
      for (let i = 0; i < k; i++) {
        let v = 0;
        for (let j = 0; j < k; j++) v += H[i * k + j] * y[j];
        hy[i] = v;
        yhy += y[i] * v;
      }
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          H[i * k + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
      }
    }
    // Relative decrease at round-off level with a small gradient: done.
    if (Math.abs(fOld - f) <= 1e-15 * Math.max(1, Math.abs(f)) && infNorm(g) <= 1000 * gtol) {
      converged = true;
      message = 'objective change below round-off';
      iter++;
      break;
    }
  }
  return { x, f, converged, iterations: iter, evaluations, gradientNorm: infNorm(g), message };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Initial simplex edge along each axis. Default 0.5 (a factor e^0.5 in log-parameters). */
  initialStep?: number;
  /** Stop when the simplex's f-spread and x-spread are both below this. Default 1e-10. */
  tolerance?: number;
}

/**
 * Nelder–Mead simplex minimization (Nelder & Mead 1965, The Computer Journal 7(4):308–313). Derivative-free
 * and robust to a non-finite objective (treated as +Infinity). Example: minimizes (x0−1)² + (x1+2)² from
 * (0, 0) to (1, −2) within 1e-5.
 */
export function nelderMead(
  f: Objective,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): MinimizeResult {
  const k = x0.length;
  const maxIterations = options.maxIterations ?? 2000;
  const step = options.initialStep ?? 0.5;
  const tol = options.tolerance ?? 1e-10;
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  let evaluations = 0;
  const ev = (x: Float64Array): number => {
    evaluations++;
    return SAFE(f(x));
  };
  for (let i = 0; i <= k; i++) {
    const x = Float64Array.from(x0);
    if (i > 0) x[i - 1] += step;
    pts.push(x);
    vals.push(ev(x));
  }
  const centroid = new Float64Array(k);
  const xr = new Float64Array(k);
  const xe = new Float64Array(k);
  const xc = new Float64Array(k);
  let iter = 0;
  let converged = false;
  for (; iter < maxIterations; iter++) {
    // Order the simplex by value (k+1 <= 7 points: insertion sort).
    for (let i = 1; i <= k; i++) {
      for (let j = i; j > 0 && vals[j] < vals[j - 1]; j--) {
        [vals[j], vals[j - 1]] = [vals[j - 1], vals[j]];
        [pts[j], pts[j - 1]] = [pts[j - 1], pts[j]];
      }
    }
    let xSpread = 0;
    for (let i = 1; i <= k; i++)
      for (let j = 0; j < k; j++) xSpread = Math.max(xSpread, Math.abs(pts[i][j] - pts[0][j]));
    if (Math.abs(vals[k] - vals[0]) <= tol * Math.max(1, Math.abs(vals[0])) && xSpread <= Math.sqrt(tol)) {
      converged = Number.isFinite(vals[0]);
      break;
    }
    centroid.fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) centroid[j] += pts[i][j] / k;
    const worst = pts[k];
    for (let j = 0; j < k; j++) xr[j] = centroid[j] + (centroid[j] - worst[j]);
    const fr = ev(xr);
    if (fr < vals[0]) {
      for (let j = 0; j < k; j++) xe[j] = centroid[j] + 2 * (centroid[j] - worst[j]);
      const fe = ev(xe);
      if (fe < fr) {
        worst.set(xe);
        vals[k] = fe;
      } else {
        worst.set(xr);
        vals[k] = fr;
      }
      continue;
    }
    if (fr < vals[k - 1]) {
      worst.set(xr);
      vals[k] = fr;
      continue;
    }
    const outside = fr < vals[k];
    for (let j = 0; j < k; j++)
      xc[j] = outside
        ? centroid[j] + 0.5 * (xr[j] - centroid[j])
        : centroid[j] + 0.5 * (worst[j] - centroid[j]);
    const fc = ev(xc);
    if (fc < (outside ? fr : vals[k])) {
      worst.set(xc);
      vals[k] = fc;
      continue;
    }
    // Shrink towards the best point.
    for (let i = 1; i <= k; i++) {
      for (let j = 0; j < k; j++) pts[i][j] = pts[0][j] + 0.5 * (pts[i][j] - pts[0][j]);
      vals[i] = ev(pts[i]);
    }
  }
  let best = 0;
  for (let i = 1; i <= k; i++) if (vals[i] < vals[best]) best = i;
  return {
    x: Float64Array.from(pts[best]),
    f: vals[best],
    converged,
    iterations: iter,
    evaluations,
    gradientNorm: NaN,
    message: converged ? 'simplex converged' : 'iteration limit reached',
  };
}
