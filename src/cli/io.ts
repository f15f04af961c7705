import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A user-facing CLI failure: printed as one line, exit code 2 (bad input) unless stated. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Where a problem is: `file:line:column` (1-based), as compilers print it. */
export function at(file: string, line?: number, column?: number): string {
  return [file, line, line !== undefined ? column : undefined].filter((v) => v !== undefined).join(':');
}

/** Reads a whole input file as bytes; a missing or unreadable file is a CliError naming it. */
export function readInputBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? e);
    throw new CliError(`${file}: cannot read input (${why})`);
  }
}

/** Writes text to a file, or to stdout when `file` is undefined or '-'. */
export function writeOutput(text: string, file?: string): void {
  if (file === undefined || file === '-') process.stdout.write(text);
  else {
    try {
      writeFileSync(file, text);
    } catch (e) {
      throw new CliError(`${file}: cannot write output (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
  }
}

/**
 * Checks, without creating anything, that `file` can be written: call it before the slow work so that a typo in
 * --out fails in milliseconds (exit 2 "cannot write output (ENOENT: no such directory ...)"). '-' and undefined
 * mean stdout and always pass.
 */
export function checkWritable(file: string | undefined, option = 'out'): void {
  if (file === undefined || file === '-') return;
  const fail = (why: string) => {
    throw new CliError(`${file}: cannot write output (${why}; check --${option})`);
  };
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') fail('ENOTDIR: a parent of it is a file, not a directory');
    if (code !== 'ENOENT') fail(String(code ?? e));
  }
  if (st) {
    if (st.isDirectory()) fail('EISDIR: it is a directory');
    try {
      accessSync(file, constants.W_OK);
    } catch (e) {
      fail(`${(e as NodeJS.ErrnoException).code ?? e}: not writable`);
    }
    return;
  }
  const dir = dirname(resolve(file));
  let ds;
  try {
    ds = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? `ENOENT: directory ${dir} does not exist` : String(code ?? e));
  }
  if (ds && !ds.isDirectory()) fail(`ENOTDIR: ${dir} is a file, not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    fail(`${(e as NodeJS.ErrnoException).code ?? e}: directory ${dir} is not writable`);
  }
}

/** A plain aligned text table for humans (numbers right-aligned). */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? '').length)));
  const isNum = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number'));
  const line = (r: string[]) =>
    r
      .map((c, j) => (isNum[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

/** Up to 6 significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e9 || Math.abs(x) < 1e-4)) return x.toExponential(4);
  return String(Number(x.toPrecision(6)));
}

/** Parses a number option strictly: `--horizon 39` ok, `--horizon 3x` is a CliError. */
export function numberOption(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new CliError(`missing required option --${name}`);
    return fallback;
  }
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x))
    throw new CliError(`--${name} must be a number (got "${value}")`);
  return x;
}
