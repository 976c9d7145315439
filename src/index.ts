/**
 * The one place where the pipeline stages are chained:
 * load -> validate (schema) -> rules -> model -> plan -> render -> emit.
 */
import { sortDiagnostics, type FileReport } from './diagnostics.js';
import { lint } from './linter.js';
import { loadFile, parseSpec, type LoadedSpec, type LoadResult } from './load.js';
import type { Spec } from './spec-types.js';
import { validate } from './validator.js';
import { applyWaivers } from './waivers.js';

export interface CheckResult {
  report: FileReport;
  /** Present when the spec parsed and passed the schema (rule findings may still be errors). */
  spec?: LoadedSpec;
}

async function check(loaded: LoadResult): Promise<CheckResult> {
  const { spec, report } = loaded;
  if (!spec) return { report: { ...report, diagnostics: sortDiagnostics(report.diagnostics) } };
  const schemaDiagnostics = await validate(spec);
  if (schemaDiagnostics.length > 0) return { report: { ...report, diagnostics: sortDiagnostics([...report.diagnostics, ...schemaDiagnostics]) } };
  // Rules read the typed spec, so they run only once the schema has passed.
  const ruleDiagnostics = applyWaivers(lint(spec), (spec.value as Spec).waivers);
  return { report: { ...report, diagnostics: sortDiagnostics([...report.diagnostics, ...ruleDiagnostics]) }, spec };
}

/** Loads and checks one spec file; `displayName` is how diagnostics name it. */
export async function checkFile(path: string, displayName = path): Promise<CheckResult> {
  return check(loadFile(path, displayName));
}

/** Checks spec text that is already in memory (tests, editors). */
export async function checkText(file: string, text: string | Uint8Array): Promise<CheckResult> {
  return check(parseSpec(file, text));
}
