// Spend cell: Gamma-Gamma fitted in the engine, with the spend/frequency independence check.
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import { fitSpend, type Dataset, type SpendResult } from '../../lib/notebook/engine.ts';

export class SpendModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  data = $derived.by(() => this.nb.upstream(this.cell.id, 'data')?.out.value as Dataset | undefined);
  /** A BG/BB table has no spend per customer: the cell explains that instead of failing. */
  notApplicable = $derived(this.data?.kind === 'bgbb');
  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    bindCompute(
      cell.out,
      () => (this.data && !this.notApplicable ? { data: this.data } : null),
      ({ data }, ctx) => fitSpend(data, ctx),
    );
  }
  get result(): SpendResult | undefined {
    return this.cell.out.value as SpendResult | undefined;
  }
  /** |correlation| below 0.3 is read as "independent enough" (Fader, Hardie & Lee 2005, iso-value note). */
  independent = $derived(this.result ? Math.abs(this.result.correlation) < 0.3 : null);
}
