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

/**
 * One file of a planned tree: its input digest, when it has one, and how to render its bytes.
 * Two files with the same input digest have the same bytes (the digest hashes everything
 * rendering reads: template, data, line ending, renderer, tool version), so a comparison may
 * skip rendering them.
 */
export interface PlannedFile {
  input?: string;
  render(): Uint8Array;
}

/** The output hash and size of a file, as manifest.json records them. */
export interface OutputHash {
  sha256: string;
  bytes: number;
}

/** What manifest.json records of a file's bytes. */
export function outputHash(bytes: Uint8Array): OutputHash {
  return { sha256: sha256(bytes), bytes: bytes.length };
}

/**
 * A tree planned but not rendered: one environment's files (every file but manifest.json) and
 * its manifest, which lists the output hash of every file and so is built from them.
 */
export interface PlannedTree {
  /** Key of manifest.json, `<environment>/manifest.json`. */
  manifestPath: string;
  /** Keyed as in a FileMap, sorted by code point; manifest.json excluded. */
  files: ReadonlyMap<string, PlannedFile>;
  /** The bytes of manifest.json given the output hash of every file of `files` (by key). */
  manifest(outputs: ReadonlyMap<string, OutputHash>): Uint8Array;
}

/**
 * What `writeOutput` writes, when the bytes are made as they are asked for: every key known
 * first (they are checked before anything is read), then `read(key)` once per key, each
 * environment's manifest.json last, so a renderer can hash each file as it goes and build the
 * manifest from those digests. The writer keeps no file's bytes once it has compared and
 * staged them, so the whole tree is never held at once.
 */
export interface FileSource {
  keys: readonly string[];
  read(key: string): Uint8Array;
}

/**
 * How many bytes of a file on disk a comparison reads when `expected` are generated there: the
 * generated size again (at least 64 KiB) and one byte more, so that a hand edit is shown whole in
 * the report while a huge or sparse file costs next to nothing.
 */
export function comparisonReadLimit(expected: number): number {
  return expected + Math.max(expected, 65_536) + 1;
}

/** One environment folder under --out as `generate --check` reads it (src/output/atomic-output.ts `outputFolder`, read by src/diff/incremental.ts): without following links, and bounded. */
export interface OutputFolder {
  /** The bytes of its manifest.json (up to 16 MiB), when it has one. */
  manifest?: Uint8Array;
  /** Keys (`<environment>/<path>`) of the files its manifest lists, manifest.json included. */
  listed: string[];
  /** At most `limit` bytes of the file at `key`, or undefined when no regular file is there (or the key is unsafe). */
  read(key: string, limit: number): Uint8Array | undefined;
}
