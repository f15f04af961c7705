/** Spend cell engine: Gamma-Gamma on the calibration period's repeat buyers, plus the independence check. */
import { rfmSummary } from '../data/index.ts';
import type { Transactions } from '../data/types.ts';
import { fitGammaGamma, ggPopulationMeanSpend, spendFrequencyCorrelation } from '../models/gammaGamma.ts';
import type { FitReport } from '../models/types.ts';
import type { OnProgress } from './progress.ts';
import type { DatasetPayload, SpendResult } from './types.ts';

/** Gamma-Gamma fit (Fader, Hardie & Lee 2005) on customers with x > 0 and positive mean repeat spend. */
export function fitSpendModel(
  input: { data: DatasetPayload; penalizer?: number },
  onProgress?: OnProgress,
): SpendResult {
  const d = input.data;
  onProgress?.(0.1, 'RFM summary');
  const rfm = rfmSummary(d.transactions as Transactions, {
    unit: d.unit,
    observationEnd: d.observationEnd,
    calibrationEnd: d.calibrationEnd,
  });
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
