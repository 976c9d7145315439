/**
 * Usage errors as a user wants to read them: the problem first, then the one-line usage of
 * the command and where the full help is; a misspelt option or command gets a did-you-mean.
 */
import type { Io } from './io.js';
import { suggest } from './suggest.js';

/** One line per command, as `--help` describes it. */
export const USAGE: Readonly<Record<string, string>> = {
  validate: 'winrm-forge validate <spec...|-> [--format text|json|sarif] [--strict]',
  generate: 'winrm-forge generate <spec> --out <folder> [--check] [--force] [--eol crlf|lf]',
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
