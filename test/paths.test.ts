/**
 * Host and environment names become folder names under --out. Every name that would leave
 * that folder, or that Windows would read as a device, is refused by the schema where it is
 * written, whatever field holds it.
 */
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/index.js';
import { join } from 'node:path';
import { findings, MINIMAL, readRepoFile, repoRoot } from './helpers/spec.js';

/** Names that escape a folder or name something other than a file on Windows or Linux. */
const ESCAPING = [
  '.',
  '..',
  '...',
  '../evil.fabrikam.com',
  '..\\evil.fabrikam.com',
  'exch01.fabrikam.com/..',
  'exch01.fabrikam.com\\..',
  'a/b.fabrikam.com',
  'a\\b.fabrikam.com',
  '/etc/passwd',
  '\\\\server\\share\\x.fabrikam.com',
  '~/x.fabrikam.com',
  'C:',
  'c:\\windows',
  'C:evil.fabrikam.com',
  'exch01.fabrikam.com:stream',
  'exch01.fabrikam.com::$DATA',
  '.exch01.fabrikam.com',
  'exch01..fabrikam.com',
  'exch01.fabrikam.com.',
  'exch01.fabrikam.com ',
  ' exch01.fabrikam.com',
  'exch01.fabrikam.com\u0000.txt',
  'exch01\n.fabrikam.com',
  '*.fabrikam.com',
  'exch?1.fabrikam.com',
  'exch01.fabrikam.com|x',
  'exch01.fabr\u0131kam.com',
  '\u202eexch01.fabrikam.com',
];

/** Windows device names: reserved with any letter case, alone or followed by an extension. */
const RESERVED = [
  'CON',
  'con',
  'Con',
  'PRN',
  'aux',
  'NUL',
  'com0',
  'com1',
  'COM9',
  'lpt1',
  'LPT9',
  'nul.fabrikam.com',
  'NUL.fabrikam.com',
  'con.fabrikam.com',
  'prn.fabrikam.com',
  'aux.fabrikam.com',
  'Com1.fabrikam.com',
  'lpt9.fabrikam.com',
  'COM\u00b9.fabrikam.com',
  'CONIN$.fabrikam.com',
  'CONOUT$',
];

const yamlString = (value: string) => JSON.stringify(value);

async function findingAt(spec: string, needle: string) {
  const { report, spec: accepted } = await checkText('spec.yaml', spec);
  const start = spec.indexOf(needle);
  return { accepted, at: report.diagnostics.filter((d) => d.range.start === start).map((d) => d.ruleId), all: report.diagnostics.map((d) => d.ruleId) };
}

describe('names that would escape --out', () => {
  for (const name of [...ESCAPING, ...RESERVED]) {
    it(`refuses host ${JSON.stringify(name)} at the value, in every host field`, async () => {
      const quoted = yamlString(name);
      const fields = [
        MINIMAL.replace('  - host: exch01.fabrikam.com\n', `  - host: ${quoted}\n`),
        MINIMAL.replace('{ host: dc01.fabrikam.com,', `{ host: ${quoted},`),
        MINIMAL.replace('  - name: fabrikam.com\n', `  - name: ${quoted}\n`),
      ];
      for (const spec of fields) {
        const { accepted, at } = await findingAt(spec, quoted);
        expect(accepted, spec).toBeUndefined();
        expect(at, spec).toEqual(['schema-pattern']);
      }
    });
  }

  const environmentNames = [...ESCAPING, ...RESERVED, 'con', 'nul', 'com1', 'lpt0', 'aux', 'prn', 'a/b', 'a\\b', 'c:', 'Lab', 'lab.', '-lab', 'lab-', 'x'.repeat(64)];
  for (const name of [...new Set(environmentNames)]) {
    it(`refuses environment ${JSON.stringify(name)} at the value`, async () => {
      const quoted = yamlString(name);
      const spec = MINIMAL.replace('environment: lab\n', `environment: ${quoted}\n`);
      const { accepted, at } = await findingAt(spec, quoted);
      expect(accepted).toBeUndefined();
      expect(at).toEqual(['schema-pattern']);
    });
  }

  it('names a reserved device name for what it is', async () => {
    const { report } = await checkText('spec.yaml', MINIMAL.replace('environment: lab\n', 'environment: con\n'));
    expect(report.diagnostics[0]!.hint).toContain('reserved Windows device names');
    const host = await checkText('spec.yaml', MINIMAL.replace('  - host: exch01.fabrikam.com\n', '  - host: nul.fabrikam.com\n'));
    expect(host.report.diagnostics[0]!.hint).toContain('reserved Windows device names');
  });

  it('still accepts names that merely contain a device name', async () => {
    for (const spec of [
      MINIMAL.replace('environment: lab\n', 'environment: con-galsync\n'),
      MINIMAL.replace('environment: lab\n', 'environment: com10\n'),
      MINIMAL.replace('  - host: exch01.fabrikam.com\n', '  - host: console.fabrikam.com\n'),
      MINIMAL.replace('  - host: exch01.fabrikam.com\n', '  - host: exch01.con.fabrikam.com\n'),
    ]) {
      const { report } = await checkText('spec.yaml', spec);
      expect(report.diagnostics, spec).toEqual([]);
    }
  });

  it('checks every host-like field with the same DNS name pattern', () => {
    // A new host field that does not use $defs/fqdn would bypass the tests above.
    const schema = JSON.parse(readRepoFile('schema/winrm-forge.schema.json')) as { $defs: Record<string, { properties?: Record<string, { $ref?: string }> }> };
    const loose: string[] = [];
    for (const [def, node] of Object.entries(schema.$defs)) {
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        if (/^(host|hostName|name|forest|exchange|publishedName)$/.test(key) && property.$ref !== '#/$defs/fqdn') loose.push(`${def}.${key}`);
      }
    }
    expect(loose).toEqual([]);
  });
});

describe('the writers refuse paths outside --out even when validation is bypassed', () => {
  /** Names no schema lets through, put into the checked spec and its model after the rules ran. */
  const HOSTILE_HOSTS = ['../../evil', '..', 'a/../../evil', '/etc/cron.d', 'C:\\Windows\\System32', 'c:evil', '..\\..\\evil', 'CON', 'nul.txt', 'x\u0000y', 'evil/', 'ok.fabrikam.com/../../..'];
  const HOSTILE_ENVIRONMENTS = ['..', '../..', '/tmp', 'C:', 'AUX', 'a/../..'];

  async function bypassed(edit: (spec: Record<string, any>) => void) {
    const { generateFrom } = await import('../src/index.js');
    const { modelSpec } = await import('../src/model/model.js');
    const checked = await checkText('spec.yaml', MINIMAL);
    const value = structuredClone(checked.spec!.value) as Record<string, any>;
    edit(value);
    // The check's result carries the model the rules asked: rebuild it from the edited spec.
    const spec = { ...checked.spec!, value };
    return generateFrom({ ...checked, spec, model: modelSpec(spec) }, { specPath: 'spec.yaml', toolVersion: '0.0.0' });
  }

  it('the output writer refuses a hand-built model with a hostile host or environment name, and write nothing', async () => {
    const { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeOutput } = await import('../src/output/atomic-output.js');
    const parent = mkdtempSync(join(tmpdir(), 'winrm-forge-bypass-'));
    try {
      writeFileSync(join(parent, 'outside.txt'), 'keep me');
      const cases = [
        ...HOSTILE_HOSTS.map((host) => ({ name: `host ${JSON.stringify(host)}`, edit: (s: Record<string, any>) => void (s.exchange[0].host = host) })),
        ...HOSTILE_ENVIRONMENTS.map((environment) => ({ name: `environment ${JSON.stringify(environment)}`, edit: (s: Record<string, any>) => void (s.environment = environment) })),
      ];
      let refusedPaths = 0;
      for (const { name, edit } of cases) {
        const result = await bypassed(edit);
        expect(result.files, name).toBeDefined();
        const written = writeOutput(join(parent, 'out'), result.files!);
        expect(written.ok, name).toBe(false);
        const unsafe = written.problems.filter((p) => p.code === 'unsafe-path');
        expect(unsafe.length, name).toBeGreaterThan(0);
        refusedPaths += unsafe.length;
        expect(readdirSync(parent).sort(), name).toEqual(['outside.txt']);
      }
      expect(readFileSync(join(parent, 'outside.txt'), 'utf8')).toBe('keep me');
      expect(refusedPaths).toBeGreaterThanOrEqual(cases.length);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('Windows path lengths', () => {
  it('keeps every generated file name within the budget windows-path-too-long leaves for it', async () => {
    const { FILE_NAME_BUDGET, FOLDER_BUDGET, TREE_PATH_BUDGET } = await import('../src/rules/windows-path-too-long.js');
    const { readdirSync: list } = await import('node:fs');
    const names = (list(join(repoRoot, 'test', 'golden'), { recursive: true }) as string[]).map((p) => p.split(/[\\/]/).pop() ?? '');
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) expect(name.length, name).toBeLessThanOrEqual(FILE_NAME_BUDGET);
    expect(FOLDER_BUDGET + FILE_NAME_BUDGET).toBe(TREE_PATH_BUDGET);
  });

  it('refuses a 253-character host name before generating paths Windows cannot hold', async () => {
    const label = (c: string) => c.repeat(61);
    const host = `exch01.${label('a')}.${label('b')}.${label('c')}.${'d'.repeat(56)}.com`;
    expect(host.length).toBe(253);
    const found = await findings(MINIMAL.replace('host: exch01.fabrikam.com', `host: ${host}`));
    expect(found.filter((f) => f.includes('windows-path-too-long')).map((f) => f.split(' ')[0])).toEqual(['8:11']);
  });
});
