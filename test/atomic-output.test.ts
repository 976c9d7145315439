import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputPaths, manifestOwnedPaths, readOutputTree, recoverOutput, unsafePathReason, writeOutput, type OutputProgress } from '../src/output/atomic-output.js';
import { diffTrees } from '../src/diff/core.js';
import { comparisonReadLimit } from '../src/shared/file-map.js';
import { formatDriftReport } from '../src/diff/unified.js';
import { applyLineEndings } from './helpers/line-endings.js';
import { changedPaths } from './helpers/tree-diff.js';
import { asText, bytes, readDisk, sampleTree, withManifest, type Tree } from './helpers/output-tree.js';
import { repoRoot } from './helpers/spec.js';
import { generateText } from '../src/index.js';
import { oneHostChange, syntheticEstate } from '../bench/estate.js';

const ENV = 'contoso-galsync';
const CAS = `${ENV}/hosts/cas01.fabrikam.com`;
const OLD_TIME = new Date('2001-02-03T04:05:06Z');

const scratchFolders: string[] = [];
// Thousands of scratch files: deleting them outlasts the default hook time on a busy machine.
afterAll(() => {
  for (const folder of scratchFolders) rmSync(folder, { recursive: true, force: true });
}, 120_000);

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'winrm-forge-out-'));
  scratchFolders.push(folder);
  return folder;
}

/** Sets every file's mtime far in the past, so "kept its mtime" cannot pass by accident. */
function age(dir: string): void {
  for (const path of readDisk(dir).keys()) utimesSync(join(dir, path), OLD_TIME, OLD_TIME);
}

function mtimes(dir: string): Record<string, number> {
  return Object.fromEntries([...readDisk(dir).keys()].map((p) => [p, statSync(join(dir, p)).mtimeMs]));
}

function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}

function write(out: string, tree: Tree, options: Parameters<typeof writeOutput>[2] = {}) {
  return writeOutput(out, tree, options);
}

describe('writeOutput', () => {
  it('writes a fresh tree, then leaves an identical tree untouched (no file rewritten, mtimes kept)', () => {
    const out = join(scratch(), 'generated');
    const tree = sampleTree();
    const first = write(out, tree);
    expect(first).toMatchObject({ ok: true, problems: [], swapped: [ENV], removed: [], kept: [] });
    expect(first.written).toEqual([...tree.keys()].sort());
    expect(asText(readDisk(out))).toEqual(asText(tree));
    age(out);
    const before = mtimes(out);
    const second = write(out, sampleTree());
    expect(second).toMatchObject({ ok: true, swapped: [], written: [], removed: [] });
    expect(second.unchanged.length).toBe(tree.size);
    expect(mtimes(out)).toEqual(before);
    expect(entries(out)).toEqual([ENV]);
  });

  it('replaces a huge file at a generated path without reading it (sizes are compared first)', () => {
    const out = scratch();
    write(out, sampleTree());
    // 2.5 GB, sparse: reading it whole would fail (over Node's 2 GiB read limit) or fill the memory.
    truncateSync(join(out, `${CAS}/01-winrm-service.ps1`), 2.5 * 1024 ** 3);
    const started = Date.now();
    const result = write(out, sampleTree());
    expect(result).toMatchObject({ ok: true, written: [`${CAS}/01-winrm-service.ps1`] });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(statSync(join(out, `${CAS}/01-winrm-service.ps1`)).size).toBe(sampleTree().get(`${CAS}/01-winrm-service.ps1`)!.length);
  });

  it('rewrites only changed files: unchanged ones keep their mtime and inode', () => {
    const out = scratch();
    write(out, sampleTree());
    age(out);
    const inode = statSync(join(out, `${CAS}/01-winrm-service.ps1`)).ino;
    const head = sampleTree({ steps: { '01-winrm-service': ["Set-Service -Name 'WinRM' -StartupType 'Automatic'", "Start-Service -Name 'WinRM'"], '02-winrm-auth': ["Set-Item -Path 'WSMan:\\localhost\\Service\\Auth\\Basic' -Value $true"], '03-firewall': ["New-NetFirewallRule -Name 'x' -LocalPort 5985"] } });
    const result = write(out, head);
    expect(result.ok).toBe(true);
    expect(result.written).toContain(`${CAS}/02-winrm-auth.ps1`);
    expect(result.unchanged).toContain(`${CAS}/01-winrm-service.ps1`);
    expect(statSync(join(out, `${CAS}/01-winrm-service.ps1`)).mtimeMs).toBe(OLD_TIME.getTime());
    expect(statSync(join(out, `${CAS}/01-winrm-service.ps1`)).ino).toBe(inode);
    expect(statSync(join(out, `${CAS}/02-winrm-auth.ps1`)).mtimeMs).not.toBe(OLD_TIME.getTime());
    expect(asText(readDisk(out))).toEqual(asText(head));
  });

  it('a one-host change of an estate rewrites that host\'s changed scripts, PLAN.md and the manifest only: every other file keeps its mtime and inode', async () => {
    const out = scratch();
    const options = { specPath: 'estate.yaml', toolVersion: '0.1.0', today: new Date('2026-12-01T00:00:00Z') };
    const base = (await generateText('estate.yaml', syntheticEstate(30), options)).files!;
    const head = (await generateText('estate.yaml', oneHostChange(syntheticEstate(30)), options)).files!;
    expect(write(out, base).ok).toBe(true);
    age(out);
    const before = new Map([...readDisk(out).keys()].map((p) => [p, statSync(join(out, p))]));
    const result = write(out, head);
    expect(result.ok).toBe(true);
    const changed = [...head.keys()].filter((p) => !Buffer.from(head.get(p)!).equals(Buffer.from(base.get(p) ?? new Uint8Array())));
    const hosts = new Set(changed.filter((p) => p.includes('/hosts/')).map((p) => p.split('/')[2]));
    // The change is one host's: its scripts, PLAN.md and the manifest, nothing else.
    expect(hosts.size).toBe(1);
    expect(changed.filter((p) => !p.includes('/hosts/')).map((p) => p.slice(p.indexOf('/') + 1)).sort()).toEqual(['PLAN.md', 'manifest.json']);
    expect(result.written.sort()).toEqual(changed.sort());
    for (const [path, stats] of before) {
      const now = statSync(join(out, path));
      if (changed.includes(path)) expect([path, now.mtimeMs]).not.toEqual([path, OLD_TIME.getTime()]);
      else expect([path, now.mtimeMs, now.ino]).toEqual([path, OLD_TIME.getTime(), stats.ino]);
    }
    expect(asText(readDisk(out))).toEqual(asText(head));
  });

  it('removes files the previous manifest lists and keeps every file it does not', () => {
    const out = scratch();
    write(out, sampleTree());
    writeFileSync(join(out, `${CAS}/notes.txt`), 'operator notes');
    writeFileSync(join(out, 'README.md'), 'what this folder is');
    mkdirSync(join(out, `${ENV}/evidence`));
    utimesSync(join(out, `${CAS}/notes.txt`), OLD_TIME, OLD_TIME);
    const head = withManifest(new Map([...sampleTree({ hosts: ['cas01.fabrikam.com'] })].filter(([p]) => !p.endsWith('manifest.json'))), ENV);
    const result = write(out, head);
    expect(result.ok).toBe(true);
    expect(result.removed).toEqual([`${ENV}/hosts/fim01.corp.contoso.com/01-winrm-service.ps1`, `${ENV}/hosts/fim01.corp.contoso.com/02-winrm-auth.ps1`, `${ENV}/hosts/fim01.corp.contoso.com/03-firewall.ps1`, `${ENV}/hosts/fim01.corp.contoso.com/run-all.ps1`]);
    expect(result.kept).toEqual([`${CAS}/notes.txt`]);
    expect(readFileSync(join(out, `${CAS}/notes.txt`), 'utf8')).toBe('operator notes');
    expect(statSync(join(out, `${CAS}/notes.txt`)).mtimeMs).toBe(OLD_TIME.getTime());
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('what this folder is');
    expect(lstatSync(join(out, `${ENV}/evidence`)).isDirectory()).toBe(true);
    expect(existsSync(join(out, `${ENV}/hosts/fim01.corp.contoso.com`))).toBe(false);
  });

  it('leaves other environments in the folder alone and names them', () => {
    const out = scratch();
    write(out, sampleTree({ environment: 'lab' }));
    const lab = readDisk(join(out, 'lab'));
    const result = write(out, sampleTree());
    expect(result).toMatchObject({ ok: true, otherEnvironments: ['lab'] });
    expect(asText(readDisk(join(out, 'lab')))).toEqual(asText(lab));
  });

  it('refuses a non-empty folder it did not create, unless forced, and then deletes nothing of it', () => {
    const out = scratch();
    writeFileSync(join(out, 'budget.xlsx'), 'not ours');
    const refused = write(out, sampleTree());
    expect(refused.ok).toBe(false);
    expect(refused.problems).toEqual([expect.objectContaining({ code: 'foreign-folder', path: '.' })]);
    expect(entries(out)).toEqual(['budget.xlsx']);
    const forced = write(out, sampleTree(), { force: true });
    expect(forced.ok).toBe(true);
    expect(readFileSync(join(out, 'budget.xlsx'), 'utf8')).toBe('not ours');
  });

  it('refuses an environment folder without a manifest, and a foreign file at a generated path', () => {
    const out = scratch();
    write(out, sampleTree({ environment: 'lab' }));
    mkdirSync(join(out, ENV));
    writeFileSync(join(out, ENV, 'mine.txt'), 'x');
    expect(write(out, sampleTree()).problems).toEqual([expect.objectContaining({ code: 'foreign-folder', path: ENV })]);
    expect(write(out, sampleTree(), { force: true }).ok).toBe(true);
    expect(readFileSync(join(out, ENV, 'mine.txt'), 'utf8')).toBe('x');

    const other = scratch();
    const tree = sampleTree();
    const withoutAuth = withManifest(new Map([...tree].filter(([p]) => !p.endsWith('02-winrm-auth.ps1') && !p.endsWith('manifest.json'))), ENV);
    write(other, withoutAuth);
    writeFileSync(join(other, `${CAS}/02-winrm-auth.ps1`), 'hand-written');
    const refused = write(other, tree);
    expect(refused.problems).toEqual([expect.objectContaining({ code: 'foreign-file', path: `${CAS}/02-winrm-auth.ps1` })]);
    expect(readFileSync(join(other, `${CAS}/02-winrm-auth.ps1`), 'utf8')).toBe('hand-written');
  });

  it('rejects every path that could escape --out, before touching anything', () => {
    const parent = scratch();
    const out = join(parent, 'out');
    writeFileSync(join(parent, 'outside.txt'), 'keep me');
    const hostile = ['../outside.txt', `${ENV}/../../outside.txt`, '/etc/passwd', 'C:/Windows/x.ps1', 'c:x', `${ENV}\\..\\x`, `${ENV}/a\u0000b`, `${ENV}/./x`, `${ENV}//x`, 'x.ps1', `${ENV}/CON`, `${ENV}/a:stream`, `.${ENV}.winrm-forge-old-000000000000/x`, `${ENV}/trailing.`];
    for (const key of hostile) {
      expect(unsafePathReason(key), key).toBeDefined();
      const result = write(out, new Map([[key, bytes('pwned')]]));
      expect(result.ok, key).toBe(false);
      expect(result.problems[0]!.code, key).toBe('unsafe-path');
    }
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(join(parent, 'outside.txt'), 'utf8')).toBe('keep me');
    expect(checkOutputPaths(new Map([[`${ENV}/A.ps1`, bytes('')], [`${ENV}/a.ps1`, bytes('')]]))[0]!.message).toContain('differ only in letter case');
    expect(checkOutputPaths(new Map([[`${ENV}/a`, bytes('')], [`${ENV}/a/b`, bytes('')]]))[0]!.message).toContain('both a file and the folder');
  });

  it('never deletes outside --out through a tampered manifest or a link', () => {
    const parent = scratch();
    const out = join(parent, 'out');
    writeFileSync(join(parent, 'outside.txt'), 'keep me');
    write(out, sampleTree());
    writeFileSync(join(out, ENV, 'manifest.json'), JSON.stringify({ files: { '../../outside.txt': 'x', '../outside.txt': 'x', '/etc/hostname': 'x' } }));
    // An owned script replaced by a link to a file outside: the link goes, the target stays.
    const script = join(out, `${CAS}/03-firewall.ps1`);
    renameSync(script, `${script}.bak`);
    symlinkSync(join(parent, 'outside.txt'), script);
    expect(write(out, sampleTree(), { force: true }).ok).toBe(true);
    expect(readFileSync(join(parent, 'outside.txt'), 'utf8')).toBe('keep me');
    expect(lstatSync(script).isFile()).toBe(true);
    // A link where the environment folder belongs is refused, never followed.
    const linked = join(parent, 'linked');
    mkdirSync(linked);
    symlinkSync(parent, join(linked, ENV));
    expect(write(linked, sampleTree(), { force: true }).problems[0]!.code).toBe('in-the-way');
    expect(readFileSync(join(parent, 'outside.txt'), 'utf8')).toBe('keep me');
  });

  it('waits for another live run and takes over a lock left by a dead one', () => {
    const out = scratch();
    write(out, sampleTree());
    writeFileSync(join(out, '.winrm-forge.lock'), `${process.ppid}\n`);
    expect(write(out, sampleTree()).problems[0]!.code).toBe('busy');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(out, '.winrm-forge.lock'), `${dead.stdout}\n`);
    expect(write(out, sampleTree()).ok).toBe(true);
    expect(entries(out)).toEqual([ENV]);
  });

  it('reports progress in order', () => {
    const out = scratch();
    write(out, sampleTree());
    const phases: string[] = [];
    write(out, sampleTree({ specHash: 'b'.repeat(64) }), { onProgress: (e: OutputProgress) => phases.push(e.phase) });
    expect(phases.filter((p) => p !== 'staged-file')).toEqual(['staging', 'staged', 'moved-aside', 'swapped', 'cleaned']);
  });
});

describe('manifestOwnedPaths', () => {
  it('reads the shapes a manifest may take and ignores unsafe entries', () => {
    const owned = (value: unknown) => [...(manifestOwnedPaths(bytes(JSON.stringify(value)), 'env') ?? [])].sort();
    expect(owned({ files: { 'hosts/h/01-a.ps1': 'x' } })).toEqual(['hosts/h/01-a.ps1', 'manifest.json']);
    expect(owned({ files: [{ path: 'PLAN.md', sha256: 'x' }, 'firewall.csv'] })).toEqual(['PLAN.md', 'firewall.csv', 'manifest.json']);
    expect(owned({ files: ['env/PLAN.md'] })).toEqual(['PLAN.md', 'env/PLAN.md', 'manifest.json']);
    expect(owned({ files: ['../x', '/etc/passwd', 'a\\b', 'C:/x', ''] })).toEqual(['manifest.json']);
    expect(manifestOwnedPaths(bytes('{"name":"something else"}'))).toBeUndefined();
    expect(manifestOwnedPaths(bytes('not json'))).toBeUndefined();
  });
});

describe('readOutputTree and drift', () => {
  it('sees a stale tree both ways: files edited, missing, and no longer generated', () => {
    const out = scratch();
    write(out, sampleTree());
    writeFileSync(join(out, `${CAS}/notes.txt`), 'not generated, not listed: not drift');
    expect(diffTrees(readOutputTree(out, sampleTree()), sampleTree()).changes).toEqual([]);
    const head = sampleTree({ hosts: ['cas01.fabrikam.com'] });
    const stale = changedPaths(diffTrees(readOutputTree(out, head), head));
    expect(stale.removed).toContain(`${ENV}/hosts/fim01.corp.contoso.com/run-all.ps1`);
    expect(stale.removed).not.toContain(`${CAS}/notes.txt`);
    writeFileSync(join(out, `${CAS}/01-winrm-service.ps1`), 'edited by hand');
    const edited = changedPaths(diffTrees(readOutputTree(out, sampleTree()), sampleTree()));
    expect(edited.modified).toEqual([`${CAS}/01-winrm-service.ps1`]);
    const withNewHost = sampleTree({ hosts: ['cas01.fabrikam.com', 'cas02.fabrikam.com', 'fim01.corp.contoso.com'] });
    expect(changedPaths(diffTrees(readOutputTree(out, withNewHost), withNewHost)).added).toContain(`${ENV}/hosts/cas02.fabrikam.com/run-all.ps1`);
  });

  it('prints a drift report naming each file, the fix and the diff; nothing when up to date', () => {
    const out = scratch();
    write(out, sampleTree());
    const labels = { spec: 'envs/contoso.yaml', out: 'generated' };
    expect(formatDriftReport(diffTrees(readOutputTree(out, sampleTree()), sampleTree()), labels)).toBe('');
    writeFileSync(join(out, `${CAS}/01-winrm-service.ps1`), 'edited by hand\r\n');
    const head = sampleTree({ hosts: ['cas01.fabrikam.com'] });
    const report = formatDriftReport(diffTrees(readOutputTree(out, head), head), labels);
    expect(report.split('\n').slice(0, 3)).toEqual([
      'generated is out of date with envs/contoso.yaml: 8 files differ.',
      `  ${ENV}/PLAN.md: changed`,
      `  ${ENV}/firewall.csv: changed`,
    ]);
    expect(report).toContain(`  ${CAS}/01-winrm-service.ps1: changed\n`);
    expect(report).toContain(`  ${ENV}/hosts/fim01.corp.contoso.com/run-all.ps1: no longer generated (still on disk, listed in the manifest)\n`);
    expect(report).toContain('Regenerate with: winrm-forge generate envs/contoso.yaml --out generated\n');
    expect(report).toContain(`+++ b/${CAS}/01-winrm-service.ps1\n@@ -1,1 +1,`);
    // Written with --eol lf, checked with the default: says what happened instead of 8 rewrites.
    const lf = scratch();
    write(lf, applyLineEndings(sampleTree(), 'lf'));
    const crlfTree = applyLineEndings(sampleTree(), 'crlf');
    const eol = formatDriftReport(diffTrees(readOutputTree(lf, crlfTree), crlfTree), labels);
    expect(eol).toContain(`  ${CAS}/02-winrm-auth.ps1: format only: line endings: LF -> CRLF\n`);
    expect(eol).toContain('Only line endings differ');
  });
});

const child = join(repoRoot, 'test', 'helpers', 'write-child.mjs');
const FILES = 400;
const FILE_BYTES = 16_384;

/** Runs the child writer; kills it with SIGKILL as soon as it reports reaching `phase`. */
function runChild(out: string, phase: string, index?: number, env: Record<string, string> = {}): Promise<{ killed: boolean; stdout: string }> {
  return new Promise((resolveRun, reject) => {
    const args = [child, out, String(FILES), String(FILE_BYTES), phase, ...(index === undefined ? [] : [String(index)])];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('STOP ')) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => (stderr && signal !== 'SIGKILL' ? reject(new Error(stderr)) : resolveRun({ killed: signal === 'SIGKILL', stdout })));
  });
}

function oldTree(): Tree {
  const tree: Tree = new Map();
  for (let i = 0; i < FILES; i += 2) tree.set(`big/hosts/h${String(i % 10).padStart(2, '0')}.example.com/${String(i).padStart(4, '0')}-step.ps1`, bytes(`old ${i}\r\n`.repeat(100)));
  return withManifest(tree, 'big');
}

describe('interrupted runs (kill -9)', () => {
  // About a dozen writer processes of 400 files each, run one after another: on a 2-core machine
  // busy with other work they take longer together than the default per-test time.
  it('leaves the previous tree byte-identical at every step, and the next run recovers and cleans up', { timeout: 240_000 }, async () => {
    const reference = scratch();
    expect((await runChild(reference, 'none')).stdout).toContain('DONE true');
    const expectedNew = readDisk(join(reference, 'big'));

    const stops: [string, number?][] = [['staging'], ['staged-file', 1], ['staged-file', FILES / 2], ['staged'], ['moved-aside'], ['swapped']];
    for (const [phase, index] of stops) {
      const label = `${phase}${index === undefined ? '' : ` ${index}`}`;
      const out = scratch();
      expect(write(out, oldTree()).ok).toBe(true);
      const old = readDisk(join(out, 'big'));
      age(join(out, 'big'));
      const oldTimes = mtimes(join(out, 'big'));
      const run = await runChild(out, phase, index);
      expect(run.killed, label).toBe(true);
      const leftovers = entries(out).filter((n) => n !== 'big');
      expect(leftovers.some((n) => n.startsWith('.big.winrm-forge-')), label).toBe(true);
      if (phase === 'moved-aside') {
        // Killed between the two renames: the old folder is whole under its temporary name...
        const aside = leftovers.find((n) => n.startsWith('.big.winrm-forge-old-'))!;
        expect(asText(readDisk(join(out, aside))), label).toEqual(asText(old));
        // ...and recovery puts it back before anything else happens.
        recoverOutput(out);
      }
      if (phase === 'swapped') {
        expect(asText(readDisk(join(out, 'big'))), label).toEqual(asText(expectedNew));
      } else {
        expect(asText(readDisk(join(out, 'big'))), label).toEqual(asText(old));
        expect(mtimes(join(out, 'big')), label).toEqual(oldTimes);
      }
      // A later run (in this process: the dead child's lock is taken over) finishes the job.
      const next = write(out, new Map([...expectedNew].map(([p, b]) => [`big/${p}`, b])));
      expect(next.ok, label).toBe(true);
      expect(entries(out), label).toEqual(['big']);
      expect(asText(readDisk(join(out, 'big'))), label).toEqual(asText(expectedNew));
    }
  });

  it('keeps one whole tree, old or new, when killed at an arbitrary moment', async () => {
    const reference = scratch();
    await runChild(reference, 'none');
    const expectedNew = JSON.stringify(asText(readDisk(join(reference, 'big'))));
    // The kill is sent when the child reports a step and lands wherever the child has got to by then.
    const triggers: [string, number?][] = [['staged-file', 1], ['staged-file', FILES - 5], ['staged'], ['moved-aside'], ['swapped']];
    for (const [phase, index] of triggers) {
      const out = scratch();
      write(out, oldTree());
      const old = JSON.stringify(asText(readDisk(join(out, 'big'))));
      await runChild(out, phase, index, { KEEP_GOING: '1' });
      recoverOutput(out);
      const now = JSON.stringify(asText(readDisk(join(out, 'big'))));
      expect(now === old || now === expectedNew, `killed after ${phase} ${index ?? ''}`).toBe(true);
      expect(entries(out).filter((n) => n.startsWith('.big.')), phase).toEqual([]);
    }
  });
});

describe('huge files at generated paths', () => {
  it('reads no more than comparisonReadLimit of the expected size of a sparse file (generate --check, the writer)', () => {
    const out = join(scratch(), 'generated');
    const tree = sampleTree();
    expect(write(out, tree).ok).toBe(true);
    const path = `${CAS}/run-all.ps1`;
    const expected = tree.get(path)!;
    // 64 MiB of nothing at a generated path; and one gigantic sparse file no longer generated.
    truncateSync(join(out, path), 64 * 1024 * 1024);
    const read = readOutputTree(out, tree);
    expect(read.get(path)!.length).toBe(comparisonReadLimit(expected.length));
    expect(comparisonReadLimit(expected.length)).toBeLessThanOrEqual(2 * expected.length + 65_537);
    expect(changedPaths(diffTrees(read, tree)).modified).toEqual([path]);
    const huge = `${CAS}/huge.bin`;
    writeFileSync(join(out, huge), '');
    truncateSync(join(out, huge), Math.floor(1.9 * 1024 ** 3));
    expect(diffTrees(readOutputTree(out, tree), tree).changes.map((c) => c.path)).toEqual([path]);
    const result = write(out, tree);
    expect(result.ok).toBe(true);
    expect(result.written).toEqual([path]);
    expect(result.kept).toEqual([huge]);
  });

  it('treats a manifest larger than any winrm-forge writes as no manifest, without reading it', () => {
    const out = join(scratch(), 'generated');
    expect(write(out, sampleTree()).ok).toBe(true);
    truncateSync(join(out, ENV, 'manifest.json'), Math.floor(1.9 * 1024 ** 3));
    expect(readOutputTree(out, sampleTree()).get(`${ENV}/manifest.json`)!.length).toBe(comparisonReadLimit(sampleTree().get(`${ENV}/manifest.json`)!.length));
    expect(write(out, sampleTree()).problems.map((p) => p.code)).toEqual(['foreign-folder']);
  });
});
