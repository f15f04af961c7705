// What a what-if cell stands for, read by the what-if itself and by the compare and sensitivity cells below it:
// its scenario, the notebook's fitted baseline (from the data, purchase, spend and retention cells above it),
// the inputs in effect and the currency. Fitted values are taken only from results of the dataset the data cell
// holds now: a cell that is pending, failed or cancelled (whose old value may belong to other data) is listed in
// `blocked` and contributes nothing.
import { lessonBaseline } from '../../lib/notebook/lessons.ts';
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import type { CellKind } from '../../lib/notebook/kinds.ts';
import type { Dataset, PurchaseResult, RetentionResult, SpendResult } from '../../lib/notebook/engine.ts';
import { whatIfInputs } from '../../lib/notebook/whatifInputs.ts';
import { findScenario } from '../../lib/notebook/scenarios.ts';
import { DEFAULT_INPUTS, type WhatIfInputs } from '../../lib/sim/inputs.ts';
import {
  baselineFromModels,
  FITTED_LEVERS,
  type ModelBaseline,
  type ModelFits,
  type PurchaseFit,
  type RetentionFit,
} from '../../lib/sim/baseline.ts';
import { LEVER_SHORT } from '../../lib/sim/variants.ts';
import type { Currency } from '../../lib/i18n/format.ts';
import type { BgBbParams, BgNbdParams, ParetoNbdParams } from '../../lib/models/types.ts';

/** A model cell above whose result cannot be used now, and why. */
export interface Blocked {
  kind: CellKind;
  state: 'pending' | 'failed' | 'cancelled';
  message?: string;
}

/** The notebook's fitted baseline as seen from one what-if cell. */
export interface NotebookBaseline {
  /** Name of the dataset the fits come from (null: no data cell above, or it has no data yet). */
  dataset: string | null;
  currency: Currency | null;
  /** Model names the inputs came from, e.g. ['BG/NBD', 'Gamma-Gamma']. */
  models: string[];
  baseline: ModelBaseline | null;
  blocked: Blocked[];
}

const UNITS_PER_YEAR: Record<Dataset['timeUnit'], number> = {
  days: 365.25,
  weeks: 365.25 / 7,
  months: 12,
};
const SHOWN_DECIMALS: Record<(typeof FITTED_LEVERS)[number], number> = {
  averageOrderValue: 2,
  purchasesPerYear: 2,
  retentionPerPeriod: 4,
  retentionHeterogeneity: 3,
};
const MONTHS_PER: Record<string, number> = { months: 1, quarters: 3, years: 12 };
const MODEL_NAMES: Record<string, string> = {
  bgnbd: 'BG/NBD',
  pnbd: 'Pareto/NBD',
  mbgnbd: 'MBG/NBD',
  bgbb: 'BG/BB',
  sbg: 'sBG',
  bdw: 'BdW',
  gg: 'Gamma-Gamma',
};

/** The result of `cell` if it is settled (not pending, failed or cancelled); otherwise records why not. */
function settled<T>(cell: Cell, blocked: Blocked[]): T | undefined {
  const out = cell.out;
  if (out.pending) blocked.push({ kind: cell.kind, state: 'pending' });
  else if (out.error !== null) blocked.push({ kind: cell.kind, state: 'failed', message: out.error });
  else if (out.cancelled) blocked.push({ kind: cell.kind, state: 'cancelled' });
  // Waiting for its own inputs (e.g. the data above is loading): its old value is not for this data.
  else if (out.stale) blocked.push({ kind: cell.kind, state: 'pending' });
  else return out.current as T | undefined;
  return undefined;
}

function purchaseFit(r: PurchaseResult, data: Dataset): PurchaseFit | undefined {
  const m = r.report.model;
  const params = r.report.params;
  if (m === 'bgbb') {
    const opp = data.payload.kind === 'bgbb' ? data.payload.opportunitiesPerYear : 1;
    return { model: 'bgbb', params: params as unknown as BgBbParams, opportunitiesPerYear: opp };
  }
  const unitsPerYear = UNITS_PER_YEAR[data.timeUnit] ?? UNITS_PER_YEAR.weeks;
  if (m === 'pnbd') return { model: 'pnbd', params: params as unknown as ParetoNbdParams, unitsPerYear };
  if (m === 'bgnbd' || m === 'mbgnbd')
    return { model: m, params: params as unknown as BgNbdParams, unitsPerYear };
  return undefined;
}

function retentionFit(r: RetentionResult): RetentionFit | undefined {
  // Only counts from this notebook's data (not Fader & Hardie's Table 1 or a pasted table).
  if ((r.source ?? 'data') !== 'data') return undefined;
  const periodMonths = MONTHS_PER[r.unit ?? r.periodUnit] ?? 1;
  const p = r.report.params;
  if (r.report.model === 'sbg')
    return { model: 'sbg', params: { alpha: p.alpha, beta: p.beta }, periodMonths };
  if (r.report.model === 'bdw')
    return { model: 'bdw', params: { alpha: p.alpha, beta: p.beta, c: p.c }, periodMonths };
  return undefined;
}

/**
 * The fitted baseline for the what-if cell `id`, for a simulator period of `periodMonths`. Model cells count only
 * when they read the same data cell as the what-if (the nearest above it) and are settled.
 */
export function notebookBaseline(nb: Notebook, id: string, periodMonths: number): NotebookBaseline {
  const blocked: Blocked[] = [];
  const none: NotebookBaseline = { dataset: null, currency: null, models: [], baseline: null, blocked };
  const dataCell = nb.upstream(id, 'data');
  if (!dataCell) return none;
  const data = settled<Dataset>(dataCell, blocked);
  if (!data) return none;
  const above = (kind: CellKind): Cell | undefined => {
    const c = nb.upstream(id, kind);
    return c && nb.upstream(c.id, 'data') === dataCell ? c : undefined;
  };
  const fits: ModelFits = {};
  const models: string[] = [];
  const purchaseCell = data.kind === 'survival' ? undefined : above('purchase');
  const purchase = purchaseCell && settled<PurchaseResult>(purchaseCell, blocked);
  if (purchase) fits.purchase = purchaseFit(purchase, data);
  if (!purchaseCell) {
    const retentionCell = above('retention');
    const retention = retentionCell && settled<RetentionResult>(retentionCell, blocked);
    if (retention) fits.retention = retentionFit(retention);
  }
  const spendCell = data.kind === 'bgbb' ? undefined : above('spend');
  const spend = spendCell && settled<SpendResult>(spendCell, blocked);
  if (spend) {
    const { p, q, gamma } = spend.report.params;
    fits.spend = { p, q, gamma };
  }
  const baseline = baselineFromModels(fits, periodMonths);
  if (baseline.retentionFrom === 'purchase' && fits.purchase) models.push(MODEL_NAMES[fits.purchase.model]);
  if (baseline.retentionFrom === 'retention' && fits.retention)
    models.push(MODEL_NAMES[fits.retention.model]);
  if (baseline.inputs.averageOrderValue !== undefined) models.push(MODEL_NAMES.gg);
  return {
    dataset: data.name,
    currency: data.currency,
    models,
    baseline: Object.keys(baseline.inputs).length ? baseline : null,
    blocked,
  };
}

/** The fitted levers set by hand in a what-if cell (its `typed` param). */
export function typedLevers(cell: Cell): readonly string[] {
  const t = String(cell.params.typed ?? '');
  return FITTED_LEVERS.filter((k) => t.includes(LEVER_SHORT[k]));
}

/**
 * A what-if cell as the cells below it see it. `cell()` may be undefined (no what-if above a compare cell).
 * Rule: a library scenario's values are the scenario's; otherwise the fitted levers not set by hand follow the
 * notebook's fitted baseline, and the other levers are the cell's own values.
 */
export class WhatIfView {
  readonly #cell: () => Cell | undefined;
  readonly #nb: Notebook;
  constructor(cell: () => Cell | undefined, nb: Notebook) {
    this.#cell = cell;
    this.#nb = nb;
  }
  cell = $derived.by(() => this.#cell());
  scenario = $derived.by(() => findScenario(String(this.cell?.params.scenario ?? '')));
  /** A learn-mode lesson's inputs (its baseline; lessons never follow fits). */
  lesson = $derived.by(() => lessonBaseline(this.cell?.params.lesson));
  own = $derived.by(() => (this.cell ? whatIfInputs(this.cell.params) : null));
  fitted = $derived.by((): NotebookBaseline | null => {
    const c = this.cell;
    if (!c || this.scenario || this.lesson || !this.own) return null;
    return notebookBaseline(this.#nb, c.id, this.own.periodMonths);
  });
  /**
   * Fitted baseline values in effect (none with a scenario or without fits), rounded as shown: AOV to cents (the
   * spend cell's figure), purchases/year to 0.01, retention to 0.01 points, heterogeneity to 0.001.
   */
  fittedInputs = $derived.by((): Partial<WhatIfInputs> => {
    const f = this.fitted?.baseline?.inputs ?? {};
    const out: Partial<WhatIfInputs> = {};
    for (const k of FITTED_LEVERS) {
      const v = f[k];
      if (v !== undefined) out[k] = Number(v.toFixed(SHOWN_DECIMALS[k]));
    }
    return out;
  });
  typed = $derived.by((): readonly string[] => (this.cell ? typedLevers(this.cell) : []));
  /** The inputs in effect (null without a what-if cell). */
  inputs = $derived.by((): WhatIfInputs | null => {
    const own = this.own;
    if (!own) return null;
    const f = this.fittedInputs;
    const out = { ...own };
    for (const k of FITTED_LEVERS) {
      const v = f[k];
      if (v !== undefined && !this.typed.includes(k)) out[k] = v;
    }
    return out;
  });
  /** The sliders' baseline marks: a lesson's inputs, the scenario's baseline, else the fitted baseline, else the defaults. */
  baseline = $derived.by((): WhatIfInputs => {
    if (this.lesson) return this.lesson;
    if (this.scenario) return this.scenario.baseline;
    const f = this.fittedInputs;
    if (!Object.keys(f).length) return { ...DEFAULT_INPUTS };
    // The fitted retention is per the cell's period, so the period stays.
    return { ...DEFAULT_INPUTS, periodMonths: this.own?.periodMonths ?? 1, ...f };
  });
  /** The scenario's currency, or the data's when the baseline is fitted, else USD. */
  currency = $derived.by(
    (): Currency =>
      this.scenario?.currency ??
      (Object.keys(this.fittedInputs).length ? this.fitted?.currency : null) ??
      'USD',
  );
}
