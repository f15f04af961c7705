/**
 * log Σ exp(v_i) without overflow: max + log Σ exp(v_i − max) (the standard shift). −Infinity entries are
 * ignored; an empty input gives −Infinity; +Infinity gives +Infinity; NaN propagates.
 * Example: logSumExp([0, 0]) = log 2 = 0.6931471805599453; logSumExp([1000, 1000]) = 1000.6931471805599.
 */
export function logSumExp(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i] - m);
  return m + Math.log(s);
}

/**
 * log(exp(a) − exp(b)) for a >= b (−Infinity when a = b), computed as a + log(−expm1(b − a)) so that close
 * values keep their relative accuracy. NaN when b > a. Example: logSubExp(log 3, log 1) = log 2.
 */
export function logSubExp(a: number, b: number): number {
  if (b > a) return NaN;
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  const d = b - a;
  return a + (d > -0.6931471805599453 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}
