/**
 * A command with its options, as the shortcut (shortcut.ts) or yargs (cli.ts) read it from the
 * command line, and running it: each command module is imported only when its command runs, so
 * start-up loads only what the command needs.
 */
import type { ExitCode, Io } from './io.js';
import { packageVersion } from '../shared/paths.js';
import type { ValidateOptions } from './commands/validate.js';
import type { GenerateCommandOptions } from './commands/generate.js';
import type { DiffOptions } from './commands/diff.js';
import type { ExplainOptions } from './commands/explain.js';
import type { InitOptions } from './commands/init.js';

export interface PlanOptions {
  spec: string;
  baseline?: string;
  today?: Date;
}

export type Invocation =
  | { command: 'validate'; options: ValidateOptions }
  | { command: 'generate'; options: GenerateCommandOptions }
  | { command: 'diff'; options: DiffOptions }
  | { command: 'plan'; options: PlanOptions }
  | { command: 'explain'; options: ExplainOptions }
  | { command: 'schema' }
  | { command: 'init'; options: InitOptions }
  /** `--version` alone: what yargs prints for it, without loading yargs or the baselines it lists. */
  | { command: 'version' };

export async function runInvocation(invocation: Invocation, io: Io): Promise<ExitCode> {
  switch (invocation.command) {
    case 'validate':
      return (await import('./commands/validate.js')).runValidate(invocation.options, io);
    case 'generate':
      return (await import('./commands/generate-thread.js')).runGenerate(invocation.options, io);
    case 'diff':
      return (await import('./commands/diff.js')).runDiff(invocation.options, io);
    case 'plan':
      return (await import('./commands/plan.js')).runPlan(invocation.options, io);
    case 'explain':
      return (await import('./commands/explain.js')).runExplain(invocation.options, io);
    case 'schema':
      return (await import('./commands/schema.js')).runSchema(io);
    case 'init':
      return (await import('./commands/init.js')).runInit(invocation.options, io);
    case 'version':
      io.stdout(`${packageVersion()}\n`);
      return 0;
  }
}
