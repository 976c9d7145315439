import { describe, expect, it } from 'vitest';
import { findings, MINIMAL } from './helpers/spec.js';

/** MINIMAL with `extra` appended (indented YAML continuing the last exchange server). */
const withExchange = (extra: string) => MINIMAL + extra;

describe('schema diagnostics', () => {
  it('accepts the minimal spec', async () => {
    expect(await findings(MINIMAL)).toEqual([]);
  });

  it('reports a thumbprint of the wrong length with its count', async () => {
    const spec = withExchange(`    winrm:
      listeners:
        - transport: https
          certificate: { thumbprint: 6A8D7E5537D441190FD72C7C2E879A064072CE0 }
`);
    expect(await findings(spec)).toEqual([
      '14:38 schema-pattern exchange[0].winrm.listeners[0].certificate.thumbprint must be 40 hexadecimal characters (got 39)',
    ]);
  });

  it('counts characters that are not hexadecimal in a thumbprint', async () => {
    const spec = withExchange(`    winrm:
      listeners:
        - transport: https
          certificate: { thumbprint: "\u200e6A8D7E5537D441190FD72C7C2E879A064072CE0F" }
`);
    const { report } = await (await import('../src/index.js')).checkText('spec.yaml', spec);
    expect(report.diagnostics[0]!.message).toBe('exchange[0].winrm.listeners[0].certificate.thumbprint must be 40 hexadecimal characters (got 41 including 1 that are not hexadecimal)');
    expect(report.diagnostics[0]!.hint).toContain('invisible character');
  });

  it('suggests the key meant by a misspelt one and drops the redundant missing-key report', async () => {
    const spec = MINIMAL.replace('    forest: fabrikam.com\n', '    forset: fabrikam.com\n');
    const { report } = await (await import('../src/index.js')).checkText('spec.yaml', spec);
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({ ruleId: 'schema-unknown-key', message: 'exchange[0] has an unknown key forset', hint: 'Did you mean forest?' });
    expect(report.source!.position(report.diagnostics[0]!.range.start)).toEqual({ line: 9, column: 5 });
  });

  it('reports a missing required key at the entry that lacks it', async () => {
    const spec = MINIMAL.replace('    forest: fabrikam.com\n', '');
    expect(await findings(spec)).toEqual(['8:5 schema-required exchange[0] is missing the required key forest']);
  });

  it('reports a missing top-level key at the start of the file', async () => {
    expect(await findings(MINIMAL.replace('environment: lab\n', ''))).toEqual(['1:1 schema-required the spec is missing the required key environment']);
  });

  it('suggests the enum value meant, ignoring case and punctuation', async () => {
    const spec = withExchange('    os: Windows-Server-2019\n');
    const { report } = await (await import('../src/index.js')).checkText('spec.yaml', spec);
    expect(report.diagnostics[0]).toMatchObject({ ruleId: 'schema-enum', hint: 'Did you mean windows-server-2019?' });
    expect(report.diagnostics[0]!.message).toMatch(/^exchange\[0\]\.os must be one of windows-server-2008-r2, .* \(got "Windows-Server-2019"\)$/);
  });

  it('explains YAML 1.2 booleans', async () => {
    const spec = withExchange('    winrm:\n      listeners: [{ transport: http }]\n      allowUnencrypted: "yes"\n');
    const { report } = await (await import('../src/index.js')).checkText('spec.yaml', spec);
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({ ruleId: 'schema-type', message: 'exchange[0].winrm.allowUnencrypted must be true or false (got "yes")' });
    expect(report.source!.position(report.diagnostics[0]!.range.start)).toEqual({ line: 13, column: 25 });
  });

  it('tells an IP address from a host name', async () => {
    const spec = MINIMAL.replace('  - host: exch01.fabrikam.com', '  - host: 10.2.0.20');
    const { report } = await (await import('../src/index.js')).checkText('spec.yaml', spec);
    expect(report.diagnostics[0]).toMatchObject({ ruleId: 'schema-pattern', message: 'exchange[0].host must be a fully qualified DNS name such as exch01.fabrikam.com (got "10.2.0.20")' });
    expect(report.diagnostics[0]!.hint).toContain('Kerberos cannot target an IP');
  });

  it('rejects host names that would make reserved Windows folder names', async () => {
    const spec = MINIMAL.replace('  - host: exch01.fabrikam.com', '  - host: con.fabrikam.com');
    expect(await findings(spec)).toEqual(['8:11 schema-pattern exchange[0].host must be a fully qualified DNS name such as exch01.fabrikam.com (got "con.fabrikam.com")']);
  });

  it('reports an invalid IPv4 address as a format error', async () => {
    expect(await findings(MINIMAL.replace('ip: 10.2.0.20', 'ip: 10.2.0.300'))).toEqual([
      '10:9 schema-format exchange[0].ip must be an IPv4 address such as 10.2.0.20 (got "10.2.0.300")',
    ]);
  });

  it('reports accounts in the wrong form', async () => {
    expect(await findings(withExchange("    remoteManagementUsers: ['FABRIKAM/svc_galsync']\n"))).toEqual([
      '11:29 schema-pattern exchange[0].remoteManagementUsers[0] must be an account as DOMAIN\\account or user@domain.tld (got "FABRIKAM/svc_galsync")',
    ]);
  });

  it('reports a duplicate list entry at the second one', async () => {
    expect(await findings(withExchange("    remoteManagementUsers: ['FABRIKAM\\a', 'FABRIKAM\\a']\n"))).toEqual([
      '11:43 schema-duplicate-entry exchange[0].remoteManagementUsers lists "FABRIKAM\\a" twice (entries 0 and 1)',
    ]);
  });

  it('reports numbers out of range', async () => {
    const spec = withExchange('    winrm:\n      listeners: [{ transport: https, port: 70000, certificate: { selfSigned: true } }]\n');
    expect(await findings(spec)).toEqual(['12:45 schema-range exchange[0].winrm.listeners[0].port must be at most 65535 (got 70000)']);
  });

  it('reports the wrong spec version', async () => {
    expect(await findings(MINIMAL.replace('version: 1', 'version: 2'))).toEqual(['1:10 schema-const version must be 1 (got 2)']);
  });

  it('refuses a password field with advice on prompts and vaults', async () => {
    const spec = withExchange('    password: hunter2\n');
    const { report } = await (await import('../src/index.js')).checkText('spec.yaml', spec);
    expect(report.diagnostics[0]).toMatchObject({ ruleId: 'schema-unknown-key', message: 'exchange[0] has an unknown key password' });
    expect(report.diagnostics[0]!.hint).toMatch(/No secret belongs in a spec/);
  });

  it('reports a non-mapping document', async () => {
    expect(await findings('just text\n')).toEqual(['1:1 schema-type the spec must be a mapping of keys (got "just text")']);
  });

  it('reports an environment name unfit for a folder', async () => {
    expect(await findings(MINIMAL.replace('environment: lab', 'environment: ../lab'))).toEqual([
      '2:14 schema-pattern environment must be lowercase letters, digits and hyphens, 1 to 63 characters, and not a reserved Windows device name (got "../lab")',
    ]);
  });

  it('requires a waiver to carry a reason', async () => {
    expect(await findings(MINIMAL + 'waivers:\n  - { rule: allow-unencrypted, host: exch01.fabrikam.com }\n')).toEqual([
      '12:5 schema-required waivers[0] is missing the required key reason',
    ]);
  });
});
