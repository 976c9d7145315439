import type { FileReport } from '../../shared/diagnostics.js';
import { formatText } from '../format/text.js';
import { chooseStyle } from '../format/colors.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type ExitCode, type Io } from '../io.js';
import type { Plan } from '../../index.js';
import { diffPlanned } from '../../diff/incremental.js';
import { summarizeForReview, type HostFacts } from '../../diff/review.js';
import { formatUnifiedDiff } from '../../diff/unified.js';
import { printRefusal, renderSpec } from './render-spec.js';
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

/** Every host the spec declares, with the role and forest a reviewer knows it by. */
export function hostFacts(plan: Plan): HostFacts[] {
  const e = plan.environment;
  return [
    ...e.exchange.map((x) => ({ host: x.host, role: 'Exchange server', forest: x.forest })),
    ...e.syncServers.map((s) => ({ host: s.host, role: 'sync server', forest: s.forest })),
    ...e.forests.flatMap((f) => f.domainControllers.map((d) => ({ host: d.host, role: 'domain controller', forest: f.name }))),
    ...e.reverseProxies.map((p) => ({ host: p.host, role: 'reverse proxy' })),
  ];
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
  const base = await renderSpec(options.base, io, { specPath, deferRender: true });
  const head = await renderSpec(options.head, io, { specPath, deferRender: true });
  if (!('rendered' in base) || !('rendered' in head)) {
    const sides = [{ name: options.base, outcome: base }, { name: options.head, outcome: head }];
    const refused = sides.flatMap(({ name, outcome }) => ('rendered' in outcome ? [] : [{ name, report: outcome.report, code: outcome.code }]));
    const reports = refused.map((r) => r.report);
    const what = `nothing compared: fix the errors in ${refused.map((r) => r.name).join(' and ')} first.`;
    if (options.format === 'markdown') {
      io.stdout(findingsMarkdown(specPath, refused.map((r) => r.name), reports));
      io.stderr(`winrm-forge: ${what}\n`);
    } else printRefusal(reports, io, what);
    return refused.some((r) => r.code === EXIT_USAGE) ? EXIT_USAGE : EXIT_FINDINGS;
  }
  if (!base.rendered.planned || !head.rendered.planned) throw new Error('bug: a spec was rendered without its planned tree');
  const diff = diffPlanned(base.rendered.planned, head.rendered.planned);
  if (options.format === 'markdown') {
    io.stdout(
      summarizeForReview(diff, {
        title: `${TITLE} (${codeSpan(specPath)})`,
        hosts: { before: hostFacts(base.rendered.plan), after: hostFacts(head.rendered.plan) },
      }),
    );
  } else {
    io.stdout(formatUnifiedDiff(diff));
    if (diff.changes.length === 0) io.stderr(`winrm-forge: no difference in the generated files between ${options.base} and ${options.head}.\n`);
  }
  return diff.changes.length === 0 ? EXIT_OK : EXIT_FINDINGS;
}
