/**
 * `generate --out`, `--force`, `--eol` and `--check` through the command itself (in-process):
 * what lands on disk, what is refused, and what the drift check reports.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GALSYNC, withSecondExchangeServer, withSecondSyncServer, writeSpecs } from './helpers/galsync-variants.js';
import { readDisk } from './helpers/output-tree.js';
import { runCli } from './helpers/run-cli.js';
import { withoutWaived } from './helpers/stderr.js';

const ENV = 'contoso-galsync';
const CAS = `${ENV}/hosts/cas01.fabrikam.com`;
const FIM = `${ENV}/hosts/fim01.corp.contoso.com`;

/** A scratch folder holding the galsync spec and variants of it, as a repository would. */
function workspace(): string {
  return writeSpecs(mkdtempSync(join(tmpdir(), 'winrm-forge-out-')), {
    'galsync.yaml': GALSYNC,
    'two-sync.yaml': withSecondSyncServer(),
    'two-cas.yaml': withSecondExchangeServer(),
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const OLD_TIME = new Date('2001-02-03T04:05:06Z');

/** Sets every file's mtime to OLD_TIME, so any rewrite shows. */
function ageFiles(dir: string): void {
  for (const path of readDisk(dir).keys()) utimesSync(join(dir, path), OLD_TIME, OLD_TIME);
}

function mtimes(dir: string): Map<string, number> {
  return new Map([...readDisk(dir).keys()].map((path) => [path, statSync(join(dir, path)).mtimeMs]));
}

describe('generate --out', () => {
  it('writes the tree, then rewrites nothing when run again (every mtime kept)', async () => {
    const ws = workspace();
    const first = await runCli(['generate', 'galsync.yaml', '--out', 'out'], ws);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Wrote 21 files for 3 hosts to out\/contoso-galsync; start with out\/contoso-galsync\/PLAN.md\n$/);
    const out = join(ws, 'out');
    ageFiles(out);
    const before = mtimes(out);
    const second = await runCli(['generate', 'galsync.yaml', '--out', 'out'], ws);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('out/contoso-galsync is already up to date for 3 hosts: 21 files unchanged, nothing written.\n');
    expect(mtimes(out)).toEqual(before);
    expect([...before.values()].every((t) => t === OLD_TIME.getTime())).toBe(true);
  });

  it('rewrites only the files whose bytes change; the others keep their mtime', async () => {
    const ws = workspace();
    // The spec hash is in every banner; keep it equal by changing nothing but what the
    // second Exchange server brings, then compare which files were touched.
    expect((await runCli(['generate', 'two-cas.yaml', '--out', 'out'], ws)).code).toBe(0);
    const out = join(ws, 'out');
    ageFiles(out);
    const old = readDisk(out);
    writeFileSync(join(ws, 'two-cas.yaml'), withSecondExchangeServer().replace('CHG-2041', 'CHG-2042'));
    const r = await runCli(['generate', 'two-cas.yaml', '--out', 'out'], ws);
    expect(r.code).toBe(0);
    const now = readDisk(out);
    let unchanged = 0;
    for (const [path, bytes] of now) {
      const same = Buffer.from(bytes).equals(Buffer.from(old.get(path)!));
      if (same) unchanged++;
      expect(statSync(join(out, path)).mtimeMs === OLD_TIME.getTime(), path).toBe(same);
    }
    // Only the change reference changed: PLAN.md shows it, manifest.json lists PLAN.md's new hash
    // and the spec's. Scripts do not carry the spec's hash, so every one keeps its bytes and mtime.
    expect(r.stdout).toMatch(/^Wrote \d+ files for 4 hosts to out\/contoso-galsync/);
    const changed = [...now.keys()].filter((path) => !Buffer.from(now.get(path)!).equals(Buffer.from(old.get(path)!))).sort();
    expect(changed).toEqual([`${ENV}/PLAN.md`, `${ENV}/manifest.json`]);
    expect(unchanged).toBe(now.size - 2);
  });

  it('a change to one host rewrites that host\'s files, PLAN.md and manifest.json only; diff and --check name only those', async () => {
    const monosync = readFileSync(join(import.meta.dirname, '..', 'examples', 'monosync-https-delegation.yaml'), 'utf8');
    const lines = monosync.split('\n');
    const at = lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('host: exch02.monofor.com')) && l.includes('cbtHardening: relaxed'));
    expect(at).toBeGreaterThan(0);
    const changedSpec = [...lines.slice(0, at), lines[at]!.replace('cbtHardening: relaxed', 'cbtHardening: strict'), ...lines.slice(at + 1)].join('\n');
    const ws = writeSpecs(mkdtempSync(join(tmpdir(), 'winrm-forge-one-host-')), { 'base.yaml': monosync, 'head.yaml': monosync });
    expect((await runCli(['generate', 'head.yaml', '--out', 'out'], ws)).code).toBe(0);
    const out = join(ws, 'out');
    ageFiles(out);
    const old = readDisk(out);
    writeFileSync(join(ws, 'head.yaml'), changedSpec);
    const exch02 = 'monofor-monosync/hosts/exch02.monofor.com/';
    const allowed = (path: string) => path.startsWith(exch02) || path === 'monofor-monosync/PLAN.md' || path === 'monofor-monosync/manifest.json';

    const check = await runCli(['generate', 'head.yaml', '--out', 'out', '--check'], ws);
    expect(check.code).toBe(1);
    const reported = [...check.stdout.matchAll(/^diff --git a\/(\S+) /gm)].map((m) => m[1]!);
    expect(reported.length).toBeGreaterThan(2);
    expect(reported.filter((p) => !allowed(p))).toEqual([]);
    const diff = await runCli(['diff', 'base.yaml', 'head.yaml'], ws);
    expect([...diff.stdout.matchAll(/^diff --git a\/(\S+) /gm)].map((m) => m[1]!)).toEqual(reported);
    // The manifest is compared as data: the entries that changed, not every line.
    expect(diff.stdout).toMatch(/# manifest entries changed: .*hosts\/exch02\.monofor\.com\//);

    expect((await runCli(['generate', 'head.yaml', '--out', 'out'], ws)).code).toBe(0);
    const now = readDisk(out);
    const rewritten = [...now.keys()].filter((path) => statSync(join(out, path)).mtimeMs !== OLD_TIME.getTime());
    expect(rewritten.sort()).toEqual(reported.filter((p) => now.has(p) && !Buffer.from(now.get(p)!).equals(Buffer.from(old.get(p) ?? new Uint8Array()))).sort());
    expect(rewritten.filter((p) => !allowed(p))).toEqual([]);
  });

  it('removes the files of a host the spec no longer has, and keeps files winrm-forge did not write', async () => {
    const ws = workspace();
    expect((await runCli(['generate', 'two-sync.yaml', '--out', 'out'], ws)).code).toBe(0);
    const out = join(ws, 'out');
    expect(existsSync(join(out, ENV, 'hosts', 'fim02.corp.contoso.com', 'run-all.ps1'))).toBe(true);
    writeFileSync(join(out, ENV, 'NOTES.md'), 'change window: Sunday\n');
    writeFileSync(join(out, ENV, 'hosts', 'fim02.corp.contoso.com', 'evidence.txt'), 'run on 2026-11-01\n');
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out'], ws);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ \(6 no longer generated removed, 2 files of yours kept\);/);
    const disk = [...readDisk(out).keys()];
    expect(disk.filter((p) => p.includes('fim02'))).toEqual([`${ENV}/hosts/fim02.corp.contoso.com/evidence.txt`]);
    expect(readFileSync(join(out, ENV, 'NOTES.md'), 'utf8')).toBe('change window: Sunday\n');
  });

  it('refuses a non-empty folder it did not create (exit 2, nothing touched) and writes into it with --force', async () => {
    const ws = workspace();
    const out = join(ws, 'scripts');
    mkdirSync(out);
    writeFileSync(join(out, 'README.txt'), 'hand-written scripts\n');
    const refused = await runCli(['generate', 'galsync.yaml', '--out', 'scripts'], ws);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('winrm-forge: cannot write to scripts: the --out folder is not empty and holds no winrm-forge output');
    expect(refused.stderr).toContain('--force');
    expect([...readDisk(out).keys()]).toEqual(['README.txt']);

    const forced = await runCli(['generate', 'galsync.yaml', '--out', 'scripts', '--force'], ws);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toBe('hand-written scripts\n');
    expect(existsSync(join(out, ENV, 'PLAN.md'))).toBe(true);
    // Now the folder holds winrm-forge output: no --force needed any more.
    expect((await runCli(['generate', 'galsync.yaml', '--out', 'scripts'], ws)).code).toBe(0);
  });

  it('refuses an environment folder without a manifest (someone else\'s PLAN.md in it), unless --force', async () => {
    const ws = workspace();
    // The --out folder holds another environment winrm-forge wrote, so only the folder of this one is foreign.
    writeSpecs(ws, { 'other.yaml': GALSYNC.replace('environment: contoso-galsync', 'environment: contoso-other') });
    expect((await runCli(['generate', 'other.yaml', '--out', 'out'], ws)).code).toBe(0);
    const envDir = join(ws, 'out', ENV);
    mkdirSync(envDir, { recursive: true });
    writeFileSync(join(envDir, 'PLAN.md'), 'my own plan\n');
    const refused = await runCli(['generate', 'galsync.yaml', '--out', 'out'], ws);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${ENV} is not empty and has no winrm-forge manifest.json`);
    expect(readFileSync(join(envDir, 'PLAN.md'), 'utf8')).toBe('my own plan\n');
    const forced = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--force'], ws);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(envDir, 'PLAN.md'), 'utf8')).toContain('# Remote PowerShell plan: contoso-galsync');
  });

  it('exits 2 while another run holds the folder, naming its process', async () => {
    const ws = workspace();
    const out = join(ws, 'out');
    mkdirSync(out);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(out, '.winrm-forge.lock'), `${other.pid}\n`);
      const r = await runCli(['generate', 'galsync.yaml', '--out', 'out'], ws);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`another winrm-forge run (process ${other.pid}) is writing this folder`);
      expect(existsSync(join(out, ENV))).toBe(false);
    } finally {
      other.kill();
    }
  });

  it('refuses --check with --force (usage error)', async () => {
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check', '--force'], workspace());
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('winrm-forge: --check and --force cannot be used together.');
  });
});

describe('generate --eol', () => {
  /** Every file the manifest lists exists with the recorded hash and size, and nothing else was generated. */
  function expectManifestMatchesDisk(out: string): { ps1: string } {
    const manifest = JSON.parse(readFileSync(join(out, ENV, 'manifest.json'), 'utf8')) as { lineEndings: { ps1: string }; files: { path: string; sha256: string; bytes: number }[] };
    const disk = readDisk(join(out, ENV));
    disk.delete('manifest.json');
    expect(manifest.files.map((f) => f.path)).toEqual([...disk.keys()]);
    for (const file of manifest.files) {
      expect(sha256(disk.get(file.path)!), file.path).toBe(file.sha256);
      expect(disk.get(file.path)!.length, file.path).toBe(file.bytes);
    }
    return manifest.lineEndings;
  }

  it('writes CRLF scripts by default and LF with --eol lf; other files keep theirs; the manifest hashes what is on disk', async () => {
    const ws = workspace();
    expect((await runCli(['generate', 'galsync.yaml', '--out', 'crlf'], ws)).code).toBe(0);
    expect((await runCli(['generate', 'galsync.yaml', '--out', 'lf', '--eol', 'lf'], ws)).code).toBe(0);
    expect(expectManifestMatchesDisk(join(ws, 'crlf')).ps1).toBe('crlf');
    expect(expectManifestMatchesDisk(join(ws, 'lf')).ps1).toBe('lf');
    const crlf = readDisk(join(ws, 'crlf'));
    const lf = readDisk(join(ws, 'lf'));
    expect([...lf.keys()]).toEqual([...crlf.keys()]);
    for (const [path, bytes] of crlf) {
      const text = Buffer.from(bytes).toString('utf8');
      const lfText = Buffer.from(lf.get(path)!).toString('utf8');
      if (path.endsWith('.ps1')) {
        expect(text, path).toMatch(/\r\n/);
        expect(text.replace(/\r\n/g, '\n'), path).not.toContain('\r');
        expect(lfText, path).not.toContain('\r');
        expect(lfText, path).toBe(text.replace(/\r\n/g, '\n'));
      } else if (path.endsWith('PLAN.md')) {
        // PLAN.md stays LF and differs only where it names the scripts' line ending.
        expect(lfText, path).not.toContain('\r');
        expect(lfText, path).toBe(text.replace('`.ps1` files use CRLF line endings', '`.ps1` files use LF line endings (`--eol lf`)'));
        expect(lfText, path).not.toBe(text);
      } else if (!path.endsWith('manifest.json')) {
        expect(lfText, path).toBe(text); // firewall.csv stays CRLF
      }
    }
    expect(Buffer.from(lf.get(`${ENV}/firewall.csv`)!).toString('utf8')).toMatch(/\r\n$/);
  });

  it('keeps the recorded line ending when --eol is not given, for generate and --check alike', async () => {
    const ws = workspace();
    expect((await runCli(['generate', 'galsync.yaml', '--out', 'out', '--eol', 'lf'], ws)).code).toBe(0);
    const again = await runCli(['generate', 'galsync.yaml', '--out', 'out'], ws);
    expect(again.stdout).toContain('nothing written');
    expect((await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws)).code).toBe(0);
    // Asking for CRLF explicitly: a format-only drift, and the fix names the option.
    const check = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check', '--eol', 'crlf'], ws);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${CAS}/01-winrm-service.ps1: format only: line endings: LF -> CRLF`);
    expect(check.stdout).toContain('Regenerate with: winrm-forge generate galsync.yaml --out out --eol crlf');
    expect((await runCli(['generate', 'galsync.yaml', '--out', 'out', '--eol', 'crlf'], ws)).code).toBe(0);
    expect(expectManifestMatchesDisk(join(ws, 'out')).ps1).toBe('crlf');
    expect((await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws)).code).toBe(0);
  });
});

describe('generate --check', () => {
  async function generated(spec = 'galsync.yaml') {
    const ws = workspace();
    expect((await runCli(['generate', spec, '--out', 'out'], ws)).code).toBe(0);
    return { ws, out: join(ws, 'out') };
  }

  it('exits 0 on an identical tree and writes nothing', async () => {
    const { ws, out } = await generated();
    ageFiles(out);
    const before = mtimes(out);
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws);
    expect({ ...r, stderr: withoutWaived(r.stderr) }).toEqual({ code: 0, stdout: 'out/contoso-galsync is up to date with galsync.yaml (21 files).\n', stderr: '' });
    expect(mtimes(out)).toEqual(before);
  });

  it('exits 1 with a unified diff when a generated file was edited by hand', async () => {
    const { ws, out } = await generated();
    const path = join(out, CAS, '07-winrm-service-auth.ps1');
    const text = readFileSync(path, 'utf8');
    const edited = text.replace("Auth\\Basic'; Value = 'false'", "Auth\\Basic'; Value = 'true'");
    expect(edited).not.toBe(text);
    writeFileSync(path, edited);
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('out is out of date with galsync.yaml: 1 file differs.');
    expect(lines[1]).toBe(`  ${CAS}/07-winrm-service-auth.ps1: changed`);
    expect(r.stdout).toContain('Regenerate with: winrm-forge generate galsync.yaml --out out\n');
    expect(r.stdout).toContain(`--- a/${CAS}/07-winrm-service-auth.ps1\n+++ b/${CAS}/07-winrm-service-auth.ps1\n@@ `);
    // The disk is the "before" side: the hand edit is what regenerating takes away.
    expect(r.stdout).toContain("\n-    @{ Path = 'WSMan:\\localhost\\Service\\Auth\\Basic'; Value = 'true'; PolicyKey = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service'; PolicyName = 'AllowBasic'; PolicyElement = ''; PolicyTitle = 'Windows Remote Management (WinRM) > WinRM Service > Allow Basic authentication' }\n");
    expect(r.stdout).toContain("\n+    @{ Path = 'WSMan:\\localhost\\Service\\Auth\\Basic'; Value = 'false'; PolicyKey = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service'; PolicyName = 'AllowBasic'; PolicyElement = ''; PolicyTitle = 'Windows Remote Management (WinRM) > WinRM Service > Allow Basic authentication' }\n");
    expect(readFileSync(path, 'utf8')).toBe(edited);
  });

  it('exits 1 naming a generated file deleted from disk', async () => {
    const { ws, out } = await generated();
    unlinkSync(join(out, FIM, 'verify.ps1'));
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  ${FIM}/verify.ps1: missing (generated, not on disk)`);
    expect(r.stdout).toContain(`diff --git a/${FIM}/verify.ps1 b/${FIM}/verify.ps1\nnew file\n--- /dev/null`);
    expect(existsSync(join(out, FIM, 'verify.ps1'))).toBe(false);
  });

  it('lists files the manifest names that are no longer generated, and ignores files it never wrote', async () => {
    const { ws, out } = await generated('two-sync.yaml');
    writeFileSync(join(out, ENV, 'NOTES.md'), 'not winrm-forge output\n');
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws);
    expect(r.code).toBe(1);
    const listed = r.stdout.split('\n').filter((l) => l.endsWith(': no longer generated (still on disk, listed in the manifest)'));
    expect(listed.map((l) => l.trim().split(':')[0])).toEqual(
      ['01-winrm-service', '02-trusted-hosts', '03-winrm-client', '04-execution-policy', 'run-all', 'verify'].map((s) => `${ENV}/hosts/fim02.corp.contoso.com/${s}.ps1`),
    );
    expect(r.stdout).toContain(`diff --git a/${ENV}/hosts/fim02.corp.contoso.com/run-all.ps1 b/${ENV}/hosts/fim02.corp.contoso.com/run-all.ps1\ndeleted file`);
    expect(r.stdout).not.toContain('NOTES.md');
  });

  it('reports every file missing when the folder does not exist, and does not create it', async () => {
    const ws = workspace();
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'nowhere', '--check'], ws);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nowhere is out of date with galsync.yaml: 21 files differ.');
    expect(existsSync(join(ws, 'nowhere'))).toBe(false);
  });

  it('checks nothing while the spec has errors (exit 1, findings printed)', async () => {
    const { ws } = await generated();
    writeFileSync(join(ws, 'galsync.yaml'), GALSYNC.replace('exchange: cas01.fabrikam.com', 'exchange: cas09.fabrikam.com'));
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[connection-unknown-exchange]');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nothing checked: fix the errors in galsync.yaml first.');
  });

  it('catches a stale tree after the spec changed', async () => {
    const { ws } = await generated();
    writeFileSync(join(ws, 'galsync.yaml'), withSecondExchangeServer());
    const r = await runCli(['generate', 'galsync.yaml', '--out', 'out', '--check'], ws);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  ${ENV}/hosts/cas02.fabrikam.com/run-all.ps1: missing (generated, not on disk)`);
    expect(r.stdout).toContain(`  ${FIM}/02-trusted-hosts.ps1: changed`);
    rmSync(ws, { recursive: true, force: true });
  });
});
