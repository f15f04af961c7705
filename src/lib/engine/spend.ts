/** Spend cell engine: Gamma-Gamma on the calibration period's repeat buyers, plus the independence check. */
import { cachedRfm } from './rfmCache.ts';
import { isoDate } from '../data/dates.ts';
import type { Transactions } from '../data/types.ts';
import { fitGammaGamma, ggPopulationMeanSpend, spendFrequencyCorrelation } from '../models/gammaGamma.ts';
import type { FitReport } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type { AnyDatasetPayload, CustomersUsed, ExclusionReason, SpendResult } from './types.ts';
import { exclusionText } from './purchase.ts';

interface SpendColumns {
  frequency: Float64Array;
  monetaryValue: Float64Array | null;
  /** Customers in the dataset and those outside the calibration RFM (first seen on/after its end). */
  total: number;
  holdoutOnly: number;
  calibrationEnd?: string;
}

/** Frequency and mean repeat spend per customer from any dataset kind that has them, or a message why not. */
function spendColumns(d: AnyDatasetPayload): SpendColumns {
  if (d.kind === 'rfm') {
    if (!d.monetaryValue)
      throw new Error(
        'the spend model needs a monetary_value column (mean spend per repeat purchase) in the RFM file',
      );
    return {
      frequency: d.frequency,
      monetaryValue: d.monetaryValue,
      total: d.frequency.length,
      holdoutOnly: 0,
    };
  }
  if (d.kind === 'bgbb')
    throw new Error(
      'the Gamma-Gamma spend model needs spend per customer, which a BG/BB table has not: the forecast uses its value column (value per transaction) instead, or counts transactions',
    );
  if (d.kind === 'survival')
    throw new Error(
      'the spend model needs per-customer spend (transactions or an RFM table with monetary_value)',
    );
  const tx = d.transactions as Transactions;
  const rfm = cachedRfm(tx, {
    unit: d.unit,
    observationEnd: d.observationEnd,
    calibrationEnd: d.calibrationEnd,
  });
  return {
    frequency: rfm.frequency,
    monetaryValue: rfm.monetaryValue,
    total: tx.customerIds.length,
    holdoutOnly: rfm.customersExcluded,
    calibrationEnd: isoDate(d.calibrationEnd),
  };
}

/**
 * Gamma-Gamma fit (Fader, Hardie & Lee 2005) on the customers with x > 0 and a positive mean repeat spend. The
 * others are left out and counted by reason (no repeat purchase, mean spend <= 0, holdout only, a value that is
 * not a number), never a reason to fail; an error names what to change only when fewer than two remain.
 */
export function fitSpendModel(
  input: { data: AnyDatasetPayload; penalizer?: number },
  onProgress?: OnProgress,
): SpendResult {
  onProgress?.(0.1, 'RFM summary');
  const cols = spendColumns(input.data);
  const mv = cols.monetaryValue;
  if (!mv) throw new Error('the spend model needs an amount column: map one in the data cell');
  const n = cols.frequency.length;
  const counts = new Map<ExclusionReason, number>();
  const bump = (r: ExclusionReason) => counts.set(r, (counts.get(r) ?? 0) + 1);
  const keep = new Uint8Array(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    const x = cols.frequency[i];
    const m = mv[i];
    if (!(Number.isFinite(x) && x >= 0 && Number.isFinite(m))) bump('invalid');
    else if (x === 0) bump('no-repeat');
    else if (!(m > 0)) bump('non-positive-spend');
    else {
      keep[i] = 1;
      used++;
    }
  }
  const excluded: CustomersUsed['excluded'] = [];
  if (cols.holdoutOnly > 0) excluded.push({ reason: 'holdout-only', customers: cols.holdoutOnly });
  for (const [reason, customers] of counts) excluded.push({ reason, customers });
  const customers: CustomersUsed = {
    used,
    total: cols.total,
    excluded,
    ...(cols.calibrationEnd ? { calibrationEnd: cols.calibrationEnd } : {}),
  };
  if (used < 2)
    throw new Error(
      `the spend model (Gamma-Gamma) needs at least 2 customers with a repeat purchase and a positive mean repeat spend${cols.calibrationEnd ? ` before the calibration end ${cols.calibrationEnd}` : ''} (got ${used} of ${cols.total.toLocaleString('en-US')}: ${exclusionText(excluded)}). ${cols.calibrationEnd ? 'Choose a later calibration end in the data cell, or check the amount column' : 'Check the monetary_value column'}`,
    );
  const frequency = new Float64Array(used);
  const monetaryValue = new Float64Array(used);
  for (let i = 0, w = 0; i < n; i++)
    if (keep[i]) {
      frequency[w] = cols.frequency[i];
      monetaryValue[w++] = mv[i];
    }
  onProgress?.(0.3, 'fit Gamma-Gamma');
  const fit = fitGammaGamma({ frequency, monetaryValue }, { penalizer: input.penalizer ?? 0 });
  const check = spendFrequencyCorrelation(frequency, monetaryValue);
  onProgress?.(1, 'done');
  return {
    report: fit as unknown as FitReport,
    correlation: check.r,
    verdict: check.verdict,
    meanSpend: ggPopulationMeanSpend(fit.params),
    used,
    skipped: n - used,
    customers,
  };
}
