import type { FileReport } from '../../shared/diagnostics.js';
import { formatText } from '../format/text.js';
import { chooseStyle } from '../format/colors.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type ExitCode, type Io } from '../io.js';
import { compareSides, pathsToRender } from '../../diff/incremental.js';
import { summarizeForReview } from '../../diff/review.js';
import { formatUnifiedDiff } from '../../diff/unified.js';
import { printRefusal } from './render-spec.js';
import { planSides } from './diff-sides.js';
import { specDisplayPath } from './spec-path.js';
import { codeSpan } from '../../shared/markdown.js';

export type DiffFormat = 'unified' | 'markdown';

export interface DiffOptions {
  /** The spec before the change (e.g. the base branch's version, from `git show`). */
  base: string;
  /** The spec after the change. */
  head: string;
  format: DiffFormat;
}

const TITLE = 'winrm-forge: what changes on which host';

/** Markdown for a pull-request comment when one side cannot be rendered: the findings, as text. */
function findingsMarkdown(specPath: string, broken: string[], reports: readonly FileReport[]): string {
  const text = formatText(reports, chooseStyle(false, {}));
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `## ${TITLE} (${codeSpan(specPath)})\n\nNothing to compare: ${broken.map(codeSpan).join(' and ')} ${broken.length === 1 ? 'has' : 'have'} errors.\n\n${fence}text\n${text}${fence}\n`;
}

/**
 * Plans both specs in memory, renders the files whose inputs differ, and prints what would change in the generated files: a unified
 * diff, or a markdown summary per host for a pull-request comment. Exit 0 when the generated
 * files are identical, 1 when they differ or a spec has errors, 2 when a spec cannot be read.
 */
export async function runDiff(options: DiffOptions, io: Io): Promise<ExitCode> {
  // Both sides are named after the head spec in banners and manifests, so that the base copy's
  // path (a temporary file from `git show`) does not show up as a change in every script.
  const specPath = specDisplayPath(io.cwd, options.head);
  // Planned, not rendered: only the files whose input digests differ are rendered and compared.
  const sides = await planSides(options.base, options.head, io, specPath);
  const { base, head } = sides;
  if (!('planned' in base) || !('planned' in head)) {
    sides.stop();
    const named = [{ name: options.base, side: base }, { name: options.head, side: head }];
    const refused = named.flatMap(({ name, side }) => ('refused' in side ? [{ name, ...side.refused }] : []));
    const reports = refused.map((r) => r.report);
    const what = `nothing compared: fix the errors in ${refused.map((r) => r.name).join(' and ')} first.`;
    if (options.format === 'markdown') {
      io.stdout(findingsMarkdown(specPath, refused.map((r) => r.name), reports));
      io.stderr(`winrm-forge: ${what}\n`);
    } else printRefusal(reports, io, what);
    return refused.some((r) => r.code === EXIT_USAGE) ? EXIT_USAGE : EXIT_FINDINGS;
  }
  // Each side renders what the other does not share (the base side in its worker, if it has one).
  const [before, after] = await Promise.all([
    base.planned.render(pathsToRender(base.planned.inputs, head.planned.inputs)),
    head.planned.render(pathsToRender(head.planned.inputs, base.planned.inputs)),
  ]);
  const diff = compareSides(before, after);
  if (options.format === 'markdown') {
    io.stdout(
      summarizeForReview(diff, {
        title: `${TITLE} (${codeSpan(specPath)})`,
        hosts: { before: base.planned.hosts, after: head.planned.hosts },
      }),
    );
  } else {
    io.stdout(formatUnifiedDiff(diff));
    if (diff.changes.length === 0) io.stderr(`winrm-forge: no difference in the generated files between ${options.base} and ${options.head}.\n`);
  }
  return diff.changes.length === 0 ? EXIT_OK : EXIT_FINDINGS;
}
