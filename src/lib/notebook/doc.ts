/**
 * The serialisable notebook document (what autosave, `.clv.json` files and share links carry) and its
 * validator. Pure. `validateDoc` never throws: it keeps what it can and lists what it dropped.
 */
import {
  checkParam,
  defaultParams,
  isCellKind,
  KINDS,
  MAX_CELLS,
  MAX_TITLE_CHARS,
  type CellKind,
  type Params,
} from './kinds.ts';
import { LESSONS, type LessonId } from './lessons.ts';

/** Current version of the notebook document / file schema. */
export const DOC_VERSION = 1;

export interface CellDoc {
  id: string;
  kind: CellKind;
  /** Custom title ('' = the kind's translated name). */
  title: string;
  collapsed: boolean;
  params: Params;
}
export interface NotebookDoc {
  v: number;
  cells: CellDoc[];
  /** Seed of every Monte Carlo run in the notebook. */
  seed: number;
  /** 'learn' marks the guided notebook (shown with its own header). */
  mode: 'workbench' | 'learn';
}

let counter = 0;
/** A fresh cell id, unique within the page (deterministic counter). Example: 'c1a'. */
export function newId(): string {
  counter += 1;
  return 'c' + counter.toString(36);
}
/** Moves the id counter past ids read from storage, so new cells never reuse them. */
export function reserveIds(ids: Iterable<string>): void {
  for (const id of ids) {
    const m = /^c([0-9a-z]{1,10})$/.exec(id);
    if (m) counter = Math.max(counter, parseInt(m[1], 36));
  }
}

/** A new cell of `kind` with default parameters, optionally overridden. */
export function makeCell(kind: CellKind, params: Params = {}): CellDoc {
  return { id: newId(), kind, title: '', collapsed: false, params: { ...defaultParams(kind), ...params } };
}

/** The demo notebook opened on first visit: CDNOW data through to a forecast and a what-if. */
export function demoDoc(): NotebookDoc {
  return {
    v: DOC_VERSION,
    seed: 1,
    mode: 'workbench',
    cells: [
      makeCell('note', { preset: 'intro' }),
      makeCell('data'),
      makeCell('cohorts'),
      makeCell('retention'),
      makeCell('purchase'),
      makeCell('spend'),
      makeCell('forecast'),
      makeCell('whatif'),
      makeCell('compare'),
      makeCell('sensitivity'),
    ],
  };
}

/** The guided learn-mode notebook: a note per step, each followed by a live widget (lessons.ts). */
export function learnDoc(): NotebookDoc {
  const lesson = (id: LessonId) => makeCell('whatif', { ...LESSONS[id].inputs, lesson: id });
  return {
    v: DOC_VERSION,
    seed: 1,
    mode: 'learn',
    cells: [
      makeCell('note', { preset: 'learn1' }),
      lesson('textbook'),
      makeCell('note', { preset: 'learn2' }),
      lesson('margin'),
      makeCell('note', { preset: 'learn3' }),
      lesson('discount'),
      makeCell('note', { preset: 'learn4' }),
      makeCell('note', { preset: 'learn5' }),
      makeCell('data'),
      makeCell('retention'),
      makeCell('note', { preset: 'learn6' }),
      makeCell('purchase'),
      makeCell('note', { preset: 'learn7' }),
      lesson('payback'),
    ],
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks a kind's params from untrusted input; unknown keys and bad values are dropped with a message. */
export function cleanParams(kind: CellKind, raw: unknown, where: string, errors: string[]): Params {
  const out = defaultParams(kind);
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    errors.push(`${where}: parameters are not an object`);
    return out;
  }
  const schema = KINDS[kind].params;
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(schema, key)) {
      errors.push(`${where}: unknown parameter "${key.slice(0, 40)}" ignored`);
      continue;
    }
    const r = checkParam(schema[key], raw[key]);
    if (r.ok) {
      out[key] = r.value;
      if (r.problem) errors.push(`${where}.${key}: ${r.problem}`);
    } else errors.push(`${where}.${key}: ${r.problem}, default kept`);
  }
  return out;
}

/**
 * Validates a notebook document read from autosave or a `.clv.json` file. Never throws; returns the
 * usable document (or null when nothing is usable) and one message per problem.
 */
export function validateDoc(raw: unknown): { doc: NotebookDoc | null; errors: string[] } {
  const errors: string[] = [];
  if (!isRecord(raw)) return { doc: null, errors: ['not a notebook (expected a JSON object)'] };
  if (raw.v !== DOC_VERSION) {
    return {
      doc: null,
      errors: [
        `unsupported notebook version ${JSON.stringify(raw.v)?.slice(0, 20)} (this app reads version ${DOC_VERSION})`,
      ],
    };
  }
  if (!Array.isArray(raw.cells)) return { doc: null, errors: ['"cells" is missing or not a list'] };
  const cells: CellDoc[] = [];
  const seen = new Set<string>();
  reserveIds(raw.cells.map((c: unknown) => (isRecord(c) && typeof c.id === 'string' ? c.id : '')));
  raw.cells.slice(0, MAX_CELLS).forEach((c: unknown, i: number) => {
    const where = `cell ${i + 1}`;
    if (!isRecord(c) || !isCellKind(c.kind)) {
      errors.push(`${where}: unknown cell kind, skipped`);
      return;
    }
    let id = typeof c.id === 'string' && /^[A-Za-z0-9_-]{1,24}$/.test(c.id) ? c.id : newId();
    if (seen.has(id)) id = newId();
    seen.add(id);
    cells.push({
      id,
      kind: c.kind,
      title: typeof c.title === 'string' ? c.title.slice(0, MAX_TITLE_CHARS) : '',
      collapsed: c.collapsed === true,
      params: cleanParams(c.kind, c.params, where, errors),
    });
  });
  if (raw.cells.length > MAX_CELLS)
    errors.push(`only the first ${MAX_CELLS} of ${raw.cells.length} cells kept`);
  const seed = typeof raw.seed === 'number' && Number.isSafeInteger(raw.seed) && raw.seed >= 0 ? raw.seed : 1;
  const mode = raw.mode === 'learn' ? 'learn' : 'workbench';
  return { doc: { v: DOC_VERSION, cells, seed, mode }, errors };
}
