// What a person does with the notebook shell: move what-if sliders (keyboard and mouse), switch language,
// add/reorder/remove cells with undo/redo, reload, share and open links (valid, old, truncated, hostile).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, pageErrors } from './harness.ts';
import { computeWhatIf } from '../../src/lib/sim/unitEconomics.ts';
import { DEFAULT_INPUTS } from '../../src/lib/sim/inputs.ts';
import { encodeLegacyV1, encodeLink, toBase64Url } from '../../src/lib/scenario/codec.ts';
import { demoDoc, makeCell } from '../../src/lib/notebook/doc.ts';
import { deflateSync, strToU8 } from 'fflate';

const value = async (page: Page, testid: string): Promise<number> =>
  Number(await page.locator(`[data-testid="${testid}"]`).first().getAttribute('data-value'));
const DEMO = [
  'note',
  'data',
  'cohorts',
  'retention',
  'purchase',
  'spend',
  'forecast',
  'whatif',
  'compare',
  'sensitivity',
];
/**
 * The demo notebook with the what-if's fitted levers set by hand at the simulator defaults. Since issue 12 the
 * demo's what-if follows the fitted models (test/e2e/whatif-baseline.e2e.ts); these slider tests keep starting
 * from DEFAULT_INPUTS, whenever the fits finish.
 */
function typedDemo(): string {
  const doc = demoDoc();
  doc.cells.find((c) => c.kind === 'whatif')!.params.typed = 'rhfa';
  return '#s=' + encodeLink({ doc, lang: null, uploads: {} });
}
const kinds = (page: Page) =>
  page.locator('[data-testid="cell"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));

describe('what-if sliders', () => {
  it('arrow keys on slider-aov change metric-clv to the simulator value', async () => {
    const page = await openApp(typedDemo());
    const aov = page.getByTestId('slider-aov');
    await aov.waitFor();
    expect(await value(page, 'metric-clv')).toBeCloseTo(computeWhatIf(DEFAULT_INPUTS).clvModel, 6);
    await aov.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    expect(await aov.inputValue()).toBe('65');
    const expected = computeWhatIf({ ...DEFAULT_INPUTS, averageOrderValue: 65 });
    expect(await value(page, 'metric-clv')).toBeCloseTo(expected.clvModel, 6);
    expect(await value(page, 'metric-ltv-cac')).toBeCloseTo(expected.ltvToCac!, 6);
    await page.keyboard.press('PageUp'); // +10 steps
    expect(await aov.inputValue()).toBe('75');
    await page.keyboard.press('Home');
    expect(await aov.inputValue()).toBe('0');
    expect(pageErrors(page)).toEqual([]);
  });

  it('dragging slider-cac with the mouse changes metric-payback-months', async () => {
    const page = await openApp(typedDemo());
    const cac = page.getByTestId('slider-cac');
    await cac.scrollIntoViewIfNeeded();
    const before = await value(page, 'metric-payback-months');
    const box = (await cac.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const cacValue = Number(await cac.inputValue());
    expect(cacValue).toBeGreaterThan(300);
    const expected = computeWhatIf({ ...DEFAULT_INPUTS, acquisitionCost: cacValue }).paybackMonths;
    const after = await value(page, 'metric-payback-months');
    expect(after).not.toBe(before);
    expect(after).toBeCloseTo(expected ?? Infinity, 6);
  });

  it('typing in the number box sets retention (shown in %) and the textbook CLV follows', async () => {
    const page = await openApp(typedDemo());
    const box = page.getByTestId('slider-retention-input');
    await box.fill('95');
    await box.press('Enter');
    expect(await page.getByTestId('slider-retention').inputValue()).toBe('95');
    const expected = computeWhatIf({ ...DEFAULT_INPUTS, retentionPerPeriod: 0.95 });
    expect(await value(page, 'metric-clv-textbook')).toBeCloseTo(expected.clvTextbook, 6);
  });
});

describe('language', () => {
  it('a zh-CN browser opens in 简体中文; the toggle switches to English and is remembered after reload', async () => {
    const page = await openApp('', { locale: 'zh-CN' });
    await expect.poll(() => page.locator('h1').textContent()).toBe('CLV 工作台');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    const hashBefore = await page.evaluate(() => location.hash);
    await page.getByTestId('language-toggle').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('CLV Workbench');
    // The state is saved 150 ms after a change (URL and storage); a person does not reload faster than that.
    await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(hashBefore);
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('CLV Workbench');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  });
});

describe('cells', () => {
  it('add from the palette, reorder with the keyboard, undo and redo, survive a reload', async () => {
    const page = await openApp();
    await page.getByTestId('cell').first().waitFor();
    const start = await kinds(page);
    expect(start).toEqual(DEMO);
    await page.getByTestId('add-note').click();
    await expect.poll(async () => (await kinds(page)).length).toBe(start.length + 1);
    expect((await kinds(page)).at(-1)).toBe('note');
    // the new cell's handle has focus: move it up twice with the arrow keys
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const n = start.length;
    await expect.poll(() => kinds(page)).toEqual([...start.slice(0, n - 2), 'note', ...start.slice(n - 2)]);
    await page.getByTestId('undo-button').click();
    await page.getByTestId('undo-button').click();
    expect(await kinds(page)).toEqual([...start, 'note']);
    await page.getByTestId('redo-button').click();
    expect(await kinds(page)).toEqual([...start.slice(0, n - 1), 'note', ...start.slice(n - 1)]);
    // remove the first cell, then reload: the autosave restores exactly this order
    await page.getByTestId('cell-remove').first().click();
    const now = await kinds(page);
    expect(now[0]).toBe('data');
    await page.waitForTimeout(400); // autosave debounce
    await page.reload();
    await page.getByTestId('cell').first().waitFor();
    expect(await kinds(page)).toEqual(now);
  });

  it('drag and drop moves a cell', async () => {
    const page = await openApp();
    const handle = page.locator('[data-kind="whatif"] [data-testid="cell-drag-handle"]');
    await handle.dragTo(page.locator('[data-testid="cell"][data-kind="data"]'), {
      targetPosition: { x: 20, y: 5 },
    });
    const k = await kinds(page);
    expect(k.indexOf('whatif')).toBe(1);
  });

  it('slider moves are undoable as one step per drag', async () => {
    const page = await openApp(typedDemo());
    // After the start-up work (plotly's evaluation is a 0.6 s task): two presses must land < 800 ms apart.
    await page.locator('[data-testid="chart-forecast"] .main-svg').first().waitFor({ timeout: 60_000 });
    const aov = page.getByTestId('slider-aov');
    await aov.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await aov.inputValue()).toBe('62');
    await page.getByTestId('undo-button').click();
    expect(await aov.inputValue()).toBe('60');
  });

  it('a rename and a collapse show up and are kept', async () => {
    const page = await openApp();
    const cell = page.locator('[data-kind="whatif"]');
    await cell.locator('h2').dblclick();
    const input = cell.locator('input.title-input');
    await input.fill('Loyalty plan');
    await input.press('Enter');
    await expect.poll(() => cell.locator('h2').textContent()).toBe('Loyalty plan');
    await cell.getByTestId('cell-collapse').click();
    expect(await cell.getByTestId('slider-aov').isVisible()).toBe(false);
  });
});

describe('share links', () => {
  it('the share button puts a link in the URL that reopens the same slider values and language', async () => {
    const page = await openApp();
    const aov = page.getByTestId('slider-aov-input');
    await aov.fill('123');
    await aov.press('Enter');
    // Typed while the demo's fits may still run: the value is kept (marked as set by hand) when they land.
    await expect.poll(() => page.getByTestId('slider-aov').inputValue()).toBe('123');
    await page.getByTestId('language-toggle').click();
    await page.getByTestId('share-link-button').click();
    const url = await page.getByTestId('share-link-url').inputValue();
    expect(url).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const other = await openApp(new URL(url).hash); // fresh browser context: nothing saved
    await other.getByTestId('slider-aov').waitFor();
    expect(await other.getByTestId('slider-aov').inputValue()).toBe('123');
    expect(await other.locator('h1').textContent()).toBe('CLV 工作台');
    expect(await other.getByTestId('link-problems').count()).toBe(0);
  });

  it('an old-version (v1) link opens with its values', async () => {
    const link = encodeLegacyV1([{ kind: 'data' }, { kind: 'whatif', params: { averageOrderValue: 80 } }]);
    const page = await openApp('#s=' + link);
    await page.getByTestId('slider-aov').waitFor();
    expect(await kinds(page)).toEqual(['data', 'whatif']);
    expect(await page.getByTestId('slider-aov').inputValue()).toBe('80');
  });

  const bad: Array<[string, string]> = [
    [
      'truncated',
      '#s=' +
        encodeLink({
          doc: { ...demoDoc(), cells: [makeCell('whatif', { acquisitionCost: 300 })] },
          lang: null,
          uploads: {},
        }).slice(0, 12),
    ],
    ['garbage', '#s=%3Cscript%3Ealert(1)%3C/script%3E'],
    ['oversized', '#s=' + 'A'.repeat(70_000)],
    ['unknown version', '#s=' + toBase64Url(deflateSync(strToU8('{"v":99}')))],
  ];
  for (const [name, hash] of bad) {
    it(`a ${name} link opens the demo with a message and no page error`, async () => {
      const page = await openApp(hash);
      await page.getByTestId('link-problems').waitFor();
      expect(await kinds(page)).toEqual(DEMO);
      expect(pageErrors(page)).toEqual([]);
    });
  }

  it('a hostile link cannot run script: note HTML is sanitised, bad values are listed', async () => {
    const payload = {
      v: 2,
      c: [
        {
          k: 'n',
          p: {
            t: '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>[x](javascript:window.__xss=3) **ok**',
          },
        },
        { k: 'w', p: { a: '1e999', c: -1, __proto__: { polluted: 1 } } },
      ],
    };
    const page = await openApp('#s=' + toBase64Url(deflateSync(strToU8(JSON.stringify(payload)))));
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.getByTestId('note-rendered').locator('strong').waitFor();
    await page
      .locator('[data-testid="note-rendered"] a')
      .click()
      .catch(() => {});
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(
      await page
        .locator('[data-testid="note-rendered"] script, [data-testid="note-rendered"] [onerror]')
        .count(),
    ).toBe(0);
    expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
    expect(await page.getByTestId('slider-cac').inputValue()).toBe('0');
    expect(await page.getByTestId('link-problems').textContent()).toMatch(
      /averageOrderValue|not a finite number/,
    );
    expect(dialogs).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  });
});

describe('files and learn mode', () => {
  it('Save writes a .clv.json that Open reads back; a broken file is reported, not thrown', async () => {
    const page = await openApp();
    const aov = page.getByTestId('slider-aov-input');
    await aov.fill('77');
    await aov.press('Enter');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('save-button').click(),
    ]);
    expect(download.suggestedFilename()).toBe('notebook.clv.json');
    const text = await (
      await download.createReadStream()
    )
      .toArray()
      .then((c) => Buffer.concat(c).toString('utf8'));
    await aov.fill('10');
    await aov.press('Enter');
    const open = async (name: string, body: string) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByTestId('open-button').click(),
      ]);
      await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
    };
    await open('n.clv.json', text);
    await expect.poll(() => page.getByTestId('slider-aov').inputValue()).toBe('77');
    await open('bad.clv.json', '{"v":1,"cells":[{"kind":"nope"}]');
    await page.getByTestId('link-problems').waitFor();
    expect(await page.getByTestId('link-problems').textContent()).toMatch(/not valid JSON/);
    expect(pageErrors(page)).toEqual([]);
  });

  it('learn mode reads in Chinese with formulas, a live widget and hidden answers', async () => {
    const page = await openApp('', { locale: 'zh-CN' });
    await page.getByTestId('learn-button').click();
    const first = page.locator('[data-testid="cell"][data-kind="note"]').first();
    await first.locator('.katex').first().waitFor();
    expect(await first.getByTestId('note-rendered').locator('h2').textContent()).toContain('教科书公式');
    expect(await first.locator('details').count()).toBe(1);
    expect(await first.locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    // the textbook widget: $50 × 3 purchases a year × 5-year lifetime = $750
    expect(
      Number(await page.getByTestId('metric-clv-textbook').first().getAttribute('data-value')),
    ).toBeCloseTo(750, 9);
    expect(await page.locator('.katex-error').count()).toBe(0);
  });
});
