/**
 * Opening and keeping a notebook: on start, a share link in the hash wins (unless it is the link this
 * browser wrote itself, then the richer autosave is used), else the autosave, else the demo. Afterwards
 * every change is autosaved (localStorage; uploads in IndexedDB) and mirrored into the URL hash with
 * `history.replaceState`.
 */
import {
  decodeLink,
  encodeLink,
  payloadFromHash,
  LINK_TARGET_CHARS,
  type LinkState,
  type LinkSummary,
  type LinkUpload,
  type SharedNumbers,
} from '../scenario/codec.ts';
import { encodeSharedSummary, isSharedSummaryText } from '../scenario/summary.ts';
import type {
  Dataset,
  DatasetPayload,
  ForecastResult,
  PurchaseResult,
  SpendResult,
} from '../engine/types.ts';
import { demoDoc, learnDoc, validateDoc, type NotebookDoc } from './doc.ts';
import { Notebook } from './notebook.svelte.ts';
import { textOf, uploads } from './uploads.svelte.ts';
import { decodeSavedData, encodeSavedData, MAX_SAVED_DATA_BYTES, type SavedData } from './savedFile.ts';
import { findScenario } from './scenarios.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

const DOC_KEY = 'clv.notebook';
const HASH_KEY = 'clv.lastLink';

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function writeStorage(key: string, value: string): boolean {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** What a share link carries besides the settings, richest first ('demo': no uploaded data to carry). */
export type LinkCarries = 'demo' | 'data' | 'summary' | 'numbers' | 'settings';
export interface ShareResult {
  payload: string;
  carries: LinkCarries;
  /** File name and customers of the (first) uploaded dataset. */
  name: string;
  customers: number;
}
/** What the opened link carried, for the recipient's banner (null: nothing to explain). */
export interface SharedInfo {
  carries: 'summary' | 'numbers';
  name: string;
  customers: number;
  numbers: SharedNumbers | null;
}
/** What Save wrote: uploads included (raw and compressed sizes) and left out (over the limit). */
export interface SaveReport {
  included: Array<{ name: string; bytes: number; compressed: number }>;
  left: Array<{ name: string; bytes: number }>;
}
/** More customers than this never fit a link's summary (~12 characters each): skip straight to numbers. */
const SUMMARY_MAX_CUSTOMERS = 20_000;
/** Files up to this size are read as text to try them in a link (larger ones cannot fit once compressed). */
const LINK_TEXT_BYTES = 4 * 1024 * 1024;

export class Session {
  nb: Notebook;
  /** Problems met while opening a link or file, shown in a dismissible banner. */
  problems = $state<{ title: 'link' | 'file'; items: string[] } | null>(null);
  restored = $state(false);
  /** What the opened share link carried, when it is less than the data (the banner explains it). */
  shared = $state<SharedInfo | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const payload = /(?:^#|&)scenario=/.test(location.hash) ? '' : payloadFromHash(location.hash);
    const saved = readStorage(DOC_KEY);
    let doc: NotebookDoc | null = null;
    if (saved && (!payload || payload === readStorage(HASH_KEY))) {
      try {
        doc = validateDoc(JSON.parse(saved)).doc;
        if (doc) this.restored = !payload;
      } catch {
        doc = null;
      }
    }
    const scenarioId = /(?:^#|&)scenario=([a-z0-9-]{1,64})(?:&|$)/.exec(location.hash)?.[1];
    if (scenarioId) {
      // `#scenario=<id>`: the demo notebook with that library scenario in its what-if cell.
      const sc = findScenario(scenarioId);
      doc = demoDoc();
      const w = doc.cells.find((c) => c.kind === 'whatif');
      if (sc && w) w.params = { ...w.params, ...sc.baseline, scenario: sc.id };
      else this.problems = { title: 'link', items: [`scenario "${scenarioId}" is not in the library`] };
    } else if (!doc && payload) {
      const { state, errors } = decodeLink(payload);
      doc = state.doc;
      this.#applyLinkExtras(state);
      if (errors.length) this.problems = { title: 'link', items: errors };
    }
    this.nb = new Notebook(doc ?? demoDoc());
  }

  #uploadsFromLink: LinkState | null = null;
  /** Language, the data a link carries (onto its data cells, read as summaries where they are), the banner. */
  #applyLinkExtras(state: LinkState): void {
    if (state.lang) i18n.set(state.lang);
    this.#uploadsFromLink = state;
    const summaries = state.summaries ?? {};
    for (const i of Object.keys(summaries)) {
      const cell = state.doc.cells[Number(i)];
      cell.params = { ...cell.params, source: 'upload', summaryKind: 'auto' };
    }
    const first = Object.values(summaries)[0];
    const numbers = state.numbers ?? null;
    const upload = state.doc.cells.some((c) => c.kind === 'data' && c.params.source === 'upload');
    if (first) this.shared = { carries: 'summary', name: first.name, customers: first.customers, numbers };
    else if (numbers && upload && !Object.keys(state.uploads).length)
      this.shared = {
        carries: 'numbers',
        name: numbers.data?.name ?? '',
        customers: numbers.data?.customers ?? 0,
        numbers,
      };
    else this.shared = null;
  }
  #storeLinkData(): void {
    const fromLink = this.#uploadsFromLink;
    this.#uploadsFromLink = null;
    if (!fromLink) return;
    // A summary is named as one, so the data cell's source never passes it off as the sender's file.
    const named = (u: LinkSummary): LinkUpload =>
      isSharedSummaryText(u.text) && !u.name.includes('·')
        ? { ...u, name: i18n.t('shared.summaryName', { name: u.name }) }
        : u;
    const all: Record<string, LinkUpload> = { ...fromLink.uploads };
    for (const [i, u] of Object.entries(fromLink.summaries ?? {})) all[i] = named(u);
    for (const [i, u] of Object.entries(all)) {
      const cell = this.nb.cells[Number(i)];
      if (cell) void uploads.put(cell.id, u.name, u.text);
    }
  }

  /** Call once from the root component: stores link uploads and starts autosave + URL sync. */
  start(): void {
    this.#storeLinkData();
    // A link followed inside the page (e.g. the intro note's "#scenario=cdnow-fitted", or a pasted share link).
    const onHash = () => this.#followHash();
    window.addEventListener('hashchange', onHash);
    $effect(() => () => window.removeEventListener('hashchange', onHash));
    $effect(() => {
      const doc = this.nb.toDoc();
      const lang = i18n.lang;
      const files = uploads.files;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#persist(doc, lang, files), 150);
    });
  }

  #followHash(): void {
    const scenarioId = /(?:^#|&)scenario=([a-z0-9-]{1,64})(?:&|$)/.exec(location.hash)?.[1];
    if (scenarioId) {
      const sc = findScenario(scenarioId);
      if (!sc) {
        this.problems = { title: 'link', items: [`scenario "${scenarioId}" is not in the library`] };
        return;
      }
      let w = this.nb.cells.find((c) => c.kind === 'whatif');
      w ??= this.nb.add('whatif') ?? undefined;
      if (w) {
        this.nb.setParams(w.id, { ...sc.baseline, scenario: sc.id });
        queueMicrotask(() =>
          document.querySelector(`[data-cell-id="${w.id}"]`)?.scrollIntoView({ block: 'start' }),
        );
      }
      return;
    }
    const payload = payloadFromHash(location.hash);
    if (!payload || payload === readStorage(HASH_KEY)) return;
    const { state, errors } = decodeLink(payload);
    this.#applyLinkExtras(state);
    this.nb.replace(state.doc);
    this.#storeLinkData();
    this.problems = errors.length ? { title: 'link', items: errors } : null;
  }

  /** Characters a payload may have for the whole link to stay within LINK_TARGET_CHARS. */
  #budget(): number {
    return LINK_TARGET_CHARS - `${location.origin}${location.pathname}${location.search}#s=`.length;
  }

  /**
   * The payload mirrored into the address bar on every change: the settings, plus uploaded data already in
   * memory as text when they fit (cheap: nothing is read or summarised here; the share button does that).
   */
  link(doc = this.nb.toDoc(), lang = i18n.lang, files = uploads.files): string {
    const ups: LinkState['uploads'] = {};
    const sums: Record<number, LinkSummary> = {};
    doc.cells.forEach((c, i) => {
      const f = files[c.id];
      if (c.kind !== 'data' || c.params.source !== 'upload' || f?.text === undefined) return;
      if (!isSharedSummaryText(f.text)) ups[i] = { name: f.name, text: f.text };
      else {
        // a summary received in a link stays a summary (and says so) when passed on
        const ds = this.nb.get(c.id)?.out.value as Dataset | undefined;
        sums[i] = { name: f.name, text: f.text, customers: ds?.summary.customers ?? 0 };
      }
    });
    const payload = encodeLink({ doc, lang, uploads: ups, summaries: sums });
    return payload.length <= this.#budget() ? payload : encodeLink({ doc, lang, uploads: {} });
  }

  /** The sender's headline numbers: the first settled result of each kind. */
  numbers(): SharedNumbers | null {
    const out: SharedNumbers = {};
    const settled = (kind: string) =>
      // Only results that answer their cell's current inputs (never one kept on screen after an error).
      this.nb.cells.find((c) => c.kind === kind && c.out.current !== undefined)?.out.current;
    const d = settled('data') as Dataset | undefined;
    if (d) out.data = { name: d.name, customers: d.summary.customers };
    const p = settled('purchase') as PurchaseResult | undefined;
    if (p)
      out.purchase = {
        model: p.report.model,
        params: { ...(p.report.params as unknown as Record<string, number>) },
        logLikelihood: p.report.logLikelihood,
      };
    const s = settled('spend') as SpendResult | undefined;
    if (s) out.spend = { params: { ...(s.report.params as unknown as Record<string, number>) } };
    const f = settled('forecast') as ForecastResult | undefined;
    if (f && d)
      out.forecast = {
        total: f.total,
        low: f.totalLow,
        high: f.totalHigh,
        horizonMonths: f.horizonMonths,
        customers: f.ids.length,
        currency: d.currency,
      };
    return Object.keys(out).length ? out : null;
  }

  /**
   * The richest share link that stays within LINK_TARGET_CHARS: the uploaded data; else a customer summary
   * the purchase, spend and forecast cells recompute the same numbers from; else the settings with the
   * sender's fitted numbers. The link is also put in the address bar.
   */
  async share(): Promise<ShareResult> {
    const doc = this.nb.toDoc();
    const lang = i18n.lang;
    const numbers = this.numbers();
    const budget = this.#budget();
    const cells = doc.cells
      .map((c, i) => ({ c, i, f: uploads.files[c.id] }))
      .filter(({ c }) => c.kind === 'data' && c.params.source === 'upload');
    const name = cells.find((x) => x.f)?.f?.name ?? '';
    const customers = numbers?.data?.customers ?? 0;
    const done = (payload: string, carries: LinkCarries): ShareResult => {
      writeStorage(HASH_KEY, payload);
      history.replaceState(history.state, '', `${location.pathname}${location.search}#s=${payload}`);
      return { payload, carries, name, customers };
    };
    if (!cells.length) return done(encodeLink({ doc, lang, uploads: {} }), 'demo');
    if (cells.some((x) => !x.f)) return done(encodeLink({ doc, lang, uploads: {}, numbers }), 'settings');
    // 1. the data themselves (a link's customer summary passed on stays a summary)
    const ups: Record<number, LinkUpload> = {};
    const sums: Record<number, LinkSummary> = {};
    for (const { i, f } of cells) {
      const text =
        f!.text ?? (f!.blob && f!.blob.size <= LINK_TEXT_BYTES ? await textOf(f!.blob) : undefined);
      if (text === undefined) continue;
      if (isSharedSummaryText(text)) {
        const ds = this.nb.get(doc.cells[i].id)?.out.value as Dataset | undefined;
        sums[i] = { name: f!.name, text, customers: ds?.summary.customers ?? customers };
      } else ups[i] = { name: f!.name, text };
    }
    if (Object.keys(ups).length + Object.keys(sums).length === cells.length) {
      const payload = encodeLink({ doc, lang, uploads: ups, summaries: sums, numbers });
      if (payload.length <= budget) return done(payload, Object.keys(sums).length ? 'summary' : 'data');
    }
    // 2. a customer summary of each transaction log
    for (const { c, i, f } of cells) {
      if (sums[i]) continue;
      const out = this.nb.get(c.id)?.out;
      const ds = out?.current as Dataset | undefined;
      if (ds?.kind !== 'transactions' || ds.summary.customers > SUMMARY_MAX_CUSTOMERS) break;
      const s = encodeSharedSummary(ds.payload as DatasetPayload, ds.currency);
      if (s) sums[i] = { name: f!.name, text: s.text, customers: s.customers };
    }
    if (Object.keys(sums).length === cells.length) {
      const payload = encodeLink({ doc, lang, uploads: {}, summaries: sums, numbers });
      if (payload.length <= budget) return done(payload, 'summary');
    }
    // 3. the settings and the fitted numbers
    return done(encodeLink({ doc, lang, uploads: {}, numbers }), numbers ? 'numbers' : 'settings');
  }

  #persist(doc: NotebookDoc, lang: 'en' | 'zh', files: typeof uploads.files): void {
    writeStorage(DOC_KEY, JSON.stringify(doc));
    const payload = this.link(doc, lang, files);
    writeStorage(HASH_KEY, payload);
    const url = `${location.pathname}${location.search}#s=${payload}`;
    if (location.hash !== `#s=${payload}`) history.replaceState(history.state, '', url);
  }

  /**
   * Opens a `.clv.json` file's text: the notebook, and each data cell's saved upload (compressed bytes, or
   * text in files from older versions), which every cell then recomputes from. Problems go to the banner.
   */
  openFile(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.problems = { title: 'file', items: ['not valid JSON'] };
      return;
    }
    const { doc, errors } = validateDoc(raw);
    if (doc) {
      this.shared = null;
      this.nb.replace(doc);
      const r = raw as { uploads?: unknown; data?: unknown };
      const entry = (bag: unknown, id: string): unknown =>
        bag && typeof bag === 'object' && Object.hasOwn(bag, id)
          ? (bag as Record<string, unknown>)[id]
          : undefined;
      for (const c of doc.cells) {
        const saved = entry(r.data, c.id);
        const u = entry(r.uploads, c.id) as { name?: unknown; text?: unknown } | undefined;
        if (saved !== undefined) {
          const got = decodeSavedData(saved);
          if ('error' in got) errors.push(`data of cell ${doc.cells.indexOf(c) + 1}: ${got.error}`);
          else void uploads.putFile(c.id, new File([got.bytes as BlobPart], got.name));
        } else if (u && typeof u.name === 'string' && typeof u.text === 'string')
          void uploads.put(c.id, u.name, u.text);
      }
    }
    this.problems = errors.length ? { title: 'file', items: errors } : null;
  }
  /**
   * The notebook as a `.clv.json` file with every upload up to MAX_SAVED_DATA_BYTES inside it, compressed;
   * the report lists what went in and what was left out.
   */
  async file(): Promise<{ blob: Blob; report: SaveReport }> {
    const doc = this.nb.toDoc();
    const data: Record<string, SavedData> = {};
    const report: SaveReport = { included: [], left: [] };
    for (const c of doc.cells) {
      const f = uploads.files[c.id];
      const size = f?.blob?.size ?? (f?.text !== undefined ? f.text.length : 0);
      if (!f) continue;
      if (size > MAX_SAVED_DATA_BYTES) {
        report.left.push({ name: f.name, bytes: size });
        continue;
      }
      const bytes = await uploads.bytes(c.id);
      if (!bytes) continue;
      const saved = await encodeSavedData(f.name, bytes);
      data[c.id] = saved;
      report.included.push({ name: f.name, bytes: bytes.length, compressed: saved.deflate.length });
    }
    const blob = new Blob([JSON.stringify({ ...doc, data }, null, 1)], { type: 'application/json' });
    return { blob, report };
  }
  newDemo(): void {
    this.shared = null;
    this.nb.replace(demoDoc());
  }
  openLearn(): void {
    this.shared = null;
    this.nb.replace(learnDoc());
  }
}
