/**
 * Golden output trees: every example is generated and compared byte for byte with
 * test/golden/<example>/. Update them deliberately with `npm run golden:update`
 * (WINRM_FORGE_UPDATE_GOLDEN=1) and review the diff like code.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleNames, generateExample } from './helpers/generate.js';
import { repoRoot } from './helpers/spec.js';

const update = process.env.WINRM_FORGE_UPDATE_GOLDEN === '1';

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

describe('golden output trees', () => {
  for (const name of exampleNames) {
    it(`${name} generates exactly test/golden/${name.replace(/\.yaml$/, '')}/`, async () => {
      const { files, report } = await generateExample(name);
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(files).toBeDefined();
      const folder = join(repoRoot, 'test', 'golden', name.replace(/\.yaml$/, ''));
      if (update) {
        rmSync(folder, { recursive: true, force: true });
        for (const [path, bytes] of files!) {
          mkdirSync(dirname(join(folder, path)), { recursive: true });
          writeFileSync(join(folder, path), bytes);
        }
      }
      const expected = listFiles(folder)
        .map((p) => relative(folder, p).split('\\').join('/'))
        .sort();
      expect([...files!.keys()].sort()).toEqual(expected);
      for (const [path, bytes] of files!) {
        const golden = readFileSync(join(folder, path));
        // Compare text first for a readable diff, then the bytes (line endings, BOM).
        expect(Buffer.from(bytes).toString('utf8'), path).toBe(golden.toString('utf8'));
        expect(Buffer.compare(Buffer.from(bytes), golden), path).toBe(0);
      }
    });
  }
});
