/**
 * The whole notebook on a big upload, as a person does it, in headless Chromium: builds the app, serves it,
 * opens the demo notebook, waits for it to settle, then uploads a generated transaction CSV through the data
 * cell (default 1,034,805 rows, ~420k customers: the shop export of issue 12) and prints
 *  - the time from the upload to each engine call's answer (one per cell: data, cohorts, retention, purchase,
 *    spend, forecast) and to the forecast's total with its interval on screen;
 *  - main-thread long tasks (> 50 ms, and how many > 100 ms) during the upload and each later step, with the
 *    engine calls in flight that overlapped them;
 *  - a forecast horizon change (one slider step) to the new total on screen;
 *  - a retry (the forecast cancelled while it runs, then Retry) to the total on screen;
 *  - a table-search keystroke to the per-customer table's row count updated.
 * Targets (issue 12, item 8): upload -> forecast with interval <= 10 s, any input change <= 3 s, no
 * main-thread task > 100 ms, table search <= 50 ms per keystroke. Printed, never asserted.
 *
 * Run: npx tsx bench/notebook.ts [--rows 1034805] [--customers 700000]  (customers drawn; the rows run out first)
 *      PROF=/tmp/upload.cpuprofile (main-thread CPU profile of the upload phase, unminified build;
 *      PROF_PHASE=horizon or retry profiles that step instead)
 *      NOTEBOOK_NO_BUILD=1 reuses the last build in the OS temp dir.
 *      SHOT=1 saves a screenshot 4 s into the upload (the status strip); it adds a long task of its own.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, preview } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/chromium.ts';
import { generateShop } from './data.ts';

interface Span {
  name: string;
  start: number;
  end: number;
}
interface Window {
  /** Long tasks [start, duration] (page clock). */
  tasks: [number, number][];
  /** User Timing measures (engine:<method> per worker call). */
  measures: Span[];
}

/** Long tasks and engine-call measures since `from` (page clock). */
function windowSince(page: Page, from: number): Promise<Window> {
  return page.evaluate((from) => {
    const w = window as unknown as { __longtasks: [number, number][] };
    return {
      tasks: w.__longtasks.filter(([s]) => s >= from),
      measures: performance
        .getEntriesByType('measure')
        .filter((e) => e.startTime >= from)
        .map((e) => ({ name: e.name, start: e.startTime, end: e.startTime + e.duration })),
    };
  }, from);
}

function describeTasks(w: Window): string {
  const over = (ms: number) => w.tasks.filter(([, d]) => d > ms).length;
  if (w.tasks.length === 0) return 'no main-thread task > 50 ms';
  const list = w.tasks
    .toSorted((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([s, d]) => {
      const during = w.measures
        .filter((m) => m.name.startsWith('engine:') && s < m.end && s + d > m.start)
        .map((m) => m.name.slice(7));
      const after = w.measures
        .filter((m) => m.name.startsWith('engine:') && m.end <= s && s - m.end < 200)
        .map((m) => `${m.name.slice(7)} answer`);
      const ctx = [...new Set([...during, ...after])].join(', ');
      return `${d.toFixed(0)} ms${ctx ? ` (${ctx})` : ''}`;
    });
  return `${w.tasks.length} tasks > 50 ms, ${over(100)} > 100 ms, longest: ${list.join('; ')}`;
}

/** page.evaluate of performance.now(). */
const now = (page: Page) => page.evaluate(() => performance.now());

/** Waits until the forecast total on screen differs from `before` and has its interval; returns page time. */
async function forecastShown(page: Page, before: string, timeout = 1_200_000): Promise<number> {
  const h = await page
    .waitForFunction(
      (before) => {
        const m = document.querySelector('[data-testid="metric-total-clv"]');
        const v = m?.getAttribute('data-value') ?? '';
        const note = m?.querySelector('.note')?.textContent ?? '';
        const pending = m?.closest('[data-testid="cell"]')?.querySelector('[data-testid="cancel-button"]');
        return v !== '' && v !== before && note.includes('–') && !pending ? performance.now() : 0;
      },
      before,
      { timeout, polling: 50 },
    )
    .catch(async (e: unknown) => {
      // Say why: the cells' errors, and a screenshot of the page.
      const cells = await page
        .locator('[data-testid="cell"]')
        .evaluateAll((els) =>
          els.map(
            (el) =>
              `${el.getAttribute('data-kind')}: ${el.querySelector('.status')?.textContent?.trim() ?? ''}`,
          ),
        );
      await page.screenshot({ path: join(tmpdir(), 'clv-bench-notebook-timeout.png'), fullPage: true });
      throw new Error(`the forecast did not show (${String(e)}); cells: ${cells.join(' | ')}`);
    });
  return (await h.jsonValue()) as number;
}

const totalNow = (page: Page) =>
  page
    .getByTestId('metric-total-clv')
    .getAttribute('data-value')
    .then((v) => v ?? '');

export async function run(rows = 1_034_805, customers = 700_000): Promise<void> {
  const csv = join(tmpdir(), `clv-bench-notebook-${rows}.csv`);
  if (!existsSync(csv)) {
    // Day 486 (2023-05-02) is the default calibration end (two thirds of 730 days): customers first seen on it
    // would have T = 0, which the purchase fits refuse until the calibration-end work of issue 12 lands.
    const g = generateShop(csv, rows, customers, 20261203, 486);
    console.log(
      `generated ${g.rows.toLocaleString('en-US')} rows of ${g.customers.toLocaleString('en-US')} customers, ${(g.bytes / 1e6).toFixed(1)} MB`,
    );
  }
  // NOTEBOOK_DIST: serve another build (e.g. of an older commit, to compare) instead of building this tree.
  const outDir = process.env.NOTEBOOK_DIST ?? join(tmpdir(), 'clv-bench-notebook-dist');
  if (!process.env.NOTEBOOK_DIST && (process.env.NOTEBOOK_NO_BUILD !== '1' || !existsSync(outDir)))
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
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await ctx.addInitScript(() => {
      const w = window as unknown as { __longtasks: [number, number][] };
      w.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longtasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    const demo = await forecastShown(page, '', 120_000);
    console.log(`demo notebook: forecast on screen after ${(demo / 1000).toFixed(1)} s`);
    await page.waitForTimeout(1500);

    // --- upload
    const cdp =
      process.env.PROF && process.env.PROF_PHASE !== 'horizon' ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const before = await totalNow(page);
    const t0 = await now(page);
    await page.getByTestId('data-upload').setInputFiles(csv);
    // What a person sees at the top of the page while the cells compute (the status strip), for looking at.
    // Only with SHOT=1: taking a screenshot is itself a 150-250 ms main-thread task (it paints the page).
    const shot = process.env.SHOT
      ? page
          .waitForTimeout(4000)
          .then(() => page.screenshot({ path: join(tmpdir(), 'clv-bench-notebook-running.png') }))
          .catch(() => {})
      : Promise.resolve();
    const shown = await forecastShown(page, before);
    await shot;
    await page.waitForTimeout(1500);
    if (cdp) writeFileSync(process.env.PROF!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const up = await windowSince(page, t0);
    const customersShown = await page.getByTestId('metric-customers').getAttribute('data-value');
    console.log(
      `\nupload ${rows.toLocaleString('en-US')} rows (${Number(customersShown).toLocaleString('en-US')} customers): forecast with interval on screen after ${((shown - t0) / 1000).toFixed(2)} s (target 10 s)`,
    );
    for (const m of up.measures.filter((m) => m.name.startsWith('engine:')))
      console.log(
        `  ${m.name.padEnd(22)} ${((m.start - t0) / 1000).toFixed(2).padStart(6)} s -> ${((m.end - t0) / 1000).toFixed(2).padStart(6)} s (${((m.end - m.start) / 1000).toFixed(2)} s)`,
      );
    console.log(`  ${describeTasks(up)}`);

    // --- horizon change: one slider step
    const forecastCell = page.locator('[data-kind="forecast"]');
    await forecastCell.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    let b = await totalNow(page);
    let t = await now(page);
    // PROF_PHASE=horizon: the CPU profile covers this step instead of the upload.
    const hcdp =
      process.env.PROF && process.env.PROF_PHASE === 'horizon' ? await ctx.newCDPSession(page) : null;
    if (hcdp) {
      await hcdp.send('Profiler.enable');
      await hcdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await hcdp.send('Profiler.start');
    }
    await page.getByTestId('slider-forecast-horizon').focus();
    await page.keyboard.press('ArrowRight');
    const hz = await forecastShown(page, b);
    if (hcdp) writeFileSync(process.env.PROF!, JSON.stringify((await hcdp.send('Profiler.stop')).profile));
    await page.waitForTimeout(1000);
    console.log(
      `\nhorizon 12 -> 13 months: total on screen after ${((hz - t) / 1000).toFixed(2)} s (target 3 s)`,
    );
    console.log(`  ${describeTasks(await windowSince(page, t))}`);

    // --- retry: cancel the forecast while it runs (horizon step back), then Retry
    b = await totalNow(page);
    await page.getByTestId('slider-forecast-horizon').focus();
    await page.keyboard.press('ArrowLeft');
    const cancel = forecastCell.getByTestId('cancel-button');
    let retried = false;
    // PROF_PHASE=retry: the CPU profile covers the retry instead of the upload.
    const rcdp =
      process.env.PROF && process.env.PROF_PHASE === 'retry' ? await ctx.newCDPSession(page) : null;
    try {
      await cancel.click({ timeout: 3000 });
      t = await now(page);
      if (rcdp) {
        await rcdp.send('Profiler.enable');
        await rcdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await rcdp.send('Profiler.start');
      }
      await forecastCell.getByRole('button', { name: 'Retry' }).click();
      retried = true;
    } catch {
      // the forecast finished before its Cancel button appeared (250 ms): nothing to retry
    }
    if (retried) {
      const rt = await forecastShown(page, b);
      if (rcdp) {
        await page.waitForTimeout(1000);
        writeFileSync(process.env.PROF!, JSON.stringify((await rcdp.send('Profiler.stop')).profile));
      }
      console.log(`retry after cancel: total on screen after ${((rt - t) / 1000).toFixed(2)} s (target 3 s)`);
      console.log(`  ${describeTasks(await windowSince(page, t))}`);
    } else console.log('retry: the forecast finished within 250 ms, before a Cancel button could show');
    await page.waitForTimeout(1000);

    // --- table search: keystrokes into the per-customer table
    const table = page.getByTestId('forecast-table');
    const search = table.locator('input[type="search"]');
    await search.scrollIntoViewIfNeeded();
    await search.click();
    const count = table.locator('.count');
    const keys: number[] = [];
    t = await now(page);
    for (const ch of ['4', '2', '1', '0', '9']) {
      const before = await count.textContent();
      const k0 = await now(page);
      await page.keyboard.type(ch);
      const h = await page.waitForFunction(
        (before) => {
          const el = document.querySelector('[data-testid="forecast-table"] .count');
          return el && el.textContent !== before ? performance.now() : 0;
        },
        before,
        { timeout: 30_000, polling: 'raf' },
      );
      keys.push(((await h.jsonValue()) as number) - k0);
    }
    console.log(
      `\ntable search, 5 keystrokes "42109" -> row count updated (ms; includes ~1 frame of polling): ${keys.map((k) => k.toFixed(0)).join(', ')} (target 50)`,
    );
    console.log(`  ${describeTasks(await windowSince(page, t))}`);
    console.log(`  rows shown: ${await count.textContent()}`);
    if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
    console.log(
      `load average at the end (2 cores): ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')}`,
    );
    await ctx.close();
  } finally {
    await browser.close();
    await server.close();
    if (process.env.NOTEBOOK_KEEP_CSV !== '1') rmSync(csv, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  await run(arg('--rows'), arg('--customers'));
}
