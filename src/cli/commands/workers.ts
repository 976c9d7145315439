/**
 * Worker threads of the built command: `diff` plans its base spec in one (diff-sides.ts) and
 * `generate --check` hashes the tree on disk in one (check-digests.ts), each while the main thread
 * checks and plans a spec. They run only from the build (scripts/bundle-cli.mjs writes each
 * worker as dist/src/<name>); from the sources (the tests) the same work runs in the main thread,
 * one step after the other. WINRM_FORGE_THREADS=0 never starts them and =1 always does (from the
 * build); by default they start when a second CPU is idle: the machine has two or more and the
 * 1-minute load average is below their number less one half. A busy machine would run the two
 * threads no faster than one and pay the worker's start-up (loading the modules again) on top.
 * Windows reports no load average (0), so there only the number of CPUs counts.
 *
 * A large `generate` runs in a worker thread too, for its memory rather than a second CPU
 * (`generateWorker`, generate-thread.ts): the main thread waits for it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../shared/paths.js';
import type { Io } from '../io.js';

/** The path of the built worker script `name`, when a worker may run here; undefined otherwise. */
export function builtWorker(name: string, io: Io): string | undefined {
  const setting = io.env.WINRM_FORGE_THREADS;
  if (setting === '0') return undefined;
  const cpus = availableParallelism();
  if (setting !== '1' && (cpus < 2 || loadavg()[0]! >= cpus - 0.5)) return undefined;
  return builtScript(name);
}

/**
 * A spec at least this large is generated in a worker thread whose young generation is capped
 * (`generateWorker`): about 300 hosts. Below it the heap stays small anyway, and the worker's
 * start-up (a second Node environment, the modules loaded there) would be most of a cold run.
 */
export const LARGE_SPEC_BYTES = 128 * 1024;

/**
 * The built worker script that runs `generate` in place of the main thread, which only waits
 * for it and passes its output on: not for a second CPU, but for a heap of its own with a
 * capped young generation (generate-thread.ts). It runs for a spec of LARGE_SPEC_BYTES or
 * more; WINRM_FORGE_THREADS=0 never starts it and =1 starts it for any spec (the tests).
 */
export function generateWorker(specBytes: number, io: Io): string | undefined {
  const setting = io.env.WINRM_FORGE_THREADS;
  if (setting === '0' || (setting !== '1' && specBytes < LARGE_SPEC_BYTES)) return undefined;
  return builtScript('generate.js');
}

/** The path of the built script `name` when this module runs from the build (dist/); undefined from the sources. */
function builtScript(name: string): string | undefined {
  const root = packageRoot();
  const here = relative(join(root, 'dist'), fileURLToPath(import.meta.url));
  if (here === '' || here.startsWith('..') || isAbsolute(here)) return undefined;
  const script = join(root, 'dist', 'src', name);
  return existsSync(script) ? script : undefined;
}
