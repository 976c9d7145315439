import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINIMAL, repoRoot } from './helpers/spec.js';

const bin = join(repoRoot, 'dist', 'src', 'bin.js');

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function snapshot(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else out.set(relative(folder, path).split('\\').join('/'), readFileSync(path).toString('base64'));
    }
  };
  visit(folder);
  return out;
}

describe('winrm-forge generate and plan (built binary)', () => {
  it('writes the full tree for each example, byte-identical under different time zones and locales', () => {
    for (const example of ['galsync-fim-kerberos.yaml', 'monosync-https-delegation.yaml', 'exchange-arr-publishing.yaml']) {
      const first = mkdtempSync(join(tmpdir(), 'winrm-forge-gen-a-'));
      const second = mkdtempSync(join(tmpdir(), 'winrm-forge-gen-b-'));
      const a = run(['generate', `examples/${example}`, '--out', first], { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' });
      const b = run(['generate', `examples/${example}`, '--out', second], { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
      expect(a.stderr).not.toMatch(/: error /);
      expect(b.stderr).toBe(a.stderr);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      expect(a.stdout).toMatch(/^Wrote \d+ files for \d+ hosts to /);
      const treeA = snapshot(first);
      expect(treeA.size).toBeGreaterThan(10);
      expect(snapshot(second)).toEqual(treeA);
      // No absolute path of this machine in any file.
      for (const [path, content] of treeA) {
        const text = Buffer.from(content, 'base64').toString('utf8');
        expect(text, path).not.toContain(repoRoot);
        expect(text, path).not.toContain(first);
      }
    }
  });

  it('plan prints the same PLAN.md that generate writes', () => {
    const out = mkdtempSync(join(tmpdir(), 'winrm-forge-plan-'));
    expect(run(['generate', 'examples/monosync-https-delegation.yaml', '--out', out]).code).toBe(0);
    const r = run(['plan', 'examples/monosync-https-delegation.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(out, 'monofor-monosync', 'PLAN.md'), 'utf8'));
  });

  it('refuses to generate while the spec has errors, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-bad-'));
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, MINIMAL + 'syncServers:\n  - host: sync01.fabrikam.com\n    forest: fabrikam.com\n    product: other\n    serviceAccount: \'FABRIKAM\\svc\'\n    connections:\n      - { exchange: nowhere.fabrikam.com, uri: \'http://nowhere.fabrikam.com/PowerShell/\', authentication: kerberos }\n');
    const out = join(dir, 'out');
    const r = run(['generate', spec, '--out', out]);
    expect(r.code).toBe(1);
    // Findings go to standard error; standard output carries only what was asked for.
    expect(r.stderr).toContain('[connection-unknown-exchange]');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nothing generated');
    expect(existsSync(out)).toBe(false);
    expect(run(['plan', spec]).code).toBe(1);
  });

  it('exits 2 when the output folder cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-file-'));
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const r = run(['generate', 'examples/galsync-fim-kerberos.yaml', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write to');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('exits 2 on a missing spec or a missing --out', () => {
    expect(run(['generate', 'no/such.yaml', '--out', tmpdir()]).code).toBe(2);
    expect(run(['generate', 'examples/galsync-fim-kerberos.yaml']).code).toBe(2);
    expect(run(['plan']).code).toBe(2);
  });

  it('documents both commands with examples', () => {
    for (const command of ['generate', 'plan']) {
      const r = run([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
    }
  });

  it('--check --full catches a script edited by hand whose sha256 was rewritten in manifest.json, which --check takes as generated', () => {
    const out = mkdtempSync(join(tmpdir(), 'winrm-forge-full-'));
    expect(run(['generate', 'examples/galsync-fim-kerberos.yaml', '--out', out]).code).toBe(0);
    const environment = readdirSync(out)[0]!;
    const manifestPath = join(out, environment, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: { path: string; sha256: string; bytes: number }[] };
    const entry = manifest.files.find((f) => f.path.endsWith('/verify.ps1'))!;
    const scriptPath = join(out, environment, entry.path);
    const edited = Buffer.concat([readFileSync(scriptPath), Buffer.from('Write-Host -Object \'edited\'\r\n')]);
    writeFileSync(scriptPath, edited);
    entry.sha256 = createHash('sha256').update(edited).digest('hex');
    entry.bytes = edited.length;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    expect(run(['generate', 'examples/galsync-fim-kerberos.yaml', '--out', out, '--check']).code).toBe(0);
    const full = run(['generate', 'examples/galsync-fim-kerberos.yaml', '--out', out, '--check', '--full']);
    expect(full.code).toBe(1);
    expect(full.stdout).toContain(entry.path);
    expect(full.stdout).toContain("edited");
    const alone = run(['generate', 'examples/galsync-fim-kerberos.yaml', '--out', out, '--full']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/check/);
  });

  it('--check shows a line appended to a generated file whole, not cut at the generated size', () => {
    const out = mkdtempSync(join(tmpdir(), 'winrm-forge-grown-'));
    expect(run(['generate', 'examples/galsync-fim-kerberos.yaml', '--out', out]).code).toBe(0);
    const environment = readdirSync(out)[0]!;
    const plan = join(out, environment, 'PLAN.md');
    writeFileSync(plan, readFileSync(plan, 'utf8') + 'A note added by hand after generating.\n');
    const check = run(['generate', 'examples/galsync-fim-kerberos.yaml', '--out', out, '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('-A note added by hand after generating.');
  });
});
