/** Usage errors: the problem first, one line of usage, where the help is, and did-you-mean. */
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/cli.js';
import type { Io } from '../src/cli/io.js';
import { repoRoot } from './helpers/spec.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('usage errors', () => {
  it.each([
    [['validate', 'x.yaml', '--stric'], 'unknown option --stric for validate. Did you mean --strict?', 'winrm-forge validate <spec...|-> [--format text|json|sarif] [--strict] [--baseline <id>] [--today <YYYY-MM-DD>]', 'validate'],
    [['valdate', 'x.yaml'], 'unknown command valdate. Did you mean validate?', undefined, undefined],
    [['frobnicate'], 'unknown command frobnicate.', undefined, undefined],
    [['validate', 'x.yaml', '--format', 'jsn'], '--format jsn is not one of text, json, sarif. Did you mean json?', 'winrm-forge validate <spec...|-> [--format text|json|sarif] [--strict] [--baseline <id>] [--today <YYYY-MM-DD>]', 'validate'],
    [['generate', 'x.yaml'], 'missing --out for generate.', 'winrm-forge generate <spec> --out <folder> [--check] [--force] [--eol crlf|lf] [--baseline <id>] [--today <YYYY-MM-DD>]', 'generate'],
    [['generate', 'x.yaml', '--out', 'o', '--check', '--force'], '--check and --force cannot be used together.', 'winrm-forge generate <spec> --out <folder> [--check] [--force] [--eol crlf|lf] [--baseline <id>] [--today <YYYY-MM-DD>]', 'generate'],
    [['diff', 'a.yaml'], 'diff needs 2 spec files (got 1).', 'winrm-forge diff <base> <head> [--format unified|markdown]', 'diff'],
    [['plan', 'a.yaml', 'b.yaml'], 'unexpected argument b.yaml: plan takes <spec>.', 'winrm-forge plan <spec>', 'plan'],
    [['generate', 'x.yaml', '--out', 'o', '--eol', 'crlff'], '--eol crlff is not one of crlf, lf. Did you mean crlf?', 'winrm-forge generate <spec> --out <folder> [--check] [--force] [--eol crlf|lf] [--baseline <id>] [--today <YYYY-MM-DD>]', 'generate'],
    [[], 'name a command.', undefined, undefined],
  ])('%j: the problem, one line of usage and where the help is', async (argv, problem, usage, command) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`winrm-forge: ${problem}`);
    expect(lines[1]).toBe(`Usage: ${usage ?? 'winrm-forge <command> [options]   (commands: validate, generate, diff, plan, explain, schema, init)'}`);
    expect(lines[2]).toBe(`Run winrm-forge ${command ? `${command} ` : ''}--help for the options and examples.`);
  });

  it('--help still prints the whole help on standard output', async () => {
    const r = await run(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--strict');
  });
});
