/**
 * The built command runs part of `diff` and `generate --check` in a worker thread where the
 * machine has a second CPU (src/cli/commands/workers.ts): `diff` plans its base spec there
 * (diff-sides.ts), `--check` hashes the tree on disk there (check-digests.ts). Each must print
 * exactly what the same work done one step after the other prints (WINRM_FORGE_THREADS=0): the
 * same diff or drift report, the same warnings in the same order, the same refusals and exit codes.
 * A large `generate` runs in a worker thread for its memory (generate-thread.ts): it must print,
 * write and exit as the main thread does.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/spec.js';
import { environmentHint, startDigests } from '../src/cli/commands/check-digests.js';
import { workerSide } from '../src/cli/commands/diff-sides.js';
import { generateInWorker, YOUNG_GENERATION_MB } from '../src/cli/commands/generate-thread.js';
import { generateWorker } from '../src/cli/commands/workers.js';

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
  const request = { spec: 'base.yaml', specPath: 'base.yaml', io: { cwd: work, env: {}, isTTY: false, stderrIsTTY: false } };
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

describe('generate of a large spec, written from a worker thread', () => {
  // Two folders holding the same specs, so that every path the command prints is the same in both.
  const folders = { '1': join(work, 'gen-threaded'), '0': join(work, 'gen-sequential') } as const;
  const specs = { 'base.yaml': example, 'strict.yaml': edited('cbtHardening: relaxed', 'cbtHardening: strict'), 'broken.yaml': edited('cbtHardening: relaxed', 'cbtHardening: loose') };
  for (const folder of Object.values(folders)) {
    mkdirSync(folder);
    for (const [name, text] of Object.entries(specs)) writeFileSync(join(folder, name), text);
    writeFileSync(join(folder, 'in-the-way'), 'a file where a folder is needed\n');
  }
  const inEach = (args: string[], threads: '0' | '1') => {
    const result = spawnSync(process.execPath, [bin, ...args], { cwd: folders[threads], encoding: 'utf8', env: { ...process.env, WINRM_FORGE_THREADS: threads, NO_COLOR: '1' } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const tree = (folder: string) => {
    const files = new Map<string, string>();
    const walk = (dir: string, prefix: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        else files.set(`${prefix}${entry.name}`, readFileSync(join(dir, entry.name), 'latin1'));
      }
    };
    walk(folder, '');
    return files;
  };
  // In order: each run starts from what the one before left in its folder.
  const runs: { name: string; args: string[] }[] = [
    { name: 'a fresh folder', args: ['generate', 'base.yaml', '--out', 'out'] },
    { name: 'the same spec again: nothing written', args: ['generate', 'base.yaml', '--out', 'out'] },
    { name: 'a changed spec, with a warning', args: ['generate', 'strict.yaml', '--out', 'out'] },
    { name: 'LF scripts', args: ['generate', 'strict.yaml', '--out', 'out', '--eol', 'lf'] },
    { name: 'a spec with errors: nothing written', args: ['generate', 'broken.yaml', '--out', 'out'] },
    { name: 'a spec that cannot be read', args: ['generate', 'missing.yaml', '--out', 'out'] },
    { name: 'a folder that cannot be written', args: ['generate', 'base.yaml', '--out', 'in-the-way'] },
    { name: 'a folder of someone else, refused', args: ['generate', 'base.yaml', '--out', '.'] },
  ];

  it('prints, writes and exits as generating in the main thread does', () => {
    for (const { name, args } of runs) {
      const threaded = inEach(args, '1');
      const sequential = inEach(args, '0');
      expect(threaded, name).toEqual(sequential);
      expect([0, 1, 2], name).toContain(threaded.status);
      expect(tree(join(folders['1'], 'out')), name).toEqual(tree(join(folders['0'], 'out')));
    }
    expect(tree(join(folders['1'], 'out')).size).toBeGreaterThan(10);
  });

  it('starts for a large spec from the build only, and never with WINRM_FORGE_THREADS=0', async () => {
    const built = (await import(join(repoRoot, 'dist/src/cli/commands/workers.js'))) as typeof import('../src/cli/commands/workers.js');
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: work, env: {}, isTTY: false };
    const script = join(repoRoot, 'dist/src/generate.js');
    expect(built.generateWorker(built.LARGE_SPEC_BYTES, io)).toBe(script);
    expect(built.generateWorker(built.LARGE_SPEC_BYTES - 1, io)).toBeUndefined();
    expect(built.generateWorker(0, { ...io, env: { WINRM_FORGE_THREADS: '1' } })).toBe(script);
    expect(built.generateWorker(built.LARGE_SPEC_BYTES, { ...io, env: { WINRM_FORGE_THREADS: '0' } })).toBeUndefined();
    expect(generateWorker(built.LARGE_SPEC_BYTES, io)).toBeUndefined();
  });

  const script = (name: string, body: string) => {
    const path = join(work, name);
    writeFileSync(path, `import { parentPort, resourceLimits } from 'node:worker_threads';\n${body}\n`);
    return path;
  };
  const request = { options: { spec: 'base.yaml', out: 'out' }, io: { cwd: work, env: {}, isTTY: false, stderrIsTTY: false } };
  const capture = () => {
    const seen: string[] = [];
    return { seen, io: { stdout: (text: string) => void seen.push(`out:${text}`), stderr: (text: string) => void seen.push(`err:${text}`), cwd: work, env: {}, isTTY: false } };
  };

  it('passes the output on in order, gives the exit code, and caps the young generation', async () => {
    const { seen, io } = capture();
    const body = "parentPort.postMessage({ stderr: 'warning\\n' });\nparentPort.postMessage({ stdout: JSON.stringify(resourceLimits) });\nparentPort.postMessage({ code: 1 });";
    expect(await generateInWorker(script('answers.mjs', body), request, io)).toBe(1);
    expect(seen[0]).toBe('err:warning\n');
    expect(JSON.parse(seen[1]!.slice(4))).toMatchObject({ maxYoungGenerationSizeMb: YOUNG_GENERATION_MB });
    expect(seen).toHaveLength(2);
  });

  it('fails when the worker ends without an exit code, or with an error', async () => {
    const { io } = capture();
    await expect(generateInWorker(script('no-code.mjs', "parentPort.postMessage({ stdout: 'half\\n' });"), request, io)).rejects.toThrow(/without an exit code/);
    await expect(generateInWorker(script('throws.mjs', "throw new Error('broken in the worker');"), request, io)).rejects.toThrow(/broken in the worker/);
  });

  it('says a worker ran out of memory, with how to raise the limit, instead of reporting a bug', async () => {
    // A 1,000-host estate under a 30 MB heap: the worker reaches node's limit, which the main thread shares.
    const { syntheticEstate } = await import('../bench/estate.js');
    const big = join(work, 'estate-1000.yaml');
    writeFileSync(big, syntheticEstate(1_000));
    const result = spawnSync(process.execPath, ['--max-old-space-size=30', bin, 'generate', big, '--out', join(work, 'oom')], { cwd: work, encoding: 'utf8', env: { ...process.env, WINRM_FORGE_THREADS: '1' } });
    expect(result.stderr).toMatch(/^winrm-forge: out of memory generating .*estate-1000\.yaml: node's heap limit was reached .*NODE_OPTIONS=--max-old-space-size=/);
    expect(result.stderr).not.toContain('internal error');
    expect(result.status).toBe(2);
  });
});
