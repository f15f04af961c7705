/** Spend cell engine: Gamma-Gamma on the calibration period's repeat buyers, plus the independence check. */
import { rfmSummary } from '../data/index.ts';
import type { Transactions } from '../data/types.ts';
import { fitGammaGamma, ggPopulationMeanSpend, spendFrequencyCorrelation } from '../models/gammaGamma.ts';
import type { FitReport } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type { AnyDatasetPayload, SpendResult } from './types.ts';

/** Frequency and mean repeat spend per customer from any dataset kind that has them, or a message why not. */
function spendColumns(d: AnyDatasetPayload): { frequency: Float64Array; monetaryValue: Float64Array | null } {
  if (d.kind === 'rfm') {
    if (!d.monetaryValue)
      throw new Error(
        'the spend model needs a monetary_value column (mean spend per repeat purchase) in the RFM file',
      );
    return { frequency: d.frequency, monetaryValue: d.monetaryValue };
  }
  if (d.kind === 'bgbb')
    throw new Error(
      'the Gamma-Gamma spend model needs spend per customer, which a BG/BB table has not: the forecast uses its value column (value per transaction) instead, or counts transactions',
    );
  if (d.kind === 'survival')
    throw new Error(
      'the spend model needs per-customer spend (transactions or an RFM table with monetary_value)',
    );
  const rfm = rfmSummary(d.transactions as Transactions, {
    unit: d.unit,
    observationEnd: d.observationEnd,
    calibrationEnd: d.calibrationEnd,
  });
  return rfm;
}

/** Gamma-Gamma fit (Fader, Hardie & Lee 2005) on customers with x > 0 and positive mean repeat spend. */
export function fitSpendModel(
  input: { data: AnyDatasetPayload; penalizer?: number },
  onProgress?: OnProgress,
): SpendResult {
  onProgress?.(0.1, 'RFM summary');
  const rfm = spendColumns(input.data);
  if (!rfm.monetaryValue) throw new Error('the spend model needs an amount column: map one in the data cell');
  let used = 0;
  for (let i = 0; i < rfm.frequency.length; i++) if (rfm.frequency[i] > 0 && rfm.monetaryValue[i] > 0) used++;
  onProgress?.(0.3, 'fit Gamma-Gamma');
  const fit = fitGammaGamma(
    { frequency: rfm.frequency, monetaryValue: rfm.monetaryValue },
    { penalizer: input.penalizer ?? 0 },
  );
  const check = spendFrequencyCorrelation(rfm.frequency, rfm.monetaryValue);
  onProgress?.(1, 'done');
  return {
    report: fit as unknown as FitReport,
    correlation: check.r,
    verdict: check.verdict,
    meanSpend: ggPopulationMeanSpend(fit.params),
    used,
    skipped: rfm.frequency.length - used,
  };
}
