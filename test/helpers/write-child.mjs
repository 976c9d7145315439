// Child process for the interruption tests: writes a large tree into an existing output folder
// with the built writer, and freezes at a chosen step so the parent can kill -9 it exactly there
// (or, with KEEP_GOING=1, only reports the step and carries on).
// Usage: node write-child.mjs <out> <files> <bytesPerFile> <phase|none> [index]
import { createHash } from 'node:crypto';
import { writeOutput } from '../../dist/src/output/atomic-output.js';

const [out, count, size, stopPhase, stopIndex] = process.argv.slice(2);

/** The "new" tree: every file differs from the "old" one the parent wrote. */
function newTree(fileCount, bytesPerFile) {
  const files = new Map();
  const listed = {};
  for (let i = 0; i < fileCount; i++) {
    const path = `hosts/h${String(i % 10).padStart(2, '0')}.example.com/${String(i).padStart(4, '0')}-step.ps1`;
    const bytes = Buffer.alloc(bytesPerFile, `new ${i}\r\n`);
    files.set(`big/${path}`, bytes);
    listed[path] = createHash('sha256').update(bytes).digest('hex');
  }
  files.set('big/manifest.json', Buffer.from(`${JSON.stringify({ files: listed }, null, 2)}\n`));
  return files;
}

{
  const freeze = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  const result = writeOutput(out, newTree(Number(count), Number(size)), {
    onProgress(event) {
      if (event.phase !== stopPhase) return;
      if (stopIndex !== undefined && event.index !== Number(stopIndex)) return;
      process.stdout.write(`STOP ${event.phase}\n`);
      // KEEP_GOING: report the step but carry on, so the kill lands at an arbitrary later point.
      if (!process.env.KEEP_GOING) freeze();
    },
  });
  process.stdout.write(`DONE ${result.ok}\n`);
}
