/**
 * `winrm-forge diff <base> <head>`: the reviewer's view of a spec change, as a unified diff and
 * as the markdown summary per host posted on a pull request.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/index.js';
import { GALSYNC, withNewForest, withSecondExchangeServer, withSecondSyncServer, withoutSyncServers, writeSpecs } from './helpers/galsync-variants.js';
import { runCli } from './helpers/run-cli.js';
import { repoRoot } from './helpers/spec.js';
import { withoutWaived } from './helpers/stderr.js';

const ws = writeSpecs(mkdtempSync(join(tmpdir(), 'winrm-forge-diff-')), {
  'galsync.yaml': GALSYNC,
  'copy.yaml': GALSYNC,
  // The pull request: a second Exchange server arrives, the second sync server goes.
  'base.yaml': withSecondSyncServer(),
  'head.yaml': withSecondExchangeServer(),
  'forest.yaml': withNewForest(),
  'no-sync.yaml': withoutSyncServers(),
  'broken.yaml': GALSYNC.replace('exchange: cas01.fabrikam.com', 'exchange: cas09.fabrikam.com'),
});

const ENV = 'contoso-galsync';

describe('winrm-forge diff', () => {
  it('uses only valid variants of the galsync example', async () => {
    for (const text of [withSecondSyncServer(), withSecondExchangeServer(), withNewForest(), withoutSyncServers()]) {
      const { report } = await checkText('variant.yaml', text);
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
  });

  it('summarises per host for a pull request: a host added, a host removed, the others changed', async () => {
    const r = await runCli(['diff', 'base.yaml', 'head.yaml', '--format', 'markdown'], ws);
    expect(r.code).toBe(1);
    expect(withoutWaived(r.stderr)).toBe('');
    const md = r.stdout;
    expect(md.split('\n')[0]).toBe('## winrm-forge: what changes on which host (`head.yaml`)');
    expect(md).toContain('5 hosts affected (1 new, 1 removed, 3 changed) in `contoso-galsync`');
    // The AD host's verify.ps1 reads the Kerberos encryption types of the new Exchange computer too.
    expect(md).toContain('| `dc01.fabrikam.com` | domain controller, fabrikam.com | changed | 0 | 0 | 1 |');
    expect(md).toContain('| `cas02.fabrikam.com` | Exchange server, fabrikam.com | new host | 10 | 0 | 0 |');
    expect(md).toContain('| `fim02.corp.contoso.com` | sync server, corp.contoso.com | host removed | 0 | 6 | 0 |');
    expect(md).toContain('| `fim01.corp.contoso.com` | sync server, corp.contoso.com | changed | 0 | 0 | 2 |');
    expect(md).toContain('### `cas02.fabrikam.com` (new host)');
    expect(md).toContain('### `fim02.corp.contoso.com` (host removed)');
    expect(md).toContain('- **removed** `02-trusted-hosts`: `HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client`, `WSMan:\\localhost\\Client\\TrustedHosts`');
    // fim01 now also trusts and tests cas02; cas01 opens its firewall (port 80 only: the connections use /PowerShell) to one sync server less.
    expect(md).toContain('- **changed** `02-trusted-hosts`: `TrustedHosts`');
    expect(md).toContain('- **changed** `verify`: `http://cas02.fabrikam.com/PowerShell/`');
    expect(md).toContain('- **changed** `03-firewall`: `RemoteAddress`, `port 80`');
    expect(md).toContain('<details><summary>Unified diff');
  });

  it('names a forest that appears with its hosts', async () => {
    const r = await runCli(['diff', 'galsync.yaml', 'forest.yaml', '--format', 'markdown'], ws);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('- New forest `tailspin.com`: `cas01.tailspin.com`, `dc01.tailspin.com`');
    expect(r.stdout).toContain('| `cas01.tailspin.com` | Exchange server, tailspin.com | new host |');
  });

  it('names a whole role that disappears, and the same change read the other way round', async () => {
    const gone = await runCli(['diff', 'galsync.yaml', 'no-sync.yaml', '--format', 'markdown'], ws);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toContain('- Role `sync server` removed: `fim01.corp.contoso.com`');
    expect(gone.stdout).toContain('| `fim01.corp.contoso.com` | sync server, corp.contoso.com | host removed |');
    const back = await runCli(['diff', 'no-sync.yaml', 'galsync.yaml', '--format', 'markdown'], ws);
    expect(back.stdout).toContain('- New role `sync server`: `fim01.corp.contoso.com`');
    expect(back.stdout).toContain('| `fim01.corp.contoso.com` | sync server, corp.contoso.com | new host |');
  });

  it('prints a git-style unified diff by default, with added and deleted files', async () => {
    const r = await runCli(['diff', 'base.yaml', 'head.yaml'], ws);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`diff --git a/${ENV}/hosts/cas02.fabrikam.com/run-all.ps1 b/${ENV}/hosts/cas02.fabrikam.com/run-all.ps1\nnew file\n--- /dev/null\n+++ b/${ENV}/hosts/cas02.fabrikam.com/run-all.ps1\n`);
    expect(r.stdout).toContain(`diff --git a/${ENV}/hosts/fim02.corp.contoso.com/run-all.ps1 b/${ENV}/hosts/fim02.corp.contoso.com/run-all.ps1\ndeleted file\n--- a/`);
    expect(r.stdout).toMatch(/\n\+.*'cas02\.fabrikam\.com'/);
    expect(r.stdout).not.toContain('\r');
  });

  it('exits 0 when the generated files are the same, even though the two spec files have different paths', async () => {
    const unified = await runCli(['diff', 'copy.yaml', 'galsync.yaml'], ws);
    expect({ ...unified, stderr: withoutWaived(unified.stderr) }).toEqual({ code: 0, stdout: '', stderr: 'winrm-forge: no difference in the generated files between copy.yaml and galsync.yaml.\n' });
    const md = await runCli(['diff', 'copy.yaml', 'galsync.yaml', '--format', 'markdown'], ws);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('No change to the generated scripts.');
  });

  it('prints the findings and exits 1 when either spec has errors; exit 2 when one cannot be read', async () => {
    const text = await runCli(['diff', 'broken.yaml', 'galsync.yaml'], ws);
    expect(text.code).toBe(1);
    // Findings go to standard error, so a diff redirected to a file holds only a diff.
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain('broken.yaml:');
    expect(text.stderr).toContain('[connection-unknown-exchange]');
    expect(text.stderr.endsWith('winrm-forge: nothing compared: fix the errors in broken.yaml first.\n')).toBe(true);
    const md = await runCli(['diff', 'galsync.yaml', 'broken.yaml', '--format', 'markdown'], ws);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('Nothing to compare: `broken.yaml` has errors.');
    expect(md.stdout).toMatch(/```text\n[^]*\[connection-unknown-exchange\][^]*```\n$/);
    expect((await runCli(['diff', 'missing.yaml', 'galsync.yaml'], ws)).code).toBe(2);
  });

  it('works from the built binary with --help examples, and stops quietly when the reader closes the pipe', () => {
    const bin = join(repoRoot, 'dist', 'src', 'bin.js');
    const help = spawnSync(process.execPath, [bin, 'diff', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('Per host: steps added, removed, changed');
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" diff base.yaml head.yaml | head -n 1`], { cwd: ws, encoding: 'utf8' });
    expect(piped.stdout).toBe(`diff --git a/${ENV}/PLAN.md b/${ENV}/PLAN.md\n`);
    expect(withoutWaived(piped.stderr)).toBe('');
  });
});
