// What-if latency in headless Chromium: input event -> every output of the what-if cell updated (metrics,
// Monte Carlo intervals for that exact input, charts redrawn), at the default 10,000 simulated customers x
// 60 months. The cell records one User Timing measure per input ('whatif:input->outputs', defined in
// src/cells/whatif/latency.ts); this script drives the sliders like a person (keyboard presses and mouse
// drags ~30-60 ms apart, plus a burst), then prints count, median, p95, max and the longest main-thread
// tasks (PerformanceObserver 'longtask') seen during the interaction.
// Run: npx tsx bench/latency.ts   (builds into $TMPDIR/clv-bench-latency-dist; LATENCY_NO_BUILD=1 reuses it;
//      LATENCY_RUNS=5 repeats the session in fresh pages and pools the paced inputs;
//      PROF=x.cpuprofile / TRACE=x.json record the first phase, see below)
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, preview } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/chromium.ts';

const MEASURE = 'whatif:input->outputs';
const FRAME_MEASURE = 'whatif:input->frame';
const NUMBERS_MEASURE = 'whatif:input->numbers';
const MC_MEASURE = 'whatif:mc-run';

/** Seeded LCG for the pauses between inputs (reproducible pace). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Stats {
  count: number;
  median: number;
  p95: number;
  max: number;
}
function stats(xs: number[]): Stats {
  const s = xs.toSorted((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? NaN;
  return { count: s.length, median: q(0.5), p95: q(0.95), max: s.at(-1) ?? NaN };
}

/** Waits until the what-if cell shows Monte Carlo results and all its charts have drawn, then a quiet second. */
async function settle(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll('[data-kind="whatif"] figure.plot')].every(
          (f) => f.getAttribute('data-rendered') === 'true',
        ) &&
        !document.querySelector('[data-kind="whatif"] [aria-busy="true"]') &&
        /P10/.test(document.querySelector('[data-testid="metric-clv"]')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    )
    .catch(async (e: unknown) => {
      const state = await page.evaluate(() => ({
        charts: [...document.querySelectorAll('[data-kind="whatif"] figure.plot')].map(
          (f) => `${f.getAttribute('data-testid')}:${f.getAttribute('data-rendered')}`,
        ),
        busy: document.querySelectorAll('[data-kind="whatif"] [aria-busy="true"]').length,
        clv: document.querySelector('[data-testid="metric-clv"]')?.textContent,
      }));
      throw new Error(`what-if cell did not settle: ${JSON.stringify(state)}`, { cause: e });
    });
  await page.waitForTimeout(1000);
}

async function driveKeys(page: Page, testid: string, keys: string[], pause: () => number): Promise<number> {
  const el = page.getByTestId(testid);
  await el.focus();
  for (const k of keys) {
    await page.keyboard.press(k);
    const ms = pause();
    if (ms > 0) await page.waitForTimeout(ms);
  }
  return keys.length;
}

async function driveDrag(page: Page, testid: string, steps: number, pause: () => number): Promise<number> {
  const el = page.getByTestId(testid);
  const box = (await el.boundingBox())!;
  const y = box.y + box.height / 2;
  const before = await el.inputValue();
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  let inputs = 0;
  let last = before;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(box.x + box.width * (0.2 + (0.5 * i) / steps), y);
    const v = await el.inputValue();
    if (v !== last) inputs++;
    last = v;
    await page.waitForTimeout(pause());
  }
  await page.mouse.up();
  return inputs;
}

export async function run(runs = Number(process.env.LATENCY_RUNS ?? 1)): Promise<void> {
  /** input->outputs of the paced (30-60 ms) inputs of every session, and of the bursts. */
  const pooled = { paced: [] as number[], burst: [] as number[] };
  // Own output folder: other sessions may rebuild dist/ while this runs.
  const outDir = join(tmpdir(), 'clv-bench-latency-dist');
  if (process.env.LATENCY_NO_BUILD !== '1' || !existsSync(outDir))
    await build({
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true, minify: process.env.PROF ? false : undefined },
    });
  const server = await preview({
    preview: { port: 0, host: '127.0.0.1' },
    build: { outDir },
    logLevel: 'silent',
  });
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    for (let session = 1; session <= runs; session++) {
      if (runs > 1) console.log(`\n--- session ${session} of ${runs} (fresh page)`);
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
      await ctx.addInitScript(() => {
        const w = window as unknown as { __longtasks: { start: number; duration: number }[] };
        w.__longtasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__longtasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url);
      await page.getByTestId('slider-aov').waitFor({ timeout: 60_000 });
      // Let the demo notebook's fits finish (they share the two engine workers), then look at the what-if cell.
      await page.waitForSelector('[data-testid="chart-forecast"] .main-svg', { timeout: 120_000 });
      await page.locator('[data-kind="whatif"]').scrollIntoViewIfNeeded();
      await page.getByTestId('slider-retention').scrollIntoViewIfNeeded();
      await settle(page);

      const t0 = await page.evaluate(() => {
        performance.clearMeasures();
        return performance.now();
      });
      const rnd = lcg(20261122);
      const pace = () => 30 + Math.round(rnd() * 30); // 30-60 ms between inputs
      let inputs = 0;
      const right = (n: number) => Array.from({ length: n }, () => 'ArrowRight');
      const left = (n: number) => Array.from({ length: n }, () => 'ArrowLeft');
      const now = () => page.evaluate(() => performance.now());
      const phases: { name: string; from: number; to: number }[] = [];
      const phase = async (name: string, drive: () => Promise<number>) => {
        const from = await now();
        inputs += await drive();
        phases.push({ name, from, to: await now() });
        await settle(page);
      };
      // Optional diagnostics of the first phase: PROF=out.cpuprofile (V8 CPU profile, unminified build) and
      // TRACE=out.json (Chrome trace: main-thread tasks, frames, worker messages, the User Timing measures).
      const cdp = process.env.PROF ? await ctx.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      if (process.env.TRACE)
        await browser.startTracing(page, {
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'],
        });
      await phase('retention keys', () =>
        driveKeys(page, 'slider-retention', [...right(20), ...left(10)], pace),
      );
      if (cdp) writeFileSync(process.env.PROF!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      if (process.env.TRACE) writeFileSync(process.env.TRACE, await browser.stopTracing());
      await phase('aov mouse drag', () => driveDrag(page, 'slider-aov', 30, pace));
      await phase('cac keys+PgUp/Dn', () =>
        driveKeys(
          page,
          'slider-cac',
          [...right(10), 'PageUp', 'PageUp', ...left(10), 'PageDown', 'PageDown', 'PageUp', ...right(4)],
          pace,
        ),
      );
      // Burst: 20 presses as fast as the driver sends them (~a key held down with fast auto-repeat).
      await phase('burst (no pause)', () =>
        driveKeys(page, 'slider-aov', [...right(10), ...left(10)], () => 0),
      );

      const raw = await page.evaluate((t0) => {
        const w = window as unknown as { __longtasks: { start: number; duration: number }[] };
        return {
          measures: performance
            .getEntriesByType('measure')
            .filter((e) => e.startTime >= t0)
            .map((e) => [e.name, e.startTime, e.duration] as const),
          cachedMc: performance
            .getEntriesByType('measure')
            .filter((e) => e.startTime >= t0 && e.name === 'whatif:mc-run')
            .filter((e) => (e as PerformanceMeasure).detail?.cached === true).length,
          longtasks: w.__longtasks.filter((t) => t.start >= t0),
        };
      }, t0);
      const pick = (name: string) =>
        raw.measures.filter((e) => e[0] === name).map((e) => [e[1], e[2]] as const);
      const res = {
        outputs: pick(MEASURE),
        frame: pick(FRAME_MEASURE),
        numbers: pick(NUMBERS_MEASURE),
        mc: pick(MC_MEASURE),
        draws: raw.measures
          .filter((e) => e[0].startsWith('plot:draw '))
          .map((e) => [e[0].slice(10), e[2]] as const),
        longtasks: raw.longtasks,
      };
      const fmt = (x: number) => x.toFixed(1).padStart(7);
      console.log(`what-if latency, headless Chromium, 10,000 customers x 60 months, ${inputs} inputs sent`);
      console.log(`measure                          count  median     p95     max   (ms)`);
      const row = (label: string, xs: number[]) => {
        const st = stats(xs);
        console.log(
          `${label.padEnd(32)} ${String(st.count).padStart(5)} ${fmt(st.median)} ${fmt(st.p95)} ${fmt(st.max)}`,
        );
      };
      const paced = (from: number, to: number) => (e: readonly [number, number]) =>
        e[0] >= from && e[0] <= to;
      for (const [name, xs] of [
        [MEASURE, res.outputs],
        [FRAME_MEASURE, res.frame],
        [NUMBERS_MEASURE, res.numbers],
      ] as const) {
        row(
          name,
          xs.map((e) => e[1]),
        );
        const noBurst = phases.filter((p) => !p.name.startsWith('burst'));
        const pacedMs = xs.filter((e) => noBurst.some((p) => paced(p.from, p.to)(e))).map((e) => e[1]);
        row('  paced inputs only (30-60 ms)', pacedMs);
        if (name === MEASURE) {
          pooled.paced.push(...pacedMs);
          const bursts = phases.filter((p) => p.name.startsWith('burst'));
          pooled.burst.push(...xs.filter((e) => bursts.some((p) => paced(p.from, p.to)(e))).map((e) => e[1]));
        }
        for (const p of phases)
          row(
            `  ${p.name}`,
            xs.filter(paced(p.from, p.to)).map((e) => e[1]),
          );
      }
      row(
        MC_MEASURE,
        res.mc.map((e) => e[1]),
      );
      console.log(
        `Monte Carlo results found ready (computed ahead or seen before): ${raw.cachedMc} of ${res.mc.length}`,
      );
      const byChart = new Map<string, number[]>();
      for (const [chart, ms] of res.draws) byChart.set(chart, [...(byChart.get(chart) ?? []), ms]);
      console.log(
        `chart redraws during the interaction (Plotly.react, ms): ${
          [...byChart]
            .map(([c, xs]) => `${c} ${xs.length}x median ${stats(xs).median.toFixed(0)}`)
            .join('; ') || 'none'
        }`,
      );
      const lt = res.longtasks.toSorted((a, b) => b.duration - a.duration);
      const total = lt.reduce((a, t) => a + t.duration, 0);
      console.log(
        `long tasks (> 50 ms) during the interaction: ${lt.length}, total ${total.toFixed(0)} ms; longest: ${
          lt
            .slice(0, 8)
            .map((t) => t.duration.toFixed(0))
            .join(', ') || 'none'
        }`,
      );
      if (errors.length) console.log(`page errors: ${errors.join(' | ')}`);
      await ctx.close();
    }
    if (runs > 1) {
      const p = stats(pooled.paced);
      const b = stats(pooled.burst);
      console.log(
        `\nall ${runs} sessions, ${MEASURE}: paced inputs ${p.count}, median ${p.median.toFixed(1)} ms, ` +
          `p95 ${p.p95.toFixed(1)} ms, max ${p.max.toFixed(1)} ms; bursts ${b.count}, median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
