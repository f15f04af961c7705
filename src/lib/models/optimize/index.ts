/**
 * The optimizer used by every model fit. Start with `fitMle` (see its doc comment for an example):
 *
 *   import { fitMle } from './optimize/index.ts';
 *   const fit = fitMle({ names: ['alpha', 'beta'], negLogLik: (θ) => ..., start: [1, 1], n: 1000, penalizer: 0 });
 *   fit.params.alpha; fit.logLikelihood; fit.converged; fit.standardErrors.alpha; fit.covariance;
 */
export { fitMle, type MleProblem, type MleResult } from './mle.ts';
export {
  bfgs,
  nelderMead,
  centralGradient,
  withNumericGradient,
  type Objective,
  type ObjectiveWithGradient,
  type MinimizeResult,
  type BfgsOptions,
  type NelderMeadOptions,
} from './minimize.ts';
export { hessian, hessianFromGradient } from './hessian.ts';
export { invertSpd } from './linalg.ts';
