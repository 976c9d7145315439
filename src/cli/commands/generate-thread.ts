/**
 * `generate` of a large spec in a worker thread (generate-worker.ts, bundled as
 * dist/src/generate.js; when: workers.ts `generateWorker`). The main thread only waits and passes
 * the worker's output on: the worker is there for its heap. V8 lets the young generation (the
 * heap of new objects) grow to 16 MB per semi-space, and at 1,000 hosts the objects that outlive
 * a scavenge there, the spec's YAML nodes, the plan and the contexts among them, take the peak
 * resident memory to about 170 MB; node's `--max-semi-space-size` could lower it, but only on
 * node's own command line, which an npm bin cannot portably set. A worker's young generation is
 * set where it starts (`resourceLimits`): capped at YOUNG_GENERATION_MB, the same `generate`
 * peaks at about 141-148 MB, for about a tenth more CPU time (BENCHMARKS.md). The old generation keeps V8's
 * default limit, or the one node was started with.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EXIT_USAGE, ioFacts, type ExitCode, type Io, type IoFacts } from '../io.js';
import type { GenerateCommandOptions } from './generate.js';
import { generateWorker } from './workers.js';

/**
 * The `generate` command: a large spec written from a worker thread, anything else (and --check,
 * which has its own worker: check-digests.ts) in this thread. This module loads none of the
 * pipeline: the main thread of a worker's run never evaluates it.
 */
export async function runGenerate(options: GenerateCommandOptions, io: Io): Promise<ExitCode> {
  const script = options.check ? undefined : generateWorker(specBytes(resolve(io.cwd, options.spec)), io);
  const code = script === undefined ? undefined : await generateInWorker(script, generateRequest(options, io), io);
  return code ?? (await import('./generate.js')).generateHere(options, io);
}

/** The size of the spec file at `path`; 0 when it is not a regular file (the loader says why). */
function specBytes(path: string): number {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.size : 0;
  } catch {
    return 0;
  }
}

/** The worker's young generation, in MB: V8 makes it three times a semi-space, so semi-spaces of 4 MB. */
export const YOUNG_GENERATION_MB = 12;

/** What the worker is given: the command's options and what it may know of the outside world. */
export interface GenerateRequest {
  options: GenerateCommandOptions;
  io: IoFacts;
}

/** What the worker sends, in order: its output as it writes it, then its exit code, once. */
export type GenerateMessage = { stdout: string } | { stderr: string } | { code: ExitCode };

export const generateRequest = (options: GenerateCommandOptions, io: Io): GenerateRequest => ({ options, io: ioFacts(io) });

/**
 * Runs the worker script `script` on `request` and passes its output to `io` as it comes.
 * Resolves to the worker's exit code, or to undefined when no worker could be started (out of
 * resources, say, when it is created or while its thread sets up, before it sent anything: the
 * caller then generates in this thread). A worker that reached the heap limit is reported as
 * that, with how to raise the limit, and exit 2: the limit is node's, the same in either thread,
 * and the atomic writer leaves the old tree or the new one (an unfinished staging folder is
 * removed by the next run). Rejects with any other error of the worker (an internal error, reported as such),
 * or when the worker ends without an exit code: `generate` never ends as if it had succeeded
 * without saying so.
 */
export function generateInWorker(script: string, request: GenerateRequest, io: Io): Promise<ExitCode | undefined> {
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: request, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    let code: ExitCode | undefined;
    let heard = false;
    worker.on('message', (message: GenerateMessage) => {
      heard = true;
      if ('stdout' in message) io.stdout(message.stdout);
      else if ('stderr' in message) io.stderr(message.stderr);
      else code = message.code;
    });
    worker.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_WORKER_INIT_FAILED' && !heard) return resolve(undefined);
      if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return reject(error);
      io.stderr(
        `winrm-forge: out of memory generating ${request.options.spec}: node's heap limit was reached (${request.options.out} holds its old tree or the new one, never a mix). ` +
          `Raise the limit and run again, e.g. NODE_OPTIONS=--max-old-space-size=4096 (MB).\n`,
      );
      resolve(EXIT_USAGE);
    });
    // Messages the worker sent before it ended arrive before its 'exit'.
    worker.once('exit', (exit) => (code === undefined ? reject(new Error(`bug: the worker generating ${request.options.spec} ended (exit ${exit}) without an exit code`)) : resolve(code)));
  });
}
