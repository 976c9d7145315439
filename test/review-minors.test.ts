/**
 * Generated scripts on the simulated Windows host, for the smaller defects the Windows review
 * found (CBT policy, partial -Confirm, 32-bit PowerShell, remote sessions, Compatibility and GPO
 * listeners, the proxy's WWW-Authenticate, preserveHostHeader, verify outside the Exchange
 * Management Shell, the second hop). Each case failed on the scripts before their fix.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPwsh, REPO_ROOT } from './helpers/pwsh.js';
import type { SimState } from './windows/harness/default-state.js';
import { defaultDirectory, defaultState, restartHost } from './windows/harness/default-state.js';
import { RESTART_EXIT_CODE } from '../src/plan/restart.js';
import { exchangeDefaults } from './windows/harness/exchange-state.js';
import { expectationsFor } from './windows/harness/oracle-exchange.js';
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

  it('CBTHardeningLevelStatus 0 (policy disabled) leaves the local CbtHardeningLevel to the step', { timeout: 120_000 }, async () => {
    const { state, folder } = await hostState(EVERY_BRANCH, 'exch01.fabrikam.com');
    const disabled = clone(state);
    disabled.registry[WINRM_SERVICE_POLICY] = { ...(disabled.registry[WINRM_SERVICE_POLICY] ?? {}), CBTHardeningLevelStatus: { type: 'DWord', value: 0 } };
    const run = await simulation.run(disabled, join(folder, '09-winrm-service-auth.ps1'));
    expect(run.exitCode, run.output.join('\n')).toBe(0);
    expect(run.state.wsman.Service.Auth.CbtHardeningLevel).toBe('Strict');

    // Enabled (1) with another level: still refused, naming the policy.
    const enabled = clone(state);
    enabled.registry[WINRM_SERVICE_POLICY] = { CBTHardeningLevelStatus: { type: 'DWord', value: 1 }, CbtHardeningLevel: { type: 'String', value: 'Relaxed' } };
    const refused = await simulation.run(enabled, join(folder, '09-winrm-service-auth.ps1'));
    expect(refused.exitCode).toBe(1);
    expect(refused.output.join('\n')).toContain('CBTHardeningLevelStatus');
  });

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

  it('on Windows PowerShell 2.0 the same guard reads WOW64, not the .NET 4 [Environment] properties', { timeout: 120_000 }, async () => {
    // The galsync example's Exchange 2010 server runs Windows PowerShell 2.0 (CLR 2.0).
    const { state, folder } = await hostState('examples/galsync-fim-kerberos.yaml', 'cas01.fabrikam.com');
    // The down-level gate (test/downlevel-gate.test.ts) proves no .NET 4 member is left; here, what replaced it.
    expect(readFileSync(join(folder, '01-winrm-service.ps1'), 'utf8')).toContain('$env:PROCESSOR_ARCHITEW6432');
    const wow = clone(state);
    wow.host.is64BitProcess = false;
    const run = await simulation.run(wow, join(folder, '01-winrm-service.ps1'));
    expect(run.exitCode, run.output.join('\n')).toBe(1);
    expect(run.output.join('\n')).toContain('32-bit Windows PowerShell on 64-bit Windows');
    expect(run.changes).toEqual([]);
    const native = await simulation.run(state, join(folder, '01-winrm-service.ps1'));
    expect(native.exitCode, native.output.join('\n')).toBe(0);
  });

  it('listener and authentication steps refuse to run through a remote session, and say why', { timeout: 120_000 }, async () => {
    const { state, folder } = await hostState(EVERY_BRANCH, 'exch01.fabrikam.com');
    const remote = clone(state);
    remote.host.remoteSession = true;
    for (const step of ['07-winrm-listeners', '08-winrm-service-options', '09-winrm-service-auth', '06-powershell-virtual-directory']) {
      const run = await simulation.run(remote, join(folder, `${step}.ps1`));
      expect(run.exitCode, `${step}\n${run.output.join('\n')}`).toBe(1);
      expect(run.output.join('\n'), step).toMatch(/remote PowerShell session \(\$PSSenderInfo is set\)/);
      expect(run.changes, step).toEqual([]);
      const preview = await simulation.run(remote, join(folder, `${step}.ps1`), { WhatIf: true });
      expect(preview.exitCode, `${step} -WhatIf\n${preview.output.join('\n')}`).toBe(0);
      expect(preview.output.some((l) => l.startsWith('WARNING: A real run will refuse')), step).toBe(true);
    }
    // Steps that cannot cut the session still run remotely.
    const service = await simulation.run(remote, join(folder, '01-winrm-service.ps1'));
    expect(service.exitCode, service.output.join('\n')).toBe(0);
  });
  it('listener reads skip Compatibility listeners, and a Group Policy listener is not counted as the step\'s', { timeout: 180_000 }, async () => {
    const { state, folder } = await hostState(EVERY_BRANCH, 'exch01.fabrikam.com');
    const compatibility = { Address: '*', Transport: 'HTTP', Port: 80, Hostname: '', Enabled: 'true', URLPrefix: 'wsman', CertificateThumbprint: '', Source: 'Compatibility' };
    const withCompat = clone(state);
    withCompat.wsman.listeners = [compatibility, ...(withCompat.wsman.listeners ?? [])];
    // exch01 prefers IPv4 through the registry: run-all ends its first run asking for the restart (PLAN.md's restart stage).
    const ran = await simulation.run(withCompat, join(folder, 'run-all.ps1'));
    expect(ran.exitCode, ran.output.join('\n')).toBe(RESTART_EXIT_CODE);
    const first = { ...ran, state: restartHost(ran.state) };
    const again = await simulation.run(first.state, join(folder, 'run-all.ps1'));
    expect(again.changes, again.output.join('\n')).toEqual([]);
    expect(stepLines(again.output, '07-winrm-listeners').join('\n')).toContain('already configured');
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
    expect(first.state.wsman.listeners.find((l: any) => l.Source === 'Compatibility').Port).toBe(80);

    // A Group Policy listener where the spec wants ours: named as the policy's, and refused when it differs.
    const converged = clone(first.state);
    const http = converged.wsman.listeners.find((l: any) => l.Transport === 'HTTP' && l.Source !== 'Compatibility');
    http.Source = 'GPO';
    const policy = await simulation.run(converged, join(folder, '07-winrm-listeners.ps1'));
    expect(policy.exitCode, policy.output.join('\n')).toBe(0);
    expect(policy.output.join('\n')).toMatch(/listener HTTP \*:5985 comes from Group Policy \(Source GPO\)/);
    http.Port = 8085;
    const differs = await simulation.run(converged, join(folder, '07-winrm-listeners.ps1'));
    expect(differs.exitCode, differs.output.join('\n')).toBe(1);
    expect(differs.output.join('\n')).toMatch(/comes from Group Policy \(Source GPO\) and differs from the spec \(Port 5985\)/);
    expect(differs.changes).toEqual([]);
  });
  it('the proxy\'s verify requires Basic in the 401\'s WWW-Authenticate, not only a 401', { timeout: 180_000 }, async () => {
    const { plan, state, folder } = await hostState('examples/exchange-arr-publishing.yaml', 'arr01.contoso.com');
    const proxy = plan.environment.reverseProxies.find((p) => p.host === 'arr01.contoso.com')!;
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    const answering = (authenticate: string[]) => {
      const s = clone(first.state);
      s.iis.upstream = Object.fromEntries(proxy.backends.map((b) => [b, { status: 401, authenticate }]));
      return s;
    };
    const negotiateOnly = await simulation.run(answering(['Negotiate']), join(folder, 'verify.ps1'));
    expect(negotiateOnly.exitCode, negotiateOnly.output.join('\n')).toBe(1);
    expect(negotiateOnly.output.filter((l) => / FAIL /.test(l) && l.includes('offers Basic'))).not.toEqual([]);
    const basic = await simulation.run(answering(['Negotiate', `Basic realm="${proxy.backends[0]}"`]), join(folder, 'verify.ps1'));
    expect(basic.exitCode, basic.output.join('\n')).toBe(0);
  });
  it('the rewrite step warns that preserveHostHeader is server-wide when the proxy publishes other rules', { timeout: 180_000 }, async () => {
    const { state, folder } = await hostState('examples/exchange-arr-publishing.yaml', 'arr01.contoso.com');
    const owa = {
      name: 'Contoso-OWA', enabled: true, patternSyntax: 'ECMAScript', stopProcessing: true,
      match: { url: '^owa(/.*)?$', ignoreCase: true },
      conditions: { add: [{ input: '{HTTPS}', pattern: '^ON$' }] },
      action: { type: 'Rewrite', url: 'https://owa-farm/{R:0}' },
    };
    const shared = clone(state);
    shared.iis.config['system.webServer'].rewrite.globalRules.rule = [owa];
    const run = await simulation.run(shared, join(folder, 'run-all.ps1'));
    expect(run.exitCode, run.output.join('\n')).toBe(0);
    const warnings = run.output.filter((l) => l.startsWith('WARNING: ') && l.includes('preserveHostHeader is server-wide'));
    expect(warnings.length, run.output.join('\n')).toBe(1);
    expect(warnings[0]).toContain('Contoso-OWA');
    // Alone on the proxy: nothing else to warn about.
    const alone = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(alone.exitCode, alone.output.join('\n')).toBe(0);
    expect(alone.output.filter((l) => l.includes('preserveHostHeader is server-wide'))).toEqual([]);
  });
  it('verify.ps1 outside the Exchange Management Shell reads the IIS sections the appcmd.exe fallback writes', { timeout: 180_000 }, async () => {
    const { plan, state, folder } = await hostState('examples/exchange-arr-publishing.yaml', 'exch1.contoso.com');
    const noShell = clone(state);
    noShell.host.missingCommands = [...new Set([...(noShell.host.missingCommands ?? []), 'Get-ExchangeServer', 'Get-PowerShellVirtualDirectory', 'Set-PowerShellVirtualDirectory'])];
    const first = await simulation.run(noShell, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    expect(first.output.join('\n')).toContain('through appcmd.exe');
    const basic = expectationsFor(plan.environment, 'exch1.contoso.com').find((e) => e.setting === 'PowerShell virtual directory BasicAuthentication')!;
    expect(basic, 'the spec names basicAuthentication').toBeDefined();
    expect(basic.holds(first.state)).toBe(true);
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
    expect(verified.output.filter((l) => / OK {3}PowerShell virtual directory BasicAuthentication/.test(l)), verified.output.join('\n')).not.toEqual([]);
    const drifted = clone(first.state);
    basic.drift(drifted);
    const after = await simulation.run(drifted, join(folder, 'verify.ps1'));
    expect(after.exitCode, after.output.join('\n')).toBe(1);
    expect(after.output.filter((l) => / FAIL /.test(l) && l.includes('PowerShell virtual directory BasicAuthentication'))).not.toEqual([]);
  });
  it('verify.ps1 on the sync server runs the declared second hop through the first session and reports it', { timeout: 180_000 }, async () => {
    const { state, folder } = await hostState('examples/monosync-https-delegation.yaml', 'mono01.monofor.com');
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    const hop = 'second hop exch01.monofor.com -> exchange-powershell exch01.monofor.com:80';
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
    expect(verified.output.filter((l) => / OK {3}/.test(l) && l.includes(hop)), verified.output.join('\n')).not.toEqual([]);
    // The first hop works, the second is denied: named, with what Microsoft documents and who must confirm.
    const denied = clone(first.state);
    denied.remote['exch01.monofor.com'].commands['Second hop test'] = { Ok: false, Detail: 'from EXCH01: Access is denied.' };
    const after = await simulation.run(denied, join(folder, 'verify.ps1'));
    expect(after.exitCode, after.output.join('\n')).toBe(1);
    const line = after.output.find((l) => / FAIL /.test(l) && l.includes(hop))!;
    expect(line, after.output.join('\n')).toBeDefined();
    expect(line).toContain('Access is denied');
    expect(line).toContain('no Kerberos delegation form supports a WinRM second hop');
    expect(line).toContain('the vendor must confirm');
    expect(after.output.filter((l) => / FAIL /.test(l) && l.includes('WinRM session https://exch01.monofor.com:5986/wsman'))).toEqual([]);
  });
});
