// Note cell: the Markdown source (a preset in the reader's language, or the user's own text) and its
// sanitised HTML, rendered once the markdown/katex chunk has loaded.
import { i18n } from '../../lib/i18n/i18n.svelte.ts';
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
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
    return text || presetText(preset, i18n.lang);
  }
  html = $derived.by(() => (this.#render ? this.#render(this.source) : null));

  edit(text: string): void {
    this.nb.setParams(this.cell.id, { text, preset: '' });
  }
}
