import type { Command } from '../main.ts';
import { CliError } from '../io.ts';

// Placeholder until the owning issue lands its implementation.
export const command: Command = {
  summary: 'clv summarize (not implemented yet)',
  usage: 'clv summarize ...',
  run() {
    throw new CliError('clv summarize is not implemented yet', 1);
  },
};
