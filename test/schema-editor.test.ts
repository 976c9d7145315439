/**
 * What an editor shows from the schema is what the tool does: no default the model does not
 * apply, every pattern and format with the CLI's sentence instead of a regular expression, and
 * the rule IDs of waivers[].rule listed for completion.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/index.js';
import { model } from '../src/model/model.js';
import { rules } from '../src/rules/index.js';
import { MINIMAL, repoRoot } from './helpers/spec.js';

type Node = Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'winrm-forge.schema.json'), 'utf8')) as Node;

/** Every subschema with its JSON pointer. */
function walk(node: unknown, path: string, visit: (node: Node, path: string) => void): void {
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}/${i}`, visit));
  else if (node !== null && typeof node === 'object') {
    visit(node as Node, path);
    for (const [k, v] of Object.entries(node)) if (k !== 'enum' && k !== 'default') walk(v, `${path}/${k}`, visit);
  }
}

describe('schema for editors', () => {
  it('advertises no default for client authentication, which the scripts leave as the machine has it', async () => {
    const clientAuth = (schema.$defs as Record<string, Node>).clientAuth!;
    for (const [name, property] of Object.entries(clientAuth.properties as Record<string, Node>)) expect(property.default, name).toBeUndefined();
    // And the model indeed applies none: an empty auth mapping sets nothing.
    const text = `${MINIMAL}syncServers:\n  - host: sync01.fabrikam.com\n    forest: fabrikam.com\n    product: mim-2016\n    serviceAccount: 'FABRIKAM\\svc_sync'\n    remoteManagementUsers: []\n    connections:\n      - { exchange: exch01.fabrikam.com, uri: 'http://exch01.fabrikam.com/PowerShell/', authentication: kerberos }\n    winrmClient: { auth: {} }\n`.replace("    remoteManagementUsers: []\n", '');
    const { spec } = await checkText('spec.yaml', text);
    expect(spec).toBeDefined();
    expect(model({ spec: spec!, specPath: 'spec.yaml', specSha256: '0'.repeat(64), toolVersion: '0.0.0' }).syncServers[0]!.clientAuth).toEqual({});
  });

  it('gives every pattern a patternErrorMessage and every format an errorMessage', () => {
    const missing: string[] = [];
    walk(schema, '#', (node, path) => {
      if (typeof node.pattern === 'string' && typeof node.patternErrorMessage !== 'string') missing.push(path);
      if (typeof node.format === 'string' && typeof node.errorMessage !== 'string') missing.push(path);
    });
    expect(missing).toEqual([]);
  });

  it('uses the sentence the CLI prints', async () => {
    const cases: [string, string, string][] = [
      ['environment: lab', 'environment: Lab_1', 'environment'],
      ['host: exch01.fabrikam.com', 'host: exch01', 'fqdn'],
      ['ip: 10.2.0.20', 'ip: 10.2.0.999', 'ipv4'],
      ['    ip: 10.2.0.20\n', "    ip: 10.2.0.20\n    iisCertificate: { thumbprint: 'ABC' }\n", 'thumbprint'],
      ['  - name: fabrikam.com\n', '  - name: fabrikam.com\n    netbiosName: FAB_RIKAM\n', 'netbios'],
    ];
    const defs = schema.$defs as Record<string, Node>;
    const sentence = (name: string): string => {
      if (name === 'environment') return ((schema.properties as Record<string, Node>).environment!.patternErrorMessage as string);
      if (name === 'netbios') return (((defs.forest!.properties as Record<string, Node>).netbiosName!).patternErrorMessage as string);
      return (defs[name]!.patternErrorMessage ?? defs[name]!.errorMessage) as string;
    };
    for (const [from, to, name] of cases) {
      const { report } = await checkText('spec.yaml', MINIMAL.replace(from, to));
      const messages = report.diagnostics.map((d) => d.message);
      expect(messages.some((m) => m.includes(sentence(name))), `${name}: ${messages.join(' | ')}`).toBe(true);
    }
  });

  it('lists the rule IDs for waivers[].rule, and an unknown one still gets did-you-mean', async () => {
    const rule = ((schema.$defs as Record<string, Node>).waiver!.properties as Record<string, Node>).rule!;
    const ids = (rule.anyOf as Node[]).find((b) => Array.isArray(b.enum))!.enum;
    expect(ids).toEqual(rules.map((r) => r.id));
    const { report } = await checkText('spec.yaml', `${MINIMAL}waivers:\n  - rule: vdir-basic-authenticatio\n    host: exch01.fabrikam.com\n    reason: accepted for the publishing server\n`);
    expect(report.diagnostics.find((d) => d.ruleId === 'waiver-unknown-rule')?.hint).toBe('Did you mean vdir-basic-authentication?');
  });
});
