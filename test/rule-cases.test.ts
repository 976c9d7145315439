/** Cases beyond the doc examples: edge values, cascades, waivers and located defaults. */
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../src/shared/diagnostics.js';
import { checkText } from '../src/index.js';
import { trustedHostsCover } from '../src/rules/trusted-hosts-missing.js';
import { parseConnectionUri as parseUri } from '../src/model/uri.js';
import { GOLDEN_TODAY } from './helpers/generate.js';

const HEAD = `version: 1
environment: lab
forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
`;

/** One CAS and one sync server; `exch` and `sync` are extra lines for each entry. */
function spec({ exch = '', sync = '', uri = 'http://exch01.fabrikam.com/PowerShell/', auth = 'kerberos', tail = '' } = {}): string {
  return `${HEAD}exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
${exch}syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    product: monosync
    serviceAccount: 'FABRIKAM\\svc_sync'
${sync}    connections:
      - exchange: exch01.fabrikam.com
        uri: ${uri}
        authentication: ${auth}
${tail}`;
}

async function run(text: string) {
  const result = await checkText('spec.yaml', text, { today: GOLDEN_TODAY });
  expect(result.spec, JSON.stringify(result.report.diagnostics.map((d) => d.message))).toBeDefined();
  return {
    report: result.report,
    ids: result.report.diagnostics.filter((d) => !d.waived).map((d) => d.ruleId),
    located: result.report.diagnostics.map((d) => {
      const p = result.report.source!.position(d.range.start);
      return `${p.line}:${p.column} ${d.ruleId}${d.waived ? ' waived' : ''}`;
    }),
  };
}

describe('DisabledComponents is a bitmask (KB 929852)', () => {
  const cases: [number, string[]][] = [
    [0x00, []],
    [0x20, []],
    [0x01, ['disabled-components-unusual']],
    [0x21, ['disabled-components-unusual']],
    [0x10, ['ipv6-disabled']],
    [0x11, ['ipv6-disabled']],
    [0x30, ['ipv6-disabled']],
    [0xff, ['ipv6-disabled']],
  ];
  for (const [value, expected] of cases) {
    it(`0x${value.toString(16)} -> ${expected.join(', ') || 'silent'}`, async () => {
      const { ids } = await run(spec({ sync: `    preferIPv4: registry\n    disabledComponents: ${value}\n` }));
      expect(ids).toEqual(expected);
    });
  }
});

describe('connection URIs against endpoints', () => {
  it('reads URIs the way New-PSSession does', () => {
    expect(parseUri('http://exch01.fabrikam.com/PowerShell/')).toMatchObject({ endpoint: 'exchange', port: 80, scheme: 'http' });
    expect(parseUri('https://EXCH01.fabrikam.com:5986/wsman')).toMatchObject({ endpoint: 'winrm', port: 5986, host: 'exch01.fabrikam.com' });
    expect(parseUri('http://exch01.fabrikam.com/wsman')).toMatchObject({ endpoint: 'winrm', port: 80 });
    expect(parseUri('http://10.2.0.20:5985')).toMatchObject({ endpoint: 'winrm', hostIsIp: true });
    expect(parseUri('http://[fd00::20]:5985/wsman')).toMatchObject({ hostIsIp: true, host: 'fd00::20' });
    expect(parseUri('http://exch01.fabrikam.com/owa')).toMatchObject({ endpoint: 'unknown' });
  });

  it('accepts the default HTTP listener of Enable-PSRemoting when none is declared', async () => {
    expect((await run(spec({ uri: 'http://exch01.fabrikam.com:5985/wsman' }))).ids).toEqual([]);
  });

  it('reports the Exchange endpoint on a WinRM port, a /wsman URI without port and an unknown path', async () => {
    for (const uri of ['http://exch01.fabrikam.com:5985/PowerShell/', 'http://exch01.fabrikam.com/wsman', 'http://exch01.fabrikam.com/owa/']) {
      const { located } = await run(spec({ uri }));
      expect(located).toEqual(['17:14 connection-endpoint-mismatch']);
    }
  });

  it('does not cascade from an undeclared Exchange server', async () => {
    const text = spec({ uri: 'http://mail.fabrikam.com/PowerShell/' }).replace('      - exchange: exch01.fabrikam.com', '      - exchange: exch09.fabrikam.com');
    expect((await run(text)).ids).toEqual(['connection-unknown-exchange']);
  });
});

describe('TrustedHosts', () => {
  it('matches names without case, wildcards by suffix, and * for all', () => {
    expect(trustedHostsCover(['EXCH01.fabrikam.com'], 'exch01.fabrikam.com')).toBe(true);
    expect(trustedHostsCover(['*.fabrikam.com'], 'exch01.fabrikam.com')).toBe(true);
    expect(trustedHostsCover(['*.fabrikam.com'], 'exch01.contoso.com')).toBe(false);
    expect(trustedHostsCover(['*'], '10.2.0.20')).toBe(true);
    expect(trustedHostsCover(['10.2.0.2'], '10.2.0.20')).toBe(false);
  });

  it('wants the CAS when Negotiate goes to an IP address, located at the connection when no list exists', async () => {
    const { located } = await run(spec({ uri: 'http://10.2.0.20:5985/wsman', auth: 'negotiate' }));
    expect(located).toEqual(['17:14 trusted-hosts-missing']);
    expect((await run(spec({ uri: 'http://10.2.0.20:5985/wsman', auth: 'negotiate', sync: '    winrmClient: { trustedHosts: [10.2.0.20] }\n' }))).ids).toEqual([]);
  });

  it('needs nothing over https://', async () => {
    const exch = '    winrm:\n      listeners:\n        - { transport: https, certificate: { thumbprint: 6A8D7E5537D441190FD72C7C2E879A064072CE0F } }\n';
    expect((await run(spec({ exch, uri: 'https://exch01.fabrikam.com:5986/wsman', auth: 'negotiate' }))).ids).toEqual([]);
  });
});

describe('authentication both ends accept', () => {
  it('reports a mechanism the sync server client has turned off', async () => {
    const { located, report } = await run(spec({ sync: '    winrmClient: { auth: { kerberos: false } }\n' }));
    expect(located).toEqual(['19:25 connection-auth-disabled']);
    expect(report.diagnostics[0]!.message).toContain('the WinRM client of sync01.fabrikam.com');
  });

  it('checks Basic to /PowerShell against the virtual directory only when the spec manages it', async () => {
    const https = { uri: 'https://exch01.fabrikam.com/PowerShell/', auth: 'basic' };
    // HTTPS to the front-end /PowerShell is reported either way (frontend-powershell-https).
    expect((await run(spec(https))).ids).toEqual(['frontend-powershell-https']);
    expect((await run(spec({ ...https, exch: '    powershellVirtualDirectory: { basicAuthentication: false }\n' }))).ids).toEqual(['frontend-powershell-https', 'connection-auth-disabled']);
  });

  it('accepts Kerberos and Negotiate to /PowerShell with Windows authentication off, as Exchange 2013 and later install it', async () => {
    // Default Web Site/PowerShell: windowsAuthentication enabled="false"; Kerberos goes through
    // Exchange's kerbauth module (CSS-Exchange Shared/Tests/Data/E19_applicationHost_Default.config).
    const off = '    powershellVirtualDirectory: { windowsAuthentication: false }\n';
    expect((await run(spec({ exch: off }))).ids).toEqual([]);
    expect((await run(spec({ exch: off, auth: 'negotiate' }))).ids).toEqual(['negotiate-over-http-exchange']);
    expect((await run(spec({ exch: '    powershellVirtualDirectory: { clientCertificates: ignore }\n' }))).ids).toEqual([]);
  });

  it('reports Negotiate over https:// to /PowerShell, which the directory refuses with Windows authentication off as installed (TechNet Wiki 31066: HTTP 400)', async () => {
    const https = { uri: 'https://exch01.fabrikam.com/PowerShell/', auth: 'negotiate' };
    const { ids, report } = await run(spec(https));
    // HTTPS to the front end is outside Microsoft's support in any case (its own warning).
    expect(ids.sort()).toEqual(['connection-auth-disabled', 'frontend-powershell-https']);
    const refused = report.diagnostics.find((d) => d.ruleId === 'connection-auth-disabled')!;
    expect(refused.message).toContain('IIS Windows authentication is off as Exchange installs it');
    expect(refused.hint).toContain('Kerberos to http://exch01.fabrikam.com/PowerShell/');
    // Turned on by the spec: accepted here, and reported as unsupported by its own rule.
    expect((await run(spec({ ...https, exch: '    powershellVirtualDirectory: { windowsAuthentication: true }\n' }))).ids.sort()).toEqual(['frontend-powershell-https', 'vdir-windows-authentication']);
  });

  it('warns that turning Windows authentication on is an unsupported change on Exchange 2013 and later, and only there', async () => {
    const on = '    powershellVirtualDirectory: { windowsAuthentication: true }\n';
    const { located, report } = await run(spec({ exch: on }));
    expect(located).toEqual(['10:58 vdir-windows-authentication']);
    expect(report.diagnostics[0]!.severity).toBe('warning');
    expect(report.diagnostics[0]!.message).toContain('HealthChecker');
    expect(report.diagnostics[0]!.hint).toContain('kerbauth');
    expect((await run(spec({ exch: `    exchangeVersion: exchange-se\n${on}` }))).ids).toEqual(['vdir-windows-authentication']);
    // Exchange 2010 itself is product-lifecycle's finding, not this rule's.
    expect((await run(spec({ exch: `    exchangeVersion: exchange-2010\n${on}` }))).ids).toEqual(['product-lifecycle']);
  });

  it('accepts Kerberos when the service has Negotiate on (SPNEGO)', async () => {
    const exch = '    winrm: { auth: { kerberos: false, negotiate: true } }\n';
    expect((await run(spec({ exch, uri: 'http://exch01.fabrikam.com:5985/wsman' }))).ids).toEqual([]);
  });
});

describe('values inherited from defaults', () => {
  it('locates CbtHardeningLevel from defaults at defaults, once per server', async () => {
    const text = spec().replace(HEAD, `${HEAD}defaults:\n  cbtHardening: none\n`);
    const { located, report } = await run(text);
    expect(located).toEqual(['7:17 cbt-hardening-none']);
    expect(report.diagnostics[0]!.message).toContain('(from defaults)');
    expect(report.diagnostics[0]!.host).toBe('exch01.fabrikam.com');
  });

  it('uses the sync server preferIPv4 from defaults for ipv6-filter-empty', async () => {
    const text = spec({ exch: "    winrm: { ipv6Filter: '' }\n" });
    expect((await run(text)).ids).toEqual(['ipv6-filter-empty']);
    expect((await run(text.replace(HEAD, `${HEAD}defaults:\n  preferIPv4: prefix-policy\n`))).ids).toEqual([]);
  });
});

describe('duplicate hosts and references', () => {
  it('finds duplicates across roles without regard to case, reporting the later entry', async () => {
    const text = spec().replace('    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]', '    domainControllers: [{ host: SYNC01.fabrikam.com }]');
    expect((await run(text)).located).toEqual(['11:11 duplicate-host']);
  });

  it('checks trust targets too', async () => {
    const text = spec().replace('  - name: fabrikam.com\n', '  - name: fabrikam.com\n    trusts: [{ forest: contoso.com }]\n');
    expect((await run(text)).located).toEqual(['5:24 unknown-forest']);
  });
});

describe('delegation across a forest trust', () => {
  const twoForests = (account: string) => `version: 1
environment: lab
forests:
  - name: corp.contoso.com
    netbiosName: CONTOSO
    domainControllers: [{ host: dc01.corp.contoso.com }]
  - name: fabrikam.com
    netbiosName: FABRIKAM
    trusts: [{ forest: corp.contoso.com }]
    domainControllers: [{ host: dc01.fabrikam.com }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    delegation: { mode: unconstrained }
syncServers:
  - host: fim01.corp.contoso.com
    forest: corp.contoso.com
    product: mim-2016
    serviceAccount: '${account}'
    connections:
      - { exchange: exch01.fabrikam.com, uri: 'http://exch01.fabrikam.com/PowerShell/', authentication: kerberos }
waivers:
  - { rule: unconstrained-delegation, host: exch01.fabrikam.com, reason: Covered by the delegation-tgt tests here. }
`;

  it('counts the forest of the account, found by NetBIOS name or UPN suffix', async () => {
    expect((await run(twoForests('CONTOSO\\svc_galsync'))).ids).toEqual(['delegation-tgt-across-trust']);
    expect((await run(twoForests('svc_galsync@corp.contoso.com'))).ids).toEqual(['delegation-tgt-across-trust']);
    expect((await run(twoForests('FABRIKAM\\svc_galsync'))).ids).toEqual([]);
    expect((await run(twoForests('svc_galsync@fabrikam.com'))).ids).toEqual([]);
  });
});

describe('waivers', () => {
  const cbtNone = "    winrm: { auth: { cbtHardening: none } }\n";
  const waiver = (rule: string, host?: string) =>
    `waivers:\n  - rule: ${rule}\n${host ? `    host: ${host}\n` : ''}    reason: Needed for Monosync two-hop sessions until OPS-301 lands.\n`;

  it('marks matching findings waived (host compared without case) and keeps them listed', async () => {
    const { located, report } = await run(spec({ exch: cbtNone, tail: waiver('cbt-hardening-none', 'EXCH01.fabrikam.com') }));
    expect(located).toEqual(['10:36 cbt-hardening-none waived']);
    expect(report.diagnostics[0]!.waived?.reason).toContain('OPS-301');
    expect(exitCodeFor([report], true)).toBe(0);
  });

  it('a waiver without host does not accept a finding about a host, and says which host to name', async () => {
    const { located, report } = await run(spec({ exch: cbtNone, tail: waiver('cbt-hardening-none') }));
    expect(located).toEqual(['10:36 cbt-hardening-none', '21:5 waiver-unused']);
    expect(report.diagnostics[1]!.hint).toContain('exch01.fabrikam.com');
    expect(exitCodeFor([report], false)).toBe(0);
    expect(exitCodeFor([report], true)).toBe(1);
  });

  it('an unknown rule is an error with a suggestion, and is not also reported as unused', async () => {
    const { located, report } = await run(spec({ tail: waiver('cbt-hardening-nnoe', 'exch01.fabrikam.com') }));
    expect(located).toEqual(['20:11 waiver-unknown-rule']);
    expect(report.diagnostics[0]!.hint).toBe('Did you mean cbt-hardening-none?');
    expect(exitCodeFor([report], false)).toBe(1);
  });

  it('a waiver without a reason fails the schema', async () => {
    const { report, spec: passed } = await checkText('spec.yaml', spec({ tail: 'waivers:\n  - rule: cbt-hardening-none\n' }));
    expect(passed).toBeUndefined();
    expect(report.diagnostics.map((d) => d.ruleId)).toEqual(['schema-required']);
  });
});

describe('reverse proxy backends and names', () => {
  /** One publishing CAS behind arr01; `vdir` and `proxy` are extra lines for each entry. */
  function published({ vdir = '    powershellVirtualDirectory: { basicAuthentication: true }\n', cas = '    dedicatedPublishing: true\n', proxy = '' } = {}): string {
    return `${HEAD}exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
${cas}${vdir}  - host: exch02.fabrikam.com
    forest: fabrikam.com
reverseProxies:
  - host: arr01.fabrikam.com
    publishedName: mail.fabrikam.com
    certificate: { thumbprint: 3C1E5A7B9D2F4E6A8C0B1D3F5E7A9C2B4D6F8E0A, dnsNames: [mail.fabrikam.com] }
    backends: [exch01.fabrikam.com]
${proxy}waivers:
  - rule: vdir-basic-authentication
    host: exch01.fabrikam.com
    reason: exch01 is the dedicated publishing CAS behind arr01.
  - rule: frontend-powershell-https
    host: arr01.fabrikam.com
    reason: Publishing through arr01 is accepted as outside Microsoft support.
`;
  }
  const cases: [string, Parameters<typeof published>[0], string[]][] = [
    ['a dedicated CAS with Basic', {}, []],
    ['Basic declared off', { vdir: '    powershellVirtualDirectory: { basicAuthentication: false }\n' }, ['proxy-backend-basic-missing', 'waiver-unused']],
    ['forwardHttp: false', { proxy: '    forwardHttp: false\n' }, []],
    ['forwardHttp: true', { proxy: '    forwardHttp: true\n' }, ['proxy-forward-http']],
    ['a CAS not declared as dedicated', { cas: '' }, ['proxy-backend-not-dedicated']],
  ];
  for (const [name, options, expected] of cases) {
    it(`${name} -> ${expected.join(', ') || 'silent'}`, async () => {
      const { ids } = await run(published(options));
      expect(ids).toEqual(expected);
    });
  }

  it('reports each backend that is neither dedicated nor Basic, at its entry in backends', async () => {
    const text = published().replace('backends: [exch01.fabrikam.com]', 'backends: [exch01.fabrikam.com, exch02.fabrikam.com]');
    const { located } = await run(text);
    expect(located.filter((l) => !l.includes('vdir-basic') && !l.includes('frontend-powershell-https'))).toEqual(['17:37 proxy-backend-basic-missing', '17:37 proxy-backend-not-dedicated']);
  });

  it('compares the published name with the CAS names case-insensitively', async () => {
    const text = published().replace('publishedName: mail.fabrikam.com', 'publishedName: EXCH02.fabrikam.com').replace('dnsNames: [mail.fabrikam.com]', 'dnsNames: [exch02.fabrikam.com]');
    const { ids } = await run(text);
    expect(ids).toEqual(['proxy-published-name-internal']);
  });
});

describe('remote-management-users-missing compares accounts, not spellings', () => {
  const forests = `version: 1
environment: lab
forests:
  - name: fabrikam.com
    netbiosName: FABRIKAM
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
`;
  const withMember = (member: string, account: string) => `${forests}exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    remoteManagementUsers: ['${member}']
syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    product: monosync
    serviceAccount: '${account}'
    connections:
      - exchange: exch01.fabrikam.com
        uri: https://exch01.fabrikam.com:5986/wsman
        authentication: kerberos
`;

  it('takes user@dns.domain, dns.domain\\user and DOMAIN\\user of one forest as the same account', async () => {
    for (const [member, account] of [
      ['svc_sync@fabrikam.com', 'FABRIKAM\\svc_sync'],
      ['FABRIKAM\\svc_sync', 'svc_sync@fabrikam.com'],
      ['fabrikam.com\\svc_sync', 'FABRIKAM\\svc_sync'],
    ]) {
      const { ids } = await run(withMember(member!, account!));
      expect(ids, `${member} / ${account}`).not.toContain('remote-management-users-missing');
    }
  });

  it('still reports another account, or the same name in an undeclared domain', async () => {
    expect((await run(withMember('FABRIKAM\\svc_other', 'FABRIKAM\\svc_sync'))).ids).toContain('remote-management-users-missing');
    expect((await run(withMember('svc_sync@tailspin.com', 'FABRIKAM\\svc_sync'))).ids).toContain('remote-management-users-missing');
  });
});

describe('rules for what Microsoft changed since 2023', () => {
  const AES = '[aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96]';

  it('reports HTTPS to the front-end /PowerShell once: Kerberos over https:// is kerberos-over-https-exchange', async () => {
    expect((await run(spec({ uri: 'https://exch01.fabrikam.com/PowerShell/', auth: 'kerberos' }))).ids).toEqual(['kerberos-over-https-exchange']);
    const { ids } = await run(spec({ uri: 'https://exch01.fabrikam.com/PowerShell/', auth: 'negotiate' }));
    expect(ids).toContain('frontend-powershell-https');
    expect((await run(spec({ uri: 'https://exch01.fabrikam.com:5986/wsman', auth: 'negotiate' }))).ids).not.toContain('frontend-powershell-https');
  });

  it('reports one finding per proxy, listing its declared backends, and leaves undeclared ones to proxy-unknown-backend', async () => {
    const text = `${HEAD}exchange:
  - host: exch02.fabrikam.com
    forest: fabrikam.com
  - host: exch01.fabrikam.com
    forest: fabrikam.com
reverseProxies:
  - host: arr01.fabrikam.com
    publishedName: mail.fabrikam.com
    backends: [exch02.fabrikam.com, exch01.fabrikam.com, exch09.fabrikam.com]
`;
    const { report } = await checkText('spec.yaml', text);
    const found = report.diagnostics.filter((d) => d.ruleId === 'frontend-powershell-https');
    expect(found.map((d) => d.message)).toEqual([expect.stringContaining('to https://exch01.fabrikam.com/PowerShell and https://exch02.fabrikam.com/PowerShell:')]);
    expect(found[0]!.host).toBe('arr01.fabrikam.com');
  });


  it('checks Kerberos encryption types only once the spec declares some, and RC4-only always', async () => {
    expect((await run(spec())).ids).toEqual([]);
    const partial = await run(spec({ sync: `    kerberosEncryptionTypes: ${AES}\n` }));
    expect(partial.ids).toEqual(['kerberos-rc4-removal']);
    expect(partial.report.diagnostics[0]!.message).toContain('computer exch01.fabrikam.com is not declared AES-ready');
    expect((await run(spec({ sync: `    kerberosEncryptionTypes: ${AES}\n`, exch: `    kerberosEncryptionTypes: ${AES}\n` }))).ids).toEqual([]);
    const rc4 = await run(spec({ exch: '    kerberosEncryptionTypes: [rc4-hmac]\n', sync: `    kerberosEncryptionTypes: ${AES}\n` }));
    expect(rc4.report.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('computer exch01.fabrikam.com is declared RC4-only')]);
    // Basic does not use Kerberos.
    expect((await run(spec({ exch: '    kerberosEncryptionTypes: [rc4-hmac]\n    powershellVirtualDirectory: { basicAuthentication: true }\n', uri: 'https://exch01.fabrikam.com/PowerShell/', auth: 'basic' }))).ids).not.toContain('kerberos-rc4-removal');
  });

  it('takes the encryption types of a connection account from the connection, not from the service account', async () => {
    const text = spec({ sync: `    kerberosEncryptionTypes: ${AES}\n`, exch: `    kerberosEncryptionTypes: ${AES}\n` }).replace('        authentication: kerberos\n', "        authentication: kerberos\n        account: 'FABRIKAM\\svc_other'\n");
    const { report } = await run(text);
    expect(report.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('account FABRIKAM\\svc_other is not declared AES-ready')]);
    const declared = text.replace("        account: 'FABRIKAM\\svc_other'\n", `        account: 'FABRIKAM\\svc_other'\n        kerberosEncryptionTypes: ${AES}\n`);
    expect((await run(declared)).ids).toEqual([]);
  });


});
