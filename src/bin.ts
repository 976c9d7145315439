#!/usr/bin/env node
import { main } from './cli.js';

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
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug in winrm-forge lands here: bad input becomes diagnostics.
    process.stderr.write(`winrm-forge: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nPlease report this with the spec that caused it.\n`);
    process.exitCode = 70;
  },
);
