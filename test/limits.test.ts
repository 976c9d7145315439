/**
 * Hostile input that would exhaust the machine: each case is refused with one located
 * diagnostic before it costs time or memory. Timing is measured by `npm run bench`, not here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_ALIASES, MAX_DEPTH, MAX_LINE_LENGTH, MAX_SPEC_BYTES, parseSpec } from '../src/spec/load.js';
import { checkText } from '../src/index.js';
import { hostileInputs } from '../bench/hostile.js';
import { repoRoot } from './helpers/spec.js';

/** Runs the whole check on text and returns its findings as `line:col rule`. */
async function refusal(text: string) {
  const { report, spec } = await checkText('spec.yaml', text);
  const at = report.diagnostics.map((d) => {
    const p = report.source?.position(d.range.start) ?? { line: 1, column: 1 };
    return `${p.line}:${p.column} ${d.ruleId}`;
  });
  return { at, spec, diagnostics: report.diagnostics };
}

describe('input limits', () => {
  const inputs = hostileInputs();

  it('generates each hostile input at the size the limits are about', () => {
    expect(Buffer.byteLength(inputs.fiftyMegabytes)).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    expect(inputs.megabyteLine.length).toBeGreaterThanOrEqual(1024 * 1024);
    expect(inputs.flowOneLine.split('[').length - 1).toBe(10_000);
  });

  it('refuses an exponential alias bomb that uses few aliases', async () => {
    const { at, spec, diagnostics } = await refusal(inputs.billionLaughs);
    expect(spec).toBeUndefined();
    // The first alias sits on line 3 ("b: &b [*a, ..."), column 8.
    expect(at).toEqual(['3:8 yaml-alias-limit']);
    expect(diagnostics[0]!.message).toMatch(/^the YAML aliases expand too far/);
  });

  it('refuses more aliases than the limit at the first alias over it', async () => {
    const { at } = await refusal(inputs.manyAliases);
    expect(at).toEqual([`${MAX_ALIASES + 2}:7 yaml-alias-limit`]);
  });

  it('refuses 50 MB of text handed over in memory, without parsing it', async () => {
    const { at, diagnostics } = await refusal(inputs.fiftyMegabytes);
    expect(at).toEqual(['1:1 file-too-large']);
    expect(diagnostics[0]!.message).toBe(`spec.yaml is 50.0 MiB, over the ${MAX_SPEC_BYTES / 1024 / 1024}.0 MiB limit for a spec`);
  });

  it('refuses a 1 MB single line at the start of that line', async () => {
    const { at, diagnostics } = await refusal(inputs.megabyteLine);
    expect(at).toEqual(['2:1 yaml-line-too-long']);
    expect(diagnostics[0]!.message).toBe(`a line of ${inputs.megabyteLine.split('\n')[1]!.length} characters is longer than the ${MAX_LINE_LENGTH} allowed`);
  });

  // The collection that goes one level too deep is reported, wherever the nesting comes from.
  const deep: [name: keyof ReturnType<typeof hostileInputs>, at: string][] = [
    ['flowOneLine', `1:${MAX_DEPTH + 1}`],
    ['flowLines', `${MAX_DEPTH + 1}:1`],
    ['flowMappings', `1:${4 * MAX_DEPTH + 1}`],
    ['blockMappings', `${MAX_DEPTH + 1}:${MAX_DEPTH + 1}`],
    ['blockSequenceDashes', `1:${2 * MAX_DEPTH + 1}`],
    ['blockSequenceDashesTooLong', `1:${2 * MAX_DEPTH + 1}`],
    ['explicitKeys', `1:${2 * MAX_DEPTH + 1}`],
    // The root mapping and two compact sequences come first, so bracket number MAX_DEPTH - 2 is one too many.
    ['blockThenFlow', `2:${'  - - '.length + MAX_DEPTH - 2}`],
  ];
  for (const [name, at] of deep) {
    it(`refuses 10,000-deep nesting (${name}) before composing it`, async () => {
      const { at: found, spec } = await refusal(inputs[name]);
      expect(spec).toBeUndefined();
      expect(found).toEqual([`${at} yaml-too-deep`]);
    });
  }

  it('refuses block nesting 10,000 levels deep as too large: it needs 50 MB of indentation', async () => {
    const { at } = await refusal(inputs.blockMappingsTenThousand);
    expect(at).toEqual(['1:1 file-too-large']);
  });

  it('accepts nesting right at the limit', () => {
    const atLimit = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH) + '\n';
    expect(parseSpec('spec.yaml', atLimit).report.diagnostics).toEqual([]);
    const dashes = '- '.repeat(MAX_DEPTH) + 'x\n';
    expect(parseSpec('spec.yaml', dashes).report.diagnostics).toEqual([]);
  });

  // One cold process per hostile file, each loading the whole pipeline: on a loaded 2-core
  // machine they take longer together than the default per-test time.
  it('keeps the peak memory of a separate process well under 200 MB for every hostile file', { timeout: 180_000 }, () => {
    // A process of its own per input, so that each peak (maxRSS) belongs to that input alone.
    const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-limits-'));
    const index = pathToFileURL(join(repoRoot, 'dist', 'src', 'index.js')).href;
    const results: Record<string, { rules: string[]; maxRssMiB: number }> = {};
    for (const [name, text] of Object.entries(inputs)) {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, text);
      const script = `const { checkFile } = await import(${JSON.stringify(index)});
const { report } = await checkFile(${JSON.stringify(file)}, 'spec.yaml');
process.stdout.write(JSON.stringify({ rules: report.diagnostics.map((d) => d.ruleId), maxRssMiB: process.resourceUsage().maxRSS / 1024 }));`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(child.stderr).toBe('');
      results[name] = JSON.parse(child.stdout) as { rules: string[]; maxRssMiB: number };
    }
    for (const [name, result] of Object.entries(results)) {
      expect(result.rules.length, name).toBe(1);
      expect(result.maxRssMiB, name).toBeLessThan(150);
    }
  });
});
