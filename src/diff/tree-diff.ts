/**
 * Compares two generated trees (path -> bytes) and says what changed: the list of paths, a
 * unified diff for reviewers and tools, and a per-host markdown summary fit for a pull-request
 * comment. Pure: the caller reads disk (atomic-output's `readOutputTree`) or renders in memory.
 *
 * Text is compared with CRLF folded to LF and the byte-order mark set aside, so a script whose
 * line endings changed does not show every line as changed; such a change is still reported,
 * as a format-only modification.
 */
import { structuredPatch } from 'diff';
import { readOutputTree } from '../output/atomic-output.js';
import { byCodePoint, sha256, type FileMap } from '../shared/file-map.js';
import { detectLineEndings, type EndOfLineStyle } from '../shared/line-endings.js';

export { byCodePoint, type FileMap } from '../shared/file-map.js';

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
const SHA256_HEX = /\b[0-9a-fA-F]{64}\b/g;

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text a reviewer should see (BOM dropped, CRLF folded), or undefined for binary content. */
function displayText(bytes: Uint8Array): string | undefined {
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
function hunksOf(path: string, before: string, after: string): DiffHunk[] | undefined {
  if (before === '') return wholeFileHunk(after, '+');
  if (after === '') return wholeFileHunk(before, '-');
  const patch = structuredPatch(path, path, before, after, undefined, undefined, { context: CONTEXT_LINES, maxEditLength: MAX_EDIT_LENGTH });
  if (!patch) return undefined;
  return patch.hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: [...h.lines] }));
}

interface ManifestData {
  files: { path: string; sha256: string; bytes: number }[];
  [field: string]: unknown;
}

function manifestData(text: string | undefined): ManifestData | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || (value as { generator?: unknown }).generator !== 'winrm-forge') return undefined;
    const files = (value as { files?: unknown }).files;
    if (!Array.isArray(files) || !files.every((f) => f && typeof f === 'object' && typeof (f as { path?: unknown }).path === 'string')) return undefined;
    return value as ManifestData;
  } catch {
    return undefined;
  }
}

function compareManifests(before: ManifestData, after: ManifestData): ManifestChange {
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

const isManifestPath = (path: string) => path === 'manifest.json' || path.endsWith('/manifest.json');

function compareFile(path: string, before: Uint8Array | undefined, after: Uint8Array | undefined): FileChange {
  const beforeText = before && displayText(before);
  const afterText = after && displayText(after);
  const binary = (before !== undefined && beforeText === undefined) || (after !== undefined && afterText === undefined);
  const manifests = before && after && isManifestPath(path) ? [manifestData(beforeText), manifestData(afterText)] : [];
  const manifest = manifests[0] && manifests[1] ? compareManifests(manifests[0], manifests[1]) : undefined;
  const hunks = binary || manifest ? [] : hunksOf(path, beforeText ?? '', afterText ?? '');
  const change: FileChange = {
    path,
    status: before === undefined ? 'added' : after === undefined ? 'removed' : 'modified',
    binary,
    hunks: hunks ?? [],
    ...(manifest ? { manifest } : {}),
    ...(hunks === undefined ? { tooLarge: { ...(before ? { beforeSha256: sha256(before) } : {}), ...(after ? { afterSha256: sha256(after) } : {}) } } : {}),
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
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

/**
 * Compares the tree under `out` with freshly rendered `files`: what `generate --check` reports
 * and `generate` would change. Only the files the environment's manifest lists, and files at
 * generated paths, are read; anything else in the folder is not winrm-forge's and not drift.
 */
export function diffAgainstOutput(out: string, files: FileMap): TreeDiff {
  return diffTrees(readOutputTree(out, files), files);
}

/** The changed paths by kind, each list sorted by code point. */
export function changedPaths(diff: TreeDiff): { added: string[]; removed: string[]; modified: string[] } {
  const pick = (status: FileChange['status']) => diff.changes.filter((c) => c.status === status).map((c) => c.path);
  return { added: pick('added'), removed: pick('removed'), modified: pick('modified') };
}

const EOL_NAMES: Record<EndOfLineStyle, string> = { crlf: 'CRLF', lf: 'LF', mixed: 'mixed CRLF/LF', none: 'no line break' };

function formatNotes(change: FileChange): string[] {
  const notes: string[] = [];
  if (change.lineEndings) notes.push(`line endings: ${EOL_NAMES[change.lineEndings.before]} -> ${EOL_NAMES[change.lineEndings.after]}`);
  if (change.byteOrderMark) notes.push(change.byteOrderMark.after ? 'UTF-8 byte-order mark added' : 'UTF-8 byte-order mark removed');
  return notes;
}

/** What changed in a manifest, as data: one line per kind of change. */
export function manifestNotes(change: ManifestChange): string[] {
  const notes: string[] = [];
  const list = (paths: string[]) => paths.join(', ');
  if (change.fields.length > 0) notes.push(`manifest fields changed: ${list(change.fields)}`);
  if (change.added.length > 0) notes.push(`manifest entries added: ${list(change.added)}`);
  if (change.removed.length > 0) notes.push(`manifest entries removed: ${list(change.removed)}`);
  if (change.changed.length > 0) notes.push(`manifest entries changed: ${list(change.changed)}`);
  if (notes.length === 0) notes.push('manifest text changed, entries the same');
  return notes;
}

/**
 * A unified diff of every change, git style (`a/` and `b/` prefixes, /dev/null for added and
 * removed files), so reviewers' tools colour it. Format-only changes get a `#` note line
 * instead of hunks; lines are shown with LF endings.
 */
export function formatUnifiedDiff(diff: TreeDiff): string {
  const out: string[] = [];
  for (const change of diff.changes) {
    out.push(`diff --git a/${change.path} b/${change.path}`);
    if (change.status === 'added') out.push('new file');
    if (change.status === 'removed') out.push('deleted file');
    for (const note of formatNotes(change)) out.push(`# ${note}${change.modification === 'format' ? ' (text unchanged)' : ''}`);
    if (change.binary) {
      out.push(`Binary files ${change.status === 'added' ? '/dev/null' : `a/${change.path}`} and ${change.status === 'removed' ? '/dev/null' : `b/${change.path}`} differ`);
      continue;
    }
    if (change.manifest) {
      out.push(...manifestNotes(change.manifest).map((note) => `# ${note}`));
      continue;
    }
    if (change.tooLarge) {
      out.push(`# too large to show line by line (more than ${MAX_EDIT_LENGTH} changed lines): sha256 ${change.tooLarge.beforeSha256 ?? '(none)'} -> ${change.tooLarge.afterSha256 ?? '(none)'}`);
      continue;
    }
    if (change.hunks.length === 0) continue;
    out.push(`--- ${change.status === 'added' ? '/dev/null' : `a/${change.path}`}`);
    out.push(`+++ ${change.status === 'removed' ? '/dev/null' : `b/${change.path}`}`);
    for (const hunk of change.hunks) {
      out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
      out.push(...hunk.lines);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** How `generate --check` names the spec and the folder in its report (as the user wrote them). */
export interface DriftLabels {
  spec: string;
  out: string;
  /** Further options the fixing command needs (e.g. `--eol lf`). */
  options?: string;
}

/**
 * The report `generate --check` prints when the tree on disk differs from a fresh render ('' when
 * it does not): one line per file saying how it differs, including files still on disk that are
 * no longer generated, the command that fixes it, then the unified diff.
 */
export function formatDriftReport(diff: TreeDiff, labels: DriftLabels): string {
  if (diff.changes.length === 0) return '';
  const lines = [`${labels.out} is out of date with ${labels.spec}: ${diff.changes.length === 1 ? '1 file differs' : `${diff.changes.length} files differ`}.`];
  for (const change of diff.changes) {
    let what: string;
    if (change.status === 'added') what = 'missing (generated, not on disk)';
    else if (change.status === 'removed') what = 'no longer generated (still on disk, listed in the manifest)';
    else if (change.modification === 'format') what = `format only: ${formatNotes(change).join('; ')}`;
    else what = 'changed';
    lines.push(`  ${change.path}: ${what}`);
  }
  if (diff.changes.every((c) => c.modification === 'format' && c.lineEndings)) {
    lines.push('Only line endings differ: the tree was written with another --eol, or git converted them on checkout (see ".gitattributes" in README).');
  }
  lines.push(`Regenerate with: winrm-forge generate ${labels.spec} --out ${labels.out}${labels.options ? ` ${labels.options}` : ''}`, '');
  return `${lines.join('\n')}\n${formatUnifiedDiff(diff)}`;
}

// ---------------------------------------------------------------------------------------------
// Settings involved: what a reviewer must look at, read from the changed lines.

/** Cmdlets that only move data around a script; naming them tells a reviewer nothing. */
const PLUMBING_CMDLETS = new Set([
  'Get-ChildItem', 'Get-Command', 'Get-Content', 'Get-Date', 'Get-Item', 'Get-ItemProperty', 'Get-Variable',
  'Join-Path', 'New-Item', 'New-Object', 'Set-Item', 'Set-ItemProperty', 'Set-StrictMode', 'Split-Path',
  'Start-Transcript', 'Stop-Transcript', 'Test-Path',
]);
/** Verbs of cmdlets that change a machine or open a session; Get- and Test- only read. */
const SETTING_VERBS = 'Add|Clear|Disable|Enable|Enter|Import|Install|Invoke|New|Register|Remove|Rename|Restart|Set|Start|Stop|Unregister|Update';
const FUNCTION_DEFINITION = /\bfunction\s+([A-Za-z]+-[A-Za-z]+)/gi;
const CMDLET = new RegExp(`\\b(?:${SETTING_VERBS})-[A-Z][A-Za-z]+\\b`, 'g');
const WSMAN_PATH = /WSMan:\\[A-Za-z0-9_\\]*[A-Za-z0-9_]/gi;
const WINRM_CONFIG = /\bwinrm\/config(?:\/[A-Za-z]+)*/g;
const REGISTRY_PATH = /\bHK(?:LM|CU):\\[A-Za-z0-9_\\ .-]*[A-Za-z0-9_]/g;
const THUMBPRINT = /\b[0-9A-Fa-f]{40}\b/g;
/** `-LocalPort 5986` in a cmdlet call, or `Port = 5986` in the hashtables firewall steps loop over. */
const PORT = /(?:-(?:Local|Remote)?Port\s+'?|\bPort\s*=\s*)(\d{1,5})\b/g;
const URI = /\bhttps?:\/\/[A-Za-z0-9.\-:]+\/[A-Za-z0-9/_.-]*/g;
/** Setting names that matter whatever cmdlet writes them. */
const SETTING_WORDS = [
  'AllowUnencrypted', 'BasicAuthentication', 'CbtHardeningLevel', 'CertificateThumbprint', 'CredSSP', 'DisabledComponents',
  'ExecutionPolicy', 'IPv4Filter', 'IPv6Filter', 'PrincipalsAllowedToDelegateToAccount', 'Remote Management Users', 'RemoteAddress',
  'TrustedForDelegation', 'TrustedHosts', 'WindowsAuthentication', 'prefixpolicy', 'sslFlags',
];

/**
 * The settings, cmdlets, paths, thumbprints, ports and URIs that `lines` (changed lines of a
 * script, without their +/- marker) touch, sorted by code point. Comment lines count too: the
 * generator explains settings in comments, and a changed explanation deserves a look. Only
 * cmdlets that change something are named; `ownFunctions` (lowercase) are helper functions the
 * script defines itself, which say nothing to a reviewer.
 */
export function settingsInvolved(lines: readonly string[], ownFunctions: ReadonlySet<string> = new Set()): string[] {
  const found = new Set<string>();
  const add = (value: string) => found.add(value);
  for (const line of lines) {
    for (const m of line.matchAll(WSMAN_PATH)) add(m[0]);
    for (const m of line.matchAll(WINRM_CONFIG)) add(m[0]);
    for (const m of line.matchAll(REGISTRY_PATH)) add(m[0]);
    for (const m of line.matchAll(CMDLET)) if (!PLUMBING_CMDLETS.has(m[0]) && !ownFunctions.has(m[0].toLowerCase())) add(m[0]);
    for (const m of line.matchAll(THUMBPRINT)) add(`thumbprint ${m[0].toUpperCase()}`);
    for (const m of line.matchAll(PORT)) add(`port ${m[1]}`);
    for (const m of line.matchAll(URI)) add(m[0]);
    for (const word of SETTING_WORDS) if (line.includes(word)) add(word);
  }
  // A WSMan path already names its leaf setting; listing the bare word as well is noise.
  for (const word of SETTING_WORDS) {
    if ([...found].some((value) => value !== word && value.toLowerCase().endsWith(`\\${word.toLowerCase()}`))) found.delete(word);
  }
  return [...found].sort(byCodePoint);
}

/** Lowercased names of the functions `texts` define (`function Set-Thing {`). */
function definedFunctions(...texts: (Uint8Array | undefined)[]): Set<string> {
  const names = new Set<string>();
  for (const bytes of texts) {
    const text = bytes && displayText(bytes);
    if (text) for (const m of text.matchAll(FUNCTION_DEFINITION)) names.add(m[1]!.toLowerCase());
  }
  return names;
}

function changedLines(hunks: readonly DiffHunk[]): string[] {
  const lines: string[] = [];
  for (const hunk of hunks) for (const line of hunk.lines) if (line.startsWith('+') || line.startsWith('-')) lines.push(line.slice(1));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Markdown summary per host.

/** What the caller knows about a host from the spec (optional: paths alone give host names). */
export interface HostFacts {
  host: string;
  /** Human name of the role, e.g. "Exchange server", "sync server", "reverse proxy". */
  role: string;
  forest?: string;
}

export interface ReviewSummaryOptions {
  /** First line of the comment (a level-2 heading). */
  title?: string;
  /** Hosts of the base and head specs, to name roles and forests that appear or disappear. */
  hosts?: { before: readonly HostFacts[]; after: readonly HostFacts[] };
  /** Append the unified diff in a collapsed block (default true). */
  includeUnifiedDiff?: boolean;
  /** Longest comment to produce; GitHub refuses comments over 65,536 characters. */
  maxLength?: number;
}

interface StepChange {
  step: string;
  kind: 'added' | 'removed' | 'changed' | 'renumbered' | 'format' | 'hashes';
  detail: string;
  settings: string[];
}

interface HostChange {
  environment: string;
  host: string;
  status: 'added' | 'removed' | 'changed';
  steps: StepChange[];
}

interface ParsedPath {
  environment: string;
  host?: string;
  file: string;
}

function parsePath(path: string): ParsedPath {
  const parts = path.split('/');
  if (parts.length === 4 && parts[1] === 'hosts') return { environment: parts[0]!, host: parts[2]!, file: parts[3]! };
  if (parts.length >= 2) return { environment: parts[0]!, file: parts.slice(1).join('/') };
  return { environment: '', file: path };
}

const SCRIPT_SUFFIX = /\.ps1$/i;
const STEP_NUMBER = /^\d+-/;

function stepName(file: string): string {
  return file.replace(SCRIPT_SUFFIX, '');
}

/** `05-firewall.ps1` and `06-firewall.ps1` are the same step moved: match steps by name. */
function stepKey(file: string): string {
  return stepName(file).replace(STEP_NUMBER, '');
}

function maskedText(bytes: Uint8Array): string | undefined {
  return displayText(bytes)?.replace(SHA256_HEX, '#');
}

function formatDetail(change: FileChange): string {
  return formatNotes(change).join('; ');
}

function hostSteps(changes: readonly FileChange[]): StepChange[] {
  const byKey = new Map<string, { removed?: FileChange; added?: FileChange; modified?: FileChange }>();
  for (const change of changes) {
    const file = parsePath(change.path).file;
    const key = change.status === 'modified' ? `${file}\u0000modified` : stepKey(file);
    const entry = byKey.get(key) ?? {};
    entry[change.status] = change;
    byKey.set(key, entry);
  }
  const steps: StepChange[] = [];
  for (const { removed, added, modified } of byKey.values()) {
    if (modified) {
      const step = stepName(parsePath(modified.path).file);
      if (modified.modification === 'format') steps.push({ step, kind: 'format', detail: formatDetail(modified), settings: [] });
      else if (modified.modification === 'hashes') steps.push({ step, kind: 'hashes', detail: '', settings: [] });
      else steps.push({ step, kind: 'changed', detail: formatDetail(modified), settings: settingsInvolved(changedLines(modified.hunks), definedFunctions(modified.before, modified.after)) });
    } else if (removed && added) {
      const from = stepName(parsePath(removed.path).file);
      const to = stepName(parsePath(added.path).file);
      const same = maskedText(removed.before!) === maskedText(added.after!);
      const beforeText = displayText(removed.before!) ?? '';
      const afterText = displayText(added.after!) ?? '';
      steps.push({
        step: to,
        kind: same ? 'renumbered' : 'changed',
        detail: `was ${from}`,
        settings: same ? [] : settingsInvolved(changedLines(hunksOf(to, beforeText, afterText) ?? []), definedFunctions(removed.before, added.after)),
      });
    } else if (added) {
      steps.push({ step: stepName(parsePath(added.path).file), kind: 'added', detail: '', settings: settingsInvolved(changedLines(added.hunks), definedFunctions(added.after)) });
    } else if (removed) {
      steps.push({ step: stepName(parsePath(removed.path).file), kind: 'removed', detail: '', settings: settingsInvolved(changedLines(removed.hunks), definedFunctions(removed.before)) });
    }
  }
  return steps.sort((a, b) => byCodePoint(a.step, b.step) || byCodePoint(a.kind, b.kind));
}

function groupByHost(diff: TreeDiff): { hosts: HostChange[]; environmentFiles: FileChange[] } {
  const hostChanges = new Map<string, FileChange[]>();
  const environmentFiles: FileChange[] = [];
  for (const change of diff.changes) {
    const parsed = parsePath(change.path);
    if (parsed.host === undefined) {
      environmentFiles.push(change);
      continue;
    }
    const key = `${parsed.environment}\u0000${parsed.host}`;
    hostChanges.set(key, [...(hostChanges.get(key) ?? []), change]);
  }
  const hosts: HostChange[] = [];
  for (const [key, changes] of [...hostChanges].sort(([a], [b]) => byCodePoint(a, b))) {
    const [environment, host] = key.split('\u0000') as [string, string];
    const existedBefore = hasHostFiles(diff.beforePaths, environment, host);
    const existsAfter = hasHostFiles(diff.afterPaths, environment, host);
    hosts.push({ environment, host, status: !existedBefore ? 'added' : !existsAfter ? 'removed' : 'changed', steps: hostSteps(changes) });
  }
  return { hosts, environmentFiles };
}

function hasHostFiles(paths: readonly string[], environment: string, host: string): boolean {
  const prefix = `${environment}/hosts/${host}/`;
  return paths.some((path) => path.startsWith(prefix));
}

/** An inline code span that survives any content (backticks inside; pipes in table cells). */
function code(text: string, inTable = false): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  const flat = padded.replace(/[\r\n]+/g, ' ');
  return `${fence}${inTable ? flat.replace(/\|/g, '\\|') : flat}${fence}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

const MAX_SETTINGS_PER_STEP = 12;

function settingsText(settings: readonly string[]): string {
  if (settings.length === 0) return '';
  const shown = settings.slice(0, MAX_SETTINGS_PER_STEP).map((text) => code(text)).join(', ');
  return settings.length > MAX_SETTINGS_PER_STEP ? `${shown} and ${settings.length - MAX_SETTINGS_PER_STEP} more` : shown;
}

const STEP_VERBS: Record<StepChange['kind'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  renumbered: 'renumbered',
  format: 'line endings or encoding only',
  hashes: 'spec hash only',
};

function stepLine(step: StepChange): string {
  const parts = [`**${STEP_VERBS[step.kind]}** ${code(step.step)}`];
  if (step.detail) parts.push(`(${step.detail})`);
  const settings = settingsText(step.settings);
  return `- ${parts.join(' ')}${settings ? `: ${settings}` : ''}`;
}

function roleAndForestLines(hosts: { before: readonly HostFacts[]; after: readonly HostFacts[] }): string[] {
  const lines: string[] = [];
  const groups = (facts: readonly HostFacts[], keyOf: (f: HostFacts) => string | undefined) => {
    const map = new Map<string, string[]>();
    for (const f of facts) {
      const key = keyOf(f);
      if (key !== undefined) map.set(key, [...(map.get(key) ?? []), f.host]);
    }
    return map;
  };
  for (const [label, keyOf] of [['forest', (f: HostFacts) => f.forest], ['role', (f: HostFacts) => f.role]] as const) {
    const before = groups(hosts.before, keyOf);
    const after = groups(hosts.after, keyOf);
    for (const name of [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint)) {
      const hostList = (names: string[]) => [...new Set(names)].sort(byCodePoint).map((text) => code(text)).join(', ');
      if (!before.has(name)) lines.push(`- New ${label} ${code(name)}: ${hostList(after.get(name)!)}`);
      else if (!after.has(name)) lines.push(`- ${label === 'forest' ? 'Forest' : 'Role'} ${code(name)} removed: ${hostList(before.get(name)!)}`);
    }
  }
  return lines;
}

function roleOf(hosts: ReviewSummaryOptions['hosts'], host: string): string {
  const facts = hosts?.after.find((f) => f.host === host) ?? hosts?.before.find((f) => f.host === host);
  if (!facts) return '';
  return facts.forest ? `${facts.role}, ${facts.forest}` : facts.role;
}

function fencedBlock(language: string, body: string): string {
  const longestRun = Math.max(2, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${body}${body.endsWith('\n') ? '' : '\n'}${fence}`;
}

/**
 * A markdown summary of `diff` per host, for a pull-request comment: a table of hosts, then per
 * host the steps added, removed and changed with the settings their changed lines touch.
 */
export function summarizeForReview(diff: TreeDiff, options: ReviewSummaryOptions = {}): string {
  const title = options.title ?? 'winrm-forge: what changes on which host';
  const maxLength = options.maxLength ?? 60_000;
  const out: string[] = [`## ${title}`, ''];
  if (diff.changes.length === 0) {
    out.push('No change to the generated scripts.', '');
    return out.join('\n');
  }
  const grouped = groupByHost(diff);
  const { environmentFiles } = grouped;
  // Hosts whose scripts differ only in the banner's spec hash are named once, not reviewed.
  const bannerOnly = grouped.hosts.filter((h) => h.status === 'changed' && h.steps.every((s) => s.kind === 'hashes'));
  const hosts = grouped.hosts.filter((h) => !bannerOnly.includes(h));
  const count = (status: HostChange['status']) => hosts.filter((h) => h.status === status).length;
  const environments = [...new Set(diff.changes.map((c) => parsePath(c.path).environment))].sort(byCodePoint);
  // Name hosts with their environment when the trees hold several, even if one changes.
  const multiEnvironment = new Set([...diff.beforePaths, ...diff.afterPaths].map((p) => parsePath(p).environment)).size > 1;
  const hostName = (h: HostChange) => (multiEnvironment ? `${h.environment}/${h.host}` : h.host);
  out.push(
    `${plural(hosts.length, 'host')} affected (${count('added')} new, ${count('removed')} removed, ${count('changed')} changed) in ${environments.map((text) => code(text)).join(', ')}; ` +
      `${plural(diff.changes.length, 'file')} differ, ${diff.unchanged} unchanged.`,
    '',
  );
  if (options.hosts) {
    const lines = roleAndForestLines(options.hosts);
    if (lines.length > 0) out.push(...lines, '');
  }
  if (hosts.length > 0) {
    out.push(`| host |${options.hosts ? ' role |' : ''} change | steps added | removed | changed |`);
    out.push(`|---|${options.hosts ? '---|' : ''}---|---:|---:|---:|`);
    for (const h of hosts) {
      const n = (kinds: StepChange['kind'][]) => h.steps.filter((s) => kinds.includes(s.kind)).length;
      const role = options.hosts ? ` ${roleOf(options.hosts, h.host).replace(/\|/g, '\\|')} |` : '';
      out.push(`| ${code(hostName(h), true)} |${role} ${h.status === 'added' ? 'new host' : h.status === 'removed' ? 'host removed' : 'changed'} | ${n(['added'])} | ${n(['removed'])} | ${n(['changed', 'renumbered', 'format'])} |`);
    }
    out.push('');
    for (const h of hosts) {
      out.push(`### ${code(hostName(h))}${h.status === 'added' ? ' (new host)' : h.status === 'removed' ? ' (host removed)' : ''}`, '');
      const hashOnly = h.steps.filter((s) => s.kind === 'hashes');
      for (const step of h.steps) if (step.kind !== 'hashes') out.push(stepLine(step));
      if (hashOnly.length > 0) out.push(`- ${plural(hashOnly.length, 'other script')} differ only in the spec hash of the banner: ${hashOnly.map((s) => code(s.step)).join(', ')}`);
      out.push('');
    }
  }
  if (bannerOnly.length > 0) {
    out.push(`Scripts of ${plural(bannerOnly.length, 'other host')} differ only in the spec hash of the banner: ${bannerOnly.map((h) => code(hostName(h))).join(', ')}.`, '');
  }
  if (environmentFiles.length > 0) {
    out.push('### Environment files', '');
    for (const change of environmentFiles) {
      const added = change.hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('+')).length, 0);
      const removed = change.hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith('-')).length, 0);
      const what = change.status === 'modified' ? (change.modification === 'format' ? formatDetail(change) : `${plural(added, 'line')} added, ${removed} removed`) : change.status;
      out.push(`- ${code(change.path)}: ${what}`);
    }
    out.push('');
  }
  let text = out.join('\n');
  if (options.includeUnifiedDiff ?? true) {
    const shown = diff.changes.filter((c) => c.modification !== 'hashes');
    const hidden = diff.changes.length - shown.length;
    const unified = formatUnifiedDiff({ ...diff, changes: shown });
    const note = hidden > 0 ? `; ${plural(hidden, 'file')} differing only in the spec hash left out` : '';
    const opening = `\n<details><summary>Unified diff (${plural(shown.length, 'file')}${note})</summary>\n\n`;
    const closing = '\n</details>\n';
    const room = maxLength - text.length - opening.length - closing.length - 200;
    if (room > 0 && shown.length > 0) {
      const truncated = unified.length > room;
      const body = truncated ? `${unified.slice(0, unified.lastIndexOf('\n', room) + 1)}` : unified;
      text += `${opening}${fencedBlock('diff', body)}${truncated ? '\n\nThe diff is longer than a comment allows; run `winrm-forge diff` locally for all of it.' : ''}${closing}`;
    }
  }
  if (text.length > maxLength) text = `${text.slice(0, text.lastIndexOf('\n', maxLength - 80))}\n\n(summary truncated: run \`winrm-forge diff --format markdown\` locally)\n`;
  return text;
}
