/**
 * The IIS, Exchange and Active Directory side of the simulated Windows host:
 * - the Pester tests of the stubs (test/windows/tests/iis-exchange-ad.Tests.ps1): signatures refuse
 *   undocumented parameters and wrong parameter sets, -WhatIf is honoured, every change is recorded;
 * - generated scripts against it, checked with the oracle written from the spec
 *   (test/windows/harness/oracle-exchange.ts): each case is a defect the simulator found in the
 *   scripts, so it failed before the template was fixed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPwsh, REPO_ROOT, TOOLS_MODULES } from './helpers/pwsh.js';
import type { SimState } from './windows/harness/default-state.js';
import { defaultDirectory, defaultState } from './windows/harness/default-state.js';
import { exchangeDefaults } from './windows/harness/exchange-state.js';
import { expectationsFor } from './windows/harness/oracle-exchange.js';
import { generateInto, Simulation } from './windows/harness/simulator.js';

describeWithPwsh('IIS, Exchange and Active Directory stubs (Pester)', (pwsh) => {
  it('every stub test passes', { timeout: 300_000 }, () => {
    const command = [
      "$c = New-PesterConfiguration",
      "$c.Run.Path = 'test/windows/tests/iis-exchange-ad.Tests.ps1'",
      '$c.Run.PassThru = $true',
      "$c.Output.Verbosity = 'None'",
      '$r = Invoke-Pester -Configuration $c',
      "'RESULT ' + (@{ passed = $r.PassedCount; failed = $r.FailedCount; names = @($r.Failed | ForEach-Object { $_.ExpandedPath }) } | ConvertTo-Json -Compress)",
    ].join('; ');
    const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PSModulePath: [TOOLS_MODULES, process.env.PSModulePath].filter(Boolean).join(delimiter) },
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, run.stdout + run.stderr).toBeDefined();
    const result = JSON.parse(line!.slice('RESULT '.length)) as { passed: number; failed: number; names: string[] };
    expect(result.names).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.passed).toBeGreaterThan(40);
  });
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describeWithPwsh('generated Exchange, proxy and AD scripts on the simulated host', (pwsh) => {
  let simulation: Simulation;
  let scratch: string;
  beforeAll(() => {
    simulation = new Simulation(pwsh);
    scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-stubs-'));
  });
  afterAll(async () => {
    await simulation?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A host's installed default state, as the harness builds it. */
  async function hostState(spec: string, host: string) {
    const { plan, root } = await generateInto(join(REPO_ROOT, spec), join(scratch, spec.replace(/[^a-z0-9]+/gi, '-')));
    const directory = (exchangeDefaults(plan, null, defaultDirectory(plan.environment)) as { directory: SimState['directory'] }).directory;
    const hostPlan = plan.hosts.find((h) => h.host === host)!;
    let state = defaultState(plan, hostPlan, clone(directory));
    state = { ...state, ...exchangeDefaults(plan.environment, host, state) };
    // A proxy's backends answer as their converged state does: the spec turns Basic on there.
    const proxy = plan.environment.reverseProxies.find((p) => p.host === host);
    const backends = new Map(plan.environment.exchange.map((x) => [x.host, x] as const));
    for (const backend of proxy?.backends ?? []) {
      if (backends.get(backend)?.virtualDirectory?.basicAuthentication) state.iis.upstream[backend] = { status: 401, authenticate: ['Negotiate', `Basic realm="${backend}"`] };
    }
    return { plan, state, folder: join(root, 'hosts', host) };
  }

  it('the ARR rule forwards /PowerShell only for the published host name, and verify names a missing {HTTP_HOST} condition', { timeout: 300_000 }, async () => {
    const { plan, state, folder } = await hostState('examples/exchange-arr-publishing.yaml', 'arr01.contoso.com');
    const oracle = expectationsFor(plan.environment, 'arr01.contoso.com');
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    expect(oracle.filter((e) => !e.holds(first.state)).map((e) => e.setting)).toEqual([]);
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
    const hostCheck = oracle.find((e) => e.setting === '{HTTP_HOST}')!;
    const drifted = clone(first.state);
    hostCheck.drift(drifted);
    expect(hostCheck.holds(drifted)).toBe(false);
    const after = await simulation.run(drifted, join(folder, 'verify.ps1'));
    expect(after.exitCode).toBe(1);
    expect(after.output.filter((l) => / FAIL /.test(l) && l.includes('{HTTP_HOST}'))).not.toEqual([]);
  });

  /** What IIS Manager's server farm wizard leaves: a global rule sending every URL to the farm over HTTP. */
  const wizardRule = (farm: string) => ({
    name: `ARR_${farm}_loadbalance`,
    enabled: true,
    patternSyntax: 'Wildcard',
    stopProcessing: true,
    match: { url: '*' },
    action: { type: 'Rewrite', url: `http://${farm}/{R:0}` },
  });

  it('the rewrite step refuses to add its rule behind an earlier global rule that catches /PowerShell, and verify names that rule', { timeout: 300_000 }, async () => {
    const { state, folder } = await hostState('examples/exchange-arr-publishing.yaml', 'arr01.contoso.com');
    const shadowed = clone(state);
    shadowed.iis.config['system.webServer'].rewrite.globalRules.rule = [wizardRule('exchange-powershell')];
    const refused = await simulation.run(shadowed, join(folder, 'run-all.ps1'));
    expect(refused.exitCode, refused.output.join('\n')).toBe(1);
    expect(refused.output.join('\n')).toContain('ARR_exchange-powershell_loadbalance');

    // Converged on a clean proxy, then the wizard rule appears above ours: verify names it.
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    const later = clone(first.state);
    later.iis.config['system.webServer'].rewrite.globalRules.rule.unshift(wizardRule('exchange-powershell'));
    const verified = await simulation.run(later, join(folder, 'verify.ps1'));
    expect(verified.exitCode).toBe(1);
    expect(verified.output.filter((l) => / FAIL /.test(l) && l.includes('ARR_exchange-powershell_loadbalance'))).not.toEqual([]);
  });

  it('verify.ps1 on the AD admin host checks TGT delegation on the account forest\'s trust where the spec declares it', { timeout: 300_000 }, async () => {
    const { plan, state, folder } = await hostState('test/fixtures/generate/every-branch.yaml', 'dc01.fabrikam.com');
    const tgt = expectationsFor(plan.environment, 'dc01.fabrikam.com').find((e) => e.setting === 'TGT delegation corp.contoso.com')!;
    expect(tgt, 'the spec declares tgtDelegation between fabrikam.com and corp.contoso.com').toBeDefined();
    expect(tgt.holds(state), 'declared: the account forest enabled it').toBe(true);
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
    const drifted = clone(first.state);
    tgt.drift(drifted);
    const after = await simulation.run(drifted, join(folder, 'verify.ps1'));
    expect(after.exitCode, after.output.join('\n')).toBe(1);
    expect(after.output.filter((l) => / FAIL /.test(l) && l.includes('TGT delegation corp.contoso.com'))).not.toEqual([]);
  });

  it('verify.ps1 on an Exchange server names an HTTP SPN for its short name held by another account', { timeout: 300_000 }, async () => {
    const { plan, state, folder } = await hostState('examples/exchange-arr-publishing.yaml', 'exch2.contoso.com');
    const short = expectationsFor(plan.environment, 'exch2.contoso.com').find((e) => e.setting === 'SPN HTTP/EXCH2 in')!;
    expect(short).toBeDefined();
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    expect(short.holds(first.state)).toBe(true);
    const drifted = clone(first.state);
    short.drift(drifted);
    expect(short.holds(drifted)).toBe(false);
    const after = await simulation.run(drifted, join(folder, 'verify.ps1'));
    expect(after.exitCode, after.output.join('\n')).toBe(1);
    expect(after.output.filter((l) => / FAIL /.test(l) && l.toUpperCase().includes('SPN HTTP/EXCH2 IN'))).not.toEqual([]);
  });

  it('the TGT delegation check prints the documented netdom form for the account forest, without advice to swap the names', { timeout: 300_000 }, async () => {
    const { plan, state, folder } = await hostState('test/fixtures/generate/every-branch.yaml', 'dc01.fabrikam.com');
    const tgt = expectationsFor(plan.environment, 'dc01.fabrikam.com').find((e) => e.setting === 'TGT delegation corp.contoso.com')!;
    const off = clone(state);
    tgt.drift(off);
    const run = await simulation.run(off, join(folder, 'run-all.ps1'));
    expect(run.exitCode, run.output.join('\n')).toBe(0);
    const text = run.output.join('\n');
    // KB 4490425: netdom trust <trusting> /domain:<trusted> /EnableTGTDelegation:Yes, set in the trusted (account) domain.
    expect(text).toContain('netdom trust fabrikam.com /domain:corp.contoso.com /EnableTGTDelegation:Yes');
    expect(text).not.toMatch(/swap the two names|[Uu]nconfirmed/);
  });

  // Kerberos AES (KB5073381): verify.ps1 on each forest's AD host reads msDS-SupportedEncryptionTypes of
  // what that forest holds for the Kerberos connections and the KDCSVC events 201-209 of its DCs.
  const user = (state: SimState, sam: string) => state.directory.ad.users.find((u: any) => u.sAMAccountName === sam);
  const failLines = (output: string[], text: string) => output.filter((l) => / FAIL /.test(l) && l.includes(text));

  it('verify.ps1 on the account forest passes with AES on the sync account and the trust, and fails naming an RC4-only account', { timeout: 300_000 }, async () => {
    const { state, folder } = await hostState('test/fixtures/simulate/delegation-forest-trust.yaml', 'dc01.corp.contoso.com');
    const aes = clone(state);
    user(aes, 'monosync_svc')['msDS-SupportedEncryptionTypes'] = 0x18;
    const passed = await simulation.run(aes, join(folder, 'verify.ps1'));
    expect(passed.exitCode, passed.output.join('\n')).toBe(0);
    expect(passed.output.filter((l) => / OK {3}Kerberos encryption types of CONTOSO\\monosync_svc .*0x18 \(AES128, AES256\)/.test(l))).toHaveLength(1);
    expect(passed.output.filter((l) => / OK {3}Kerberos encryption types of the trust corp\.contoso\.com -> fabrikam\.com/.test(l))).toHaveLength(1);

    const rc4 = clone(state);
    user(rc4, 'monosync_svc')['msDS-SupportedEncryptionTypes'] = 0x4;
    const failed = await simulation.run(rc4, join(folder, 'verify.ps1'));
    expect(failed.exitCode, failed.output.join('\n')).toBe(1);
    expect(failLines(failed.output, 'CONTOSO\\monosync_svc').join('\n')).toMatch(/0x4 \(RC4-HMAC\), no AES: add AES to CONTOSO\\monosync_svc/);

    const trust = clone(state);
    trust.directory.ad.trusts.find((t: any) => t.domain === 'corp.contoso.com' && t.trustPartner === 'fabrikam.com')['msDS-SupportedEncryptionTypes'] = null;
    const noAes = await simulation.run(trust, join(folder, 'verify.ps1'));
    expect(noAes.exitCode).toBe(1);
    expect(failLines(noAes.output, 'trust corp.contoso.com -> fabrikam.com').join('\n')).toContain('not set, so no AES bit: on a domain controller of corp.contoso.com');
  });

  it('verify.ps1 on the Exchange forest names an RC4-only Exchange computer and KDCSVC events 201-209 of the last 7 days', { timeout: 300_000 }, async () => {
    const { state, folder } = await hostState('test/fixtures/simulate/delegation-forest-trust.yaml', 'dc01.fabrikam.com');
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    const clean = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(clean.exitCode, clean.output.join('\n')).toBe(0);
    expect(clean.output.filter((l) => / OK {3}KDCSVC events 201-209 on dc01\.fabrikam\.com/.test(l))).toHaveLength(1);

    const rc4 = clone(first.state);
    rc4.directory.ad.computers.find((c: any) => c.dNSHostName === 'exch01.fabrikam.com')['msDS-SupportedEncryptionTypes'] = 0x4;
    const computer = await simulation.run(rc4, join(folder, 'verify.ps1'));
    expect(computer.exitCode).toBe(1);
    expect(failLines(computer.output, 'computer exch01.fabrikam.com')).toHaveLength(1);

    const kdc = 'Microsoft-Windows-Kerberos-Key-Distribution-Center';
    const logged = clone(first.state);
    logged.eventLogs['dc01.fabrikam.com'].System = [
      { Id: 203, ProviderName: kdc, TimeCreated: '2026-11-30T08:00:00Z', Message: 'blocked' },
      { Id: 203, ProviderName: kdc, TimeCreated: '2026-11-29T08:00:00Z', Message: 'blocked' },
      { Id: 207, ProviderName: kdc, TimeCreated: '2026-11-28T08:00:00Z', Message: 'no AES keys' },
      // Outside the window, and not 201-209: not counted.
      { Id: 201, ProviderName: kdc, TimeCreated: '2026-11-01T08:00:00Z', Message: 'old' },
      { Id: 14, ProviderName: kdc, TimeCreated: '2026-11-30T08:00:00Z', Message: 'other' },
    ];
    const events = await simulation.run(logged, join(folder, 'verify.ps1'));
    expect(events.exitCode).toBe(1);
    const line = failLines(events.output, 'KDCSVC events 201-209 on dc01.fabrikam.com').join('\n');
    expect(line).toContain('203 x2: blocked');
    expect(line).toContain('207 x1:');
    expect(line).not.toContain('201 x');

    const unreachable = clone(first.state);
    delete unreachable.eventLogs['dc01.fabrikam.com'];
    const unread = await simulation.run(unreachable, join(folder, 'verify.ps1'));
    expect(unread.exitCode).toBe(1);
    expect(unread.output.filter((l) => /\] NOT READABLE KDCSVC events 201-209 on dc01\.fabrikam\.com .*RPC server is unavailable/.test(l))).toHaveLength(1);
  });

  it('the AD host runs its delegation, TGT delegation and verify scripts on Windows PowerShell 2.0, which has no Get-ADTrust and no [pscustomobject]', { timeout: 300_000 }, async () => {
    // The 5.1 forms on a 2.0 domain controller: what every DC got before DCs had a powershell field.
    const old = await hostState('test/fixtures/generate/every-branch.yaml', 'dc01.fabrikam.com');
    expect(old.state.host.psVersion).toBe('5.1');
    const on2 = clone(old.state);
    on2.host.psVersion = '2.0';
    const step = readdirSync(old.folder).find((f) => /^\d+-tgt-delegation-/.test(f))!;
    const refused = await simulation.run(on2, join(old.folder, step));
    expect(refused.exitCode).toBe(1);
    expect(refused.output.join('\n')).toContain('pscustomobject-cast');

    const { state, folder } = await hostState('test/fixtures/simulate/every-branch-powershell-2.yaml', 'dc01.fabrikam.com');
    expect(state.host.psVersion).toBe('2.0');
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
    // The 2.0 profile has no Get-ADTrust (a call would have failed the run): the trusted domain object is read instead.
    const texts = readdirSync(folder).filter((f) => f.endsWith('.ps1')).map((f) => readFileSync(join(folder, f), 'utf8'));
    expect(texts.filter((t) => t.includes('Get-ADTrust -'))).toEqual([]);
    expect(texts.filter((t) => t.includes("Get-ADObject -LDAPFilter ('(&(objectClass=trustedDomain)"))).not.toEqual([]);
    expect(verified.output.filter((l) => / OK {3}TGT delegation corp\.contoso\.com -> fabrikam\.com/.test(l))).toHaveLength(1);
  });

  it('the 5.1 binding step keeps a certificate HTTP.sys already holds for 0.0.0.0:443 when it creates the 443 binding, instead of binding over it', { timeout: 300_000 }, async () => {
    const { plan, state, folder } = await hostState('examples/exchange-arr-publishing.yaml', 'arr01.contoso.com');
    expect(state.host.psVersion).toBe('5.1');
    const thumbprint = plan.environment.reverseProxies[0]!.thumbprint!;
    const other = '9'.repeat(40);
    const leftover = clone(state);
    leftover.iis.sslBindings = [{ ipPort: '0.0.0.0:443', certificateHash: other, certificateStoreName: 'My', appId: '{4dc3e181-e14b-4a21-b022-59fc669b0914}' }];
    const run = await simulation.run(leftover, join(folder, '01-https-binding.ps1'));
    expect(run.exitCode, run.output.join('\n')).toBe(1);
    expect(run.output.join('\n')).toContain(`serves certificate ${other}, which HTTP.sys already held for 0.0.0.0:443, not ${thumbprint}`);
    expect(run.state.iis.sslBindings).toEqual([expect.objectContaining({ ipPort: '0.0.0.0:443', certificateHash: other })]);
    expect(run.changes.filter((c) => c.target.startsWith('HTTP.sys'))).toEqual([]);
  });

  it('an IIS ARR proxy on Windows Server 2008 R2 runs its scripts on Windows PowerShell 2.0: the 443 certificate bound in HTTP.sys through IIS:\\SslBindings, another one never replaced, the published URL asked without Invoke-WebRequest', { timeout: 300_000 }, async () => {
    // The 5.1 forms, which such a proxy got before, do not run on 2.0 (the gate reads them as the 2.0 parser would).
    const old = await hostState('examples/exchange-arr-publishing.yaml', 'arr01.contoso.com');
    const on2 = clone(old.state);
    on2.host.psVersion = '2.0';
    const refused = await simulation.run(on2, join(old.folder, 'verify.ps1'));
    expect(refused.exitCode).toBe(1);
    expect(refused.output.join('\n')).toMatch(/requires-run-as-administrator|attribute-argument-omitted|Invoke-WebRequest/);

    const { plan, state, folder } = await hostState('test/fixtures/simulate/arr-windows-2008-r2.yaml', 'arr01.contoso.com');
    expect(state.host.psVersion).toBe('2.0');
    expect(state.host.os).toBe('windows-server-2008-r2');
    const thumbprint = plan.environment.reverseProxies[0]!.thumbprint!;
    const oracle = expectationsFor(plan.environment, 'arr01.contoso.com');
    const preview = await simulation.run(state, join(folder, 'run-all.ps1'), { WhatIf: true });
    expect(preview.exitCode, preview.output.join('\n')).toBe(0);
    expect(preview.changes).toEqual([]);
    const first = await simulation.run(state, join(folder, 'run-all.ps1'));
    expect(first.exitCode, first.output.join('\n')).toBe(0);
    expect(first.state.iis.sslBindings).toEqual([expect.objectContaining({ ipPort: '0.0.0.0:443', certificateHash: thumbprint, certificateStoreName: 'My' })]);
    expect(first.changes.filter((c) => c.target === 'HTTP.sys SSL binding 0.0.0.0:443').map((c) => c.detail)).toEqual([` -> ${thumbprint} (My)`]);
    expect(oracle.filter((e) => !e.holds(first.state)).map((e) => e.setting)).toEqual([]);
    const second = await simulation.run(first.state, join(folder, 'run-all.ps1'));
    expect(second.changes).toEqual([]);
    const verified = await simulation.run(first.state, join(folder, 'verify.ps1'));
    expect(verified.exitCode, verified.output.join('\n')).toBe(0);
    // Invoke-WebRequest is not on the 2.0 profile: verify asked the published URL with System.Net.WebClient.
    expect(verified.output.filter((l) => / OK /.test(l) && l.includes('answers 401'))).toHaveLength(1);

    // HTTP.sys already holds another certificate for 0.0.0.0:443 (no site binding yet): reported, nothing changed.
    const other = '9'.repeat(40);
    const leftover = clone(state);
    leftover.iis.sslBindings = [{ ipPort: '0.0.0.0:443', certificateHash: other, certificateStoreName: 'My', appId: '{4dc3e181-e14b-4a21-b022-59fc669b0914}' }];
    const kept = await simulation.run(leftover, join(folder, '01-https-binding.ps1'));
    expect(kept.exitCode).toBe(1);
    expect(kept.output.join('\n')).toContain(`HTTP.sys already binds certificate ${other} to 0.0.0.0:443`);
    expect(kept.changes).toEqual([]);

    // The converged binding, rebound to another certificate outside the spec: the step reports it and replaces nothing; verify fails naming it.
    const drift = oracle.find((e) => e.setting === `carries certificate ${thumbprint}`)!;
    const rebound = clone(first.state);
    drift.drift(rebound);
    const reported = await simulation.run(rebound, join(folder, '01-https-binding.ps1'));
    expect(reported.exitCode).toBe(1);
    expect(reported.output.join('\n')).toContain(`carries certificate ${'0'.repeat(40)} (IIS:\\SslBindings\\0.0.0.0!443), not ${thumbprint}`);
    expect(reported.changes).toEqual([]);
    const failed = await simulation.run(rebound, join(folder, 'verify.ps1'));
    expect(failed.exitCode).toBe(1);
    expect(failed.output.filter((l) => / FAIL /.test(l) && l.includes(`carries certificate ${thumbprint}`))).not.toEqual([]);
  });

  it('recycle-powershell-app-pool.ps1 recycles a worker process older than applicationHost.config, on Windows PowerShell 2.0 (Get-WmiObject) as on 5.1 (Get-CimInstance)', { timeout: 300_000 }, async () => {
    for (const [spec, host, ps] of [['examples/galsync-fim-kerberos.yaml', 'cas01.fabrikam.com', '2.0'], ['examples/exchange-arr-publishing.yaml', 'exch1.contoso.com', '5.1']] as const) {
      const { state, folder } = await hostState(spec, host);
      expect(state.host.psVersion, host).toBe(ps);
      const first = await simulation.run(state, join(folder, 'run-all.ps1'));
      expect(first.exitCode, first.output.join('\n')).toBe(0);
      // The virtual directory changed now; the pool's worker process started yesterday.
      const changed = clone(first.state);
      changed.iis.configWritten = changed.host.now;
      const pool = (changed.processes as { CommandLine: string }[]).find((p) => p.CommandLine.includes('-ap "MSExchangePowerShell'))!;
      const name = /-ap "([^"]+)"/.exec(pool.CommandLine)![1]!;
      const recycles = (s: SimState) => s.iis.appPools.find((p: { name: string }) => p.name === name).recycles as number;
      const preview = await simulation.run(changed, join(folder, 'recycle-powershell-app-pool.ps1'), { WhatIf: true });
      expect(preview.exitCode, preview.output.join('\n')).toBe(0);
      expect(preview.changes).toEqual([]);
      expect(preview.output.join('\n')).toContain(`recycle ${name} (worker process `);
      const recycled = await simulation.run(changed, join(folder, 'recycle-powershell-app-pool.ps1'));
      expect(recycled.exitCode, recycled.output.join('\n')).toBe(0);
      expect(recycles(recycled.state), host).toBe(recycles(changed) + 1);
      const again = await simulation.run(recycled.state, join(folder, 'recycle-powershell-app-pool.ps1'));
      expect(again.exitCode).toBe(0);
      expect(again.changes).toEqual([]);
      expect(again.output.join('\n')).toContain('already configured');
    }
  });
});
