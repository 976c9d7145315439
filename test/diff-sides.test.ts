/**
 * `diff` of the built command plans the base spec in a worker thread where the machine has a
 * second CPU (src/cli/commands/diff-sides.ts). It must print exactly what planning both specs one
 * after the other prints (WINRM_FORGE_THREADS=0): the same diff, the same warnings in the same
 * order (base first), the same refusals and exit codes.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/spec.js';

const bin = join(repoRoot, 'dist/src/bin.js');
const work = mkdtempSync(join(tmpdir(), 'winrm-forge-diff-sides-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const example = readFileSync(join(repoRoot, 'examples/galsync-fim-kerberos.yaml'), 'utf8');
function spec(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

// Each edit is checked to apply, so a changed example cannot turn a case into a no-op.
function edited(from: string, to: string): string {
  expect(example.includes(from), `the example holds ${JSON.stringify(from)}`).toBe(true);
  return example.replace(from, to);
}

const base = spec('base.yaml', example);
const cases: { name: string; args: string[] }[] = [
  { name: 'identical specs', args: ['diff', base, spec('same.yaml', example)] },
  { name: 'a changed setting, with a warning on the head side', args: ['diff', base, spec('strict.yaml', edited('cbtHardening: relaxed', 'cbtHardening: strict'))] },
  { name: 'the same as a review summary', args: ['diff', base, join(work, 'strict.yaml'), '--format', 'markdown'] },
  { name: 'warnings on both sides, base first', args: ['diff', join(work, 'strict.yaml'), spec('strict2.yaml', edited('cbtHardening: relaxed', 'cbtHardening: strict').replace('version: 1', 'version: 1 # head'))] },
  { name: 'errors in the base spec', args: ['diff', spec('broken.yaml', edited('cbtHardening: relaxed', 'cbtHardening: loose')), base] },
  { name: 'errors in the head spec', args: ['diff', base, join(work, 'broken.yaml')] },
  { name: 'errors in both, as markdown', args: ['diff', join(work, 'broken.yaml'), join(work, 'broken.yaml'), '--format', 'markdown'] },
  { name: 'a base spec that cannot be read', args: ['diff', join(work, 'missing.yaml'), base] },
];

function run(args: string[], threads: '0' | '1') {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, WINRM_FORGE_THREADS: threads, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('diff with the base spec planned in a worker thread', () => {
  it.each(cases)('prints what planning one after the other prints: $name', ({ args }) => {
    const threaded = run(args, '1');
    const sequential = run(args, '0');
    expect(threaded).toEqual(sequential);
    expect([0, 1, 2]).toContain(threaded.status);
  });

  it('finds its worker in the build, where the machine has a second CPU', async () => {
    const built = (await import(join(repoRoot, 'dist/src/cli/commands/diff-sides.js'))) as typeof import('../src/cli/commands/diff-sides.js');
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: work, env: {}, isTTY: false };
    expect(built.sideWorker(io)).toBe(availableParallelism() >= 2 ? join(repoRoot, 'dist/src/diff-side.js') : undefined);
    expect(built.sideWorker({ ...io, env: { WINRM_FORGE_THREADS: '0' } })).toBeUndefined();
    // From the sources (these tests), never: the worker runs built code only.
    const sources = await import('../src/cli/commands/diff-sides.js');
    expect(sources.sideWorker(io)).toBeUndefined();
  });
});
