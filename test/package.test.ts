/** What `npm publish` would ship: the license the manifest names, and no source maps pointing at sources it does not ship. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readRepoFile, repoRoot } from './helpers/spec.js';

describe('the package', () => {
  it('ships LICENSE, the built command and no source maps', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/src/bin.js');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(JSON.parse(readRepoFile('package.json')).license).toBe('MIT');
    expect(readRepoFile('LICENSE')).toMatch(/^MIT License\n/);
  });
});
