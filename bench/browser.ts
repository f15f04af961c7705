// Time to first chart in headless Chromium: builds, serves, opens the app cold N times and reports when the
// cohort heatmap and the forecast chart have drawn (plotly's .main-svg present). Also: main-thread long tasks
// (> 50 ms, PerformanceObserver 'longtask') during the cold load, and those overlapping an engine call (the
// worker's 'engine:<method>' User Timing measures: loading, fitting, forecasting), and the same while the
// purchase model is switched and refitted after the page has settled. Run: npx tsx bench/browser.ts
import { pathToFileURL } from 'node:url';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/chromium.ts';

interface Tasks {
  all: number[];
  /** Long tasks that overlap an engine call in flight (a fit, forecast or data load in the worker). */
  duringEngine: number[];
  /** Long tasks that overlap a model fit or forecast (engine:fit*, engine:forecast) in flight. */
  duringFits: number[];
}

/** Long tasks since `from` (ms, page clock), and those overlapping an 'engine:*' measure. */
async function longTasks(page: import('playwright-core').Page, from: number): Promise<Tasks> {
  return page.evaluate((from) => {
    const w = window as unknown as { __longtasks: [number, number][] };
    // No named helpers in here: tsx would wrap them in a __name() the page does not have.
    const measures = performance.getEntriesByType('measure');
    const tasks = w.__longtasks.filter(([s]) => s >= from);
    const [calls, fits] = [/^engine:(?!simulate$)/, /^engine:(fit|forecast)/].map((re) =>
      measures.filter((e) => re.test(e.name)).map((e) => [e.startTime, e.startTime + e.duration]),
    );
    const [duringEngine, duringFits] = [calls, fits].map((spans) =>
      tasks.filter(([s, d]) => spans.some(([a, b]) => s < b && s + d > a)).map(([, d]) => d),
    );
    return { all: tasks.map(([, d]) => d), duringEngine, duringFits };
  }, from);
}

export async function run(runs = 5): Promise<void> {
  await build({ logLevel: 'silent' });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const times: { heatmap: number; forecast: number }[] = [];
  const load: Tasks[] = [];
  const refit: Tasks[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await ctx.addInitScript(() => {
        const w = window as unknown as { __longtasks: [number, number][] };
        w.__longtasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__longtasks.push([e.startTime, e.duration]);
        }).observe({ type: 'longtask', buffered: true });
      });
      const page = await ctx.newPage();
      const t0 = Date.now();
      await page.goto(url);
      await page.waitForSelector('[data-testid="chart-cohort-heatmap"] .main-svg', { timeout: 60_000 });
      const heatmap = Date.now() - t0;
      await page.waitForSelector('[data-testid="chart-forecast"] .main-svg', { timeout: 60_000 });
      times.push({ heatmap, forecast: Date.now() - t0 });
      await page.waitForTimeout(2000);
      load.push(await longTasks(page, 0));
      // Refit after the page settled: switch the purchase model, wait for its forecast to be redrawn.
      const from = await page.evaluate(() => performance.now());
      await page.getByTestId('purchase-model').selectOption('pnbd');
      await page
        .getByTestId('purchase-params')
        .locator('code', { hasText: 's' })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.waitForTimeout(2000);
      refit.push(await longTasks(page, from));
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const med = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (xs: number[]) => xs.map((d) => d.toFixed(0)).join(', ') || 'none';
  const fmt = (t: Tasks) =>
    `${t.all.length} long tasks (${ms(t.all)} ms), ${t.duringEngine.length} during engine calls, ` +
    `${t.duringFits.length} during model fits (${ms(t.duringFits)} ms)`;
  load.forEach((t, i) => console.log(`cold load ${i + 1}: ${fmt(t)}`));
  refit.forEach((t, i) => console.log(`purchase model switch + refit ${i + 1}: ${fmt(t)}`));
  console.log(
    `time to first chart, cold page load, ${runs} runs (ms): heatmap ${times.map((t) => t.heatmap).join(', ')}; forecast ${times.map((t) => t.forecast).join(', ')}`,
  );
  console.log(
    `median: cohort heatmap ${med(times.map((t) => t.heatmap))} ms, forecast ${med(times.map((t) => t.forecast))} ms`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
