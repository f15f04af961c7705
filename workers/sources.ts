// The worker's I/O: fetching the bundled demo and streaming an uploaded File through the pure importer.
// Everything else the worker does is in src/lib/engine.
import { TransactionImporter } from '../src/lib/data/index.ts';
import { datasetFromImport, CDNOW_DEMO } from '../src/lib/engine/dataset.ts';
import type { OnProgress } from '../src/lib/engine/progress.ts';
import type { Dataset, DatasetOptions, DatasetSource } from '../src/lib/engine/types.ts';
import cdnowUrl from '../public/demo/cdnow_sample.txt?url';

const DEMOS = { cdnow: { url: cdnowUrl, ...CDNOW_DEMO } } as const;

async function importChunks(
  name: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  total: number,
  options: DatasetOptions,
  onProgress?: OnProgress,
): Promise<Dataset> {
  const importer = new TransactionImporter(options.import);
  let read = 0;
  for await (const chunk of chunks) {
    importer.push(chunk);
    read += chunk.byteLength;
    onProgress?.(total > 0 ? (0.9 * read) / total : 0.5, 'read');
  }
  onProgress?.(0.92, 'summaries');
  return datasetFromImport(name, importer.finish(), options);
}

/** Splits a byte array into chunks so that progress can be reported while parsing. */
function* slices(bytes: Uint8Array, size = 1 << 20): Iterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

async function* streamOf(file: Blob): AsyncIterable<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** Loads a dataset from any source kind. Errors say what to do (they come from the importer's report). */
export async function loadDataset(
  source: DatasetSource,
  onProgress?: OnProgress,
  options: DatasetOptions = {},
): Promise<Dataset> {
  switch (source.kind) {
    case 'demo': {
      const demo = DEMOS[source.id];
      if (!demo) throw new Error(`unknown demo dataset "${String(source.id)}"`);
      onProgress?.(0.02, 'download');
      const res = await fetch(demo.url);
      if (!res.ok) throw new Error(`could not load the demo data (${res.status} ${res.statusText})`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const { import: importOptions, unit, calibrationEnd, observationEnd, currency, name } = demo;
      return importChunks(
        name,
        slices(bytes),
        bytes.length,
        {
          import: importOptions,
          unit,
          calibrationEnd,
          observationEnd,
          currency,
          ...options,
        },
        onProgress,
      );
    }
    case 'upload': {
      const bytes = new TextEncoder().encode(source.text);
      return importChunks(source.name, slices(bytes), bytes.length, options, onProgress);
    }
    case 'bytes':
      return importChunks(source.name, slices(source.bytes), source.bytes.length, options, onProgress);
    case 'file': {
      const file = source.file as Blob;
      return importChunks(source.name, streamOf(file), file.size, options, onProgress);
    }
  }
}
