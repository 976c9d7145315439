/**
 * Stage 4: run the semantic rules (src/rules/) over a spec that passed the schema and its model,
 * and turn their path-located findings into diagnostics with source ranges.
 */
import { findBaseline } from './baselines.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import type { LoadedSpec } from '../spec/load.js';
import type { SpecModel } from '../model/model.js';
import { rules as registry, type Finding, type Rule } from './index.js';
import type { Spec } from '../spec/spec-types.js';
import { rangeAt } from '../spec/validator.js';

export interface LintOptions {
  /** Compliance baseline ID (--baseline); overrides the spec's defaults.baseline. */
  baseline?: string;
  /**
   * The day lifecycle findings are judged on (product-lifecycle); defaults to the clock. Tests
   * pass a fixed date so that no result depends on when they run.
   */
  today?: Date;
}

/**
 * Returns the findings of every rule; `spec.value` must have passed the schema and `model` be
 * its model (modelSpec). An unknown `options.baseline` throws: the command line checks it first.
 */
export function lint(spec: LoadedSpec, model: SpecModel<'open'>, rules: readonly Rule[] = registry, options: LintOptions = {}): Diagnostic[] {
  const value = spec.value as Spec;
  const ruleIds = rules.map((r) => r.id);
  const unwaivableRuleIds = rules.filter((r) => r.waivable === false).map((r) => r.id);
  const baselineId = options.baseline ?? value.defaults?.baseline;
  const baseline = baselineId === undefined ? undefined : findBaseline(baselineId);
  if (baselineId !== undefined && !baseline) throw new Error(`unknown baseline ${baselineId}`);
  const toDiagnostic = (rule: Rule, f: Finding): Diagnostic => ({
    ruleId: rule.id,
    severity: f.severity ?? rule.severity,
    message: f.message,
    hint: f.hint,
    file: spec.file,
    range: rangeAt(spec.document, f.path, f.key),
    source: rule.source,
    ...(f.secret ? { secretRange: rangeAt(spec.document, f.path) } : {}),
    ...(f.field !== undefined ? { field: f.field } : {}),
    ...(f.valueSha256 !== undefined ? { valueSha256: f.valueSha256 } : {}),
    ...(f.host !== undefined ? { host: f.host } : {}),
    ...(rule.waivable === false ? { waivable: false as const } : {}),
    ...(f.compliance !== undefined ? { compliance: f.compliance } : {}),
  });
  const today = options.today ?? new Date();
  const run = (rule: Rule, findings: readonly Diagnostic[]) => rule.check({ spec: value, model, document: spec.document, ruleIds, unwaivableRuleIds, findings, today, ...(baseline ? { baseline } : {}) }).map((f) => toDiagnostic(rule, f));
  const first = rules.filter((r) => !r.afterOthers).flatMap((r) => run(r, []));
  const after = rules.filter((r) => r.afterOthers).flatMap((r) => run(r, first));
  return [...first, ...after];
}
