// Data cell: loads the demo dataset or the uploaded file in the engine and exposes the summary/report.
import type { Cell, Notebook } from '../../lib/notebook/notebook.svelte.ts';
import { bindCompute } from '../../lib/notebook/bind.svelte.ts';
import {
  loadDataset,
  type Dataset,
  type DatasetOptions,
  type DatasetSource,
} from '../../lib/notebook/engine.ts';
import type { ColumnMapping } from '../../lib/data/types.ts';
import { uploads } from '../../lib/notebook/uploads.svelte.ts';

export class DataModel {
  readonly cell: Cell;
  readonly nb: Notebook;
  constructor(cell: Cell, nb: Notebook) {
    this.cell = cell;
    this.nb = nb;
    void uploads.restore(cell.id);
    bindCompute(
      cell.out,
      (): { source: DatasetSource; options: DatasetOptions } | null => {
        if (cell.params.source !== 'upload') return { source: { kind: 'demo', id: 'cdnow' }, options: {} };
        const f = uploads.files[cell.id];
        if (!f) return null;
        const mapping: ColumnMapping = {};
        const col = (k: string) => String(cell.params[k] ?? '');
        if (col('customerColumn')) mapping.customer = col('customerColumn');
        if (col('dateColumn')) mapping.date = col('dateColumn');
        if (col('amountColumn')) mapping.amount = col('amountColumn');
        const order =
          cell.params.dateOrder === 'dmy' || cell.params.dateOrder === 'mdy' ? cell.params.dateOrder : 'auto';
        return {
          source: { kind: 'upload', name: f.name, text: f.text },
          options: { import: { mapping, dateOrder: order } },
        };
      },
      ({ source, options }, ctx) => loadDataset(source, options, ctx),
    );
  }
  get dataset(): Dataset | undefined {
    return this.cell.out.value as Dataset | undefined;
  }
  get upload() {
    return uploads.files[this.cell.id];
  }
  setSource(source: string): void {
    this.nb.setParam(this.cell.id, 'source', source);
  }
  async upload_(file: File): Promise<void> {
    const text = await file.text();
    await uploads.put(this.cell.id, file.name, text);
    this.nb.setParam(this.cell.id, 'source', 'upload');
  }
}
