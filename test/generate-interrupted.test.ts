/**
 * The real `generate` command killed with SIGKILL while it writes a large tree: the previous
 * tree must be exactly as it was, and the next run must finish the job and clean up.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticEstate } from '../bench/estate.js';
import { readDisk } from './helpers/output-tree.js';
import { repoRoot } from './helpers/spec.js';

const bin = join(repoRoot, 'dist', 'src', 'bin.js');
const HOSTS = 400;
const ENV = `estate-${HOSTS}`;

/** A fixed day for the support dates, so that no lifecycle warning appears as the clock moves on. */
const TODAY = ['--today', '2026-12-01'];

function generate(dir: string, extra: string[] = []) {
  return spawnSync(process.execPath, [bin, 'generate', 'estate.yaml', '--out', 'out', ...TODAY, ...extra], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
}

/** Path -> sha256 of every file under `dir`: cheap to compare for a tree of tens of megabytes. */
function fingerprint(dir: string): Map<string, string> {
  return new Map([...readDisk(dir)].map(([path, bytes]) => [path, createHash('sha256').update(bytes).digest('hex')]));
}

/** Entries in `dir`, 0 when it is gone (renamed into place between two looks). */
function entryCount(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Entries of `<out>` that only a run in progress (or an interrupted one) leaves. */
function leftovers(out: string): string[] {
  return readdirSync(out).filter((name) => name.startsWith('.')).sort();
}

describe('generate killed mid-write (kill -9)', () => {
  it('leaves the previous tree byte-identical; the next run recovers and writes the new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-kill-'));
    const out = join(dir, 'out');
    const spec = syntheticEstate(HOSTS);
    writeFileSync(join(dir, 'estate.yaml'), spec);
    expect(generate(dir).status).toBe(0);
    const previous = fingerprint(out);
    expect(previous.size).toBeGreaterThan(2_500);

    // Any change to the spec changes its hash, which every banner carries: every file is rewritten.
    writeFileSync(join(dir, 'estate.yaml'), `${spec}# second version\n`);
    const child = spawn(process.execPath, [bin, 'generate', 'estate.yaml', '--out', 'out', ...TODAY], { cwd: dir, stdio: 'ignore' });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    // Wait until the new folder is being filled, then kill: the run is mid-write, with
    // thousands of files still to go.
    let staging: string | undefined;
    while (!exited && staging === undefined) {
      const candidate = readdirSync(out).find((name) => name.startsWith(`.${ENV}.winrm-forge-new-`));
      if (candidate && entryCount(join(out, candidate)) > 0) staging = candidate;
      else await sleep(2);
    }
    expect(staging, 'the run finished before it could be interrupted').toBeDefined();
    child.kill('SIGKILL');
    await new Promise((resolve) => (exited ? resolve(undefined) : child.on('exit', resolve)));
    expect(child.signalCode).toBe('SIGKILL');

    // The previous tree is whole: same paths, same bytes; the half-built folder and the lock remain.
    const afterKill = fingerprint(out);
    for (const path of [...afterKill.keys()].filter((p) => p.startsWith('.'))) afterKill.delete(path);
    expect(afterKill).toEqual(previous);
    expect(leftovers(out)).toContain(staging);
    expect(leftovers(out)).toContain('.winrm-forge.lock');

    // The next run takes over the dead run's lock, drops its half-built folder and writes the new tree.
    const rerun = generate(dir);
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`^Wrote \\d+ files for \\d+ hosts to out/${ENV}`));
    expect(leftovers(out)).toEqual([]);
    expect(generate(dir, ['--check']).status).toBe(0);
    expect(fingerprint(out)).not.toEqual(previous);
  }, 120_000);
});
