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
      };
    }
    return {
      input: { kind: 'rfm', frequency: table.frequency, recency: table.recency, T: table.T },
      rows: table.frequency.length,
      notes,
      rfm: table,
    };
  }
  if (kind === 'bgbb') {
    const { table, errors } = readBgBbCsv(text);
    if (errors.length > 0) throw firstError(file, errors);
    return { input: { kind: 'bgbb', ...table }, rows: table.frequency.length, notes: [], bgbb: table };
  }
  const { table, errors } = readSurvivalCsv(text);
  if (errors.length > 0) throw firstError(file, errors);
  return { input: { kind: 'survival', cohorts: table }, rows: table.length, notes: [], survival: table };
}

/** Runs a registry fit, turning the model's "what to fix" errors into exit-2 CliErrors naming the file. */
export function runFit(
  model: ModelName,
  loaded: LoadedInput,
  file: string,
  penalizer: number,
): FitReport<Record<string, number>> {
  try {
    return MODELS[model].fit(loaded.input, { penalizer });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
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
