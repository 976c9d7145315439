/** How the commands take their spec: standard input for validate, and no green run without a file checked. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/cli.js';
import type { Io } from '../src/cli/io.js';
import { MINIMAL, repoRoot } from './helpers/spec.js';

const bin = join(repoRoot, 'dist', 'src', 'bin.js');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', input: input ?? '', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the spec from standard input', () => {
  it('validate - checks what is piped in and names it <stdin>', () => {
    const clean = run(['validate', '-'], MINIMAL);
    expect(clean.code).toBe(0);
    expect(clean.stdout + clean.stderr).toContain('1 file checked: no findings');
    const broken = run(['validate', '-'], MINIMAL.replace('forest: fabrikam.com', 'forest: fabrikam.local'));
    expect(broken.code).toBe(1);
    expect(broken.stdout + broken.stderr).toContain('<stdin>:9:13: error exch01.fabrikam.com names forest fabrikam.local');
  });

  it('validate - reads through yargs as well as through the plain form', () => {
    const r = run(['validate', '-', '--format', 'json'], MINIMAL.replace('version: 1', 'version: 2'));
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { files: { file: string }[] }).files[0]!.file).toBe('<stdin>');
  });

  it('refuses an empty stdin as an empty spec, not as a pass', () => {
    const r = run(['validate', '-'], '');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('<stdin> is empty');
  });

  it.each([
    [['plan', '-'], 'this command reads its spec from a file; only validate reads standard input (-).'],
    [['generate', '-', '--out', 'x'], 'this command reads its spec from a file; only validate reads standard input (-).'],
    [['diff', 'examples/galsync-fim-kerberos.yaml', '-'], 'this command reads its spec from a file; only validate reads standard input (-).'],
    [['validate', ''], 'a spec name is empty (an unset variable in the command line?).'],
    [['plan', ''], 'a spec name is empty (an unset variable in the command line?).'],
    [['validate', '-', '-'], 'standard input (-) can be read only once.'],
  ])('%j is a usage error that says why', (args, problem) => {
    const r = run(args, MINIMAL);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`winrm-forge: ${problem}`);
    expect(r.stdout).toBe('');
  });
});

describe('never green without a file checked', () => {
  it('validate with no spec in-process exits 2', async () => {
    let err = '';
    const io: Io = { stdout: () => undefined, stderr: (t) => void (err += t), cwd: repoRoot, env: {}, isTTY: false };
    const { runValidate } = await import('../src/cli/commands/validate.js');
    expect(await runValidate({ specs: [], format: 'text', strict: false }, io)).toBe(2);
    expect(err).toContain('name at least one spec file');
    expect(await main(['validate'], io)).toBe(2);
  });
});
