/**
 * Worker threads of the built command: `diff` plans its base spec in one (diff-sides.ts) and
 * `generate --check` hashes the tree on disk in one (check-digests.ts), each while the main thread
 * checks and plans a spec. They run only from the build (scripts/bundle-cli.mjs writes each
 * worker as dist/src/<name>), only with a second CPU, and not with WINRM_FORGE_THREADS=0; from the
 * sources (the tests) the same work runs in the main thread, one step after the other.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../shared/paths.js';
import type { Io } from '../io.js';

/** The path of the built worker script `name`, when a worker may run here; undefined otherwise. */
export function builtWorker(name: string, io: Io): string | undefined {
  if (io.env.WINRM_FORGE_THREADS === '0' || availableParallelism() < 2) return undefined;
  const root = packageRoot();
  const here = relative(join(root, 'dist'), fileURLToPath(import.meta.url));
  if (here === '' || here.startsWith('..') || isAbsolute(here)) return undefined;
  const script = join(root, 'dist', 'src', name);
  return existsSync(script) ? script : undefined;
}
