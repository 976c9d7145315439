import { basename, isAbsolute, relative, resolve } from 'node:path';

/**
 * The spec path as generated files name it: relative to the working folder, with forward
 * slashes, never absolute (an absolute path would make output depend on the machine).
 */
export function specDisplayPath(cwd: string, spec: string): string {
  const rel = relative(cwd, resolve(cwd, spec));
  const path = rel === '' || isAbsolute(rel) ? basename(spec) : rel;
  return path.split('\\').join('/');
}
