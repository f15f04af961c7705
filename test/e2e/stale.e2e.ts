// After an upload, an error or a cancel, no cell shows a number computed from other data (issue 12, item 1):
// cells whose inputs are not ready say why, and the demo's forecast never stands next to an uploaded file.
import { describe, expect, it } from 'vitest';
import { openApp, pageErrors } from './harness.ts';

const rendered = (testid: string) => `[data-testid="${testid}"][data-rendered="true"]`;

/** 40 customers who each bought once: the data load, but no purchase or spend model can be fitted. */
function oneTimeBuyers(): string {
  const rows = ['customer,date,amount'];
  for (let i = 0; i < 40; i++) rows.push(`C${i},2024-0${1 + (i % 9)}-1${i % 10},${10 + i}`);
  return rows.join('\n') + '\n';
}

describe('results never outlive their data', () => {
  it('upload whose purchase fit fails => forecast shows the reason, not the demo total', async () => {
    const page = await openApp();
    await page.locator(rendered('chart-forecast')).waitFor({ timeout: 60_000 });
    const demoTotal = await page.getByTestId('metric-total-clv').getAttribute('data-value');
    expect(Number(demoTotal)).toBeGreaterThan(0);

    await page
      .getByTestId('data-upload')
      .setInputFiles({ name: 'once.csv', mimeType: 'text/csv', buffer: Buffer.from(oneTimeBuyers()) });
    await expect
      .poll(() => page.getByTestId('metric-customers').getAttribute('data-value'), { timeout: 30_000 })
      .toBe('40');
    const purchase = page.locator('[data-kind="purchase"]');
    await purchase.getByTestId('cell-error').waitFor({ timeout: 30_000 });
    // The purchase cell's old CDNOW parameters are gone, not left under the error.
    expect(await purchase.getByTestId('purchase-params').count()).toBe(0);

    const forecast = page.locator('[data-kind="forecast"]');
    await expect
      .poll(() => forecast.getByTestId('cell-input-state').first().getAttribute('data-state'), {
        timeout: 30_000,
      })
      .toBe('error');
    expect(await forecast.getByTestId('cell-input-state').first().textContent()).toContain('failed');
    const total = await forecast.getByTestId('metric-total-clv').getAttribute('data-value');
    expect(total === null || total === '').toBe(true);
    expect(total).not.toBe(demoTotal);
    expect(pageErrors(page)).toEqual([]);
  });

  it('a data cell that fails => every model cell below waits and shows no numbers (中文)', async () => {
    const page = await openApp('', { locale: 'zh-CN' });
    await page.getByTestId('purchase-params').waitFor({ timeout: 60_000 });
    const csv = 'customer,date,amount\nA,2024-01-05,10\nA,2024-02-10,12.5\n';
    await page
      .getByTestId('data-upload')
      .setInputFiles({ name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-kind="data"]').getByTestId('cell-error').waitFor({ timeout: 30_000 });
    for (const kind of ['purchase', 'spend', 'forecast']) {
      const cell = page.locator(`[data-kind="${kind}"]`);
      await expect
        .poll(() => cell.getByTestId('cell-input-state').first().textContent(), { timeout: 30_000 })
        .toContain('出错');
    }
    expect(await page.getByTestId('purchase-params').count()).toBe(0);
    const total = await page.getByTestId('metric-total-clv').getAttribute('data-value');
    expect(total === null || total === '').toBe(true);
    // The data cell does not keep showing CDNOW's summary under the error.
    expect(await page.getByTestId('metric-customers').getAttribute('data-value')).not.toBe('2357');
  });

  it('keyboard: the cell list at the top reaches the what-if in a few Tab presses', async () => {
    const page = await openApp();
    await page.getByTestId('cell-nav').waitFor({ timeout: 30_000 });
    const link = page
      .getByTestId('cell-nav')
      .getByRole('link', { name: /What-if/ })
      .first();
    let presses = 0;
    while (presses < 30) {
      await page.keyboard.press('Tab');
      presses++;
      if (await link.evaluate((el) => el === document.activeElement)) break;
    }
    expect(presses).toBeLessThan(30);
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.closest('section')?.dataset.kind);
    expect(focused).toBe('whatif');
    console.log(`Tab presses to the what-if link: ${presses}`);
  });
});
