import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/cli.js';
import { SCENARIOS, schemaReference, starterSpec } from '../src/cli/commands/init.js';
import { checkText } from '../src/index.js';
import type { Io } from '../src/cli/io.js';
import { GOLDEN_TODAY } from './helpers/generate.js';
import { repoRoot } from './helpers/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(cwd = dir): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {}, isTTY: false };
}

describe('winrm-forge init', () => {
  for (const scenario of SCENARIOS) {
    it(`writes a ${scenario} starter spec that validates with no finding that is not waived`, async () => {
      const io = capture();
      const file = `${scenario}.yaml`;
      expect(await main(['init', '--scenario', scenario, '--out', file], io)).toBe(0);
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=winrm-forge.schema.json');
      const { report, spec } = await checkText(file, text, { today: GOLDEN_TODAY });
      expect(report.diagnostics.filter((d) => !d.waived)).toEqual([]);
      expect(spec).toBeDefined();
      // Commented for a newcomer, and plain ASCII (no typographic quotes or dashes).
      expect(text.split('\n').filter((l) => l.trimStart().startsWith('#')).length).toBeGreaterThan(10);
      expect(text).toMatch(/^[\x00-\x7f]*$/);
      expect(io.out.join('')).toContain(`winrm-forge validate ${file}`);
      expect(io.out.join('')).toContain('winrm-forge schema > winrm-forge.schema.json');
    });
  }

  it('refuses to overwrite an existing file (exit 2, file untouched)', async () => {
    const existing = join(dir, 'mine.yaml');
    writeFileSync(existing, 'my own spec\n');
    const io = capture();
    expect(await main(['init', '--out', 'mine.yaml'], io)).toBe(2);
    expect(io.err.join('')).toContain('mine.yaml already exists; init never overwrites a file');
    expect(readFileSync(existing, 'utf8')).toBe('my own spec\n');
  });

  it('creates missing folders, refuses a folder as --out, and rejects an unknown scenario', async () => {
    const io = capture();
    expect(await main(['init', '--out', 'envs/new/spec.yaml'], io)).toBe(0);
    expect(readFileSync(join(dir, 'envs/new/spec.yaml'), 'utf8')).toContain('version: 1');
    const folder = capture();
    expect(await main(['init', '--out', 'envs'], folder)).toBe(2);
    expect(folder.err.join('')).toContain('envs is a folder; name the spec file to write, e.g. --out envs/winrm-forge.yaml');
    const underAFile = capture();
    expect(await main(['init', '--out', 'envs/new/spec.yaml/x.yaml'], underAFile)).toBe(2);
    expect(underAFile.err.join('')).toContain('winrm-forge init: ');
    const bad = capture();
    expect(await main(['init', '--scenario', 'exchange'], bad)).toBe(2);
    expect(bad.err.join('')).toContain('winrm-forge: --scenario exchange is not one of galsync, monosync, arr.');
  });

  it('points the modeline at the installed schema when the package is part of the project', () => {
    // A project with winrm-forge in node_modules, spec in envs/.
    const project = resolve('/work/project');
    const installed = join(project, 'node_modules', 'winrm-forge');
    expect(schemaReference(join(project, 'envs'), installed, project)).toEqual({ reference: '../node_modules/winrm-forge/schema/winrm-forge.schema.json', besideSpec: false });
    // This repository: the examples' own modeline.
    expect(schemaReference(join(repoRoot, 'examples'), repoRoot, repoRoot)).toEqual({ reference: '../schema/winrm-forge.schema.json', besideSpec: false });
    // A global install or npx cache: no path that only works on this machine.
    expect(schemaReference(join(project, 'envs'), resolve('/usr/lib/node_modules/winrm-forge'), project)).toEqual({ reference: 'winrm-forge.schema.json', besideSpec: true });
  });

  it('writes a modeline that resolves to the real schema inside this repository', () => {
    const folder = join(repoRoot, 'examples');
    const text = starterSpec('galsync', schemaReference(folder, repoRoot, repoRoot).reference);
    const reference = text.split('\n')[0]!.replace('# yaml-language-server: $schema=', '');
    expect(JSON.parse(readFileSync(resolve(folder, reference), 'utf8')).title).toBeDefined();
  });

  it('works from the built binary', () => {
    const cwd = join(dir, 'bin');
    mkdirSync(cwd);
    const run = () => spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'bin.js'), 'init', '--scenario', 'monosync'], { cwd, encoding: 'utf8' });
    const first = run();
    expect(first.status).toBe(0);
    expect(readFileSync(join(cwd, 'winrm-forge.yaml'), 'utf8')).toContain('product: monosync');
    const second = run();
    expect(second.status).toBe(2);
    expect(second.stderr).toContain('already exists');
  });
});
