// A student through learn mode: each step's widget shows the number its text teaches, Reset returns to the
// step's values, nothing is cancelled on load, and revealed answers read as money (no "\$750").
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, pageErrors } from './harness.ts';
import { en } from '../../src/lib/i18n/en.ts';
import { zh } from '../../src/lib/i18n/zh.ts';

const widgets = (page: Page) => page.locator('[data-testid="cell"][data-kind="whatif"]');
const headline = (cell: Locator) => cell.getByTestId('lesson-headline').locator('[data-value]');
const num = async (l: Locator) => Number(await l.getAttribute('data-value'));

async function openLearn(locale = 'en-US'): Promise<Page> {
  const page = await openApp('', { locale });
  await page.getByTestId('learn-button').click();
  await page.locator('.katex').first().waitFor();
  return page;
}
/** Waits until step 7's Monte Carlo has returned (its CLV carries the P10–P90 interval). */
async function monteCarloDone(page: Page): Promise<void> {
  const step7 = widgets(page).nth(3);
  await expect
    .poll(() => step7.getByTestId('metric-clv').textContent(), { timeout: 30_000 })
    .toContain('P10–P90');
}

describe('learn mode, as a student', () => {
  it('step 1 teaches $750 and shows $750; 90% retention doubles it to $1,500; Reset returns to $750', async () => {
    const page = await openLearn();
    const step1 = widgets(page).first();
    const big = headline(step1);
    // $50 × 3 a year × 1/(1 − 0.8) = 5 years
    expect(await big.getAttribute('data-testid')).toBe('metric-clv-textbook');
    expect(await num(big)).toBeCloseTo(750, 9);
    expect(await big.locator('.value').textContent()).toBe('$750.00');
    // later metrics are not in step 1: no model CLV, LTV:CAC, payback or charts
    for (const id of ['metric-clv', 'metric-ltv-cac', 'metric-payback-months', 'chart-whatif-cash'])
      expect(await step1.getByTestId(id).count(), id).toBe(0);

    const retention = step1.getByTestId('slider-retention-input');
    await retention.fill('90');
    await retention.press('Enter');
    // lifetime 1/(1 − 0.9) = 10 years: $50 × 3 × 10
    await expect.poll(() => num(big)).toBeCloseTo(1500, 9);
    expect(await big.locator('.value').textContent()).toBe('$1,500.00');
    expect(await num(step1.getByTestId('metric-lifetime'))).toBeCloseTo(10, 9);

    await step1.getByTestId('whatif-reset').click();
    await expect.poll(() => num(big)).toBeCloseTo(750, 9);
    expect(await retention.inputValue()).toBe('80');
    expect(pageErrors(page)).toEqual([]);
  });

  it('steps 2, 3 and 7 show their taught numbers; no cell is cancelled or failed after load', async () => {
    const page = await openLearn();
    await monteCarloDone(page);
    const w = widgets(page);
    // step 2: 30% × $750; step 3: Σ_{t<5} 45·(0.8/1.1)^t = 131.43 (test/notebook/lessons.test.ts)
    expect(await num(headline(w.nth(1)))).toBeCloseTo(225, 9);
    expect(await num(headline(w.nth(2)))).toBeCloseTo(131.43, 2);
    expect(await w.nth(2).getByTestId('metric-clv').count()).toBe(0);
    // step 7: the full what-if at the lesson's inputs: payback 14.7 months, LTV:CAC 2.27
    expect(await num(w.nth(3).getByTestId('metric-payback-months'))).toBeCloseTo(14.73, 2);
    expect(await num(w.nth(3).getByTestId('metric-ltv-cac'))).toBeCloseTo(2.267, 3);
    const cancelled = en['progress.cancelled'].split('.')[0]; // 'Cancelled'
    expect(await page.getByText(cancelled).count()).toBe(0);
    expect(await page.getByTestId('cell-error').count()).toBe(0);
    // Reset in step 7 returns to its own inputs (CAC $80), not to a notebook-wide baseline
    const cac = w.nth(3).getByTestId('slider-cac-input');
    await cac.fill('60');
    await cac.press('Enter');
    await expect.poll(() => num(w.nth(3).getByTestId('metric-ltv-cac'))).toBeGreaterThan(3);
    await w.nth(3).getByTestId('whatif-reset').click();
    await expect.poll(() => cac.inputValue()).toBe('80');
    expect(pageErrors(page)).toEqual([]);
  });

  it('revealed answers read as money in both languages (no literal backslashes)', async () => {
    for (const [locale, dict] of [
      ['en-US', en],
      ['zh-CN', zh],
    ] as const) {
      const page = await openLearn(locale);
      await monteCarloDone(page);
      expect(await page.getByText(dict['progress.cancelled'].split(/[.。]/)[0]).count()).toBe(0);
      const answers = page.locator('[data-testid="note-rendered"] details');
      expect(await answers.count()).toBe(3);
      for (const d of await answers.all()) {
        await d.locator('summary').click();
        const text = await d.innerText();
        expect(text, locale).not.toContain('\\');
        expect(text.length).toBeGreaterThan(40);
      }
      if (locale === 'en-US') expect(await answers.first().innerText()).toContain('$750 becomes');
      expect(await page.locator('.katex-error').count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    }
  });
});
