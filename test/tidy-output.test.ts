/**
 * The templates emit tidy text, so the renderer does not tidy it: no trailing spaces or tabs, no
 * run of blank lines, no blank line at either end, one final newline (`tidy` is the definition).
 * Checked on every file of the goldens' specs, the examples, the down-level simulator fixtures,
 * the GalSync variants and a bounded sample of fuzzed specs (fixed seed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateText } from '../src/index.js';
import { tidy } from './helpers/tidy.js';
import { packageVersion } from '../src/shared/paths.js';
import type { FileMap } from '../src/shared/file-map.js';
import { generatedSpecs, GOLDEN_TODAY } from './helpers/generate.js';
import { fuzzInput } from './helpers/fuzz-specs.js';
import { withNewForest, withoutSyncServers, withSecondExchangeServer, withSecondSyncServer } from './helpers/galsync-variants.js';
import { pipeline } from './helpers/pipeline.js';
import { propertySeed } from './helpers/property.js';
import { repoRoot } from './helpers/spec.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a rendered file as tidy reads it: no BOM, LF line endings. */
function textOf(bytes: Uint8Array): string {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return decoder.decode(hasBom ? bytes.subarray(3) : bytes).replace(/\r\n/g, '\n');
}

/**
 * Where `tidy` would change a file: its path and the first line that differs (1-based), with
 * the line as rendered, or nothing when the file is tidy.
 */
export function untidyAt(path: string, text: string): string | undefined {
  const tidied = tidy(text);
  if (tidied === text) return undefined;
  const got = text.split('\n');
  const want = tidied.split('\n');
  let line = 0;
  while (line < got.length && got[line] === want[line]) line++;
  return `${path}:${line + 1}: ${JSON.stringify(got[line] ?? '')} (tidy gives ${JSON.stringify(want[line] ?? '<end>')})`;
}

/** Every rendered text file of a tree (manifest.json and firewall.csv are built, not templated). */
function untidyFiles(prefix: string, files: FileMap): string[] {
  const problems: string[] = [];
  for (const [path, bytes] of files) {
    if (!path.endsWith('.ps1') && !path.endsWith('.md')) continue;
    const problem = untidyAt(`${prefix}${path}`, textOf(bytes));
    if (problem) problems.push(problem);
  }
  return problems;
}

async function generated(file: string, text: string): Promise<FileMap> {
  const result = await generateText(file, text, { specPath: file, toolVersion: packageVersion(), today: GOLDEN_TODAY });
  if (!result.files) throw new Error(`${file} was refused: ${result.report.diagnostics.map((d) => d.message).join('; ')}`);
  return result.files;
}

const simulateFixtures = readdirSync(join(repoRoot, 'test/fixtures/simulate'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => `test/fixtures/simulate/${f}`);

describe('rendered output is tidy without tidying', () => {
  it('finds an untidy line by file and line number', () => {
    expect(untidyAt('x.ps1', 'a\n\n\nb\n')).toBe('x.ps1:3: "" (tidy gives "b")');
    expect(untidyAt('x.ps1', 'a \nb\n')).toBe('x.ps1:1: "a " (tidy gives "a")');
    expect(untidyAt('x.ps1', 'a\n')).toBeUndefined();
  });

  for (const spec of [...generatedSpecs, ...simulateFixtures]) {
    it(`every script and PLAN.md of ${spec}`, async () => {
      const text = readFileSync(join(repoRoot, spec), 'utf8');
      for (const eol of ['crlf', 'lf'] as const) {
        const result = await generateText(spec, text, { specPath: spec, toolVersion: packageVersion(), today: GOLDEN_TODAY, scriptEol: eol });
        expect(result.files, spec).toBeDefined();
        expect(untidyFiles(`${eol} `, result.files!)).toEqual([]);
      }
    });
  }

  it('every script of the GalSync variants', async () => {
    const variants = { withSecondSyncServer, withSecondExchangeServer, withNewForest, withoutSyncServers };
    const problems: string[] = [];
    for (const [name, make] of Object.entries(variants)) problems.push(...untidyFiles(`${name}: `, await generated(`${name}.yaml`, make())));
    expect(problems).toEqual([]);
  });

  // Bounded by count, with the run's seed (fixed by default): the accepted specs among the first
  // TIDY_FUZZ_SPECS (default 300) fuzzed inputs.
  it('every script of a sample of accepted fuzzed specs', { timeout: 120_000 }, async () => {
    const inputs = fc.sample(fuzzInput, { numRuns: Number(process.env.TIDY_FUZZ_SPECS ?? 300), seed: propertySeed(process.env).seed });
    const problems: string[] = [];
    let accepted = 0;
    for (const [n, input] of inputs.entries()) {
      const outcome = await pipeline(input);
      if (!outcome.accepted || !outcome.files) continue;
      accepted++;
      problems.push(...untidyFiles(`spec-${n}: `, outcome.files));
    }
    expect(accepted).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
