/**
 * The built command is a bundle (scripts/bundle-cli.mjs): dist/src/bin.js and its chunks in
 * dist/src/chunks/. Read from the built files: every chunk the command can import is shipped,
 * and the modules `validate` and `explain` evaluate hold none of the plan, render, output or diff
 * code nor Handlebars, which stay behind the dynamic import of the commands that need them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/spec.js';

const dist = join(repoRoot, 'dist/src');

function text(file: string): string {
  return readFileSync(join(dist, file), 'utf8');
}

/** The relative specifiers a built file imports, statically and dynamically, as paths under dist/src. */
function imports(file: string): { static: string[]; dynamic: string[] } {
  const source = text(file);
  const resolve = (spec: string) => posix.join(posix.dirname(file), spec);
  return {
    static: [...source.matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"/gm), ...source.matchAll(/^import\s*"(\.[^"]+)"/gm)].map((m) => resolve(m[1]!)),
    dynamic: [...source.matchAll(/\bimport\("(\.[^"]+)"\)/g)].map((m) => resolve(m[1]!)),
  };
}

/** The files evaluated once the given files are: their static imports, transitively. */
function staticClosure(files: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...files];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...imports(file).static);
  }
  return seen;
}

/** Every file the command can reach, through static and dynamic imports. */
function everyReachable(): Set<string> {
  const seen = new Set<string>();
  const queue = ['bin.js'];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const { static: s, dynamic: d } = imports(file);
    queue.push(...s, ...d);
  }
  return seen;
}

/** The source modules a built file carries, from the path comments esbuild writes before each. */
function carried(file: string): string[] {
  return [...text(file).matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]!);
}

describe('the bundled command', () => {
  it('is split: the entry imports the commands lazily', () => {
    const dynamic = imports('bin.js').dynamic.map((f) => posix.basename(f));
    for (const command of ['validate', 'explain', 'generate', 'plan', 'diff', 'schema', 'init']) {
      expect(dynamic.some((f) => f.startsWith(`${command}-`)), command).toBe(true);
    }
  });

  it('evaluates no plan, render, output or diff code nor Handlebars for validate and explain', () => {
    const dynamic = imports('bin.js').dynamic;
    for (const command of ['validate', 'explain']) {
      // What the command line loads before any command (yargs, the baselines of check), then the command's chunk.
      const entries = ['bin.js', ...dynamic.filter((f) => /\/(yargs|check|schema-validator)-/.test(f) || posix.basename(f).startsWith(`${command}-`))];
      const evaluated = [...staticClosure(entries)];
      const modules = evaluated.flatMap(carried);
      expect(modules.some((m) => m.startsWith('src/rules/')), `${command} carries the rules`).toBe(true);
      expect(modules.filter((m) => /^src\/(plan|render|output|diff)\/|^src\/index\.ts$|^node_modules\/handlebars\//.test(m)), command).toEqual([]);
    }
  });

  it('carries the schema validator\'s helpers: validate loads nothing from node_modules when it runs', () => {
    const validator = [...everyReachable()].filter((f) => /\/schema-validator-[^/]+\.js$/.test(f));
    expect(validator).toHaveLength(1);
    const evaluated = [...staticClosure(validator)];
    // ajv's ucs2length and equal and ajv-formats' uri check were require()d from node_modules
    // (ajv's own code keeps such calls as text, in quotes: not calls).
    for (const file of evaluated) expect(text(file).match(/(?<!['"\w.$])require\("(?!node:)[^"]+"\)/g) ?? [], file).toEqual([]);
    expect(evaluated.flatMap(carried)).toEqual(expect.arrayContaining(['node_modules/ajv/dist/runtime/ucs2length.js', 'node_modules/ajv-formats/dist/formats.js']));
  });

  it('ships every file it can import', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const packed = new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    const reachable = [...everyReachable()];
    expect(reachable.length).toBeGreaterThan(5);
    expect(reachable.filter((f) => !packed.has(`dist/src/${f}`))).toEqual([]);
  });
});
