import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { CliError, formatTable, numberOption, readInputBytes, writeOutput } from '../io.ts';
import type { FitReport, ModelName } from '../../lib/models/types.ts';
import { MODELS, MODEL_NAMES, isModelName, type ModelInput } from '../../lib/models/registry.ts';
import {
  readBgBbCsv,
  readRfmCsv,
  readSurvivalCsv,
  type BgBbTable,
  type RfmTable,
  type SummaryError,
  type SurvivalCohort,
} from '../../lib/data/summaries.ts';

/** Parsed input of a model, with what the user should hear about it (skipped rows...). */
export interface LoadedInput {
  input: ModelInput;
  /** Customers (or rows) read. */
  rows: number;
  notes: string[];
  /** File line of each model-input row (for messages); absent for survival data. */
  lines?: ArrayLike<number>;
  rfm?: RfmTable;
  bgbb?: BgBbTable;
  survival?: SurvivalCohort[];
}

/** Validates MODEL, naming the choices. */
export function modelArg(name: string | undefined): ModelName {
  if (name === undefined) throw new CliError(`missing MODEL (one of ${MODEL_NAMES.join(', ')})`);
  if (!isModelName(name)) throw new CliError(`unknown model "${name}" (one of ${MODEL_NAMES.join(', ')})`);
  return name;
}

function firstError(file: string, errors: SummaryError[]): CliError {
  const e = errors[0];
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  return new CliError(`${file}:${e.line}:${e.column}: ${e.message}${more}`);
}

/** Per model: the fewest customers a fit can mean anything with (one more than its parameters). */
function minimumData(model: ModelName): number {
  return MODELS[model].paramNames.length + 1;
}

/** Reads FILE as the input MODEL needs; any malformed row is a CliError `file:line:column: message`. */
export function loadInput(model: ModelName, file: string): LoadedInput {
  const bytes = readInputBytes(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${file}:1:1: the file is not valid UTF-8 text (save it as UTF-8 CSV)`);
  }
  const kind = MODELS[model].input;
  if (kind === 'rfm' || kind === 'spend') {
    const { table, errors } = readRfmCsv(text, { requireMonetary: kind === 'spend' });
    if (errors.length > 0) throw firstError(file, errors);
    const notes: string[] = [];
    if (kind === 'spend') {
      const m = table.monetaryValue as Float64Array;
      let skipped = 0;
      const keep: number[] = [];
      for (let i = 0; i < table.frequency.length; i++) {
        if (table.frequency[i] > 0 && m[i] > 0) keep.push(i);
        else skipped++;
      }
      if (keep.length === 0) {
        throw new CliError(
          `${file}: gg needs customers with frequency > 0 and monetary_value > 0 (got 0 of ${table.frequency.length})`,
        );
      }
      notes.push(
        `gg uses ${keep.length} customers with frequency > 0 and monetary_value > 0; skipped ${skipped}`,
      );
      return {
        input: {
          kind: 'spend',
          frequency: Float64Array.from(keep, (i) => table.frequency[i]),
          monetaryValue: Float64Array.from(keep, (i) => m[i]),
        },
        rows: table.frequency.length,
        notes,
        rfm: table,
        lines: Int32Array.from(keep, (i) => table.lines[i]),
      };
    }
    return {
      input: { kind: 'rfm', frequency: table.frequency, recency: table.recency, T: table.T },
      rows: table.frequency.length,
      notes,
      rfm: table,
      lines: table.lines,
    };
  }
  if (kind === 'bgbb') {
    const { table, errors } = readBgBbCsv(text);
    if (errors.length > 0) throw firstError(file, errors);
    const { frequency, recency, periods, weights } = table;
    return {
      input: { kind: 'bgbb', frequency, recency, periods, weights },
      rows: table.frequency.length,
      notes: [],
      bgbb: table,
      lines: table.lines,
    };
  }
  const { table, errors } = readSurvivalCsv(text);
  if (errors.length > 0) throw firstError(file, errors);
  return { input: { kind: 'survival', cohorts: table }, rows: table.length, notes: [], survival: table };
}

/**
 * A model's "what to fix" error as an exit-2 CliError naming the file, and the file line when the message names
 * a row of the model input ("customer row 4" is line 5 of a file with a header): `file:5: ... line 5 ...`.
 */
export function modelError(e: unknown, file: string, loaded?: LoadedInput): CliError {
  if (e instanceof CliError) return e;
  const message = String((e as Error)?.message ?? e);
  const lines = loaded?.lines;
  let where = file;
  const text = message.replace(/\b(?:customer )?row (\d+)\b/, (m, k: string) => {
    const line = lines?.[Number(k) - 1];
    if (line === undefined) return m;
    where = `${file}:${line}`;
    return `line ${line}`;
  });
  return new CliError(`${where}: ${text}`);
}

/** Runs a registry fit, turning the model's "what to fix" errors into exit-2 CliErrors naming the file. */
export function runFit(
  model: ModelName,
  loaded: LoadedInput,
  file: string,
  penalizer: number,
): FitReport<Record<string, number>> {
  // The model's own checks first (they say the most specific thing, e.g. "no repeat purchase"), then ours.
  let report: FitReport<Record<string, number>>;
  try {
    report = MODELS[model].fit(loaded.input, { penalizer });
  } catch (e) {
    throw modelError(e, file, loaded);
  }
  const need = minimumData(model);
  const k = MODELS[model].paramNames.length;
  const input = loaded.input;
  // sbg/bdw count periods themselves ("fitBdw needs at least 3 periods of survival counts").
  if (input.kind !== 'survival') {
    let customers = 0;
    if (input.kind === 'bgbb' && input.weights) {
      for (let i = 0; i < input.weights.length; i++) customers += input.weights[i];
    } else customers = input.frequency.length;
    if (customers < need)
      throw new CliError(
        `${file}: ${model} needs at least ${need} customers to estimate its ${k} parameters (got ${customers}` +
          `${input.kind === 'spend' ? ' with frequency > 0 and monetary_value > 0' : ''}); add more customers`,
      );
  }
  return report;
}

/** JSON-safe number: non-finite values become null (never NaN in output). */
export function num(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

const USAGE = `clv fit MODEL FILE [--json] [--penalizer X]

MODEL: ${MODEL_NAMES.join(' ')}
FILE (CSV with a header; '#' lines skipped; extra columns ignored):
  bgnbd, pnbd, mbgnbd  customer_id,frequency,recency,T[,monetary_value]   (times in the data's own unit)
  gg                   customer_id,frequency,recency,T,monetary_value    (uses frequency > 0 and monetary_value > 0)
  bgbb                 frequency,recency,periods[,weights]
  sbg, bdw             period,alive   or   cohort,period,alive          (alive at the start of the period)
Options:
  --json          print {"model","params","logLikelihood","n","converged","iterations","standardErrors","seconds"}
  --penalizer X   L2 penalty on the parameters, like lifetimes' penalizer_coef (default 0)`;

export const command: Command = {
  summary: 'maximum-likelihood fit of a CLV model to a summary CSV',
  usage: USAGE,
  run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, penalizer: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const model = modelArg(positionals[0]);
    const file = positionals[1];
    if (file === undefined)
      throw new CliError(`missing FILE (usage: clv fit ${model} FILE [--json] [--penalizer X])`);
    if (positionals.length > 2) throw new CliError(`unexpected argument "${positionals[2]}"`);
    const penalizer = numberOption('penalizer', values.penalizer, 0);
    if (penalizer < 0) throw new CliError(`--penalizer must be >= 0 (got ${values.penalizer})`);
    const loaded = loadInput(model, file);
    const t0 = performance.now();
    const report = runFit(model, loaded, file, penalizer);
    const seconds = (performance.now() - t0) / 1000;
    for (const n of loaded.notes) process.stderr.write(`clv fit: ${n}\n`);
    if (report.message) process.stderr.write(`clv fit: ${report.message}\n`);
    if (values.json) {
      const out = {
        model,
        params: Object.fromEntries(Object.entries(report.params).map(([k, v]) => [k, num(v)])),
        logLikelihood: num(report.logLikelihood),
        n: report.n,
        converged: report.converged,
        iterations: report.iterations,
        standardErrors: Object.fromEntries(
          Object.entries(report.standardErrors).map(([k, v]) => [k, num(v as number)]),
        ),
        seconds: Number(seconds.toFixed(6)),
      };
      writeOutput(JSON.stringify(out) + '\n');
    } else {
      const rows = Object.keys(report.params).map((k) => [
        k,
        report.params[k],
        (report.standardErrors as Record<string, number>)[k],
      ]);
      writeOutput(
        `${MODELS[model].label}: ${report.n} customers, log-likelihood ${report.logLikelihood.toFixed(4)}, ` +
          `${report.converged ? 'converged' : 'NOT converged'} in ${report.iterations} iterations, ${seconds.toFixed(3)} s\n` +
          formatTable(
            ['parameter', 'estimate', 'std. error'],
            rows.map(([k, v, se]) => [
              k as string,
              v as number,
              Number.isFinite(se as number) ? (se as number) : 'n/a',
            ]),
          ),
      );
    }
    return 0;
  },
};
