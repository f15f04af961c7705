/**
 * Does @tensorflow/tfjs earn a place in the model engine? Measures, on the CDNOW calibration data (2,357
 * customers, weeks) and on a 200,000-customer simulated set:
 *  - the float32 error of the BG/NBD log-likelihood sum computed by tfjs (cpu backend: float32 tensors) against
 *    the float64 implementation (src/lib/models/bgNbd.ts), at the published MLE;
 *  - the float32 error of tfjs autodiff gradients (tf.grad) against our analytic float64 gradient;
 *  - time per LL+gradient evaluation: tfjs (per customer, batched ops) vs plain JS float64 on compressed rows.
 * tfjs has no lgamma op; we build log Γ from tf ops with the same Lanczos series as special/gammaln.ts.
 *
 * Run: npx tsx bench/tfjs-precision.ts
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readRfmCsv } from '../src/lib/data/summaries.ts';
import { bgNbdLogLikelihoodCompressed, compressRfm, type RfmData } from '../src/lib/models/bgNbd.ts';
import { simulateBgNbd } from '../src/lib/models/simulate.ts';
import { Rng } from '../src/lib/sim/rng.ts';

const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 with tf ops: log Γ(x) = log Γ(x+1) − log x, Lanczos (g = 7) for x + 1 >= 1. */
function lgammaTf(x: tf.Tensor): tf.Tensor {
  const z = x; // Γ(x+1) with Lanczos argument z = x
  let s: tf.Tensor = tf.scalar(LANCZOS[0]);
  for (let i = 1; i < 9; i++) s = tf.add(s, tf.div(LANCZOS[i], tf.add(z, i)));
  const t = tf.add(z, 7.5);
  const lg1 = tf.add(tf.sub(tf.add(0.9189385332046728, tf.mul(tf.add(z, 0.5), tf.log(t))), t), tf.log(s));
  return tf.sub(lg1, tf.log(x));
}

/** BG/NBD LL sum (FHL 2005 eq. 6) in tf ops; `logp` = log of [r, alpha, a, b]. */
function llTf(logp: tf.Tensor1D, x: tf.Tensor1D, tx: tf.Tensor1D, T: tf.Tensor1D, w: tf.Tensor1D): tf.Scalar {
  const p = tf.exp(logp);
  const [r, alpha, a, b] = tf.unstack(p);
  const rx = tf.add(r, x);
  const pos = tf.cast(tf.greater(x, 0), 'float32');
  const A1 = tf.add(tf.sub(lgammaTf(rx), lgammaTf(r)), tf.mul(r, tf.log(alpha)));
  const bx = tf.add(b, x);
  const A2 = tf.sub(
    tf.add(lgammaTf(tf.add(a, b)), lgammaTf(bx)),
    tf.add(lgammaTf(b), lgammaTf(tf.add(tf.add(a, b), x))),
  );
  const A3 = tf.neg(tf.mul(rx, tf.log(tf.add(alpha, T))));
  // For x = 0 the second term is absent: shift b+x−1 to a safe value and mask with −1e30.
  const A4 = tf.sub(
    tf.sub(tf.log(a), tf.log(tf.add(tf.sub(bx, 1), tf.sub(1, pos)))),
    tf.mul(rx, tf.log(tf.add(alpha, tx))),
  );
  const A4m = tf.add(tf.mul(A4, pos), tf.mul(tf.sub(1, pos), -1e30));
  const m = tf.maximum(A3, A4m);
  const L = tf.add(m, tf.log(tf.add(tf.exp(tf.sub(A3, m)), tf.exp(tf.sub(A4m, m)))));
  return tf.sum(tf.mul(w, tf.add(tf.add(A1, A2), L))) as tf.Scalar;
}

function timeIt(f: () => void, repeat: number): number {
  f();
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) f();
  return (performance.now() - t0) / repeat;
}

function measure(label: string, data: RfmData, params: number[]): (string | number)[][] {
  const d = compressRfm(data);
  // float64 reference: value and analytic gradient (∂/∂θ), converted to ∂/∂log θ.
  const g64 = new Float64Array(4);
  const ll64 = bgNbdLogLikelihoodCompressed(params[0], params[1], params[2], params[3], d, g64);
  const glog64 = Array.from(g64, (g, i) => g * params[i]);
  // tfjs on the compressed rows (weights), float32 on the cpu backend.
  const x = tf.tensor1d(Float32Array.from(d.x));
  const tx = tf.tensor1d(Float32Array.from(d.tx));
  const T = tf.tensor1d(Float32Array.from(d.T));
  const w = tf.tensor1d(Float32Array.from(d.w));
  const logp = tf.tensor1d(params.map(Math.log));
  const f = (lp: tf.Tensor) => llTf(lp as tf.Tensor1D, x, tx, T, w);
  const ll32 = tf.tidy(() => f(logp).dataSync()[0]);
  const grad = tf.grad(f);
  const g32 = tf.tidy(() => Array.from(grad(logp).dataSync()));
  const relGrad = Math.max(...g32.map((g, i) => Math.abs(g - glog64[i]) / Math.max(1, Math.abs(glog64[i]))));
  const msTf = timeIt(
    () =>
      tf.tidy(() => {
        f(logp).dataSync();
        grad(logp).dataSync();
      }),
    5,
  );
  const msJs = timeIt(
    () => bgNbdLogLikelihoodCompressed(params[0], params[1], params[2], params[3], d, g64),
    20,
  );
  tf.dispose([x, tx, T, w, logp]);
  return [
    [label, 'rows (distinct)', d.x.length, ''],
    [label, 'LL float64 (JS)', ll64.toFixed(6), ''],
    [
      label,
      'LL float32 (tfjs cpu)',
      ll32.toFixed(6),
      `abs err ${Math.abs(ll32 - ll64).toExponential(2)}, rel ${(Math.abs(ll32 - ll64) / Math.abs(ll64)).toExponential(2)}`,
    ],
    [label, 'gradient max rel err (tf.grad vs analytic)', relGrad.toExponential(2), 'per log-parameter'],
    [
      label,
      'ms per LL+gradient: tfjs / JS float64',
      `${msTf.toFixed(2)} / ${msJs.toFixed(3)}`,
      `JS ${(msTf / msJs).toFixed(0)}x faster`,
    ],
  ];
}

export async function run(): Promise<void> {
  await tf.setBackend('cpu');
  const text = readFileSync(new URL('../test/fixtures/cdnow_customers_summary.csv', import.meta.url), 'utf8');
  const cdnow = readRfmCsv(text).table;
  // FHL 2005 Table 2 estimates.
  const params = [0.243, 4.414, 0.793, 2.426];
  const rows = measure('CDNOW 2,357', cdnow, params);
  const rng = Rng.fromSeed(5);
  const n = 200_000;
  const ages = new Float64Array(n);
  for (let i = 0; i < n; i++) ages[i] = 1 + rng.int(730);
  const sim = simulateBgNbd({ r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 }, ages, rng, { resolution: 1 });
  rows.push(...measure('simulated 200,000 (days)', sim, [0.243, 30.9, 0.793, 2.426]));
  const header = ['data', 'quantity', 'value', 'note'];
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => String(r[j]).length)));
  const line = (r: (string | number)[]) => r.map((c, j) => String(c).padEnd(widths[j])).join('  ');
  process.stdout.write(
    `tfjs ${tf.version.tfjs}, backend ${tf.getBackend()} (float32)\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
