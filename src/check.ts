/**
 * The check half of the pipeline: load -> validate (schema) -> model -> rules -> waivers, nothing else.
 * `validate` and `explain` reach the stages through here only, so a validation never loads the
 * model's consumers (plan, render, Handlebars): most of a cold validation is module loading.
 * src/index.ts builds the generating half on top of it.
 */
import { sortDiagnostics, type FileReport } from './shared/diagnostics.js';
import { lint, type LintOptions } from './rules/linter.js';
import { modelSpec, type SpecModel } from './model/model.js';
import { loadFile, parseSpec, type LoadedSpec, type LoadResult } from './spec/load.js';
import type { Spec } from './spec/spec-types.js';
import { validate } from './spec/validator.js';
import { applyWaivers } from './rules/waivers.js';

// What the checking commands need of the stages, so that src/cli/ reaches them only through here.
export { MAX_SPEC_BYTES } from './spec/load.js';
export { findRule, rules, type Rule } from './rules/index.js';
export { baselineIds } from './rules/baselines.js';

export interface CheckResult {
  report: FileReport;
  /** Present when the spec parsed and passed the schema (rule findings may still be errors). */
  spec?: LoadedSpec;
  /** The model of that spec, which the rules asked; its references may not resolve (see isResolved). */
  model?: SpecModel<'open'>;
}

export type CheckOptions = LintOptions;

/**
 * --baseline and --today as every command passes them on to the check: a key only for what was
 * given, so that an absent option leaves the spec's defaults.baseline and the clock in charge.
 */
export function checkOptionsOf(options: { baseline?: string | undefined; today?: Date | undefined }): CheckOptions {
  return { ...(options.baseline === undefined ? {} : { baseline: options.baseline }), ...(options.today === undefined ? {} : { today: options.today }) };
}

async function check(loaded: LoadResult, options: CheckOptions = {}): Promise<CheckResult> {
  const { spec, report } = loaded;
  if (!spec) return { report: { ...report, diagnostics: sortDiagnostics(report.diagnostics) } };
  const schemaDiagnostics = await validate(spec);
  if (schemaDiagnostics.length > 0) return { report: { ...report, diagnostics: sortDiagnostics([...report.diagnostics, ...schemaDiagnostics]) } };
  // The model is total over schema-valid specs; the rules ask it and read the typed spec for
  // where to report, so both run only once the schema has passed.
  const model = modelSpec(spec);
  const ruleDiagnostics = applyWaivers(lint(spec, model, undefined, options), (spec.value as Spec).waivers);
  return { report: { ...report, diagnostics: sortDiagnostics([...report.diagnostics, ...ruleDiagnostics]) }, spec, model };
}

/** Loads and checks one spec file; `displayName` is how diagnostics name it. */
export async function checkFile(path: string, displayName = path, options: CheckOptions = {}): Promise<CheckResult> {
  return check(loadFile(path, displayName), options);
}

/** Checks spec text that is already in memory (tests, editors). */
export async function checkText(file: string, text: string | Uint8Array, options: CheckOptions = {}): Promise<CheckResult> {
  return check(parseSpec(file, text), options);
}
