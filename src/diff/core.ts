/**
 * Compares two generated trees (path -> bytes) and says what changed, as data. Pure: the caller
 * reads the disk (`readOutputTree` of src/output/) or renders in memory; the unified report and
 * the review summary format the result.
 *
 * Text is compared with CRLF folded to LF and the byte-order mark set aside, so a script whose
 * line endings changed does not show every line as changed; such a change is still reported,
 * as a format-only modification.
 */
import { structuredPatch } from 'diff';
import { MANIFEST_FILE } from '../output/layout.js';
import { parseManifest, type Manifest } from '../output/manifest.js';
import { sha256, type FileMap } from '../shared/file-map.js';
import { byCodePoint } from '../shared/order.js';
import { detectLineEndings, type EndOfLineStyle } from '../shared/line-endings.js';

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Unified-diff body lines: ' ' context, '-' removed, '+' added, '\' no newline at end. */
  lines: string[];
}

/**
 * `content`: the text differs. `hashes`: the text differs only in SHA-256 values (PLAN.md's
 * header names the spec's hash). `format`: the text is the same; only line endings or the
 * byte-order mark differ.
 */
export type ModificationKind = 'content' | 'hashes' | 'format';

/** manifest.json compared as data: which entries came, went or changed, and which top-level fields. */
export interface ManifestChange {
  added: string[];
  removed: string[];
  changed: string[];
  /** Top-level fields other than `files` whose value differs (`spec`, `version`, `lineEndings`). */
  fields: string[];
}

export interface FileChange {
  path: string;
  status: 'added' | 'removed' | 'modified';
  /** Set when status is `modified`. */
  modification?: ModificationKind;
  /** Set when the two sides end lines differently (modified files only). */
  lineEndings?: { before: EndOfLineStyle; after: EndOfLineStyle };
  /** Set when a byte-order mark was added or removed (modified files only). */
  byteOrderMark?: { before: boolean; after: boolean };
  /** Not UTF-8 text, or holds NUL bytes: no line diff is shown. */
  binary: boolean;
  /** Line hunks of the normalised text (empty for binary, format-only, manifest and too-large changes). */
  hunks: DiffHunk[];
  /** manifest.json of an environment, when both sides read as manifests: compared as data, not lines. */
  manifest?: ManifestChange;
  /** The line diff needs more than MAX_EDIT_LENGTH edits: not shown line by line; the hashes say what differs. */
  tooLarge?: { beforeSha256?: string; afterSha256?: string };
  /** The bytes of each side (not for a manifest compared as data). */
  before?: Uint8Array;
  after?: Uint8Array;
}

export interface TreeDiff {
  /** Sorted by path, by code point. */
  changes: FileChange[];
  /** How many paths are present and byte-identical on both sides. */
  unchanged: number;
  /** Every path of each side, sorted by code point (tells a host losing steps from one removed). */
  beforePaths: string[];
  afterPaths: string[];
}

const CONTEXT_LINES = 3;
/**
 * Most line edits a diff of one file may take. Myers' algorithm costs O(N x D): a bound on D keeps
 * a pathological file (or a tree regenerated with a different layout) from taking minutes, and
 * being a count, not a time, it gives the same output on every machine.
 */
export const MAX_EDIT_LENGTH = 2_000;
const BOM = [0xef, 0xbb, 0xbf];
export const SHA256_HEX = /\b[0-9a-fA-F]{64}\b/g;

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text a reviewer should see (BOM dropped, CRLF folded), or undefined for binary content. */
export function displayText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  let text: string;
  try {
    text = strictUtf8.decode(hasBom(bytes) ? bytes.subarray(3) : bytes);
  } catch {
    return undefined;
  }
  return text.replace(/\r\n/g, '\n');
}

/** A whole file added ('+') or removed ('-') as one hunk: no edit search needed. */
function wholeFileHunk(text: string, sign: '+' | '-'): DiffHunk[] {
  if (text === '') return [];
  const lines = text.split('\n');
  const noNewline = lines[lines.length - 1] !== '';
  if (!noNewline) lines.pop();
  const body = lines.map((l) => sign + l);
  if (noNewline) body.push('\\ No newline at end of file');
  return sign === '+'
    ? [{ oldStart: 1, oldLines: 0, newStart: 1, newLines: lines.length, lines: body }]
    : [{ oldStart: 1, oldLines: lines.length, newStart: 1, newLines: 0, lines: body }];
}

/** The hunks, or undefined when the diff would need more than MAX_EDIT_LENGTH edits. */
export function hunksOf(path: string, before: string, after: string): DiffHunk[] | undefined {
  if (before === '') return wholeFileHunk(after, '+');
  if (after === '') return wholeFileHunk(before, '-');
  const patch = structuredPatch(path, path, before, after, undefined, undefined, { context: CONTEXT_LINES, maxEditLength: MAX_EDIT_LENGTH });
  if (!patch) return undefined;
  return patch.hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: [...h.lines] }));
}

function compareManifests(before: Manifest & Record<string, unknown>, after: Manifest & Record<string, unknown>): ManifestChange {
  const old = new Map(before.files.map((f) => [f.path, f]));
  const now = new Map(after.files.map((f) => [f.path, f]));
  const change: ManifestChange = { added: [], removed: [], changed: [], fields: [] };
  for (const [path, entry] of now) {
    const was = old.get(path);
    if (!was) change.added.push(path);
    else if (was.sha256 !== entry.sha256 || was.bytes !== entry.bytes) change.changed.push(path);
  }
  for (const path of old.keys()) if (!now.has(path)) change.removed.push(path);
  for (const field of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byCodePoint)) {
    if (field !== 'files' && JSON.stringify(before[field]) !== JSON.stringify(after[field])) change.fields.push(field);
  }
  for (const list of [change.added, change.removed, change.changed]) list.sort(byCodePoint);
  return change;
}

const isManifestPath = (path: string) => path === MANIFEST_FILE || path.endsWith(`/${MANIFEST_FILE}`);

/** How one path differs between the two sides (at least one present; not byte-identical). */
export function compareFile(path: string, before: Uint8Array | undefined, after: Uint8Array | undefined): FileChange {
  const beforeText = before && displayText(before);
  const afterText = after && displayText(after);
  const binary = (before !== undefined && beforeText === undefined) || (after !== undefined && afterText === undefined);
  const manifests = before && after && isManifestPath(path) ? [parseManifest(beforeText), parseManifest(afterText)] : [];
  const manifest = manifests[0] && manifests[1] ? compareManifests(manifests[0], manifests[1]) : undefined;
  const hunks = binary || manifest ? [] : hunksOf(path, beforeText ?? '', afterText ?? '');
  const change: FileChange = {
    path,
    status: before === undefined ? 'added' : after === undefined ? 'removed' : 'modified',
    binary,
    hunks: hunks ?? [],
    ...(manifest ? { manifest } : {}),
    ...(hunks === undefined ? { tooLarge: { ...(before ? { beforeSha256: sha256(before) } : {}), ...(after ? { afterSha256: sha256(after) } : {}) } } : {}),
    // A manifest compared as data keeps no bytes: nothing shows them, and `diff` builds its two
    // sides from input digests where it renders nothing (src/diff/incremental.ts).
    ...(before && !manifest ? { before } : {}),
    ...(after && !manifest ? { after } : {}),
  };
  if (before && after) {
    const eolBefore = detectLineEndings(before);
    const eolAfter = detectLineEndings(after);
    if (eolBefore !== eolAfter) change.lineEndings = { before: eolBefore, after: eolAfter };
    if (hasBom(before) !== hasBom(after)) change.byteOrderMark = { before: hasBom(before), after: hasBom(after) };
    if (binary || manifest) change.modification = 'content';
    else if (beforeText === afterText) change.modification = 'format';
    else if (beforeText!.replace(SHA256_HEX, '#') === afterText!.replace(SHA256_HEX, '#')) change.modification = 'hashes';
    else change.modification = 'content';
  }
  return change;
}

/** Compares `before` (e.g. the tree on disk, or the base spec's output) with `after`. */
export function diffTrees(before: FileMap, after: FileMap): TreeDiff {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint);
  const changes: FileChange[] = [];
  let unchanged = 0;
  for (const path of paths) {
    const b = before.get(path);
    const a = after.get(path);
    if (b && a && equalBytes(b, a)) unchanged++;
    else changes.push(compareFile(path, b, a));
  }
  return { changes, unchanged, beforePaths: [...before.keys()].sort(byCodePoint), afterPaths: [...after.keys()].sort(byCodePoint) };
}
