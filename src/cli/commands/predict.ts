import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { CliError, checkWritable, numberOption, writeOutput } from '../io.ts';
import { clip } from '../../lib/data/summaries.ts';
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
import { sbgDel, sbgDerl, sbgRetention, sbgSurvival } from '../../lib/models/sbg.ts';
import { bdwDel, bdwDerl, bdwRetention, bdwSurvival } from '../../lib/models/bdw.ts';
import { loadInput, modelArg, modelError, runFit } from './fit.ts';

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

/** Largest --horizon for bgnbd/pnbd/mbgnbd, in data time units (a million days is 2,700 years). */
export const MAX_HORIZON = 1e6;
/** Largest --horizon for the discrete models (sbg/bdw periods, bgbb opportunities): one output row each for sbg/bdw. */
export const MAX_PERIODS = 10_000;
/** Largest --draws (Monte Carlo worlds per customer history). */
export const MAX_DRAWS = 100_000;
/** Largest |--margin| (a fraction of spend: 0.3 = 30%). */
export const MAX_MARGIN = 10;

/** Where a non-finite prediction came from, for a message that says what to change. */
interface CellContext {
  file: string;
  column: string;
  /** File line of the customer's row, when known. */
  line?: number;
  who: string;
}

/** Shortest round-trip text of a number; a non-finite value is bad input (extreme values), exit 2 naming it. */
function cell(v: number, c: CellContext): string {
  if (!Number.isFinite(v)) {
    throw new CliError(
      `${c.line !== undefined ? `${c.file}:${c.line}` : c.file}: ${c.column} for ${c.who} is ${v} — ` +
        'the parameters or values are too extreme for float64; check --params/--spend-params, --margin and that row',
    );
  }
  return String(v);
}

/** Gamma-Gamma's mean spend p·gamma/(q − 1) exists only for q > 1: refuse q <= 1 with what it means. */
function checkSpendQ(q: number, where: string): void {
  if (!(q > 1))
    throw new CliError(
      `${where} has q = ${q}, but Gamma-Gamma's mean spend p·gamma/(q − 1) is finite only for q > 1 ` +
        '(a fitted q <= 1 means the spend data are too heavy-tailed for the model)',
    );
}

const USAGE = `clv predict MODEL FILE --horizon H [--params JSON] [--spend-params JSON] [--discount-rate D]
                 [--margin M] [--interval P] [--draws N] [--seed S] [--penalizer X] [--out FILE]

Fits MODEL to FILE first unless --params is given, then writes per-customer predictions as CSV:
  bgnbd, pnbd, mbgnbd  customer_id,p_alive,expected_purchases[,expected_spend,clv[,clv_low,clv_high]]
                       (spend and CLV when FILE has monetary_value or --spend-params is given; Gamma-Gamma;
                       clv_low,clv_high only with --interval or --draws)
  bgbb                 customer_id,p_alive,expected_purchases[,dert][,weights]  (customer_id = row number;
                       H in opportunities; dert = discounted expected residual transactions, with --discount-rate)
  gg                   customer_id,expected_spend   (H is not used)
  sbg, bdw             period,survival,retention for periods 0..H (+ derl with --discount-rate, DEL in a note)
Units: H and D are in the data's own time unit (the unit of T): --discount-rate 0.002 with weekly data means
0.2% per week. CLV = margin × expected spend × purchases over (T, T+H] discounted continuously at (1+D)^(−t).
  --horizon H          > 0; at most ${MAX_HORIZON.toExponential(0).replace('+', '')} for bgnbd/pnbd/mbgnbd; a whole number of periods (<= ${MAX_PERIODS.toLocaleString('en-US')}) for sbg, bdw, bgbb
  --params JSON        e.g. '{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}' (skips the fit; intervals then
                       reflect the purchase process only)
  --spend-params JSON  Gamma-Gamma '{"p":6.25,"q":3.74,"gamma":15.44}', q > 1 (default: fitted to monetary_value)
  --discount-rate D    >= 0 per data time unit (bgnbd/pnbd/mbgnbd CLV; bgbb: per opportunity, adds dert;
                       sbg/bdw: per period, adds derl)
  --margin M           fraction of spend kept as margin, between -${MAX_MARGIN} and ${MAX_MARGIN} (default 1)
  --interval P         adds clv_low,clv_high: the central P interval of CLV by seeded Monte Carlo (default 0.8
                       when only --draws is given). Intervals cost ~150 µs per distinct customer history at
                       200 draws, so they are computed only on request.
  --draws N            Monte Carlo worlds for the interval, 2..${MAX_DRAWS.toLocaleString('en-US')} (default 200)
  --seed S             Monte Carlo seed (default 0): same seed, same numbers
  --out FILE           write the CSV there (default stdout); checked before any work`;

export const command: Command = {
  summary: 'per-customer P(alive), expected purchases and CLV (with intervals on request)',
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
    const entry = MODELS[model];
    const discrete = model === 'sbg' || model === 'bdw' || model === 'bgbb';
    const horizon = numberOption('horizon', values.horizon);
    if (!(horizon > 0))
      throw new CliError(`--horizon must be > 0 in the data's time unit (got ${values.horizon})`);
    if (discrete) {
      const what = model === 'bgbb' ? 'transaction opportunities' : 'periods';
      if (horizon !== Math.floor(horizon))
        throw new CliError(`--horizon for ${model} counts ${what}: a whole number (got ${values.horizon})`);
      if (horizon > MAX_PERIODS)
        throw new CliError(
          `--horizon for ${model} is at most ${MAX_PERIODS.toLocaleString('en-US')} ${what} (got ${values.horizon})`,
        );
    } else if (horizon > MAX_HORIZON) {
      throw new CliError(
        `--horizon is at most ${MAX_HORIZON.toExponential(0).replace('+', '')} data time units (got ${values.horizon}); ` +
          'CLV over longer horizons is dominated by the discounting anyway',
      );
    }
    const discountRate = numberOption('discount-rate', values['discount-rate'], 0);
    if (discountRate < 0) throw new CliError(`--discount-rate must be >= 0 (got ${values['discount-rate']})`);
    if (values['discount-rate'] !== undefined && model === 'gg')
      throw new CliError(
        '--discount-rate applies to bgnbd, pnbd, mbgnbd (CLV), bgbb (dert column) and sbg, bdw (del/derl), ' +
          'not gg: gg predicts spend per purchase, nothing is discounted',
      );
    const margin = numberOption('margin', values.margin, 1);
    if (!(Math.abs(margin) <= MAX_MARGIN))
      throw new CliError(
        `--margin is a fraction of spend between -${MAX_MARGIN} and ${MAX_MARGIN}, e.g. 0.3 for 30% (got ${values.margin})`,
      );
    const wantInterval = values.interval !== undefined || values.draws !== undefined;
    const interval = numberOption('interval', values.interval, 0.8);
    if (!(interval > 0 && interval < 1))
      throw new CliError(`--interval must be between 0 and 1, e.g. 0.8 (got ${values.interval})`);
    const draws = numberOption('draws', values.draws, 200);
    if (!(draws >= 2) || draws !== Math.floor(draws))
      throw new CliError(`--draws must be a whole number >= 2 (got ${values.draws})`);
    if (draws > MAX_DRAWS)
      throw new CliError(
        `--draws is at most ${MAX_DRAWS.toLocaleString('en-US')} Monte Carlo worlds (got ${values.draws}); ` +
          '200-2,000 already give stable 80% intervals',
      );
    const seed = numberOption('seed', values.seed, 0);
    if (!(seed >= 0 && seed <= 0xffffffff) || seed !== Math.floor(seed))
      throw new CliError(`--seed must be a whole number from 0 to 4294967295 (got ${values.seed})`);
    const penalizer = numberOption('penalizer', values.penalizer, 0);
    if (penalizer < 0) throw new CliError(`--penalizer must be >= 0 (got ${values.penalizer})`);
    const given =
      values.params !== undefined ? paramsOption('params', values.params, entry.paramNames) : undefined;
    if (given && model === 'gg') checkSpendQ(given.q, '--params');
    if (values['spend-params'] !== undefined && entry.input !== 'rfm') {
      throw new CliError(`--spend-params applies to bgnbd, pnbd and mbgnbd (not ${model})`);
    }
    const spendGiven =
      values['spend-params'] !== undefined
        ? paramsOption('spend-params', values['spend-params'], ['p', 'q', 'gamma'])
        : undefined;
    if (spendGiven) checkSpendQ(spendGiven.q, '--spend-params');
    checkWritable(values.out);

    const notes: string[] = [];
    const loaded = loadInput(model, file);
    const fitted = given ? null : runFit(model, loaded, file, penalizer);
    const params = given ?? (fitted as NonNullable<typeof fitted>).params;
    if (fitted && model === 'gg') checkSpendQ(params.q, `${file}: the Gamma-Gamma fit`);
    const covariance = fitted?.covariance;
    if (fitted?.message) notes.push(fitted.message);
    let text: string;
    try {
      text = predictText(model, loaded, params, covariance, spendGiven, notes, {
        horizon,
        discountRate,
        hasDiscount: values['discount-rate'] !== undefined,
        margin,
        interval: wantInterval ? interval : 0,
        draws,
        seed,
        penalizer,
        file,
      });
    } catch (e) {
      throw modelError(e, file, loaded);
    }
    writeOutput(text, values.out);
    // Notes only once the output is written: a failing run prints exactly one line.
    for (const n of loaded.notes) process.stderr.write(`clv predict: ${n}\n`);
    for (const n of notes) process.stderr.write(`clv predict: ${n}\n`);
    return 0;
  },
};

interface PredictSettings {
  horizon: number;
  discountRate: number;
  /** --discount-rate was given (bgbb adds a dert column only then). */
  hasDiscount: boolean;
  margin: number;
  /** Central probability of the CLV interval; 0 = no interval columns. */
  interval: number;
  draws: number;
  seed: number;
  penalizer: number;
  file: string;
}

/** The output CSV as one string (built line by line: no spread of big arrays, 1M customers are fine). */
function predictText(
  model: ModelName,
  loaded: ReturnType<typeof loadInput>,
  params: Record<string, number>,
  covariance: number[][] | undefined,
  spendGiven: Record<string, number> | undefined,
  notes: string[],
  o: PredictSettings,
): string {
  const lines: string[] = [];
  const file = o.file;
  if (model === 'bgnbd' || model === 'pnbd' || model === 'mbgnbd') {
    const t = loaded.rfm!;
    const purchase: PurchaseModel = toPurchaseModel(model, params, covariance);
    let spend: SpendModel | null = null;
    if (spendGiven) spend = { params: spendGiven as unknown as GammaGammaParams };
    else if (t.monetaryValue) {
      const keep: number[] = [];
      for (let i = 0; i < t.frequency.length; i++)
        if (t.frequency[i] > 0 && t.monetaryValue[i] > 0) keep.push(i);
      if (keep.length >= 4) {
        const gg = fitGammaGamma(
          {
            frequency: Float64Array.from(keep, (i) => t.frequency[i]),
            monetaryValue: Float64Array.from(keep, (i) => (t.monetaryValue as Float64Array)[i]),
          },
          { penalizer: o.penalizer },
        );
        checkSpendQ(gg.params.q, `${file}: the Gamma-Gamma fit to monetary_value`);
        if (gg.message) notes.push(`Gamma-Gamma: ${gg.message}`);
        spend = { params: gg.params, covariance: gg.covariance };
      } else {
        notes.push(
          `only ${keep.length} customers with frequency > 0 and monetary_value > 0 (Gamma-Gamma needs 4): no spend/CLV columns`,
        );
      }
    }
    if (spend && !t.monetaryValue)
      throw new CliError(
        `${file}: --spend-params needs a monetary_value column (mean spend per repeat purchase)`,
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
    notes.push(...res.notes);
    const withInterval = spend !== null && o.interval > 0 && res.clvLow !== null && res.clvHigh !== null;
    lines.push(
      spend
        ? `customer_id,p_alive,expected_purchases,expected_spend,clv${withInterval ? ',clv_low,clv_high' : ''}`
        : 'customer_id,p_alive,expected_purchases',
    );
    const ctx: CellContext = { file, column: '', who: '' };
    const c = (v: number, column: string, i: number) => {
      if (Number.isFinite(v)) return String(v);
      ctx.column = column;
      ctx.line = t.lines[i];
      ctx.who = `customer ${clip(t.customerId[i], 40)}`;
      return cell(v, ctx);
    };
    const es = res.expectedSpend;
    const clv = res.clv;
    const lo = res.clvLow;
    const hi = res.clvHigh;
    for (let i = 0; i < t.frequency.length; i++) {
      let line = `${csvText(t.customerId[i])},${c(res.pAlive[i], 'p_alive', i)},${c(res.expectedPurchases[i], 'expected_purchases', i)}`;
      if (spend && es && clv) {
        line += `,${c(es[i], 'expected_spend', i)},${c(clv[i], 'clv', i)}`;
        if (withInterval && lo && hi) line += `,${c(lo[i], 'clv_low', i)},${c(hi[i], 'clv_high', i)}`;
      }
      lines.push(line);
    }
    return lines.join('\n') + '\n';
  }
  if (model === 'gg') {
    const t = loaded.rfm!;
    const m = t.monetaryValue as Float64Array;
    const gp = params as unknown as GammaGammaParams;
    lines.push('customer_id,expected_spend');
    for (let i = 0; i < t.frequency.length; i++) {
      const v = ggConditionalExpectedSpend(gp, t.frequency[i], m[i]);
      const text = Number.isFinite(v)
        ? String(v)
        : cell(v, {
            file,
            column: 'expected_spend',
            line: t.lines[i],
            who: `customer ${clip(t.customerId[i], 40)}`,
          });
      lines.push(`${csvText(t.customerId[i])},${text}`);
    }
    return lines.join('\n') + '\n';
  }
  if (model === 'bgbb') {
    const t = loaded.bgbb!;
    const pr = bgbbPredictCustomers(
      params as unknown as BgBbParams,
      t,
      o.horizon,
      o.hasDiscount ? o.discountRate : undefined,
    );
    const hasWeights = t.weights.some((w) => w !== 1);
    const dert = o.hasDiscount ? pr.dert : undefined;
    lines.push(`customer_id,p_alive,expected_purchases${dert ? ',dert' : ''}${hasWeights ? ',weights' : ''}`);
    for (let i = 0; i < t.frequency.length; i++) {
      const ctx = (column: string): CellContext => ({ file, column, line: t.lines[i], who: `row ${i + 1}` });
      lines.push(
        `${i + 1},${cell(pr.probabilityAlive[i], ctx('p_alive'))},${cell(pr.expectedTransactions[i], ctx('expected_purchases'))}` +
          `${dert ? `,${cell(dert[i], ctx('dert'))}` : ''}${hasWeights ? `,${t.weights[i]}` : ''}`,
      );
    }
    return lines.join('\n') + '\n';
  }
  // sbg / bdw: survival and retention projections per period 0..H (H whole, checked above).
  const H = o.horizon;
  // With --discount-rate: DERL of a customer who has made k renewals (Fader & Hardie 2010, eq. 6), in periods of
  // margin, and DEL of a new customer (eq. 4) as a note.
  const discounted = o.hasDiscount;
  const derl = (k: number): number => {
    try {
      return model === 'sbg'
        ? sbgDerl(params as unknown as SbgParams, o.discountRate, k)
        : bdwDerl(params as unknown as BdwParams, o.discountRate, k);
    } catch (e) {
      throw new CliError(`cannot compute DERL at --discount-rate ${o.discountRate}: ${(e as Error).message}`);
    }
  };
  if (discounted) {
    const del =
      model === 'sbg'
        ? sbgDel(params as unknown as SbgParams, o.discountRate)
        : bdwDel(params as unknown as BdwParams, o.discountRate);
    notes.push(
      `DEL of a new customer = ${Number(del.toPrecision(6))} periods of margin at ${o.discountRate} per period ` +
        '(Fader & Hardie 2010); derl = discounted expected residual lifetime after k renewals, in periods of margin',
    );
  }
  lines.push(`period,survival,retention${discounted ? ',derl' : ''}`);
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
    const ctx = (column: string): CellContext => ({ file, column, who: `period ${k}` });
    lines.push(
      `${k},${cell(s, ctx('survival'))},${cell(r, ctx('retention'))}${discounted ? `,${cell(derl(k), ctx('derl'))}` : ''}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Quotes a CSV field when needed. */
function csvText(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
