import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateFile, type GenerateResult } from '../../src/index.js';
import { packageVersion } from '../../src/shared/paths.js';
import { repoRoot } from './spec.js';

const yamlIn = (folder: string) =>
  readdirSync(join(repoRoot, folder))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${folder}/${f}`);

/** Every example, plus the fixtures written to reach every template branch. */
export const generatedSpecs = [...yamlIn('examples'), ...yamlIn('test/fixtures/generate')];

/** The golden folder of a spec: test/golden/<file name without .yaml>. */
export function goldenName(spec: string): string {
  return spec.slice(spec.lastIndexOf('/') + 1).replace(/\.yaml$/, '');
}

/**
 * The day generated trees judge support dates on (product-lifecycle), so that the golden trees
 * do not change with the clock.
 */
export const GOLDEN_TODAY = new Date('2026-12-01T00:00:00Z');

const cache = new Map<string, Promise<GenerateResult>>();

/** Generates a spec in memory, as `winrm-forge generate <spec>` does from the repository root. */
export function generateSpec(spec: string): Promise<GenerateResult> {
  let result = cache.get(spec);
  if (!result) {
    result = generateFile(join(repoRoot, ...spec.split('/')), spec, { specPath: spec, toolVersion: packageVersion(), today: GOLDEN_TODAY });
    cache.set(spec, result);
  }
  return result;
}

/** An example by file name. */
export function generateExample(name: string): Promise<GenerateResult> {
  return generateSpec(`examples/${name}`);
}
