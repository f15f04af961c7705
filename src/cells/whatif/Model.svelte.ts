// What-if cell: slider values -> the simulator's deterministic outputs (synchronous, < 1 ms, so every number
// updates in the same frame as the slider), plus a seeded Monte Carlo in the worker for intervals, started at
// once on every input (a run takes a few ms; a superseded run finishes and is dropped, see latestRunner.ts).
// The two charts with Monte Carlo bands wait for the run of the current inputs, so an input draws them once.
// Input -> outputs latency is recorded as User Timing measures (latency.ts; bench/latency.ts prints them).
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
import type { PlotSpec } from '../../lib/charts/types.ts';
import { findScenario, LIBRARY } from '../../lib/notebook/scenarios.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';
import type { Currency } from '../../lib/i18n/format.ts';
import { LatencyProbe, WHATIF_MC_MEASURE } from './latency.ts';
import { LatestRunner } from './latestRunner.ts';

const SYMBOL: Record<Currency, string> = { USD: '$', CNY: '¥', EUR: '€', BRL: 'R$' };

interface McInput {
  inputs: WhatIfInputs;
  seed: number;
}
/** The charts of the cell, by name (the latency probe waits for all of them). */
export type WhatIfChart = 'cash' | 'alive' | 'cake' | 'threeWays';
const CHARTS: readonly WhatIfChart[] = ['cash', 'alive', 'cake', 'threeWays'];

/** Which inputs each Monte Carlo result was computed for (results are plain objects from the worker). */
const mcInputs = new WeakMap<MonteCarloResult, WhatIfInputs>();
/**
 * One run at a time (the other worker and core stay free for fits and the main thread); an input arriving
 * during a run waits for it (a few ms) and only the newest waiting input runs next. A superseded run is not
 * cancelled (that would terminate and respawn a worker, whose first run is cold) unless it passes 1.5 s.
 */
const runner = new LatestRunner<McInput, MonteCarloResult>(
  async ({ inputs, seed }, ctx) => {
    const start = performance.now();
    const r = await simulate(inputs, { seed }, ctx);
    performance.measure(WHATIF_MC_MEASURE, { start, end: performance.now() });
    mcInputs.set(r, inputs);
    return r;
  },
  1,
  1500,
);

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
      (input, ctx) => runner.run(input, ctx),
    );
    // User effects run after the DOM has been updated for the current inputs / Monte Carlo result.
    $effect(() => {
      this.#shownInputs = this.inputs;
      this.#shownMc = this.mc;
      void this.cell.out.error;
      void this.cell.out.cancelled;
      this.probe.check();
    });
  }

  #shownInputs: WhatIfInputs | null = null;
  #shownMc: MonteCarloResult | undefined;
  #drawn: Partial<Record<WhatIfChart, PlotSpec>> = {};
  /** Input -> outputs latency (src/cells/whatif/latency.ts): true when every output shows the current inputs. */
  readonly probe = new LatencyProbe(
    () => {
      const inputs = this.inputs;
      if (this.#shownInputs !== inputs) return false;
      const mc = this.#shownMc;
      // The run for these inputs is shown, or none is coming (error / cancelled: nothing more will change).
      const mcDone = (mc !== undefined && mcInputs.get(mc) === inputs) || this.#noRunComing();
      return mcDone && CHARTS.every((c) => this.#drawn[c] === this[c]);
    },
    () => this.#shownInputs === this.inputs,
  );
  /** A chart of the cell is on screen, unchanged, or off screen and deferred (Plot's `ondraw`). */
  drawn(name: WhatIfChart, spec: PlotSpec): void {
    this.#drawn[name] = spec;
    this.probe.check();
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
  /** The Monte Carlo result on hand was computed for the current inputs. */
  mcCurrent = $derived.by(() => {
    const mc = this.mc;
    return mc !== undefined && mcInputs.get(mc) === this.inputs;
  });
  /**
   * Charts with Monte Carlo bands keep their picture until the run for the current inputs arrives (every
   * inputs change starts one), unless it failed or was cancelled. Not keyed on `pending`: a Plot's effect may
   * run before the effect that starts the run, and would draw the stale bands once more.
   */
  holdMcCharts = $derived(!this.mcCurrent && !this.#noRunComing());
  #noRunComing(): boolean {
    return this.cell.out.error !== null || this.cell.out.cancelled;
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
