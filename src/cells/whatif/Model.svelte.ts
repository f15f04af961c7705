// What-if cell: slider values -> the simulator's deterministic outputs (synchronous, < 1 ms, so every number
// updates in the same frame as the slider), plus a seeded Monte Carlo in the worker for intervals, started at
// once on every input (a run takes a few ms; a superseded run finishes and is dropped, see latestRunner.ts).
// Results are kept by (seed, inputs), and the likely next slider step is computed ahead (prefetch.ts).
// The two charts with Monte Carlo bands wait for the run of the current inputs, so an input draws them once.
// Input -> outputs latency is recorded as User Timing measures (latency.ts; bench/latency.ts prints them).
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { freeEngineWorkers, simulate } from '../../lib/notebook/engine.ts';
import { computeWhatIf } from '../../lib/sim/unitEconomics.ts';
import { DEFAULT_INPUTS, type WhatIfInputs } from '../../lib/sim/inputs.ts';
import { FITTED_LEVERS } from '../../lib/sim/baseline.ts';
import { LEVER_SHORT } from '../../lib/sim/variants.ts';
import { cleanTypedLevers } from '../../lib/notebook/kinds.ts';
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
import { WhatIfView } from './view.svelte.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';
import { CURRENCY_SYMBOL, type Currency } from '../../lib/i18n/format.ts';
import { LatencyProbe, WHATIF_MC_MEASURE } from './latency.ts';
import { LatestRunner } from './latestRunner.ts';
import { McCache, mcKey } from './prefetch.ts';
import { LEVER_UI, leverMove, stepInputs } from './levers.ts';

interface McInput {
  inputs: WhatIfInputs;
  seed: number;
  /** The sliders' baseline marks (they set the slider maxima, which the next-step guesses follow). */
  baseline: WhatIfInputs;
}
/** The charts of the cell, by name (the latency probe waits for all of them). */
export type WhatIfChart = 'cash' | 'alive' | 'cake' | 'threeWays';
const CHARTS: readonly WhatIfChart[] = ['cash', 'alive', 'cake', 'threeWays'];

/** Which inputs each Monte Carlo result was computed for (results are plain objects from the worker). */
/**
 * The run each Monte Carlo result belongs to, as mcKey(inputs, seed). Compared by value: a cached result can be
 * shown by two cells with the same inputs (a duplicated what-if cell), and must count as current for both.
 */
const mcRunKey = new WeakMap<MonteCarloResult, string>();
/** Results by (seed, inputs), and speculative runs for the next slider step (prefetch.ts). */
const cache = new McCache(
  (inputs, seed) =>
    simulate(inputs, { seed }, { signal: new AbortController().signal, onProgress: () => {} }),
  () => freeEngineWorkers() >= 2,
);
/** The inputs of the previous run (the move from them to the next inputs is the guess for the move after). */
let previous: WhatIfInputs | null = null;
/**
 * Guesses for the next inputs after a move from `prev` to `inputs`: the same move again, one slider step
 * the same way (if different), one step back.
 */
function guesses(prev: WhatIfInputs | null, inputs: WhatIfInputs, baseline: WhatIfInputs): WhatIfInputs[] {
  const move = prev && leverMove(prev, inputs);
  if (!move) return [];
  const step = LEVER_UI.find((l) => l.key === move.key)!.step;
  const dir = Math.sign(move.delta);
  const out: WhatIfInputs[] = [];
  // A mouse drag moves by uneven amounts (16, 17, 16, ... steps): the same move ± one step come next.
  for (const d of [move.delta, dir * step, move.delta + step, move.delta - step, -dir * step]) {
    const next = stepInputs(inputs, baseline, move.key, d);
    if (next && !out.some((o) => mcKey(o, 0) === mcKey(next, 0))) out.push(next);
  }
  return out;
}
/**
 * One run at a time (the other worker and core stay free for fits and the main thread); an input arriving
 * during a run waits for it (a few ms) and only the newest waiting input runs next. A superseded run is not
 * cancelled (that would terminate and respawn a worker, whose first run is cold) unless it passes 1.5 s.
 */
const runner = new LatestRunner<McInput, MonteCarloResult>(
  async ({ inputs, seed, baseline }, ctx) => {
    const start = performance.now();
    const known = cache.get(inputs, seed);
    const r = (known && (await known.catch(() => undefined))) || (await simulate(inputs, { seed }, ctx));
    performance.measure(WHATIF_MC_MEASURE, {
      start,
      end: performance.now(),
      detail: { cached: known !== undefined },
    });
    mcRunKey.set(r, mcKey(inputs, seed));
    cache.put(inputs, seed, r);
    cache.speculate(guesses(previous, inputs, baseline), seed);
    previous = inputs;
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
    this.view = new WhatIfView(() => cell, nb);
    bindCompute(
      cell.out,
      () => ({ inputs: this.inputs, seed: nb.seed, baseline: this.baseline }),
      // One lane per cell: a run of another what-if cell never supersedes this one (learn mode starts four).
      (input, ctx) => runner.run(input, ctx, cell.id),
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
      const mcDone = this.#isCurrent(mc, inputs) || this.#noRunComing();
      return mcDone && CHARTS.every((c) => this.#drawn[c] === this[c]);
    },
    () => this.#shownInputs === this.inputs,
  );
  /** A chart of the cell is on screen, unchanged, or off screen and deferred (Plot's `ondraw`). */
  drawn(name: WhatIfChart, spec: PlotSpec): void {
    this.#drawn[name] = spec;
    this.probe.check();
  }

  /** Scenario, fitted baseline, inputs in effect and currency (shared with the compare and sensitivity cells). */
  readonly view: WhatIfView;
  inputs = $derived.by((): WhatIfInputs => this.view.inputs ?? { ...DEFAULT_INPUTS });
  scenario = $derived.by(() => this.view.scenario);
  /** The notebook's fitted baseline (null with a library scenario). */
  fitted = $derived.by(() => this.view.fitted);
  /** The sliders' baseline marks: the scenario's baseline, else the fitted baseline, else the simulator defaults. */
  baseline = $derived.by((): WhatIfInputs => this.view.baseline);
  currency = $derived.by((): Currency => this.view.currency);
  symbol = $derived(CURRENCY_SYMBOL[this.currency] ?? this.currency);
  result = $derived(computeWhatIf(this.inputs));
  get mc(): MonteCarloResult | undefined {
    return this.cell.out.value as MonteCarloResult | undefined;
  }
  /** The Monte Carlo result on hand was computed for the current inputs. */
  mcCurrent = $derived.by(() => {
    const mc = this.mc;
    return this.#isCurrent(mc, this.inputs);
  });
  /**
   * Charts with Monte Carlo bands keep their picture until the run for the current inputs arrives (every
   * inputs change starts one), unless it failed or was cancelled. Not keyed on `pending`: a Plot's effect may
   * run before the effect that starts the run, and would draw the stale bands once more.
   */
  holdMcCharts = $derived(!this.mcCurrent && !this.#noRunComing());
  /** `mc` is the run of `inputs` with the notebook's seed. */
  #isCurrent(mc: MonteCarloResult | undefined, inputs: WhatIfInputs): boolean {
    return mc !== undefined && mcRunKey.get(mc) === mcKey(inputs, this.nb.seed);
  }
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

  /**
   * Sets a lever. A lever the fits can set, moved for the first time, is also marked as set by hand, in the same
   * undo step (setParam's checkpoint is taken before both edits), so a drag stays one undo step. It is marked
   * also while the fits are still running: a value typed before they finish is not replaced when they do.
   */
  set(key: keyof WhatIfInputs, value: number): void {
    const fittable = (FITTED_LEVERS as readonly string[]).includes(key);
    if (!fittable || this.view.typed.includes(key)) return this.nb.setParam(this.cell.id, key, value);
    const typed = cleanTypedLevers(String(this.cell.params.typed ?? '') + LEVER_SHORT[key]).text;
    if (this.cell.params[key] === value) return this.nb.setParams(this.cell.id, { typed });
    this.nb.setParam(this.cell.id, key, value);
    this.cell.params.typed = typed;
  }
  /** Back to the baseline: the scenario's, or the fitted one (every lever follows the fits again), or defaults. */
  reset(): void {
    this.nb.setParams(this.cell.id, { ...this.baseline, typed: '' });
  }
  loadScenario(id: string): void {
    const s = findScenario(id);
    this.nb.setParams(
      this.cell.id,
      s ? { ...s.baseline, scenario: id, typed: '' } : { ...DEFAULT_INPUTS, scenario: '', typed: '' },
    );
  }
}
