/**
 * The whole pipeline as one call, for tests that feed it arbitrary input (fuzzing, hostile
 * strings): load, validate, model, rules, then for an accepted spec plan and render in memory
 * (generate without writing), so every property test built on it covers every stage.
 */
import type { Diagnostic, FileReport } from '../../src/shared/diagnostics.js';
import { checkText, generateFrom } from '../../src/index.js';
import type { FileMap } from '../../src/shared/file-map.js';

export interface PipelineOutcome {
  report: FileReport;
  /** The text the diagnostics' ranges point into (the decoded input). */
  text: string;
  /** True when the spec passed every stage, generation included. */
  accepted: boolean;
  /** The generated files of an accepted spec. */
  files?: FileMap;
}

export const PIPELINE_FILE = 'fuzz.yaml';

export async function pipeline(input: string | Uint8Array): Promise<PipelineOutcome> {
  const checked = await checkText(PIPELINE_FILE, input);
  // generateFrom refuses a spec with errors and returns the check's report unchanged.
  const { report, files } = generateFrom(checked, { specPath: PIPELINE_FILE, toolVersion: '0.0.0' });
  const text = report.source?.text ?? (typeof input === 'string' ? input : '');
  return { report, text, accepted: files !== undefined, files };
}

const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * What every outcome must satisfy, whatever the input: each diagnostic is complete and located
 * inside the file, and a rejected spec says why with at least one error. Returns the problems.
 */
export function outcomeProblems(outcome: PipelineOutcome): string[] {
  const problems: string[] = [];
  const errors = outcome.report.diagnostics.filter((d) => d.severity === 'error' && !d.waived);
  if (!outcome.accepted && errors.length === 0) problems.push('rejected without an error diagnostic');
  if (outcome.accepted && errors.length > 0) problems.push('accepted despite errors');
  // 'undefined' in a message means a formatting bug, unless the spec itself says it.
  const saysUndefined = outcome.text.includes('undefined');
  for (const d of outcome.report.diagnostics) problems.push(...diagnosticProblems(d, outcome.text.length, saysUndefined));
  return problems;
}

function diagnosticProblems(d: Diagnostic, length: number, saysUndefined: boolean): string[] {
  const problems: string[] = [];
  const name = `${d.ruleId} "${d.message}"`;
  if (!RULE_ID.test(d.ruleId)) problems.push(`rule id ${JSON.stringify(d.ruleId)} is not kebab-case`);
  if (d.severity !== 'error' && d.severity !== 'warning' && d.severity !== 'info') problems.push(`${name}: severity ${String(d.severity)}`);
  if (typeof d.message !== 'string' || d.message.trim() === '' || (!saysUndefined && d.message.includes('undefined'))) problems.push(`${name}: message is empty or mentions undefined`);
  if (d.hint !== undefined && (typeof d.hint !== 'string' || (!saysUndefined && d.hint.includes('undefined')))) problems.push(`${name}: hint mentions undefined`);
  if (d.file !== PIPELINE_FILE) problems.push(`${name}: file ${d.file}`);
  const { start, end } = d.range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > Math.max(length, 1)) {
    problems.push(`${name}: range ${start}-${end} is outside the file (length ${length})`);
  }
  return problems;
}
