import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateFile, type GenerateResult } from '../../src/index.js';
import { packageVersion } from '../../src/paths.js';
import { repoRoot } from './spec.js';

export const exampleNames = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const cache = new Map<string, Promise<GenerateResult>>();

/** Generates an example in memory, as `winrm-forge generate examples/<name>` does from the repository root. */
export function generateExample(name: string): Promise<GenerateResult> {
  let result = cache.get(name);
  if (!result) {
    result = generateFile(join(repoRoot, 'examples', name), `examples/${name}`, { specPath: `examples/${name}`, toolVersion: packageVersion() });
    cache.set(name, result);
  }
  return result;
}
