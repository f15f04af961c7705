// Every library scenario loads from the UI (select and `#scenario=<id>` link) and shows the simulator's numbers.
import { describe, expect, it } from 'vitest';
import { openApp, pageErrors } from './harness.ts';
import { LIBRARY } from '../../src/lib/notebook/scenarios.ts';
import { computeWhatIf } from '../../src/lib/sim/unitEconomics.ts';

const value = async (page: import('playwright-core').Page, id: string) =>
  Number(await page.getByTestId(id).first().getAttribute('data-value'));

describe('scenario library', () => {
  it('bundles at least the scenarios of the simulator issue, all valid', () => {
    expect(LIBRARY.length).toBeGreaterThanOrEqual(8);
    for (const e of LIBRARY) expect(e.errors, e.id).toEqual([]);
  });

  it('each scenario chosen in the what-if select shows its baseline CLV, LTV:CAC and payback', async () => {
    const page = await openApp();
    const select = page.getByTestId('scenario-select');
    await select.waitFor();
    for (const { id, scenario } of LIBRARY) {
      await select.selectOption(id);
      const det = computeWhatIf(scenario.baseline);
      expect(await value(page, 'metric-clv'), id).toBeCloseTo(det.clvModel, 6);
      expect(await value(page, 'metric-ltv-cac'), id).toBeCloseTo(det.ltvToCac ?? Infinity, 6);
      expect(await value(page, 'metric-payback-months'), id).toBeCloseTo(det.paybackMonths ?? Infinity, 6);
      // hand-derived checks stored with the scenario (e.g. textbook $750)
      if (scenario.expected.clvTextbook !== undefined)
        expect(await value(page, 'metric-clv-textbook'), id).toBeCloseTo(scenario.expected.clvTextbook, 6);
    }
    expect(pageErrors(page)).toEqual([]);
  });

  it('#scenario=<id> opens the demo notebook with that scenario; an unknown id is reported', async () => {
    const { id, scenario } = LIBRARY[0];
    const page = await openApp(`#scenario=${id}`);
    await page.getByTestId('metric-clv').waitFor();
    expect(await value(page, 'metric-clv')).toBeCloseTo(computeWhatIf(scenario.baseline).clvModel, 6);
    expect(await page.getByTestId('scenario-select').inputValue()).toBe(id);
    const bad = await openApp('#scenario=no-such-thing');
    await bad.getByTestId('link-problems').waitFor();
    expect(await bad.getByTestId('link-problems').textContent()).toContain('no-such-thing');
  });

  it('the intro note links the demo to the CDNOW-fitted scenario', async () => {
    const page = await openApp();
    await page.locator('[data-testid="note-rendered"] a[href="#scenario=cdnow-fitted"]').click();
    await expect.poll(() => page.getByTestId('scenario-select').inputValue()).toBe('cdnow-fitted');
    const sc = LIBRARY.find((e) => e.id === 'cdnow-fitted')!.scenario;
    expect(await value(page, 'metric-clv')).toBeCloseTo(computeWhatIf(sc.baseline).clvModel, 6);
    await page.getByTestId('undo-button').click();
    expect(await page.getByTestId('scenario-select').inputValue()).toBe('');
  });
});
