/**
 * The disk half of `generate --check`, started before the spec is read: a worker thread reads and
 * hashes every file the folder's manifest records (`folderDigests`) while the main thread checks
 * and plans the spec; `checkPlanned` then reads only the files whose bytes differ. The folder is
 * `<out>/<environment>` with the environment the spec names on its top-level `environment:` line;
 * that is only a guess made before parsing, and when the plan names another environment (or no
 * worker runs, see workers.ts) `checkPlanned` reads and hashes everything itself, as it would
 * without the worker.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { DiskDigest } from '../../diff/incremental.js';
import { readFileAtMost } from '../../output/atomic-output.js';
import type { Io } from '../io.js';
import { builtWorker } from './workers.js';

export interface DigestRequest {
  out: string;
  environment: string;
}

/** The environment a spec's text names on its top-level `environment:` line, plainly written; undefined otherwise. */
export function environmentHint(text: string): string | undefined {
  const line = /^environment:[ \t]*(['"]?)([A-Za-z0-9][A-Za-z0-9._-]*)\1[ \t]*(?:#.*)?\r?$/m.exec(text);
  return line?.[2];
}

export interface PendingDigests {
  /** The digests of `<out>/<environment>`, when the worker hashed that folder; undefined otherwise. */
  take(environment: string): Promise<ReadonlyMap<string, DiskDigest> | undefined>;
  stop(): void;
}

const NONE: PendingDigests = { take: () => Promise.resolve(undefined), stop: () => undefined };

/** How much of the spec is read for its `environment:` line (a top-level key, near the top in practice). */
const HINT_BYTES = 256 * 1024;

/** The hint of the spec at `path`: read only from a regular file (a pipe would lose what is read), never following a link. */
function specHint(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? environmentHint(readFileAtMost(path, HINT_BYTES).toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts hashing `<out>/<environment the spec at specPath names>` in a worker thread, where one may run. */
export function startDigests(out: string, specPath: string, io: Io): PendingDigests {
  const script = builtWorker('check-digests.js', io);
  const environment = script === undefined ? undefined : specHint(specPath);
  if (environment === undefined || script === undefined) return NONE;
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: { out, environment } satisfies DigestRequest });
  } catch {
    // No thread could be started (out of resources, say): checkPlanned hashes everything itself.
    return NONE;
  }
  const digests = new Promise<Map<string, DiskDigest> | undefined>((resolve) => {
    worker.once('message', (message: Map<string, DiskDigest> | null) => resolve(message ?? undefined));
    // A folder that cannot be read is reported by checkPlanned's own reading.
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return {
    take: async (name) => (name === environment ? digests : (void worker.terminate(), undefined)),
    stop: () => void worker.terminate(),
  };
}
