/**
 * The one writer of generated trees. Each environment folder `<out>/<environment>` is rebuilt
 * in a hidden sibling `<out>/.<environment>.winrm-forge-new-<id>` and swapped in with two
 * renames, so a run killed at any point leaves the previous folder whole (see ARCHITECTURE.md,
 * "Writing the output"). Unchanged files are hard-linked from the previous folder into the new
 * one: same inode, so their bytes are never rewritten and their mtimes stay. A file is removed
 * only when the previous manifest.json lists it; anything else found in the folder is carried
 * over. Every path is checked before anything is touched, so nothing is written or deleted
 * outside `<out>` even if a caller skipped validation.
 *
 * Synchronous on purpose: one run owns the folder (a lock file says so) and the steps must
 * happen in exactly this order.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync, constants, copyFileSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, renameSync, rmSync,
  statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { comparisonReadLimit, type FileMap, type FileSource, type OutputFolder } from '../shared/file-map.js';
export type { FileSource } from '../shared/file-map.js';
import { byCodePoint } from '../shared/order.js';
import type { EndOfLine } from '../shared/line-endings.js';
import { listedPaths, MANIFEST_FILE, recordedEol } from './manifest.js';
import { isWindowsDeviceName } from '../shared/windows-names.js';

export type OutputProblemCode = 'unsafe-path' | 'foreign-folder' | 'foreign-file' | 'in-the-way' | 'busy' | 'io';

/** Why a write was refused or failed; the caller turns these into messages and exit codes. */
export interface OutputProblem {
  code: OutputProblemCode;
  /** The path concerned, relative to `<out>` (or the key as given for unsafe paths). */
  path: string;
  message: string;
}

export type OutputProgress =
  | { phase: 'recovered'; entry: string; action: 'restored' | 'removed' }
  | { phase: 'staging'; environment: string }
  | { phase: 'staged-file'; environment: string; path: string; index: number; total: number }
  | { phase: 'staged'; environment: string }
  | { phase: 'moved-aside'; environment: string }
  | { phase: 'swapped'; environment: string }
  | { phase: 'cleaned'; environment: string };

function asSource(files: FileMap | FileSource): FileSource {
  if (!(files instanceof Map)) return files as FileSource;
  const map = files as FileMap;
  return { keys: [...map.keys()], read: (key) => map.get(key)! };
}

export interface WriteOutputOptions {
  /** Write into a folder winrm-forge did not create, replacing files it did not write. */
  force?: boolean;
  /** Called synchronously at each step (progress display; tests use it to stop at a step). */
  onProgress?: (event: OutputProgress) => void;
}

export interface WriteOutputResult {
  /** False when anything was refused or failed; then no environment folder was changed... */
  ok: boolean;
  /** ...except those listed in `swapped`, which were complete before a later one failed. */
  swapped: string[];
  problems: OutputProblem[];
  /** Paths (relative to `<out>`) written because they are new or their bytes changed. */
  written: string[];
  /** Paths whose bytes were identical: not rewritten, mtime kept. */
  unchanged: string[];
  /** Paths listed in the previous manifest and no longer generated. */
  removed: string[];
  /** Paths winrm-forge did not write, found in an environment folder and carried over. */
  kept: string[];
  /** Environment folders with a winrm-forge manifest that this run does not produce. */
  otherEnvironments: string[];
  /**
   * Clean-ups that failed and were left (a moved-aside folder that could not be deleted, say
   * in a read-only folder), one sentence each naming the entry: the run still succeeded.
   */
  warnings: string[];
}

const LOCK_NAME = '.winrm-forge.lock';
/** A manifest larger than this is not winrm-forge's (ours list a few hundred files). */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const TEMP_ENTRY = /^\.(.+)\.winrm-forge-(new|old)-[0-9a-f]{12}$/;
const LOCK_TEMP = /^\.winrm-forge\.lock\.[0-9a-f]{12}$/;
const WINDOWS_FORBIDDEN = /[<>:"|?*\\]/;

/**
 * Why `path` may not be written under `<out>`, or undefined when it is safe: relative POSIX
 * path, no empty, `.` or `..` segment, no absolute path, drive letter, backslash, NUL or other
 * control character, no character or name Windows refuses (the tree must check out on
 * Windows), and at least `<environment>/<file>`.
 */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0) return 'the path is empty';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'the path holds a NUL or another control character';
  if (path.includes('\\')) return 'the path holds a backslash (output paths use /)';
  if (path.startsWith('/')) return 'the path is absolute';
  if (/^[A-Za-z]:/.test(path)) return 'the path starts with a drive letter';
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') return 'the path has an empty segment';
    if (segment === '.' || segment === '..') return `the path has a "${segment}" segment`;
    if (WINDOWS_FORBIDDEN.test(segment)) return `"${segment}" holds a character Windows does not allow in file names`;
    if (/[. ]$/.test(segment)) return `"${segment}" ends with a dot or a space, which Windows drops`;
    if (isWindowsDeviceName(segment)) return `"${segment}" is a device name on Windows`;
  }
  if (segments.length < 2) return 'every generated file belongs under an environment folder';
  if (segments[0]!.startsWith('.')) return 'an environment folder name may not start with a dot';
  return undefined;
}

function problem(code: OutputProblemCode, path: string, message: string): OutputProblem {
  return { code, path, message };
}

/** All key problems of a map: unsafe paths, case-only collisions, a file where a folder must be. */
export function checkOutputPaths(files: FileMap | readonly string[]): OutputProblem[] {
  const problems: OutputProblem[] = [];
  const byFolded = new Map<string, string>();
  const keys = [...(Array.isArray(files) ? (files as readonly string[]) : (files as FileMap).keys())].sort(byCodePoint);
  const folders = new Set<string>();
  for (const key of keys) {
    const reason = unsafePathReason(key);
    if (reason) {
      problems.push(problem('unsafe-path', key, `refusing to write ${JSON.stringify(key)}: ${reason}`));
      continue;
    }
    const folded = key.toLowerCase();
    const other = byFolded.get(folded);
    if (other !== undefined) problems.push(problem('unsafe-path', key, `${key} and ${other} differ only in letter case; they would be one file on Windows and macOS`));
    byFolded.set(folded, key);
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/').toLowerCase());
  }
  for (const key of keys) {
    if (folders.has(key.toLowerCase())) problems.push(problem('unsafe-path', key, `${key} is both a file and the folder of other files`));
  }
  return problems;
}

/**
 * The files a manifest says winrm-forge wrote, relative to the manifest's folder, plus the
 * manifest itself; undefined when the bytes are not a winrm-forge manifest. Accepts `files` as
 * an array of paths or of `{ path }`, or as an object keyed by path; a path may also be given
 * relative to `<out>` (starting with `<environment>/`). Entries that are not safe relative
 * paths are ignored: a tampered manifest cannot make winrm-forge delete outside its folder.
 */
export function manifestOwnedPaths(bytes: Uint8Array, environment?: string): Set<string> | undefined {
  const paths = listedPaths(bytes);
  if (paths === undefined) return undefined;
  const owned = new Set<string>([MANIFEST_FILE]);
  for (const path of paths) {
    if (typeof path !== 'string') continue;
    // Check as if under an environment folder: the same rules as generated keys.
    if (unsafePathReason(`environment/${path}`) === undefined) owned.add(path);
    if (environment !== undefined && path.startsWith(`${environment}/`)) {
      const inner = path.slice(environment.length + 1);
      if (unsafePathReason(`environment/${inner}`) === undefined) owned.add(inner);
    }
  }
  return owned;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** `relative` under `dir` is a regular file reached through real folders only (no link on the way). */
/**
 * Whether `relative` names a regular file under `dir` with only real folders on the way (no link
 * followed). `folders` remembers the folders already seen during one read of a tree, so reading
 * thousands of files of a few hundred host folders does not lstat each folder once per file.
 */
function isPlainFile(dir: string, relative: string, folders?: Map<string, boolean>): boolean {
  const parts = relative.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    let isFolder = folders?.get(folder);
    if (isFolder === undefined) {
      isFolder = lstatOrUndefined(join(dir, folder))?.isDirectory() ?? false;
      folders?.set(folder, isFolder);
    }
    if (!isFolder) return false;
  }
  return lstatOrUndefined(join(dir, relative))?.isFile() ?? false;
}

/**
 * At most `limit` bytes from the start of the regular file at `path`, read through one
 * descriptor: a huge (or sparse) file in the output folder costs no more than `limit` bytes.
 */
export function readAtMost(path: string, limit: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, limit));
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

function readManifest(environmentDir: string): Set<string> | undefined {
  const stats = lstatOrUndefined(join(environmentDir, MANIFEST_FILE));
  if (!stats?.isFile() || stats.size > MAX_MANIFEST_BYTES) return undefined;
  return manifestOwnedPaths(readAtMost(join(environmentDir, MANIFEST_FILE), MAX_MANIFEST_BYTES + 1), basename(environmentDir));
}

interface OldEntry {
  kind: 'file' | 'symlink' | 'folder' | 'special';
  stats: Stats;
}

/** Everything under `dir` (not following links), keyed by relative POSIX path, sorted. */
function listTree(dir: string): Map<string, OldEntry> {
  const entries = new Map<string, OldEntry>();
  const walk = (relative: string) => {
    const names = readdirSync(relative ? join(dir, relative) : dir).sort(byCodePoint);
    for (const name of names) {
      const path = relative ? `${relative}/${name}` : name;
      const stats = lstatSync(join(dir, path));
      const kind = stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'folder' : 'special';
      entries.set(path, { kind, stats });
      if (kind === 'folder') walk(path);
    }
  };
  walk('');
  return entries;
}

/**
 * Sizes first: a huge (or sparse) file at a generated path differs without being read, and no
 * more than the expected size + 1 byte is ever read (the file may grow after the lstat).
 */
function sameBytes(path: string, size: number, bytes: Uint8Array): boolean {
  return size === bytes.length && Buffer.from(bytes).equals(readAtMost(path, bytes.length + 1));
}

type StagedAction =
  // Written into the staging folder while planning (its bytes are not kept).
  | { action: 'write'; path: string }
  | { action: 'link'; path: string }
  | { action: 'symlink'; path: string }
  | { action: 'folder'; path: string; mode: number };

interface EnvironmentPlan {
  environment: string;
  exists: boolean;
  /** The staging folder `<out>/.<env>.winrm-forge-new-<id>`, created with the first file written. */
  staging: string;
  stagingCreated: boolean;
  /** Folders created in the staging folder so far. */
  created: Set<string>;
  actions: StagedAction[];
  written: string[];
  unchanged: string[];
  removed: string[];
  kept: string[];
  problems: OutputProblem[];
}

/** Every folder that holds one of `paths` (relative, `/`-separated), at any depth. */
function foldersHolding(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      const folder = path.slice(0, slash);
      if (folders.has(folder)) break; // its ancestors are in already
      folders.add(folder);
    }
  }
  return folders;
}

/** Decides, for one environment folder, what the new folder holds and where each part comes from. */
function planEnvironment(out: string, environment: string, files: ReadonlyMap<string, string>, source: FileSource, force: boolean): EnvironmentPlan {
  const dir = join(out, environment);
  const plan: EnvironmentPlan = { environment, exists: false, staging: join(out, tempName(environment, 'new')), stagingCreated: false, created: new Set(), actions: [], written: [], unchanged: [], removed: [], kept: [], problems: [] };
  const at = (relative: string) => `${environment}/${relative}`;
  const stats = lstatOrUndefined(dir);
  let old = new Map<string, OldEntry>();
  let owned = new Set<string>();
  if (stats) {
    if (!stats.isDirectory()) {
      plan.problems.push(problem('in-the-way', environment, `${environment} exists and is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; winrm-forge writes a real folder there and will not follow or replace it. Move it away.`));
      return plan;
    }
    plan.exists = true;
    old = listTree(dir);
    const manifest = readManifest(dir);
    if (manifest) owned = manifest;
    else if (old.size > 0 && !force) {
      plan.problems.push(problem('foreign-folder', environment, `${environment} is not empty and has no winrm-forge ${MANIFEST_FILE}, so winrm-forge did not create it. Choose another --out, empty the folder, or pass --force to write into it (files there that winrm-forge does not generate are kept).`));
      return plan;
    }
  }
  const newFolders = foldersHolding(files.keys());
  // Old folders with something inside, found in one pass (a search per folder was quadratic).
  const nonEmptyOldFolders = foldersHolding(old.keys());
  // Each file is read (rendered), compared and, when new or changed, written into the staging
  // folder at once, then let go; the manifest comes last, built from the digests of the others.
  const order = [...files.keys()].filter((relative) => relative !== MANIFEST_FILE);
  if (files.has(MANIFEST_FILE)) order.push(MANIFEST_FILE);
  const write = (relative: string, bytes: Uint8Array) => {
    if (plan.problems.length > 0) return; // refused: nothing more is staged, and what was is deleted
    try {
      stageBytes(plan, relative, bytes);
    } catch (error) {
      plan.problems.push(ioProblem(environment, error));
      return;
    }
    plan.actions.push({ action: 'write', path: relative });
    plan.written.push(at(relative));
  };
  for (const relative of order) {
    const entry = old.get(relative);
    const bytes = source.read(files.get(relative)!);
    if (!entry) {
      write(relative, bytes);
    } else if (entry.kind === 'file' && sameBytes(join(dir, relative), entry.stats.size, bytes)) {
      plan.actions.push({ action: 'link', path: relative });
      plan.unchanged.push(at(relative));
    } else if (entry.kind === 'folder' || entry.kind === 'special') {
      plan.problems.push(problem('in-the-way', at(relative), `${at(relative)} is ${entry.kind === 'folder' ? 'a folder' : 'not a regular file'} where winrm-forge generates a file. Move it away.`));
    } else if (owned.has(relative) || force) {
      write(relative, bytes);
    } else {
      plan.problems.push(problem('foreign-file', at(relative), `${at(relative)} exists, differs, and is not listed in ${environment}/${MANIFEST_FILE}, so winrm-forge did not write it. Move it away, or pass --force to replace it.`));
    }
  }
  for (const [relative, entry] of old) {
    if (files.has(relative)) continue;
    if (entry.kind === 'folder') {
      // An empty folder is someone's (winrm-forge never writes one): recreate it. A folder with
      // content comes back through what it holds, or goes when all of that was winrm-forge's.
      if (!nonEmptyOldFolders.has(relative) && !newFolders.has(relative)) plan.actions.push({ action: 'folder', path: relative, mode: entry.stats.mode & 0o7777 });
      continue;
    }
    if (owned.has(relative) && entry.kind !== 'special') {
      plan.removed.push(at(relative));
      continue;
    }
    if (newFolders.has(relative)) {
      plan.problems.push(problem('in-the-way', at(relative), `${at(relative)} is a file where winrm-forge needs a folder. Move it away.`));
      continue;
    }
    if (entry.kind === 'special') {
      plan.problems.push(problem('in-the-way', at(relative), `${at(relative)} is neither a file, a folder nor a link; winrm-forge cannot carry it over. Move it away.`));
      continue;
    }
    plan.actions.push({ action: entry.kind === 'symlink' ? 'symlink' : 'link', path: relative });
    plan.kept.push(at(relative));
  }
  plan.actions.sort((a, b) => byCodePoint(a.path, b.path));
  for (const list of [plan.written, plan.unchanged, plan.removed, plan.kept]) list.sort(byCodePoint);
  return plan;
}

/** Hard-links `from` to `to`; where the file system cannot, copies and restores the times. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK' && code !== 'ENOSYS') throw error;
    copyFileSync(from, to, constants.COPYFILE_EXCL);
    const stats = lstatSync(from);
    utimesSync(to, stats.atime, stats.mtime);
  }
}

/** Creates the staging folder on first use and the folder of `relative` in it (each folder once). */
function stagingFolderFor(plan: EnvironmentPlan, relative: string): string {
  if (!plan.stagingCreated) {
    mkdirSync(plan.staging);
    plan.stagingCreated = true;
  }
  const target = join(plan.staging, relative);
  const folder = dirname(target);
  if (!plan.created.has(folder)) {
    mkdirSync(folder, { recursive: true });
    plan.created.add(folder);
  }
  return target;
}

/** Writes one new or changed file into the staging folder while the environment is planned. */
function stageBytes(plan: EnvironmentPlan, relative: string, bytes: Uint8Array): void {
  writeFileSync(stagingFolderFor(plan, relative), bytes, { flag: 'wx' });
}

/** Completes the staging folder (created by the caller): links to unchanged and carried files, empty folders. */
function stage(out: string, plan: EnvironmentPlan, onProgress: (event: OutputProgress) => void): void {
  const oldDir = join(out, plan.environment);
  const total = plan.actions.length;
  let index = 0;
  for (const action of plan.actions) {
    if (action.action === 'folder') {
      const target = join(plan.staging, action.path);
      mkdirSync(target, { recursive: true, mode: action.mode });
      plan.created.add(target);
      continue;
    }
    // A written file is in place already (staged while planning); the others come from the old folder.
    if (action.action === 'link') linkOrCopy(join(oldDir, action.path), stagingFolderFor(plan, action.path));
    else if (action.action === 'symlink') symlinkSync(readlinkSync(join(oldDir, action.path)), stagingFolderFor(plan, action.path));
    onProgress({ phase: 'staged-file', environment: plan.environment, path: action.path, index: ++index, total });
  }
}

function tempName(environment: string, kind: 'new' | 'old'): string {
  return `.${environment}.winrm-forge-${kind}-${randomBytes(6).toString('hex')}`;
}

/**
 * Deletes a temporary entry of winrm-forge's; where it cannot (a read-only folder, a file held
 * open on Windows), leaves it and says so in `warnings`: a clean-up that fails is no reason to
 * fail a run whose tree is in place.
 */
function removeBestEffort(out: string, name: string, warnings: string[]): boolean {
  try {
    rmSync(join(out, name), { recursive: true, force: true });
    return true;
  } catch (error) {
    warnings.push(`could not delete ${name} in ${out} (${(error as NodeJS.ErrnoException).code ?? String(error)}); it is left over from an earlier version of the folder and may be deleted by hand`);
    return false;
  }
}

/**
 * Finishes or undoes what an interrupted run left in `<out>`: a moved-aside folder whose
 * replacement never arrived is put back; one whose replacement is in place is deleted; half-built
 * folders are deleted. Touches only real folders named like winrm-forge's temporary folders
 * (a link or a file with such a name is not winrm-forge's: it is left alone, with a warning).
 * Deleting is best effort: what cannot be deleted is left and named in `warnings`.
 */
export function recoverOutput(out: string, onProgress: (event: OutputProgress) => void = () => {}, warnings: string[] = []): void {
  let names: string[];
  try {
    names = readdirSync(out).sort(byCodePoint);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const temporary = names.filter((name) => {
    if (!TEMP_ENTRY.test(name)) return false;
    if (lstatOrUndefined(join(out, name))?.isDirectory()) return true;
    warnings.push(`${name} in ${out} is named like a temporary folder of winrm-forge but is not a folder; it was left alone`);
    return false;
  });
  // Put back moved-aside folders first, then drop the rest.
  for (const name of temporary) {
    const match = TEMP_ENTRY.exec(name)!;
    if (match[2] !== 'old') continue;
    const target = join(out, match[1]!);
    if (lstatOrUndefined(target)) {
      if (removeBestEffort(out, name, warnings)) onProgress({ phase: 'recovered', entry: name, action: 'removed' });
    } else {
      renameSync(join(out, name), target);
      onProgress({ phase: 'recovered', entry: name, action: 'restored' });
    }
  }
  for (const name of temporary) {
    const match = TEMP_ENTRY.exec(name)!;
    if (match[2] !== 'new') continue;
    if (removeBestEffort(out, name, warnings)) onProgress({ phase: 'recovered', entry: name, action: 'removed' });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An empty or unreadable lock younger than this is a run between creating and filling it. */
const EMPTY_LOCK_STALE_MS = 2 * 60 * 1000;

function lockContent(path: string): { pid: number | undefined; stats: Stats } | undefined {
  try {
    const stats = lstatSync(path);
    const text = readAtMost(path, 64).toString('utf8');
    const pid = /^\d+\n?$/.test(text) ? Number.parseInt(text, 10) : undefined;
    return { pid, stats };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Takes `<out>/.winrm-forge.lock`. The lock is created whole: the pid is written to a temporary
 * file which is then hard-linked to the lock's name, so no other run ever sees it empty (a
 * link fails when the name exists). A lock held by a live process is busy; one left by a
 * process that no longer runs is taken over; an empty or unreadable one (a run of an older
 * version, a full disk) is busy until it is EMPTY_LOCK_STALE_MS old.
 */
function lock(out: string): OutputProblem | undefined {
  const path = join(out, LOCK_NAME);
  const mine = `${process.pid}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const temp = join(out, `${LOCK_NAME}.${randomBytes(6).toString('hex')}`);
    try {
      writeFileSync(temp, mine, { flag: 'wx' });
      try {
        linkSync(temp, path);
        return undefined;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') {
          // examined below
        } else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
          // A file system without hard links: renaming cannot refuse an existing name, so fall
          // back to an exclusive create, filled at once.
          try {
            writeFileSync(path, mine, { flag: 'wx' });
            return undefined;
          } catch (inner) {
            if ((inner as NodeJS.ErrnoException).code !== 'EEXIST') throw inner;
          }
        } else throw error;
      }
    } finally {
      rmSync(temp, { force: true });
    }
    const held = lockContent(path);
    if (!held) continue; // released meanwhile: try again
    if (held.pid === undefined) {
      if (Date.now() - held.stats.mtimeMs < EMPTY_LOCK_STALE_MS) {
        return problem('busy', LOCK_NAME, `another winrm-forge run is starting to write this folder (${LOCK_NAME} is empty and new). If none is, delete ${LOCK_NAME} and run again.`);
      }
    } else if (held.pid !== process.pid && processIsAlive(held.pid)) {
      return problem('busy', LOCK_NAME, `another winrm-forge run (process ${held.pid}) is writing this folder. If none is, delete ${LOCK_NAME} and run again.`);
    }
    // Stale: remove it, unless another run replaced it since it was read.
    const again = lockContent(path);
    if (again && again.pid === held.pid && again.stats.ino === held.stats.ino) unlinkSync(path);
  }
  return problem('busy', LOCK_NAME, `could not take ${LOCK_NAME}; delete it if no other winrm-forge run is writing this folder`);
}

/** Removes the lock only while it is still ours: a run that took over a lock it thought stale keeps it. */
function unlock(out: string): void {
  const path = join(out, LOCK_NAME);
  try {
    if (lockContent(path)?.pid === process.pid) unlinkSync(path);
  } catch {
    // Leaving the lock costs the next run a stale-lock check; failing this run for it would not help.
  }
}

function isReserved(name: string): boolean {
  return name === LOCK_NAME || TEMP_ENTRY.test(name) || LOCK_TEMP.test(name);
}

/** Environment folders of `<out>` holding a winrm-forge manifest, sorted. */
function ownedEnvironments(out: string): string[] {
  let names: string[];
  try {
    names = readdirSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => !isReserved(name) && lstatOrUndefined(join(out, name))?.isDirectory() && readManifest(join(out, name)) !== undefined).sort(byCodePoint);
}

/** The keys of each environment: relative path -> key, in code-point order. */
function splitByEnvironment(keys: readonly string[]): Map<string, Map<string, string>> {
  const environments = new Map<string, Map<string, string>>();
  for (const key of [...keys].sort(byCodePoint)) {
    const slash = key.indexOf('/');
    const environment = key.slice(0, slash);
    const inner = environments.get(environment) ?? new Map<string, string>();
    inner.set(key.slice(slash + 1), key);
    environments.set(environment, inner);
  }
  return environments;
}

function ioProblem(path: string, error: unknown): OutputProblem {
  const e = error as NodeJS.ErrnoException;
  return problem('io', path, `could not write ${path}: ${e.code ? `${e.code} ` : ''}${e.message}`);
}

/**
 * Writes `files` (keys `<environment>/<relative path>`) under `out`, one environment folder at a
 * time, each swapped in whole. Refuses (problems, nothing written) on unsafe keys, a non-empty
 * `out` or environment folder without a winrm-forge manifest (unless `force`), and files in the
 * way; an environment whose bytes are all unchanged is not touched at all.
 */
export function writeOutput(out: string, files: FileMap | FileSource, options: WriteOutputOptions = {}): WriteOutputResult {
  const force = options.force ?? false;
  const onProgress = options.onProgress ?? (() => {});
  const result: WriteOutputResult = { ok: false, swapped: [], problems: [], written: [], unchanged: [], removed: [], kept: [], otherEnvironments: [], warnings: [] };
  const source = asSource(files);
  result.problems.push(...checkOutputPaths(source.keys));
  if (result.problems.length > 0) return result;
  // A link to a folder is written through (a shared folder linked into place); the entries
  // inside are still read without following links.
  const outStats = lstatOrUndefined(out);
  if (outStats && !outStats.isDirectory() && !(outStats.isSymbolicLink() && statOrUndefined(out)?.isDirectory())) {
    result.problems.push(problem('in-the-way', '.', 'the --out path exists and is not a folder'));
    return result;
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    result.problems.push(ioProblem('.', error));
    return result;
  }
  const lockProblem = lock(out);
  if (lockProblem) {
    result.problems.push(lockProblem);
    return result;
  }
  try {
    recoverOutput(out, onProgress, result.warnings);
    const foreignEntries = readdirSync(out).filter((name) => !isReserved(name));
    const owned = ownedEnvironments(out);
    if (foreignEntries.length > 0 && owned.length === 0 && !force) {
      result.problems.push(problem('foreign-folder', '.', 'the --out folder is not empty and holds no winrm-forge output, so winrm-forge did not create it. Choose an empty or new folder, or pass --force to write into it (nothing winrm-forge did not write is deleted).'));
      return result;
    }
    const environments = splitByEnvironment(source.keys);
    result.otherEnvironments = owned.filter((name) => !environments.has(name));
    const plans: EnvironmentPlan[] = [];
    for (const [environment, inner] of environments) {
      const plan = planEnvironment(out, environment, inner, source, force);
      plans.push(plan);
      result.problems.push(...plan.problems);
    }
    if (result.problems.length > 0) {
      // Refused: the files staged so far go; no environment folder was touched.
      for (const plan of plans) if (plan.stagingCreated) removeBestEffort(out, basename(plan.staging), result.warnings);
      return result;
    }
    for (const plan of plans) {
      result.written.push(...plan.written);
      result.unchanged.push(...plan.unchanged);
      result.removed.push(...plan.removed);
      result.kept.push(...plan.kept);
      if (plan.written.length === 0 && plan.removed.length === 0 && plan.exists) continue; // nothing to do: leave the folder as it is
      const swapProblem = swapEnvironment(out, plan, onProgress, result.warnings);
      if (swapProblem) {
        result.problems.push(swapProblem);
        return result;
      }
      result.swapped.push(plan.environment);
    }
    result.ok = true;
    return result;
  } finally {
    unlock(out);
  }
}

/** Builds the new folder beside the old one, then swaps them with two renames. */
function swapEnvironment(out: string, plan: EnvironmentPlan, onProgress: (event: OutputProgress) => void, warnings: string[]): OutputProblem | undefined {
  const target = join(out, plan.environment);
  const staging = plan.staging;
  const aside = join(out, tempName(plan.environment, 'old'));
  try {
    if (!plan.stagingCreated) {
      mkdirSync(staging);
      plan.stagingCreated = true;
    }
    onProgress({ phase: 'staging', environment: plan.environment });
    stage(out, plan, onProgress);
    onProgress({ phase: 'staged', environment: plan.environment });
  } catch (error) {
    removeBestEffort(out, basename(staging), warnings);
    return ioProblem(plan.environment, error);
  }
  if (!plan.exists) {
    try {
      renameSync(staging, target);
    } catch (error) {
      removeBestEffort(out, basename(staging), warnings);
      return ioProblem(plan.environment, error);
    }
    onProgress({ phase: 'swapped', environment: plan.environment });
    return undefined;
  }
  try {
    renameSync(target, aside);
  } catch (error) {
    // On Windows a folder open in Explorer or a shell cannot be renamed; nothing changed yet.
    removeBestEffort(out, basename(staging), warnings);
    return ioProblem(plan.environment, error);
  }
  onProgress({ phase: 'moved-aside', environment: plan.environment });
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(aside, target);
    removeBestEffort(out, basename(staging), warnings);
    return ioProblem(plan.environment, error);
  }
  onProgress({ phase: 'swapped', environment: plan.environment });
  // The new tree is in place: failing to delete the old one (a read-only folder) is a warning.
  if (removeBestEffort(out, basename(aside), warnings)) onProgress({ phase: 'cleaned', environment: plan.environment });
  return undefined;
}

/**
 * What `generate` would compare against: for each environment of `files`, the files the
 * folder's manifest lists plus any file at a generated path, read from `<out>`. Keys are
 * relative to `<out>`. Links and folders are not followed or read. A file at a generated path
 * is read up to comparisonReadLimit of its expected size (enough to show a hand edit whole), a
 * file no longer generated up to that of the largest generated size, so a huge or sparse file
 * costs next to nothing.
 */
export function readOutputTree(out: string, files: ReadonlyMap<string, { length: number }>): Map<string, Uint8Array> {
  const tree = new Map<string, Uint8Array>();
  const environments = new Map<string, Map<string, number>>();
  for (const [key, bytes] of files) {
    const slash = key.indexOf('/');
    const inner = environments.get(key.slice(0, slash)) ?? new Map<string, number>();
    inner.set(key.slice(slash + 1), bytes.length);
    environments.set(key.slice(0, slash), inner);
  }
  for (const [environment, inner] of environments) {
    const folder = outputFolder(out, environment);
    if (!folder) continue;
    const candidates = new Set<string>([...folder.listed, ...[...inner.keys()].map((relative) => `${environment}/${relative}`)]);
    let largest = 0;
    for (const length of inner.values()) largest = Math.max(largest, length);
    for (const key of [...candidates].sort(byCodePoint)) {
      if (unsafePathReason(key) !== undefined) continue;
      const bytes = folder.read(key, comparisonReadLimit(inner.get(key.slice(environment.length + 1)) ?? largest));
      if (bytes) tree.set(key, bytes);
    }
  }
  return tree;
}

export type { OutputFolder } from '../shared/file-map.js';

/** The folder `<out>/<environment>`, or undefined when it is not a folder (nothing generated there yet). */
export function outputFolder(out: string, environment: string): OutputFolder | undefined {
  if (unsafePathReason(`${environment}/x`) !== undefined) return undefined;
  const dir = join(out, environment);
  if (!lstatOrUndefined(dir)?.isDirectory()) return undefined;
  const stats = lstatOrUndefined(join(dir, MANIFEST_FILE));
  const manifest = stats?.isFile() && stats.size <= MAX_MANIFEST_BYTES ? readAtMost(join(dir, MANIFEST_FILE), MAX_MANIFEST_BYTES + 1) : undefined;
  const owned = manifest ? manifestOwnedPaths(manifest, environment) : undefined;
  const folders = new Map<string, boolean>();
  return {
    ...(manifest ? { manifest } : {}),
    listed: [...(owned ?? [])].map((relative) => `${environment}/${relative}`),
    read: (key, limit) => {
      if (unsafePathReason(key) !== undefined || !key.startsWith(`${environment}/`)) return undefined;
      const relative = key.slice(environment.length + 1);
      return isPlainFile(dir, relative, folders) ? readAtMost(join(dir, relative), limit) : undefined;
    },
  };
}
