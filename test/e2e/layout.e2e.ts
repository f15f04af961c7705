// A phone (390 px wide): every chart readable — the cohort heatmap keeps its width (colour bar below), the
// chart toolbar never covers a title, legends never cover a plot — and a table wider than its cell says it scrolls.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, pageErrors } from './harness.ts';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface ChartBoxes {
  id: string;
  plot: Box | null;
  modebar: Box | null;
  title: Box | null;
  legend: Box | null;
  colorbar: Box | null;
  frame: Box;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Waits until every chart with a figure is drawn, then reads the boxes of its parts. */
async function chartBoxes(page: Page): Promise<ChartBoxes[]> {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('figure.plot[data-rendered="true"]').length >= 10 &&
      [...document.querySelectorAll('figure.plot')].every(
        (f) => f.getAttribute('data-rendered') === 'true' || !f.querySelector('figcaption'),
      ),
    undefined,
    { timeout: 90_000 },
  );
  return page.evaluate(() => {
    const box = (f: Element, sel: string) => {
      const e = f.querySelector(sel);
      if (!e) return null;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    };
    return [...document.querySelectorAll('figure.plot[data-rendered="true"]')].map((f) => ({
      id: f.getAttribute('data-testid') ?? '',
      plot: box(f, '.nsewdrag'),
      modebar: box(f, '.modebar'),
      title: box(f, '.gtitle'),
      legend: box(f, '.legend'),
      colorbar: box(f, '.colorbar'),
      frame: box(f, '.frame')!,
    }));
  });
}

describe('phone layout (390 px)', () => {
  it.each(['en-US', 'zh-CN'])(
    '%s: the heatmap plot is wider than 250 px, no toolbar covers a title, no legend or colour bar covers a plot',
    async (locale) => {
      const page = await openApp('', { width: 390, height: 844, locale });
      const charts = await chartBoxes(page);
      const heat = charts.find((c) => c.id === 'chart-cohort-heatmap')!;
      console.log(`${locale}: heatmap plot area at 390 px: ${Math.round(heat.plot!.width)} px wide`);
      expect(heat.plot!.width).toBeGreaterThan(250);
      for (const c of charts) {
        expect(c.title, `${c.id} has a title`).not.toBeNull();
        if (c.modebar) expect(overlaps(c.modebar, c.title!), `${c.id}: toolbar over the title`).toBe(false);
        // the title stays inside the chart's frame (not cut at its top)
        expect(c.title!.y, `${c.id}: title cut at the top`).toBeGreaterThanOrEqual(c.frame.y - 1);
        if (c.plot && c.legend)
          expect(overlaps(c.legend, c.plot), `${c.id}: legend over the plot`).toBe(false);
        if (c.plot && c.colorbar)
          expect(overlaps(c.colorbar, c.plot), `${c.id}: colour bar over the plot`).toBe(false);
        // nothing sticks out of the frame on the right (the page would scroll sideways)
        expect(c.frame.x + c.frame.width).toBeLessThanOrEqual(390);
      }
      expect(pageErrors(page)).toEqual([]);
    },
  );

  it('the comparison table scrolls sideways and says so', async () => {
    const page = await openApp('', { width: 390, height: 844 });
    const table = page.getByTestId('comparison-table');
    await table.waitFor({ timeout: 90_000 });
    const scroll = page.getByTestId('comparison-scroll');
    await expect.poll(() => scroll.getAttribute('data-overflow'), { timeout: 10_000 }).toBe('true');
    const hint = page.locator('[data-kind="compare"]').getByTestId('scroll-hint');
    expect(await hint.isVisible()).toBe(true);
    // scrolled to the end, the hint points back only
    await scroll.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await expect.poll(() => hint.textContent(), { timeout: 5_000 }).toMatch(/^←/);
    expect((await hint.textContent())!.includes('→')).toBe(false);
  });
});

describe('laptop layout (1366 px)', () => {
  it('a comparison table wider than its cell shows the hint; one that fits shows none', async () => {
    const page = await openApp('', { width: 1366, height: 900 });
    await page.getByTestId('comparison-table').waitFor({ timeout: 90_000 });
    const scroll = page.getByTestId('comparison-scroll');
    // the table may still be growing (rows, fonts): the container's flag must follow what the box measures
    const state = () =>
      scroll.evaluate((el) => [
        el.scrollWidth > el.clientWidth + 1,
        el.getAttribute('data-overflow') === 'true',
      ]);
    // Measured, flagged and hinted together (the fits may land meanwhile and change the table's width).
    const hints = () => page.locator('[data-kind="compare"]').getByTestId('scroll-hint').count();
    const agree = async () => {
      const [overflow, flagged] = await state();
      return overflow === flagged && (await hints()) === (overflow ? 1 : 0);
    };
    await expect.poll(agree, { timeout: 10_000 }).toBe(true);
    const [overflow] = await state();
    console.log(`comparison table at 1366 px: ${overflow ? 'wider than its cell' : 'fits'}`);
  });
});
