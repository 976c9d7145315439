import { createHash } from 'node:crypto';

/**
 * The shape every stage after render passes around: relative POSIX path -> bytes, rooted at the
 * --out folder (`<environment>/hosts/<host>/NN-<step>.ps1`, ...).
 */
export type FileMap = ReadonlyMap<string, Uint8Array>;

/** The SHA-256 of some bytes (or UTF-8 text), as lowercase hex: manifest entries, report hashes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
