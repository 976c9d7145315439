/**
 * The one place where the pipeline stages are chained:
 * load -> validate (schema) -> rules -> model -> plan -> render -> emit.
 */
import { sortDiagnostics, type FileReport } from './diagnostics.js';
import { loadFile, parseSpec, type LoadedSpec, type LoadResult } from './load.js';
import { validate } from './validator.js';

export interface CheckResult {
  report: FileReport;
  /** Present when the spec parsed and passed the schema. */
  spec?: LoadedSpec;
}

async function check(loaded: LoadResult): Promise<CheckResult> {
  const { spec, report } = loaded;
  if (!spec) return { report: { ...report, diagnostics: sortDiagnostics(report.diagnostics) } };
  const schemaDiagnostics = await validate(spec);
  const diagnostics = sortDiagnostics([...report.diagnostics, ...schemaDiagnostics]);
  return { report: { ...report, diagnostics }, ...(schemaDiagnostics.length === 0 ? { spec } : {}) };
}

/** Loads and checks one spec file; `displayName` is how diagnostics name it. */
export async function checkFile(path: string, displayName = path): Promise<CheckResult> {
  return check(loadFile(path, displayName));
}

/** Checks spec text that is already in memory (tests, editors). */
export async function checkText(file: string, text: string | Uint8Array): Promise<CheckResult> {
  return check(parseSpec(file, text));
}
