/**
 * The plain `validate <spec...> [--format text|json|sarif] [--strict]` invocation, recognised without
 * yargs: loading yargs is a third of the start-up time of a validation, and pipelines and
 * editors run this form most. Anything else (help, version, other commands, any other option or
 * form, a repeated option) returns undefined and goes through yargs; a test checks that both
 * read every form the shortcut takes alike.
 */
import type { OutputFormat, ValidateOptions } from './commands/validate.js';

const FORMATS: readonly string[] = ['text', 'json', 'sarif'];

export function parseShortcut(argv: readonly string[]): ValidateOptions | undefined {
  if (argv[0] !== 'validate') return undefined;
  const specs: string[] = [];
  let format: OutputFormat | undefined;
  let strict: boolean | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--strict') {
      if (strict !== undefined) return undefined;
      strict = true;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? argv[++i] : arg.slice('--format='.length);
      if (format !== undefined || value === undefined || !FORMATS.includes(value)) return undefined;
      format = value as OutputFormat;
    } else if (arg === '-') {
      specs.push(arg);
    } else if (arg === '' || arg.startsWith('-')) {
      return undefined;
    } else {
      specs.push(arg);
    }
  }
  if (specs.length === 0) return undefined;
  return { specs, format: format ?? 'text', strict: strict ?? false };
}
