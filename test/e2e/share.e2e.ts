// Sharing her own data (issue 12, item 7): Save puts the uploaded file in the notebook file and a fresh browser
// reads the same forecast total from it; a share link carries the data, else a customer summary (same
// purchase-model parameters), else the fitted numbers, and the popup and the recipient's banner say which.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, pageErrors } from './harness.ts';
import { shopLog } from '../fixtures/shopLog.ts';

// Uploads, fits and two browsers per test: slower than the suite's default on a shared 2-core machine.
const SLOW = 300_000;
const SHOTS = process.env.SHARE_SHOTS; // a folder for screenshots to look at (unset: none taken)
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
};

const attr = (page: Page, testid: string) => page.getByTestId(testid).first().getAttribute('data-value');
/**
 * The forecast total once the forecast cell has settled on the data (`customers` in the data cell): stable over
 * two polls and, when `before` is given, different from it (the previous dataset's total is not an answer).
 */
async function settledTotal(page: Page, customers: number, before?: string): Promise<string> {
  await expect.poll(() => attr(page, 'metric-customers'), { timeout: 60_000 }).toBe(String(customers));
  let last = '';
  // the total must stay the same across two polls with no cell computing
  await expect
    .poll(
      async () => {
        const busy = await page.locator('[data-kind="forecast"] .busy').count();
        const v = (await attr(page, 'metric-total-clv')) ?? '';
        const stable = busy === 0 && v !== '' && v === last && v !== before;
        last = v;
        return stable;
      },
      { timeout: 90_000, interval: 500 },
    )
    .toBe(true);
  return last;
}
const purchaseParams = (page: Page) =>
  page
    .getByTestId('purchase-params')
    .locator('td[data-value]')
    .evaluateAll((tds) => tds.slice(0, 4).map((t) => t.getAttribute('data-value')));
async function upload(page: Page, name: string, csv: string): Promise<void> {
  await page.getByTestId('data-upload').waitFor();
  await page
    .getByTestId('data-upload')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
}
async function share(page: Page): Promise<{ url: string; carries: string; text: string }> {
  await page.getByTestId('share-link-button').click();
  const pop = page.getByTestId('share-pop');
  await pop.waitFor();
  return {
    url: await page.getByTestId('share-link-url').inputValue(),
    carries: (await pop.getAttribute('data-carries')) ?? '',
    text: (await pop.textContent()) ?? '',
  };
}

describe('Save with the data inside', () => {
  it(
    'a 600 KB upload is saved in the .clv.json and a fresh browser reads the same forecast total',
    async () => {
      const csv = shopLog(4700);
      expect(csv.length).toBeGreaterThan(256 * 1024);
      const page = await openApp();
      const demoTotal = await settledTotal(page, 2357);
      await upload(page, 'shop.csv', csv);
      const total = await settledTotal(page, 4700, demoTotal);
      expect(await page.getByTestId('save-button').getAttribute('title')).toMatch(/up to 50 MB/);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('save-button').click(),
      ]);
      const file = Buffer.concat(await (await download.createReadStream()).toArray());
      expect(file.length).toBeLessThan(csv.length); // compressed
      expect(await page.getByTestId('save-report').textContent()).toMatch(/Saved with shop\.csv/);
      await shot(page, 'save-report');

      const other = await openApp(); // fresh context: no autosave, no IndexedDB
      const otherDemo = await settledTotal(other, 2357);
      const [chooser] = await Promise.all([
        other.waitForEvent('filechooser'),
        other.getByTestId('open-button').click(),
      ]);
      await chooser.setFiles({ name: 'notebook.clv.json', mimeType: 'application/json', buffer: file });
      expect(await settledTotal(other, 4700, otherDemo)).toBe(total);
      expect(await other.getByTestId('link-problems').count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
      expect(pageErrors(other)).toEqual([]);
    },
    SLOW,
  );
});

describe('share links', () => {
  it(
    'a small export travels whole: the link carries the data and the recipient gets the same numbers',
    async () => {
      const csv = shopLog(150);
      const page = await openApp();
      const demo = await settledTotal(page, 2357);
      await upload(page, 'small.csv', csv);
      const total = await settledTotal(page, 150, demo);
      const link = await share(page);
      expect(link.carries).toBe('data');
      expect(link.text).toContain('this link carries your data (small.csv)');
      const other = await openApp(new URL(link.url).hash);
      expect(await settledTotal(other, 150)).toBe(total);
      expect(await other.getByTestId('shared-banner').count()).toBe(0);
      expect(await other.getByTestId('import-report').getAttribute('data-accepted')).toBe(
        String(csv.trim().split('\n').length - 1),
      );
    },
    SLOW,
  );

  it(
    'a 290 KB export travels as a customer summary: same purchase-model parameters, and it says so',
    async () => {
      const csv = shopLog(1500, 7, 730, 12);
      expect(csv.length).toBeGreaterThan(256 * 1024);
      const page = await openApp();
      const demo = await settledTotal(page, 2357);
      await upload(page, 'orders.csv', csv);
      const total = await settledTotal(page, 1500, demo);
      const params = await purchaseParams(page);
      const link = await share(page);
      expect(link.carries).toBe('summary');
      expect(link.text).toContain('this link carries a summary of 1,500 customers, not the file orders.csv');
      expect(link.url.length).toBeLessThanOrEqual(30_000);
      await shot(page, 'popup-summary');

      const other = await openApp(new URL(link.url).hash);
      const banner = other.getByTestId('shared-banner');
      await banner.waitFor();
      expect(await banner.getAttribute('data-carries')).toBe('summary');
      expect(await settledTotal(other, 1500)).toBe(total);
      expect(await purchaseParams(other)).toEqual(params);
      await expect.poll(() => other.getByTestId('shared-check').getAttribute('data-same')).toBe('true');
      // the cohort chart says what it needs instead of showing the demo's cohorts
      const cohortError = other.locator('[data-kind="cohorts"]').getByTestId('cell-error');
      await expect.poll(() => cohortError.textContent()).toMatch(/transaction log|交易/);
      await shot(other, 'recipient-summary');
      if (SHOTS) {
        await other.screenshot({ path: `${SHOTS}/recipient-summary-full.png`, fullPage: true });
        const phone = await openApp(new URL(link.url).hash, { width: 390, height: 844 });
        await phone.getByTestId('shared-banner').waitFor();
        await settledTotal(phone, 1500);
        await shot(phone, 'recipient-summary-390');
      }
      expect(pageErrors(other)).toEqual([]);
    },
    SLOW,
  );

  it(
    'a 4,700-customer export is too large even as a summary: the link carries the fitted numbers and says so',
    async () => {
      const page = await openApp();
      const demo = await settledTotal(page, 2357);
      await upload(page, 'shop.csv', shopLog(4700));
      const total = await settledTotal(page, 4700, demo);
      const params = await purchaseParams(page);
      const link = await share(page);
      expect(link.carries).toBe('numbers');
      expect(link.text).toContain('this link carries the settings and fitted numbers only');
      await shot(page, 'popup-numbers');

      const other = await openApp(new URL(link.url).hash);
      const banner = other.getByTestId('shared-banner');
      await banner.waitFor();
      expect(await banner.getAttribute('data-carries')).toBe('numbers');
      expect(await other.getByTestId('shared-forecast').getAttribute('data-value')).toBe(total);
      const shown = (await other.getByTestId('shared-purchase').textContent()) ?? '';
      for (const v of params)
        expect(shown).toContain(
          Number(v)
            .toFixed(4)
            .replace(/\.?0+$/, '')
            .slice(0, 5),
        );
      // no cell shows the demo's numbers as hers: the data cell waits for her file, the forecast has no total
      expect((await attr(other, 'metric-customers')) ?? '').toBe('');
      await other.waitForTimeout(1500);
      expect(await other.getByTestId('metric-total-clv').first().textContent()).not.toMatch(/\d/);
      // every cell that needs data says why it has none
      const forecastCell = other.locator('[data-kind="forecast"]');
      expect(await forecastCell.getByTestId('cell-shared-empty').textContent()).toContain(
        'sender’s settings and fitted numbers only',
      );
      await shot(other, 'recipient-numbers');
      if (SHOTS) await other.screenshot({ path: `${SHOTS}/recipient-numbers-full.png`, fullPage: true });
      expect(pageErrors(other)).toEqual([]);
    },
    SLOW,
  );
});
