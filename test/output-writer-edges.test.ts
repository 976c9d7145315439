/**
 * The writer at the edges of the file system: a read-only environment folder (the old tree
 * cannot be deleted after the swap), the lock (created whole, an empty lock, released only
 * while ours), an --out that is a link to a folder, and an entry named like a moved-aside
 * folder that is a link.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutput, type WriteOutputResult } from '../src/output/atomic-output.js';
import { asText, readDisk, sampleTree, type Tree } from './helpers/output-tree.js';
import { repoRoot } from './helpers/spec.js';

const ENV = 'contoso-galsync';
const LOCK = '.winrm-forge.lock';
const scratchFolders: string[] = [];
afterAll(() => {
  for (const folder of scratchFolders) {
    spawnSync('chmod', ['-R', 'u+w', folder]);
    rmSync(folder, { recursive: true, force: true });
  }
});

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'winrm-forge-edges-'));
  scratchFolders.push(folder);
  return folder;
}

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Writes `tree` under `out` in a child process, as an unprivileged user when this runs as root. */
function writeAsUser(out: string, tree: Tree): WriteOutputResult {
  const treeFile = join(out, '..', `tree-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(treeFile, JSON.stringify([...tree].map(([p, b]) => [p, Buffer.from(b).toString('utf8')])));
  const r = spawnSync(process.execPath, [join(repoRoot, 'test', 'helpers', 'write-tree-child.mjs'), out, treeFile], { encoding: 'utf8', ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as WriteOutputResult;
}

function changed(): Tree {
  return sampleTree({ specHash: 'f'.repeat(64) });
}

describe('a read-only environment folder', () => {
  it('swaps the new tree in, warns about the old folder it cannot delete, and later runs still work', () => {
    const parent = scratch();
    chmodSync(parent, 0o755);
    const out = join(parent, 'generated');
    mkdirSync(out);
    if (asRoot) chownSync(out, NOBODY, NOBODY);
    expect(writeAsUser(out, sampleTree()).ok).toBe(true);
    chmodSync(join(out, ENV), 0o555);

    const second = writeAsUser(out, changed());
    expect(second.ok).toBe(true);
    expect(second.problems).toEqual([]);
    expect(asText(readDisk(join(out, ENV)))).toEqual(asText(new Map([...changed()].map(([p, b]) => [p.slice(ENV.length + 1), b]))));
    const leftover = readdirSync(out).filter((n) => n.includes('winrm-forge-old-'));
    expect(leftover).toHaveLength(1);
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toContain(leftover[0]);

    // Recovery cannot delete it either: a warning, and the run goes on.
    const third = writeAsUser(out, sampleTree());
    expect(third.ok).toBe(true);
    expect(third.warnings.some((w) => w.includes(leftover[0]!))).toBe(true);

    // A refusal still changes nothing: a foreign file at a generated path.
    const before = asText(readDisk(join(out, ENV)));
    const foreign = sampleTree({ hosts: ['cas01.fabrikam.com', 'cas02.fabrikam.com'] });
    mkdirSync(join(out, ENV, 'hosts', 'cas02.fabrikam.com'), { recursive: true });
    writeFileSync(join(out, ENV, 'hosts', 'cas02.fabrikam.com', 'run-all.ps1'), 'mine\n');
    const refused = writeAsUser(out, foreign);
    expect(refused.ok).toBe(false);
    expect(refused.problems.map((p) => p.code)).toEqual(['foreign-file']);
    const after = asText(readDisk(join(out, ENV)));
    delete after['hosts/cas02.fabrikam.com/run-all.ps1'];
    expect(after).toEqual(before);
  });
});

describe('the lock', () => {
  it('is busy while an empty lock is new, and taken over once it is old', () => {
    const out = join(scratch(), 'generated');
    expect(writeOutput(out, sampleTree()).ok).toBe(true);
    writeFileSync(join(out, LOCK), '');
    const busy = writeOutput(out, changed());
    expect(busy.ok).toBe(false);
    expect(busy.problems.map((p) => p.code)).toEqual(['busy']);
    expect(readFileSync(join(out, LOCK), 'utf8')).toBe('');
    expect(asText(readDisk(join(out, ENV)))).toEqual(asText(new Map([...sampleTree()].map(([p, b]) => [p.slice(ENV.length + 1), b]))));
    const old = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(join(out, LOCK), old, old);
    expect(writeOutput(out, changed()).ok).toBe(true);
    expect(readdirSync(out)).toEqual([ENV]);
  });

  it('holds our pid from the moment it exists, and is removed at the end only while it is ours', () => {
    const out = join(scratch(), 'generated');
    mkdirSync(out);
    let seen = '';
    const first = writeOutput(out, sampleTree(), {
      onProgress(event) {
        if (event.phase !== 'staging') return;
        seen = readFileSync(join(out, LOCK), 'utf8');
        // Another run judged the lock stale and took it over: its lock must survive this run.
        writeFileSync(join(out, LOCK), '999999999\n');
      },
    });
    expect(first.ok).toBe(true);
    expect(seen).toBe(`${process.pid}\n`);
    expect(readFileSync(join(out, LOCK), 'utf8')).toBe('999999999\n');
    expect(readdirSync(out).filter((n) => n.startsWith(LOCK))).toEqual([LOCK]);
  });
});

describe('links', () => {
  it('writes through an --out that is a link to a folder', () => {
    const root = scratch();
    const real = join(root, 'real');
    mkdirSync(real);
    const link = join(root, 'out-link');
    symlinkSync(real, link);
    const result = writeOutput(link, sampleTree());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(Object.keys(asText(readDisk(join(real, ENV)))).length).toBe(sampleTree().size);
  });

  it('never restores a link named like a moved-aside folder as the environment folder', () => {
    const root = scratch();
    const out = join(root, 'generated');
    const elsewhere = join(root, 'elsewhere');
    expect(writeOutput(elsewhere, sampleTree()).ok).toBe(true);
    mkdirSync(out);
    const name = `.${ENV}.winrm-forge-old-0123456789ab`;
    symlinkSync(join(elsewhere, ENV), join(out, name));
    const result = writeOutput(out, sampleTree(), { force: true });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(lstatSync(join(out, ENV)).isDirectory()).toBe(true);
    expect(lstatSync(join(out, name)).isSymbolicLink()).toBe(true);
    expect(result.warnings.some((w) => w.includes(name))).toBe(true);
  });
});
