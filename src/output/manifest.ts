/**
 * manifest.json, the one file every environment folder holds: it marks the folder as
 * winrm-forge's and lists every generated file with the SHA-256 and size of its bytes as
 * written (and, for scripts, the digest of what they were rendered from), the spec's hash, the
 * tool version and the line endings used; no time, no absolute path. Render writes it; the atomic writer reads which files it owns and `generate` reads the
 * recorded script line ending; the tree comparison reads it as data.
 */
import type { OutputHash } from '../shared/file-map.js';
import { byCodePoint } from '../shared/order.js';
import type { EndOfLine } from '../shared/line-endings.js';
import { MANIFEST_FILE } from './layout.js';

export interface ManifestEntry {
  /** Relative to the environment folder. */
  path: string;
  sha256: string;
  bytes: number;
  /**
   * Input digest of a script: sha256 over its template, its data as text (contextText), its line
   * ending, the renderer and the tool version. Equal digests render equal bytes, so
   * `generate --check` renders only scripts whose digest changed or whose file on disk no longer
   * has the recorded sha256.
   */
  input?: string;
}

export interface Manifest {
  generator: 'winrm-forge';
  version: string;
  environment: string;
  spec: { path: string; sha256: string };
  /** `ps1` is what `generate` without `--eol` reuses for this folder. */
  lineEndings: { ps1: EndOfLine; csv: 'crlf'; md: 'lf'; json: 'lf' };
  files: ManifestEntry[];
}

export interface ManifestInput {
  toolVersion: string;
  environment: string;
  specPath: string;
  specSha256: string;
  scriptEol: EndOfLine;
  /** Every other file of the environment, keyed `<environment>/<relative path>`: its output hash as written. */
  outputs: ReadonlyMap<string, OutputHash>;
  /** Input digests by the same keys (scripts only). */
  inputs: ReadonlyMap<string, string>;
}

/** The bytes of manifest.json for the files of one environment. */
export function manifestBytes(input: ManifestInput): Uint8Array {
  const prefix = `${input.environment}/`;
  const files = [...input.outputs.entries()]
    .map(([path, output]): ManifestEntry => {
      const digest = input.inputs.get(path);
      return { path: path.slice(prefix.length), sha256: output.sha256, bytes: output.bytes, ...(digest === undefined ? {} : { input: digest }) };
    })
    .sort((a, b) => byCodePoint(a.path, b.path));
  const manifest: Manifest = {
    generator: 'winrm-forge',
    version: input.toolVersion,
    environment: input.environment,
    spec: { path: input.specPath, sha256: input.specSha256 },
    lineEndings: { ps1: input.scriptEol, csv: 'crlf', md: 'lf', json: 'lf' },
    files,
  };
  return Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
}

// One parse per buffer: `generate --check` asks the same manifest bytes for its line ending, the
// paths it owns and its entries (a 1,000-host manifest is about 1.3 MB of JSON). Callers only read.
const parsedBytes = new WeakMap<Uint8Array, unknown>();

function parseJson(bytes: Uint8Array | string): unknown {
  if (typeof bytes !== 'string' && parsedBytes.has(bytes)) return parsedBytes.get(bytes);
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    value = undefined;
  }
  if (typeof bytes !== 'string') parsedBytes.set(bytes, value);
  return value;
}

/**
 * The manifest as data when the text is a winrm-forge manifest with a list of file entries,
 * else undefined. Other fields are passed through unchecked (an older or newer version's).
 */
export function parseManifest(text: Uint8Array | string | undefined): (Manifest & Record<string, unknown>) | undefined {
  if (text === undefined) return undefined;
  const value = parseJson(text);
  if (!value || typeof value !== 'object' || (value as { generator?: unknown }).generator !== 'winrm-forge') return undefined;
  const files = (value as { files?: unknown }).files;
  if (!Array.isArray(files) || !files.every((f) => f && typeof f === 'object' && typeof (f as { path?: unknown }).path === 'string')) return undefined;
  return value as Manifest & Record<string, unknown>;
}

/**
 * Every path a manifest lists, unchecked, or undefined when the bytes are not a manifest.
 * Accepts `files` as an array of paths or of `{ path }`, or as an object keyed by path, so a
 * folder written by any version is recognised; the caller decides which paths are safe.
 */
export function listedPaths(bytes: Uint8Array): unknown[] | undefined {
  const parsed = parseJson(bytes);
  if (typeof parsed !== 'object' || parsed === null || !('files' in parsed)) return undefined;
  const files = (parsed as { files: unknown }).files;
  if (Array.isArray(files)) return files.map((f: unknown) => (typeof f === 'object' && f !== null ? (f as { path?: unknown }).path : f));
  if (typeof files === 'object' && files !== null) return Object.keys(files);
  return undefined;
}

/** The script line ending a manifest records (`lineEndings.ps1`), or undefined. */
export function recordedEol(bytes: Uint8Array): EndOfLine | undefined {
  const parsed = parseJson(bytes) as { lineEndings?: { ps1?: unknown } } | null | undefined;
  const ps1 = parsed?.lineEndings?.ps1;
  return ps1 === 'crlf' || ps1 === 'lf' ? ps1 : undefined;
}

export { MANIFEST_FILE };
