/** Findings go to standard error and the requested artifact to standard output; colors follow the stream they are written to. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/cli.js';
import { generateText } from '../src/index.js';
import type { Io } from '../src/cli/io.js';
import { MINIMAL } from './helpers/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-streams-'));
const broken = join(dir, 'broken.yaml');
writeFileSync(broken, MINIMAL.replace('forest: fabrikam.com', 'forest: fabrikam.local'));
// A warning only (unconstrained delegation): the spec renders, the warning is printed.
const warned = join(dir, 'warned.yaml');
writeFileSync(warned, MINIMAL.replace('    ip: 10.2.0.20\n', '    ip: 10.2.0.20\n    delegation: { mode: unconstrained }\n'));

async function run(argv: string[], streams: { isTTY?: boolean; stderrIsTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: streams.env ?? {}, isTTY: streams.isTTY ?? false, stderrIsTTY: streams.stderrIsTTY ?? false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('streams', () => {
  it('plan bad.yaml > PLAN.md writes no finding into PLAN.md', async () => {
    const r = await run(['plan', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('names forest fabrikam.local, which is not declared under forests [unknown-forest]');
  });

  it('generate prints errors on standard error, like its warnings', async () => {
    const r = await run(['generate', broken, '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[unknown-forest]');
    const w = await run(['generate', warned, '--out', join(dir, 'out')]);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain('[unconstrained-delegation]');
    expect(w.stdout).toMatch(/^Wrote \d+ files/);
  });

  it('colors findings on standard error when it is a terminal, whatever standard output is', async () => {
    const colored = await run(['plan', warned], { stderrIsTTY: true });
    expect(colored.stderr).toMatch(/\u001b\[33mwarning/);
    expect(colored.stdout).not.toMatch(/\u001b\[/);
    const refused = await run(['plan', broken], { stderrIsTTY: true });
    expect(refused.stderr).toMatch(/\u001b\[31merror/);
  });

  it('never colors for TERM=dumb, on either stream', async () => {
    const r = await run(['plan', broken], { isTTY: true, stderrIsTTY: true, env: { TERM: 'dumb' } });
    expect(r.stderr + r.stdout).not.toMatch(/\u001b\[/);
    const v = await run(['validate', broken], { isTTY: true, env: { TERM: 'dumb' } });
    expect(v.stdout).toContain('[unknown-forest]');
    expect(v.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('PLAN.md', () => {
  it('names the line ending the scripts were written with', async () => {
    const options = { specPath: 'spec.yaml', toolVersion: '0.0.0-test' };
    const plan = async (scriptEol: 'crlf' | 'lf') => Buffer.from((await generateText('spec.yaml', MINIMAL, { ...options, scriptEol })).files!.get('lab/PLAN.md')!).toString('utf8');
    expect(await plan('crlf')).toContain('`.ps1` files use CRLF line endings');
    const lf = await plan('lf');
    expect(lf).toContain('`.ps1` files use LF line endings (`--eol lf`)');
    expect(lf).not.toContain('CRLF line endings');
  });
});

