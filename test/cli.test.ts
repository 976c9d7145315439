import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/cli.js';
import type { Io } from '../src/cli/io.js';
import { rules } from '../src/rules/index.js';
import { MINIMAL, readRepoFile, repoRoot } from './helpers/spec.js';

const bin = join(repoRoot, 'dist', 'src', 'bin.js');

/** Runs the built binary the way a user or a pipeline does. */
function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-cli-'));
const broken = join(dir, 'broken.yaml');
writeFileSync(broken, MINIMAL.replace('ip: 10.2.0.20', 'ip: 10.2.0.20\n    winrm:\n      listeners: [{ transport: https, certificate: { thumbprint: ABC } }]'));

describe('winrm-forge (built binary)', () => {
  it('validates every example with exit 0', () => {
    const r = run(['validate', '--today', '2026-12-01', 'examples/galsync-fim-kerberos.yaml', 'examples/monosync-https-delegation.yaml', 'examples/exchange-arr-publishing.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('3 files checked: 0 errors, 0 warnings, 14 waived\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 on a broken spec naming file:line:col, the excerpt and a fix', () => {
    const r = run(['validate', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${broken}:12:66: error exchange[0].winrm.listeners[0].certificate.thumbprint must be 40 hexadecimal characters (got 3) [schema-pattern]`);
    expect(r.stdout).toContain('^^^');
    expect(r.stdout).toContain('hint: Copy the Thumbprint');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('prints JSON findings with --format json', () => {
    const r = run(['validate', broken, '--format', 'json']);
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout) as { files: { diagnostics: { ruleId: string; line: number; column: number }[] }[]; summary: { errors: number } };
    expect(parsed.files[0]!.diagnostics[0]).toMatchObject({ ruleId: 'schema-pattern', line: 12, column: 66 });
    expect(parsed.summary.errors).toBe(1);
  });

  it('colors only when asked and honours NO_COLOR', () => {
    expect(run(['validate', broken], { FORCE_COLOR: '1', NO_COLOR: '' }).stdout).toMatch(/\u001b\[31m/);
    expect(run(['validate', broken], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/);
  });

  it('exits 2 on a missing file, without a stack trace', () => {
    const r = run(['validate', 'no/such/spec.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('no/such/spec.yaml: error no/such/spec.yaml does not exist [file-not-found]');
    expect(r.stdout + r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('exits 2 on usage errors', () => {
    expect(run([]).code).toBe(2);
    expect(run(['validate']).code).toBe(2);
    const r = run(['validate', broken, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('winrm-forge: --format xml is not one of text, json, sarif.');
    expect(run(['frobnicate']).code).toBe(2);
  });

  it('prints help with examples for every command, and the version', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('winrm-forge validate <spec...>');
    for (const command of ['validate', 'explain', 'schema']) {
      const r = run([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
    }
    expect(run(['--version']).stdout.trim()).toBe(JSON.parse(readRepoFile('package.json')).version);
  });

  it('explain lists every rule with severity and one line, and prints one rule doc', () => {
    const list = run(['explain']);
    expect(list.code).toBe(0);
    for (const rule of rules) expect(list.stdout).toMatch(new RegExp(`^${rule.id} +${rule.severity} +${rule.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const one = run(['explain', 'kerberos-needs-trust']);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(readRepoFile('docs/rules/kerberos-needs-trust.md'));
  });

  it('explain suggests the closest rule for an unknown ID and exits 2', () => {
    const r = run(['explain', 'kerberos-need-trust']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Unknown rule kerberos-need-trust. Did you mean kerberos-needs-trust?');
  });

  it('--strict turns rule warnings into exit 1; waived warnings never fail', () => {
    const warned = join(dir, 'warned.yaml');
    writeFileSync(warned, MINIMAL.replace('ip: 10.2.0.20', 'ip: 10.2.0.20\n    delegation: { mode: unconstrained }'));
    const plain = run(['validate', warned]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('warning exch01.fabrikam.com is trusted for unconstrained delegation');
    expect(plain.stdout).toContain('[unconstrained-delegation]');
    expect(run(['validate', warned, '--strict']).code).toBe(1);
    expect(run(['validate', 'examples/exchange-arr-publishing.yaml', '--strict']).code).toBe(0);
  });

  it('prints the schema', () => {
    const r = run(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readRepoFile('schema/winrm-forge.schema.json'));
  });
});

describe('main (in-process)', () => {
  it('reports paths as the user wrote them, resolved from the caller folder', async () => {
    let out = '';
    const io: Io = { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: join(repoRoot, 'examples'), env: { NO_COLOR: '1' }, isTTY: false };
    expect(await main(['validate', '--today', '2026-12-01', 'galsync-fim-kerberos.yaml'], io)).toBe(0);
    // Waived findings are listed too, each under the path as written (not resolved).
    expect(out.split('\n').filter((l) => / warning \(waived\) /.test(l)).every((l) => l.startsWith('galsync-fim-kerberos.yaml:'))).toBe(true);
    expect(out).not.toContain(repoRoot);
    expect(out.endsWith('1 file checked: 0 errors, 0 warnings, 4 waived\n')).toBe(true);
  });
});
