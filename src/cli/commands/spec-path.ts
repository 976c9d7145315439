import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export interface SpecPathOptions {
  /** The --out folder of generate: its parent is the root when there is no repository. */
  out?: string;
  /** The repository root, or null for none; by default `git rev-parse --show-toplevel`. */
  repositoryRoot?: (folder: string) => string | null;
}

/** The top level of the git work tree holding `folder`, or null (no git, or not in one). */
export function gitTopLevel(folder: string): string | null {
  const git = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const top = git.status === 0 ? git.stdout.trim() : '';
  return top === '' ? null : top;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `path` relative to `root` when it lies inside it, else undefined. */
function inside(root: string, path: string): string | undefined {
  const rel = relative(real(root), path);
  return rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) ? undefined : rel;
}

/**
 * The spec path as generated files name it, the same from any working folder: relative to the
 * root of the git repository holding the spec; without one, relative to the parent of the
 * --out folder (generate) when the spec lies under it; else the spec's file name. Forward
 * slashes, never absolute (an absolute path would make output depend on the machine).
 */
export function specDisplayPath(cwd: string, spec: string, options: SpecPathOptions = {}): string {
  const absolute = resolve(cwd, spec);
  const file = resolve(real(dirname(absolute)), basename(absolute));
  const roots = [(options.repositoryRoot ?? gitTopLevel)(dirname(file)), options.out === undefined ? null : dirname(resolve(cwd, options.out))];
  for (const root of roots) {
    if (root === null) continue;
    const rel = inside(root, file);
    if (rel !== undefined) return rel.split(sep).join('/');
  }
  return basename(absolute);
}
