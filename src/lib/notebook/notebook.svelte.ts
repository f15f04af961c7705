/**
 * The Notebook: an ordered list of cells with add/remove/duplicate/move/rename/collapse, parameter edits,
 * and undo/redo over whole-document snapshots. Cell outputs live in each cell's `out` (a Computed); a cell
 * reads its inputs from the nearest cell of the needed kind above it.
 */
import { Computed } from './computed.svelte.ts';
import { DOC_VERSION, makeCell, newId, type CellDoc, type NotebookDoc } from './doc.ts';
import { KINDS, MAX_CELLS, MAX_TITLE_CHARS, type CellKind, type ParamValue, type Params } from './kinds.ts';
import type {
  CohortResult,
  Dataset,
  ForecastResult,
  PurchaseResult,
  RetentionResult,
  SpendResult,
} from '../engine/types.ts';

/** What each kind of cell hands to the cells below it (the type `Notebook.input` returns). */
export interface CellOutputs {
  data: Dataset;
  cohorts: CohortResult;
  retention: RetentionResult;
  purchase: PurchaseResult;
  spend: SpendResult;
  forecast: ForecastResult;
}
export type OutputKind = keyof CellOutputs;

/**
 * What a cell of `kind` may display (Computed.shown: current, or stale from the same dataset), typed by
 * its kind. Undefined for a cell of another kind.
 */
export function shownOutput<K extends OutputKind>(cell: Cell, kind: K): CellOutputs[K] | undefined {
  // Each kind's Computed holds CellOutputs[kind] (its cell definition computes exactly that).
  return cell.kind === kind ? (cell.out.shown as CellOutputs[K] | undefined) : undefined;
}

/**
 * Why an input of a cell is not ready: no such cell above, it is computing (or waiting for its own inputs),
 * it failed, or its run was cancelled.
 */
export type InputState = 'missing' | 'pending' | 'waiting' | 'error' | 'cancelled';

export class Cell {
  readonly id: string;
  readonly kind: CellKind;
  title = $state('');
  collapsed = $state(false);
  params = $state<Params>({});
  /** The cell's result, read by the cells below it. */
  readonly out = new Computed<unknown>();

  constructor(doc: CellDoc) {
    this.id = doc.id;
    this.kind = doc.kind;
    this.assign(doc);
  }
  assign(doc: CellDoc): void {
    this.title = doc.title;
    this.collapsed = doc.collapsed;
    this.params = { ...doc.params };
  }
  toDoc(): CellDoc {
    return {
      id: this.id,
      kind: this.kind,
      title: this.title,
      collapsed: this.collapsed,
      params: $state.snapshot(this.params),
    };
  }
}

const HISTORY_LIMIT = 200;
/** Edits of the same parameter closer together than this merge into one undo step (a slider drag). */
const COALESCE_MS = 800;

export class Notebook {
  cells = $state<Cell[]>([]);
  seed = $state(1);
  mode = $state<'workbench' | 'learn'>('workbench');
  /** Text of the last reorder, for the screen-reader live region. */
  announcement = $state('');
  #undo = $state<string[]>([]);
  #redo = $state<string[]>([]);
  #lastEdit: { key: string; at: number } | null = null;

  constructor(doc: NotebookDoc) {
    this.load(doc);
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }
  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  toDoc(): NotebookDoc {
    return { v: DOC_VERSION, seed: this.seed, mode: this.mode, cells: this.cells.map((c) => c.toDoc()) };
  }

  /** Replace the whole document, reusing cells with the same id and kind (their results survive). */
  load(doc: NotebookDoc): void {
    // A plain lookup for this one call (not state): reuse cell objects by id.
    const old = (id: string) => this.cells.find((c) => c.id === id);
    const next = doc.cells.map((d) => {
      const c = old(d.id);
      if (c && c.kind === d.kind) {
        c.assign(d);
        return c;
      }
      return new Cell(d);
    });
    // Cells that are gone stop computing (and stop counting as activity: Computed's `activity`).
    for (const c of this.cells) if (!next.includes(c)) c.out.cancel();
    this.cells = next;
    this.seed = doc.seed;
    this.mode = doc.mode;
  }

  /** Load a document as a new, undoable step (opening a file or a link). */
  replace(doc: NotebookDoc): void {
    this.#checkpoint();
    this.load(doc);
  }

  #checkpoint(coalesceKey?: string): void {
    const now = Date.now();
    if (
      coalesceKey &&
      this.#lastEdit &&
      this.#lastEdit.key === coalesceKey &&
      now - this.#lastEdit.at < COALESCE_MS
    ) {
      this.#lastEdit.at = now;
      return;
    }
    this.#lastEdit = coalesceKey ? { key: coalesceKey, at: now } : null;
    this.#undo = [...this.#undo.slice(-HISTORY_LIMIT + 1), JSON.stringify(this.toDoc())];
    this.#redo = [];
  }

  undo(): void {
    const prev = this.#undo.at(-1);
    if (prev === undefined) return;
    this.#redo = [...this.#redo, JSON.stringify(this.toDoc())];
    this.#undo = this.#undo.slice(0, -1);
    this.#lastEdit = null;
    this.load(JSON.parse(prev) as NotebookDoc);
  }
  redo(): void {
    const next = this.#redo.at(-1);
    if (next === undefined) return;
    this.#undo = [...this.#undo, JSON.stringify(this.toDoc())];
    this.#redo = this.#redo.slice(0, -1);
    this.#lastEdit = null;
    this.load(JSON.parse(next) as NotebookDoc);
  }

  index(id: string): number {
    return this.cells.findIndex((c) => c.id === id);
  }
  get(id: string): Cell | undefined {
    return this.cells.find((c) => c.id === id);
  }

  /** Adds a cell of `kind` at `at` (default: the end). Returns the new cell. */
  add(kind: CellKind, at = this.cells.length, params: Params = {}): Cell | null {
    if (this.cells.length >= MAX_CELLS) return null;
    this.#checkpoint();
    const cell = new Cell(makeCell(kind, params));
    const next = [...this.cells];
    next.splice(Math.max(0, Math.min(at, next.length)), 0, cell);
    this.cells = next;
    return cell;
  }
  remove(id: string): void {
    const i = this.index(id);
    if (i < 0) return;
    this.#checkpoint();
    this.cells[i].out.cancel();
    this.cells = this.cells.filter((c) => c.id !== id);
  }
  duplicate(id: string): Cell | null {
    const i = this.index(id);
    if (i < 0 || this.cells.length >= MAX_CELLS) return null;
    this.#checkpoint();
    const src = this.cells[i].toDoc();
    const cell = new Cell({ ...src, id: newId() });
    const next = [...this.cells];
    next.splice(i + 1, 0, cell);
    this.cells = next;
    return cell;
  }
  /** Moves a cell to position `to` (0-based, clamped). */
  move(id: string, to: number): void {
    const from = this.index(id);
    const target = Math.max(0, Math.min(to, this.cells.length - 1));
    if (from < 0 || from === target) return;
    this.#checkpoint();
    const next = [...this.cells];
    const [cell] = next.splice(from, 1);
    next.splice(target, 0, cell);
    this.cells = next;
  }
  rename(id: string, title: string): void {
    const c = this.get(id);
    if (!c || c.title === title) return;
    this.#checkpoint();
    c.title = title.slice(0, MAX_TITLE_CHARS);
  }
  setCollapsed(id: string, collapsed: boolean): void {
    const c = this.get(id);
    if (!c || c.collapsed === collapsed) return;
    this.#checkpoint();
    c.collapsed = collapsed;
  }
  /** Sets one parameter; consecutive edits of the same parameter (a slider drag) are one undo step. */
  setParam(id: string, key: string, value: ParamValue): void {
    const c = this.get(id);
    if (!c || !Object.hasOwn(KINDS[c.kind].params, key) || c.params[key] === value) return;
    this.#checkpoint(`${id}:${key}`);
    c.params[key] = value;
  }
  /** Sets several parameters as one undo step. */
  setParams(id: string, params: Params): void {
    const c = this.get(id);
    if (!c) return;
    this.#checkpoint();
    for (const [k, v] of Object.entries(params)) if (Object.hasOwn(KINDS[c.kind].params, k)) c.params[k] = v;
  }

  /**
   * The current output of the nearest `kind` cell above `id`: only a value that answers that cell's latest
   * inputs (never a stale one kept on screen after an error, a cancel or a new upload).
   */
  input<K extends OutputKind>(id: string, kind: K): CellOutputs[K] | undefined {
    // The one place where a cell output meets its declared type: each kind's Computed holds CellOutputs[kind].
    return this.upstream(id, kind)?.out.current as CellOutputs[K] | undefined;
  }

  /** For each of `kinds` whose output is not ready for the cell `id`, why (in the order given). */
  inputStates(id: string, kinds: readonly CellKind[]): Array<{ kind: CellKind; state: InputState }> {
    const out: Array<{ kind: CellKind; state: InputState }> = [];
    for (const kind of kinds) {
      const c = this.upstream(id, kind);
      if (!c) out.push({ kind, state: 'missing' });
      else if (c.out.pending) out.push({ kind, state: 'pending' });
      else if (c.out.error) out.push({ kind, state: 'error' });
      else if (c.out.cancelled) out.push({ kind, state: 'cancelled' });
      else if (c.out.current === undefined && kind !== 'whatif') out.push({ kind, state: 'waiting' });
    }
    return out;
  }

  /** The nearest cell of `kind` above `id`, if any. */
  upstream(id: string, kind: CellKind): Cell | undefined {
    const i = this.index(id);
    for (let j = i - 1; j >= 0; j--) if (this.cells[j].kind === kind) return this.cells[j];
    return undefined;
  }
}
