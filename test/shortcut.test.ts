import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invocationOf, parseArguments } from '../src/cli/cli.js';
import { parseShortcut } from '../src/cli/shortcut.js';
import { runInvocation } from '../src/cli/invocation.js';

/** Pieces of command lines, plain and tricky, for yargs and the shortcut to read. */
const TOKENS = [
  'validate', 'generate', 'diff', 'plan', 'schema', 'a.yaml', 'envs/prod.yaml', 'b c.yaml', 'x=y.yaml', 'C:\\specs\\a.yaml', '\u00e9t\u00e9.yaml', '1', '0x10', '1e3', '.5',
  'true', 'false', '--format', 'json', 'text', 'xml', 'JSON', 'unified', 'markdown', '--format=json', '--format=markdown', '--format=', '--strict', '--no-strict', '--strict=false',
  '--out', 'out', '--out=out', '--out=', '--check', '--no-check', '--check=true', '--full', '--force', '--eol', 'lf', '--baseline', '--today', '2027-03-01',
  '--help', '-h', 'help', '--version', '--', '-', '', '--unknown', '-s',
];

const COMMANDS = ['validate', 'generate', 'diff', 'plan'] as const;

/** What each command needs to be taken at all: shuffled among random words, pairs kept together. */
const SKELETONS: Record<(typeof COMMANDS)[number], string[][]> = {
  validate: [['a.yaml']],
  generate: [['a.yaml'], ['--out', 'out']],
  diff: [['a.yaml'], ['b c.yaml']],
  plan: [['envs/prod.yaml']],
};

/** Command lines: a command, its skeleton and up to five random words, in any order. */
const lines = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(fc.constantFrom(...TOKENS), { maxLength: 5 }), fc.boolean())
  .chain(([command, extra, skeleton]) => {
    const units = [...(skeleton ? SKELETONS[command] : []), ...extra.map((t) => [t])];
    return fc.shuffledSubarray(units, { minLength: units.length, maxLength: units.length }).map((order) => [command, ...order.flat()]);
  });

describe('the command-line shortcut', () => {
  it('takes the plain forms pipelines use', () => {
    expect(parseShortcut(['validate', 'a.yaml'])).toEqual({ command: 'validate', options: { specs: ['a.yaml'], format: 'text', strict: false } });
    expect(parseShortcut(['validate', 'a.yaml', 'b.yaml', '--format', 'json', '--strict'])).toEqual({ command: 'validate', options: { specs: ['a.yaml', 'b.yaml'], format: 'json', strict: true } });
    expect(parseShortcut(['validate', '--format=json', 'a.yaml'])).toEqual({ command: 'validate', options: { specs: ['a.yaml'], format: 'json', strict: false } });
    // yargs reads spec names as text too, even when they look like numbers.
    expect(parseShortcut(['validate', '0x10'])).toEqual({ command: 'validate', options: { specs: ['0x10'], format: 'text', strict: false } });
    expect(parseShortcut(['generate', 'a.yaml', '--out', 'out'])).toEqual({ command: 'generate', options: { spec: 'a.yaml', out: 'out', check: false, full: false, force: false } });
    expect(parseShortcut(['generate', '--check', '--full', 'a.yaml', '--out=out'])).toEqual({ command: 'generate', options: { spec: 'a.yaml', out: 'out', check: true, full: true, force: false } });
    expect(parseShortcut(['diff', 'base.yaml', 'head.yaml', '--format', 'markdown'])).toEqual({ command: 'diff', options: { base: 'base.yaml', head: 'head.yaml', format: 'markdown' } });
    expect(parseShortcut(['plan', 'a.yaml'])).toEqual({ command: 'plan', options: { spec: 'a.yaml' } });
  });

  it('prints for --version alone exactly what yargs prints', async () => {
    expect(parseShortcut(['--version'])).toEqual({ command: 'version' });
    const printed: string[] = [];
    const io = { stdout: (text: string) => void printed.push(text), stderr: () => undefined, cwd: '.', env: {}, isTTY: false };
    expect(await runInvocation({ command: 'version' }, io)).toBe(0);
    const parsed = await parseArguments(['--version']);
    expect(parsed.error).toBeUndefined();
    expect(printed.join('')).toBe(`${parsed.output}\n`);
    for (const argv of [['--version', 'validate'], ['validate', '--version'], ['--version', '--version'], ['--version=1']]) expect(parseShortcut(argv), argv.join(' ')).toBeUndefined();
  });

  it('leaves everything else to yargs', () => {
    for (const argv of [
      [], ['validate'], ['validate', '--help'], ['validate', 'a.yaml', '--format', 'xml'], ['schema'], ['validate', 'a.yaml', '--strict', '--strict'], ['validate', 'a.yaml', '-s'],
      ['validate', '--strict', 'false', 'a.yaml'], ['generate', 'a.yaml'], ['generate', 'a.yaml', '--out', 'o', '--full'], ['generate', 'a.yaml', '--out', 'o', '--force'],
      ['generate', 'a.yaml', '--out', 'o', '--eol', 'lf'], ['generate', '-', '--out', 'o'], ['generate', '', '--out', 'o'], ['generate', 'a.yaml', '--out', '--check'],
      ['diff', 'a.yaml'], ['diff', 'a.yaml', 'b.yaml', 'c.yaml'], ['diff', 'a.yaml', 'b.yaml', '--format', 'json'], ['plan', 'a.yaml', '--baseline', 'x'], ['plan', '--', 'a.yaml'],
      // yargs reads a last word help as asking for help: plan help prints plan's help.
      ['plan', 'help'], ['generate', 'help', '--out', 'o'], ['diff', 'a.yaml', 'help'], ['validate', 'a.yaml', 'help'],
    ]) {
      expect(parseShortcut(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('reads every command line it takes exactly as yargs does', async () => {
    const taken = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(lines, async (argv) => {
        const command = argv[0]!;
        const shortcut = parseShortcut(argv);
        if (shortcut === undefined) return;
        taken.set(command, (taken.get(command) ?? 0) + 1);
        const parsed = await parseArguments(argv);
        expect(parsed.error, argv.join(' ')).toBeUndefined();
        expect(parsed.output).toBe('');
        expect(invocationOf(parsed.args)).toEqual(shortcut);
      }),
      { numRuns: 1200, seed: 20261201 },
    );
    // Every command's shortcut was exercised, not only the easiest one.
    for (const command of COMMANDS) expect(taken.get(command) ?? 0, command).toBeGreaterThan(5);
  });
});
