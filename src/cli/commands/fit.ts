import type { Command } from '../main.ts';
import { CliError } from '../io.ts';

// Placeholder until the owning issue lands its implementation.
export const command: Command = {
  summary: 'clv fit (not implemented yet)',
  usage: 'clv fit ...',
  run() {
    throw new CliError('clv fit is not implemented yet', 1);
  },
};
