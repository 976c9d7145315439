import { fstatSync, readSync } from 'node:fs';

/**
 * Reads from `fd` until its end or until `max` bytes are read, whichever comes first. The size
 * the descriptor reports is only a hint for the first buffer (one byte over it shows in one read
 * whether the file ends there): a file still being written, a file system that reports 0, a
 * device or a pipe is read the same way. Callers ask for one byte past their limit and refuse
 * what reaches it. The spec loader and the output folder's readers both read through it.
 */
export function readAtMost(fd: number, max: number): Buffer {
  const hint = fstatSync(fd).size;
  let buffer = Buffer.alloc(Math.min(max, hint > 0 ? hint + 1 : 64 * 1024));
  let total = 0;
  while (total < max) {
    if (total === buffer.length) {
      const grown = Buffer.alloc(Math.min(max, buffer.length * 2));
      buffer.copy(grown, 0, 0, total);
      buffer = grown;
    }
    const read = readSync(fd, buffer, total, buffer.length - total, null);
    if (read === 0) break;
    total += read;
  }
  return buffer.subarray(0, total);
}
