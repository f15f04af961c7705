// Spend cell: Gamma-Gamma fitted in the engine, with the spend/frequency independence check.
import { shownOutput, type Cell, type Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { fitSpend, type SpendResult } from '../../lib/notebook/engine.ts';

export class SpendModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  data = $derived.by(() => this.nb.input(this.cell.id, 'data'));
  /** A BG/BB table has no spend per customer: the cell explains that instead of failing. */
  notApplicable = $derived(this.data?.kind === 'bgbb');
  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => (this.data && !this.notApplicable ? { data: this.data } : null),
      ({ data }, ctx) => fitSpend(data, ctx),
      () => this.data,
    );
  }
  get result(): SpendResult | undefined {
    return shownOutput(this.cell, 'spend');
  }
  /** |correlation| below 0.3 is read as "independent enough" (Fader, Hardie & Lee 2005, iso-value note). */
  independent = $derived(this.result ? Math.abs(this.result.correlation) < 0.3 : null);
}
