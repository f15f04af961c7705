import type { Command } from '../main.ts';
import { CliError } from '../io.ts';

// Placeholder until the owning issue lands its implementation.
export const command: Command = {
  summary: 'clv predict (not implemented yet)',
  usage: 'clv predict ...',
  run() {
    throw new CliError('clv predict is not implemented yet', 1);
  },
};
