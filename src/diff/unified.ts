/** The unified diff of a tree comparison (`diff`) and the drift report of `generate --check`. */
import { MAX_EDIT_LENGTH, type FileChange, type ManifestChange, type TreeDiff } from './core.js';
import type { EndOfLineStyle } from '../shared/line-endings.js';

const EOL_NAMES: Record<EndOfLineStyle, string> = { crlf: 'CRLF', lf: 'LF', mixed: 'mixed CRLF/LF', none: 'no line break' };

export function formatNotes(change: FileChange): string[] {
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
