// Time to first chart in headless Chromium: builds, serves, opens the app cold N times and reports when the
// cohort heatmap and the forecast chart have drawn (plotly's .main-svg present). Run: npx tsx bench/browser.ts
import { pathToFileURL } from 'node:url';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/chromium.ts';

export async function run(runs = 5): Promise<void> {
  await build({ logLevel: 'silent' });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const times: { heatmap: number; forecast: number }[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const t0 = Date.now();
      await page.goto(url);
      await page.waitForSelector('[data-testid="chart-cohort-heatmap"] .main-svg', { timeout: 60_000 });
      const heatmap = Date.now() - t0;
      await page.waitForSelector('[data-testid="chart-forecast"] .main-svg', { timeout: 60_000 });
      times.push({ heatmap, forecast: Date.now() - t0 });
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const med = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `time to first chart, cold page load, ${runs} runs (ms): heatmap ${times.map((t) => t.heatmap).join(', ')}; forecast ${times.map((t) => t.forecast).join(', ')}`,
  );
  console.log(
    `median: cohort heatmap ${med(times.map((t) => t.heatmap))} ms, forecast ${med(times.map((t) => t.forecast))} ms`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
