/**
 * The model is total over schema-valid specs: it never throws, and a reference the spec makes to
 * an entry it does not declare is an explicit null, which the reference rules read. Only a model
 * whose references all resolve narrows to the resolved model the plan takes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/index.js';
import { isResolved, modelSpec } from '../src/model/model.js';
import { MINIMAL, repoRoot } from './helpers/spec.js';

const BROKEN = `version: 1
environment: lab
forests:
  - name: fabrikam.com
    netbiosName: FABRIKAM
    trusts: [{ forest: contoso.com }]
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.local
    ip: 10.2.0.20
    delegation: { mode: resource-based, delegateTo: ['FABRIKAN\\svc_sql', 'svc_web@fabrikam.com'] }
syncServers:
  - host: sync01.fabrikam.com
    forest: nowhere.com
    ip: 10.2.0.30
    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_sync'
    connections:
      - { exchange: exch09.fabrikam.com, uri: 'http://exch09.fabrikam.com/PowerShell/', authentication: kerberos }
      - { exchange: EXCH01.fabrikam.com, uri: 'http://exch01.fabrikam.com/PowerShell/', authentication: kerberos }
reverseProxies:
  - host: arr01.fabrikam.com
    ip: 10.2.0.40
    publishedName: mail.fabrikam.com
    backends: [exch01.fabrikam.com, exch07.fabrikam.com]
    certificate: { thumbprint: '${'A'.repeat(40)}', dnsNames: [mail.fabrikam.com] }
`;

describe('model', () => {
  it('holds every unresolved reference as null, and the resolved ones as the entries they name', async () => {
    const { spec, model } = await checkText('spec.yaml', BROKEN);
    expect(spec).toBeDefined();
    const m = modelSpec(spec!);
    expect(model).toEqual(m);
    const [exchange] = m.exchange;
    expect(exchange!.forestModel).toBeNull();
    expect(exchange!.delegation.delegateTo.map((p) => [p.display, p.server])).toEqual([
      ['FABRIKAN\\svc_sql', null],
      ['svc_web@fabrikam.com', 'fabrikam.com'],
    ]);
    const [sync] = m.syncServers;
    expect(sync!.forestModel).toBeNull();
    expect(sync!.connections.map((c) => [c.exchange, c.specIndex, c.target?.host ?? null])).toEqual([
      ['exch01.fabrikam.com', 1, 'exch01.fabrikam.com'],
      ['exch09.fabrikam.com', 0, null],
    ]);
    expect(sync!.connections[0]!.target).toBe(exchange);
    expect(m.reverseProxies[0]!.backendServers.map((b) => [b.host, b.specIndex, b.server === exchange ? 'exch01' : b.server])).toEqual([
      ['exch01.fabrikam.com', 0, 'exch01'],
      ['exch07.fabrikam.com', 1, null],
    ]);
    expect(m.forests[0]!.trusts.map((t) => [t.forest, t.declared])).toEqual([['contoso.com', false]]);
    expect(isResolved(m)).toBe(false);
  });

  it('resolves every reference of a spec the rules accept', async () => {
    const { spec } = await checkText('spec.yaml', MINIMAL);
    const m = modelSpec(spec!);
    expect(m.exchange[0]!.forestModel).toBe(m.forests[0]);
    expect(isResolved(m)).toBe(true);
  });

  it('says where inherited settings came from', async () => {
    const text = `${MINIMAL.replace('environment: lab\n', 'environment: lab\ndefaults: { os: windows-server-2019, cbtHardening: strict }\n')}    exchangeVersion: exchange-2019\n`;
    const { spec } = await checkText('spec.yaml', text);
    const [x] = modelSpec(spec!).exchange;
    expect([x!.os.os, x!.os.source]).toEqual(['windows-server-2019', 'defaults']);
    expect(x!.cbtHardening).toEqual({ value: 'strict', source: 'defaults' });
    expect([x!.exchangeVersion, x!.exchangeVersionSource]).toEqual(['exchange-2019', 'host']);
    const { spec: bare } = await checkText('spec.yaml', MINIMAL);
    const [y] = modelSpec(bare!).exchange;
    expect([y!.os.source, y!.cbtHardening.source, y!.exchangeVersionSource]).toEqual(['fallback', 'fallback', 'fallback']);
  });

  it('never throws on a schema-valid spec, whatever its references', async () => {
    const texts: [string, string][] = [];
    for (const dir of [join(repoRoot, 'test', 'fixtures', 'invalid'), join(repoRoot, 'examples')]) {
      for (const f of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) texts.push([f, readFileSync(join(dir, f), 'utf8')]);
    }
    // The bad example of every rule: each makes one mistake the schema lets through.
    const docs = join(repoRoot, 'docs', 'rules');
    for (const f of readdirSync(docs).filter((name) => name.endsWith('.md'))) {
      const bad = /^## Bad\n\n```yaml\n([\s\S]*?)```$/m.exec(readFileSync(join(docs, f), 'utf8'))?.[1];
      if (bad) texts.push([f, bad]);
    }
    let modelled = 0;
    for (const [name, text] of texts) {
      const { spec } = await checkText(name, text);
      if (!spec) continue;
      expect(() => modelSpec(spec), name).not.toThrow();
      modelled++;
    }
    expect(modelled).toBeGreaterThan(50);
  });
});
