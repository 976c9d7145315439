import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArguments, validateOptions } from '../src/cli/cli.js';
import { parseShortcut } from '../src/cli/shortcut.js';

/** Pieces of command lines, plain and tricky, for yargs and the shortcut to read. */
const TOKENS = [
  'validate', 'schema', 'a.yaml', 'envs/prod.yaml', 'b c.yaml', 'x=y.yaml', 'C:\\specs\\a.yaml', '\u00e9t\u00e9.yaml', '1', '0x10', '1e3', '.5',
  '--format', 'json', 'text', 'xml', 'JSON', '--format=json', '--format=text', '--format=', '--strict', '--no-strict', '--strict=false',
  '--help', '-h', '--version', '--', '-', '', '--unknown', '-s',
];

describe('the validate shortcut', () => {
  it('takes the plain forms pipelines use', () => {
    expect(parseShortcut(['validate', 'a.yaml'])).toEqual({ specs: ['a.yaml'], format: 'text', strict: false });
    expect(parseShortcut(['validate', 'a.yaml', 'b.yaml', '--format', 'json', '--strict'])).toEqual({ specs: ['a.yaml', 'b.yaml'], format: 'json', strict: true });
    expect(parseShortcut(['validate', '--format=json', 'a.yaml'])).toEqual({ specs: ['a.yaml'], format: 'json', strict: false });
    // yargs reads spec names as text too, even when they look like numbers.
    expect(parseShortcut(['validate', '0x10'])).toEqual({ specs: ['0x10'], format: 'text', strict: false });
  });

  it('leaves everything else to yargs', () => {
    for (const argv of [[], ['validate'], ['validate', '--help'], ['validate', 'a.yaml', '--format', 'xml'], ['schema'], ['validate', 'a.yaml', '--strict', '--strict'], ['validate', 'a.yaml', '-s']]) {
      expect(parseShortcut(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('reads every command line it takes exactly as yargs does', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }), fc.boolean(), async (tokens, leadingValidate) => {
        const argv = leadingValidate ? ['validate', ...tokens] : tokens;
        const shortcut = parseShortcut(argv);
        if (shortcut === undefined) return;
        taken++;
        const parsed = await parseArguments(argv);
        expect(parsed.error).toBeUndefined();
        expect(parsed.output).toBe('');
        expect(parsed.args._).toEqual(['validate']);
        expect(validateOptions(parsed.args)).toEqual(shortcut);
      }),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(0);
  });
});
