/**
 * Usage errors as a user wants to read them: the problem first, then the one-line usage of
 * the command and where the full help is; a misspelt option or command gets a did-you-mean.
 */
import type { Io } from './io.js';
import { suggest } from '../shared/suggest.js';

/** One line per command, as `--help` describes it. */
export const USAGE: Readonly<Record<string, string>> = {
  validate: 'winrm-forge validate <spec...|-> [--format text|json|sarif] [--strict] [--baseline <id>] [--today <YYYY-MM-DD>]',
  generate: 'winrm-forge generate <spec> --out <folder> [--check] [--force] [--eol crlf|lf] [--baseline <id>] [--today <YYYY-MM-DD>]',
  diff: 'winrm-forge diff <base> <head> [--format unified|markdown]',
  plan: 'winrm-forge plan <spec>',
  explain: 'winrm-forge explain [rule]',
  schema: 'winrm-forge schema',
  init: 'winrm-forge init [--scenario galsync|monosync|arr] [--out <file>]',
};

export const COMMANDS: readonly string[] = Object.keys(USAGE);

/** Prints a usage error for `command` (or for the tool when no command is known). */
export function usageError(io: Io, problem: string, command?: string): void {
  const known = command !== undefined && USAGE[command] !== undefined ? command : undefined;
  const usage = known ? USAGE[known] : 'winrm-forge <command> [options]   (commands: ' + COMMANDS.join(', ') + ')';
  const help = known ? `winrm-forge ${known} --help` : 'winrm-forge --help';
  io.stderr(`winrm-forge: ${problem}\nUsage: ${usage}\nRun ${help} for the options and examples.\n`);
}

/** The options a command takes, for did-you-mean on an unknown one. */
const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  validate: ['--format', '--strict'],
  generate: ['--out', '--check', '--force', '--eol'],
  diff: ['--format'],
  plan: [],
  explain: [],
  schema: [],
  init: ['--scenario', '--out'],
};

/** "Did you mean --strict?" for an option the command does not take, or ''. */
export function suggestOption(command: string | undefined, option: string): string {
  const candidates = [...(command ? (OPTIONS[command] ?? []) : Object.values(OPTIONS).flat()), '--help', '--version'];
  const guess = suggest(option, candidates);
  return guess ? ` Did you mean ${guess}?` : '';
}

export function suggestCommand(name: string): string {
  const guess = suggest(name, COMMANDS);
  return guess ? ` Did you mean ${guess}?` : '';
}

/**
 * yargs' complaint as one sentence naming what the user typed, with did-you-mean. `argv` tells
 * an unknown option (--stric) from an extra argument, which yargs reports alike.
 */
export function describeParseError(message: string, argv: readonly string[], command: string | undefined): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown) {
    const all = (unknown[1] ?? '').split(', ').filter((n) => n !== '');
    // Without a known command, the first word is the misspelt command: the rest are its arguments.
    const names = command ? all : all.slice(0, 1);
    const problems = names.map((name) => {
      const written = argv.find((a) => a === `--${name}` || a === `-${name}` || a.startsWith(`--${name}=`));
      if (written !== undefined) return `unknown option ${written.split('=')[0]}${command ? ` for ${command}` : ''}.${suggestOption(command, `--${name}`)}`;
      if (!command) return `unknown command ${name}.${suggestCommand(name)}`;
      return `unexpected argument ${name}: ${command} takes ${USAGE[command]?.replace(/^winrm-forge \S+ ?/, '') || 'no arguments'}.`;
    });
    return problems.join(' ');
  }
  const invalid = /Argument: (\S+), Given: "([^"]*)", Choices: (.*)$/m.exec(message);
  if (invalid) {
    const choices = (invalid[3] ?? '').split(', ').map((c) => c.replace(/^"|"$/g, ''));
    const guess = suggest(invalid[2] ?? '', choices);
    return `--${invalid[1]} ${invalid[2]} is not one of ${choices.join(', ')}.${guess ? ` Did you mean ${guess}?` : ''}`;
  }
  const missing = /^Missing required arguments?: (.*)$/.exec(message);
  if (missing) return `missing ${(missing[1] ?? '').split(', ').map((m) => `--${m}`).join(' and ')}${command ? ` for ${command}` : ''}.`;
  const notEnough = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message);
  if (notEnough) return `${command ?? 'the command'} needs ${notEnough[2] === '1' ? 'a spec file' : `${notEnough[2]} spec files`} (got ${notEnough[1]}).`;
  const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
  if (exclusive) return `--${exclusive[1]} and --${exclusive[2]} cannot be used together.`;
  if (message.startsWith('Name a command')) return 'name a command.';
  const first = message.split('\n')[0] ?? message;
  return `${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}
