/**
 * The one place where the pipeline stages are chained:
 * load -> validate (schema) -> model -> rules -> waivers -> plan -> render, all in memory; the commands
 * then write the map (src/output/), compare it (src/diff/) or print part of it.
 */
import type { Diagnostic, FileReport } from './shared/diagnostics.js';
import { checkFile, checkOptionsOf, checkText, type CheckResult } from './check.js';
import type { EndOfLine } from './shared/line-endings.js';
import { complianceSection } from './rules/compliance.js';
import { isResolved, type EnvironmentModel } from './model/model.js';
import { plan, type Plan } from './plan/plan.js';
import { planDocument, planFiles, plannedSource, renderPlanned } from './render/render.js';
export { plannedSource, renderPlanned } from './render/render.js';
import { sha256, type FileMap, type PlannedTree } from './shared/file-map.js';
import type { Spec } from './spec/spec-types.js';

// What the commands need of the stages, so that src/cli/ reaches them only through here.
export type { Plan } from './plan/plan.js';
export { baselineIds, checkFile, checkText, findRule, MAX_SPEC_BYTES, rules, type CheckOptions, type CheckResult, type Rule } from './check.js';

export interface GenerateOptions {
  /** Spec path as written into banners and the manifest: relative, forward slashes. */
  specPath: string;
  toolVersion: string;
  /**
   * Line ending of the scripts (`--eol`; default CRLF). A function is asked once the
   * environment is named, so `generate` can reuse the choice recorded in that folder's manifest.
   */
  scriptEol?: EndOfLine | ((environment: string) => EndOfLine);
  /** Render PLAN.md only (`plan` prints nothing else): the tree then holds just that file. */
  planOnly?: boolean;
  /**
   * Plan the files without rendering them (`diff`, `generate --check`): the result has `planned`
   * (each script with its input digest) and no `files`, so the caller renders only what it compares.
   */
  deferRender?: boolean;
  /** Compliance baseline ID (--baseline); overrides the spec's defaults.baseline. */
  baseline?: string;
  /** The day support dates are judged on (product-lifecycle); defaults to the clock. */
  today?: Date;
}

export interface GenerateResult {
  /** Findings of the check (the later stages raise none). */
  report: FileReport;
  /** Present only when the spec has no error: generation refuses to run otherwise. */
  plan?: Plan;
  /** Every file rendered, manifest.json included (unless `deferRender` or `planOnly`; PLAN.md alone with `planOnly`). */
  files?: FileMap;
  /** The files planned, not rendered (unless `planOnly`). */
  planned?: PlannedTree;
}

function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error' && !d.waived);
}

/** check (model included) -> plan -> render, all in memory; the caller decides whether to write. */
export function generateFrom(checked: CheckResult, options: GenerateOptions): GenerateResult {
  const { report, spec, model } = checked;
  if (!spec || !model || hasErrors(report.diagnostics)) return { report };
  // The rules that find unresolved references cannot be waived: without unwaived errors every
  // reference resolves, and the plan takes the narrowed model.
  if (!isResolved(model)) throw new Error('bug: a spec without errors has an unresolved reference');
  const environment: EnvironmentModel = { ...model, specPath: options.specPath, specSha256: sha256(spec.source.text), toolVersion: options.toolVersion };
  const planned = plan({ environment, diagnostics: report.diagnostics, lineOf: (d) => spec.source.position(d.range.start).line });
  const compliance = complianceSection({ spec: spec.value as Spec, model }, options.baseline, report.diagnostics);
  if (compliance) planned.compliance = compliance;
  const scriptEol = typeof options.scriptEol === 'function' ? options.scriptEol(planned.environment.name) : options.scriptEol;
  if (options.planOnly) return { report, plan: planned, files: new Map([[`${planned.environment.name}/PLAN.md`, planDocument(planned, scriptEol)]]) };
  const tree = planFiles(planned, scriptEol === undefined ? {} : { scriptEol });
  return { report, plan: planned, planned: tree, ...(options.deferRender ? {} : { files: renderPlanned(tree) }) };
}

/** Loads, checks and renders one spec file. */
export async function generateFile(path: string, displayName: string, options: GenerateOptions): Promise<GenerateResult> {
  return generateFrom(await checkFile(path, displayName, checkOptionsOf(options)), options);
}

/** The same from spec text already in memory (tests). */
export async function generateText(file: string, text: string, options: GenerateOptions): Promise<GenerateResult> {
  return generateFrom(await checkText(file, text, checkOptionsOf(options)), options);
}
