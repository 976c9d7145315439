import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The installed package folder (holding schema/, templates/, docs/), found by walking up from
 * this module: the same code runs from src/ under the test runner and from dist/src/ when built.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'winrm-forge') {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('winrm-forge: cannot find the package folder (package.json named winrm-forge)');
    dir = parent;
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export const SCHEMA_RELATIVE_PATH = 'schema/winrm-forge.schema.json';

export function schemaText(): string {
  return readFileSync(join(packageRoot(), SCHEMA_RELATIVE_PATH), 'utf8');
}

/** Where rule documentation lives in the package: docs/rules/<id>.md. */
export function ruleDocRelativePath(id: string): string {
  return `docs/rules/${id}.md`;
}

/** The Markdown documentation of a rule, or undefined when the package has none for it. */
export function ruleDocText(id: string): string | undefined {
  const path = join(packageRoot(), ruleDocRelativePath(id));
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
