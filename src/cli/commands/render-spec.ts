/**
 * What `generate`, `generate --check`, `diff` and `plan` share: one spec rendered into the
 * in-memory map of output path -> bytes, or the findings that stop it. Nothing here writes.
 */
import { resolve } from 'node:path';
import { exitCodeFor, type FileReport } from '../../shared/diagnostics.js';
import { chooseStyle } from '../format/colors.js';
import { formatText } from '../format/text.js';
import { generateFile, type GenerateOptions } from '../../index.js';
import { EXIT_FINDINGS, EXIT_OK, type ExitCode, type Io } from '../io.js';
import type { Plan } from '../../index.js';
import { packageVersion } from '../../shared/paths.js';
import type { FileMap, PlannedTree } from '../../shared/file-map.js';
import { specDisplayPath } from './spec-path.js';
import { checkOptionsOf } from '../../check.js';

export interface RenderedSpec {
  report: FileReport;
  plan: Plan;
  /** Every file rendered (PLAN.md alone with `planOnly`); absent with `deferRender`. */
  files?: FileMap;
  /** The files planned with their input digests, not rendered (absent with `planOnly`). */
  planned?: PlannedTree;
}

/** Either the rendered map, or the report that stopped it with the exit code it deserves. */
export type RenderOutcome = { rendered: RenderedSpec } | { report: FileReport; code: ExitCode };

export interface RenderSpecOptions {
  /** How generated files name the spec; default: the spec path relative to the working folder. */
  specPath?: string;
  scriptEol?: GenerateOptions['scriptEol'];
  /** Render PLAN.md only. */
  planOnly?: boolean;
  /** Plan the files, render none: the caller renders what it compares (`diff`, `generate --check`). */
  deferRender?: boolean;
  /** Compliance baseline ID (--baseline). */
  baseline?: string;
  /** The day support dates are judged on (--today). */
  today?: Date;
}

/**
 * Checks and renders `spec` (a path as the user wrote it). Warnings of a spec that renders are
 * printed to standard error here (colored when standard error is a terminal), so every command shows them alike; errors are left to the
 * caller, which knows what it refuses to do.
 */
export async function renderSpec(spec: string, io: Io, options: RenderSpecOptions = {}): Promise<RenderOutcome> {
  const result = await generateFile(resolve(io.cwd, spec), spec, {
    specPath: options.specPath ?? specDisplayPath(io.cwd, spec),
    toolVersion: packageVersion(),
    ...(options.scriptEol === undefined ? {} : { scriptEol: options.scriptEol }),
    ...(options.planOnly ? { planOnly: true } : {}),
    ...(options.deferRender ? { deferRender: true } : {}),
    ...checkOptionsOf(options),
  });
  const code = exitCodeFor([result.report], false);
  if (!result.plan || code !== EXIT_OK) return { report: result.report, code: code === EXIT_OK ? EXIT_FINDINGS : code };
  if (result.report.diagnostics.length > 0) io.stderr(formatText([result.report], chooseStyle(io.stderrIsTTY ?? false, io.env)));
  return { rendered: { report: result.report, plan: result.plan, ...(result.files ? { files: result.files } : {}), ...(result.planned ? { planned: result.planned } : {}) } };
}

/**
 * Prints the findings that stopped a command and what was not done, both to standard error:
 * standard output carries only what the command was asked for (PLAN.md, a diff), so
 * `plan bad.yaml > PLAN.md` never writes findings into PLAN.md.
 */
export function printRefusal(reports: readonly FileReport[], io: Io, what: string): void {
  io.stderr(formatText(reports, chooseStyle(io.stderrIsTTY ?? false, io.env)));
  io.stderr(`winrm-forge: ${what}\n`);
}
