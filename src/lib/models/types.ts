/**
 * Model parameter types in the papers' notation. Shared by every model module, the CLI and the engine.
 * Time-based rates (alpha, beta for Pareto/NBD's dropout) are per unit of the data's time unit.
 */

/** Names accepted by `clv fit` and the engine. */
export type ModelName = 'sbg' | 'bdw' | 'bgnbd' | 'pnbd' | 'mbgnbd' | 'bgbb' | 'gg';

/** sBG (Fader & Hardie 2007): churn probability θ ~ Beta(alpha, beta). */
export interface SbgParams {
  alpha: number;
  beta: number;
}
/** BdW (Fader, Hardie, Liu, Davin & Steenburgh 2018): sBG with discrete-Weibull shape c (c = 1 is sBG). */
export interface BdwParams {
  alpha: number;
  beta: number;
  c: number;
}
/** BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam et al. 2007): λ ~ Gamma(r, alpha), p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}
export type MbgNbdParams = BgNbdParams;
/** Pareto/NBD (Schmittlein, Morrison & Colombo 1987): λ ~ Gamma(r, alpha), μ ~ Gamma(s, beta). */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}
/** BG/BB (Fader, Hardie & Shang 2010): p ~ Beta(alpha, beta) purchase, θ ~ Beta(gamma, delta) dropout. */
export interface BgBbParams {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}
/** Gamma-Gamma spend (Fader, Hardie & Lee 2005, iso-value curves): z̄ | ν ~ Gamma(p x, ν x), ν ~ Gamma(q, gamma). */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export type ModelParams =
  SbgParams | BdwParams | BgNbdParams | ParetoNbdParams | BgBbParams | GammaGammaParams;

/** Options every maximum-likelihood fit accepts. */
export interface FitOptions {
  /** L2 penalty on the parameters, like lifetimes' `penalizer_coef` (0 = plain MLE). */
  penalizer?: number;
  maxIterations?: number;
  /** Called with a fraction in [0, 1] and a short phase label, for progress bars. */
  onProgress?: (fraction: number, phase: string) => void;
}

/** What every fit returns (the `clv fit --json` object is this plus `seconds`). */
export interface FitReport<P extends object = Record<string, number>> {
  model: ModelName;
  params: P;
  /** Full log-likelihood sum over customers (not a mean), in the data's own time unit; without the penalty. */
  logLikelihood: number;
  /** Number of customers (sum of weights) the fit used. */
  n: number;
  converged: boolean;
  iterations: number;
  /** Asymptotic standard errors from the inverse Hessian of the negative log-likelihood (NaN if singular). */
  standardErrors: { [K in keyof P]: number };
  /** Inverse Hessian in natural parameter space, row-major, parameter order as in `params`; for interval draws. */
  covariance: number[][];
  /** Human-readable note when something is off (not converged, boundary, few repeaters...). */
  message?: string;
}
