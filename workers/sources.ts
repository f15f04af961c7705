// The worker's I/O: fetching the bundled demos and streaming an uploaded File through the pure importer (or,
// for a ready-made summary — RFM, BG/BB, survival — reading its text with the strict summary readers).
// Everything else the worker does is in src/lib/engine.
import { TransactionImporter } from '../src/lib/data/index.ts';
import {
  datasetFromImport,
  datasetFromSummaryText,
  detectSummaryKind as datasetKindOfHeader,
  CDNOW_DEMO,
  CDNOW_RFM_DEMO,
  DONATIONS_DEMO,
} from '../src/lib/engine/dataset.ts';
import type { OnProgress } from '../src/lib/engine/progress.ts';
import type { Dataset, DatasetOptions, DatasetSource, DemoId } from '../src/lib/engine/types.ts';
import cdnowUrl from '../public/demo/cdnow_sample.txt?url';
import cdnowRfmUrl from '../public/demo/cdnow_rfm_weeks.csv?url';
import donationsUrl from '../public/demo/donations_rf.csv?url';

type Demo = { url: string; name: string } & DatasetOptions;
const DEMOS: Record<DemoId, Demo> = {
  cdnow: { url: cdnowUrl, ...CDNOW_DEMO },
  'cdnow-rfm': { url: cdnowRfmUrl, ...CDNOW_RFM_DEMO },
  donations: { url: donationsUrl, ...DONATIONS_DEMO },
};

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

/** A ready summary read from text (kind asked for, or detected from the header), or null for a transaction log. */
function summaryOf(
  name: string,
  text: string,
  options: DatasetOptions,
  onProgress?: OnProgress,
  origin?: string,
): Dataset | null {
  if (options.summaryKind === 'transactions') return null;
  onProgress?.(0.3, 'read summary');
  return datasetFromSummaryText(name, text, options, origin);
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
      const { url: _url, name, ...demoOptions } = demo;
      const opts: DatasetOptions = { ...demoOptions, ...options };
      if (demo.summaryKind && demo.summaryKind !== 'transactions') {
        const text = new TextDecoder().decode(bytes);
        const ds = summaryOf(
          name,
          text,
          { ...opts, summaryKind: demo.summaryKind },
          onProgress,
          'bundled demo',
        );
        if (ds) return ds;
      }
      return importChunks(name, slices(bytes), bytes.length, opts, onProgress);
    }
    case 'upload': {
      const ds = summaryOf(source.name, source.text, options, onProgress);
      if (ds) return ds;
      const bytes = new TextEncoder().encode(source.text);
      return importChunks(source.name, slices(bytes), bytes.length, options, onProgress);
    }
    case 'bytes': {
      if (options.summaryKind !== 'transactions') {
        const ds = summaryOf(source.name, new TextDecoder().decode(source.bytes), options, onProgress);
        if (ds) return ds;
      }
      return importChunks(source.name, slices(source.bytes), source.bytes.length, options, onProgress);
    }
    case 'file': {
      const file = source.file as Blob;
      if (options.summaryKind !== 'transactions') {
        // Sniff the header first; only a summary is read whole (summaries are small: one row per customer).
        const head = await file.slice(0, 65536).text();
        const asked = options.summaryKind ?? 'auto';
        if (asked !== 'auto' || datasetKindOfHeader(head) !== 'transactions') {
          const ds = summaryOf(source.name, await file.text(), options, onProgress);
          if (ds) return ds;
        }
      }
      return importChunks(source.name, streamOf(file), file.size, options, onProgress);
    }
  }
}
