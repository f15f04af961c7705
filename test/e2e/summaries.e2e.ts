// Ready-made summaries in the browser: the donations BG/BB demo fits BG/BB (Fader, Hardie & Shang 2010) and
// the purchase cell explains discrete opportunities; an uploaded RFM CSV is detected from its header and fits
// BG/NBD; a bad cell in a summary file is reported with line:column. SUMMARY_SHOTS=dir saves cell PNGs.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, pageErrors } from './harness.ts';

const shots = process.env.SUMMARY_SHOTS;
// SUMMARY_WIDTH=390 looks at the phone layout.
const width = Number(process.env.SUMMARY_WIDTH ?? 1280);
async function shoot(page: Page, name: string, kinds: string[]): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(800);
  for (const kind of kinds) {
    const cell = page.locator(`[data-testid="cell"][data-kind="${kind}"]`).first();
    await cell.scrollIntoViewIfNeeded();
    await cell.screenshot({ path: `${shots}/${name}-${kind}.png` });
  }
}

const paramNames = (page: Page) => page.getByTestId('purchase-params').locator('code').allTextContents();
const paramValue = async (page: Page, row: number) =>
  Number(
    await page
      .getByTestId('purchase-params')
      .locator('tbody tr')
      .nth(row)
      .locator('td[data-value]')
      .getAttribute('data-value'),
  );

describe('ready-made summaries', () => {
  it('donations demo => BG/BB parameters of Fader, Hardie & Shang (2010) and the discrete-opportunity note', async () => {
    const page = await openApp('', { width });
    await page.getByTestId('purchase-params').waitFor({ timeout: 60_000 });
    await page.getByTestId('data-source').selectOption('donations');
    await expect
      .poll(() => page.getByTestId('metric-customers').getAttribute('data-value'), { timeout: 30_000 })
      .toBe('11104');
    await expect
      .poll(() => paramNames(page), { timeout: 60_000 })
      .toEqual(['alpha', 'beta', 'gamma', 'delta']);
    // FHS 2010 section 4: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783 (3 dp printed).
    expect(await paramValue(page, 0)).toBeCloseTo(1.204, 2);
    expect(await paramValue(page, 1)).toBeCloseTo(0.75, 2);
    expect(await paramValue(page, 2)).toBeCloseTo(0.657, 2);
    expect(await paramValue(page, 3)).toBeCloseTo(2.783, 2);
    expect(await page.getByTestId('purchase-model').inputValue()).toBe('bgbb');
    expect(await page.getByTestId('bgbb-explain').textContent()).toContain('discrete opportunities');
    expect(await page.getByTestId('purchase-notes').textContent()).toContain('No tracking plot');
    await page.locator('[data-testid="chart-palive"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    await page
      .locator('[data-testid="chart-frequency-fit"][data-rendered="true"]')
      .waitFor({ timeout: 30_000 });
    // The forecast needs no spend model for BG/BB: discounted expected transactions per donor.
    await expect
      .poll(async () => Number(await page.getByTestId('metric-total-clv').getAttribute('data-value')), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('spend-not-applicable').count()).toBe(1);
    await shoot(page, 'donations', ['data', 'purchase', 'spend', 'forecast']);
    expect(pageErrors(page)).toEqual([]);
  });

  it('CDNOW RFM demo => BG/NBD of Fader, Hardie & Lee (2005), holdout scorecard, no tracking plot, a forecast', async () => {
    const page = await openApp('', { locale: 'zh-CN' });
    await page.getByTestId('purchase-params').waitFor({ timeout: 60_000 });
    await page.getByTestId('data-source').selectOption('cdnow-rfm');
    await expect
      .poll(() => page.getByTestId('metric-repeaters').getAttribute('data-value'), { timeout: 30_000 })
      .toBe('946');
    // The transaction fit gives the same parameters, so wait for the RFM result itself: no tracking plot.
    await expect.poll(() => page.getByTestId('chart-tracking').count(), { timeout: 60_000 }).toBe(0);
    expect(await page.getByTestId('purchase-notes').textContent()).toContain('没有跟踪图');
    // FHL 2005 Table 2: r 0.243, alpha 4.414 (weeks).
    expect(await paramValue(page, 0)).toBeCloseTo(0.243, 3);
    expect(await paramValue(page, 1)).toBeCloseTo(4.414, 2);
    expect(await page.getByTestId('purchase-scorecard').count()).toBe(1);
    await page.locator('[data-testid="chart-forecast"][data-rendered="true"]').waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId('metric-total-clv').getAttribute('data-value'))).toBeGreaterThan(0);
    await shoot(page, 'cdnow-rfm-zh', ['data', 'purchase']);
    expect(pageErrors(page)).toEqual([]);
  });

  it('an uploaded RFM CSV is read as an RFM summary and fits BG/NBD', async () => {
    const page = await openApp();
    await page.getByTestId('purchase-params').waitFor({ timeout: 60_000 });
    // Eight customers, lifetimes' columns (weeks); line 5 has a bad recency (recency > T).
    const csv = [
      'customer_id,frequency,recency,T,monetary_value',
      'a,2,30.43,38.86,22.35',
      'b,1,1.71,38.86,11.77',
      'c,0,0,38.86,0',
      'd,0,0,38.86,0',
      'e,7,29.43,38.86,73.74',
      'f,1,5,38.86,11.77',
      'g,0,0,38.86,0',
      'h,2,50,38.86,20',
      'i,3,30,31,15',
    ].join('\n');
    await page
      .getByTestId('data-upload')
      .setInputFiles({ name: 'rfm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect
      .poll(() => page.getByTestId('metric-customers').getAttribute('data-value'), { timeout: 30_000 })
      .toBe('8');
    expect(await page.getByTestId('data-kind').inputValue()).toBe('auto');
    expect(await page.getByTestId('import-kind').textContent()).toContain('RFM');
    expect(await page.getByTestId('import-problems').textContent()).toContain('9:5');
    await expect.poll(() => paramNames(page), { timeout: 60_000 }).toEqual(['r', 'alpha', 'a', 'b']);
    expect(await page.getByTestId('purchase-notes').textContent()).toContain('No tracking plot');
    await shoot(page, 'rfm-upload', ['data', 'purchase']);
    expect(pageErrors(page)).toEqual([]);
  });

  it('pasted BG/BB text with a bad cell lists it with line:column', async () => {
    const page = await openApp();
    await page.getByTestId('purchase-params').waitFor({ timeout: 60_000 });
    await page.locator('details.paste summary').click();
    await page
      .getByTestId('data-paste')
      .fill('frequency,recency,periods,weights\n0,0,6,300\n1,1,6,100\n3,5,6,abc\n6,6,6,60\n2,6,6,90\n');
    await page.getByTestId('data-paste-load').click();
    await expect
      .poll(() => page.getByTestId('metric-customers').getAttribute('data-value'), { timeout: 30_000 })
      .toBe('550');
    expect(await page.getByTestId('import-problems').textContent()).toContain('4:7');
    await expect
      .poll(() => paramNames(page), { timeout: 60_000 })
      .toEqual(['alpha', 'beta', 'gamma', 'delta']);
  });
});
