/**
 * Golden output trees: every example is generated and compared byte for byte with
 * test/golden/<example>/. Update them deliberately with `npm run golden:update`
 * (WINRM_FORGE_UPDATE_GOLDEN=1) and review the diff like code.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/shared/file-map.js';
import { GOLDEN_TODAY, generatedSpecs, generateExample, generateSpec, goldenName } from './helpers/generate.js';
import { generateFile } from '../src/index.js';
import { packageVersion } from '../src/shared/paths.js';
import { repoRoot } from './helpers/spec.js';

const update = process.env.WINRM_FORGE_UPDATE_GOLDEN === '1';

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

describe('golden output trees', () => {
  for (const spec of generatedSpecs) {
    it(`${spec} generates exactly test/golden/${goldenName(spec)}/`, async () => {
      const { files, report } = await generateSpec(spec);
      expect(report.diagnostics.filter((d) => d.severity === 'error' && !d.waived)).toEqual([]);
      expect(files).toBeDefined();
      const folder = join(repoRoot, 'test', 'golden', goldenName(spec));
      if (update) {
        rmSync(folder, { recursive: true, force: true });
        for (const [path, bytes] of files!) {
          mkdirSync(dirname(join(folder, path)), { recursive: true });
          writeFileSync(join(folder, path), bytes);
        }
      }
      const expected = listFiles(folder)
        .map((p) => relative(folder, p).split('\\').join('/'))
        .sort();
      expect([...files!.keys()].sort()).toEqual(expected);
      for (const [path, bytes] of files!) {
        const golden = readFileSync(join(folder, path));
        // Compare text first for a readable diff, then the bytes (line endings, BOM).
        expect(Buffer.from(bytes).toString('utf8'), path).toBe(golden.toString('utf8'));
        expect(Buffer.compare(Buffer.from(bytes), golden), path).toBe(0);
      }
    });
  }
});

describe('manifest.json', () => {
  for (const spec of generatedSpecs) {
    it(`${spec}: lists every other file with its sha256, and the spec`, async () => {
      const { files, plan } = await generateSpec(spec);
      const root = `${plan!.environment.name}/`;
      const manifest = JSON.parse(Buffer.from(files!.get(`${root}manifest.json`)!).toString('utf8')) as {
        spec: { path: string; sha256: string };
        files: { path: string; sha256: string; bytes: number; input?: string }[];
      };
      expect(manifest.spec).toEqual({ path: spec, sha256: sha256(readFileSync(join(repoRoot, ...spec.split('/')))) });
      const others = [...files!.entries()].filter(([path]) => path !== `${root}manifest.json`);
      expect(manifest.files.map(({ input: _input, ...entry }) => entry)).toEqual(others.map(([path, bytes]) => ({ path: path.slice(root.length), sha256: sha256(bytes), bytes: bytes.length })));
      // Every script records the digest of what it was rendered from; PLAN.md and firewall.csv, made from the whole plan, none.
      for (const entry of manifest.files) expect([entry.path, entry.input === undefined ? 'none' : /^[0-9a-f]{64}$/.test(entry.input)]).toEqual([entry.path, entry.path.endsWith('.ps1') ? true : 'none']);
      expect(JSON.stringify(manifest)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    });
  }
});

describe('PLAN.md', () => {
  it('fills the troubleshooting table and the DC choice with the environment names', async () => {
    const { files } = await generateExample('monosync-https-delegation.yaml');
    const text = Buffer.from(files!.get('monofor-monosync/PLAN.md')!).toString('utf8');
    expect(text).toContain('| "Access denied" in the event log on export | TCP/UDP 88 blocked from mono01.monofor.com to dc01.monofor.com, dc02.monofor.com |');
    expect(text).toContain('Delegation is set from dc01.monofor.com, the first domain controller declared for monofor.com');
    expect(text).toContain('```mermaid\nflowchart LR\n');
  });
});

// The script templates are compiled with CRLF (scripts/build-templates.mjs): the golden trees pin
// that default, and --eol lf must give the same scripts with LF alone, every other file as it is.
describe('LF scripts', () => {
  for (const spec of generatedSpecs) {
    it(`${spec} with --eol lf: the golden scripts with LF line endings, the other files the same`, async () => {
      const { files: crlf } = await generateSpec(spec);
      const { files: lf } = await generateFile(join(repoRoot, ...spec.split('/')), spec, { specPath: spec, toolVersion: packageVersion(), today: GOLDEN_TODAY, scriptEol: 'lf' });
      expect([...lf!.keys()]).toEqual([...crlf!.keys()]);
      let scripts = 0;
      for (const [path, bytes] of crlf!) {
        const text = Buffer.from(bytes).toString('latin1');
        const lfText = Buffer.from(lf!.get(path)!).toString('latin1');
        if (path.endsWith('.ps1')) {
          scripts++;
          expect(text.replace(/\r\n/g, ''), `${path}: every CR of a CRLF script ends a line`).not.toMatch(/[\r\n]/);
          expect(lfText, path).toBe(text.replace(/\r\n/g, '\n'));
        } else if (path.endsWith('PLAN.md')) {
          expect(lfText, path).toBe(text.replace('`.ps1` files use CRLF line endings', '`.ps1` files use LF line endings (`--eol lf`)'));
        } else if (!path.endsWith('manifest.json')) {
          expect(lfText, path).toBe(text);
        }
      }
      expect(scripts).toBeGreaterThan(5);
    });
  }
});
