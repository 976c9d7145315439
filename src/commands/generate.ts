import { resolve } from 'node:path';
import { exitCodeFor } from '../diagnostics.js';
import { chooseStyle } from '../format/colors.js';
import { formatText } from '../format/text.js';
import { emitTree } from '../emit.js';
import { generateFile } from '../index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type ExitCode, type Io } from '../io.js';
import { packageVersion } from '../paths.js';
import { specDisplayPath } from './spec-path.js';

export interface GenerateCommandOptions {
  spec: string;
  out: string;
}

/** Renders the scripts of one spec and writes them under --out; refuses while the spec has errors. */
export async function runGenerate(options: GenerateCommandOptions, io: Io): Promise<ExitCode> {
  const result = await generateFile(resolve(io.cwd, options.spec), options.spec, {
    specPath: specDisplayPath(io.cwd, options.spec),
    toolVersion: packageVersion(),
  });
  const code = exitCodeFor([result.report], false);
  if (!result.files || code !== EXIT_OK) {
    io.stdout(formatText([result.report], chooseStyle(io.isTTY, io.env)));
    io.stderr(`winrm-forge: nothing generated: fix the errors in ${options.spec} first.\n`);
    return code === EXIT_OK ? EXIT_FINDINGS : code;
  }
  if (result.report.diagnostics.length > 0) io.stderr(formatText([result.report], chooseStyle(false, io.env)));
  let emitted: ReturnType<typeof emitTree>;
  try {
    emitted = emitTree(resolve(io.cwd, options.out), result.files);
  } catch (error) {
    // The output folder cannot be written (a file in its place, no permission, disk full).
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    io.stderr(`winrm-forge: cannot write to ${options.out} (${code}); choose a folder you can write to.\n`);
    return EXIT_USAGE;
  }
  if (emitted.refused.length > 0) {
    for (const r of emitted.refused) io.stderr(`winrm-forge: refused to write ${r.path}: ${r.reason}\n`);
    return EXIT_FINDINGS;
  }
  const environment = result.plan?.environment.name ?? '';
  const hosts = result.plan?.hosts.length ?? 0;
  io.stdout(`Wrote ${emitted.written.length} files for ${hosts} host${hosts === 1 ? '' : 's'} to ${[options.out, environment].join('/')}; start with ${[options.out, environment, 'PLAN.md'].join('/')}\n`);
  return EXIT_OK;
}
