/**
 * validate and generate accept exactly the same specs: every check lives in the schema or in a
 * rule, the model derives facts the rules ask about from the same functions, and nothing but
 * the rules and the schema refuses a spec.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText, generateText } from '../src/index.js';
import { connections } from '../src/rules/facts.js';
import type { Spec } from '../src/spec/spec-types.js';
import { MINIMAL, repoRoot } from './helpers/spec.js';

const options = { specPath: 'spec.yaml', toolVersion: '0.0.0-test' };

const SYNC = `version: 1
environment: lab
forests:
  - name: fabrikam.com
    netbiosName: FABRIKAM
    domainControllers:
      - { host: dc01.fabrikam.com, ip: 10.2.0.10 }
      - { host: dc02.fabrikam.com, ip: 10.2.0.11 }
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.20
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.30
    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_sync'
    connections:
      - exchange: exch01.fabrikam.com
        uri: http://exch01.fabrikam.com/PowerShell/
        authentication: kerberos
`;

/** Every spec the tests know to be wrong: invalid fixtures, the bad example of every rule, and the mistakes the model used to catch alone. */
function invalidSpecs(): [string, string, boolean][] {
  const fixtures = readdirSync(join(repoRoot, 'test', 'fixtures', 'invalid'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f): [string, string, boolean] => [`fixture ${f}`, readFileSync(join(repoRoot, 'test', 'fixtures', 'invalid', f), 'utf8'), true]);
  const docs = readdirSync(join(repoRoot, 'docs', 'rules'))
    .filter((f) => f.endsWith('.md'))
    .map((f): [string, string, boolean] => [`bad example of ${f.slice(0, -3)}`, /^## Bad\n\n```yaml\n([\s\S]*?)```$/m.exec(readFileSync(join(repoRoot, 'docs', 'rules', f), 'utf8'))?.[1] ?? '', false]);
  const exch = '  - host: exch01.fabrikam.com\n    forest: fabrikam.com\n    ip: 10.2.0.20\n';
  return [
    ...fixtures,
    ...docs,
    ['resource-based delegation without delegateTo', SYNC.replace(exch, `${exch}    delegation: { mode: resource-based }\n`), true],
    ['a vault credential without secretName', SYNC.replace("    serviceAccount: 'FABRIKAM\\svc_sync'\n", "    serviceAccount: 'FABRIKAM\\svc_sync'\n    credential: { source: vault, vault: corp }\n"), true],
    ['a waived unknown forest', `${SYNC.replace(`${exch}`, exch.replace('forest: fabrikam.com', 'forest: fabrikam.local'))}waivers:\n  - { rule: unknown-forest, host: exch01.fabrikam.com, reason: the forest is declared in the spec of its own team }\n`, true],
    ['an https listener without a certificate', SYNC.replace(exch, `${exch}    winrm: { listeners: [{ transport: https }] }\n`), true],
    ['a backend of an undeclared NetBIOS domain', SYNC.replace(exch, `${exch}    delegation: { mode: resource-based, delegateTo: ['FABRIKAN\\svc_sql'] }\n`), true],
    ['an LDAP domain controller of no forest', SYNC.replace('        authentication: kerberos\n', '        authentication: kerberos\n        ldapDomainController: dc09.fabrikam.com\n'), true],
  ];
}

describe('validate and generate', () => {
  it.each(invalidSpecs())('refuse %s alike, with the same findings', async (_name, text, wrong) => {
    const validated = await checkText('spec.yaml', text);
    const generated = await generateText('spec.yaml', text, options);
    const ids = (diagnostics: typeof validated.report.diagnostics) => diagnostics.map((d) => `${d.range.start} ${d.ruleId}${d.waived ? ' (waived)' : ''}`);
    expect(ids(generated.report.diagnostics)).toEqual(ids(validated.report.diagnostics));
    const validateFails = validated.report.diagnostics.some((d) => d.severity === 'error' && !d.waived);
    expect(generated.files === undefined).toBe(validateFails);
    // The fixtures and the listed mistakes are wrong: at least one unwaived error, whichever command runs.
    if (wrong) expect(validateFails).toBe(true);
  });

  it('read a /PowerShell URI with extra slashes as the Exchange endpoint, both in rules and in the model', async () => {
    const text = SYNC.replace('uri: http://exch01.fabrikam.com/PowerShell/', 'uri: http://exch01.fabrikam.com/PowerShell//');
    const { spec, model } = await checkText('spec.yaml', text);
    expect(connections({ spec: spec!.value as Spec, model: model! })[0]!.uri!.endpoint).toBe('exchange');
    expect(model!.syncServers[0]!.connections[0]!.endpoint).toBe('exchange-powershell');
    const { plan } = await generateText('spec.yaml', text, options);
    expect(plan).toBeDefined();
    const scripts = plan!.hosts.find((h) => h.host === 'sync01.fabrikam.com')!;
    // Tested as what it is: a port probe of the Exchange endpoint, not Test-WSMan.
    expect(JSON.stringify(scripts)).not.toContain('WinRM HTTP (http://exch01.fabrikam.com/PowerShell//)');
    expect(plan!.flows.some((f) => f.purpose === 'Exchange remote PowerShell (http)' || f.purpose.startsWith('Exchange remote PowerShell'))).toBe(true);
  });

  it('accept the minimal spec alike', async () => {
    expect((await checkText('spec.yaml', MINIMAL)).report.diagnostics).toEqual([]);
    expect((await generateText('spec.yaml', MINIMAL, options)).files).toBeDefined();
  });
});
