/**
 * `diff` and `generate --check` render only the files whose input digest differs
 * (src/diff/incremental.ts). The reference is the full comparison, every file rendered:
 * `diffTrees(render(a), render(b))` and `diffTrees(readOutputTree(out, files), files)`. For
 * random spec pairs and hand-edited trees (bounded, fixed seed), the incremental result must be
 * exactly the reference's. INCREMENTAL_RUNS and INCREMENTAL_SECONDS bound each property; the seed is
 * the property seed (FC_SEED replays, FC_RANDOM=1 explores).
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticEstate, oneHostChange } from '../bench/estate.js';
import { diffTrees } from '../src/diff/core.js';
import { checkPlanned, diffPlanned, folderDigests } from '../src/diff/incremental.js';
import { generateText } from '../src/index.js';
import { outputFolder, readOutputTree, writeOutput } from '../src/output/atomic-output.js';
import { renderPlanned } from '../src/render/render.js';
import type { EndOfLine } from '../src/shared/line-endings.js';
import type { PlannedTree } from '../src/shared/file-map.js';
import { GOLDEN_TODAY } from './helpers/generate.js';
import { GALSYNC, withNewForest, withSecondExchangeServer, withSecondSyncServer, withoutSyncServers } from './helpers/galsync-variants.js';
import { readRepoFile } from './helpers/spec.js';

/** Cases per property: INCREMENTAL_RUNS (default 10), each property also stopped after INCREMENTAL_SECONDS (default 20). */
const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 10);
const SECONDS = Number(process.env.INCREMENTAL_SECONDS ?? 20);

const BASES: readonly string[] = [
  GALSYNC,
  withSecondSyncServer(),
  withSecondExchangeServer(),
  withNewForest(),
  withoutSyncServers(),
  readRepoFile('examples/exchange-arr-publishing.yaml'),
  readRepoFile('examples/monosync-https-delegation.yaml'),
  readRepoFile('test/fixtures/generate/every-branch.yaml'),
  syntheticEstate(12),
  oneHostChange(syntheticEstate(12)),
];

/** One-line edits a pull request makes; each applies to the n-th occurrence of its text, where there is one. */
const EDITS: readonly [string, string][] = [
  ['cbtHardening: relaxed', 'cbtHardening: strict'],
  ['cbtHardening: strict', 'cbtHardening: relaxed'],
  ['preferIPv4: none', 'preferIPv4: prefix-policy'],
  ['ldaps: false', 'ldaps: true'],
  ['ldaps: true', 'ldaps: false'],
  ['globalCatalog: true', 'globalCatalog: false'],
  ['executionPolicy: remote-signed', 'executionPolicy: all-signed'],
  ['requireSsl: true', 'requireSsl: false'],
  ['10.2.0.20', '10.2.0.29'],
  ['environment: contoso-galsync', 'environment: contoso-other'],
  ['description: ', 'description: Changed. '],
];

function applyEdit(text: string, [from, to]: [string, string], nth: number): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    const next = text.indexOf(from, at + 1);
    if (next < 0) break;
    at = next;
  }
  return at < 0 ? text : text.slice(0, at) + to + text.slice(at + from.length);
}

const specArbitrary = fc
  .record({ base: fc.integer({ min: 0, max: BASES.length - 1 }), edits: fc.array(fc.tuple(fc.integer({ min: 0, max: EDITS.length - 1 }), fc.nat({ max: 3 })), { maxLength: 3 }) })
  .map(({ base, edits }) => edits.reduce((text, [edit, nth]) => applyEdit(text, EDITS[edit]!, nth), BASES[base]!));

const planCache = new Map<string, Promise<PlannedTree | undefined>>();

/** The planned tree of a spec as `diff` and `generate --check` make it (undefined when the spec has errors). */
function planned(text: string, scriptEol: EndOfLine = 'crlf'): Promise<PlannedTree | undefined> {
  const key = `${scriptEol}\0${text}`;
  let result = planCache.get(key);
  if (!result) {
    result = generateText('spec.yaml', text, { specPath: 'spec.yaml', toolVersion: '0.1.0', today: GOLDEN_TODAY, deferRender: true, scriptEol }).then((r) => r.planned);
    planCache.set(key, result);
  }
  return result;
}

describe('diff renders only what the input digests say changed', () => {
  it('gives the full comparison for random spec pairs', async () => {
    await fc.assert(
      fc.asyncProperty(specArbitrary, specArbitrary, fc.constantFrom<EndOfLine>('crlf', 'lf'), fc.constantFrom<EndOfLine>('crlf', 'lf'), async (a, b, eolA, eolB) => {
        const before = await planned(a, eolA);
        const after = await planned(b, eolB);
        fc.pre(before !== undefined && after !== undefined);
        expect(diffPlanned(before!, after!)).toEqual(diffTrees(renderPlanned(before!), renderPlanned(after!)));
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000 },
    );
  }, 120_000);

  it('renders no script of a host the change does not touch', async () => {
    const base = (await planned(syntheticEstate(12)))!;
    const head = (await planned(oneHostChange(syntheticEstate(12))))!;
    const rendered: string[] = [];
    const counting = (tree: PlannedTree): PlannedTree => ({
      ...tree,
      files: new Map([...tree.files].map(([path, file]) => [path, { ...file, render: () => (rendered.push(path), file.render()) }])),
    });
    const diff = diffPlanned(counting(base), counting(head));
    const changedHost = diff.changes.map((c) => c.path).find((p) => p.includes('/hosts/'))!.split('/')[2];
    // Only the changed host's scripts whose data changed, and the two files made from the whole plan.
    expect(rendered.filter((p) => p.includes('/hosts/') && !p.includes(`/hosts/${changedHost}/`))).toEqual([]);
    expect(rendered.filter((p) => !p.includes('/hosts/')).sort()).toEqual(['estate/PLAN.md', 'estate/PLAN.md', 'estate/firewall.csv', 'estate/firewall.csv'].map((p) => p.replace('estate', base.manifestPath.split('/')[0]!)));
  });
});

/** Hand edits to a generated tree on disk (each may find nothing to act on). */
type TreeEdit =
  | { kind: 'append' | 'flip' | 'delete' | 'lf' | 'folder'; file: number }
  | { kind: 'manifest'; how: 'drop-input' | 'other-input' | 'other-sha' | 'truncate' | 'delete' | 'other-bytes'; file: number }
  | { kind: 'stray' };

const editArbitrary: fc.Arbitrary<TreeEdit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('append', 'flip', 'delete', 'lf', 'folder'), file: fc.nat() }) as fc.Arbitrary<TreeEdit>,
  fc.record({ kind: fc.constant('manifest'), how: fc.constantFrom('drop-input', 'other-input', 'other-sha', 'truncate', 'delete', 'other-bytes'), file: fc.nat() }) as fc.Arbitrary<TreeEdit>,
  fc.constant<TreeEdit>({ kind: 'stray' }),
);

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const path = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

function applyTreeEdit(dir: string, edit: TreeEdit): void {
  const files = filesUnder(dir).filter((f) => f !== 'manifest.json').sort();
  if (edit.kind === 'stray') return writeFileSync(join(dir, 'notes.txt'), 'mine\n');
  if (edit.kind === 'manifest') {
    const path = join(dir, 'manifest.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    if (edit.how === 'delete') return unlinkSync(path);
    if (edit.how === 'truncate') return writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    const manifest = JSON.parse(text) as { files: { path: string; sha256: string; bytes: number; input?: string }[] };
    const entry = manifest.files[edit.file % Math.max(1, manifest.files.length)];
    if (!entry) return;
    if (edit.how === 'drop-input') delete entry.input;
    if (edit.how === 'other-input' && entry.input) entry.input = entry.input.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    if (edit.how === 'other-sha') entry.sha256 = entry.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    if (edit.how === 'other-bytes') entry.bytes += 1;
    return writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
  }
  const file = files[edit.file % Math.max(1, files.length)];
  if (!file) return;
  const path = join(dir, file);
  if (edit.kind === 'append') appendFileSync(path, '# edited by hand\r\n');
  if (edit.kind === 'flip') {
    const bytes = readFileSync(path);
    if (bytes.length > 0) bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 1;
    writeFileSync(path, bytes);
  }
  if (edit.kind === 'delete') unlinkSync(path);
  if (edit.kind === 'lf') writeFileSync(path, readFileSync(path, 'utf8').replace(/\r\n/g, '\n'));
  if (edit.kind === 'folder') {
    unlinkSync(path);
    mkdirSync(path);
    writeFileSync(join(path, 'inside.txt'), 'x');
  }
}

describe('generate --check renders only scripts whose input or bytes differ from the manifest', () => {
  const root = mkdtempSync(join(tmpdir(), 'winrm-forge-incremental-'));
  let run = 0;

  it('gives the full comparison for random specs and hand-edited trees', async () => {
    await fc.assert(
      fc.asyncProperty(
        specArbitrary,
        specArbitrary,
        fc.boolean(),
        fc.constantFrom<EndOfLine>('crlf', 'lf'),
        fc.constantFrom<EndOfLine>('crlf', 'lf'),
        fc.array(editArbitrary, { maxLength: 4 }),
        async (written, checked, same, eolWritten, eolChecked, edits) => {
          const before = await planned(written, eolWritten);
          const after = await planned(same ? written : checked, eolChecked);
          fc.pre(before !== undefined && after !== undefined);
          const out = join(root, String(run++));
          expect(writeOutput(out, renderPlanned(before!)).ok).toBe(true);
          const environment = after!.manifestPath.split('/')[0]!;
          const dir = join(out, environment);
          if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) for (const edit of edits) applyTreeEdit(dir, edit);
          const files = renderPlanned(after!);
          const folder = outputFolder(out, environment);
          const expected = diffTrees(readOutputTree(out, files), files);
          expect(checkPlanned(folder, after!)).toEqual(expected);
          // The same with the folder hashed first, as the worker thread of --check does.
          if (folder) expect(checkPlanned(folder, after!, folderDigests(folder, environment))).toEqual(expected);
          rmSync(out, { recursive: true, force: true });
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000 },
    );
  }, 150_000);

  it('renders nothing when the tree is as generated, and only the edited script when one was edited', async () => {
    const tree = (await planned(syntheticEstate(12)))!;
    const rendered: string[] = [];
    const counting: PlannedTree = { ...tree, files: new Map([...tree.files].map(([path, file]) => [path, { ...file, render: () => (rendered.push(path), file.render()) }])) };
    const out = join(root, 'counted');
    writeOutput(out, renderPlanned(tree));
    const environment = tree.manifestPath.split('/')[0]!;
    expect(checkPlanned(outputFolder(out, environment), counting).changes).toEqual([]);
    expect(rendered.filter((p) => p.endsWith('.ps1'))).toEqual([]);
    const edited = [...tree.files.keys()].find((p) => p.endsWith('/verify.ps1'))!;
    appendFileSync(join(out, edited), '# edited by hand\r\n');
    rendered.length = 0;
    expect(checkPlanned(outputFolder(out, environment), counting).changes.map((c) => c.path)).toEqual([edited]);
    expect(rendered.filter((p) => p.endsWith('.ps1'))).toEqual([edited]);
  });
});
