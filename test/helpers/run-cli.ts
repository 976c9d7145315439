import { main } from '../../src/cli/cli.js';
import type { Io } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in-process, as `winrm-forge <argv>` from `cwd`, capturing its output. */
export async function runCli(argv: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
