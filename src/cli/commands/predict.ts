import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { CliError, numberOption, writeOutput } from '../io.ts';
import type {
  BgBbParams,
  BdwParams,
  GammaGammaParams,
  ModelName,
  SbgParams,
} from '../../lib/models/types.ts';
import { MODELS } from '../../lib/models/registry.ts';
import { predictClv, toPurchaseModel, type PurchaseModel, type SpendModel } from '../../lib/models/clv.ts';
import { fitGammaGamma, ggConditionalExpectedSpend } from '../../lib/models/gammaGamma.ts';
import { bgbbPredictCustomers } from '../../lib/models/bgbb.ts';
import { sbgRetention, sbgSurvival } from '../../lib/models/sbg.ts';
import { bdwRetention, bdwSurvival } from '../../lib/models/bdw.ts';
import { loadInput, modelArg, runFit } from './fit.ts';

/** Parses a `--params` JSON object holding exactly the model's positive parameters. */
function paramsOption(option: string, text: string, names: readonly string[]): Record<string, number> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new CliError(
      `--${option} must be a JSON object like {${names.map((n) => `"${n}":1`).join(',')}} (got ${JSON.stringify(text)})`,
    );
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new CliError(`--${option} must be a JSON object with keys ${names.join(', ')}`);
  const o = v as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const k of names) {
    const x = o[k];
    if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) {
      throw new CliError(
        `--${option} needs "${k}" as a positive number (got ${JSON.stringify(x)}); keys: ${names.join(', ')}`,
      );
    }
    out[k] = x;
  }
  const extra = Object.keys(o).filter((k) => !names.includes(k));
  if (extra.length > 0)
    throw new CliError(`--${option} has unknown key "${extra[0]}" (keys: ${names.join(', ')})`);
  return out;
}

/** Shortest round-trip text of a number; non-finite values are an internal error (never printed). */
function cell(v: number): string {
  if (!Number.isFinite(v))
    throw new CliError(`internal error: a prediction is not finite (${v}); please report the input`, 1);
  return String(v);
}

const USAGE = `clv predict MODEL FILE --horizon H [--params JSON] [--spend-params JSON] [--discount-rate D]
                 [--margin M] [--interval 0.8] [--draws N] [--seed S] [--penalizer X] [--out FILE]

Fits MODEL to FILE first unless --params is given, then writes per-customer predictions as CSV:
  bgnbd, pnbd, mbgnbd  customer_id,p_alive,expected_purchases[,expected_spend,clv,clv_low,clv_high]
                       (spend and CLV when FILE has monetary_value or --spend-params is given; Gamma-Gamma)
  bgbb                 customer_id,p_alive,expected_purchases[,weights]  (customer_id = row number; H in opportunities)
  gg                   customer_id,expected_spend
  sbg, bdw             period,survival,retention for periods 0..H
Units: H and D are in the data's own time unit (the unit of T): --discount-rate 0.002 with weekly data means
0.2% per week. CLV = margin × expected spend × purchases over (T, T+H] discounted continuously at (1+D)^(−t).
  --params JSON        e.g. '{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}' (skips the fit; intervals then
                       reflect the purchase process only)
  --spend-params JSON  Gamma-Gamma '{"p":6.25,"q":3.74,"gamma":15.44}' (default: fitted to monetary_value)
  --margin M           fraction of spend kept as margin (default 1)
  --interval P         central probability of the CLV interval (default 0.8); --draws N Monte Carlo worlds (default 200)
  --seed S             Monte Carlo seed (default 0): same seed, same numbers
  --out FILE           write the CSV there (default stdout)`;

export const command: Command = {
  summary: 'per-customer P(alive), expected purchases and CLV with intervals',
  usage: USAGE,
  run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        horizon: { type: 'string' },
        params: { type: 'string' },
        'spend-params': { type: 'string' },
        'discount-rate': { type: 'string' },
        margin: { type: 'string' },
        interval: { type: 'string' },
        draws: { type: 'string' },
        seed: { type: 'string' },
        penalizer: { type: 'string' },
        out: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const model = modelArg(positionals[0]);
    const file = positionals[1];
    if (file === undefined) throw new CliError(`missing FILE (usage: clv predict ${model} FILE --horizon H)`);
    if (positionals.length > 2) throw new CliError(`unexpected argument "${positionals[2]}"`);
    const horizon = numberOption('horizon', values.horizon);
    if (!(horizon > 0))
      throw new CliError(`--horizon must be > 0 in the data's time unit (got ${values.horizon})`);
    const discountRate = numberOption('discount-rate', values['discount-rate'], 0);
    if (discountRate < 0) throw new CliError(`--discount-rate must be >= 0 (got ${values['discount-rate']})`);
    const margin = numberOption('margin', values.margin, 1);
    const interval = numberOption('interval', values.interval, 0.8);
    if (!(interval > 0 && interval < 1))
      throw new CliError(`--interval must be between 0 and 1, e.g. 0.8 (got ${values.interval})`);
    const draws = numberOption('draws', values.draws, 200);
    if (!(draws >= 2) || draws !== Math.floor(draws))
      throw new CliError(`--draws must be a whole number >= 2 (got ${values.draws})`);
    const seed = numberOption('seed', values.seed, 0);
    const penalizer = numberOption('penalizer', values.penalizer, 0);
    if (penalizer < 0) throw new CliError(`--penalizer must be >= 0 (got ${values.penalizer})`);
    const entry = MODELS[model];
    const given =
      values.params !== undefined ? paramsOption('params', values.params, entry.paramNames) : undefined;
    if (values['spend-params'] !== undefined && entry.input !== 'rfm' && model !== 'gg') {
      throw new CliError(`--spend-params applies to bgnbd, pnbd and mbgnbd (not ${model})`);
    }
    const spendGiven =
      values['spend-params'] !== undefined
        ? paramsOption('spend-params', values['spend-params'], ['p', 'q', 'gamma'])
        : undefined;

    const loaded = loadInput(model, file);
    const fitted = given ? null : runFit(model, loaded, file, penalizer);
    const params = given ?? (fitted as NonNullable<typeof fitted>).params;
    const covariance = fitted?.covariance;
    if (fitted?.message) process.stderr.write(`clv predict: ${fitted.message}\n`);
    const lines: string[] = [];
    try {
      lines.push(
        ...predictLines(model, loaded, params, covariance, spendGiven, {
          horizon,
          discountRate,
          margin,
          interval,
          draws,
          seed,
          penalizer,
          file,
        }),
      );
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`${file}: ${(e as Error).message}`);
    }
    writeOutput(lines.join('\n') + '\n', values.out);
    return 0;
  },
};

interface PredictSettings {
  horizon: number;
  discountRate: number;
  margin: number;
  interval: number;
  draws: number;
  seed: number;
  penalizer: number;
  file: string;
}

function predictLines(
  model: ModelName,
  loaded: ReturnType<typeof loadInput>,
  params: Record<string, number>,
  covariance: number[][] | undefined,
  spendGiven: Record<string, number> | undefined,
  o: PredictSettings,
): string[] {
  const lines: string[] = [];
  if (model === 'bgnbd' || model === 'pnbd' || model === 'mbgnbd') {
    const t = loaded.rfm!;
    const purchase: PurchaseModel = toPurchaseModel(model, params, covariance);
    let spend: SpendModel | null = null;
    if (spendGiven) spend = { params: spendGiven as unknown as GammaGammaParams };
    else if (t.monetaryValue) {
      const keep: number[] = [];
      for (let i = 0; i < t.frequency.length; i++)
        if (t.frequency[i] > 0 && t.monetaryValue[i] > 0) keep.push(i);
      if (keep.length >= 2) {
        const gg = fitGammaGamma(
          {
            frequency: Float64Array.from(keep, (i) => t.frequency[i]),
            monetaryValue: Float64Array.from(keep, (i) => (t.monetaryValue as Float64Array)[i]),
          },
          { penalizer: o.penalizer },
        );
        if (gg.message) process.stderr.write(`clv predict: Gamma-Gamma: ${gg.message}\n`);
        spend = { params: gg.params, covariance: gg.covariance };
      } else {
        process.stderr.write(
          'clv predict: fewer than 2 customers with frequency > 0 and monetary_value > 0: no spend/CLV columns\n',
        );
      }
    }
    if (spend && !t.monetaryValue)
      throw new CliError(
        `${o.file}: --spend-params needs a monetary_value column (mean spend per repeat purchase)`,
      );
    const res = predictClv(
      purchase,
      {
        frequency: t.frequency,
        recency: t.recency,
        T: t.T,
        ...(t.monetaryValue ? { monetaryValue: t.monetaryValue } : {}),
      },
      spend,
      {
        horizon: o.horizon,
        discountRate: o.discountRate,
        discountPeriod: 1,
        margin: o.margin,
        interval: o.interval,
        draws: o.draws,
        seed: o.seed,
      },
    );
    for (const n of res.notes) process.stderr.write(`clv predict: ${n}\n`);
    lines.push(
      spend
        ? 'customer_id,p_alive,expected_purchases,expected_spend,clv,clv_low,clv_high'
        : 'customer_id,p_alive,expected_purchases',
    );
    for (let i = 0; i < t.frequency.length; i++) {
      let line = `${csvText(t.customerId[i])},${cell(res.pAlive[i])},${cell(res.expectedPurchases[i])}`;
      if (spend && res.expectedSpend && res.clv && res.clvLow && res.clvHigh) {
        line += `,${cell(res.expectedSpend[i])},${cell(res.clv[i])},${cell(res.clvLow[i])},${cell(res.clvHigh[i])}`;
      }
      lines.push(line);
    }
    return lines;
  }
  if (model === 'gg') {
    const t = loaded.rfm!;
    const m = t.monetaryValue as Float64Array;
    lines.push('customer_id,expected_spend');
    for (let i = 0; i < t.frequency.length; i++) {
      lines.push(
        `${csvText(t.customerId[i])},${cell(ggConditionalExpectedSpend(params as unknown as GammaGammaParams, t.frequency[i], m[i]))}`,
      );
    }
    return lines;
  }
  if (model === 'bgbb') {
    const t = loaded.bgbb!;
    if (o.horizon !== Math.floor(o.horizon))
      throw new CliError(
        `--horizon for bgbb counts transaction opportunities: a whole number (got ${o.horizon})`,
      );
    const pr = bgbbPredictCustomers(params as unknown as BgBbParams, t, o.horizon);
    const hasWeights = t.weights.some((w) => w !== 1);
    lines.push(
      hasWeights
        ? 'customer_id,p_alive,expected_purchases,weights'
        : 'customer_id,p_alive,expected_purchases',
    );
    for (let i = 0; i < t.frequency.length; i++) {
      lines.push(
        `${i + 1},${cell(pr.probabilityAlive[i])},${cell(pr.expectedTransactions[i])}${hasWeights ? `,${t.weights[i]}` : ''}`,
      );
    }
    return lines;
  }
  // sbg / bdw: survival and retention projections per period.
  const H = Math.floor(o.horizon);
  lines.push('period,survival,retention');
  for (let k = 0; k <= H; k++) {
    const s =
      model === 'sbg'
        ? sbgSurvival(params as unknown as SbgParams, k)
        : bdwSurvival(params as unknown as BdwParams, k);
    const r =
      k === 0
        ? 1
        : model === 'sbg'
          ? sbgRetention(params as unknown as SbgParams, k)
          : bdwRetention(params as unknown as BdwParams, k);
    lines.push(`${k},${cell(s)},${cell(r)}`);
  }
  return lines;
}

/** Quotes a CSV field when needed. */
function csvText(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
