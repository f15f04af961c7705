import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { CliError, writeOutput } from '../io.ts';
import {
  cohortTable,
  cohortTableToCsv,
  formatCount,
  survivalCounts,
  survivalToCsv,
} from '../../lib/data/index.ts';
import type { CohortPeriod } from '../../lib/data/index.ts';
import {
  IMPORT_OPTIONS,
  IMPORT_USAGE,
  dataStep,
  decimalsOption,
  importFile,
  inputFile,
  jsonReport,
  reportImport,
} from './summarize.ts';

export const command: Command = {
  summary:
    'transaction log -> acquisition-cohort table (active customers, orders, revenue per period since acquisition)',
  usage: `clv cohorts FILE [--customer C --date D --amount A] [--period week|month|quarter] [--observation-end DATE] [--out cohorts.csv] [--survival survival.csv] [--rejects FILE] [--json]

Writes one row per observed cell: cohort,period,customers,active,active_pct,orders,revenue,
revenue_per_customer,cumulative_revenue_per_customer,complete. A customer's cohort is the period of their first
purchase (weeks start on Monday); period k counts calendar periods since. Cells not yet observed are left out;
complete = 0 marks a period cut short by the observation end (right-censored), never to be read as churn.
--survival FILE also writes cohort,period,alive (complete periods only) for the sBG/BdW retention fit.

${IMPORT_USAGE}`,
  run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...IMPORT_OPTIONS, period: { type: 'string' }, survival: { type: 'string' } },
    });
    const file = inputFile(positionals, 'cohorts');
    const period = (values.period ?? 'month') as CohortPeriod;
    if (period !== 'week' && period !== 'month' && period !== 'quarter')
      throw new CliError(`--period must be week, month or quarter (got "${values.period}")`);
    const decimals = decimalsOption(values.decimals);
    const result = importFile(file, values);
    // refunds netted against their purchases, as in the workbench: revenue is net, refunds are no activity
    const { transactions: tx } = reportImport(file, result, values);
    const options = { period, observationEnd: values['observation-end'] };
    const table = dataStep(file, () => cohortTable(tx, options));
    let incomplete = 0;
    for (let i = 0; i < table.complete.length; i++)
      if (!table.complete[i] && !Number.isNaN(table.active[i])) incomplete++;
    process.stderr.write(
      `${formatCount(table.cohorts.length)} ${period}ly cohorts × ${table.periods} periods; observation end ${table.observationEnd}${incomplete > 0 ? `; ${incomplete} cell(s) incomplete (complete = 0)` : ''}\n`,
    );
    if (values.survival !== undefined)
      writeOutput(survivalToCsv(dataStep(file, () => survivalCounts(tx, options))), values.survival);
    const csv = cohortTableToCsv(table, decimals);
    if (values.json) {
      process.stdout.write(
        jsonReport(result, {
          period,
          cohorts: table.cohorts.length,
          periods: table.periods,
          observationEnd: table.observationEnd,
        }),
      );
      if (values.out !== undefined) writeOutput(csv, values.out);
      else process.stderr.write('note: --json without --out: the cohort table was not written\n');
    } else writeOutput(csv, values.out);
    return 0;
  },
};
