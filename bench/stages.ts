/**
 * The commands the benchmark times, each run in a fresh process by bench/child.ts. Adding a
 * command to the benchmark is adding one entry here (and its targets in bench.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { main } from '../src/cli/cli.js';
import type { Io } from '../src/cli/io.js';

/** Runs the command on one spec; `out` is a fresh empty folder it may write to. Returns the exit code. */
export type Stage = (spec: string, out: string) => Promise<number>;

const quiet: Io = { stdout: () => undefined, stderr: (text) => void process.stderr.write(text), cwd: process.cwd(), env: {}, isTTY: false };
// diff and --check with their worker thread always (as on an idle machine with two CPUs) and never
// (src/cli/commands/workers.ts): the default depends on the load when the command starts.
const threaded: Io = { ...quiet, env: { WINRM_FORGE_THREADS: '1' } };
const oneThread: Io = { ...quiet, env: { WINRM_FORGE_THREADS: '0' } };

export const STAGES: Record<string, Stage> = {
  validate: (spec) => main(['validate', spec, '--format', 'json'], quiet),
  // Load, check, model, plan and render, nothing written: the generator's own cost.
  'generate (in memory)': async (spec) => {
    const { generateFile } = await import('../src/index.js');
    const { packageVersion } = await import('../src/shared/paths.js');
    const result = await generateFile(spec, spec, { specPath: 'estate.yaml', toolVersion: packageVersion() });
    return result.files ? 0 : 1;
  },
  // The whole CLI command, files written under `out`.
  generate: (spec, out) => main(['generate', spec, '--out', out], quiet),
  // The same onto the tree an earlier generate of the same spec left (see SETUP): nothing changes.
  'generate (unchanged tree)': (spec, out) => main(['generate', spec, '--out', out], quiet),
  // PLAN.md printed, nothing written.
  plan: (spec) => main(['plan', spec], quiet),
  // A pull request's review of a one-line change to one host: diff of the two specs, and
  // --check of the changed spec against the tree the unchanged one generated (SETUP). Both
  // must find the change (exit 1), which counts as the expected outcome here.
  'diff (one-host change)': async (spec, out) => found(await main(['diff', spec, await changedSpec(spec, out)], threaded)),
  'diff (one-host change, one thread)': async (spec, out) => found(await main(['diff', spec, await changedSpec(spec, out)], oneThread)),
  'generate --check (one-host change)': async (spec, out) => found(await main(['generate', await changedSpec(spec, out), '--out', join(out, 'tree'), '--check'], threaded)),
  'generate --check (one-host change, one thread)': async (spec, out) => found(await main(['generate', await changedSpec(spec, out), '--out', join(out, 'tree'), '--check'], oneThread)),
  // The floor of generate: what any generator of these files must do at least, with none of
  // ours. Parse the spec with yaml, run the same compiled schema validator, and write the same
  // files (their bytes read from one bundle the setup rendered, so the floor reads once, too).
  floor: async (spec, out) => {
    const { parse } = await import('yaml');
    const { validate } = (await import('../src/generated/schema-validator.js')) as unknown as { validate: (data: unknown) => boolean };
    if (!validate(parse(readFileSync(spec, 'utf8')))) return 1;
    const index = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as [string, number][];
    const bytes = readFileSync(join(out, 'bundle.bin'));
    const made = new Set<string>();
    let offset = 0;
    for (const [path, length] of index) {
      const file = join(out, 'tree', path);
      const folder = dirname(file);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      writeFileSync(file, bytes.subarray(offset, offset + length));
      offset += length;
    }
    return 0;
  },
  // Renders the spec once, untimed, into the bundle the floor writes out.
  'floor (bundle)': async (spec, out) => {
    const { generateFile } = await import('../src/index.js');
    const { packageVersion } = await import('../src/shared/paths.js');
    const result = await generateFile(spec, spec, { specPath: 'estate.yaml', toolVersion: packageVersion() });
    if (!result.files) return 1;
    const entries = [...result.files];
    writeFileSync(join(out, 'bundle.json'), JSON.stringify(entries.map(([path, data]) => [path, data.length])));
    writeFileSync(join(out, 'bundle.bin'), Buffer.concat(entries.map(([, data]) => data)));
    return 0;
  },
  // The tree the unchanged spec generated, from the path the changed one will have (the spec's
  // path is in every banner, so a check from another path would differ everywhere).
  'generate (before the one-host change)': (spec, out) => {
    const head = join(out, 'head.yaml');
    writeFileSync(head, readFileSync(spec));
    return main(['generate', head, '--out', join(out, 'tree')], quiet);
  },
};

/** Writes the one-host change of `spec` into `out` and returns its path. */
async function changedSpec(spec: string, out: string): Promise<string> {
  // Imported here: the estate module loads yaml, which would weigh on the memory of every row.
  const { oneHostChange } = await import('./estate.js');
  const head = join(out, 'head.yaml');
  writeFileSync(head, oneHostChange(readFileSync(spec, 'utf8')));
  return head;
}

/** Exit 1 (a difference found) is what a one-host change must give: 0 for the bench, anything else stays. */
const found = (code: number) => (code === 1 ? 0 : code === 0 ? 1 : code);

/** Stages that only prepare another one (see SETUP): not timed as rows of their own. */
export const SETUP_ONLY: ReadonlySet<string> = new Set(['generate (before the one-host change)', 'floor (bundle)']);

/** A stage run first, untimed and in its own process, on the same `out` before the timed one. */
export const SETUP: Record<string, string> = {
  'generate (unchanged tree)': 'generate',
  'generate --check (one-host change)': 'generate (before the one-host change)',
  'generate --check (one-host change, one thread)': 'generate (before the one-host change)',
  floor: 'floor (bundle)',
};

/** Rows shown against another row measured in the same run: `stage: reference`, with the ratio's target. */
export const AGAINST: Record<string, { reference: string; target: number }> = {
  generate: { reference: 'floor', target: 1.5 },
  plan: { reference: 'validate', target: 1.2 },
};
