/**
 * Simulator benchmark: how long one slider move costs in the pure core (Node/V8, same engine as Chromium).
 * Run: npx tsx bench/sim.ts. Prints median / p95 / max per operation over repeated runs after a warm-up.
 * Budgets from issue 6: deterministic path < 1 ms; Monte Carlo (10,000 customers × 60 months) well under 50 ms.
 * `--browser` (or CLV_BENCH_BROWSER=1) also bundles src/lib/sim with esbuild and times the same calls in headless
 * Chromium (playwright-core, CHROME_PATH or /usr/bin/chromium) with performance.mark/measure. The end-to-end UI
 * latency (input event -> all outputs painted) is the notebook's e2e bench.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { computeWhatIf, whatIfMetrics } from '../src/lib/sim/unitEconomics.ts';
import { runMonteCarlo } from '../src/lib/sim/monteCarlo.ts';
import { compareScenarios, solveEquivalence, tornado } from '../src/lib/sim/compare.ts';
import { Rng } from '../src/lib/sim/rng.ts';
import type { WhatIfInputs } from '../src/lib/sim/inputs.ts';

interface Row {
  operation: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

function measure(operation: string, runs: number, fn: (i: number) => unknown): Row {
  for (let i = 0; i < Math.min(5, runs); i++) fn(-1 - i); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { operation, runs, medianMs: q(0.5), p95Ms: q(0.95), maxMs: times[times.length - 1] };
}

/** Slider positions drawn with a seeded RNG so every run of the bench measures the same work. */
function sliderMoves(n: number): Partial<WhatIfInputs>[] {
  const rng = Rng.fromSeed(2026);
  return Array.from({ length: n }, () => ({
    retentionPerPeriod: rng.uniformRange(0.7, 0.97),
    retentionHeterogeneity: rng.uniformRange(0, 0.6),
    averageOrderValue: rng.uniformRange(20, 200),
    purchasesPerYear: rng.uniformRange(1, 12),
    acquisitionCost: rng.uniformRange(20, 200),
    winBackRatePerPeriod: rng.uniform() < 0.5 ? 0 : rng.uniformRange(0, 0.05),
    horizonMonths: 60,
  }));
}

/** The same slider-move workload timed inside headless Chromium; returns rows like `measure`. */
async function runInChromium(moves: Partial<WhatIfInputs>[]): Promise<Row[]> {
  const { build } = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const entry = fileURLToPath(new URL('../src/lib/sim/index.ts', import.meta.url));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'sim',
    target: 'es2022',
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: out.outputFiles[0].text });
    // The page code is a string: tsx's transform would inject helpers (__name) into a serialised function.
    const script = `(() => {
      const ms = ${JSON.stringify(moves)};
      const time = (name, runs, fn) => {
        for (let i = 0; i < 5; i++) fn(i);
        const times = [];
        for (let i = 0; i < runs; i++) {
          performance.mark(name + '-start');
          fn(i);
          times.push(performance.measure(name, name + '-start').duration);
        }
        return { name, times };
      };
      const pick = (i) => ms[i % ms.length];
      return [
        time('Chromium: computeWhatIf (60 months)', 400, (i) => sim.computeWhatIf(pick(i))),
        time('Chromium: runMonteCarlo 10,000 × 60', 40, (i) => sim.runMonteCarlo(pick(i), { seed: 1 })),
        time('Chromium: slider move (what-if + MC + tornado)', 40, (i) => {
          sim.computeWhatIf(pick(i));
          sim.runMonteCarlo(pick(i), { seed: 1 });
          sim.tornado(pick(i));
        }),
      ];
    })()`;
    const results = (await page.evaluate(script)) as Array<{ name: string; times: number[] }>;
    return results.map(({ name, times }) => {
      const sorted = [...times].sort((a, b) => a - b);
      const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      return {
        operation: name,
        runs: sorted.length,
        medianMs: q(0.5),
        p95Ms: q(0.95),
        maxMs: sorted[sorted.length - 1],
      };
    });
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  const moves = sliderMoves(400);
  const pick = (i: number): Partial<WhatIfInputs> => moves[(i + moves.length) % moves.length];
  const rows: Row[] = [
    measure('computeWhatIf (60 monthly periods, all series)', 400, (i) => computeWhatIf(pick(i))),
    measure('whatIfMetrics (scalars only)', 400, (i) => whatIfMetrics(pick(i))),
    measure('computeWhatIf (600 months, win-back)', 100, (i) =>
      computeWhatIf({ ...pick(i), horizonMonths: 600, winBackRatePerPeriod: 0.03 }),
    ),
    measure('runMonteCarlo 10,000 customers × 60 months', 40, (i) => runMonteCarlo(pick(i), { seed: 1 })),
    measure('runMonteCarlo, fixed purchases (subscription)', 40, (i) =>
      runMonteCarlo(pick(i), { seed: 1, purchaseModel: 'fixed' }),
    ),
    measure('tornado (9 levers × 2)', 100, (i) => tornado(pick(i))),
    measure('solveEquivalence (retention for AOV +10%)', 100, (i) =>
      solveEquivalence(pick(i), {
        change: { lever: 'averageOrderValue', relativeChange: 0.1 },
        solveFor: 'retentionPerPeriod',
      }),
    ),
    measure('compareScenarios baseline + 4 variants, deterministic', 100, (i) =>
      compareScenarios(pick(i), [pick(i + 1), pick(i + 2), pick(i + 3), pick(i + 4)], null),
    ),
    measure('compareScenarios baseline + 4 variants, paired Monte Carlo', 10, (i) =>
      compareScenarios(pick(i), [pick(i + 1), pick(i + 2), pick(i + 3), pick(i + 4)], { seed: 1 }),
    ),
    measure('one slider move: computeWhatIf + runMonteCarlo + tornado', 40, (i) => {
      computeWhatIf(pick(i));
      runMonteCarlo(pick(i), { seed: 1 });
      tornado(pick(i));
    }),
  ];
  if (process.argv.includes('--browser') || process.env.CLV_BENCH_BROWSER === '1')
    rows.push(...(await runInChromium(moves)));
  const w = Math.max(...rows.map((r) => r.operation.length));
  const fmt = (x: number): string => x.toFixed(3).padStart(9);
  console.log(`${'operation'.padEnd(w)}  runs   median ms    p95 ms     max ms`);
  for (const r of rows)
    console.log(
      `${r.operation.padEnd(w)}  ${String(r.runs).padStart(4)} ${fmt(r.medianMs)}  ${fmt(r.p95Ms)}  ${fmt(r.maxMs)}`,
    );
  console.log(
    `\nNode ${process.version}; ${(await import('node:os')).cpus().length} CPU(s); figures are wall-clock on a shared machine.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
