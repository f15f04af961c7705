/**
 * Opening and keeping a notebook: on start, a share link in the hash wins (unless it is the link this
 * browser wrote itself, then the richer autosave is used), else the autosave, else the demo. Afterwards
 * every change is autosaved (localStorage; uploads in IndexedDB) and mirrored into the URL hash with
 * `history.replaceState`.
 */
import { decodeLink, encodeLink, payloadFromHash, type LinkState } from '../scenario/codec.ts';
import { demoDoc, learnDoc, validateDoc, type NotebookDoc } from './doc.ts';
import { Notebook } from './notebook.svelte.ts';
import { uploads } from './uploads.svelte.ts';
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

export class Session {
  nb: Notebook;
  /** Problems met while opening a link or file, shown in a dismissible banner. */
  problems = $state<{ title: 'link' | 'file'; items: string[] } | null>(null);
  restored = $state(false);
  /** True when the last link left uploaded data out (too large for a URL): the link carries the settings only. */
  linkOmitsData = $state(false);
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
  #applyLinkExtras(state: LinkState): void {
    if (state.lang) i18n.set(state.lang);
    this.#uploadsFromLink = state;
  }

  /** Call once from the root component: stores link uploads and starts autosave + URL sync. */
  start(): void {
    const fromLink = this.#uploadsFromLink;
    if (fromLink)
      for (const [i, u] of Object.entries(fromLink.uploads)) {
        const cell = this.nb.cells[Number(i)];
        if (cell) void uploads.put(cell.id, u.name, u.text);
      }
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
    this.nb.replace(state.doc);
    this.#applyLinkExtras(state);
    this.problems = errors.length ? { title: 'link', items: errors } : null;
  }

  /** The payload for the current state (also what the share button copies). */
  link(doc = this.nb.toDoc(), lang = i18n.lang, files = uploads.files): string {
    const ups: LinkState['uploads'] = {};
    let withoutText = false; // a chosen file too large to keep as text never travels in a link
    doc.cells.forEach((c, i) => {
      const f = files[c.id];
      if (c.kind !== 'data' || c.params.source !== 'upload' || !f) return;
      if (f.text !== undefined) ups[i] = { name: f.name, text: f.text };
      else withoutText = true;
    });
    let payload = encodeLink({ doc, lang, uploads: ups });
    const tooBig = withoutText || payload.length > 60_000;
    if (tooBig) payload = encodeLink({ doc, lang, uploads: {} }); // raw data stay local
    this.linkOmitsData = tooBig;
    return payload;
  }

  #persist(doc: NotebookDoc, lang: 'en' | 'zh', files: typeof uploads.files): void {
    writeStorage(DOC_KEY, JSON.stringify(doc));
    const payload = this.link(doc, lang, files);
    writeStorage(HASH_KEY, payload);
    const url = `${location.pathname}${location.search}#s=${payload}`;
    if (location.hash !== `#s=${payload}`) history.replaceState(history.state, '', url);
  }

  /** Opens a `.clv.json` file's text; problems are listed in the banner. */
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
      this.nb.replace(doc);
      const ups = (raw as { uploads?: unknown }).uploads;
      if (ups && typeof ups === 'object')
        for (const c of doc.cells) {
          const u = (ups as Record<string, unknown>)[c.id] as { name?: unknown; text?: unknown } | undefined;
          if (Object.hasOwn(ups, c.id) && u && typeof u.name === 'string' && typeof u.text === 'string')
            void uploads.put(c.id, u.name, u.text);
        }
    }
    this.problems = errors.length ? { title: 'file', items: errors } : null;
  }
  /** The notebook as a `.clv.json` file (uploads included). */
  fileText(): string {
    const doc = this.nb.toDoc();
    const ups: Record<string, { name: string; text: string }> = {};
    for (const c of doc.cells) {
      const f = uploads.files[c.id];
      if (f?.text !== undefined) ups[c.id] = { name: f.name, text: f.text };
    }
    return JSON.stringify({ ...doc, uploads: ups }, null, 1);
  }
  newDemo(): void {
    this.nb.replace(demoDoc());
  }
  openLearn(): void {
    this.nb.replace(learnDoc());
  }
}
