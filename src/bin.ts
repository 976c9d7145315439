#!/usr/bin/env node
import { main } from './cli/cli.js';

// A reader that stops early (`winrm-forge diff a b | head`) closes the pipe: stop quietly, as
// other command-line tools do, instead of printing a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  readStdin: async (max: number) => {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      // Stop one chunk past the limit: the loader refuses what is over it, and a spec piped
      // from /dev/zero must not fill the memory.
      if (total > max) break;
    }
    process.stdin.destroy();
    return Buffer.concat(chunks).subarray(0, max);
  },
};

let ended = false;
main(process.argv.slice(2), io).then(
  (code) => {
    ended = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    ended = true;
    // Only a bug in winrm-forge lands here: bad input becomes diagnostics.
    process.stderr.write(`winrm-forge: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nPlease report this with the spec that caused it.\n`);
    process.exitCode = 70;
  },
);

// Nothing left to run while the command has not ended: a promise that can never settle (a bug).
// Exiting 0 there would read as "no difference" to a pipeline running diff or --check.
process.on('beforeExit', () => {
  if (ended) return;
  ended = true;
  process.stderr.write('winrm-forge: internal error: the command stopped before it finished.\nPlease report this with the spec that caused it.\n');
  process.exitCode = 70;
});
