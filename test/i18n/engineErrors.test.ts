// Engine and model messages in 简体中文 (src/lib/i18n/engineErrors.ts). The English messages here are produced by
// the real engine and model code, so rewording one without its rule fails this test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engine, CDNOW_DEMO } from '../../src/lib/engine/index.ts';
import { fitRetentionModel } from '../../src/lib/engine/retention.ts';
import { fitBgNbd } from '../../src/lib/models/bgNbd.ts';
import { fitGammaGamma } from '../../src/lib/models/gammaGamma.ts';
import { ENGINE_MESSAGE_PATTERNS, localizeEngineMessage } from '../../src/lib/i18n/engineErrors.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const load = (name: string, text: string, options: Parameters<typeof engine.loadBytes>[0]['options'] = {}) =>
  engine.loadBytes({ name, bytes: enc(text), options });
/** The message `fn` throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

const cdnow = engine.loadBytes({
  name: 'cdnow',
  bytes: new Uint8Array(readFileSync(new URL('../../public/demo/cdnow_sample.txt', import.meta.url))),
  options: {
    import: CDNOW_DEMO.import,
    unit: CDNOW_DEMO.unit,
    calibrationEnd: CDNOW_DEMO.calibrationEnd,
    observationEnd: CDNOW_DEMO.observationEnd,
  },
});
const donations = load(
  'donations',
  readFileSync(new URL('../../public/demo/donations_rf.csv', import.meta.url), 'utf8'),
);
const rfm = load('rfm.csv', 'frequency,recency,T\n0,0,10\n2,5,10\n1,3,9\n');
const purchase = engine.fitPurchase({ data: cdnow.payload, model: 'bgnbd' }).report;

/** [what triggers it, the real English message, a value the Chinese text must keep]. */
const REAL: Array<[string, string, string]> = [
  ['all rows rejected', thrown(() => load('bad.csv', 'customer,date,amount\nA,nope,1\nB,never,2\n')), 'nope'],
  [
    'one customer',
    thrown(() => load('one.csv', 'customer,date,amount\nA,2024-01-01,1\nA,2024-02-01,2\n')),
    'A',
  ],
  [
    'one day',
    thrown(() => load('day.csv', 'customer,date,amount\nA,2024-01-01,1\nB,2024-01-01,2\n')),
    '2024-01-01',
  ],
  [
    'calibration end outside the data',
    thrown(() =>
      load('cal.csv', 'customer,date,amount\nA,2024-01-01,1\nB,2024-03-01,2\n', {
        calibrationEnd: '2030-01-01',
      }),
    ),
    '2030-01-01',
  ],
  // issue 12: calibration control, refunds, who a model uses
  [
    'calibration end on the first day',
    thrown(() =>
      load('cal1.csv', 'customer,date,amount\nA,2024-01-01,1\nB,2024-03-01,2\n', {
        calibrationEnd: '2024-01-01',
      }),
    ),
    '2024-01-01',
  ],
  [
    'holdout longer than the data',
    thrown(() =>
      load('weeks.csv', 'customer,date,amount\nA,2024-01-01,1\nB,2024-03-01,2\n', { holdoutWeeks: 52 }),
    ),
    '52',
  ],
  [
    'only refunds',
    thrown(() => load('refunds.csv', 'customer,date,amount\nA,2024-01-01,-1\nB,2024-03-01,-2\n')),
    'refunds.csv',
  ],
  [
    'spend model without repeat buyers',
    thrown(() =>
      engine.fitSpend({
        data: load('once.csv', 'customer,date,amount\nA,2024-01-01,1\nB,2024-03-01,2\nC,2024-02-01,3\n')
          .payload,
      }),
    ),
    '3',
  ],
  [
    'purchase model on an RFM table with T = 0 only',
    thrown(() =>
      engine.fitPurchase({
        // the RFM reader rejects such rows; a payload built elsewhere (a share link, an API) may still carry them
        data: {
          kind: 'rfm',
          unit: 'week',
          daysPerUnit: 7,
          customerIds: ['a', 'b'],
          frequency: new Float64Array([0, 1]),
          recency: new Float64Array([0, 0]),
          T: new Float64Array([0, 0]),
          monetaryValue: null,
          holdout: null,
        },
        model: 'bgnbd',
      }),
    ),
    'BG/NBD',
  ],
  [
    'cohorts of an RFM table',
    thrown(() => engine.cohorts({ data: rfm.payload, period: 'month', measure: 'customers' })),
    '',
  ],
  [
    'forecast without a spend model',
    thrown(() =>
      engine.forecast({ data: cdnow.payload, purchase, horizonMonths: 12, annualDiscount: 0.1, seed: 1 }),
    ),
    '',
  ],
  [
    'forecast horizon 0',
    thrown(() =>
      engine.forecast({ data: cdnow.payload, purchase, horizonMonths: 0, annualDiscount: 0.1, seed: 1 }),
    ),
    '0',
  ],
  [
    'BG/NBD on a BG/BB table',
    thrown(() => engine.fitPurchase({ data: donations.payload, model: 'bgnbd' })),
    'BG/NBD',
  ],
  ['BG/BB on transactions', thrown(() => engine.fitPurchase({ data: cdnow.payload, model: 'bgbb' })), ''],
  ['spend model on a BG/BB table', thrown(() => engine.fitSpend({ data: donations.payload })), ''],
  ['spend model on an RFM table without money', thrown(() => engine.fitSpend({ data: rfm.payload })), ''],
  ['retention without data', thrown(() => fitRetentionModel({ model: 'sbg', horizon: 4 })), ''],
  [
    'retention on an RFM table',
    thrown(() => fitRetentionModel({ data: rfm.payload, model: 'sbg', horizon: 4 })),
    'RFM',
  ],
  [
    'retention, empty pasted table',
    thrown(() => fitRetentionModel({ source: 'table', tableText: ' ', model: 'sbg', horizon: 4 })),
    '',
  ],
  [
    'repeat purchases at recency 0',
    thrown(() => fitBgNbd({ frequency: [2, 0], recency: [0, 0], T: [10, 10] })),
    '2',
  ],
  ['recency > T', thrown(() => fitBgNbd({ frequency: [1, 0], recency: [12, 0], T: [10, 10] })), '12'],
  ['no repeat buyers', thrown(() => fitBgNbd({ frequency: [0, 0], recency: [0, 0], T: [10, 10] })), '2'],
  ['Gamma-Gamma, one buyer', thrown(() => fitGammaGamma({ frequency: [2, 0], monetaryValue: [10, 0] })), '1'],
  [
    'Gamma-Gamma, identical buyers',
    thrown(() => fitGammaGamma({ frequency: [2, 2], monetaryValue: [10, 10] })),
    '',
  ],
];

describe('engine messages in 简体中文', () => {
  it.each(REAL)('%s: the real English message has a Chinese rule that keeps its values', (_, en, value) => {
    const zh = localizeEngineMessage('zh', en);
    expect(zh, en).not.toMatch(/以下为英文原文/);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(zh).not.toMatch(/\$\d/); // every placeholder filled
    if (value) expect(zh).toContain(value);
  });

  it('English is left as it is; a message without a rule is shown in English after a Chinese lead-in', () => {
    expect(localizeEngineMessage('en', REAL[0][1])).toBe(REAL[0][1]);
    expect(localizeEngineMessage('zh', 'something new happened')).toBe(
      '（以下为英文原文）something new happened',
    );
  });

  it('every rule is used by some message the code can produce (no dead rules)', () => {
    const samples = [
      ...REAL.map((r) => r[1]),
      // Messages that need a whole failing optimisation or a special table to trigger; their wording is copied
      // from src/lib/models/optimize/mle.ts, src/lib/engine/forecast.ts and dataset.ts.
      'the Hessian at the estimate is not positive definite (flat likelihood or a parameter at a boundary); standard errors are NaN — try a penalizer such as 0.001',
      'optimizer did not converge (line search failed); estimates may be inaccurate — try a penalizer such as 0.001',
      'a BG/BB table needs the BG/BB purchase model for the forecast (got bgnbd)',
      'the CLV forecast needs per-customer purchases (transactions or an RFM table); a survival table feeds the retention cell only',
      'the CLV forecast needs a BG/NBD, Pareto/NBD or MBG/NBD purchase model (got bgbb)',
      'the CLV forecast needs a monetary_value column in the RFM file (mean spend per repeat purchase)',
      'the CLV forecast needs an amount column: map one in the data cell',
      'the BG/BB residual value (DERT) needs a discount rate above 0%: with no discounting the expected number of future transactions can be infinite',
      'the purchase model needs per-customer purchases (a transaction log, an RFM or a BG/BB table); a survival table only feeds the retention cell',
      'no complete cohort period to fit: the data cover less than one full period',
      'no usable rows in shop.csv: 3 of 3 rows were rejected (see the import report for line numbers and reasons)',
      'the spend model needs an amount column: map one in the data cell',
    ];
    for (const re of ENGINE_MESSAGE_PATTERNS)
      expect(
        samples.some((s) => re.test(s)),
        String(re),
      ).toBe(true);
  });
});
