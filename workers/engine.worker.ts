/// <reference lib="webworker" />
// Thin comlink shell over the pure engine (src/lib/engine) plus the I/O of reading files (sources.ts) and the
// datasets this worker holds (datasets.ts). Big per-customer results move to the page by transfer.
import { expose, transfer } from 'comlink';
import { engine } from '../src/lib/engine/index.ts';
import type { DatasetOptions, DatasetSource, ForecastResult } from '../src/lib/engine/types.ts';
import type { OnProgress } from '../src/lib/engine/progress.ts';
import { loadDataset } from './sources.ts';
import { keep, resolveData } from './datasets.ts';
import { copyForTransfer, pack, unpack } from './wire.ts';

type Engine = typeof engine;

/**
 * Every engine method with its `data` reference resolved and long string lists unpacked from the input,
 * packed in the answer (wire.ts); same signature: the client's types come from it.
 */
function withDatasets<E extends Record<string, (input: never, onProgress?: OnProgress) => unknown>>(e: E): E {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(e))
    out[name] = (input: unknown, onProgress?: OnProgress) =>
      pack((fn as (i: unknown, p?: OnProgress) => unknown)(resolveData(unpack(input)), onProgress));
  return out as E;
}

/** The buffers of a forecast's per-customer columns (sent, not copied: the worker keeps nothing of them). */
function forecastBuffers(r: ForecastResult): ArrayBuffer[] {
  const arrays = [
    r.clv,
    r.clvLow,
    r.clvHigh,
    r.pAlive,
    r.expectedPurchases,
    r.expectedSpend,
    r.weights,
    r.byValue,
  ];
  if (r.history) arrays.push(r.history.frequency, r.history.recency, r.history.T, r.history.monetaryValue);
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer && a.byteLength > 0) out.add(a.buffer);
  return [...out];
}

const resolved = withDatasets(engine);
const api = {
  ...resolved,
  forecast(input: Parameters<Engine['forecast']>[0], onProgress?: OnProgress): ForecastResult {
    const r = resolved.forecast(input, onProgress);
    return transfer(r, forecastBuffers(r));
  },
  forecastIntervals(input: Parameters<Engine['forecastIntervals']>[0], onProgress?: OnProgress) {
    const r = resolved.forecastIntervals(input, onProgress);
    return transfer(r, [r.low.buffer, r.high.buffer]);
  },
  /**
   * Demo, pasted text, bytes or a File (streamed in chunks with progress). With `keep` the worker holds the
   * dataset under that id for later calls (`keptAs` in the answer).
   */
  async loadDataset(
    input: DatasetSource & { options?: DatasetOptions; keep?: string },
    onProgress?: OnProgress,
  ) {
    const ds = await loadDataset(input, onProgress, input.options);
    if (input.keep) keep(input.keep, ds.payload);
    // The worker keeps its payload; the page gets copies of the columns by transfer, string lists packed.
    const { value, buffers } = copyForTransfer(pack({ ...ds, keptAs: input.keep }));
    return transfer(value, buffers);
  },
};

export type EngineApi = typeof api;
expose(api);
