/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Standard output is a terminal (colors, progress). */
  isTTY: boolean;
  /** Standard error is a terminal: findings printed there are colored (unset: not a terminal). */
  stderrIsTTY?: boolean;
  /** Reads standard input to its end, or to `max` bytes, whichever comes first (`validate -`). */
  readStdin?: (max: number) => Promise<Uint8Array>;
}

/** What a worker thread is told of an Io: all of it but its functions, as data it can be sent. */
export interface IoFacts {
  cwd: string;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  stderrIsTTY: boolean;
}

export const ioFacts = (io: Io): IoFacts => ({ cwd: io.cwd, env: { ...io.env }, isTTY: io.isTTY, stderrIsTTY: io.stderrIsTTY ?? false });

/** The Io a worker thread works with: the facts it was sent, and where its output goes. */
export const workerIo = (facts: IoFacts, stdout: (text: string) => void, stderr: (text: string) => void): Io => ({ ...facts, stdout, stderr });

/** The spec argument that names standard input, and the name diagnostics give it. */
export const STDIN_ARGUMENT = '-';
export const STDIN_NAME = '<stdin>';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export type ExitCode = typeof EXIT_OK | typeof EXIT_FINDINGS | typeof EXIT_USAGE;
