#!/usr/bin/env node
// `clv` command-line tool: runs the same pure TypeScript modules as the app (src/lib), via tsx.
import { register } from 'tsx/esm/api';

// `clv predict ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
