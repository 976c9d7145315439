/**
 * The plain forms of the commands pipelines run most, recognised without yargs: loading yargs is
 * a third of the start-up time of a validation, and 100-200 ms of any command. Taken:
 *   validate <spec...> [--format text|json|sarif] [--strict]
 *   generate <spec> --out <dir> [--check [--full]]
 *   diff <base> <head> [--format unified|markdown]
 *   plan <spec>
 *   --version
 * Anything else (help, version, other commands or options, `--baseline`, `--today`, `--eol`,
 * `--force`, a repeated option, an option's value that is empty or starts with `-`, a spec named
 * `-` or empty, the word `help`, `--`) returns undefined and goes through yargs, which also words every usage
 * error; a test checks that both read every form the shortcut takes alike.
 */
import type { Invocation } from './invocation.js';
import type { OutputFormat } from './commands/validate.js';
import type { DiffFormat } from './commands/diff.js';

const VALIDATE_FORMATS: readonly string[] = ['text', 'json', 'sarif'];
const DIFF_FORMATS: readonly string[] = ['unified', 'markdown'];

/** The words of a command line after its command: positionals, and options with their values or `true`. */
interface Words {
  positionals: string[];
  options: Map<string, string | true>;
}

/**
 * Splits `argv` (after the command) given which options take a value and which are flags;
 * undefined for anything the shortcut leaves to yargs.
 */
function words(argv: readonly string[], valued: readonly string[], flags: readonly string[], allowStdin: boolean): Words | undefined {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      if (options.has(name)) return undefined;
      // yargs reads a flag's next word as its value when it is true or false (`--check false`).
      if (flags.includes(name) && eq < 0) {
        if (argv[i + 1] === 'true' || argv[i + 1] === 'false') return undefined;
        options.set(name, true);
      }
      else if (valued.includes(name)) {
        const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined || value === '' || value.startsWith('-')) return undefined;
        options.set(name, value);
      } else return undefined;
    } else if (arg === 'help') {
      // yargs takes a last word `help` as asking for the command's help.
      return undefined;
    } else if (arg === '-' && allowStdin) positionals.push(arg);
    else if (arg === '' || arg.startsWith('-')) return undefined;
    else positionals.push(arg);
  }
  return { positionals, options };
}

export function parseShortcut(argv: readonly string[]): Invocation | undefined {
  if (argv.length === 1 && argv[0] === '--version') return { command: 'version' };
  const rest = argv.slice(1);
  switch (argv[0]) {
    case 'validate': {
      const w = words(rest, ['format'], ['strict'], true);
      const format = w?.options.get('format') ?? 'text';
      if (!w || w.positionals.length === 0 || typeof format !== 'string' || !VALIDATE_FORMATS.includes(format)) return undefined;
      return { command: 'validate', options: { specs: w.positionals, format: format as OutputFormat, strict: w.options.has('strict') } };
    }
    case 'generate': {
      const w = words(rest, ['out'], ['check', 'full'], false);
      const out = w?.options.get('out');
      if (!w || w.positionals.length !== 1 || typeof out !== 'string' || (w.options.has('full') && !w.options.has('check'))) return undefined;
      return { command: 'generate', options: { spec: w.positionals[0]!, out, check: w.options.has('check'), full: w.options.has('full'), force: false } };
    }
    case 'diff': {
      const w = words(rest, ['format'], [], false);
      const format = w?.options.get('format') ?? 'unified';
      if (!w || w.positionals.length !== 2 || typeof format !== 'string' || !DIFF_FORMATS.includes(format)) return undefined;
      return { command: 'diff', options: { base: w.positionals[0]!, head: w.positionals[1]!, format: format as DiffFormat } };
    }
    case 'plan': {
      const w = words(rest, [], [], false);
      if (!w || w.positionals.length !== 1) return undefined;
      return { command: 'plan', options: { spec: w.positionals[0]! } };
    }
    default:
      return undefined;
  }
}
