/**
 * One value per default: what the schema documents as `default:` is what the model fills in,
 * and the fallbacks the schema does not state come from src/model/defaults.ts; the rules ask
 * the model (through src/rules/facts.ts), never a default of their own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cbtHardeningOf, exchangeServers, listenersOf, syncServers } from '../src/rules/facts.js';
import * as fallback from '../src/model/defaults.js';
import type { EnvironmentModel } from '../src/model/model.js';
import type { Spec } from '../src/spec/spec-types.js';
import { checkText, generateText } from '../src/index.js';
import { repoRoot } from './helpers/spec.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'winrm-forge.schema.json'), 'utf8')) as { $defs: Record<string, { properties?: Record<string, { default?: unknown }> }> };

/** A spec that names every optional block and leaves every defaulted value out. */
const SPEC = `version: 1
environment: defaults
forests:
  - name: fabrikam.com
    trusts: [{ forest: contoso.com }]
    domainControllers: [{ host: dc01.fabrikam.com }]
  - name: contoso.com
exchange:
  - host: cas01.fabrikam.com
    forest: fabrikam.com
    winrm:
      listeners: [{ transport: http }, { transport: https, certificate: { thumbprint: 0123456789ABCDEF0123456789ABCDEF01234567 } }]
      auth: {}
syncServers:
  - host: sync01.contoso.com
    forest: contoso.com
    product: mim-2016
    serviceAccount: 'CONTOSO\\svc_sync'
    winrmClient: {}
    connections:
      - { exchange: cas01.fabrikam.com, uri: 'https://cas01.fabrikam.com:5986/wsman', authentication: negotiate }
`;

async function environment(): Promise<EnvironmentModel> {
  const result = await generateText('defaults.yaml', SPEC, { specPath: 'defaults.yaml', toolVersion: '0.0.0' });
  expect(result.report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.plan!.environment;
}

const schemaDefault = (definition: string, property: string): unknown => schema.$defs[definition]?.properties?.[property]?.default;

describe('defaults', () => {
  it('the model fills in what the schema documents as default', async () => {
    const e = await environment();
    const x = e.exchange[0]!;
    const pairs: [string, string, unknown][] = [
      ['serviceAuth', 'kerberos', x.winrm!.auth.kerberos],
      ['serviceAuth', 'negotiate', x.winrm!.auth.negotiate],
      ['serviceAuth', 'basic', x.winrm!.auth.basic],
      ['serviceAuth', 'certificate', x.winrm!.auth.certificate],
      ['serviceAuth', 'credSSP', x.winrm!.auth.credSSP],
      ['winrmService', 'allowUnencrypted', x.winrm!.allowUnencrypted],
      ['winrmService', 'ipv4Filter', x.winrm!.ipv4Filter],
      ['winrmService', 'ipv6Filter', x.winrm!.ipv6Filter],
      ['listener', 'address', x.winrm!.listeners[0]!.address],
      ['forest', 'ldaps', e.forests.find((f) => f.name === 'fabrikam.com')!.ldaps],
      ['forest', 'globalCatalog', e.forests.find((f) => f.name === 'fabrikam.com')!.globalCatalog],
      ['domainController', 'globalCatalog', e.forests.find((f) => f.name === 'fabrikam.com')!.domainControllers[0]!.globalCatalog],
      ['trust', 'direction', e.forests.find((f) => f.name === 'fabrikam.com')!.trusts[0]!.direction],
      ['trust', 'tgtDelegation', e.forests.find((f) => f.name === 'fabrikam.com')!.trusts[0]!.tgtDelegation],
    ];
    for (const [definition, property, modelled] of pairs) {
      const documented = schemaDefault(definition, property);
      expect(documented, `${definition}.${property} has a documented default`).not.toBeUndefined();
      expect(modelled, `${definition}.${property}`).toEqual(documented);
    }
  });

  it('the model and the rules take the undocumented fallbacks from one module', async () => {
    const e = await environment();
    const x = e.exchange[0]!;
    const s = e.syncServers[0]!;
    const facts = async (text: string) => {
      const { spec, model } = await checkText('defaults.yaml', text);
      return { spec: spec!.value as Spec, model: model! };
    };
    const rules = await facts(SPEC);
    expect(x.winrm!.listeners.map((l) => l.port)).toEqual([5985, 5986]);
    expect(listenersOf(exchangeServers(rules)[0]!).map((l) => l.port)).toEqual([5985, 5986]);
    expect(x.winrm!.auth.cbtHardening).toBe(fallback.DEFAULT_CBT_HARDENING);
    expect(cbtHardeningOf(exchangeServers(rules)[0]!)).toEqual({ value: fallback.DEFAULT_CBT_HARDENING });
    expect(x.preferIPv4).toBe(fallback.DEFAULT_PREFER_IPV4);
    expect(s.preferIPv4).toBe(fallback.DEFAULT_PREFER_IPV4);
    expect(syncServers(rules)[0]!.model.preferIPv4).toBe(fallback.DEFAULT_PREFER_IPV4);
    expect(s.executionPolicy).toBe(fallback.DEFAULT_EXECUTION_POLICY);
    expect(x.firewall.profiles).toEqual(fallback.DEFAULT_FIREWALL_PROFILES);
    expect(x.os).toMatchObject({ os: fallback.ASSUMED_OS, source: 'fallback' });
    // A spec default wins over the fallback, for the model and the rules alike.
    const withDefaults = await facts(SPEC.replace('environment: defaults\n', 'environment: defaults\ndefaults: { cbtHardening: strict, preferIPv4: prefix-policy }\n'));
    expect(cbtHardeningOf(exchangeServers(withDefaults)[0]!)).toEqual({ value: 'strict', path: ['defaults', 'cbtHardening'] });
    expect(syncServers(withDefaults)[0]!.model.preferIPv4).toBe('prefix-policy');
    expect(fallback.cbtHardening(undefined, 'strict')).toBe('strict');
    expect(fallback.preferIPv4('both', 'prefix-policy')).toBe('both');
  });
});
