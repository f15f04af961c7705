// Data cell: loads a demo dataset, an uploaded file or pasted text in the engine and exposes the
// summary/report. A file is a transaction log or a ready-made summary (RFM, BG/BB, survival), detected from
// its header unless the user says which.
import { shownOutput, type Cell, type Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { KINDS } from '../../lib/notebook/kinds.ts';
import {
  loadDataset,
  type Dataset,
  type DatasetOptions,
  type DatasetSource,
} from '../../lib/notebook/engine.ts';
import type { DatasetKind, DemoId } from '../../lib/engine/types.ts';
import type { ColumnMapping, TimeUnit } from '../../lib/data/types.ts';
import { uploads } from '../../lib/notebook/uploads.svelte.ts';
import { isCurrency } from '../../lib/i18n/format.ts';

/** Bundled demos, in the order of the source select. */
export const DEMO_SOURCES: readonly DemoId[] = ['cdnow', 'cdnow-rfm', 'donations'];
export const SUMMARY_KINDS: ReadonlyArray<'auto' | DatasetKind> = [
  'auto',
  'transactions',
  'rfm',
  'bgbb',
  'survival',
];
export const SUMMARY_UNITS: readonly TimeUnit[] = ['day', 'week', 'month'];

type Option = 'summaryKind' | 'summaryUnit';
const DEFAULTS: Record<Option, string> = { summaryKind: 'auto', summaryUnit: 'week' };

export class DataModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  /** Options the notebook schema does not (yet) declare are kept here for the session. */
  #local = $state<Record<Option, string>>({ ...DEFAULTS });
  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    void uploads.restore(cell.id);
    bindCompute(
      cell.out,
      (): { source: DatasetSource; options: DatasetOptions } | null => {
        const src = String(cell.params.source);
        const split = this.splitOptions;
        if (src !== 'upload') {
          const id = (DEMO_SOURCES as readonly string[]).includes(src) ? (src as DemoId) : 'cdnow';
          return { source: { kind: 'demo', id }, options: split };
        }
        const f = uploads.files[cell.id];
        if (!f) return null;
        const mapping: ColumnMapping = {};
        const col = (k: string) => String(cell.params[k] ?? '');
        if (col('customerColumn')) mapping.customer = col('customerColumn');
        if (col('dateColumn')) mapping.date = col('dateColumn');
        if (col('amountColumn')) mapping.amount = col('amountColumn');
        const order =
          cell.params.dateOrder === 'dmy' || cell.params.dateOrder === 'mdy' ? cell.params.dateOrder : 'auto';
        const kind = this.summaryKind;
        const unit = this.summaryUnit;
        return {
          source: f.blob
            ? { kind: 'file', name: f.name, file: f.blob }
            : { kind: 'upload', name: f.name, text: f.text ?? '' },
          options: {
            import: { mapping, dateOrder: order },
            summaryKind: kind,
            ...(kind !== 'transactions' ? { unit } : {}),
            ...split,
          },
        };
      },
      ({ source, options }, ctx) => loadDataset(source, options, ctx),
      // A new object per request: a dataset is never shown once other data (or settings) are asked for.
      (input) => (input ? { name: 'name' in input.source ? input.source.name : input.source.id } : undefined),
    );
  }
  /**
   * Calibration end and currency options from the cell's params, only those set (a demo's own calibration end
   * and currency stay unless the user changes them).
   */
  get splitOptions(): DatasetOptions {
    const out: DatasetOptions = {};
    const date = String(this.cell.params.calibrationEnd ?? '');
    const weeks = Number(this.cell.params.holdoutWeeks ?? 0);
    const currency = String(this.cell.params.currency ?? 'auto');
    if (date) out.calibrationEnd = date;
    else if (weeks > 0) {
      out.holdoutWeeks = weeks;
      out.calibrationEnd = ''; // overrides a demo's fixed date
    }
    if (isCurrency(currency)) out.currency = currency;
    return out;
  }
  /** Which calibration control is in use: automatic, a date, or the last N weeks. */
  get calibrationMode(): 'auto' | 'date' | 'weeks' {
    if (String(this.cell.params.calibrationEnd ?? '')) return 'date';
    return Number(this.cell.params.holdoutWeeks ?? 0) > 0 ? 'weeks' : 'auto';
  }
  /** Sets the calibration end: a date, the last N weeks as holdout, or automatic. */
  setCalibration(mode: 'auto' | 'date' | 'weeks', value?: string | number): void {
    const id = this.cell.id;
    if (mode === 'date') {
      this.nb.setParam(id, 'holdoutWeeks', 0);
      this.nb.setParam(id, 'calibrationEnd', String(value ?? this.dataset?.summary.calibrationEnd ?? ''));
    } else if (mode === 'weeks') {
      this.nb.setParam(id, 'calibrationEnd', '');
      this.nb.setParam(id, 'holdoutWeeks', Math.max(1, Math.round(Number(value) || this.defaultWeeks)));
    } else {
      this.nb.setParam(id, 'calibrationEnd', '');
      this.nb.setParam(id, 'holdoutWeeks', 0);
    }
  }
  /** The current holdout length in whole weeks (a starting value when switching to "last N weeks"). */
  get defaultWeeks(): number {
    const s = this.dataset?.summary;
    if (!s?.calibrationEnd || !s.observationEnd) return 13;
    const days = (Date.parse(s.observationEnd) - Date.parse(s.calibrationEnd)) / 86_400_000;
    return Math.max(1, Math.round(days / 7));
  }
  setCurrency(v: string): void {
    this.nb.setParam(this.cell.id, 'currency', v);
  }
  get dataset(): Dataset | undefined {
    return shownOutput(this.cell, 'data');
  }
  get upload() {
    return uploads.files[this.cell.id];
  }
  #get(key: Option): string {
    if (Object.hasOwn(KINDS.data.params, key)) return String(this.cell.params[key] ?? DEFAULTS[key]);
    return this.#local[key];
  }
  #set(key: Option, value: string): void {
    if (Object.hasOwn(KINDS.data.params, key)) this.nb.setParam(this.cell.id, key, value);
    else this.#local[key] = value;
  }
  /** How to read an uploaded file: 'auto' (from the header) or a kind the user chose. */
  get summaryKind(): 'auto' | DatasetKind {
    const v = this.#get('summaryKind');
    return (SUMMARY_KINDS as readonly string[]).includes(v) ? (v as 'auto' | DatasetKind) : 'auto';
  }
  setSummaryKind(v: string): void {
    this.#set('summaryKind', v);
  }
  /** Time unit of recency and T in an uploaded RFM table (weeks by default, like lifetimes' CDNOW summary). */
  get summaryUnit(): TimeUnit {
    const v = this.#get('summaryUnit');
    return (SUMMARY_UNITS as readonly string[]).includes(v) ? (v as TimeUnit) : 'week';
  }
  setSummaryUnit(v: string): void {
    this.#set('summaryUnit', v);
  }
  setSource(source: string): void {
    this.nb.setParam(this.cell.id, 'source', source);
  }
  async upload_(file: File): Promise<void> {
    // Streamed to the worker undecoded, so the importer sees the real bytes (GBK exports, BOMs, huge files).
    await uploads.putFile(this.cell.id, file);
    this.nb.setParam(this.cell.id, 'source', 'upload');
  }
  /** Pasted CSV text, loaded like an uploaded file named "pasted.csv". */
  async paste(text: string): Promise<void> {
    if (text.trim() === '') return;
    await uploads.put(this.cell.id, 'pasted.csv', text);
    this.nb.setParam(this.cell.id, 'source', 'upload');
  }
}
