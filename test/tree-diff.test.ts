import { describe, expect, it } from 'vitest';
import { diffTrees, MAX_EDIT_LENGTH } from '../src/diff/core.js';
import { settingsInvolved, summarizeForReview } from '../src/diff/review.js';
import { formatUnifiedDiff } from '../src/diff/unified.js';
import { applyLineEndings } from './helpers/line-endings.js';
import { changedPaths } from './helpers/tree-diff.js';
import { bytes, crlf, sampleTree, type Tree } from './helpers/output-tree.js';

const CAS = 'contoso-galsync/hosts/cas01.fabrikam.com';

describe('diffTrees', () => {
  it('finds nothing between identical trees', () => {
    const diff = diffTrees(sampleTree(), sampleTree());
    expect(diff.changes).toEqual([]);
    expect(formatUnifiedDiff(diff)).toBe('');
    expect(summarizeForReview(diff)).toContain('No change to the generated scripts.');
  });

  it('lists added, removed and modified paths in code-point order, both ways', () => {
    const before = sampleTree();
    const after = sampleTree({ hosts: ['cas01.fabrikam.com', 'cas02.fabrikam.com'] });
    const forward = changedPaths(diffTrees(before, after));
    const backward = changedPaths(diffTrees(after, before));
    expect(forward.added).toEqual([`contoso-galsync/hosts/cas02.fabrikam.com/01-winrm-service.ps1`, `contoso-galsync/hosts/cas02.fabrikam.com/02-winrm-auth.ps1`, `contoso-galsync/hosts/cas02.fabrikam.com/03-firewall.ps1`, `contoso-galsync/hosts/cas02.fabrikam.com/run-all.ps1`]);
    expect(forward.removed).toEqual(['contoso-galsync/hosts/fim01.corp.contoso.com/01-winrm-service.ps1', 'contoso-galsync/hosts/fim01.corp.contoso.com/02-winrm-auth.ps1', 'contoso-galsync/hosts/fim01.corp.contoso.com/03-firewall.ps1', 'contoso-galsync/hosts/fim01.corp.contoso.com/run-all.ps1']);
    expect(forward.modified).toEqual(['contoso-galsync/PLAN.md', 'contoso-galsync/firewall.csv', 'contoso-galsync/manifest.json']);
    expect(backward).toEqual({ added: forward.removed, removed: forward.added, modified: forward.modified });
    // 'Z' < 'a' by code point; a locale sort would put it last.
    const order = diffTrees(new Map(), new Map([['e/a', bytes('1')], ['e/Z', bytes('2')], ['e/_', bytes('3')]]));
    expect(order.changes.map((c) => c.path)).toEqual(['e/Z', 'e/_', 'e/a']);
  });

  it('prints a git-style unified diff with CRLF folded for display', () => {
    const before = sampleTree();
    const after = new Map(before);
    after.set(`${CAS}/02-winrm-auth.ps1`, crlf(Buffer.from(before.get(`${CAS}/02-winrm-auth.ps1`)!).toString('utf8').trimEnd().split('\r\n').map((l) => l.replace('Basic\' -Value $false', 'Basic\' -Value $true'))));
    const text = formatUnifiedDiff(diffTrees(before, after));
    expect(text).toContain(`diff --git a/${CAS}/02-winrm-auth.ps1 b/${CAS}/02-winrm-auth.ps1\n--- a/${CAS}/02-winrm-auth.ps1\n+++ b/${CAS}/02-winrm-auth.ps1\n@@ `);
    expect(text).toContain("\n-Set-Item -Path 'WSMan:\\localhost\\Service\\Auth\\Basic' -Value $false\n+Set-Item -Path 'WSMan:\\localhost\\Service\\Auth\\Basic' -Value $true\n");
    expect(text).not.toContain('\r');
  });

  it('reports a line-ending-only change without showing every line as changed', () => {
    const before = sampleTree();
    const after = applyLineEndings(before, 'lf');
    const diff = diffTrees(before, after);
    const scripts = diff.changes.filter((c) => c.path.endsWith('.ps1'));
    expect(scripts.length).toBe(8);
    for (const change of scripts) {
      expect(change).toMatchObject({ status: 'modified', modification: 'format', lineEndings: { before: 'crlf', after: 'lf' }, hunks: [] });
    }
    const text = formatUnifiedDiff(diff);
    expect(text).toContain(`diff --git a/${CAS}/01-winrm-service.ps1 b/${CAS}/01-winrm-service.ps1\n# line endings: CRLF -> LF (text unchanged)\n`);
    expect(text).not.toMatch(/^[+-]Set-Item/m);
    const markdown = summarizeForReview(diff);
    expect(markdown).toContain('**line endings or encoding only** `02-winrm-auth` (line endings: CRLF -> LF)');
    // And back: the reverse direction names the reverse change.
    expect(formatUnifiedDiff(diffTrees(after, before))).toContain('# line endings: LF -> CRLF (text unchanged)');
  });

  it('reports a byte-order mark added as a format-only change and binary files without a line diff', () => {
    const before = new Map([['e/hosts/h/01-a.ps1', bytes('Write-Output 1\r\n')], ['e/blob.bin', new Uint8Array([0, 1, 2])]]);
    const after = new Map([['e/hosts/h/01-a.ps1', bytes('\ufeffWrite-Output 1\r\n')], ['e/blob.bin', new Uint8Array([0, 1, 3])]]);
    const diff = diffTrees(before, after);
    expect(diff.changes.find((c) => c.path === 'e/hosts/h/01-a.ps1')).toMatchObject({ modification: 'format', byteOrderMark: { before: false, after: true } });
    expect(formatUnifiedDiff(diff)).toContain('Binary files a/e/blob.bin and b/e/blob.bin differ');
  });

  it('tells a change of the spec hash alone from a real change', () => {
    const diff = diffTrees(sampleTree(), sampleTree({ specHash: 'b'.repeat(64) }));
    const scripts = diff.changes.filter((c) => c.path.endsWith('.ps1'));
    expect(scripts.every((c) => c.modification === 'hashes')).toBe(true);
    const markdown = summarizeForReview(diff);
    expect(markdown).toContain('0 hosts affected');
    expect(markdown).toContain('Scripts of 2 other hosts differ only in the spec hash of the banner: `cas01.fabrikam.com`, `fim01.corp.contoso.com`.');
    expect(markdown).not.toContain('**changed**');
    expect(markdown).not.toContain('<details>');
    const oneReal = summarizeForReview(diffTrees(sampleTree(), changeStep(sampleTree({ specHash: 'b'.repeat(64) }), `${CAS}/03-firewall.ps1`, '5985', '5986')));
    expect(oneReal).toContain('| `cas01.fabrikam.com` | changed | 0 | 0 | 1 |');
    expect(oneReal).toContain('- 3 other scripts differ only in the spec hash of the banner: `01-winrm-service`, `02-winrm-auth`, `run-all`');
    expect(oneReal).toContain('Scripts of 1 other host differ only in the spec hash of the banner: `fim01.corp.contoso.com`.');
    expect(oneReal).toContain('Unified diff (1 file; 8 files differing only in the spec hash left out)');
  });
});

describe('settingsInvolved', () => {
  it('names WSMan paths, cmdlets, thumbprints, ports, URIs and TrustedHosts, sorted', () => {
    expect(settingsInvolved([
      "Set-Item -Path 'WSMan:\\localhost\\Client\\TrustedHosts' -Value $merged -Force",
      "New-Item -Path 'WSMan:\\localhost\\Listener' -Transport 'HTTPS' -Address '*' -CertificateThumbPrint '6a8d7e5537d441190fd72c7c2e879a064072ce0f' -Force",
      "New-NetFirewallRule -Name 'x' -LocalPort 5986 -Action 'Allow'",
      "$session = New-PSSession -ConfigurationName 'Microsoft.Exchange' -ConnectionUri 'http://cas01.fabrikam.com/PowerShell/'",
      "Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters' -Name 'DisabledComponents' -Value 32",
      'Test-Path -Path $x',
      "if (Test-WSMan -ComputerName 'cas01.fabrikam.com') { Get-Service -Name 'WinRM' }",
      "Set-ListenerBinding -Thumbprint $t",
      "    @{ Name = 'winrm-forge-tcp-80-in'; Port = 80; RemoteAddress = @('10.1.0.30') }",
    ], new Set(['set-listenerbinding']))).toEqual([
      'DisabledComponents',
      'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters',
      'New-NetFirewallRule',
      'New-PSSession',
      'RemoteAddress',
      'WSMan:\\localhost\\Client\\TrustedHosts',
      'WSMan:\\localhost\\Listener',
      'http://cas01.fabrikam.com/PowerShell/',
      'port 5986',
      'port 80',
      'thumbprint 6A8D7E5537D441190FD72C7C2E879A064072CE0F',
    ]);
  });
});

function changeStep(tree: Tree, path: string, from: string, to: string): Tree {
  const copy = new Map(tree);
  copy.set(path, Buffer.from(Buffer.from(tree.get(path)!).toString('utf8').replace(from, to)));
  return copy;
}

describe('summarizeForReview', () => {
  it('summarises per host: steps added, removed and changed with the settings involved', () => {
    const base = sampleTree();
    let head = changeStep(base, `${CAS}/02-winrm-auth.ps1`, "Auth\\Basic' -Value $false", "Auth\\Basic' -Value $true");
    head.delete(`${CAS}/03-firewall.ps1`);
    head.set(`${CAS}/04-listener-https.ps1`, crlf(["New-Item -Path 'WSMan:\\localhost\\Listener' -Transport 'HTTPS' -Address '*' -HostName 'cas01.fabrikam.com' -CertificateThumbPrint '6A8D7E5537D441190FD72C7C2E879A064072CE0F' -Force"]));
    const md = summarizeForReview(diffTrees(base, head));
    expect(md).toContain('| `cas01.fabrikam.com` | changed | 1 | 1 | 1 |');
    expect(md).toContain("### `cas01.fabrikam.com`\n");
    expect(md).toContain('- **added** `04-listener-https`: `WSMan:\\localhost\\Listener`, `thumbprint 6A8D7E5537D441190FD72C7C2E879A064072CE0F`');
    expect(md).toContain('- **changed** `02-winrm-auth`: `WSMan:\\localhost\\Service\\Auth\\Basic`');
    expect(md).toContain('- **removed** `03-firewall`: `New-NetFirewallRule`, `RemoteAddress`, `port 5985`');
    expect(md).not.toContain('fim01');
    expect(md).toContain('<details><summary>Unified diff (3 files)</summary>');
  });

  it('names hosts that appear and disappear, both ways, and the forests and roles with them', () => {
    const base = sampleTree({ hosts: ['cas01.fabrikam.com', 'fim01.corp.contoso.com'] });
    const head = sampleTree({ hosts: ['arr01.contoso.com', 'cas01.fabrikam.com', 'cas01.tailspin.com', 'fim01.corp.contoso.com'] });
    const hostsBefore = [{ host: 'cas01.fabrikam.com', role: 'Exchange server', forest: 'fabrikam.com' }, { host: 'fim01.corp.contoso.com', role: 'sync server', forest: 'corp.contoso.com' }];
    const hostsAfter = [...hostsBefore, { host: 'cas01.tailspin.com', role: 'Exchange server', forest: 'tailspin.com' }, { host: 'arr01.contoso.com', role: 'reverse proxy', forest: 'contoso.com' }];
    const forward = summarizeForReview(diffTrees(base, head), { hosts: { before: hostsBefore, after: hostsAfter }, includeUnifiedDiff: false });
    expect(forward).toContain('2 hosts affected (2 new, 0 removed, 0 changed)');
    expect(forward).toContain('- New forest `tailspin.com`: `cas01.tailspin.com`');
    expect(forward).toContain('- New role `reverse proxy`: `arr01.contoso.com`');
    expect(forward).toContain('| `arr01.contoso.com` | reverse proxy, contoso.com | new host | 4 | 0 | 0 |');
    expect(forward).toContain('### `cas01.tailspin.com` (new host)');
    expect(forward).not.toContain('<details>');
    const backward = summarizeForReview(diffTrees(head, base), { hosts: { before: hostsAfter, after: hostsBefore } });
    expect(backward).toContain('2 hosts affected (0 new, 2 removed, 0 changed)');
    expect(backward).toContain('- Forest `tailspin.com` removed: `cas01.tailspin.com`');
    expect(backward).toContain('- Role `reverse proxy` removed: `arr01.contoso.com`');
    expect(backward).toContain('### `arr01.contoso.com` (host removed)');
    expect(backward).toContain('- **removed** `02-winrm-auth`: `WSMan:\\localhost\\Service\\Auth\\Basic`');
  });

  it('tells a host that loses a step from a host that disappears', () => {
    const base = sampleTree();
    const head = new Map(base);
    head.delete(`${CAS}/03-firewall.ps1`);
    expect(summarizeForReview(diffTrees(base, head))).toContain('| `cas01.fabrikam.com` | changed | 0 | 1 | 0 |');
  });

  it('shows a renumbered step once, as renumbered, or as changed when its text changed too', () => {
    const base = sampleTree();
    const moved = new Map(base);
    moved.set(`${CAS}/04-firewall.ps1`, moved.get(`${CAS}/03-firewall.ps1`)!);
    moved.delete(`${CAS}/03-firewall.ps1`);
    expect(summarizeForReview(diffTrees(base, moved))).toContain('- **renumbered** `04-firewall` (was 03-firewall)');
    const movedAndChanged = changeStep(moved, `${CAS}/04-firewall.ps1`, '-LocalPort 5985', '-LocalPort 5986');
    expect(summarizeForReview(diffTrees(base, movedAndChanged))).toContain('- **changed** `04-firewall` (was 03-firewall): `New-NetFirewallRule`, `RemoteAddress`, `port 5985`, `port 5986`');
  });

  it('handles a whole environment appearing, prefixing hosts when several environments change', () => {
    const md = summarizeForReview(diffTrees(sampleTree(), new Map([...sampleTree(), ...sampleTree({ environment: 'lab', hosts: ['exch01.lab.example'] })])), { includeUnifiedDiff: false });
    expect(md).toContain('| `lab/exch01.lab.example` | new host | 4 | 0 | 0 |');
    expect(md).toContain('- `lab/PLAN.md`: added');
  });

  it('stays within the comment size limit and keeps markdown intact around hostile text', () => {
    const base = new Map<string, Uint8Array>();
    const head = new Map<string, Uint8Array>([['e/hosts/h/01-x.ps1', bytes(`${'```\n'.repeat(3)}${'Set-Item x\n'.repeat(20_000)}`)]]);
    const md = summarizeForReview(diffTrees(base, head), { maxLength: 10_000 });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md).toContain('run `winrm-forge diff` locally');
    expect(md).toMatch(/\n````diff\n/);
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('keeps the step list in order whatever order the maps were built in', () => {
    const base = sampleTree();
    const head = changeStep(sampleTree({ hosts: ['cas01.fabrikam.com', 'cas02.fabrikam.com'] }), `${CAS}/01-winrm-service.ps1`, 'Automatic', 'Manual');
    const reversed = new Map([...head].reverse());
    expect(summarizeForReview(diffTrees(new Map([...base].reverse()), reversed))).toBe(summarizeForReview(diffTrees(base, head)));
  });
});

describe('bounded comparisons', () => {
  const text = (lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);

  it('shows a whole added or removed file as one hunk, however long', () => {
    const long = Array.from({ length: 5_000 }, (_, i) => `line ${i}`);
    const added = diffTrees(new Map(), new Map([['e/PLAN.md', text(long)]]));
    expect(added.changes[0]!.tooLarge).toBeUndefined();
    expect(added.changes[0]!.hunks).toEqual([{ oldStart: 1, oldLines: 0, newStart: 1, newLines: 5_000, lines: long.map((l) => `+${l}`) }]);
  });

  it('reports a diff past MAX_EDIT_LENGTH edits by its hashes instead of line by line', () => {
    const before = Array.from({ length: MAX_EDIT_LENGTH + 10 }, (_, i) => `a ${i}`);
    const after = before.map((l) => `${l} changed`);
    const diff = diffTrees(new Map([['e/x.ps1', text(before)]]), new Map([['e/x.ps1', text(after)]]));
    const change = diff.changes[0]!;
    expect(change.hunks).toEqual([]);
    expect(change.tooLarge?.beforeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(formatUnifiedDiff(diff)).toContain(`# too large to show line by line (more than ${MAX_EDIT_LENGTH} changed lines): sha256 ${change.tooLarge!.beforeSha256} -> ${change.tooLarge!.afterSha256}`);
    // Within the bound, the same kind of change is shown line by line.
    const small = diffTrees(new Map([['e/x.ps1', text(before.slice(0, 10))]]), new Map([['e/x.ps1', text(after.slice(0, 10))]]));
    expect(small.changes[0]!.hunks.length).toBeGreaterThan(0);
  });

  it('compares manifest.json as data: entries added, removed and changed, and changed fields', () => {
    const manifest = (files: [string, string][], sha: string) =>
      text([JSON.stringify({ generator: 'winrm-forge', version: '1', environment: 'e', spec: { path: 's.yaml', sha256: sha }, files: files.map(([path, h]) => ({ path, sha256: h, bytes: 1 })) }, null, 2)]);
    const before = manifest([['PLAN.md', 'a'], ['hosts/x/01.ps1', 'b'], ['hosts/y/01.ps1', 'c']], '1');
    const after = manifest([['PLAN.md', 'a2'], ['hosts/x/01.ps1', 'b'], ['hosts/z/01.ps1', 'd']], '2');
    const diff = diffTrees(new Map([['e/manifest.json', before]]), new Map([['e/manifest.json', after]]));
    const change = diff.changes[0]!;
    expect(change.manifest).toEqual({ added: ['hosts/z/01.ps1'], removed: ['hosts/y/01.ps1'], changed: ['PLAN.md'], fields: ['spec'] });
    expect(change.hunks).toEqual([]);
    expect(formatUnifiedDiff(diff)).toBe(
      'diff --git a/e/manifest.json b/e/manifest.json\n# manifest fields changed: spec\n# manifest entries added: hosts/z/01.ps1\n# manifest entries removed: hosts/y/01.ps1\n# manifest entries changed: PLAN.md\n',
    );
  });
});
