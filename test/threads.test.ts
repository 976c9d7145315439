/**
 * The built command runs part of `diff` and `generate --check` in a worker thread where the
 * machine has a second CPU (src/cli/commands/workers.ts): `diff` plans its base spec there
 * (diff-sides.ts), `--check` hashes the tree on disk there (check-digests.ts). Each must print
 * exactly what the same work done one step after the other prints (WINRM_FORGE_THREADS=0): the
 * same diff or drift report, the same warnings in the same order, the same refusals and exit codes.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/spec.js';
import { environmentHint, startDigests } from '../src/cli/commands/check-digests.js';
import { workerSide } from '../src/cli/commands/diff-sides.js';

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
    expect(built.sideWorker({ ...io, env: { WINRM_FORGE_THREADS: '1' } })).toBe(join(repoRoot, 'dist/src/diff-side.js'));
    expect(built.sideWorker({ ...io, env: { WINRM_FORGE_THREADS: '0' } })).toBeUndefined();
    // By default only with an idle second CPU.
    const idle = availableParallelism() >= 2 && loadavg()[0]! < availableParallelism() - 0.5;
    expect(built.sideWorker(io) !== undefined).toBe(idle);
    // From the sources (these tests), never: the worker runs built code only.
    const sources = await import('../src/cli/commands/diff-sides.js');
    expect(sources.sideWorker(io)).toBeUndefined();
  });
});

describe('generate --check with the tree hashed in a worker thread', () => {
  const tree = join(work, 'tree');
  const generated = run(['generate', base, '--out', tree], '0');
  const environment = /^environment: (\S+)$/m.exec(example)![1]!;
  const checks: { name: string; spec: string; edit?: (folder: string) => void }[] = [
    { name: 'an up-to-date tree', spec: base },
    { name: 'a changed spec', spec: join(work, 'strict.yaml') },
    { name: 'a hand-edited and a deleted file', spec: base, edit: (folder) => (appendFileSync(join(folder, 'PLAN.md'), 'mine\n'), unlinkSync(join(folder, 'firewall.csv'))) },
    // The environment written as a block scalar: no guess before parsing, so no worker.
    { name: 'a spec whose environment line gives no guess', spec: spec('folded.yaml', example.replace(`environment: ${environment}`, `environment: >-\n  ${environment}`)) },
    { name: 'a spec with errors', spec: join(work, 'broken.yaml') },
  ];

  it.each(checks)('prints what hashing in the main thread prints: $name', ({ spec: checked, edit }) => {
    expect(generated.status).toBe(0);
    const copy = join(work, `check-${Math.random().toString(36).slice(2)}`);
    cpSync(tree, copy, { recursive: true });
    edit?.(join(copy, environment));
    const threaded = run(['generate', checked, '--out', copy, '--check'], '1');
    const sequential = run(['generate', checked, '--out', copy, '--check'], '0');
    expect(threaded).toEqual(sequential);
    expect([0, 1]).toContain(threaded.status);
  });

  it('guesses the environment from a plain top-level line only', () => {
    expect(environmentHint('version: 1\nenvironment: contoso-galsync\n')).toBe('contoso-galsync');
    expect(environmentHint("environment: 'prod.eu' # the EU estate\r\nversion: 1")).toBe('prod.eu');
    expect(environmentHint('environment: >-\n  prod\n')).toBeUndefined();
    expect(environmentHint('metadata:\n  environment: prod\n')).toBeUndefined();
    expect(environmentHint('environment: "prod\'\n')).toBeUndefined();
  });

  it('hands over no digests for another environment than the one guessed, nor from the sources', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: work, env: { WINRM_FORGE_THREADS: '1' }, isTTY: false };
    // From the sources no worker runs: nothing is hashed ahead, whatever the environment.
    const pending = startDigests(tree, base, io);
    expect(await pending.take(environment)).toBeUndefined();
    const built = (await import(join(repoRoot, 'dist/src/cli/commands/check-digests.js'))) as typeof import('../src/cli/commands/check-digests.js');
    const hashing = built.startDigests(tree, base, io);
    expect(await hashing.take('another-environment')).toBeUndefined();
    const again = built.startDigests(tree, base, io);
    const digests = await again.take(environment);
    // Every script the manifest records, hashed (PLAN.md and firewall.csv are always rendered).
    const manifest = JSON.parse(readFileSync(join(tree, environment, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; input?: string }[] };
    const scripts = manifest.files.filter((f) => f.input !== undefined);
    expect(scripts.length).toBeGreaterThan(0);
    expect(new Map([...digests!].map(([path, d]) => [path, 'sha256' in d ? d.sha256 : 'absent']))).toEqual(new Map(scripts.map((f) => [`${environment}/${f.path}`, f.sha256])));
  });
});

describe('a worker thread that ends before it has answered', () => {
  const request = { spec: 'base.yaml', specPath: 'base.yaml', cwd: work, env: {}, stderrIsTTY: false };
  const script = (name: string, body: string) => {
    const path = join(work, name);
    writeFileSync(path, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
    return path;
  };

  it('fails the rendering it was asked for instead of leaving diff waiting on nothing', async () => {
    // Answers the side, then ends without rendering.
    const worker = workerSide(script('answers-once.mjs', "parentPort.postMessage({ stderr: '', planned: { inputs: new Map(), hosts: [] } });\nparentPort.close();"), request);
    const { side } = await worker.side;
    expect('planned' in side).toBe(true);
    if (!('planned' in side)) return;
    // Let it end before the rendering is asked for (the window between its two answers).
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(side.planned.render(['env/PLAN.md'])).rejects.toThrow(/before it answered/);
  });

  it('fails the side when it ends without a word', async () => {
    const worker = workerSide(script('silent.mjs', 'parentPort.close();'), request);
    await expect(worker.side).rejects.toThrow(/before it answered/);
  });
});
