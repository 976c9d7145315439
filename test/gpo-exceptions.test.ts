/**
 * The Group Policy exceptions script: generated only when a baseline is chosen and a deviation is
 * waived, holding the policy value each waived control's exception needs, and, run against the
 * simulated GroupPolicy module, writing exactly those values into the host's GPO, then nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateText } from '../src/index.js';
import { describeWithPwsh } from './helpers/pwsh.js';
import { Simulation } from './windows/harness/simulator.js';

function spec({ sync = '', uri = 'http://exch01.fabrikam.com/PowerShell/', auth = 'kerberos', tail = '' } = {}): string {
  return `version: 1
environment: lab
defaults:
  os: windows-server-2022
forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_sync'
${sync}    connections:
      - exchange: exch01.fabrikam.com
        uri: ${uri}
        authentication: ${auth}
${tail}`;
}

const BASIC_CLIENT = '    winrmClient:\n      auth: { basic: true }\n';
const WAIVE_SYNC = "waivers:\n  - rule: baseline-deviation\n    host: sync01.fabrikam.com\n    reason: 'Exception EX-42 until the agent supports Kerberos.'\n";
const WAIVE_EXCH = "waivers:\n  - rule: baseline-deviation\n    host: exch01.fabrikam.com\n    reason: 'GPO exception EX-43 keeps WinRM on for the sync account.'\n";
const SCRIPT = 'lab/group-policy/disa-stig-windows-server-2022-exceptions.ps1';
const options = { specPath: 'spec.yaml', toolVersion: '0.0.0' };

async function files(text: string, baseline?: string) {
  const result = await generateText('spec.yaml', text, baseline ? { ...options, baseline } : options);
  expect(result.files, result.report.diagnostics.map((d) => d.message).join('\n')).toBeDefined();
  return result.files!;
}

const textOf = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('Group Policy exceptions script', () => {
  it('is not generated without a baseline, nor when the baseline has no waived deviation', async () => {
    expect([...(await files(spec({ sync: BASIC_CLIENT }))).keys()].filter((p) => p.includes('group-policy'))).toEqual([]);
    expect([...(await files(spec(), 'disa-stig-windows-server-2022')).keys()].filter((p) => p.includes('group-policy'))).toEqual([]);
  });

  it('sets the value each waived control needs, on the host the control applies to, and PLAN.md lists it', async () => {
    const out = await files(spec({ sync: BASIC_CLIENT, auth: 'basic', uri: 'https://exch01.fabrikam.com/PowerShell/', tail: WAIVE_SYNC }), 'disa-stig-windows-server-2022');
    const script = textOf(out.get(SCRIPT));
    // STIG WN22-CC-000470 requires client AllowBasic = 0; the waived exception is AllowBasic = 1 on sync01 only.
    expect(script).toContain("@{ Host = 'sync01.fabrikam.com'; Key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client'; ValueName = 'AllowBasic'; Type = 'DWord'; Value = 1;");
    expect(script).not.toContain("Host = 'exch01.fabrikam.com'");
    expect(script).toContain('Set-GPRegistryValue -Name $gpo -Key $exception.Key -ValueName $exception.ValueName -Type $exception.Type -Value $exception.Value');
    const plan = textOf(out.get('lab/PLAN.md'));
    expect(plan).toContain('### Exceptions to grant in Group Policy');
    expect(plan).toContain('| sync01.fabrikam.com | HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client | AllowBasic | DWord | 1 | WN22-CC-000470 / V-254378 | Exception EX-42 until the agent supports Kerberos. |');
  });

  it('grants remote server management with its address filters, and remote shells, for a waived CIS Level 2 break', async () => {
    const out = await files(spec({ uri: 'http://exch01.fabrikam.com:5985/wsman', tail: WAIVE_EXCH }), 'cis-windows-server-2022-v2.0.0-l2');
    const script = textOf(out.get('lab/group-policy/cis-windows-server-2022-v2.0.0-l2-exceptions.ps1'));
    const rows = script.split('\r\n').filter((l) => l.startsWith('    @{ Host = '));
    expect(rows.map((r) => r.replace(/; Controls = .*$/, ''))).toEqual([
      "    @{ Host = 'exch01.fabrikam.com'; Key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service'; ValueName = 'AllowAutoConfig'; Type = 'DWord'; Value = 1",
      "    @{ Host = 'exch01.fabrikam.com'; Key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service'; ValueName = 'IPv4Filter'; Type = 'String'; Value = '*'",
      "    @{ Host = 'exch01.fabrikam.com'; Key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service'; ValueName = 'IPv6Filter'; Type = 'String'; Value = '*'",
      "    @{ Host = 'exch01.fabrikam.com'; Key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service\\WinRS'; ValueName = 'AllowRemoteShellAccess'; Type = 'DWord'; Value = 1",
    ]);
  });
});

describeWithPwsh('Group Policy exceptions script on the simulated GroupPolicy module', (pwsh) => {
  let simulation: Simulation;
  let dir: string;
  let path: string;
  const gpo = 'lab WinRM exceptions sync01.fabrikam.com';
  const state = (gpos: Record<string, unknown>) => ({
    host: { fqdn: 'admin01.fabrikam.com', computerName: 'ADMIN01', domain: 'fabrikam.com', netbios: 'FABRIKAM', os: 'windows-server-2022', psVersion: '5.1', is64BitProcess: true, remoteSession: false, modules: ['GroupPolicy'], now: '2026-12-01T12:00:00Z' },
    groupPolicy: { gpos },
  });
  beforeAll(async () => {
    simulation = new Simulation(pwsh, 1);
    dir = mkdtempSync(join(tmpdir(), 'winrm-forge-gpo-'));
    const out = await files(spec({ sync: BASIC_CLIENT, auth: 'basic', uri: 'https://exch01.fabrikam.com/PowerShell/', tail: WAIVE_SYNC }), 'disa-stig-windows-server-2022');
    path = join(dir, 'exceptions.ps1');
    writeFileSync(path, out.get(SCRIPT)!);
  });
  afterAll(async () => {
    await simulation?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the exception into the host GPO once; a second run and -WhatIf change nothing', { timeout: 300_000 }, async () => {
    const first = await simulation.run(state({ [gpo]: { values: {} } }), path);
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    expect(first.changes.map((c) => `${c.area} ${c.target} ${c.detail}`)).toEqual([`gpo ${gpo} HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client\\AllowBasic (not set) -> 1`]);
    const second = await simulation.run(first.state, path);
    expect(second.changes).toEqual([]);
    expect(second.output.join('\n')).toContain('already configured');
    const preview = await simulation.run(state({ [gpo]: { values: {} } }), path, { WhatIf: true });
    expect(preview.changes).toEqual([]);
    expect(preview.output.join('\n')).toContain('not changed (-WhatIf or declined)');
  });

  it('stops, naming the GPO to create, when the host has none', { timeout: 300_000 }, async () => {
    const r = await simulation.run(state({}), path);
    expect(r.exitCode).toBe(1);
    expect(r.changes).toEqual([]);
    expect([...r.output, ...r.errors].join('\n')).toContain(`No GPO named '${gpo}'`);
  });
});
