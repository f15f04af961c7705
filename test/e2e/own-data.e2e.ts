// Issue 12, data layer: a strategist's own export (GB18030, Chinese headers, ￥ amounts, refunds, bad dates,
// customers first seen on the calibration end and the last day) gives her numbers in every cell: currency ¥,
// repeat buyers as the orders say (refunds netted, not counted as purchases), purchase and spend models fit, and
// the calibration control changes the holdout count. Expected numbers come from the fixture generator's own
// ground truth (test/fixtures/shop-exports.ts), not from the app. OWN_DATA_SHOTS=dir saves cell PNGs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, pageErrors } from './harness.ts';
import { AUTO_CAL_END, chineseExport, isoOf } from '../fixtures/shop-exports.ts';

const shots = process.env.OWN_DATA_SHOTS;
const truth = chineseExport().truth;
const LAST = 546; // 2024-06-30 in the generator's days

async function shoot(page: Page, name: string, kinds: string[]): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(800);
  for (const kind of kinds) {
    const cell = page.locator(`[data-testid="cell"][data-kind="${kind}"]`).first();
    await cell.scrollIntoViewIfNeeded();
    await cell.screenshot({ path: `${shots}/${name}-${kind}.png` });
  }
}

const attr = (page: Page, testid: string, name: string) =>
  page.getByTestId(testid).first().getAttribute(name);
const selectedText = (page: Page, testid: string) =>
  page.getByTestId(testid).evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? '');

describe('own data: a GB18030 shop export end to end', () => {
  it('upload => ¥, repeat buyers net of refunds, models fit, calibration control moves the holdout', async () => {
    const page = await openApp('');
    await page.getByTestId('purchase-params').waitFor({ timeout: 60_000 });
    const bytes = readFileSync(join(import.meta.dirname, '../fixtures/shop-export-gb18030.csv'));
    await page
      .getByTestId('data-upload')
      .setInputFiles({ name: 'shop-export-gb18030.csv', mimeType: 'text/csv', buffer: bytes });
    await expect
      .poll(() => attr(page, 'metric-customers', 'data-value'), { timeout: 60_000 })
      .toBe(String(truth.customers));
    expect(await attr(page, 'metric-repeaters', 'data-value')).toBe(String(truth.repeaters));
    // the mapping dropdowns name the columns the importer detected
    expect(await selectedText(page, 'map-customer')).toBe('客户ID (auto)');
    expect(await selectedText(page, 'map-date')).toBe('下单时间 (auto)');
    expect(await selectedText(page, 'map-amount')).toBe('实付金额 (auto)');
    expect(await attr(page, 'metric-transactions', 'data-value')).toBe(String(truth.rows));
    // currency: the revenue tile is in yuan, never dollars
    const revenue = (await page.getByTestId('metric-revenue').textContent()) ?? '';
    expect(revenue).toContain('¥');
    expect(revenue).not.toContain('$');
    expect(await page.getByTestId('data-currency').inputValue()).toBe('auto');
    // the automatic split and who is holdout only
    const split = truth.split(AUTO_CAL_END);
    expect(await attr(page, 'data-split', 'data-calibration-end')).toBe(isoOf(AUTO_CAL_END));
    expect(await attr(page, 'data-split', 'data-holdout-only')).toBe(String(split.holdoutOnly));
    // purchase and spend fit on the calibration customers, say so, and show no error
    await expect
      .poll(() => attr(page, 'purchase-used', 'data-used'), { timeout: 90_000 })
      .toBe(String(split.calibration));
    expect(await attr(page, 'purchase-used', 'data-holdout-only')).toBe(String(split.holdoutOnly));
    await expect
      .poll(() => attr(page, 'spend-used', 'data-used'), { timeout: 90_000 })
      .toBe(String(split.calibrationRepeaters));
    const spend = (await page.getByTestId('metric-mean-spend').textContent()) ?? '';
    expect(spend).toContain('¥');
    await page.locator('[data-testid="chart-tracking"][data-rendered="true"]').waitFor({ timeout: 60_000 });
    for (const kind of ['data', 'purchase', 'spend'])
      expect(await page.locator(`[data-kind="${kind}"]`).getByTestId('cell-error').count(), kind).toBe(0);
    await shoot(page, 'auto', ['data', 'purchase', 'spend', 'forecast']);

    // the calibration control: the last 13 weeks as holdout
    await page.getByTestId('data-cal-mode').selectOption('weeks');
    await page.getByTestId('data-cal-weeks').fill('13');
    await page.getByTestId('data-cal-weeks').dispatchEvent('change');
    const weeks = truth.split(LAST - 91);
    await expect
      .poll(() => attr(page, 'data-split', 'data-calibration-end'), { timeout: 60_000 })
      .toBe(isoOf(LAST - 91));
    expect(await attr(page, 'data-split', 'data-holdout-only')).toBe(String(weeks.holdoutOnly));
    expect(weeks.holdoutOnly).not.toBe(split.holdoutOnly);
    await expect
      .poll(() => attr(page, 'purchase-used', 'data-used'), { timeout: 90_000 })
      .toBe(String(weeks.calibration));
    expect(await page.locator('[data-kind="purchase"]').getByTestId('cell-error').count()).toBe(0);
    await shoot(page, 'weeks', ['data', 'purchase']);

    // an explicit column choice stays selected (and the automatic option no longer claims a column)
    await page.getByTestId('map-date').selectOption('下单时间');
    await expect.poll(() => selectedText(page, 'map-date'), { timeout: 60_000 }).toBe('下单时间');
    await expect
      .poll(() => page.getByTestId('map-date').locator('option[value=""]').textContent(), { timeout: 60_000 })
      .toBe('(detect automatically)');
    expect(await selectedText(page, 'map-customer')).toBe('客户ID (auto)');
    expect(pageErrors(page)).toEqual([]);
  });
});
