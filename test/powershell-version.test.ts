/** The Windows PowerShell a host's scripts target: the derived default, and the versions a host cannot run. */
import { describe, expect, it } from 'vitest';
import { checkText, generateText } from '../src/index.js';
import { impossiblePowerShell, INBOX_POWERSHELL, powershellFacts } from '../src/model/powershell-version.js';
import type { OsVersion, PowerShellVersion } from '../src/spec/spec-types.js';

const releases = Object.keys(INBOX_POWERSHELL) as OsVersion[];

describe('derived default', () => {
  it('is 2.0 on an Exchange 2010 server of a release below 2016 and on Windows Server 2008 R2, else 5.1', () => {
    for (const os of releases) {
      expect(powershellFacts(undefined, os, 'exchange-2010').version, os).toBe(INBOX_POWERSHELL[os] === '5.1' ? '5.1' : '2.0');
      expect(powershellFacts(undefined, os, 'exchange-2013').version, os).toBe(os === 'windows-server-2008-r2' ? '2.0' : '5.1');
      expect(powershellFacts(undefined, os, null).declared).toBe(false);
    }
  });
  it('is never a version the rule refuses', () => {
    for (const os of releases) {
      for (const x of ['exchange-2010', 'exchange-2016', null] as const) expect(impossiblePowerShell(powershellFacts(undefined, os, x).version, os, x), `${os} ${x}`).toBeNull();
    }
  });
  it('gives the declared version and says so', () => {
    const f = powershellFacts('4.0', 'windows-server-2008-r2', 'exchange-2010');
    expect(f).toMatchObject({ version: '4.0', declared: true, legacy: true, v2: false });
    expect(f.reason).toContain("powershell: '4.0'");
  });
});

describe('powershell-version-impossible', () => {
  const spec = (os: OsVersion, exchangeVersion: string, ps: PowerShellVersion, syncOs: OsVersion = 'windows-server-2016', syncPs?: PowerShellVersion) => `version: 1
environment: lab
forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    os: ${os}
    exchangeVersion: ${exchangeVersion}
    powershell: '${ps}'
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    os: ${syncOs}
${syncPs ? `    powershell: '${syncPs}'\n` : ''}    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_sync'
    connections:
      - exchange: exch01.fabrikam.com
        uri: http://exch01.fabrikam.com/PowerShell/
        authentication: kerberos
`;
  const ids = async (text: string) => (await checkText('spec.yaml', text)).report.diagnostics.filter((d) => d.ruleId === 'powershell-version-impossible').map((d) => d.message);
  const cases: [OsVersion, string, PowerShellVersion, RegExp | null][] = [
    ['windows-server-2008-r2', 'exchange-2010', '2.0', null],
    ['windows-server-2008-r2', 'exchange-2010', '4.0', null],
    ['windows-server-2008-r2', 'exchange-2010', '3.0', /does not support WMF 3\.0/],
    ['windows-server-2008-r2', 'exchange-2010', '5.1', /does not support WMF 5\.1/],
    ['windows-server-2012', 'exchange-2010', '3.0', null],
    ['windows-server-2012-r2', 'exchange-2013', '3.0', /ships Windows PowerShell 4\.0, which cannot be removed/],
    ['windows-server-2016', 'exchange-2016', '4.0', /ships Windows PowerShell 5\.1/],
    ['windows-server-2016', 'exchange-2016', '2.0', null],
    ['windows-server-2022', 'exchange-se', '5.1', null],
  ];
  for (const [os, x, ps, expected] of cases) {
    it(`${x} on ${os} with ${ps}: ${expected ?? 'silent'}`, async () => {
      const found = await ids(spec(os, x, ps));
      if (expected === null) expect(found).toEqual([]);
      else expect(found).toEqual([expect.stringMatching(expected)]);
    });
  }
  it('reports 2.0 on Windows Server 2025, on a sync server too', async () => {
    expect(await ids(spec('windows-server-2016', 'exchange-2016', '5.1', 'windows-server-2025', '2.0'))).toEqual([expect.stringMatching(/^sync01\.fabrikam\.com declares Windows PowerShell 2\.0: Windows Server 2025 no longer has/)]);
  });
});

describe('domain controllers', () => {
  const spec = (defaultsOs: string | null, dcPowershell: string | null) => `version: 1
environment: lab
${defaultsOs ? `defaults:\n  os: ${defaultsOs}\n` : ''}forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10${dcPowershell ? `, powershell: '${dcPowershell}'` : ''} }, { host: dc02.fabrikam.com, ip: 10.2.0.11 }]
exchange:
  - { host: exch01.fabrikam.com, forest: fabrikam.com, os: windows-server-2016, delegation: { mode: unconstrained } }
waivers:
  - { rule: unconstrained-delegation, host: exch01.fabrikam.com, reason: 'Exercises the domain controller scripts.' }
`;
  const dcOf = async (text: string) => {
    const { plan, report } = await generateText('spec.yaml', text, { specPath: 'spec.yaml', toolVersion: '0.0.0-test' });
    expect(report.diagnostics.filter((d) => d.severity === 'error' && !d.waived)).toEqual([]);
    return plan!.hosts.find((h) => h.role === 'domain-controller')!;
  };

  it('derive their version from defaults.os as other hosts do (they have no os field): 2.0 on Windows Server 2008 R2, else 5.1', async () => {
    expect((await dcOf(spec('windows-server-2008-r2', null))).powershell?.version).toBe('2.0');
    expect((await dcOf(spec('windows-server-2012-r2', null))).powershell?.version).toBe('5.1');
    expect((await dcOf(spec(null, null))).powershell?.version).toBe('5.1');
  });

  it('take the declared version of the first domain controller, which runs the AD steps, and PLAN.md says so', async () => {
    const dc = await dcOf(spec(null, '2.0'));
    expect(dc.host).toBe('dc01.fabrikam.com');
    expect(dc.powershell).toMatchObject({ version: '2.0', declared: true });
    expect(dc.runFrom).toContain('Windows PowerShell 2.0 console');
    expect(dc.notes[0]).toContain("The scripts are written for Windows PowerShell 2.0 (declared in the spec (powershell: '2.0'))");
  });
});

describe('powershell-version-impossible on domain controllers', () => {
  const spec = (defaultsOs: string | null, ps: string) => `version: 1
environment: lab
${defaultsOs ? `defaults:\n  os: ${defaultsOs}\n` : ''}forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10, powershell: '${ps}' }]
exchange:
  - { host: exch01.fabrikam.com, forest: fabrikam.com, os: windows-server-2016 }
`;
  const found = async (text: string) => (await checkText('spec.yaml', text)).report.diagnostics.filter((d) => d.ruleId === 'powershell-version-impossible').map((d) => d.message);

  it('reports 2.0 on a domain controller of a spec whose defaults.os is Windows Server 2025', async () => {
    expect(await found(spec('windows-server-2025', '2.0'))).toEqual(['dc01.fabrikam.com declares Windows PowerShell 2.0: Windows Server 2025 no longer has the Windows PowerShell 2.0 engine (removed in that release)']);
  });
  it('says nothing when the spec states no OS for it, or the version fits', async () => {
    expect(await found(spec(null, '3.0'))).toEqual([]);
    expect(await found(spec('windows-server-2008-r2', '2.0'))).toEqual([]);
  });
});

describe('reverse proxies below 5.1', () => {
  // IIS ARR on Windows Server 2008 R2 (IIS 7.5, Windows PowerShell 2.0 in the box) in front of Exchange 2010.
  const spec = (proxyPowershell: string | null) => `version: 1
environment: lab
defaults:
  os: windows-server-2008-r2
  exchangeVersion: exchange-2010
forests:
  - name: contoso.com
    netbiosName: CONTOSO
    domainControllers: [{ host: dc01.contoso.com, ip: 10.0.0.10 }]
exchange:
  - { host: cas01.contoso.com, forest: contoso.com, ip: 10.0.1.21, dedicatedPublishing: true, powershellVirtualDirectory: { basicAuthentication: true } }
reverseProxies:
  - host: arr01.contoso.com
    ip: 10.0.3.10${proxyPowershell ? `\n    powershell: '${proxyPowershell}'` : ''}
    publishedName: remote.contoso.com
    certificate: { thumbprint: 5B2D4F6A8C0E1A3B5D7F9A1C3E5B7D9F1A3C5E7B, dnsNames: [remote.contoso.com] }
    backends: [cas01.contoso.com]
    externalClient: { account: 'CONTOSO\\ext.admin', credential: { source: prompt } }
`;
  const generate = async (text: string) => {
    const result = await generateText('spec.yaml', text, { specPath: 'spec.yaml', toolVersion: '0.0.0-test' });
    expect(result.report.diagnostics.filter((d) => d.severity === 'error' && !d.waived)).toEqual([]);
    const proxy = result.plan!.hosts.find((h) => h.role === 'reverse-proxy')!;
    const files = [...result.files!].filter(([p]) => p.startsWith('lab/hosts/arr01.contoso.com/')).map(([p, b]) => [p.slice('lab/hosts/arr01.contoso.com/'.length), Buffer.from(b).toString('utf8')] as const);
    const planMd = Buffer.from(result.files!.get('lab/PLAN.md')!).toString('utf8');
    return { proxy, files: new Map(files), planMd, result };
  };

  it('gets scripts written for Windows PowerShell 2.0 on Windows Server 2008 R2, and PLAN.md says so instead of "apply the settings by hand"', async () => {
    const { proxy, files, planMd } = await generate(spec(null));
    expect(proxy.powershell).toMatchObject({ version: '2.0', v2: true, declared: false });
    expect([...files.keys()].sort()).toEqual(['01-https-binding.ps1', '02-server-farm.ps1', '03-rewrite-rule.ps1', 'run-all.ps1', 'verify.ps1']);
    for (const [name, text] of files) {
      expect(text, name).toContain('#Requires -Version 2.0');
      expect(text, name).not.toContain('#Requires -Version 5.1');
      expect(text, name).toContain('Set-StrictMode -Version 2.0');
    }
    // The 443 certificate through HTTP.sys, the published URL without Invoke-WebRequest (3.0).
    expect(files.get('01-https-binding.ps1')).toContain("New-Item -Path 'IIS:\\SslBindings\\0.0.0.0!443' -Value (Get-Item -LiteralPath ('Cert:\\LocalMachine\\My\\' + $thumbprint))");
    expect(files.get('01-https-binding.ps1')).not.toContain('AddSslCertificate');
    expect(files.get('verify.ps1')).toContain("New-Object -TypeName 'System.Net.WebClient'");
    expect(files.get('verify.ps1')).not.toMatch(/Invoke-WebRequest -/);
    expect(proxy.runFrom).toContain('Windows PowerShell 2.0 console');
    expect(proxy.notes[0]).toContain('The scripts are written for Windows PowerShell 2.0 (Windows Server 2008 R2 ships Windows PowerShell 2.0');
    expect(proxy.notes[0]).toContain('the IIS:\\SslBindings drive for the 443 certificate, System.Net.WebClient for the published URL');
    expect(proxy.notes.join('\n')).toContain('clients/remote.contoso.com/external-client-test.ps1 stays on Windows PowerShell 5.1');
    expect(planMd).not.toMatch(/by hand|have no forms for older versions/);
    expect(planMd).toContain('The scripts are written for Windows PowerShell 2.0');
  });

  it('on a declared 4.0 keep Invoke-WebRequest (3.0 and later) and bind through HTTP.sys', async () => {
    const { proxy, files } = await generate(spec('4.0'));
    expect(proxy.powershell).toMatchObject({ version: '4.0', v2: false, legacy: true, declared: true });
    expect(files.get('verify.ps1')).toContain('Invoke-WebRequest -Uri $url -UseBasicParsing');
    expect(files.get('verify.ps1')).toContain("Get-SslBindingThumbprint -Endpoint (Get-SslEndpoint -BindingInformation ([string]$binding.bindingInformation))");
    expect(files.get('01-https-binding.ps1')).toContain('#Requires -Version 4.0');
  });

  it('fall back to 5.1, naming the script, when a template has no down-level forms', async () => {
    const { result } = await generate(spec(null));
    const { applyPowerShellTargets } = await import('../src/plan/powershell.js');
    const proxy = result.plan!.hosts.find((h) => h.role === 'reverse-proxy')!;
    const copy = { ...proxy, notes: [], runFrom: proxy.runFrom, extras: [{ ...proxy.verify, fileName: 'extra.ps1', template: 'a-template-without-older-forms' }] };
    applyPowerShellTargets(result.plan!.environment, [copy]);
    expect(copy.powershell?.version).toBe('5.1');
    expect(copy.notes[0]).toContain('its scripts are written for Windows PowerShell 5.1 (#Requires -Version 5.1): extra.ps1 have no forms for older versions yet');
  });
});
