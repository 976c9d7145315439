/**
 * The whole pipeline as one call, for tests that feed it arbitrary input (fuzzing, hostile
 * strings). Today: load, validate and rules. Generate joins here, so every property test
 * built on it covers them without change.
 */
import type { Diagnostic, FileReport } from '../../src/diagnostics.js';
import { checkText } from '../../src/index.js';

export interface PipelineOutcome {
  report: FileReport;
  /** The text the diagnostics' ranges point into (the decoded input). */
  text: string;
  /** True when the spec passed every stage. */
  accepted: boolean;
}

export const PIPELINE_FILE = 'fuzz.yaml';

export async function pipeline(input: string | Uint8Array): Promise<PipelineOutcome> {
  const { report, spec } = await checkText(PIPELINE_FILE, input);
  const text = report.source?.text ?? (typeof input === 'string' ? input : '');
  const blocked = report.diagnostics.some((d) => d.severity === 'error' && !d.waived);
  return { report, text, accepted: spec !== undefined && !blocked };
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
