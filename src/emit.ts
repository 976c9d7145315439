/**
 * Stage "emit": the only stage that writes. Writes an in-memory file tree under the output
 * folder and refuses any path that would land outside it (absolute paths, `..`, a folder
 * replaced by a symbolic link pointing elsewhere). Writes only the files of the tree; files
 * already in the folder that the tree does not name are left alone.
 */
import { lstatSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { unsafePathReason as outputPathProblem } from './atomic-output.js';
import type { FileTree } from './render.js';

export interface EmitResult {
  written: string[];
  /** Paths refused, with the reason: nothing is written when any path is refused. */
  refused: { path: string; reason: string }[];
}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Why a tree path is not a safe relative path, or null when it is. */
export function unsafePathReason(path: string): string | null {
  if (path === '' || path.includes('\0')) return 'empty path or NUL character';
  if (path.includes('\\')) return 'backslash in path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) return 'path segment ., .. or empty';
  // The same rules as the output writer: control characters, names Windows refuses or reads as devices.
  return outputPathProblem(path) ?? null;
}

/** Writes every file of `files` under `outDir`; refuses the whole tree if one path is unsafe. */
export function emitTree(outDir: string, files: FileTree): EmitResult {
  const root = resolve(outDir);
  const refused: EmitResult['refused'] = [];
  for (const path of files.keys()) {
    const reason = unsafePathReason(path);
    if (reason) refused.push({ path, reason });
    else if (!inside(root, resolve(root, path))) refused.push({ path, reason: 'outside the output folder' });
  }
  if (refused.length > 0) return { written: [], refused };
  mkdirSync(root, { recursive: true });
  const realRoot = realpathSync(root);
  const written: string[] = [];
  // Folder -> whether it resolves inside the output folder; an estate writes thousands of files
  // into a few hundred folders, and resolving each folder once keeps the write fast.
  const folderInside = new Map<string, boolean>();
  for (const [path, bytes] of files) {
    const target = join(root, ...path.split('/'));
    const folder = dirname(target);
    let folderOk = folderInside.get(folder);
    if (folderOk === undefined) {
      mkdirSync(folder, { recursive: true });
      folderOk = inside(realRoot, realpathSync.native(folder));
      folderInside.set(folder, folderOk);
    }
    // A symbolic link inside the output folder must not carry a write elsewhere.
    if (!folderOk) {
      refused.push({ path, reason: 'its folder resolves outside the output folder' });
      continue;
    }
    try {
      if (lstatSync(target).isSymbolicLink()) {
        refused.push({ path, reason: 'the file is a symbolic link' });
        continue;
      }
    } catch {
      // Does not exist yet: fine.
    }
    writeFileSync(target, bytes);
    written.push(path);
  }
  return { written, refused };
}
