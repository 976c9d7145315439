/**
 * The stages of src/ import along the pipeline only: load and schema (spec) -> model -> rules
 * -> plan -> render -> output or diff, with src/index.ts the one place that chains them (its
 * check half in src/check.ts) and src/cli/ reaching them only through those. Read from the
 * import specifiers of every module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/spec.js';

type Layer = 'shared' | 'spec' | 'model' | 'rules' | 'plan' | 'render' | 'output' | 'diff' | 'cli' | 'check' | 'orchestrator' | 'entry';

/** The layer of a module, from its path under src/. */
function layerOf(path: string): Layer | undefined {
  if (path === 'src/index.ts') return 'orchestrator';
  if (path === 'src/check.ts') return 'check';
  if (path === 'src/bin.ts') return 'entry';
  const folder = path.split('/')[1];
  // Generated modules belong to the stage that uses them: the precompiled templates to render.
  if (path === 'src/generated/templates.ts') return 'render';
  if (folder === 'generated') return 'spec';
  const layers: Layer[] = ['shared', 'spec', 'model', 'rules', 'plan', 'render', 'output', 'diff', 'cli'];
  return layers.find((layer) => layer === folder);
}

/**
 * Output format modules anyone downstream of the plan may read (where files go, what the
 * manifest holds); the writer itself (atomic-output) is for the commands only.
 */
const OUTPUT_FORMAT = ['src/output/layout.ts', 'src/output/manifest.ts'];
/** The typed spec is the model's input: the plan and render may name its types, never parse. */
const SPEC_TYPES = ['src/spec/spec-types.ts'];

/** May a module of `from` import `target`? Its own layer and shared are always allowed. */
function allowed(from: Layer, target: string): boolean {
  const to = layerOf(target);
  if (to === undefined) return false;
  if (to === from || to === 'shared') return true;
  switch (from) {
    case 'shared':
    case 'spec':
    case 'output':
      return false;
    case 'model':
      return to === 'spec';
    case 'rules':
      return to === 'spec' || to === 'model';
    case 'plan':
      return to === 'model' || SPEC_TYPES.includes(target) || OUTPUT_FORMAT.includes(target);
    case 'render':
      return to === 'plan' || to === 'model' || SPEC_TYPES.includes(target) || OUTPUT_FORMAT.includes(target);
    case 'diff':
      return OUTPUT_FORMAT.includes(target);
    case 'cli':
      return to === 'orchestrator' || to === 'check' || to === 'output' || to === 'diff';
    case 'check':
      // Validation loads the check half only: nothing downstream of the rules.
      return to === 'spec' || to === 'model' || to === 'rules';
    case 'orchestrator':
      return to !== 'cli' && to !== 'entry';
    case 'entry':
      return to === 'cli';
  }
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;

/** Every relative import of `text`, resolved to a repository path with a .ts extension. */
function importsOf(path: string, text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => posix.normalize(posix.join(posix.dirname(path), m[2]!)).replace(/\.js$/, '.ts'));
}

/** `module -> import` for every import against the flow, in a set of modules keyed by path. */
export function flowViolations(modules: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [path, text] of modules) {
    const from = layerOf(path);
    if (from === undefined) {
      found.push(`${path}: not in a stage folder`);
      continue;
    }
    for (const target of importsOf(path, text)) if (!allowed(from, target)) found.push(`${path} -> ${target}`);
  }
  return found;
}

function sourceModules(): Map<string, string> {
  const modules = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(repoRoot, relative), { withFileTypes: true })) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !path.startsWith('src/generated/')) modules.set(path, readFileSync(join(repoRoot, path), 'utf8'));
    }
  };
  walk('src');
  return modules;
}

describe('imports follow the pipeline', () => {
  it('no module of src/ imports against the flow', () => {
    const modules = sourceModules();
    expect(modules.size).toBeGreaterThan(50);
    expect(flowViolations(modules)).toEqual([]);
  });

  it('finds an import planted against the flow, and accepts the same set without it', () => {
    const good = new Map([
      ['src/index.ts', "import { plan } from './plan/plan.js';\nimport { checkFile } from './check.js';"],
      ['src/check.ts', "import { lint } from './rules/linter.js';\nimport { validate } from './spec/validator.js';"],
      ['src/plan/plan.ts', "import type { EnvironmentModel } from '../model/model.js';\nimport { hostScriptPath } from '../output/layout.js';"],
      ['src/cli/commands/generate.ts', "import { generateFile } from '../../index.js';\nimport { writeOutput } from '../../output/atomic-output.js';"],
      ['src/diff/core.ts', "import { parseManifest } from '../output/manifest.js';"],
    ]);
    expect(flowViolations(good)).toEqual([]);
    const planted: [string, string, string][] = [
      ['src/plan/exchange.ts', "import { lint } from '../rules/linter.js';", 'src/rules/linter.ts'],
      ['src/plan/sync-server.ts', "import type { LoadedSpec } from '../spec/load.js';", 'src/spec/load.ts'],
      ['src/output/atomic-output.ts', "import type { Plan } from '../plan/plan.js';", 'src/plan/plan.ts'],
      ['src/diff/core.ts', "import { writeOutput } from '../output/atomic-output.js';", 'src/output/atomic-output.ts'],
      ['src/check.ts', "import { plan } from './plan/plan.js';", 'src/plan/plan.ts'],
      ['src/cli/commands/plan.ts', "const { render } = await import('../../render/render.js');", 'src/render/render.ts'],
      ['src/model/model.ts', "export { rules } from '../rules/index.js';", 'src/rules/index.ts'],
      ['src/spec/validator.ts', "import { secretKind } from '../rules/secret-in-spec.js';", 'src/rules/secret-in-spec.ts'],
    ];
    for (const [path, line, target] of planted) {
      const modules = new Map(good);
      modules.set(path, `${modules.get(path) ?? ''}\n${line}\n`);
      expect(flowViolations(modules), line).toEqual([`${path} -> ${target}`]);
    }
  });
});

/** Modules (repository paths) and packages that `entry` loads statically, itself included. */
export function staticClosure(modules: ReadonlyMap<string, string>, entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const text = modules.get(path);
    if (text === undefined) continue;
    // Static imports and re-exports only: a dynamic import() is loaded when it runs, not before.
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*(['"])([^'"]+)\1|^\s*import\s*(['"])([^'"]+)\3/gm)) {
      const specifier = (m[2] ?? m[4])!;
      if (/^import\s+type\b|^export\s+type\b/.test(m[0].trim())) continue;
      pending.push(specifier.startsWith('.') ? posix.normalize(posix.join(posix.dirname(path), specifier)).replace(/\.js$/, '.ts') : specifier.split('/')[0]!);
    }
  }
  return seen;
}

/** What a cold `validate` must not load: the generating half of the pipeline and its libraries. */
const GENERATING = (path: string) => /^src\/(plan|render|output|diff)\//.test(path) || path === 'src/index.ts' || path === 'handlebars' || path === 'diff';

describe('a validation loads the check half only', () => {
  it('validate and explain load nothing of plan, render, output, diff or Handlebars', () => {
    const modules = sourceModules();
    for (const entry of ['src/cli/commands/validate.ts', 'src/cli/commands/explain.ts', 'src/cli/shortcut.ts']) {
      const closure = staticClosure(modules, entry);
      expect(closure.has('src/check.ts') || entry === 'src/cli/shortcut.ts', entry).toBe(true);
      expect([...closure].filter(GENERATING), entry).toEqual([]);
    }
  });

  it('sees a generating module reached through a re-export, and ignores type-only and dynamic imports', () => {
    const modules = new Map([
      ['src/cli/commands/validate.ts', "import { checkFile } from '../../check.js';\nimport type { Plan } from '../../index.js';\nconst later = () => import('../../index.js');"],
      ['src/check.ts', "export { rules } from './rules/index.js';"],
      ['src/rules/index.ts', "import { x } from './a.js';"],
    ]);
    expect([...staticClosure(modules, 'src/cli/commands/validate.ts')].filter(GENERATING)).toEqual([]);
    modules.set('src/rules/index.ts', "export { render } from '../render/render.js';");
    expect([...staticClosure(modules, 'src/cli/commands/validate.ts')].filter(GENERATING)).toEqual(['src/render/render.ts']);
  });
});
