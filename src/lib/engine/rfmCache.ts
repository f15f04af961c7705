/**
 * The RFM summary of a transaction log, computed once per log and settings. The worker keeps each dataset
 * by id (workers/datasets.ts), so the same Transactions object comes back on every call: the data, purchase,
 * spend and forecast cells share one summary instead of four (~0.3 s each at 430k customers). Callers must
 * not change the arrays they get.
 */
import { rfmSummary } from '../data/index.ts';
import type { RfmSummary, TimeUnit, Transactions } from '../data/types.ts';

/** Settings kept per log (a calibration-end change adds one; older ones are dropped). */
const KEEP = 4;
const cache = new WeakMap<Transactions, Map<string, RfmSummary>>();

/** rfmSummary(tx, settings), from the cache when this log was summarised with the same settings. */
export function cachedRfm(
  tx: Transactions,
  settings: { unit: TimeUnit; observationEnd: number; calibrationEnd?: number },
): RfmSummary {
  const key = `${settings.unit}|${settings.observationEnd}|${settings.calibrationEnd ?? ''}`;
  let byKey = cache.get(tx);
  if (!byKey) cache.set(tx, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const rfm = rfmSummary(tx, settings);
  byKey.set(key, rfm);
  while (byKey.size > KEEP) byKey.delete(byKey.keys().next().value!);
  return rfm;
}
