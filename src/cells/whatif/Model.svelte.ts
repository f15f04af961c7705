// What-if cell: slider values -> the simulator's deterministic outputs (synchronous, < 1 ms, so every number
// updates in the same frame as the slider), plus a debounced seeded Monte Carlo in the worker for intervals.
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { simulate } from '../../lib/notebook/engine.ts';
import { computeWhatIf } from '../../lib/sim/unitEconomics.ts';
import { DEFAULT_INPUTS, type WhatIfInputs } from '../../lib/sim/inputs.ts';
import { whatIfInputs } from '../../lib/notebook/whatifInputs.ts';
import type { MonteCarloResult } from '../../lib/sim/monteCarlo.ts';
import {
  aliveChart,
  clvThreeWaysChart,
  cumulativeCashChart,
  fanChart,
  layerCake,
  SIM_LABELS_EN,
  SIM_LABELS_ZH,
} from '../../lib/charts/simCharts.ts';
import { findScenario, LIBRARY } from '../../lib/notebook/scenarios.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';
import type { Currency } from '../../lib/i18n/format.ts';

const SYMBOL: Record<Currency, string> = { USD: '$', CNY: '¥', EUR: '€', BRL: 'R$' };
/** Wait before starting a Monte Carlo run, so a slider drag does not respawn the worker on every step. */
const MC_DEBOUNCE_MS = 200;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });
}

export class WhatIfModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  showAdvanced = $state(false);

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => ({ inputs: this.inputs, seed: nb.seed }),
      async ({ inputs, seed }, ctx) => {
        await sleep(MC_DEBOUNCE_MS, ctx.signal);
        return simulate(inputs, { seed }, ctx);
      },
    );
  }

  inputs = $derived.by((): WhatIfInputs => whatIfInputs(this.cell.params));
  scenario = $derived.by(() => findScenario(String(this.cell.params.scenario ?? '')));
  /** The sliders' baseline marks: the scenario's baseline, or the simulator defaults. */
  baseline = $derived<WhatIfInputs>(this.scenario?.baseline ?? { ...DEFAULT_INPUTS });
  currency = $derived<Currency>(this.scenario?.currency ?? 'USD');
  symbol = $derived(SYMBOL[this.currency]);
  result = $derived(computeWhatIf(this.inputs));
  get mc(): MonteCarloResult | undefined {
    return this.cell.out.value as MonteCarloResult | undefined;
  }
  library = LIBRARY;

  periodName = $derived(
    i18n.t(
      this.inputs.periodMonths === 12
        ? 'whatif.perYearShort'
        : this.inputs.periodMonths === 3
          ? 'whatif.perQuarter'
          : 'whatif.perMonth',
    ),
  );

  /** Chart labels of the simulator's chart builders, in the UI language. */
  labels = $derived(i18n.lang === 'zh' ? SIM_LABELS_ZH : SIM_LABELS_EN);
  cash = $derived.by(() => {
    const mc = this.mc;
    return mc && mc.cumulativeCashPerCustomer
      ? fanChart(mc, this.result, this.currency, this.labels)
      : cumulativeCashChart(this.result, this.currency, this.labels);
  });
  alive = $derived(aliveChart(this.result, this.mc ?? null, this.labels));
  cake = $derived(layerCake(this.result, this.currency, this.labels));
  threeWays = $derived(clvThreeWaysChart(this.result, this.currency, this.labels));

  set(key: string, value: number): void {
    this.nb.setParam(this.cell.id, key, value);
  }
  reset(): void {
    this.nb.setParams(this.cell.id, { ...this.baseline });
  }
  loadScenario(id: string): void {
    const s = findScenario(id);
    this.nb.setParams(
      this.cell.id,
      s ? { ...s.baseline, scenario: id } : { ...DEFAULT_INPUTS, scenario: '' },
    );
  }
}
