/**
 * Glob patterns in file arguments, for shells that pass them on unexpanded (cmd.exe,
 * PowerShell): `validate envs/*.yaml`. A small matcher rather than a dependency: Node 20 has no
 * `fs.globSync` (it arrived in 22), and the few forms people type are `*`, `?`, `[abc]`,
 * `[a-z]`, `[!a]` within a path segment and `**` for any number of folders.
 *
 * An argument without those characters, or one naming an existing file as written, is
 * returned as it is. Entries whose name starts with a dot are matched only by a pattern segment
 * that starts with a dot, as POSIX shells do. Matches are files (folders are walked, not
 * returned), in code point order, named as the pattern names them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = /[*?[]/;

/** The pattern has glob characters. */
export function isGlob(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** A regular expression for one path segment. */
export function segmentRegExp(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else out += c.replace(/[.+^${}()|\\]/g, (m) => `\\${m}`);
  }
  return new RegExp(`^${out}$`, process.platform === 'win32' ? 'i' : '');
}

function entries(folder: string): { name: string; folder: boolean; file: boolean }[] {
  try {
    return readdirSync(folder, { withFileTypes: true }).map((e) => {
      // Follow links, as a shell does.
      let stats: { isDirectory(): boolean; isFile(): boolean } = e;
      if (e.isSymbolicLink()) {
        try {
          stats = statSync(join(folder, e.name));
        } catch {
          stats = { isDirectory: () => false, isFile: () => false };
        }
      }
      return { name: e.name, folder: stats.isDirectory(), file: stats.isFile() };
    });
  } catch {
    return [];
  }
}

/**
 * The files `pattern` matches, relative to `cwd` as the pattern writes them (an absolute
 * pattern gives absolute paths); `/` and, on Windows, `\` separate segments.
 */
export function expandGlob(pattern: string, cwd: string): string[] {
  const separator = process.platform === 'win32' ? /[\\/]/ : /\//;
  const absolute = /^(?:[A-Za-z]:)?[\\/]/.test(pattern);
  const segments = pattern.split(separator);
  // An absolute pattern's first segment is '' (or the drive): it names the root as written.
  const start = absolute ? segments.shift()! + '/' : '';
  const base = absolute ? start : cwd;
  const results = new Set<string>();
  const walk = (folder: string, shown: string, rest: readonly string[]) => {
    const [head, ...tail] = rest;
    if (head === undefined) return;
    if (head === '**') {
      walk(folder, shown, tail); // zero folders
      for (const e of entries(folder)) if (e.folder && !e.name.startsWith('.')) walk(join(folder, e.name), `${shown}${e.name}/`, rest);
      return;
    }
    if (!isGlob(head)) {
      const path = join(folder, head);
      if (tail.length === 0) {
        if (entries(folder).some((e) => e.name === head && e.file)) results.add(`${shown}${head}`);
      } else walk(path, `${shown}${head}/`, tail);
      return;
    }
    const re = segmentRegExp(head);
    for (const e of entries(folder)) {
      if (e.name.startsWith('.') && !head.startsWith('.')) continue;
      if (!re.test(e.name)) continue;
      if (tail.length === 0) {
        if (e.file) results.add(`${shown}${e.name}`);
      } else if (e.folder) walk(join(folder, e.name), `${shown}${e.name}/`, tail);
    }
  };
  walk(base, start, segments.filter((s, i) => s !== '' || i === segments.length - 1));
  return [...results].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * File arguments with every glob expanded; an argument that names an existing file, or has no
 * glob characters, stays as it is. `unmatched` lists the patterns that matched nothing.
 */
export function expandArguments(args: readonly string[], cwd: string): { files: string[]; unmatched: string[] } {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    if (!isGlob(arg) || exists(join(cwd, arg)) || exists(arg)) {
      files.push(arg);
      continue;
    }
    const matched = expandGlob(arg, cwd);
    if (matched.length === 0) unmatched.push(arg);
    files.push(...matched);
  }
  return { files, unmatched };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
