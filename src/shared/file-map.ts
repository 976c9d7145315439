import { createHash } from 'node:crypto';

/**
 * The shape every stage after render passes around: relative POSIX path -> bytes, rooted at the
 * --out folder (`<environment>/hosts/<host>/NN-<step>.ps1`, ...).
 */
export type FileMap = ReadonlyMap<string, Uint8Array>;

/** Code-point order, never locale order: the same bytes out on every machine. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The SHA-256 of some bytes (or UTF-8 text), as lowercase hex: manifest entries, report hashes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
