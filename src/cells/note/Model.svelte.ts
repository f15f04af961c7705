// Note cell: the Markdown source (a preset in the reader's language, or the user's own text) and its
// sanitised HTML, rendered once the markdown/katex chunk has loaded.
import { i18n } from '../../lib/i18n/i18n.svelte.ts';
import { shownOutput, type Cell, type Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { presetText } from './presets.ts';

type Renderer = (text: string) => string;
let rendererPromise: Promise<Renderer> | undefined;

export class NoteModel {
  editing = $state(false);
  #render = $state.raw<Renderer | null>(null);

  readonly cell: Cell;
  readonly nb: Notebook;
  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    rendererPromise ??= import('./markdown.ts').then((m) => m.renderMarkdown);
    void rendererPromise.then((r) => (this.#render = r));
  }

  get source(): string {
    const text = String(this.cell.params.text ?? '');
    const preset = String(this.cell.params.preset ?? '');
    if (!text && preset === 'intro') {
      const own = this.#ownData();
      if (own) return own;
    }
    return text || presetText(preset, i18n.lang);
  }
  /**
   * The intro describes CDNOW; once the notebook's data cell holds other data (an upload, another demo) it
   * describes that dataset instead, or says it is loading.
   */
  #ownData(): string | null {
    const dataCell = this.nb.cells.find((c) => c.kind === 'data');
    if (!dataCell || dataCell.params.source === 'cdnow') return null;
    const d = shownOutput(dataCell, 'data');
    if (!d || dataCell.out.stale) return i18n.t('note.introLoading');
    return i18n.t('note.introData', {
      name: d.name,
      customers: i18n.num(d.summary.customers, 0),
      transactions: i18n.num(d.summary.transactions, 0),
      first: d.summary.firstDate || '—',
      last: d.summary.lastDate || '—',
    });
  }
  html = $derived.by(() => (this.#render ? this.#render(this.source) : null));

  edit(text: string): void {
    this.nb.setParams(this.cell.id, { text, preset: '' });
  }
}
