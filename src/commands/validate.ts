import { resolve } from 'node:path';
import { exitCodeFor, type FileReport } from '../diagnostics.js';
import { chooseStyle } from '../format/colors.js';
import { formatJson } from '../format/json.js';
import { formatSarif } from '../format/sarif.js';
import { formatText } from '../format/text.js';
import { checkFile } from '../index.js';
import type { ExitCode, Io } from '../io.js';
import { packageVersion, ruleDocText } from '../paths.js';
import { rules } from '../rules/index.js';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface ValidateOptions {
  specs: string[];
  format: OutputFormat;
  strict: boolean;
  /** Compliance baseline ID; overrides each spec's defaults.baseline. */
  baseline?: string;
}

/** Prints findings in the chosen format and returns the exit code. */
export function printReports(reports: readonly FileReport[], format: OutputFormat, io: Io): void {
  if (format === 'json') io.stdout(formatJson(reports));
  else if (format === 'sarif') io.stdout(formatSarif(reports, { rules, docOf: ruleDocText, cwd: io.cwd, toolVersion: packageVersion() }));
  else io.stdout(formatText(reports, chooseStyle(io.isTTY, io.env)));
}

export async function runValidate(options: ValidateOptions, io: Io): Promise<ExitCode> {
  const reports: FileReport[] = [];
  for (const spec of options.specs) {
    // Resolve against the caller's folder but report the path as the user wrote it.
    const { report } = await checkFile(resolve(io.cwd, spec), spec, options.baseline === undefined ? {} : { baseline: options.baseline });
    reports.push(report);
  }
  printReports(reports, options.format, io);
  return exitCodeFor(reports, options.strict);
}
