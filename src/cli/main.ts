import { CliError } from './io.ts';

/** A CLI subcommand. `run` returns the process exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number> | number;
}

// Lazily loaded so that `clv --help` stays instant and each command owns its file.
const commands: Record<string, () => Promise<{ command: Command }>> = {
  summarize: () => import('./commands/summarize.ts'),
  cohorts: () => import('./commands/cohorts.ts'),
  fit: () => import('./commands/fit.ts'),
  predict: () => import('./commands/predict.ts'),
};

const HELP = `clv — CLV Workbench on the command line (same math as the web app)

Usage: clv <command> [options]

Commands:
  summarize FILE   transaction log -> RFM summary (customer_id,frequency,recency,T,monetary_value)
  cohorts FILE     transaction log -> acquisition-cohort table
  fit MODEL FILE   maximum-likelihood fit; MODEL = sbg bdw bgnbd pnbd mbgnbd bgbb gg
  predict MODEL FILE --horizon H   per-customer P(alive), expected purchases, CLV (intervals with --interval)

Run 'clv <command> --help' for a command's options.
Exit codes: 0 success, 2 bad input (one-line message naming file:line:column), 1 internal error.
`;

/** A negative number as an option value: -5, -0.1, -.5, -1e3, -Infinity. */
const NEGATIVE = /^-(\d|\.\d|Infinity$|inf$)/i;

/**
 * Rewrites `--opt -5` to `--opt=-5` so that node's parseArgs takes a negative number as the option's value
 * (it would otherwise refuse it as "ambiguous") and the command's own check can say "--horizon must be > 0
 * (got -5)". Stops at `--`. Example: ['--seed', '-1', 'f.csv'] → ['--seed=-1', 'f.csv'].
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (/^--[^=]+$/.test(a) && next !== undefined && NEGATIVE.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** One line of at most ~300 characters, for stderr. */
function oneLine(message: string): string {
  const first = message.split('\n').find((l) => l.trim() !== '') ?? message;
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

/** Entry point shared by bin/clv.mjs and the tests: returns the exit code instead of exiting. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // No command is a usage error: the usage goes to stderr so that scripts' stdout stays clean.
    process.stderr.write(HELP);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === '--version') {
    process.stdout.write('clv-workbench 0.1.0\n');
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`clv: unknown command "${name}" (try: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  try {
    const { command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(joinNegativeValues(rest));
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`clv ${name}: ${oneLine(e.message)}\n`);
      return e.exitCode;
    }
    // Node's own argument parser errors are bad input too.
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`clv ${name}: ${oneLine((e as Error).message)}\n`);
      return 2;
    }
    process.stderr.write(`clv ${name}: internal error: ${oneLine(String((e as Error).message ?? e))}\n`);
    if (process.env.CLV_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}
