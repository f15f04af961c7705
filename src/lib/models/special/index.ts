/** Special functions for the model likelihoods (float64, log space). */
export { gammaln, betaln, logAddExp } from './gammaln.ts';
export { digamma, trigamma } from './digamma.ts';
export { hyp2f1, log2F1b1 } from './hyp2f1.ts';
export { logSumExp, logSubExp } from './logSumExp.ts';
