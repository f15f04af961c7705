// `npm test`: every check in order — type checks, unit tests (Node), browser tests (system Chromium).
// Prints each step's output, then a summary whose last line is "tests: N passed, N failed".
// Usage: node scripts/test-all.mjs [--only check|unit|e2e]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './ensure-chromium.mjs';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const bin = (name) => join('node_modules', '.bin', name);
const tmp = mkdtempSync(join(tmpdir(), 'clv-test-'));
const results = [];

function run(label, cmd, args, timeoutMs) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (r.error) console.error(`${label}: ${r.error.message}`);
  const seconds = (performance.now() - t0) / 1000;
  return { ok: r.status === 0, seconds };
}

function vitest(label, config, timeoutMs) {
  const out = join(tmp, `${label}.json`);
  const step = run(
    label,
    bin('vitest'),
    ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile=${out}`],
    timeoutMs,
  );
  // A failed suite (e.g. a file that does not even load) counts as one failure.
  const j = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
  const passed = j.numPassedTests ?? 0;
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  let failed = Math.max(j.numFailedTests ?? 0, j.numFailedTestSuites ?? 0, existsSync(out) ? 0 : 1);
  if (passed + failed === 0) {
    console.error(`${label}: no test ran — that is a failure, not a pass.`);
    failed = 1;
  }
  results.push({ label, ...step, ok: step.ok && failed === 0, passed, failed, skipped });
}

if (!only || only === 'check') {
  const a = run('svelte-check', bin('svelte-check'), [
    '--tsconfig',
    './tsconfig.app.json',
    '--threshold',
    'error',
    '--output',
    'human',
  ]);
  results.push({ label: 'svelte-check', ...a, passed: a.ok ? 1 : 0, failed: a.ok ? 0 : 1, skipped: 0 });
  const b = run('tsc', bin('tsc'), ['-b']);
  results.push({ label: 'tsc -b', ...b, passed: b.ok ? 1 : 0, failed: b.ok ? 0 : 1, skipped: 0 });
}
if (!only || only === 'unit') {
  vitest('unit', 'vitest.config.ts');
  // The runes tests: a loop of microtasks starves vitest's own timers, so the whole step has a hard limit.
  vitest('runtime', 'vitest.runtime.config.ts', 120_000);
}
if (!only || only === 'e2e') {
  ensureChromium();
  vitest('e2e', 'vitest.e2e.config.ts');
}

const total = results.reduce(
  (s, r) => ({ passed: s.passed + r.passed, failed: s.failed + r.failed, skipped: s.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\n=== summary');
for (const r of results) {
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.label.padEnd(14)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  ${r.seconds.toFixed(1)} s`,
  );
}
const ok = results.every((r) => r.ok);
console.log(
  `tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(ok ? 0 : 1);
