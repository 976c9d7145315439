import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { FileReport } from '../src/shared/diagnostics.js';
import { formatSarif } from '../src/cli/format/sarif.js';
import { checkText } from '../src/index.js';
import { ruleDocText } from '../src/shared/paths.js';
import { rules } from '../src/rules/index.js';
import { MINIMAL, readRepoFile, repoRoot } from './helpers/spec.js';
import { GOLDEN_TODAY } from './helpers/generate.js';

// The official OASIS SARIF 2.1.0 schema (errata 01, from oasis-tcs/sarif-spec), a draft-04 schema.
const sarifSchema = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv04({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri?: string; shortDescription: { text: string }; fullDescription?: { text: string }; help?: { markdown: string }; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
      suppressions?: { kind: string; justification: string }[];
    }[];
  }[];
}

const waivedAndBroken = `${MINIMAL}    winrm:
      listeners: [{ transport: https }]
      auth: { cbtHardening: none }
waivers:
  - rule: cbt-hardening-none
    host: exch01.fabrikam.com
    reason: Monosync two-hop sessions need it until OPS-301 lands.
`;

async function reports(): Promise<FileReport[]> {
  const out: FileReport[] = [];
  out.push((await checkText('envs/lab spec.yaml', waivedAndBroken)).report);
  out.push((await checkText('/home/ci/repo/envs/bad.yaml', MINIMAL.replace('ip: 10.2.0.20', 'ip: 10.2.0.2000'))).report);
  out.push((await checkText('examples/exchange-arr-publishing.yaml', readRepoFile('examples/exchange-arr-publishing.yaml'), { today: GOLDEN_TODAY })).report);
  return out;
}

function sarifOf(list: FileReport[]): SarifLog {
  return JSON.parse(formatSarif(list, { rules, docOf: ruleDocText, cwd: '/home/ci/repo', toolVersion: '0.1.0' })) as SarifLog;
}

describe('--format sarif', () => {
  it('validates against the SARIF 2.1.0 JSON Schema', async () => {
    const log = sarifOf(await reports());
    const ok = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is real: a broken log fails it', () => {
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal' }] }] })).toBe(false);
  });

  it('describes every rule with its doc, help URI and default level', async () => {
    const driver = sarifOf(await reports()).runs[0]!.tool.driver;
    expect(driver.name).toBe('winrm-forge');
    for (const rule of rules) {
      const d = driver.rules.find((r) => r.id === rule.id)!;
      expect(d.shortDescription.text).toBe(rule.description);
      expect(d.helpUri).toBe(`https://winrm-forge.dev/docs/rules/${rule.id}.md`);
      expect(d.help?.markdown).toBe(readRepoFile(`docs/rules/${rule.id}.md`));
      expect(d.fullDescription?.text.length).toBeGreaterThan(40);
      expect(d.defaultConfiguration.level).toBe(rule.severity === 'info' ? 'note' : rule.severity);
    }
    expect(driver.rules.map((r) => r.id)).toContain('schema-format');
  });

  it('locates results with relative forward-slash URIs and 1-based regions, and suppresses waived ones', async () => {
    const { results, tool } = sarifOf(await reports()).runs[0]!;
    const listener = results.find((r) => r.ruleId === 'https-listener-certificate')!;
    expect(listener.level).toBe('error');
    expect(listener.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'envs/lab%20spec.yaml', uriBaseId: 'SRCROOT' },
      region: { startLine: 12, startColumn: 21, endLine: 12, endColumn: 30 },
    });
    expect(listener.message.text).toContain('How to fix:');
    expect(tool.driver.rules[listener.ruleIndex]!.id).toBe('https-listener-certificate');
    const waived = results.filter((r) => r.suppressions);
    expect(waived.map((r) => r.ruleId)).toEqual([
      'cbt-hardening-none',
      'product-lifecycle',
      'product-lifecycle',
      'product-lifecycle',
      'product-lifecycle',
      'product-lifecycle',
      'product-lifecycle',
      'vdir-basic-authentication',
      'frontend-powershell-https',
    ]);
    expect(waived[0]!.suppressions![0]).toMatchObject({ kind: 'inSource', justification: 'Monosync two-hop sessions need it until OPS-301 lands.' });
    const schema = results.find((r) => r.ruleId === 'schema-format')!;
    expect(schema.locations[0]!.physicalLocation.artifactLocation.uri).toBe('envs/bad.yaml');
    expect(JSON.stringify(results)).not.toContain('/home/ci');
  });

  it('gives every rule its whole rationale as fullDescription, and the built-in checks a full description and help', async () => {
    const log = sarifOf(await reports());
    const driver = log.runs[0]!.tool.driver;
    for (const rule of rules) {
      const why = /\n## Why\n\n([\s\S]*?)\n\n/.exec(readRepoFile(`docs/rules/${rule.id}.md`))![1]!.replace(/\s*\n\s*/g, ' ').trim();
      expect(driver.rules.find((r) => r.id === rule.id)!.fullDescription!.text).toBe(why);
    }
    expect(driver.rules.find((r) => r.id === 'unknown-forest')!.fullDescription!.text).toMatch(/with its domain controllers\.$/);
    const builtIn = driver.rules.find((r) => r.id === 'schema-format')!;
    expect(builtIn.fullDescription?.text.length).toBeGreaterThan(60);
    expect(builtIn.help?.markdown.length).toBeGreaterThan(20);
  });

  it('fingerprints each result by rule, file, host and message, so a finding keeps its identity when lines move', async () => {
    const print = async (text: string) => {
      const log = JSON.parse(formatSarif([(await checkText('envs/lab.yaml', text)).report], { rules, docOf: ruleDocText, cwd: '/home/ci/repo', toolVersion: '0.1.0' })) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
      return log.runs[0]!.results.map((r) => r.partialFingerprints['winrmForgeFinding/v1']);
    };
    const before = await print(waivedAndBroken);
    expect(before.every((f) => /^[0-9a-f]{64}$/.test(f ?? ''))).toBe(true);
    expect(new Set(before).size).toBe(before.length);
    expect(await print(`# a comment that moves every line\n${waivedAndBroken}`)).toEqual(before);
  });

  it('makes artifact URIs relative to the repository root, whichever folder validate runs in', () => {
    const repo = mkdtempSync(join(tmpdir(), 'winrm-forge-sarif-repo-'));
    expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
    mkdirSync(join(repo, 'envs'));
    writeFileSync(join(repo, 'envs', 'lab.yaml'), waivedAndBroken);
    const bin = join(repoRoot, 'dist', 'src', 'bin.js');
    const r = spawnSync(process.execPath, [bin, 'validate', 'lab.yaml', '--format', 'sarif'], { cwd: join(repo, 'envs'), encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    const log = JSON.parse(r.stdout) as SarifLog & { runs: { originalUriBaseIds: Record<string, { uri: string }> }[] };
    expect(validateSarif(log)).toBe(true);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'envs/lab.yaml', uriBaseId: 'SRCROOT' });
    expect(log.runs[0]!.originalUriBaseIds.SRCROOT!.uri).toBe(`${pathToFileURL(realpathSync(repo)).href}/`);
  });

  it('is what the built binary prints, and keeps the exit code of the findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-sarif-'));
    writeFileSync(join(dir, 'spec.yaml'), waivedAndBroken);
    const bin = join(repoRoot, 'dist', 'src', 'bin.js');
    const r = spawnSync(process.execPath, [bin, 'validate', 'spec.yaml', '--format', 'sarif'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(validateSarif(log)).toBe(true);
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toEqual(['https-listener-certificate', 'cbt-hardening-none']);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('spec.yaml');
  });
});
