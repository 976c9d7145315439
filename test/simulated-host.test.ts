/**
 * The simulated Windows host's own tests (test/windows/tests/winrm-host.Tests.ps1, Pester 5):
 * command availability per OS profile, documented signatures, the change log and -WhatIf, Group
 * Policy, the native tools' output formats and the run entry's exit codes. The properties of the
 * generated scripts run in test/simulator.test.ts; this file proves the host they run against.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithPwsh, REPO_ROOT, TOOLS_MODULES } from './helpers/pwsh.js';

describeWithPwsh('the simulated Windows host (Pester)', (pwsh) => {
  it('passes every test of tests/winrm-host.Tests.ps1', { timeout: 300_000 }, () => {
    const tests = join(REPO_ROOT, 'test', 'windows', 'tests', 'winrm-host.Tests.ps1');
    const command = [
      `Import-Module -Name (Join-Path -Path '${TOOLS_MODULES.replace(/'/g, "''")}' -ChildPath 'Pester')`,
      '$c = New-PesterConfiguration',
      `$c.Run.Path = '${tests.replace(/'/g, "''")}'`,
      '$c.Run.PassThru = $true',
      "$c.Output.Verbosity = 'Detailed'",
      '$r = Invoke-Pester -Configuration $c',
      "Write-Output ('PESTER ' + $r.PassedCount + ' ' + $r.FailedCount)",
    ].join('; ');
    const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command], {
      encoding: 'utf8',
      env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off', NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const summary = /PESTER (\d+) (\d+)/.exec(run.stdout);
    const report = `${run.stdout}\n${run.stderr}`;
    expect(summary, report).not.toBeNull();
    expect(Number(summary![2]), report).toBe(0);
    expect(Number(summary![1]), report).toBeGreaterThan(20);
  });
});
