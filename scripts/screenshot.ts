// Screenshots of the built app in headless Chromium, for looking at what a person sees.
// Usage: npx tsx scripts/screenshot.ts [--width 1280] [--locale en-US] [--hash ''] [--out docs/screenshot.png]
//        [--wait '[data-testid="chart-forecast"] .main-svg'] [--full] [--theme dark]
//        [--cells]  (also one PNG per notebook cell: <out>-cell-N.png)
// Builds nothing: run `npm run build` first. Serves dist/ with vite preview on a free port.
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/chromium.ts';

const { values } = parseArgs({
  options: {
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '900' },
    locale: { type: 'string', default: 'en-US' },
    hash: { type: 'string', default: '' },
    out: { type: 'string', default: 'docs/screenshot.png' },
    wait: { type: 'string', default: '[data-testid="chart-forecast"] .main-svg' },
    full: { type: 'boolean', default: false },
    theme: { type: 'string', default: 'light' },
    cells: { type: 'boolean', default: false },
  },
});

const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const ctx = await browser.newContext({
    viewport: { width: Number(values.width), height: Number(values.height) },
    locale: values.locale,
    colorScheme: values.theme === 'dark' ? 'dark' : 'light',
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
  page.on('response', (r) => r.status() >= 400 && console.error(`HTTP ${r.status()}: ${r.url()}`));
  const t0 = Date.now();
  await page.goto(server.resolvedUrls!.local[0] + values.hash);
  try {
    await page.waitForSelector(values.wait, { timeout: 60_000 });
    console.log(`"${values.wait}" after ${Date.now() - t0} ms`);
  } catch {
    console.error(`"${values.wait}" did not appear within 60 s`);
  }
  // Charts out of view draw once the notebook is idle (Plot.svelte): wait until every chart with a figure is drawn.
  await page
    .waitForFunction(
      () =>
        [...document.querySelectorAll('figure.plot')].every(
          (f) => f.getAttribute('data-rendered') === 'true' || !f.querySelector('figcaption'),
        ),
      undefined,
      { timeout: 30_000 },
    )
    .catch(() => console.error('some charts were not drawn within 30 s'));
  await page.waitForTimeout(500);
  await page.screenshot({ path: values.out, fullPage: values.full });
  console.log(`wrote ${values.out}`);
  if (values.cells) {
    const cells = page.locator('[data-testid="cell"]');
    const n = await cells.count();
    for (let i = 0; i < n; i++) {
      const path = values.out.replace(/\.png$/, `-cell-${i + 1}.png`);
      await cells.nth(i).screenshot({ path });
      console.log(`wrote ${path} (${await cells.nth(i).getAttribute('data-kind')})`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
