/**
 * Model-engine speed on 1,000,000 simulated customers at day resolution (whole days, ages 1..730 days).
 * Data are generated here with the seeded simulators (src/lib/models/simulate.ts); nothing is committed.
 * Targets (issue 3): BG/NBD fit <= 0.5 s, Pareto/NBD fit <= 2 s, Gamma-Gamma fit <= 0.3 s,
 * per-customer predictions + CLV for 1M customers <= 1 s. Each timing is the best of `REPEAT` runs of the
 * whole call on the raw per-customer columns (compression included).
 *
 * Run: npx tsx bench/models.ts
 */
import { pathToFileURL } from 'node:url';
import { Rng } from '../src/lib/sim/rng.ts';
import { simulateBgNbd, simulateParetoNbd } from '../src/lib/models/simulate.ts';
import { compressRfm, fitBgNbd } from '../src/lib/models/bgNbd.ts';
import { fitParetoNbd } from '../src/lib/models/paretoNbd.ts';
import { fitMbgNbd } from '../src/lib/models/mbgNbd.ts';
import { fitGammaGamma } from '../src/lib/models/gammaGamma.ts';
import { predictClv } from '../src/lib/models/clv.ts';

const N = 1_000_000;
const REPEAT = 3;

function best<T>(f: () => T, repeat = REPEAT): { seconds: number; value: T } {
  let seconds = Infinity;
  let value!: T;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    value = f();
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
  }
  return { seconds, value };
}

/** Mean spend of x repeat purchases under Gamma-Gamma (p, q, gamma): z̄ ~ Gamma(p x, ν x), ν ~ Gamma(q, gamma). */
function spends(freq: Float64Array, rng: Rng): Float64Array {
  const m = new Float64Array(freq.length);
  for (let i = 0; i < freq.length; i++) {
    const x = freq[i];
    if (x > 0) {
      const nu = rng.gamma(3.74, 15.44);
      m[i] = Math.round(rng.gamma(6.25 * x, nu * x) * 100) / 100;
    }
  }
  return m;
}

export async function run(): Promise<void> {
  const rng = Rng.fromSeed(20261122);
  const ages = new Float64Array(N);
  for (let i = 0; i < N; i++) ages[i] = 1 + rng.int(730);
  // CDNOW-like parameters converted from weeks to days (alpha, beta × 7).
  const bgTruth = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 };
  const pnTruth = { r: 0.553, alpha: 10.58 * 7, s: 0.606, beta: 11.67 * 7 };
  const bgData = simulateBgNbd(bgTruth, ages, rng, { resolution: 1 });
  const pnData = simulateParetoNbd(pnTruth, ages, rng, { resolution: 1 });
  const monetary = spends(bgData.frequency, rng);
  const rows: (string | number)[][] = [];
  const fmt = (s: number) => s.toFixed(3);

  const comp = best(() => compressRfm(bgData));
  rows.push(['compress 1M rows (BG/NBD data)', `${comp.value.x.length} distinct`, fmt(comp.seconds), '-']);
  const bg = best(() => fitBgNbd(bgData));
  rows.push([
    'BG/NBD fit',
    `r ${bg.value.params.r.toFixed(3)} (true 0.243), ${bg.value.iterations} it`,
    fmt(bg.seconds),
    '0.5',
  ]);
  const mbg = best(() => fitMbgNbd(bgData), 1);
  rows.push(['MBG/NBD fit', `${mbg.value.iterations} it`, fmt(mbg.seconds), '-']);
  const pcomp = compressRfm(pnData);
  const pn = best(() => fitParetoNbd(pnData));
  rows.push([
    'Pareto/NBD fit',
    `${pcomp.x.length} distinct; s ${pn.value.params.s.toFixed(3)} (true 0.606), ${pn.value.iterations} it`,
    fmt(pn.seconds),
    '2',
  ]);
  const keep: number[] = [];
  for (let i = 0; i < N; i++) if (bgData.frequency[i] > 0 && monetary[i] > 0) keep.push(i);
  const ggIn = {
    frequency: Float64Array.from(keep, (i) => bgData.frequency[i]),
    monetaryValue: Float64Array.from(keep, (i) => monetary[i]),
  };
  const gg = best(() => fitGammaGamma(ggIn));
  rows.push([
    'Gamma-Gamma fit',
    `${keep.length} repeaters; p ${gg.value.params.p.toFixed(2)} (true 6.25)`,
    fmt(gg.seconds),
    '0.3',
  ]);

  const input = {
    frequency: bgData.frequency,
    recency: bgData.recency,
    T: bgData.T,
    monetaryValue: monetary,
  };
  const purchase = { model: 'bgnbd' as const, params: bg.value.params, covariance: bg.value.covariance };
  const spend = { params: gg.value.params, covariance: gg.value.covariance };
  // Horizon one year of days, 10% annual discount rate: period = 365 days; 120 discounting steps.
  const opts = { horizon: 365, discountRate: 0.1, discountPeriod: 365, margin: 0.3 };
  const pred = best(() => predictClv(purchase, input, spend, opts));
  rows.push([
    'BG/NBD P(alive) + E[Y] + CLV, 1M customers',
    `mean CLV ${mean(pred.value.clv!).toFixed(2)}`,
    fmt(pred.seconds),
    '1',
  ]);
  const ppred = best(() =>
    predictClv(
      { model: 'pnbd', params: pn.value.params, covariance: pn.value.covariance },
      { ...input, frequency: pnData.frequency, recency: pnData.recency, T: pnData.T },
      spend,
      opts,
    ),
  );
  rows.push([
    'Pareto/NBD P(alive) + E[Y] + CLV, 1M customers',
    `mean CLV ${mean(ppred.value.clv!).toFixed(2)}`,
    fmt(ppred.seconds),
    '1',
  ]);
  const sub = 10_000;
  const slice = {
    frequency: input.frequency.subarray(0, sub),
    recency: input.recency.subarray(0, sub),
    T: input.T.subarray(0, sub),
    monetaryValue: monetary.subarray(0, sub),
  };
  const iv = best(
    () => predictClv(purchase, slice, spend, { ...opts, interval: 0.8, draws: 200, seed: 1 }),
    1,
  );
  rows.push([
    `CLV 80% intervals, 200 worlds, ${sub.toLocaleString('en-US')} customers`,
    `${((iv.seconds / sub) * 1e6).toFixed(1)} µs/customer`,
    fmt(iv.seconds),
    '-',
  ]);

  const header = ['task (1,000,000 customers, day resolution)', 'detail', 'seconds', 'target s'];
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => String(r[j]).length)));
  const line = (r: (string | number)[]) =>
    r.map((c, j) => (j >= 2 ? String(c).padStart(widths[j]) : String(c).padEnd(widths[j]))).join('  ');
  process.stdout.write(
    `Node ${process.version}, best of ${REPEAT} runs\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );
}

function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
