import { resolve } from 'node:path';
import { outputFolder, readOutputTree, writeOutput, type OutputFolder, type WriteOutputResult } from '../../output/atomic-output.js';
import { recordedEol } from '../../output/manifest.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type ExitCode, type Io } from '../io.js';
import { DEFAULT_SCRIPT_EOL, type EndOfLine } from '../../shared/line-endings.js';
import { diffTrees, type TreeDiff } from '../../diff/core.js';
import { checkPlanned } from '../../diff/incremental.js';
import { formatDriftReport } from '../../diff/unified.js';
import { plural } from '../../shared/text.js';
import { printRefusal, renderSpec } from './render-spec.js';
import { plannedSource, renderPlanned } from '../../index.js';
import { specDisplayPath } from './spec-path.js';
import { startDigests, type PendingDigests } from './check-digests.js';
import { checkOptionsOf } from '../../check.js';

export interface GenerateCommandOptions {
  spec: string;
  out: string;
  /** Compare the tree under --out with a fresh render instead of writing (exit 1 when they differ). */
  check?: boolean;
  /**
   * With check: render every file and compare bytes. Without it, a script whose input digest
   * matches manifest.json's record is judged by the sha256 recorded there (fast, but a hand edit
   * that also rewrites that sha256 passes).
   */
  full?: boolean;
  /** Write into a non-empty folder winrm-forge did not create, replacing files at generated paths. */
  force?: boolean;
  /** Line ending of the scripts; unset: the one recorded in the folder's manifest, else CRLF. */
  eol?: EndOfLine;
  /** Compliance baseline ID (--baseline); overrides the spec's defaults.baseline. */
  baseline?: string;
  /** The day support dates are judged on (--today); default: the clock. */
  today?: Date;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * Renders the scripts of one spec and writes them under --out (atomic, owned: see
 * src/output/atomic-output.ts), or with --check compares them with what is there and writes nothing.
 * Refuses while the spec has errors. Runs in the thread that calls it: `runGenerate`
 * (generate-thread.ts) chooses the thread.
 */
export async function generateHere(options: GenerateCommandOptions, io: Io): Promise<ExitCode> {
  // --check hashes the tree on disk in a worker thread meanwhile, where one may run; it is
  // stopped whatever happens, so that nothing keeps the process once the command has ended.
  const digests = options.check && !options.full ? startDigests(resolve(io.cwd, options.out), resolve(io.cwd, options.spec), io) : undefined;
  try {
    return await generateWith(options, io, digests);
  } finally {
    digests?.stop();
  }
}

async function generateWith(options: GenerateCommandOptions, io: Io, digests: PendingDigests | undefined): Promise<ExitCode> {
  const outDir = resolve(io.cwd, options.out);
  // Without --eol, a folder keeps the line ending it was written with, and --check compares
  // against that: a tree generated with --eol lf is not reported as stale by a plain --check.
  // The folder is read once (its manifest's line ending here, then what --check compares).
  const folders = new Map<string, OutputFolder | undefined>();
  const folderOf = (environment: string) => {
    if (!folders.has(environment)) folders.set(environment, outputFolder(outDir, environment));
    return folders.get(environment);
  };
  const scriptEol =
    options.eol ??
    ((environment: string) => {
      const manifest = folderOf(environment)?.manifest;
      return (manifest && recordedEol(manifest)) ?? DEFAULT_SCRIPT_EOL;
    });
  const outcome = await renderSpec(options.spec, io, { scriptEol, deferRender: true, specPath: specDisplayPath(io.cwd, options.spec, { out: options.out }), ...checkOptionsOf(options) });
  if (!('rendered' in outcome)) {
    printRefusal([outcome.report], io, `nothing ${options.check ? 'checked' : 'generated'}: fix the errors in ${options.spec} first.`);
    return outcome.code;
  }
  const { plan, planned } = outcome.rendered;
  if (!planned) throw new Error('bug: generate without a planned tree');
  const folder = [options.out.replace(/[\\/]+$/, '') || options.out, plan.environment.name].join('/');

  if (options.check) {
    let diff: TreeDiff;
    try {
      // Only the files the manifest lists and files at generated paths are read: anything else
      // in the folder is not winrm-forge's and not drift. Every one is hashed; only scripts whose
      // input or bytes differ from what the manifest records are rendered.
      // --full renders every file and compares bytes, trusting no hash manifest.json records.
      if (options.full) {
        const rendered = renderPlanned(planned);
        diff = diffTrees(readOutputTree(outDir, rendered), rendered);
      } else {
        const hashed = await digests?.take(plan.environment.name);
        diff = checkPlanned(folderOf(plan.environment.name), planned, hashed);
      }
    } catch (error) {
      io.stderr(`winrm-forge: cannot read ${options.out} (${errorCode(error)}).\n`);
      return EXIT_USAGE;
    }
    if (diff.changes.length === 0) {
      io.stdout(`${folder} is up to date with ${options.spec} (${plural(diff.unchanged, 'file')}).\n`);
      return EXIT_OK;
    }
    io.stdout(formatDriftReport(diff, { spec: options.spec, out: options.out, ...(options.eol ? { options: `--eol ${options.eol}` } : {}) }));
    return EXIT_FINDINGS;
  }

  let result: WriteOutputResult;
  try {
    // Rendered, hashed and written file by file (the manifest last, from the running digests).
    result = writeOutput(outDir, plannedSource(planned), { force: options.force ?? false });
  } catch (error) {
    // The folder cannot be read or locked (no permission, a file in the way of the lock).
    io.stderr(`winrm-forge: cannot write to ${options.out} (${errorCode(error)}); choose a folder you can write to.\n`);
    return EXIT_USAGE;
  }
  for (const warning of result.warnings) io.stderr(`winrm-forge: warning: ${warning}.\n`);
  if (!result.ok) {
    for (const p of result.problems) io.stderr(`winrm-forge: cannot write to ${options.out}: ${p.message}\n`);
    io.stderr('winrm-forge: nothing written; the files already there are as they were.\n');
    return EXIT_USAGE;
  }
  const hosts = plural(plan.hosts.length, 'host');
  if (result.written.length === 0 && result.removed.length === 0) {
    io.stdout(`${folder} is already up to date for ${hosts}: ${plural(result.unchanged.length, 'file')} unchanged, nothing written.\n`);
    return EXIT_OK;
  }
  const details = [
    ...(result.unchanged.length > 0 ? [`${result.unchanged.length} unchanged`] : []),
    ...(result.removed.length > 0 ? [`${result.removed.length} no longer generated removed`] : []),
    ...(result.kept.length > 0 ? [`${plural(result.kept.length, 'file')} of yours kept`] : []),
  ];
  io.stdout(`Wrote ${plural(result.written.length, 'file')} for ${hosts} to ${folder}${details.length > 0 ? ` (${details.join(', ')})` : ''}; start with ${folder}/PLAN.md\n`);
  return EXIT_OK;
}
