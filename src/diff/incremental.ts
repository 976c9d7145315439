/**
 * The comparisons `diff` and `generate --check` make, rendering only what may have changed.
 * Each planned script carries an input digest (src/render/render.ts): two scripts with the same
 * digest have the same bytes, so
 * - `diffPlanned` renders a path only where the two sides' digests differ (or it has none:
 *   PLAN.md, firewall.csv), and
 * - `checkPlanned` trusts no file on disk: it hashes every one, and renders a script only where
 *   the digest differs from the one the folder's manifest records or the file no longer has the
 *   recorded sha256.
 * Both return exactly what `diffTrees` returns for the fully rendered trees (test/incremental.test.ts
 * holds them to it), so what changed decides the cost, not the size of the estate.
 */
import { parseManifest } from '../output/manifest.js';
import { comparisonReadLimit, outputHash, sha256, type OutputFolder, type OutputHash, type PlannedFile, type PlannedTree } from '../shared/file-map.js';
import { byCodePoint } from '../shared/order.js';
import { compareFile, equalBytes, type FileChange, type TreeDiff } from './core.js';


/**
 * What a manifest records for a file both sides render from the same input: not its output hash
 * (it was never rendered), but the same value on both sides, so the two manifests compare exactly
 * as the real ones do (equal digests give equal bytes, hence equal entries).
 */
const sameInput = (input: string): OutputHash => ({ sha256: `input ${input}`, bytes: 0 });

/**
 * One side of a `diff`, rendered where it had to be: its input digests, the bytes of the paths the
 * other side does not share a digest with, and its manifest over them. What a side planned in
 * another thread sends back (src/diff/sides.ts), so it holds data only.
 */
export interface RenderedSide {
  manifestPath: string;
  /** Every planned path (manifest.json excluded) with its input digest, if it has one. */
  inputs: ReadonlyMap<string, string | undefined>;
  /** The bytes of each path rendered. */
  rendered: ReadonlyMap<string, Uint8Array>;
  manifest: Uint8Array;
}

/** Input digests of a planned tree, by path. */
export function plannedInputs(tree: PlannedTree): Map<string, string | undefined> {
  return new Map([...tree.files].map(([path, file]) => [path, file.input]));
}

/** The paths of one side that `diff` renders: every one but those the other side planned from the same input digest. */
export function pathsToRender(side: ReadonlyMap<string, string | undefined>, other: ReadonlyMap<string, string | undefined>): string[] {
  const paths: string[] = [];
  for (const [path, input] of side) if (input === undefined || input !== other.get(path)) paths.push(path);
  return paths;
}

/** Renders `paths` of a planned tree and builds its manifest over them (the rest recorded by input, see `sameInput`). */
export function renderSide(tree: PlannedTree, paths: Iterable<string>): RenderedSide {
  const rendered = new Map<string, Uint8Array>();
  for (const path of paths) {
    const file = tree.files.get(path);
    if (!file) throw new Error(`bug: ${path} is not planned`);
    rendered.set(path, file.render());
  }
  const outputs = new Map<string, OutputHash>();
  for (const [path, file] of tree.files) {
    const bytes = rendered.get(path);
    if (bytes) outputs.set(path, outputHash(bytes));
    else if (file.input !== undefined) outputs.set(path, sameInput(file.input));
    else throw new Error(`bug: ${path} has no input digest and was not rendered`);
  }
  return { manifestPath: tree.manifestPath, inputs: plannedInputs(tree), rendered, manifest: tree.manifest(outputs) };
}

/** The tree comparison of two planned trees (`diff`): the same result as `diffTrees` of both rendered. */
export function diffPlanned(before: PlannedTree, after: PlannedTree): TreeDiff {
  const inputs = { before: plannedInputs(before), after: plannedInputs(after) };
  return compareSides(renderSide(before, pathsToRender(inputs.before, inputs.after)), renderSide(after, pathsToRender(inputs.after, inputs.before)));
}

/**
 * Compares two rendered sides: a path both planned from the same input digest is unchanged, any
 * other is compared by its bytes, and so are the two manifests.
 */
export function compareSides(before: RenderedSide, after: RenderedSide): TreeDiff {
  const changes: FileChange[] = [];
  let unchanged = 0;
  const compare = (path: string, b: Uint8Array | undefined, a: Uint8Array | undefined) => {
    if (b && a && equalBytes(b, a)) unchanged++;
    else changes.push(compareFile(path, b, a));
  };
  const paths = new Set([...before.inputs.keys(), ...after.inputs.keys()]);
  for (const path of paths) {
    const b = before.inputs.get(path);
    if (b !== undefined && b === after.inputs.get(path)) {
      unchanged++;
      continue;
    }
    compare(path, before.rendered.get(path), after.rendered.get(path));
  }
  if (before.manifestPath === after.manifestPath) compare(before.manifestPath, before.manifest, after.manifest);
  else {
    compare(before.manifestPath, before.manifest, undefined);
    compare(after.manifestPath, undefined, after.manifest);
  }
  changes.sort((x, y) => byCodePoint(x.path, y.path));
  return { changes, unchanged, beforePaths: [...before.inputs.keys(), before.manifestPath].sort(byCodePoint), afterPaths: [...after.inputs.keys(), after.manifestPath].sort(byCodePoint) };
}

interface Recorded {
  sha256: string;
  bytes: number;
  input: string;
}

/** The entries of a manifest that can vouch for a file: with an output hash, a size and an input digest. */
function recordedEntries(manifest: Uint8Array | undefined, environment: string): Map<string, Recorded> {
  const entries = new Map<string, Recorded>();
  const parsed = parseManifest(manifest);
  if (!parsed) return entries;
  for (const entry of parsed.files as unknown[]) {
    const { path, sha256: hash, bytes, input } = entry as Record<string, unknown>;
    if (typeof path === 'string' && typeof hash === 'string' && typeof input === 'string' && typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes >= 0) {
      entries.set(`${environment}/${path}`, { sha256: hash, bytes, input });
    }
  }
  return entries;
}

/** What reading and hashing one recorded file found: its sha256 and length as read up to `limit`, or nothing there. */
export type DiskDigest = { limit: number } & ({ sha256: string; length: number } | { absent: true });

/**
 * Reads and hashes every file the folder's manifest records, each up to the limit `checkPlanned`
 * reads it to: the part of `--check` that needs no plan, so a worker thread can do it while the
 * spec is checked and planned (src/cli/commands/check-digests.ts).
 */
export function folderDigests(folder: OutputFolder, environment: string): Map<string, DiskDigest> {
  const digests = new Map<string, DiskDigest>();
  for (const [path, entry] of recordedEntries(folder.manifest, environment)) {
    const limit = comparisonReadLimit(entry.bytes);
    const bytes = folder.read(path, limit);
    digests.set(path, bytes ? { limit, sha256: sha256(bytes), length: bytes.length } : { limit, absent: true });
  }
  return digests;
}

/**
 * `generate --check`: the tree on disk against a planned tree, the same result as
 * `diffTrees(readOutputTree(out, files), files)` with every file rendered. Every generated path is
 * read and hashed; a script is rendered only when the manifest on disk records another input
 * digest for it, or its bytes are not the ones the manifest records. The manifest is then
 * rebuilt exactly (the output hash of a file not rendered is the recorded one, which its bytes on
 * disk have) and compared like any file.
 */
export function checkPlanned(folder: OutputFolder | undefined, planned: PlannedTree, digests?: ReadonlyMap<string, DiskDigest>): TreeDiff {
  const environment = planned.manifestPath.slice(0, planned.manifestPath.indexOf('/'));
  const recorded = recordedEntries(folder?.manifest, environment);
  const changes: FileChange[] = [];
  let unchanged = 0;
  const onDisk: string[] = [];
  const outputs = new Map<string, OutputHash>();
  // Read as readOutputTree does: a generated file up to comparisonReadLimit of its size.
  const read = (path: string, limit: number) => {
    const bytes = folder?.read(path, limit);
    if (bytes) onDisk.push(path);
    return bytes;
  };
  const compare = (path: string, disk: Uint8Array | undefined, generated: Uint8Array | undefined) => {
    if (disk && generated && equalBytes(disk, generated)) unchanged++;
    else changes.push(compareFile(path, disk, generated));
  };
  const renderAndCompare = (path: string, file: PlannedFile, disk?: { bytes: Uint8Array | undefined; limit: number }) => {
    const bytes = file.render();
    outputs.set(path, outputHash(bytes));
    // Read again only if the first read was bounded differently from the generated size.
    const found = disk && disk.limit === comparisonReadLimit(bytes.length) ? disk.bytes : folder?.read(path, comparisonReadLimit(bytes.length));
    if (found && !disk) onDisk.push(path);
    compare(path, found, bytes);
  };
  // The bytes on disk are the ones the manifest records for this very input: what rendering would give.
  const keepRecorded = (path: string, entry: Recorded) => {
    unchanged++;
    outputs.set(path, { sha256: entry.sha256, bytes: entry.bytes });
  };
  let largest = 0;
  for (const [path, file] of planned.files) {
    const entry = recorded.get(path);
    if (file.input !== undefined && entry && entry.input === file.input) {
      const limit = comparisonReadLimit(entry.bytes);
      // Hashed already by folderDigests, which reads the same way: the file is read here only
      // when those bytes were not the recorded ones (or nothing was hashed).
      const hashed = digests?.get(path);
      const digest = hashed?.limit === limit ? hashed : undefined;
      if (digest && 'absent' in digest) renderAndCompare(path, file, { bytes: undefined, limit });
      else if (digest && digest.length === entry.bytes && digest.sha256 === entry.sha256) {
        onDisk.push(path);
        keepRecorded(path, entry);
      } else {
        const bytes = read(path, limit);
        if (bytes && bytes.length === entry.bytes && sha256(bytes) === entry.sha256) keepRecorded(path, entry);
        else renderAndCompare(path, file, { bytes, limit });
      }
    } else renderAndCompare(path, file);
    largest = Math.max(largest, outputs.get(path)!.bytes);
  }
  const manifest = planned.manifest(outputs);
  largest = Math.max(largest, manifest.length);
  compare(planned.manifestPath, read(planned.manifestPath, comparisonReadLimit(manifest.length)), manifest);
  // Files the manifest on disk lists that are no longer generated.
  for (const path of folder?.listed ?? []) {
    if (planned.files.has(path) || path === planned.manifestPath) continue;
    const bytes = read(path, comparisonReadLimit(largest));
    if (bytes) changes.push(compareFile(path, bytes, undefined));
  }
  changes.sort((x, y) => byCodePoint(x.path, y.path));
  return { changes, unchanged, beforePaths: onDisk.sort(byCodePoint), afterPaths: [...planned.files.keys(), planned.manifestPath].sort(byCodePoint) };
}
