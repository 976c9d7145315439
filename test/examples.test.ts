import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import schemaSource from '../scripts/schema-source.mjs';
import { checkText } from '../src/index.js';
import { GOLDEN_TODAY } from './helpers/generate.js';
import { readRepoFile, repoRoot } from './helpers/spec.js';

const examples = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.yaml')).sort();

describe('examples', () => {
  it('has at least the three seed scenarios', () => {
    expect(examples).toEqual(expect.arrayContaining(['exchange-arr-publishing.yaml', 'galsync-fim-kerberos.yaml', 'monosync-https-delegation.yaml']));
  });
  for (const name of examples) {
    it(`${name} starts with the schema modeline and validates clean (warnings only when waived with a reason)`, async () => {
      const text = readFileSync(join(repoRoot, 'examples', name), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/winrm-forge.schema.json');
      const { report, spec } = await checkText(name, text, { today: GOLDEN_TODAY });
      expect(report.diagnostics.filter((d) => !d.waived)).toEqual([]);
      for (const d of report.diagnostics) expect(d.severity).not.toBe('error');
      expect(spec).toBeDefined();
    });
  }
});

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; $defs?: Record<string, Schema> };

function walk(node: Schema, path: string, visit: (node: Schema, path: string) => void): void {
  visit(node, path);
  for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${key}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  for (const [key, child] of Object.entries(node.$defs ?? {})) walk(child, `$defs.${key}`, visit);
  for (const branch of (node.anyOf as Schema[] | undefined) ?? []) walk(branch, `${path}|`, visit);
}

describe('schema file', () => {
  const schema = JSON.parse(readRepoFile('schema/winrm-forge.schema.json')) as Schema;

  it('matches its source (run node scripts/schema-source.mjs after editing it)', () => {
    expect(schema).toEqual(JSON.parse(JSON.stringify(schemaSource)));
  });

  it('is the schema the precompiled validator was built from (run npm run build after editing it)', async () => {
    const { schemaSha256 } = await import('../src/generated/schema-validator.js');
    expect(schemaSha256).toBe(createHash('sha256').update(readRepoFile('schema/winrm-forge.schema.json')).digest('hex'));
  });

  it('describes every property and closes every object', () => {
    const problems: string[] = [];
    walk(schema, '', (node, path) => {
      if (!path.endsWith('|') && typeof node.description !== 'string') problems.push(`${path}: no description`);
      if (node.type === 'object' && node.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`);
    });
    expect(problems).toEqual([]);
  });

  it('describes /PowerShell as Exchange 2013 and later install it (CSS-Exchange applicationHost.config test data)', () => {
    const vdir = (schema.$defs!.powershellVirtualDirectory as Schema).properties!;
    const windows = vdir.windowsAuthentication!.description as string;
    // Installed off: Kerberos goes through the kerbauth module; HealthChecker flags any enabled authentication.
    expect(windows).not.toMatch(/installs (it )?on/);
    expect(windows).toContain('Exchange 2013 and later install it off');
    expect(windows).toContain('kerbauth');
    expect(windows).toContain('unsupported');
    // Exchange installs sslFlags SslNegotiateCert (client certificates Accept); Ignore is the publishing CAS's deviation.
    const certificates = vdir.clientCertificates!.description as string;
    expect(certificates).not.toContain('ignore is what Exchange expects');
    expect(certificates).toContain('SslNegotiateCert');
    expect(certificates).toMatch(/accept is what Exchange (2013 and later )?installs?/);
  });

  it('never turns Windows authentication on in an example or a starter spec', () => {
    for (const file of [...examples.map((f) => `examples/${f}`), ...readdirSync(join(repoRoot, 'templates/init')).map((f) => `templates/init/${f}`)]) {
      const text = readRepoFile(file);
      expect({ file, on: /windowsAuthentication:\s*true/.test(text) }).toEqual({ file, on: false });
      expect({ file, installedOn: /left as installed \(on\)|needs Windows authentication/.test(text) }).toEqual({ file, installedOn: false });
    }
  });

  it('has no field that could hold a secret', () => {
    const names: string[] = [];
    walk(schema, '', (_node, path) => names.push(path.split('.').pop() ?? ''));
    expect(names.filter((n) => /pass(word)?|secret$|token|key$/i.test(n))).toEqual([]);
  });
});
