#!/usr/bin/env node
// `clv` command-line tool: runs the same pure TypeScript modules as the app (src/lib), via tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
