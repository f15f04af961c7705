// Retention cell: sBG/BdW fitted in the engine to one of three survival sources (the data's cohorts, the
// bundled Fader & Hardie 2007 Table 1, a pasted/uploaded table); projection and retention-rate charts with
// parameter-uncertainty bands; DEL/DERL at the user's discount rate.
import { shownOutput, type Cell, type Notebook } from '../../lib/notebook/notebook.svelte.ts';
import type { ParamValue } from '../../lib/notebook/kinds.ts';
import { KINDS } from '../../lib/notebook/kinds.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { fitRetentionSource, type RetentionResult } from '../../lib/notebook/engine.ts';
import { retentionProjectionChart, retentionRateChart } from '../../lib/charts/models.ts';
import { i18n } from '../../lib/i18n/i18n.svelte.ts';
import type { MessageKey } from '../../lib/i18n/en.ts';
// Bundled with the app (no fetch, no worker I/O): the engine parses the text (parseTable1Csv).
import table1Text from '../../../public/demo/retention_table1.csv?raw';

export type RetentionSourceName = 'data' | 'table1' | 'table';
type Unit = 'months' | 'quarters' | 'years';

/** Defaults of the parameters this cell uses beyond `model` and `horizon` (kept locally until declared in kinds.ts). */
const LOCAL_DEFAULTS: Record<string, ParamValue> = {
  source: 'data',
  segment: 'regular',
  followUp: 'auto',
  discount: 10,
  tableUnit: 'years',
  holdout: 0,
  table: '',
};
/** Longest pasted/uploaded survival table kept (characters). */
export const MAX_TABLE_CHARS = 200_000;

export class RetentionModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  #local = $state<Record<string, ParamValue>>({ ...LOCAL_DEFAULTS });
  data = $derived.by(() => this.nb.input(this.cell.id, 'data'));

  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => {
        const source = this.source;
        const data = this.data;
        if (source === 'data' && !data) return null;
        if (source === 'table' && String(this.param('table')).trim() === '') return null;
        return {
          data: source === 'data' ? data : undefined,
          opts: {
            source,
            model: cell.params.model === 'bdw' ? ('bdw' as const) : ('sbg' as const),
            horizon: Number(cell.params.horizon),
            table1Text,
            segment: this.param('segment') === 'highEnd' ? ('highEnd' as const) : ('regular' as const),
            tableText: source === 'table' ? String(this.param('table')) : undefined,
            tableUnit: this.param('tableUnit') as Unit,
            holdout: Number(this.param('holdout')),
            followUp: this.param('followUp') === 'auto' ? ('auto' as const) : Number(this.param('followUp')),
            annualDiscountRate: Number(this.param('discount')) / 100,
            bands: { draws: 400, seed: 1, level: 0.8 },
          },
        };
      },
      ({ data, opts }, ctx) => fitRetentionSource(data, opts, ctx),
      // Fader & Hardie's Table 1 and a pasted table use no dataset.
      () => (this.source === 'data' ? this.data : null),
    );
  }

  /** A parameter: from the cell (saved, shared) when kinds.ts declares it, else from this view's local state. */
  param(key: string): ParamValue {
    if (Object.hasOwn(KINDS.retention.params, key)) return this.cell.params[key] ?? LOCAL_DEFAULTS[key];
    return this.#local[key];
  }
  set(key: string, value: ParamValue): void {
    if (Object.hasOwn(KINDS.retention.params, key)) this.nb.setParam(this.cell.id, key, value);
    else this.#local[key] = value;
  }
  get source(): RetentionSourceName {
    const s = this.param('source');
    return s === 'table1' || s === 'table' ? s : 'data';
  }
  get result(): RetentionResult | undefined {
    return shownOutput(this.cell, 'retention');
  }
  get unit(): Unit {
    return this.result?.unit ?? (this.result?.periodUnit === 'quarters' ? 'quarters' : 'months');
  }
  /** "months" / "个月" (plural) and "month" / "月" (one period). */
  unitWord(one = false): string {
    return i18n.t(`retention.unit${one ? '1' : ''}.${this.unit}` as MessageKey);
  }
  get modelName(): string {
    return this.result?.report.model === 'bdw' ? 'BdW' : 'sBG';
  }
  #xTitle(): string {
    if (this.result?.source === 'table1' || this.result?.source === 'table' || this.unit === 'years')
      return i18n.t('retention.xTenure', { unit: this.unitWord() });
    return i18n.t(this.unit === 'quarters' ? 'cohorts.quarters' : 'cohorts.months');
  }
  /** Chart labels shared by the survival and the retention-rate charts. */
  #labels(r: RetentionResult, title: string, yTitle: string) {
    const t = i18n.t;
    const fitted = r.source === 'data' || r.source === undefined;
    return {
      title,
      xTitle: this.#xTitle(),
      yTitle,
      observed: t('retention.observedFit'),
      later: t(fitted ? 'retention.excludedPts' : 'retention.holdoutPts'),
      model: this.modelName,
      band: t('retention.band'),
      constant: t('retention.constant'),
    };
  }
  chart = $derived.by(() => {
    const r = this.result;
    return r
      ? retentionProjectionChart(
          r,
          this.#labels(r, i18n.t('retention.projTitle'), i18n.t('retention.survival')),
        )
      : null;
  });
  rateChart = $derived.by(() => {
    const r = this.result;
    return r
      ? retentionRateChart(r, this.#labels(r, i18n.t('retention.rateTitle'), i18n.t('retention.rate')))
      : null;
  });
}
