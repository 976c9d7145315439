/**
 * Determinism: the same spec gives byte-identical output whatever the time zone, the locale
 * (LANG, LC_ALL), the working folder, the order of mapping keys and the order of every list
 * whose order means nothing. Lists whose order means something stay out of the shuffle:
 * certificate dnsNames (the first is the subject) and a forest's domainControllers (the first
 * runs the Active Directory steps).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { generateText } from '../src/index.js';
import type { FileMap } from '../src/shared/file-map.js';
import { readRepoFile, repoRoot } from './helpers/spec.js';

const SPECS = ['test/fixtures/generate/every-branch.yaml', 'examples/galsync-fim-kerberos.yaml', 'examples/monosync-https-delegation.yaml', 'examples/exchange-arr-publishing.yaml'];
const RUNS = Number(process.env.DETERMINISM_RUNS ?? 12);
const SECONDS = Number(process.env.DETERMINISM_SECONDS ?? 60);

const scratch: string[] = [];
afterAll(() => {
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
});

function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path).split('\\').join('/'), readFileSync(path).toString('base64'));
    }
  };
  walk(root);
  return files;
}

describe('output does not depend on the machine it is generated on', () => {
  it('is byte-identical across time zones, locales and working folders', { timeout: 60_000 }, () => {
    const environments = [
      { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' },
      { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      { TZ: 'America/St_Johns', LANG: 'de_DE.UTF-8', LC_ALL: 'ja_JP.UTF-8', LC_COLLATE: 'sv_SE.UTF-8' },
    ];
    const bin = join(repoRoot, 'dist', 'src', 'bin.js');
    const spec = readRepoFile(SPECS[0]!);
    const trees = environments.map((env, i) => {
      // A fresh folder each time, nested at a different depth: no absolute path may leak.
      const top = mkdtempSync(join(tmpdir(), `winrm-forge-det-${i}-`));
      scratch.push(top);
      const cwd = join(top, ...Array.from({ length: i }, (_, k) => `level${k}`));
      mkdirSync(cwd, { recursive: true });
      writeFileSync(join(cwd, 'spec.yaml'), spec);
      const { PATH, HOME, SYSTEMROOT } = process.env;
      const result = spawnSync(process.execPath, [bin, 'generate', 'spec.yaml', '--out', 'out'], { cwd, env: { PATH, HOME, SYSTEMROOT, ...env }, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const tree = readTree(join(cwd, 'out'));
      for (const [path, base64] of tree) expect(Buffer.from(base64, 'base64').toString('latin1').includes(cwd), `${path} names the working folder`).toBe(false);
      return tree;
    });
    expect(trees[0]!.size).toBeGreaterThan(10);
    expect(trees[1]).toEqual(trees[0]);
    expect(trees[2]).toEqual(trees[0]);
  });
});

/** Lists whose order means nothing, as paths of keys (list indices left out). */
const UNORDERED = new Set([
  'defaults.firewallProfiles',
  'forests',
  'forests.trusts',
  'exchange',
  'exchange.winrm.listeners',
  'exchange.remoteManagementUsers',
  'exchange.delegation.principals',
  'exchange.firewall.profiles',
  'exchange.firewall.additionalSources',
  'syncServers',
  'syncServers.connections',
  'syncServers.winrmClient.trustedHosts',
  'reverseProxies',
  'reverseProxies.backends',
  'waivers',
]);

/** A small seeded generator, so that a failing shuffle replays from fast-check's seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The spec with every mapping's keys and every unordered list shuffled. */
export function reordered(value: unknown, next: () => number, path = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => reordered(v, next, path));
    return UNORDERED.has(path) ? shuffle(items, next) : items;
  }
  if (value && typeof value === 'object') {
    const entries = shuffle(Object.entries(value), next).map(([k, v]) => [k, reordered(v, next, path ? `${path}.${k}` : k)] as const);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * What may differ when the spec text differs: its sha256 (banners, PLAN.md, manifest.json,
 * which also lists every file's hash) and the line numbers of findings in PLAN.md, whose rows
 * follow the spec's line order.
 */
function comparable(files: FileMap, specText: string): Map<string, string> {
  const sha = createHash('sha256').update(specText).digest('hex');
  const out = new Map<string, string>();
  for (const [path, bytes] of files) {
    if (path.endsWith('/manifest.json')) {
      const manifest = JSON.parse(Buffer.from(bytes).toString('utf8')) as { files: { path: string }[] };
      out.set(path, manifest.files.map((f) => f.path).join('\n'));
      continue;
    }
    let text = Buffer.from(bytes).toString('utf8').split(sha).join('<spec sha256>');
    if (path.endsWith('/PLAN.md')) {
      const lines = text.split('\n').map((l) => l.replace(/^(\| (?:error|warning|info) \| `[a-z0-9-]+` \| )\d+( \|)/, '$1#$2'));
      // Findings rows sorted among themselves: their order follows the lines of the spec.
      const isFinding = (l: string) => /^\| (?:error|warning|info) \| `/.test(l);
      const rows = lines.filter(isFinding).sort();
      let k = 0;
      text = lines.map((l) => (isFinding(l) ? rows[k++]! : l)).join('\n');
    }
    out.set(path, text);
  }
  return out;
}

describe('output does not depend on the order of keys and of unordered lists', () => {
  it('notices a shuffle that changes the output (the oracle can fail)', async () => {
    const text = readRepoFile(SPECS[0]!);
    const value = parse(text) as { forests: { domainControllers: unknown[] }[] };
    // Domain controller order means something: swapping them must show.
    const swapped = structuredClone(value);
    swapped.forests[1]!.domainControllers.reverse();
    const a = await generateText('spec.yaml', stringify(value), { specPath: 'spec.yaml', toolVersion: '0.0.0' });
    const b = await generateText('spec.yaml', stringify(swapped), { specPath: 'spec.yaml', toolVersion: '0.0.0' });
    expect(comparable(b.files!, stringify(swapped))).not.toEqual(comparable(a.files!, stringify(value)));
  });

  for (const spec of SPECS) {
    it(`${spec}: same output for shuffled keys and lists`, { timeout: (SECONDS + 30) * 1000 }, async () => {
      const value = parse(readRepoFile(spec)) as unknown;
      const baseText = stringify(value);
      const base = await generateText('spec.yaml', baseText, { specPath: 'spec.yaml', toolVersion: '0.0.0' });
      expect(base.files, 'the base spec generates').toBeDefined();
      const expected = comparable(base.files!, baseText);
      await fc.assert(
        fc.asyncProperty(fc.integer(), async (seed) => {
          const text = stringify(reordered(value, random(seed)));
          const result = await generateText('spec.yaml', text, { specPath: 'spec.yaml', toolVersion: '0.0.0' });
          expect(result.files, 'the shuffled spec generates').toBeDefined();
          expect(comparable(result.files!, text)).toEqual(expected);
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
      );
    });
  }
});
