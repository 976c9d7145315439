import { resolve } from 'node:path';
import { exitCodeFor } from '../diagnostics.js';
import { chooseStyle } from '../format/colors.js';
import { formatText } from '../format/text.js';
import { generateFile } from '../index.js';
import { EXIT_FINDINGS, EXIT_OK, type ExitCode, type Io } from '../io.js';
import { packageVersion } from '../paths.js';
import { specDisplayPath } from './spec-path.js';

/** Prints PLAN.md of one spec: the same bytes `generate` writes, nothing written to disk. */
export async function runPlan(options: { spec: string }, io: Io): Promise<ExitCode> {
  const result = await generateFile(resolve(io.cwd, options.spec), options.spec, {
    specPath: specDisplayPath(io.cwd, options.spec),
    toolVersion: packageVersion(),
  });
  const code = exitCodeFor([result.report], false);
  const environment = result.plan?.environment.name;
  const planFile = environment ? result.files?.get(`${environment}/PLAN.md`) : undefined;
  if (!planFile || code !== EXIT_OK) {
    io.stdout(formatText([result.report], chooseStyle(io.isTTY, io.env)));
    io.stderr(`winrm-forge: no plan: fix the errors in ${options.spec} first.\n`);
    return code === EXIT_OK ? EXIT_FINDINGS : code;
  }
  if (result.report.diagnostics.length > 0) io.stderr(formatText([result.report], chooseStyle(false, io.env)));
  io.stdout(Buffer.from(planFile).toString('utf8'));
  return EXIT_OK;
}
