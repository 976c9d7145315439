/**
 * Globs in file arguments, as cmd.exe and PowerShell pass them on unexpanded:
 * `validate envs/*.yaml` checks every matching spec.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandArguments, expandGlob, segmentRegExp } from '../src/cli/glob.js';
import { MINIMAL } from './helpers/spec.js';
import { runCli } from './helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'winrm-forge-glob-'));
for (const f of ['envs/prod.yaml', 'envs/lab.yaml', 'envs/notes.txt', 'envs/.hidden.yaml', 'envs/eu/west.yaml', 'envs/eu/deep/north.yaml', 'envs/[x].yaml', 'other/a1.yaml', 'other/b2.yaml']) {
  mkdirSync(join(root, f, '..'), { recursive: true });
  writeFileSync(join(root, f), MINIMAL);
}
mkdirSync(join(root, 'envs', 'dir.yaml'));
symlinkSync(join(root, 'other'), join(root, 'linked'));

describe('segmentRegExp', () => {
  it.each([
    ['*.yaml', 'prod.yaml', true],
    ['*.yaml', 'prod.yml', false],
    ['p?od.yaml', 'prod.yaml', true],
    ['[ab]1.yaml', 'a1.yaml', true],
    ['[!a]2.yaml', 'b2.yaml', true],
    ['[!b]2.yaml', 'b2.yaml', false],
    ['[a-c]?.yaml', 'b2.yaml', true],
    ['a+b.yaml', 'a+b.yaml', true],
    ['a+b.yaml', 'aab.yaml', false],
    ['[unclosed.yaml', '[unclosed.yaml', true],
    ['(x).yaml', '(x).yaml', true],
  ])('%s against %s: %s', (pattern, name, expected) => {
    expect(segmentRegExp(pattern).test(name)).toBe(expected);
  });
});

describe('expandGlob', () => {
  it('matches files in a folder, not folders, not dot files, in code point order', () => {
    expect(expandGlob('envs/*.yaml', root)).toEqual(['envs/[x].yaml', 'envs/lab.yaml', 'envs/prod.yaml']);
    expect(expandGlob('envs/.*.yaml', root)).toEqual(['envs/.hidden.yaml']);
  });
  it('walks any depth with **, through links to folders, and across folder segments', () => {
    expect(expandGlob('envs/**/*.yaml', root)).toEqual(['envs/[x].yaml', 'envs/eu/deep/north.yaml', 'envs/eu/west.yaml', 'envs/lab.yaml', 'envs/prod.yaml']);
    expect(expandGlob('*/a?.yaml', root)).toEqual(['linked/a1.yaml', 'other/a1.yaml']);
  });
  it('keeps an absolute pattern absolute', () => {
    expect(expandGlob(`${root}/other/*.yaml`, '/')).toEqual([`${root}/other/a1.yaml`, `${root}/other/b2.yaml`]);
  });
  it('leaves plain names and existing files alone and reports patterns that match nothing', () => {
    expect(expandArguments(['envs/prod.yaml', '-', 'envs/[x].yaml', 'none/*.yaml'], root)).toEqual({ files: ['envs/prod.yaml', '-', 'envs/[x].yaml'], unmatched: ['none/*.yaml'] });
  });
});

describe('validate with a glob', () => {
  it('checks every spec the pattern matches', async () => {
    const r = await runCli(['validate', 'other/*.yaml'], root);
    expect(r.stdout).toContain('2 files checked: no findings');
    expect(r.code).toBe(0);
  });
  it('is a usage error when the pattern matches nothing', async () => {
    const r = await runCli(['validate', 'nothing/*.yaml'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing/*.yaml matches no file');
  });
});
