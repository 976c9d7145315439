import type { FileChange, TreeDiff } from '../../src/diff/core.js';

/** The changed paths of a comparison by kind, each list sorted by code point. */
export function changedPaths(diff: TreeDiff): { added: string[]; removed: string[]; modified: string[] } {
  const pick = (status: FileChange['status']) => diff.changes.filter((c) => c.status === status).map((c) => c.path);
  return { added: pick('added'), removed: pick('removed'), modified: pick('modified') };
}
