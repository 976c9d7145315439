import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText, generateText } from '../src/index.js';
import { model } from '../src/model/model.js';
import { generateExample, generateSpec } from './helpers/generate.js';
import { repoRoot } from './helpers/spec.js';
import type { TemplateName } from '../src/plan/plan.js';
import { isScript, scriptOf } from './helpers/plan.js';

const options = { specPath: 'spec.yaml', toolVersion: '0.0.0-test' };

const CROSS_FOREST = `version: 1
environment: lab
forests:
  - name: corp.contoso.com
    netbiosName: CONTOSO
    trusts: [{ forest: fabrikam.com }]
    domainControllers: [{ host: dc01.corp.contoso.com, ip: 10.1.0.10 }]
  - name: fabrikam.com
    netbiosName: FABRIKAM
    trusts: [{ forest: corp.contoso.com }]
    domainControllers:
      - { host: DC09.fabrikam.com, ip: 10.2.0.19 }
      - { host: dc01.fabrikam.com, ip: 10.2.0.10 }
exchange:
  - host: EXCH02.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.22
    os: windows-server-2019
    winrm:
      listeners: [{ transport: https, certificate: { selfSigned: true } }]
    delegation: { mode: unconstrained }
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.21
    os: windows-server-2008-r2
    winrm:
      listeners: [{ transport: http }]
syncServers:
  - host: sync01.corp.contoso.com
    forest: corp.contoso.com
    ip: 10.1.0.30
    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_sync'
    connections:
      - { exchange: exch02.fabrikam.com, uri: 'https://exch02.fabrikam.com:5986/wsman', authentication: kerberos }
      - { exchange: exch01.fabrikam.com, uri: 'http://exch01.fabrikam.com/PowerShell/', authentication: kerberos }
waivers:
  - { rule: delegation-tgt-across-trust, host: exch02.fabrikam.com, reason: 'Exercises the generated check-and-print TGT step.' }
`;

describe('model and plan', () => {
  it('applies defaults, lowercases host folders and sorts hosts by code point', async () => {
    const { plan, report } = await generateText('spec.yaml', CROSS_FOREST, options);
    expect(report.diagnostics.filter((d) => d.severity === 'error' && !d.waived)).toEqual([]);
    const e = plan!.environment;
    expect(e.exchange.map((x) => x.host)).toEqual(['exch01.fabrikam.com', 'exch02.fabrikam.com']);
    const exch02 = e.exchange[1]!;
    expect(exch02.winrm!.listeners[0]).toMatchObject({ transport: 'https', port: 5986, address: '*', hostName: 'exch02.fabrikam.com', certificate: { kind: 'self-signed' } });
    expect(exch02.winrm!.auth).toEqual({ kerberos: true, negotiate: true, basic: false, certificate: false, credSSP: false, cbtHardening: 'relaxed' });
    expect(e.syncServers[0]!.connections.map((c) => [c.exchange, c.port, c.endpoint])).toEqual([
      ['exch01.fabrikam.com', 80, 'exchange-powershell'],
      ['exch02.fabrikam.com', 5986, 'winrm'],
    ]);
    expect(plan!.hosts.map((h) => h.folder)).toEqual(['exch01.fabrikam.com', 'exch02.fabrikam.com', 'dc09.fabrikam.com', 'sync01.corp.contoso.com']);
  });

  it('runs Exchange servers first, then delegation on the first DC of their forest, then the sync server, then every verify', async () => {
    const { plan } = await generateText('spec.yaml', CROSS_FOREST, options);
    expect(plan!.runOrder.map((s) => `${s.host} ${s.script}`)).toEqual([
      'exch01.fabrikam.com run-all.ps1',
      'exch02.fabrikam.com run-all.ps1',
      'dc09.fabrikam.com run-all.ps1',
      'sync01.corp.contoso.com run-all.ps1',
      'exch01.fabrikam.com verify.ps1',
      'exch02.fabrikam.com verify.ps1',
      'dc09.fabrikam.com verify.ps1',
      'sync01.corp.contoso.com verify.ps1',
    ]);
    const dc = plan!.hosts.find((h) => h.role === 'domain-controller')!;
    expect(dc.notes.join(' ')).toContain('the first domain controller declared for fabrikam.com');
  });

  it('adds a check-only TGT-delegation step when unconstrained delegation crosses a forest trust, even when the trust declares it', async () => {
    const { plan } = await generateText('spec.yaml', CROSS_FOREST, options);
    const dc = plan!.hosts.find((h) => h.role === 'domain-controller')!;
    expect(dc.steps.map((s) => s.fileName)).toEqual(['01-delegation-exch02.ps1', '02-tgt-delegation-corp-contoso-com.ps1']);
    expect(dc.steps[1]!.data).toEqual({ trusting: 'fabrikam.com', trusted: 'corp.contoso.com', enable: false });
    expect(plan!.notes.join(' ')).toContain('TGT delegation on it is for the administrators of corp.contoso.com to enable (the spec does not declare it)');
    const declared = CROSS_FOREST.replace("trusts: [{ forest: corp.contoso.com }]", 'trusts: [{ forest: corp.contoso.com, tgtDelegation: true }]');
    const enabled = await generateText('spec.yaml', declared, options);
    const dcHost = enabled.plan!.hosts.find((h) => h.role === 'domain-controller')!;
    const step = dcHost.steps[1]!;
    expect(step.data).toMatchObject({ enable: true });
    // The Exchange forest's host never changes the other forest's trust: no netdom run, no change recorded.
    expect(step.kind).toBe('check');
    const text = Buffer.from(enabled.files!.get(`lab/hosts/${dcHost.folder}/${step.fileName}`)!).toString('utf8');
    expect(text).not.toContain('& netdom.exe');
    expect(text).not.toContain('$Needed.Add(');
    expect(text).toContain("('Administrators of ' + $trusted + ' (the account forest), on a domain controller of ' + $trusted + ', elevated:')");
  });

  it('uses legacy forms on Windows Server 2008 R2 and modern ones from 2012', async () => {
    const { plan } = await generateText('spec.yaml', CROSS_FOREST, options);
    const step = <K extends TemplateName>(host: string, template: K) => plan!.hosts.find((h) => h.host === host)!.steps.find(isScript(template));
    expect(step('exch01.fabrikam.com', 'firewall')!.data.modern).toBe(false);
    expect(step('exch02.fabrikam.com', 'firewall')!.data.modern).toBe(true);
    expect(step('exch02.fabrikam.com', 'winrm-listeners')!.data.selfSignedSupported).toBe(true);
  });

  it('scopes firewall rules to the hosts that connect, and lists UDP 88/53 as not testable', async () => {
    const { plan } = await generateText('spec.yaml', CROSS_FOREST, options);
    expect(plan!.firewallRules.map((r) => `${r.host} ${r.port} ${r.remoteAddresses.join(',')}`)).toEqual([
      'exch01.fabrikam.com 80 10.1.0.30',
      'exch02.fabrikam.com 5986 10.1.0.30',
    ]);
    // exch01's 5985 listener is used by no connection: no flow, no firewall rule for it.
    expect(plan!.flows.filter((f) => f.to === 'exch01.fabrikam.com').map((f) => f.port)).toEqual([80]);
    const udp = plan!.flows.filter((f) => f.protocol === 'UDP');
    expect(udp.map((f) => `${f.to}:${f.port}`)).toEqual(['dc09.fabrikam.com:88', 'dc09.fabrikam.com:53', 'dc01.fabrikam.com:88', 'dc01.fabrikam.com:53']);
    for (const f of udp) expect(f.check).toMatch(/^not testable here/);
    // klist get proves nothing about UDP 88: it may use TCP and reaches one DC only.
    expect(udp.find((f) => f.port === 88)!.check).toContain('firewall team to confirm');
    expect(udp.find((f) => f.port === 88)!.check).not.toContain('exercises');
  });

  it('tests WinRM with Test-WSMan only for /wsman connections, on their own port, and probes 80/443 for Exchange endpoints', async () => {
    const { plan, files } = await generateText('spec.yaml', CROSS_FOREST, options);
    const sync = plan!.hosts.find((h) => h.role === 'sync-server')!;
    const sessions = scriptOf(sync.verify, 'verify-sync-server').data.sessions;
    expect(sessions.map((s) => `${s.exchange} ${s.exchangeEndpoint} ${s.port} ${s.useSsl}`)).toEqual(['exch01.fabrikam.com true 80 false', 'exch02.fabrikam.com false 5986 true']);
    const text = Buffer.from(files!.get(`lab/hosts/${sync.folder}/verify.ps1`)!).toString('utf8');
    expect(text).toContain("Test-TcpPort -ComputerName $test.Exchange -Port $test.Port -Purpose 'Exchange /PowerShell, IIS'");
    expect(text).not.toContain('WSManPort');
  });

  it('publishes /PowerShell through the reverse proxy: proxy scripts, publishing CAS, external client, run order', async () => {
    const { plan, files } = await generateExample('exchange-arr-publishing.yaml');
    const paths = [...files!.keys()];
    expect(paths.filter((p) => p.includes('/hosts/arr01.contoso.com/'))).toEqual([
      'contoso-arr/hosts/arr01.contoso.com/01-https-binding.ps1',
      'contoso-arr/hosts/arr01.contoso.com/02-server-farm.ps1',
      'contoso-arr/hosts/arr01.contoso.com/03-rewrite-rule.ps1',
      'contoso-arr/hosts/arr01.contoso.com/run-all.ps1',
      'contoso-arr/hosts/arr01.contoso.com/verify.ps1',
    ]);
    expect(paths).toContain('contoso-arr/clients/mail.contoso.com/external-client-test.ps1');
    const text = (p: string) => Buffer.from(files!.get(`contoso-arr/${p}`)!).toString('utf8');
    const rule = text('hosts/arr01.contoso.com/03-rewrite-rule.ps1');
    expect(rule).toContain("$pattern = '^powershell(/.*)?$'");
    expect(rule).toContain("$rewriteUrl = 'https://exchange-powershell/{R:0}'");
    expect(rule).toContain("Name = 'preserveHostHeader'; Value = 'True'");
    expect(rule).not.toMatch(/'http:\/\//);
    expect(text('hosts/arr01.contoso.com/01-https-binding.ps1')).toContain("$thumbprint = '3C1E5A7B9D2F4E6A8C0B1D3F5E7A9C2B4D6F8E0A'");
    expect(text('hosts/arr01.contoso.com/verify.ps1')).toContain("$url = 'https://mail.contoso.com/PowerShell'");
    const client = text('clients/mail.contoso.com/external-client-test.ps1');
    expect(client).toContain('[switch]$SkipCertificateChecks');
    expect(client).toContain("Authentication    = 'Basic'");
    const vdir = text('hosts/exch1.contoso.com/04-powershell-virtual-directory.ps1');
    expect(vdir).toContain('HealthChecker');
    expect(vdir).toContain("'system.webServer/security/authentication/basicAuthentication'");
    expect(plan!.flows.filter((f) => f.from === 'arr01.contoso.com').map((f) => `${f.to}:${f.port}`)).toEqual(['exch1.contoso.com:443']);
    expect(plan!.firewallRules.find((r) => r.host === 'exch1.contoso.com')).toMatchObject({ port: 443, remoteAddresses: ['10.0.3.10'] });
    const order = plan!.runOrder.map((s) => s.path);
    expect(order.indexOf('hosts/arr01.contoso.com/run-all.ps1')).toBeGreaterThan(order.indexOf('hosts/exch1.contoso.com/run-all.ps1'));
    expect(order.at(-1)).toBe('clients/mail.contoso.com/external-client-test.ps1');
    expect(plan!.troubleshooting.map((r) => r.symptom)).toContain('HTTP 502 from https://mail.contoso.com/PowerShell');
  });

  it('never generates an HTTP forwarding rule: forwardHttp stops generation', async () => {
    const source = readFileSync(join(repoRoot, 'examples', 'exchange-arr-publishing.yaml'), 'utf8').replace('farmName: exchange-powershell', 'farmName: exchange-powershell\n    forwardHttp: true');
    const { files, report } = await generateText('spec.yaml', source, options);
    expect(files).toBeUndefined();
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.ruleId)).toEqual(['proxy-forward-http']);
  });

  it('names the farm after the published name when the spec gives no farmName', async () => {
    const source = readFileSync(join(repoRoot, 'examples', 'exchange-arr-publishing.yaml'), 'utf8').replace('    farmName: exchange-powershell\n', '');
    const { files } = await generateText('spec.yaml', source, options);
    const rule = Buffer.from(files!.get('contoso-arr/hosts/arr01.contoso.com/03-rewrite-rule.ps1')!).toString('utf8');
    expect(rule).toContain("$rewriteUrl = 'https://mail.contoso.com/{R:0}'");
    expect(rule).toContain("$ruleName = 'winrm-forge mail.contoso.com PowerShell'");
  });

  it('offers -SkipCertificateChecks only when the spec allows it', async () => {
    const source = readFileSync(join(repoRoot, 'examples', 'exchange-arr-publishing.yaml'), 'utf8').replace('allowSkipCertificateChecks: true', 'allowSkipCertificateChecks: false');
    const { files } = await generateText('spec.yaml', source, options);
    const client = Buffer.from(files!.get('contoso-arr/clients/mail.contoso.com/external-client-test.ps1')!).toString('utf8');
    expect(client).not.toContain('$SkipCertificateChecks');
    expect(client).not.toContain('New-PSSessionOption');
  });

  it('writes resource-based delegation on each back end, naming the Exchange computers, never the sync server', async () => {
    const { plan, files } = await generateExample('monosync-https-delegation.yaml');
    const dc = plan!.hosts.find((h) => h.host === 'dc01.monofor.com')!;
    const steps = dc.steps.filter(isScript('ad-delegation'));
    expect(steps.map((s) => s.fileName)).toEqual(['01-delegation-to-exch01.ps1', '02-delegation-to-exch02.ps1']);
    for (const step of steps) {
      const data = step.data;
      if (!('backend' in data)) throw new Error(`${step.fileName} is not a resource-based delegation step`);
      expect(data.fronts.map((f) => f.host)).toEqual(['exch01.monofor.com', 'exch02.monofor.com']);
      expect(JSON.stringify(step.data)).not.toContain('mono01');
      expect(data.backend.server).toBe('monofor.com');
    }
    const text = Buffer.from(files!.get('monofor-monosync/hosts/dc01.monofor.com/01-delegation-to-exch01.ps1')!).toString('utf8');
    // The back end is written in its own domain, and the Exchange computers go in by SID.
    expect(text).toContain("$backendFilter = '(&(objectClass=computer)(dNSHostName=exch01.monofor.com))'");
    expect(text).toContain("Set-ADObject -Identity $backend.DistinguishedName -Server $backendServer -Replace @{ 'msDS-AllowedToActOnBehalfOfOtherIdentity' =");
    expect(text).toContain('$existing -notcontains $front.Sid.Value');
    expect(text).not.toContain('Set-ADComputer -Identity $computer -PrincipalsAllowedToDelegateToAccount');
  });

  it('compares Remote Management Users by SID in the step and in verify.ps1, whatever spelling the spec uses', async () => {
    const { files } = await generateSpec('test/fixtures/generate/every-branch.yaml');
    const read = (name: string) => Buffer.from(files!.get(`every-branch/hosts/exch01.fabrikam.com/${name}`)!).toString('utf8');
    const step = read('04-remote-management-users.ps1');
    expect(step).toContain("$members = @('FABRIKAM\\svc_sync', 'svc_tail@tailspin.com')");
    expect(step).toContain('.Translate([System.Security.Principal.SecurityIdentifier])');
    expect(step).toContain('if ($current -contains $sid) {');
    expect(step).not.toContain('if ($current -contains $member) {');
    // A second run or a race must not throw on "already a member".
    expect(step).toContain('if (@(Get-RemoteManagementUserSid -GroupName $groupName) -notcontains $sid) {');
    const modern = Buffer.from(files!.get('every-branch/hosts/exch02.fabrikam.com/04-remote-management-users.ps1')!).toString('utf8');
    expect(modern).toContain("Add-LocalGroupMember -SID 'S-1-5-32-580' -Member $sid");
    expect(modern).toContain("StartsWith('MemberExists')");
    const verify = read('verify.ps1');
    expect(verify).toContain('Write-Check -Ok ($memberSids -contains $sid)');
    expect(verify).not.toContain('($output -contains $member)');
  });

  it('looks up back ends of another forest in their own domain and says so in PLAN.md', async () => {
    const { plan, files } = await generateSpec('test/fixtures/generate/every-branch.yaml');
    const dc = plan!.hosts.find((h) => h.host === 'dc01.fabrikam.com')!;
    const backends = dc.steps.filter(isScript('ad-delegation')).flatMap((s) => (!s.data.unconstrained && 'backend' in s.data ? [s.data.backend] : []));
    expect(backends).toEqual([
      { display: 'CONTOSO\\svc_sql', server: 'corp.contoso.com', ldapFilter: '(sAMAccountName=svc_sql)' },
      { display: 'exch01.fabrikam.com', server: 'fabrikam.com', ldapFilter: '(&(objectClass=computer)(dNSHostName=exch01.fabrikam.com))' },
      { display: 'files01.corp.contoso.com', server: 'corp.contoso.com', ldapFilter: '(&(objectClass=computer)(dNSHostName=files01.corp.contoso.com))' },
      { display: 'svc_tail@tailspin.com', server: 'tailspin.com', ldapFilter: '(userPrincipalName=svc_tail@tailspin.com)' },
    ]);
    const planText = Buffer.from(files!.get('every-branch/PLAN.md')!).toString('utf8');
    expect(planText).toContain('Back end files01.corp.contoso.com lives in corp.contoso.com, outside fabrikam.com');
    expect(planText).not.toContain('Back end exch01.fabrikam.com lives in');
    // Tickets cached before the delegation change do not carry it: the run order says so.
    expect(planText).toContain("restart the sync service (or run klist purge in its context) before its first connection");
    expect(planText).toContain('klist purge -li 0x3e7');
  });

  it('rejects resource-based delegation without a back end and with the old principals key', async () => {
    const base = (delegation: string) => `version: 1
environment: lab
forests: [{ name: fabrikam.com, domainControllers: [{ host: dc01.fabrikam.com }] }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    delegation: ${delegation}
syncServers: []
`;
    const old = await checkText('spec.yaml', base('{ mode: resource-based, principals: [sync01.fabrikam.com] }'));
    expect(old.report.diagnostics.some((d) => d.severity === 'error' && d.message.includes('principals'))).toBe(true);
    const empty = await generateText('spec.yaml', base('{ mode: resource-based }'), options);
    // The schema requires delegateTo with resource-based, so validate refuses it as generate does.
    expect(empty.report.diagnostics.map((d) => `${d.ruleId} ${d.message}`)).toContain('schema-required exchange[0].delegation is missing the required key delegateTo');
    expect(empty.files).toBeUndefined();
  });

  it('turns client certificate handling into IIS sslFlags and profiles into the firewall forms of each release', async () => {
    const { plan } = await generateSpec('test/fixtures/generate/every-branch.yaml');
    const step = <K extends TemplateName>(host: string, template: K) => plan!.hosts.find((h) => h.host === host)!.steps.find(isScript(template))!;
    expect(step('exch01.fabrikam.com', 'powershell-virtual-directory').data).toMatchObject({ requireSsl: true, negotiateCertificate: true, requireCertificate: true });
    expect(step('exch02.fabrikam.com', 'powershell-virtual-directory').data).toMatchObject({ requireSsl: false, negotiateCertificate: true, requireCertificate: false });
    const rules = step('exch02.fabrikam.com', 'firewall').data.rules;
    expect(rules[0]).toMatchObject({ profiles: ['Domain', 'Private'], netshProfiles: 'domain,private', profileMask: 3 });
    expect(plan!.firewallRules.filter((r) => r.host === 'exch01.fabrikam.com').map((r) => `${r.port} ${r.remoteAddresses.join(',')}`)).toEqual(['80 10.1.0.30,10.9.0.0/24', '443 10.2.3.11,10.9.0.0/24', '5986 10.3.0.30,10.9.0.0/24']);
  });

  it('sets only the client authentication mechanisms the spec names', async () => {
    const { plan } = await generateSpec('test/fixtures/generate/every-branch.yaml');
    const client = plan!.hosts.find((h) => h.host === 'sync01.corp.contoso.com')!.steps.filter(isScript('winrm-settings')).find((s) => s.fileName.endsWith('winrm-client.ps1'))!;
    expect(client.data.settings.map((s) => s.path)).toEqual([
      'WSMan:\\localhost\\Client\\Auth\\Kerberos',
      'WSMan:\\localhost\\Client\\Auth\\Basic',
      'WSMan:\\localhost\\Client\\AllowUnencrypted',
    ]);
  });

  it('reports unresolved references as located diagnostics instead of throwing', async () => {
    const broken = CROSS_FOREST.replace('exchange: exch02.fabrikam.com,', 'exchange: exch99.fabrikam.com,').replace('  - host: exch01.fabrikam.com\n    forest: fabrikam.com', '  - host: exch01.fabrikam.com\n    forest: nowhere.com');
    const { plan, report } = await generateText('spec.yaml', broken, options);
    expect(plan).toBeUndefined();
    const errors = (r: typeof report) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${r.source!.position(d.range.start).line} ${d.ruleId}`);
    // The rules read them from the model (explicit nulls), so generation stops before the plan.
    expect(errors(report)).toEqual(['23 unknown-forest', '35 connection-unknown-exchange']);
    // Neither can be waived, so no waiver lets generation reach the plan with them; the model,
    // total over schema-valid specs, does not throw when handed such a spec directly.
    expect(report.diagnostics.filter((d) => d.severity === 'error').every((d) => d.waivable === false)).toBe(true);
    const { spec } = await checkText('spec.yaml', broken);
    expect(() => model({ spec: spec!, specPath: 'spec.yaml', specSha256: '0'.repeat(64), toolVersion: '0.0.0-test' })).not.toThrow();
  });
});

describe('PowerShell virtual directory', () => {
  const VDIR = (fields: string) => `version: 1
environment: lab
forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
    preferIPv4: prefix-policy
    winrm:
      listeners:
        - transport: http
    powershellVirtualDirectory: ${fields}
`;
  const stepText = async (fields: string, path: string) => {
    const { files } = await generateText('spec.yaml', VDIR(fields), options);
    const key = [...files!.keys()].find((k) => k.startsWith('lab/hosts/exch01.fabrikam.com/') && k.endsWith(path));
    return key === undefined ? undefined : Buffer.from(files!.get(key)!).toString('utf8');
  };

  it('sets and checks only the settings the spec names, leaving the others as installed', async () => {
    const step = (await stepText('{ clientCertificates: accept }', '-powershell-virtual-directory.ps1'))!;
    expect(step).toContain('$wanted = [ordered]@{}\r\n$appcmd');
    expect(step).not.toMatch(/WindowsAuthentication'\] =|BasicAuthentication'\] =|RequireSSL'\] =/);
    expect(step).toContain('$manageCertificates = $true');
    expect(step).toContain('$manageSsl = (-not $exchangeShell) -and $false');
    const verify = (await stepText('{ clientCertificates: accept }', '/verify.ps1'))!;
    expect(verify).not.toContain('Get-PowerShellVirtualDirectory -Server');
    expect(verify).not.toContain("'sslFlags Ssl (Require SSL) as the spec says'");
    expect(verify).toContain('client certificates as the spec says');

    const named = (await stepText('{ windowsAuthentication: true, requireSsl: false }', '-powershell-virtual-directory.ps1'))!;
    expect(named).toContain("$wanted['WindowsAuthentication'] = $true");
    expect(named).toContain("$wanted['RequireSSL'] = $false");
    expect(named).not.toContain("$wanted['BasicAuthentication']");
    expect(named).toContain("$sections['system.webServer/security/authentication/windowsAuthentication'] = $true");
    expect(named).toContain('$manageCertificates = $false');
  });

  it('makes no step for a block that names no setting', async () => {
    expect(await stepText('{}', '-powershell-virtual-directory.ps1')).toBeUndefined();
    expect(await stepText('{}', '/verify.ps1')).not.toContain('PowerShell virtual directory');
  });

  it('runs last before the WinRM steps and tells the operator about the app pool recycle', async () => {
    const { plan } = await generateText('spec.yaml', VDIR('{ basicAuthentication: false }'), options);
    const host = plan!.hosts.find((h) => h.host === 'exch01.fabrikam.com')!;
    const kinds = host.steps.map((s) => s.template);
    const vdirAt = kinds.indexOf('powershell-virtual-directory');
    expect(vdirAt).toBeGreaterThan(0);
    expect(kinds.slice(vdirAt + 1).every((k) => k.startsWith('winrm-') && k !== 'winrm-service')).toBe(true);
    expect(host.notes.join(' ')).toContain('MSExchangePowerShellFrontEndAppPool');
    const step = (await stepText('{ basicAuthentication: false }', '-powershell-virtual-directory.ps1'))!;
    expect(step).toContain("take effect when ' + 'MSExchangePowerShellFrontEndAppPool' + ' recycles");
    expect(step).toContain('recycle-powershell-app-pool.ps1');
  });
});

describe('front-end /PowerShell as Exchange 2013 and later install it', () => {
  const SPEC = (version: string, fields: string) => `version: 1
environment: lab
forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
${version ? `    exchangeVersion: ${version}\n` : ''}    winrm:
      listeners:
        - transport: http
    powershellVirtualDirectory: ${fields}
`;
  const generated = async (version: string, fields: string) => {
    const { plan, files } = await generateText('spec.yaml', SPEC(version, fields), options);
    const text = (suffix: string) => {
      const key = [...files!.keys()].find((k) => k.startsWith('lab/hosts/exch01.fabrikam.com/') && k.endsWith(suffix));
      return key === undefined ? undefined : Buffer.from(files!.get(key)!).toString('utf8');
    };
    return { plan: plan!, host: plan!.hosts.find((h) => h.host === 'exch01.fabrikam.com')!, text, planMd: text('PLAN.md') ?? Buffer.from(files!.get('lab/PLAN.md')!).toString('utf8') };
  };

  it('describes the installed state as every authentication type off (CSS-Exchange E19_applicationHost_Default.config)', async () => {
    const { host } = await generated('exchange-2019', '{ requireSsl: false }');
    const step = host.steps.find((s) => s.template === 'powershell-virtual-directory')!;
    const text = step.description.join(' ');
    expect(text).not.toContain('Windows authentication on');
    expect(text).toContain('Basic and Windows authentication off');
    expect(text).toContain('kerbauth');
  });

  it('warns about HealthChecker for every authentication type the spec turns on, and for no other change', async () => {
    const windows = (await generated('exchange-2019', '{ windowsAuthentication: true }')).text('-powershell-virtual-directory.ps1')!;
    expect(windows).toContain("Write-Warning -Message ('Windows authentication' + ' on ' + $site");
    expect(windows).toContain('HealthChecker reports any authentication enabled on this virtual directory as unsupported');
    const both = (await generated('exchange-2019', '{ basicAuthentication: true, windowsAuthentication: true }')).text('-powershell-virtual-directory.ps1')!;
    expect(both).toContain("('Basic authentication and Windows authentication' + ' on ' + $site");
    expect(both).toContain('Keep Basic on a dedicated publishing CAS');
    const off = (await generated('exchange-2019', '{ basicAuthentication: false, windowsAuthentication: false }')).text('-powershell-virtual-directory.ps1')!;
    expect(off).not.toMatch(/Write-Warning[^\r\n]*HealthChecker/);
    expect(windows).toMatch(/Write-Warning[^\r\n]*HealthChecker/);
    const notes = (await generated('exchange-2019', '{ windowsAuthentication: true }')).host.notes.join(' ');
    expect(notes).toContain('Windows authentication on exch01.fabrikam.com/PowerShell is reported as unsupported by the Exchange HealthChecker');
  });

  it('names the front-end application pool by Exchange version', async () => {
    for (const [version, pool, other] of [
      ['exchange-2013', 'MSExchangePowerShellFrontEndAppPool', 'MSExchangePowerShellAppPool'],
      ['exchange-2019', 'MSExchangePowerShellFrontEndAppPool', 'MSExchangePowerShellAppPool'],
      ['exchange-se', 'MSExchangePowerShellFrontEndAppPool', 'MSExchangePowerShellAppPool'],
      ['exchange-2010', 'MSExchangePowerShellAppPool', 'MSExchangePowerShellFrontEndAppPool'],
    ] as const) {
      const { host, text } = await generated(version, '{ requireSsl: false }');
      const all = [host.notes.join(' '), ...host.steps.flatMap((s) => s.description), text('-powershell-virtual-directory.ps1')!, text('recycle-powershell-app-pool.ps1')!].join('\n');
      expect(all, version).toContain(pool);
      // The back-end pool is named only to say that it is not the one recycled.
      expect(all.replaceAll(`not ${other}`, ''), version).not.toMatch(new RegExp(`\\b${other}\\b`));
    }
  });

  it('makes the recycle an explicit run-order stage of its own, after the host run-all, that checks before it recycles', async () => {
    const { plan, host, text } = await generated('exchange-2016', '{ basicAuthentication: false }');
    expect(host.steps.map((s) => s.template)).not.toContain('recycle-app-pool');
    const recycle = host.extras.find((s) => s.fileName === 'recycle-powershell-app-pool.ps1')!;
    expect(recycle.kind).toBe('change');
    const order = plan.runOrder.map((s) => s.path);
    expect(order.slice(0, 2)).toEqual(['hosts/exch01.fabrikam.com/run-all.ps1', 'hosts/exch01.fabrikam.com/recycle-powershell-app-pool.ps1']);
    expect(plan.runOrder[1]!.why).toContain('ends every remote PowerShell session');
    const script = text('recycle-powershell-app-pool.ps1')!;
    expect(script).toContain("$pool = 'MSExchangePowerShellFrontEndAppPool'");
    expect(script).toMatch(/if \(\$PSCmdlet\.ShouldProcess\([^\r\n]*\)\) \{\r\n\s+Import-Module -Name 'WebAdministration'\r\n\s+Restart-WebAppPool -Name \$pool/);
    expect(script).toContain('$Needed.Add($change)');
    expect(text('run-all.ps1')).not.toContain('recycle-powershell-app-pool.ps1');
    // Run from a plain elevated console: the Exchange Management Shell session is one that drops.
    expect(script).toContain('Run from an elevated Windows PowerShell 5.1 console (64-bit).');
    // No virtual directory step, no recycle.
    const none = await generated('exchange-2016', '{}');
    expect(none.host.extras.map((s) => s.fileName)).not.toContain('recycle-powershell-app-pool.ps1');
    expect(none.plan.runOrder.map((s) => s.path)).not.toContain('hosts/exch01.fabrikam.com/recycle-powershell-app-pool.ps1');
  });
});

describe('review follow-ups in the generated scripts', () => {
  const read = async (path: string) => {
    const { files } = await generateSpec('test/fixtures/generate/every-branch.yaml');
    return Buffer.from(files!.get(`every-branch/hosts/${path}`)!).toString('utf8');
  };

  it('adds the DisabledComponents bits to the value already there instead of replacing it', async () => {
    const text = await read('exch01.fabrikam.com/05-ipv4-preference.ps1');
    expect(text).toContain('$desired = [int]$current -bor $wantedBits');
    expect(text).toContain('IPv6 is disabled here (bit 0x10)');
  });

  it('lets a -WhatIf preview go on when WinRM is stopped, and runs the remoting cmdlets with strict mode off', async () => {
    const text = await read('exch01.fabrikam.com/02-enable-remoting.ps1');
    expect(text).toMatch(/if \(\$WhatIfPreference\) \{\r\n[^\r\n]*\r\n[^\r\n]*not previewed[^\r\n]*\r\n\s+exit 0/);
    expect(text).toMatch(/function Test-RemotingEnabled \{\r\n    Set-StrictMode -Off\r\n/);
    expect(text).toMatch(/function Enable-Remoting \{[\s\S]*?Set-StrictMode -Off\r\n    Enable-PSRemoting -SkipNetworkProfileCheck -Force/);
    expect(text).not.toMatch(/^        Enable-PSRemoting/m);
  });

  it('reports a policy-controlled WinRM setting as set by Group Policy and never writes it', async () => {
    const text = await read('exch01.fabrikam.com/09-winrm-service-auth.ps1');
    expect(text).toContain("@{ Path = 'WSMan:\\localhost\\Service\\Auth\\Basic'; Value = 'true'; PolicyKey = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service'; PolicyName = 'AllowBasic'; PolicyElement = ''; PolicyTitle = 'Windows Remote Management (WinRM) > WinRM Service > Allow Basic authentication' }");
    expect(text).toContain("PolicyName = 'CBTHardeningLevelStatus'; PolicyElement = 'CbtHardeningLevel'");
    expect(text).toContain("': set by Group Policy: '");
    // The policy check comes before the local read, so a governed setting is never written.
    expect(text.indexOf('Test-PolicySetting -Setting $setting.Path')).toBeLessThan(text.indexOf('Set-WSManSetting -Path $setting.Path'));
    const client = await read('sync01.corp.contoso.com/03-winrm-client.ps1');
    expect(client).toContain("PolicyKey = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client'");
  });

  it('evaluates the HTTP SPN owners in verify.ps1 and reports self-signed TLS failures as expected', async () => {
    const text = await read('exch01.fabrikam.com/verify.ps1');
    expect(text).not.toContain('setspn.exe');
    expect(text).toContain("$ok = ($owners.Count -eq 0) -or (($owners.Count -eq 1) -and ($names[0] -eq $computerAccount))");
    expect(text).toContain("Get-Command -Name 'Get-ADObject'");
    expect(text).toContain('SelfSigned = $true');
    expect(text).toContain('EXPECTED Test-WSMan');
  });

  it('says where to run run-all.ps1 once in its help', async () => {
    const text = await read('exch01.fabrikam.com/run-all.ps1');
    expect(text.match(/Run (it )?from the Exchange Management Shell/g)).toHaveLength(1);
  });
});

describe('troubleshooting rows name the hosts their cause applies to', () => {
  it('sends Access denied to the step only where one exists, and names the Require SSL and IPv4-only hosts', async () => {
    const { plan } = await generateSpec('test/fixtures/generate/every-branch.yaml');
    const row = (symptom: string) => plan!.troubleshooting.find((r) => r.symptom.startsWith(symptom))!;
    expect(row('Access is denied').cause).toContain('Remote Management Users on exch01.fabrikam.com');
    expect(row('Access is denied').cause).not.toContain('exch02');
    expect(row('Access is denied').fix).toContain('remote-management-users step on exch01.fabrikam.com');
    expect(row('HTTP 403').cause).toContain('virtual directory of exch01.fabrikam.com (the spec asks for it)');
    expect(row('Connection refused by host name').cause).toContain('WinRM on exch01.fabrikam.com listens on IPv4 only');
    const galsync = await generateExample('galsync-fim-kerberos.yaml');
    const gRow = (symptom: string) => galsync.plan!.troubleshooting.find((r) => r.symptom.startsWith(symptom))!;
    // Only /PowerShell connections: Exchange RBAC decides, no WinRM group row.
    expect(gRow('Access is denied')).toBeUndefined();
    // The virtual directory step there sets requireSsl: false, so a step does change it.
    expect(gRow('HTTP 403').fix).not.toContain('No step changes it');
    expect(gRow('HTTP 403').fix).toContain('powershell-virtual-directory step on cas01.fabrikam.com (requireSsl: false)');
  });

  const symptoms = (plan: { troubleshooting: { symptom: string }[] }) => plan.troubleshooting.map((r) => r.symptom);

  it('emits each row only where its cause can occur', async () => {
    // Basic only: no Kerberos rows.
    const basicOnly = (await generateText('spec.yaml', `version: 1
environment: lab
forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
    winrm:
      listeners: [{ transport: https, certificate: { thumbprint: 6A8D7E5537D441190FD72C7C2E879A064072CE0F, dnsNames: [exch01.fabrikam.com] } }]
      auth: { basic: true }
syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_sync'
    winrmClient: { auth: { basic: true } }
    connections:
      - { exchange: exch01.fabrikam.com, uri: 'https://exch01.fabrikam.com:5986/wsman', authentication: basic }
`, options)).plan!;
    expect(symptoms(basicOnly).length).toBeGreaterThan(0);
    for (const kerberos of ['"Access denied" in the event log', 'Error 0x80090311', 'Kerberos error on a VIP', 'Authentication takes 3-4 minutes', 'Kerberos fails since']) {
      expect(symptoms(basicOnly).some((s) => s.startsWith(kerberos)), kerberos).toBe(false);
    }
    // A proxy: its rows, with its names.
    const arr = (await generateExample('exchange-arr-publishing.yaml')).plan!;
    expect(symptoms(arr)).toContain('HTTP 502 from https://mail.contoso.com/PowerShell');
    // No proxy: no proxy rows at all.
    const galsync = (await generateExample('galsync-fim-kerberos.yaml')).plan!;
    expect(symptoms(galsync).filter((s) => /502|through the reverse proxy|from outside/.test(s))).toEqual([]);
    expect(symptoms(galsync).some((s) => s.startsWith('Error 0x80090311'))).toBe(true);
    // /wsman only: no virtual directory or RBAC rows.
    const mono = (await generateExample('monosync-https-delegation.yaml')).plan!;
    expect(symptoms(mono).filter((s) => /^HTTP 40[03]|Few cmdlets/.test(s))).toEqual([]);
    expect(symptoms(mono).some((s) => s.startsWith('Access is denied'))).toBe(true);
  });

  it('names in each row only the sync servers, accounts, servers and domain controllers its cause can concern', async () => {
    const mixed = (await generateText('spec.yaml', `version: 1
environment: lab
forests:
  - name: fabrikam.com
    netbiosName: FABRIKAM
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
    trusts: [{ forest: tailspin.com }]
  - name: tailspin.com
    netbiosName: TAILSPIN
    domainControllers: [{ host: dc01.tailspin.com, ip: 10.3.0.10 }]
    trusts: [{ forest: fabrikam.com }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.21
    powershellVirtualDirectory: { requireSsl: false }
  - host: exch03.tailspin.com
    forest: tailspin.com
    ip: 10.3.0.23
    remoteManagementUsers: ['TAILSPIN\\svc_basic']
    winrm:
      listeners: [{ transport: https, certificate: { thumbprint: 6A8D7E5537D441190FD72C7C2E879A064072CE0F, dnsNames: [exch03.tailspin.com] } }]
      auth: { basic: true }
syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.30
    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_kerb'
    connections:
      - { exchange: exch01.fabrikam.com, uri: 'http://exch01.fabrikam.com/PowerShell/', authentication: kerberos }
  - host: sync02.tailspin.com
    forest: tailspin.com
    ip: 10.3.0.30
    product: monosync
    serviceAccount: 'TAILSPIN\\svc_basic'
    winrmClient: { auth: { basic: true } }
    connections:
      - { exchange: exch03.tailspin.com, uri: 'https://exch03.tailspin.com:5986/wsman', authentication: basic }
`, options)).plan!;
    const row = (symptom: string) => mixed.troubleshooting.find((r) => r.symptom.startsWith(symptom))!;
    // Kerberos: sync01 to exch01 only; the domain controllers of fabrikam.com only.
    const kdc = row('"Access denied" in the event log');
    expect(kdc.cause).toBe('TCP/UDP 88 blocked from sync01.fabrikam.com to dc01.fabrikam.com');
    expect(row('Kerberos error on a VIP').fix).toContain('(exch01.fabrikam.com)');
    expect(row('Kerberos fails since').cause).toContain('FABRIKAM\\svc_kerb,');
    expect(row('Kerberos fails since').cause).not.toContain('svc_basic');
    // WinRM access: the /wsman account only; RBAC and HTTP 403: the /PowerShell ones only.
    expect(row('Access is denied on Enter-PSSession').cause).toMatch(/^TAILSPIN\\svc_basic not in/);
    expect(row('Few cmdlets').cause).toBe('Exchange RBAC roles of FABRIKAM\\svc_kerb');
    expect(row('HTTP 403 Forbidden').cause).toContain('exch01.fabrikam.com');
    expect(row('HTTP 403 Forbidden').cause).not.toContain('exch03');
    expect(row('Connection refused by host name').cause).toMatch(/^sync02\.tailspin\.com resolves IPv6/);
  });

  it('does not give a backend certificate naming another host as a cause of HTTP 502: ARR ignores the name', async () => {
    const arr = (await generateExample('exchange-arr-publishing.yaml')).plan!;
    const row = arr.troubleshooting.find((r) => r.symptom.startsWith('HTTP 502'))!;
    // KB 2693489 (iis-docs, "ARR: Support Added for WINHTTP_OPTION_SECURITY_FLAGS"): SECURITY_FLAG_IGNORE_CERT_CN_INVALID is the default.
    expect(row.cause).not.toMatch(/names another host|naming the backend/);
    expect(row.fix).not.toContain('naming the backend');
    expect(row.cause).toContain('ARR ignores a backend certificate name mismatch by default (KB 2693489');
  });

  it('adds delegation rows with this environment\'s names where delegation is declared', async () => {
    const mono = (await generateExample('monosync-https-delegation.yaml')).plan!;
    const row = (symptom: string) => mono.troubleshooting.find((r) => r.symptom.startsWith(symptom));
    expect(row('Second hop denied')!.cause).toContain('exch01.monofor.com');
    expect(row('Second hop denied')!.cause).toContain('Doesn\'t support the second hop for WinRM');
    expect(row('Second hop denied')!.fix).toContain('vendor');
    expect(row('Delegation works for some accounts only')!.cause).toContain('MONOFOR\\monosync_svc');
    expect(row('Delegation works for some accounts only')!.cause).toMatch(/sensitive and cannot be delegated.*Protected Users/);
    // Same forest: no TGT row.
    expect(row('Unconstrained delegation receives no forwarded ticket')).toBeUndefined();
    const cross = (await generateText('spec.yaml', CROSS_FOREST, options)).plan!;
    const tgt = cross.troubleshooting.find((r) => r.symptom.startsWith('Unconstrained delegation receives no forwarded ticket'))!;
    expect(tgt.cause).toContain('exch02.fabrikam.com');
    expect(tgt.cause).toContain('corp.contoso.com');
    expect(tgt.fix).toContain('netdom trust fabrikam.com /domain:corp.contoso.com /EnableTGTDelegation:Yes');
    // No delegation: no delegation rows.
    const galsync = (await generateExample('galsync-fim-kerberos.yaml')).plan!;
    expect(symptoms(galsync).filter((s) => /Second hop|Delegation works|forwarded ticket/.test(s))).toEqual([]);
  });
});

describe('second hop and delegation wording', () => {
  it('never presents resource-based delegation as the drop-in for TrustedForDelegation, and names what the second hop reaches', async () => {
    const mono = await generateExample('monosync-https-delegation.yaml');
    const dc = mono.plan!.hosts.find((h) => h.role === 'domain-controller')!;
    const text = [...dc.notes, ...dc.steps.flatMap((s) => s.description)].join(' ');
    expect(text).not.toContain('safer alternative');
    expect(text).toContain('not a drop-in equivalent');
    expect(text).toContain('Doesn\'t support the second hop for WinRM');
    expect(text).toContain('the vendor must confirm');
    const cross = (await generateText('spec.yaml', CROSS_FOREST, options)).plan!;
    const crossDc = cross.hosts.find((h) => h.role === 'domain-controller')!;
    const unconstrained = crossDc.steps.find((s) => s.stepName.includes('delegation-exch02'))!;
    expect(unconstrained.description.join(' ')).not.toContain('safer alternative');
    expect(unconstrained.description.join(' ')).toContain('Doesn\'t support the second hop for WinRM');
    // Setting TrustedForDelegation needs a user right.
    expect(unconstrained.description.join(' ')).toContain('"Enable computer and user accounts to be trusted for delegation" user right (SeEnableDelegationPrivilege)');
  });

  it('gives netdom in the documented order without the old advice to swap the names', async () => {
    const cross = await generateText('spec.yaml', CROSS_FOREST, options);
    const key = [...cross.files!.keys()].find((k) => k.includes('tgt-delegation'))!;
    const text = Buffer.from(cross.files!.get(key)!).toString('utf8');
    expect(text).not.toMatch(/swap the two names|Unconfirmed|unconfirmed/);
    expect(text).toContain("'  2. Enable it:               netdom trust ' + $trusting + ' /domain:' + $trusted + ' /EnableTGTDelegation:Yes'");
    expect(text).not.toContain('Resource-based constrained delegation (delegation.mode: resource-based) avoids it');
  });
});

describe('PLAN.md says how to start the scripts and where', () => {
  it('names the hosts that need the Exchange Management Shell at the top, and how to start a script under any execution policy', async () => {
    const { files } = await generateExample('exchange-arr-publishing.yaml');
    const plan = Buffer.from(files!.get('contoso-arr/PLAN.md')!).toString('utf8');
    const top = plan.slice(0, plan.indexOf('## Run order'));
    expect(top).toContain('from the Exchange Management Shell, elevated, on exch1.contoso.com');
    expect(top).not.toMatch(/On each host, copy its folder and run `run-all.ps1` from an elevated Windows PowerShell 5.1 console \(64-bit\);/);
    expect(top).toContain('powershell.exe -ExecutionPolicy Bypass -File .\\run-all.ps1');
    expect(top).toContain('Unblock-File');
    expect(top).toContain('sign');
  });
});

describe('PLAN.md rendered alone', () => {
  it('is the same bytes as in the whole tree, for every example and fixture', async () => {
    const { generatedSpecs } = await import('./helpers/generate.js');
    for (const spec of generatedSpecs) {
      const text = readFileSync(join(repoRoot, spec), 'utf8');
      const options = { specPath: spec, toolVersion: '0.0.0' };
      const whole = await generateText(spec, text, options);
      const alone = await generateText(spec, text, { ...options, planOnly: true });
      const name = `${whole.plan!.environment.name}/PLAN.md`;
      expect([...alone.files!.keys()], spec).toEqual([name]);
      expect(Buffer.from(alone.files!.get(name)!).equals(Buffer.from(whole.files!.get(name)!)), spec).toBe(true);
    }
  });
});

describe('Kerberos AES checks on the AD side (KB5073381)', () => {
  // The sync account lives in corp.contoso.com, which declares no domain controller; fabrikam.com does.
  const ACCOUNT_FOREST_WITHOUT_DC = `version: 1
environment: lab
forests:
  - name: corp.contoso.com
    netbiosName: CONTOSO
    trusts: [{ forest: fabrikam.com }]
  - name: fabrikam.com
    netbiosName: FABRIKAM
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }, { host: dc02.fabrikam.com, ip: 10.2.0.11 }]
exchange:
  - { host: exch01.fabrikam.com, forest: fabrikam.com, ip: 10.2.0.21 }
syncServers:
  - host: sync01.corp.contoso.com
    forest: corp.contoso.com
    ip: 10.1.0.30
    product: mim-2016
    serviceAccount: 'CONTOSO\\svc_sync'
    connections:
      - { exchange: exch01.fabrikam.com, uri: 'http://exch01.fabrikam.com/PowerShell/', authentication: kerberos }
`;

  it('reads each party in its own forest: the Exchange computer and the trust object on the first DC of fabrikam.com, with every DC of it for the events', async () => {
    const { plan } = await generateText('spec.yaml', ACCOUNT_FOREST_WITHOUT_DC, options);
    const dcs = plan!.hosts.filter((h) => h.role === 'domain-controller');
    expect(dcs.map((h) => h.host)).toEqual(['dc01.fabrikam.com']);
    const dc = dcs[0]!;
    expect(dc.steps).toEqual([]);
    const verify = scriptOf(dc.verify, 'verify-domain-controller');
    expect(verify.data.kerberos).toEqual({
      users: [],
      computers: [{ host: 'exch01.fabrikam.com', server: 'fabrikam.com', distinguishedName: null, ldapFilter: '(&(objectClass=computer)(dNSHostName=exch01.fabrikam.com))' }],
      trusts: [{ holder: 'fabrikam.com', partner: 'corp.contoso.com', searchBase: 'CN=System,DC=fabrikam,DC=com' }],
      kdcs: ['dc01.fabrikam.com', 'dc02.fabrikam.com'],
      days: 7,
    });
    expect(plan!.runOrder.find((s) => s.host === 'dc01.fabrikam.com' && s.script === 'run-all.ps1')!.why).toContain('runs none and changes nothing');
  });

  it('tells the operator what to check by hand in a forest without a declared domain controller', async () => {
    const { plan } = await generateText('spec.yaml', ACCOUNT_FOREST_WITHOUT_DC, options);
    const note = plan!.notes.find((n) => n.startsWith('Kerberos AES (KB5073381): corp.contoso.com declares no domain controller'));
    expect(note).toBeDefined();
    expect(note).toContain('the account CONTOSO\\svc_sync');
    expect(note).toContain('the trusted domain object for fabrikam.com (CN=fabrikam.com,CN=System,DC=corp,DC=contoso,DC=com)');
    expect(note).toContain('event 201 to 209 from the last 7 days');
    expect(plan!.hosts.some((h) => h.host === 'ad-admin.corp.contoso.com')).toBe(false);
  });

  it('reads nothing for a connection that does not use Kerberos', async () => {
    const basic = ACCOUNT_FOREST_WITHOUT_DC.replace("uri: 'http://exch01.fabrikam.com/PowerShell/', authentication: kerberos", "uri: 'https://exch01.fabrikam.com/PowerShell/', authentication: basic");
    const { plan, report } = await generateText('spec.yaml', basic, options);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan!.notes.some((n) => n.startsWith('Kerberos AES'))).toBe(false);
    expect(plan!.hosts.filter((h) => h.role === 'domain-controller')).toEqual([]);
  });
});

describe("the sync account's forest, when a parent and a child forest both match its domain", () => {
  // contoso.com and eu.contoso.com both end the account's domain; the account lives in the more specific one.
  const forests = {
    parent: `  - name: contoso.com
    netbiosName: CONTOSO
    trusts: [{ forest: eu.contoso.com }]
    domainControllers: [{ host: dc01.contoso.com, ip: 10.1.0.10 }]
`,
    child: `  - name: eu.contoso.com
    netbiosName: EU
    trusts: [{ forest: contoso.com }]
    domainControllers: [{ host: dc01.eu.contoso.com, ip: 10.3.0.10 }]
`,
  };
  const spec = (account: string, order: 'parent first' | 'child first') => `version: 1
environment: lab
forests:
${order === 'parent first' ? forests.parent + forests.child : forests.child + forests.parent}exchange:
  - { host: exch01.contoso.com, forest: contoso.com, ip: 10.1.0.21, delegation: { mode: unconstrained } }
syncServers:
  - host: sync01.contoso.com
    forest: contoso.com
    ip: 10.1.0.30
    product: mim-2016
    serviceAccount: '${account}'
    connections:
      - { exchange: exch01.contoso.com, uri: 'http://exch01.contoso.com/PowerShell/', authentication: kerberos }
waivers:
  - { rule: unconstrained-delegation, host: exch01.contoso.com, reason: 'Exercises the account forest of the delegation checks.' }
  - { rule: delegation-tgt-across-trust, host: exch01.contoso.com, reason: 'Exercises the account forest of the delegation checks.' }
`;

  for (const account of ['svc_sync@eu.contoso.com', 'eu.contoso.com\\svc_sync']) {
    for (const order of ['parent first', 'child first'] as const) {
      it(`puts ${account} in eu.contoso.com for the rules and the domain controllers' checks alike (${order})`, async () => {
        const { plan, report } = await generateText('spec.yaml', spec(account, order), options);
        expect(report.diagnostics.filter((d) => d.severity === 'error' && !d.waived)).toEqual([]);
        // The rule: the delegated ticket is the account's, from eu.contoso.com across the trust.
        const tgt = report.diagnostics.filter((d) => d.ruleId === 'delegation-tgt-across-trust');
        expect(tgt.map((d) => d.message)).toEqual([expect.stringContaining('for accounts of eu.contoso.com')]);
        // The plan: the account is read on the DC of eu.contoso.com, and each side's trust object on its own DC.
        const kerberosOf = (dcHost: string) => {
          const dc = plan!.hosts.find((h) => h.host === dcHost);
          expect(dc, `${dcHost} runs verify.ps1`).toBeDefined();
          return scriptOf(dc!.verify, 'verify-domain-controller').data.kerberos;
        };
        expect(kerberosOf('dc01.eu.contoso.com')).toMatchObject({
          users: [{ display: account, server: 'eu.contoso.com' }],
          computers: [],
          trusts: [{ holder: 'eu.contoso.com', partner: 'contoso.com' }],
        });
        expect(kerberosOf('dc01.contoso.com')).toMatchObject({
          users: [],
          computers: [{ host: 'exch01.contoso.com', server: 'contoso.com' }],
          trusts: [{ holder: 'contoso.com', partner: 'eu.contoso.com' }],
        });
      });
    }
  }
});
