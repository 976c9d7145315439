/**
 * The spec types are generated from the schema at build time: the built module must be the
 * generation of the schema as it is now, and a change to the schema must change the types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specTypesSource } from '../scripts/spec-types.mjs';
import { sha256 } from '../src/shared/file-map.js';
import { repoRoot } from './helpers/spec.js';

const schemaText = readFileSync(join(repoRoot, 'schema', 'winrm-forge.schema.json'), 'utf8');

describe('spec types', () => {
  it('were built from the schema as it is now', async () => {
    const { specTypesSchemaSha256 } = await import('../src/generated/spec-types.js');
    expect(specTypesSchemaSha256).toBe(sha256(schemaText));
    expect(readFileSync(join(repoRoot, 'src', 'generated', 'spec-types.ts'), 'utf8')).toBe(await specTypesSource(schemaText));
  });

  it('follow a change to the schema (the comparison above can fail)', async () => {
    const schema = JSON.parse(schemaText) as { $defs: { listener: { properties: Record<string, unknown>; required: string[] } } };
    schema.$defs.listener.properties.tlsVersion = { type: 'string', enum: ['1.2', '1.3'], description: 'A planted field.' };
    schema.$defs.listener.required.push('tlsVersion');
    const changed = await specTypesSource(JSON.stringify(schema, null, 2));
    expect(changed).not.toBe(await specTypesSource(schemaText));
    expect(changed).toMatch(/tlsVersion: \("1\.2" \| "1\.3"\)/);
  });
});
