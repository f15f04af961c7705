import { closeSync, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { CliError, writeOutput } from '../io.ts';
import {
  DataError,
  TransactionImporter,
  calibrationSplit,
  formatCount,
  isoDate,
  netRefunds,
  refundMessages,
  rejectsToCsv,
  rfmSummary,
  rfmToCsv,
} from '../../lib/data/index.ts';
import type {
  ColumnMapping,
  DateOrder,
  ImportOptions,
  ImportResult,
  RefundReport,
  TimeUnit,
  Transactions,
} from '../../lib/data/index.ts';

/** Options shared by `clv summarize` and `clv cohorts` (columns, dates, reject handling, output). */
export const IMPORT_OPTIONS = {
  customer: { type: 'string' },
  date: { type: 'string' },
  amount: { type: 'string' },
  quantity: { type: 'string' },
  'order-id': { type: 'string' },
  channel: { type: 'string' },
  'date-format': { type: 'string' },
  delimiter: { type: 'string' },
  encoding: { type: 'string' },
  'no-header': { type: 'boolean' },
  'observation-end': { type: 'string' },
  out: { type: 'string' },
  rejects: { type: 'string' },
  json: { type: 'boolean' },
  decimals: { type: 'string' },
} as const;

export const IMPORT_USAGE = `Columns (optional when auto-detection is confident; a header name, or a 1-based column number):
  --customer C  --date D  --amount A  [--quantity Q] [--order-id O] [--channel S]
Reading:
  --date-format DD/MM/YYYY|MM/DD/YYYY   order of slash dates when the file does not decide it
  --delimiter ',' | ';' | tab | '|' | whitespace   (default: detected)
  --encoding utf-8|gb18030|windows-1252|utf-16le   (default: detected)
  --no-header                           the first row is data
Output:
  --out FILE        write the table there (default: stdout)
  --rejects FILE    write rejected rows as CSV (line,reason,raw) instead of listing them on stderr
  --json            print the import report as JSON on stdout (the table still goes to --out)
  --decimals N      round decimals in the table (default: full precision)`;

type Values = {
  [K in keyof typeof IMPORT_OPTIONS]?: (typeof IMPORT_OPTIONS)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};

/** Parses `--date-format` text into a DateOrder. */
function dateOrder(v: string | undefined): DateOrder {
  if (v === undefined) return 'auto';
  const t = v.trim().toLowerCase();
  if (t === 'auto') return 'auto';
  if (t === 'dmy' || t.startsWith('dd') || t.startsWith('d/') || t.startsWith('d.') || t.startsWith('d-'))
    return 'dmy';
  if (t === 'mdy' || t.startsWith('mm') || t.startsWith('m/') || t.startsWith('m.') || t.startsWith('m-'))
    return 'mdy';
  if (t === 'ymd' || t.startsWith('yyyy')) return 'auto';
  throw new CliError(`--date-format must be DD/MM/YYYY or MM/DD/YYYY (got "${v}")`);
}

function delimiter(v: string | undefined): ImportOptions['delimiter'] {
  if (v === undefined) return undefined;
  const map: Record<string, ImportOptions['delimiter']> = {
    ',': ',',
    comma: ',',
    ';': ';',
    semicolon: ';',
    '\t': '\t',
    '\\t': '\t',
    tab: '\t',
    '|': '|',
    pipe: '|',
    whitespace: 'whitespace',
    space: 'whitespace',
    ' ': 'whitespace',
  };
  const d = map[v.toLowerCase()];
  if (!d) throw new CliError(`--delimiter must be ',', ';', tab, '|' or whitespace (got "${v}")`);
  return d;
}

function encoding(v: string | undefined): ImportOptions['encoding'] {
  if (v === undefined) return undefined;
  const t = v.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (t === 'utf8') return 'utf-8';
  if (t === 'gbk' || t === 'gb2312' || t === 'gb18030') return 'gb18030';
  if (t === 'windows1252' || t === 'cp1252' || t === 'latin1' || t === 'iso88591') return 'windows-1252';
  if (t === 'utf16' || t === 'utf16le') return 'utf-16le';
  if (t === 'utf16be') return 'utf-16be';
  throw new CliError(`--encoding must be utf-8, gb18030 (GBK), windows-1252 or utf-16le (got "${v}")`);
}

/** Reads FILE in 4 MB chunks through the streaming importer ("-" = stdin). */
export function importFile(file: string, values: Values): ImportResult {
  const mapping: ColumnMapping = {};
  if (values.customer !== undefined) mapping.customer = values.customer;
  if (values.date !== undefined) mapping.date = values.date;
  if (values.amount !== undefined) mapping.amount = values.amount;
  if (values.quantity !== undefined) mapping.quantity = values.quantity;
  if (values['order-id'] !== undefined) mapping.orderId = values['order-id'];
  if (values.channel !== undefined) mapping.channel = values.channel;
  const options: ImportOptions = {
    mapping,
    dateOrder: dateOrder(values['date-format']),
    delimiter: delimiter(values.delimiter),
    encoding: encoding(values.encoding),
    header: values['no-header'] ? false : 'auto',
  };
  const imp = new TransactionImporter(options);
  let fd: number;
  try {
    fd = file === '-' ? 0 : openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${file}: cannot read input (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? e)})`,
    );
  }
  try {
    const chunk = new Uint8Array(4 << 20);
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EOF') break;
        throw new CliError(
          `${file}: cannot read input (${code === 'EISDIR' ? 'is a directory' : String(code ?? e)})`,
        );
      }
      if (got === 0) break;
      imp.push(chunk.subarray(0, got));
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return imp.finish();
}

/**
 * Prints the import outcome: messages and rejected rows on stderr (or rejects to --rejects FILE), and throws
 * a CliError (exit 2) when nothing usable remains or the day/month order must be chosen. Returns the
 * transactions with refunds netted against their purchases (src/lib/data/refunds.ts, as the app does);
 * refunds with nothing to net against are listed with the rejected rows.
 */
export function reportImport(
  file: string,
  result: ImportResult,
  values: Values,
): { transactions: Transactions; refunds: RefundReport } {
  const r = result.report;
  const netted = netRefunds(result.transactions); // nothing to net when the import failed (no rows)
  const unmatched = netted.refunds.unmatched;
  const allRejects = unmatched.length
    ? [...r.rejects, ...unmatched].sort((a, b) => a.line - b.line)
    : r.rejects;
  if (values.rejects !== undefined) writeOutput(rejectsToCsv(allRejects), values.rejects);
  // every row accounted for: list the rejected rows unless they all carry the fatal reason itself
  const listRejects =
    values.rejects === undefined && !(r.fatal !== undefined && r.rejects[0]?.reason === r.fatal);
  if (r.fatal !== undefined) {
    if (listRejects)
      for (const x of r.rejects.slice(0, 1000)) process.stderr.write(`line ${x.line}: ${x.reason}\n`);
    const where = r.fatal.startsWith('no ') && r.hasHeader ? `${file}:1` : file;
    throw new CliError(`${where}: ${r.fatal}`);
  }
  if (listRejects) {
    const shown = allRejects.slice(0, 1000);
    for (const x of shown) process.stderr.write(`line ${x.line}: ${x.reason}\n`);
    if (allRejects.length > shown.length)
      process.stderr.write(
        `… and ${formatCount(allRejects.length - shown.length)} more rejected rows (write them all with --rejects FILE)\n`,
      );
  }
  for (const m of [...r.messages, ...refundMessages(netted.refunds)])
    if (m.level !== 'error') process.stderr.write(`${m.level === 'info' ? 'note' : 'warning'}: ${m.text}\n`);
  if (r.dateOrderAmbiguous && values['date-format'] === undefined) {
    const m = r.messages.find((x) => x.code === 'ambiguous-dates');
    throw new CliError(
      `${file}: ${m ? m.text : 'the day/month order of the dates is ambiguous: pass --date-format DD/MM/YYYY or MM/DD/YYYY'}`,
    );
  }
  const tx = netted.transactions;
  if (tx.n === 0)
    throw new CliError(
      `${file}: no purchases left after netting ${formatCount(netted.refunds.refundRows)} refund row(s): check the amount column`,
    );
  process.stderr.write(
    `read ${formatCount(r.rowsRead)} rows: ${formatCount(r.accepted - unmatched.length)} accepted, ${formatCount(r.rejected + unmatched.length)} rejected; ${formatCount(tx.customerIds.length)} customers, ${r.firstDate} … ${r.lastDate}\n`,
  );
  return netted;
}

/** The `--json` import report: counts, first 100 rejects, and how the file was read. */
export function jsonReport(result: ImportResult, extra: Record<string, unknown>): string {
  const r = result.report;
  return (
    JSON.stringify(
      {
        rowsRead: r.rowsRead,
        accepted: r.accepted,
        rejected: r.rejected,
        customers: r.customers,
        rejects: r.rejects.slice(0, 100).map((x) => ({ line: x.line, reason: x.reason })),
        blankLines: r.blankLines,
        encoding: r.encoding,
        delimiter: r.delimiter,
        hasHeader: r.hasHeader,
        columns: r.columns,
        mapping: r.mapping,
        dateOrder: r.dateOrder,
        decimalSeparator: r.decimalSeparator,
        firstDate: r.firstDate,
        lastDate: r.lastDate,
        negativeAmounts: r.negativeAmounts,
        messages: r.messages,
        ...extra,
      },
      null,
      2,
    ) + '\n'
  );
}

/** `--decimals N` as a number of places (0-12). */
export function decimalsOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const d = Number(v);
  if (!Number.isInteger(d) || d < 0 || d > 12)
    throw new CliError(`--decimals must be a whole number 0-12 (got "${v}")`);
  return d;
}

/** The one input FILE of a data command (`summarize`, `cohorts`), or a usage error naming the command. */
export function inputFile(positionals: string[], command: string): string {
  if (positionals.length !== 1)
    throw new CliError(
      `expected one input FILE (got ${positionals.length}); usage: clv ${command} FILE --customer C --date D --amount A`,
    );
  return positionals[0];
}

/** Runs a data computation, turning a DataError into a one-line CliError naming the file. */
export function dataStep<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DataError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  }
}

export const command: Command = {
  summary:
    'transaction log -> RFM summary (customer_id,frequency,recency,T,monetary_value[,frequency_holdout,monetary_value_holdout,duration_holdout])',
  usage: `clv summarize FILE [--customer C --date D --amount A] [--unit day|week|month] [--calibration-end DATE|auto] [--holdout-weeks N] [--observation-end DATE] [--out rfm.csv] [--rejects FILE] [--json]

lifetimes' conventions: same-day purchases merged; frequency = repeat purchase days; recency = last − first
purchase; T = end − first purchase; monetary_value = mean of the repeat days' totals (0 if frequency = 0).
With --calibration-end, T is measured to the calibration end and holdout columns count the purchases after it
(up to --observation-end, default: the last date in the file); "auto" = two thirds of the way through the
dates, --holdout-weeks N = the last N weeks, as the workbench chooses. Customers first seen on or after the
calibration end are holdout only: left out of the table and counted on stderr. Refunds (negative amounts) are
netted against their order (--order-id) or the customer's latest earlier purchase; a fully refunded purchase
is no purchase. Month = 365.25 / 12 = 30.4375 days.

${IMPORT_USAGE}`,
  run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...IMPORT_OPTIONS,
        unit: { type: 'string' },
        'calibration-end': { type: 'string' },
        'holdout-weeks': { type: 'string' },
      },
    });
    const file = inputFile(positionals, 'summarize');
    const unit = (values.unit ?? 'day') as TimeUnit;
    if (unit !== 'day' && unit !== 'week' && unit !== 'month')
      throw new CliError(`--unit must be day, week or month (got "${values.unit}")`);
    const decimals = decimalsOption(values.decimals);
    const weeksText = values['holdout-weeks'];
    const weeks = weeksText === undefined ? 0 : Number(weeksText);
    if (weeksText !== undefined && !(Number.isInteger(weeks) && weeks > 0))
      throw new CliError(`--holdout-weeks must be a whole number of weeks >= 1 (got "${weeksText}")`);
    const result = importFile(file, values);
    const { transactions: tx, refunds } = reportImport(file, result, values);
    const asked = values['calibration-end'];
    // the workbench's rule (src/lib/data/calibration.ts): a date, the last N weeks, or automatic
    const split =
      asked !== undefined || weeks > 0
        ? dataStep(file, () =>
            calibrationSplit(tx, {
              calibrationEnd: asked === undefined || asked.toLowerCase() === 'auto' ? undefined : asked,
              holdoutWeeks: weeks,
              observationEnd: values['observation-end'],
            }),
          )
        : undefined;
    const table = dataStep(file, () =>
      rfmSummary(tx, {
        unit,
        calibrationEnd: split ? isoDate(split.calibrationEnd) : undefined,
        observationEnd: values['observation-end'],
      }),
    );
    for (const w of table.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stderr.write(
      `${formatCount(table.customerIds.length)} customers summarized; ${table.unitNote}; ${table.calibrationEnd ? `calibration end ${table.calibrationEnd}, ` : ''}observation end ${table.observationEnd}\n`,
    );
    const csv = rfmToCsv(table, decimals);
    if (values.json) {
      process.stdout.write(
        jsonReport(result, {
          unit: table.unit,
          daysPerUnit: table.daysPerUnit,
          unitNote: table.unitNote,
          summarizedCustomers: table.customerIds.length,
          calibrationEnd: table.calibrationEnd,
          observationEnd: table.observationEnd,
          holdoutOnlyCustomers: split?.holdoutOnly,
          refunds: {
            rows: refunds.refundRows,
            netted: refunds.nettedRows,
            amount: refunds.nettedAmount,
            byOrder: refunds.byOrder,
            byPurchase: refunds.byPurchase,
            fullyRefunded: refunds.fullyRefunded,
            unmatched: refunds.unmatched.length,
          },
          warnings: table.warnings,
        }),
      );
      if (values.out !== undefined) writeOutput(csv, values.out);
      else process.stderr.write('note: --json without --out: the RFM table was not written\n');
    } else writeOutput(csv, values.out);
    return 0;
  },
};
