/**
 * The commands the benchmark times, each run in a fresh process by bench/child.ts. Adding a
 * command to the benchmark is adding one entry here (and its targets in bench.ts).
 */
import { main } from '../src/cli.js';
import type { Io } from '../src/io.js';

/** Runs the command on one spec; `out` is a fresh empty folder it may write to. Returns the exit code. */
export type Stage = (spec: string, out: string) => Promise<number>;

const quiet: Io = { stdout: () => undefined, stderr: (text) => void process.stderr.write(text), cwd: process.cwd(), env: {}, isTTY: false };

export const STAGES: Record<string, Stage> = {
  validate: (spec) => main(['validate', spec, '--format', 'json'], quiet),
  // Load, check, model, plan and render, nothing written: the generator's own cost.
  'generate (in memory)': async (spec) => {
    const { generateFile } = await import('../src/index.js');
    const { packageVersion } = await import('../src/paths.js');
    const result = await generateFile(spec, spec, { specPath: 'estate.yaml', toolVersion: packageVersion() });
    return result.files ? 0 : 1;
  },
  // The whole CLI command, files written under `out`.
  generate: (spec, out) => main(['generate', spec, '--out', out], quiet),
  // The same onto the tree an earlier generate of the same spec left (see SETUP): nothing changes.
  'generate (unchanged tree)': (spec, out) => main(['generate', spec, '--out', out], quiet),
  // PLAN.md printed, nothing written.
  plan: (spec) => main(['plan', spec], quiet),
};

/** A stage run first, untimed and in its own process, on the same `out` before the timed one. */
export const SETUP: Record<string, string> = {
  'generate (unchanged tree)': 'generate',
};
