import { dirname, resolve } from 'node:path';
import { exitCodeFor, type FileReport } from '../../shared/diagnostics.js';
import { chooseStyle } from '../format/colors.js';
import { formatJson } from '../format/json.js';
import { formatSarif } from '../format/sarif.js';
import { formatText } from '../format/text.js';
import { checkFile, checkOptionsOf, checkText } from '../../check.js';
import { EXIT_USAGE, STDIN_ARGUMENT, STDIN_NAME, type ExitCode, type Io } from '../io.js';
import { MAX_SPEC_BYTES } from '../../check.js';
import { usageError } from '../usage.js';
import { packageVersion, ruleDocText } from '../../shared/paths.js';
import { rules } from '../../check.js';
import { expandArguments } from '../glob.js';
import { gitTopLevel } from './spec-path.js';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface ValidateOptions {
  specs: string[];
  format: OutputFormat;
  strict: boolean;
  /** Compliance baseline ID; overrides each spec's defaults.baseline. */
  baseline?: string;
  /** The day support dates are judged on (--today); default: the clock. */
  today?: Date;
}

/** Prints findings in the chosen format and returns the exit code. */
export function printReports(reports: readonly FileReport[], format: OutputFormat, io: Io): void {
  if (format === 'json') io.stdout(formatJson(reports));
  else if (format === 'sarif') io.stdout(formatSarif(reports, { rules, docOf: ruleDocText, cwd: io.cwd, root: sarifRoot(reports, io.cwd), toolVersion: packageVersion() }));
  else io.stdout(formatText(reports, chooseStyle(io.isTTY, io.env)));
}

/**
 * Checks every spec named; `-` reads one from standard input, named <stdin> in findings.
 * Never exits 0 without having checked a file: no name, an empty name or a second `-` is a
 * usage error.
 */
/**
 * The folder SARIF artifact URIs are relative to: the repository root (code scanning resolves
 * them there), else the folder of the specs, else the working folder.
 */
function sarifRoot(reports: readonly FileReport[], cwd: string): string {
  const top = gitTopLevel(cwd);
  if (top !== null) return top;
  const folders = [...new Set(reports.filter((r) => r.file !== STDIN_NAME).map((r) => dirname(resolve(cwd, r.file))))];
  return folders.length === 1 && folders[0] !== undefined ? folders[0] : cwd;
}

export async function runValidate(options: ValidateOptions, io: Io): Promise<ExitCode> {
  if (options.specs.length === 0) {
    usageError(io, 'name at least one spec file to check, or - to read one from standard input.', 'validate');
    return EXIT_USAGE;
  }
  if (options.specs.some((s) => s === '')) {
    usageError(io, 'a spec name is empty (an unset variable in the command line?).', 'validate');
    return EXIT_USAGE;
  }
  if (options.specs.filter((s) => s === STDIN_ARGUMENT).length > 1) {
    usageError(io, 'standard input (-) can be read only once.', 'validate');
    return EXIT_USAGE;
  }
  // cmd.exe and PowerShell pass envs/*.yaml on as it is: expand it here, as a POSIX shell would.
  const { files: specs, unmatched } = expandArguments(options.specs, io.cwd);
  if (unmatched.length > 0) {
    usageError(io, `${unmatched.join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} no file.`, 'validate');
    return EXIT_USAGE;
  }
  const reports: FileReport[] = [];
  for (const spec of specs) {
    if (spec === STDIN_ARGUMENT) {
      if (!io.readStdin) {
        usageError(io, 'standard input (-) cannot be read here.', 'validate');
        return EXIT_USAGE;
      }
      // One byte past the limit, so the loader can tell an oversized spec from one at the limit.
      reports.push((await checkText(STDIN_NAME, await io.readStdin(MAX_SPEC_BYTES + 1), checkOptionsOf(options))).report);
      continue;
    }
    // Resolve against the caller's folder but report the path as the user wrote it.
    const { report } = await checkFile(resolve(io.cwd, spec), spec, checkOptionsOf(options));
    reports.push(report);
  }
  printReports(reports, options.format, io);
  return exitCodeFor(reports, options.strict);
}
