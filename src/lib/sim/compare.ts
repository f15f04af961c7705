/**
 * Comparing strategies: baseline vs up to four variants (deltas with paired Monte Carlo intervals), tornado
 * sensitivity (each lever ±10%, ranked by effect on CLV and on LTV:CAC), and the equivalence solver ("how many
 * points of retention are worth a 10% AOV increase?") by Brent's method.
 */
import {
  DEFAULT_INPUTS,
  INPUT_LIMITS,
  normalizeInputs,
  type LeverName,
  type WhatIfInputs,
} from './inputs.ts';
import { whatIfMetrics, type WhatIfMetrics } from './unitEconomics.ts';
import { quantileSorted } from './quantile.ts';
import {
  runMonteCarlo,
  type Interval,
  type MaybeNeverInterval,
  type MonteCarloOptions,
  type MonteCarloResult,
} from './monteCarlo.ts';

/** Most variants a comparison shows next to the baseline. */
export const MAX_VARIANTS = 4;

/** A variant–baseline difference: deterministic value and, with Monte Carlo, paired P10/P50/P90 of the difference. */
export interface Delta {
  /** Variant minus baseline from the deterministic engine; null when either side is null ("never", CAC = 0). */
  value: number | null;
  /** Quantiles of the per-world difference (same seed => paired worlds); null without Monte Carlo or if unbounded. */
  p10: number | null;
  p50: number | null;
  p90: number | null;
}

/** Monte Carlo summary of one scenario in a comparison. */
export interface ComparisonIntervals {
  clv: Interval;
  ltvToCac: Interval | null;
  paybackMonths: MaybeNeverInterval;
  cohortProfit36Months: Interval;
  probLtvCacAbove: number;
  probPaybackWithin: number;
}

/** One column of the comparison table (index 0 = baseline). */
export interface ComparisonRow {
  index: number;
  inputs: WhatIfInputs;
  metrics: WhatIfMetrics;
  intervals: ComparisonIntervals | null;
  /** Differences from the baseline (all zero for the baseline itself). */
  deltas: { clv: Delta; ltvToCac: Delta; paybackMonths: Delta; cohortProfit36Months: Delta };
}

/** Output of `compareScenarios`: one row per scenario, baseline first. */
export interface ComparisonResult {
  rows: ComparisonRow[];
  /** True when more than MAX_VARIANTS variants were given and the rest were ignored. */
  truncated: boolean;
}

function pairedDelta(a: Float64Array, b: Float64Array): Pick<Delta, 'p10' | 'p50' | 'p90'> {
  const n = a.length;
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = b[i];
    const y = a[i];
    // "never" on both sides is no difference; on one side it is an unbounded difference.
    diff[i] = x === y ? 0 : x - y;
  }
  diff.sort();
  const f = (q: number): number | null => {
    const v = quantileSorted(diff, q);
    return Number.isFinite(v) ? v : null;
  };
  return { p10: f(0.1), p50: f(0.5), p90: f(0.9) };
}

function det(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

function intervalsOf(mc: MonteCarloResult): ComparisonIntervals {
  return {
    clv: mc.clv,
    ltvToCac: mc.ltvToCac,
    paybackMonths: mc.paybackMonths,
    cohortProfit36Months: mc.cohortProfit36Months,
    probLtvCacAbove: mc.probLtvCacAbove,
    probPaybackWithin: mc.probPaybackWithin,
  };
}

/**
 * Baseline plus up to four variants. Each variant is a partial override of the (completed) baseline, e.g.
 * `{ purchasesPerYear: 4.35, acquisitionCost: 64 }`. With `monteCarlo` options every scenario is simulated with
 * the same seed, so worlds are paired and the delta intervals reflect the difference, not two independent noises
 * (bands are skipped to save time). Pass `null` for a deterministic-only table (< 1 ms per scenario).
 * Example: compareScenarios({ averageOrderValue: 50 }, [{ averageOrderValue: 55 }], null).rows[1].deltas.clv.value
 *   = 10% of the baseline CLV.
 */
export function compareScenarios(
  baseline: Partial<WhatIfInputs>,
  variants: readonly Partial<WhatIfInputs>[],
  monteCarlo: MonteCarloOptions | null = null,
): ComparisonResult {
  const base = normalizeInputs(baseline, DEFAULT_INPUTS);
  const list = variants.slice(0, MAX_VARIANTS).map((v) => normalizeInputs(v ?? {}, base));
  const all = [base, ...list];
  const metrics = all.map((x) => whatIfMetrics(x));
  const mcs = monteCarlo ? all.map((x) => runMonteCarlo(x, { ...monteCarlo, bands: false })) : null;
  const rows: ComparisonRow[] = all.map((inputs, i) => {
    const m = metrics[i];
    const m0 = metrics[0];
    const mc = mcs ? mcs[i] : null;
    const mc0 = mcs ? mcs[0] : null;
    const none = { p10: null, p50: null, p90: null };
    const paired = (key: keyof MonteCarloResult['byWorld']): Pick<Delta, 'p10' | 'p50' | 'p90'> =>
      mc && mc0 ? pairedDelta(mc0.byWorld[key], mc.byWorld[key]) : none;
    return {
      index: i,
      inputs,
      metrics: m,
      intervals: mc ? intervalsOf(mc) : null,
      deltas: {
        clv: { value: m.clvModel - m0.clvModel, ...paired('clv') },
        ltvToCac: {
          value: det(m0.ltvToCac, m.ltvToCac),
          ...(m.ltvToCac === null || m0.ltvToCac === null ? none : paired('ltvToCac')),
        },
        paybackMonths: { value: det(m0.paybackMonths, m.paybackMonths), ...paired('paybackMonths') },
        cohortProfit36Months: {
          value: m.cohortProfit36Months - m0.cohortProfit36Months,
          ...paired('cohortProfit36Months'),
        },
      },
    };
  });
  return { rows, truncated: variants.length > MAX_VARIANTS };
}

// ---------------------------------------------------------------------------------------------------------------
// Tornado

/** Levers the tornado moves by default (per-customer economics; horizon, period and volume are settings). */
export const TORNADO_LEVERS: readonly LeverName[] = [
  'retentionPerPeriod',
  'retentionHeterogeneity',
  'purchasesPerYear',
  'averageOrderValue',
  'grossMarginPct',
  'acquisitionCost',
  'annualDiscountRate',
  'programmeCostPerCustomerPerPeriod',
  'winBackRatePerPeriod',
];

/** Tornado settings. Example: { relativeChange: 0.2 } moves each lever ±20%. */
export interface TornadoOptions {
  /** Relative move of each lever, e.g. 0.1 = ±10%. Default 0.1. */
  relativeChange?: number;
  levers?: readonly LeverName[];
  /**
   * How retention moves: 'churn' (default) scales churn by (1 ∓ change), because +10% of a 95% retention is out of
   * range; 'retention' scales retention itself (clamped to the limits).
   */
  retentionAs?: 'churn' | 'retention';
}

/** One bar: the lever moved down (low) and up (high), and the outcomes. Swing = |high − low| outcome. */
export interface TornadoBar {
  lever: LeverName;
  baseValue: number;
  lowValue: number;
  highValue: number;
  clvLow: number;
  clvHigh: number;
  ltvToCacLow: number | null;
  ltvToCacHigh: number | null;
  clvSwing: number;
  ltvToCacSwing: number;
}

/** Output of `tornado`: bars in lever order plus the two rankings (CLV, LTV:CAC). */
export interface TornadoResult {
  baseline: WhatIfMetrics;
  relativeChange: number;
  /** Bars in lever order. */
  bars: TornadoBar[];
  /** Bars sorted by CLV swing, largest first (ties keep lever order). */
  rankedByClv: TornadoBar[];
  /** Bars sorted by LTV:CAC swing, largest first. */
  rankedByLtvToCac: TornadoBar[];
}

function clampLever(lever: LeverName, v: number): number {
  const lim = INPUT_LIMITS[lever];
  return Math.min(lim.max, Math.max(lim.min, v));
}

/**
 * Tornado sensitivity: each lever moved ±relativeChange from the baseline, everything else fixed, outcomes from the
 * deterministic engine (2 evaluations per lever, ~0.1 ms each). Ranked by effect on CLV and on LTV:CAC.
 * Example: with default inputs, averageOrderValue ±10% moves CLV by exactly ±10% of its gross part.
 */
export function tornado(baseline: Partial<WhatIfInputs>, options: TornadoOptions = {}): TornadoResult {
  const base = normalizeInputs(baseline, DEFAULT_INPUTS);
  const rc =
    typeof options.relativeChange === 'number' && Number.isFinite(options.relativeChange)
      ? Math.min(1, Math.max(0, Math.abs(options.relativeChange)))
      : 0.1;
  const levers = options.levers ?? TORNADO_LEVERS;
  const asChurn = options.retentionAs !== 'retention';
  const m0 = whatIfMetrics(base);
  const bars = levers.map((lever): TornadoBar => {
    const b = base[lever];
    let lo: number;
    let hi: number;
    if (lever === 'retentionPerPeriod' && asChurn) {
      const churn = 1 - b;
      lo = clampLever(lever, 1 - churn * (1 + rc));
      hi = clampLever(lever, 1 - churn * (1 - rc));
    } else {
      lo = clampLever(lever, b * (1 - rc));
      hi = clampLever(lever, b * (1 + rc));
    }
    const mLo = whatIfMetrics({ ...base, [lever]: lo });
    const mHi = whatIfMetrics({ ...base, [lever]: hi });
    const swing = (x: number | null, y: number | null): number =>
      x === null || y === null ? 0 : Math.abs(y - x);
    return {
      lever,
      baseValue: b,
      lowValue: lo,
      highValue: hi,
      clvLow: mLo.clvModel,
      clvHigh: mHi.clvModel,
      ltvToCacLow: mLo.ltvToCac,
      ltvToCacHigh: mHi.ltvToCac,
      clvSwing: Math.abs(mHi.clvModel - mLo.clvModel),
      ltvToCacSwing: swing(mLo.ltvToCac, mHi.ltvToCac),
    };
  });
  const rank = (key: 'clvSwing' | 'ltvToCacSwing'): TornadoBar[] =>
    bars
      .map((bar, i) => ({ bar, i }))
      .sort((x, y) => y.bar[key] - x.bar[key] || x.i - y.i)
      .map((x) => x.bar);
  return {
    baseline: m0,
    relativeChange: rc,
    bars,
    rankedByClv: rank('clvSwing'),
    rankedByLtvToCac: rank('ltvToCacSwing'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Equivalence solver

/** Metrics the equivalence solver can match. */
export type EquivalenceMetric = 'clvModel' | 'clvConstantChurn' | 'ltvToCac';

/**
 * What to match, e.g. { change: { lever: 'averageOrderValue', relativeChange: 0.1 }, solveFor: 'retentionPerPeriod' }
 * = "how much retention is worth a 10% AOV increase?".
 */
export interface EquivalenceQuery {
  /** The reference move, e.g. { lever: 'averageOrderValue', relativeChange: 0.1 } (AOV +10%). */
  change: { lever: LeverName; relativeChange?: number; absoluteChange?: number };
  /** The lever to solve for, e.g. 'retentionPerPeriod'. */
  solveFor: LeverName;
  /** Which outcome must be equal. Default 'clvModel'. */
  metric?: EquivalenceMetric;
  /** Absolute tolerance on the solved lever's value. Default 1e-9 (retention: 1e-7 percentage points). */
  tolerance?: number;
}

/** Output of `solveEquivalence`; requiredChangePoints is the headline (percentage points for retention). */
export interface EquivalenceResult {
  metric: EquivalenceMetric;
  /** Metric at the baseline and after the reference change (the target). */
  baselineMetric: number;
  targetMetric: number;
  /** The solved lever at the baseline, the value that reaches the target, and the difference; null if unreachable. */
  baselineValue: number;
  requiredValue: number | null;
  requiredChange: number | null;
  /** requiredChange × 100: percentage points for fractions such as retention. */
  requiredChangePoints: number | null;
  iterations: number;
  converged: boolean;
  /** Why there is no answer, in words, when requiredValue is null. */
  message?: string;
}

function metricOf(m: WhatIfMetrics, metric: EquivalenceMetric): number {
  const v = metric === 'ltvToCac' ? m.ltvToCac : m[metric];
  return v === null ? NaN : v;
}

/**
 * Brent's root finder (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4, zeroin) on [a, b]
 * with f(a)·f(b) <= 0. Converges when the bracket is below tol + 4·ε·|x|, or |f| = 0. Returns [x, iterations].
 * Example: brentRoot(x => x*x - 2, 0, 2, 1e-12)[0] ≈ 1.41421356237.
 */
export function brentRoot(
  f: (x: number) => number,
  a: number,
  b: number,
  tol: number,
  maxIter = 200,
): [number, number, boolean] {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return [a, 0, true];
  if (fb === 0) return [b, 0, true];
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 1; iter <= maxIter; iter++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return [b, iter, true];
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // Inverse quadratic interpolation (or secant when only two points).
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return [b, maxIter, false];
}

/**
 * Equivalence: the value of `solveFor` that gives the same metric as the reference `change`, everything else at
 * the baseline. Solved with Brent's method to `tolerance` (default 1e-9 absolute on the lever) inside the lever's
 * limits; the bracket is [baseline, max] or [min, baseline] (narrowed towards the baseline where the metric is
 * undefined at the limit), whichever contains the target.
 * Example: solveEquivalence(inputs, { change: { lever: 'averageOrderValue', relativeChange: 0.1 },
 *   solveFor: 'retentionPerPeriod' }).requiredChangePoints ≈ 1.2 ("a 10% AOV increase is worth ~1.2 points of
 *   monthly retention" at 90% retention; exact value depends on the inputs).
 */
export function solveEquivalence(
  baseline: Partial<WhatIfInputs>,
  query: EquivalenceQuery,
): EquivalenceResult {
  const base = normalizeInputs(baseline, DEFAULT_INPUTS);
  const metric: EquivalenceMetric = query.metric ?? 'clvModel';
  const tol = typeof query.tolerance === 'number' && query.tolerance > 0 ? query.tolerance : 1e-9;
  const { lever, relativeChange, absoluteChange } = query.change;
  const changed =
    typeof absoluteChange === 'number' && Number.isFinite(absoluteChange)
      ? base[lever] + absoluteChange
      : base[lever] *
        (1 + (typeof relativeChange === 'number' && Number.isFinite(relativeChange) ? relativeChange : 0.1));
  const baselineMetric = metricOf(whatIfMetrics(base), metric);
  const targetMetric = metricOf(whatIfMetrics({ ...base, [lever]: clampLever(lever, changed) }), metric);
  const x0 = base[query.solveFor];
  const lim = INPUT_LIMITS[query.solveFor];
  const result: EquivalenceResult = {
    metric,
    baselineMetric,
    targetMetric,
    baselineValue: x0,
    requiredValue: null,
    requiredChange: null,
    requiredChangePoints: null,
    iterations: 0,
    converged: false,
  };
  if (!Number.isFinite(baselineMetric) || !Number.isFinite(targetMetric)) {
    result.message = `${metric} is undefined for these inputs (is CAC 0?); choose another metric`;
    return result;
  }
  const f = (x: number): number =>
    metricOf(whatIfMetrics({ ...base, [query.solveFor]: x }), metric) - targetMetric;
  const f0 = baselineMetric - targetMetric;
  if (f0 === 0) {
    Object.assign(result, { requiredValue: x0, requiredChange: 0, requiredChangePoints: 0, converged: true });
    return result;
  }
  // Bracket: try the limit itself, else walk from the baseline towards the limit (x0 + (lim − x0)(1 − 2^−j)),
  // which also steps around limits where the metric is undefined (e.g. LTV:CAC at CAC = 0).
  const bracket = (limit: number): [number, number] | null => {
    if (limit === x0) return null;
    const fl = f(limit);
    if (Number.isFinite(fl) && Math.sign(fl) !== Math.sign(f0)) return [x0, limit];
    let prev = x0;
    for (let j = 1; j <= 60; j++) {
      const x = x0 + (limit - x0) * (1 - 2 ** -j);
      const fx = f(x);
      if (!Number.isFinite(fx)) break;
      if (Math.sign(fx) !== Math.sign(f0)) return [prev, x];
      prev = x;
    }
    return null;
  };
  const found = bracket(lim.max) ?? bracket(lim.min);
  const a: number | null = found ? Math.min(found[0], found[1]) : null;
  const b: number | null = found ? Math.max(found[0], found[1]) : null;
  if (a === null || b === null) {
    result.message = `no value of ${query.solveFor} between ${lim.min} and ${lim.max} matches ${metric} = ${targetMetric.toPrecision(6)}; try a smaller reference change`;
    return result;
  }
  const [x, iterations, converged] = brentRoot(f, a, b, tol);
  result.requiredValue = x;
  result.requiredChange = x - x0;
  result.requiredChangePoints = (x - x0) * 100;
  result.iterations = iterations;
  result.converged = converged;
  return result;
}

/**
 * Shortcut for the question strategists ask: how many percentage points of retention per period equal an AOV
 * increase of `aovIncrease` (default 10%) in model CLV? null when unreachable below the retention limit.
 * Example: retentionPointsForAovIncrease({ retentionPerPeriod: 0.9, retentionHeterogeneity: 0 }) ≈ 0.9 points.
 */
export function retentionPointsForAovIncrease(
  baseline: Partial<WhatIfInputs>,
  aovIncrease = 0.1,
): number | null {
  return solveEquivalence(baseline, {
    change: { lever: 'averageOrderValue', relativeChange: aovIncrease },
    solveFor: 'retentionPerPeriod',
  }).requiredChangePoints;
}
