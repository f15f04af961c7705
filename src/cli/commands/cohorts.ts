import type { Command } from '../main.ts';
import { CliError } from '../io.ts';

// Placeholder until the owning issue lands its implementation.
export const command: Command = {
  summary: 'clv cohorts (not implemented yet)',
  usage: 'clv cohorts ...',
  run() {
    throw new CliError('clv cohorts is not implemented yet', 1);
  },
};
