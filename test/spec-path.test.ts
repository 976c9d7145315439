import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specDisplayPath } from '../src/cli/commands/spec-path.js';
import { MINIMAL } from './helpers/spec.js';
import { runCli } from './helpers/run-cli.js';

describe('specDisplayPath', () => {
  const noGit = { repositoryRoot: () => null };
  it('names the spec relative to the repository root, whatever the working folder', () => {
    const repo = { repositoryRoot: () => '/repo' };
    expect(specDisplayPath('/repo', 'envs/prod.yaml', repo)).toBe('envs/prod.yaml');
    expect(specDisplayPath('/repo/envs', 'prod.yaml', repo)).toBe('envs/prod.yaml');
    expect(specDisplayPath('/elsewhere', '/repo/envs/prod.yaml', repo)).toBe('envs/prod.yaml');
  });

  it('without a repository: relative to the parent of --out when the spec is under it, else the file name', () => {
    expect(specDisplayPath('/project', 'envs/prod.yaml', { ...noGit, out: 'out' })).toBe('envs/prod.yaml');
    expect(specDisplayPath('/project/envs', 'prod.yaml', { ...noGit, out: '../out' })).toBe('envs/prod.yaml');
    expect(specDisplayPath('/project/envs', 'prod.yaml', noGit)).toBe('prod.yaml');
    expect(specDisplayPath('/project', '/other/prod.yaml', { ...noGit, out: 'out' })).toBe('prod.yaml');
    expect(specDisplayPath('/repo', '/repo', noGit)).not.toMatch(/^\//);
  });
});

describe('output does not depend on the working folder', () => {
  function tree(root: string, files: string[]): Record<string, string> {
    return Object.fromEntries(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
  }
  const FILES = ['lab/manifest.json', 'lab/PLAN.md', 'lab/hosts/exch01.fabrikam.com/run-all.ps1'];

  it('in a git repository: generate from the root, then --check from envs/, is up to date', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'winrm-forge-repo-'));
    expect(spawnSync('git', ['init', '-q'], { cwd: repo }).status).toBe(0);
    mkdirSync(join(repo, 'envs'));
    writeFileSync(join(repo, 'envs', 'northwind.yaml'), MINIMAL);
    expect((await runCli(['generate', 'envs/northwind.yaml', '--out', 'out'], repo)).code).toBe(0);
    expect(readFileSync(join(repo, 'out', 'lab', 'PLAN.md'), 'utf8')).toContain('envs/northwind.yaml');
    const check = await runCli(['generate', 'northwind.yaml', '--out', '../out', '--check'], join(repo, 'envs'));
    expect(check.stdout + check.stderr).toContain('is up to date');
    expect(check.code).toBe(0);
    const plans = [await runCli(['plan', 'envs/northwind.yaml'], repo), await runCli(['plan', 'northwind.yaml'], join(repo, 'envs'))];
    expect(plans[0]!.stdout).toBe(plans[1]!.stdout);
  });

  it('without a repository: the same bytes from the project folder and from envs/', async () => {
    const project = mkdtempSync(join(tmpdir(), 'winrm-forge-project-'));
    mkdirSync(join(project, 'envs'));
    writeFileSync(join(project, 'envs', 'northwind.yaml'), MINIMAL);
    expect((await runCli(['generate', 'envs/northwind.yaml', '--out', 'a'], project)).code).toBe(0);
    expect((await runCli(['generate', 'northwind.yaml', '--out', '../b'], join(project, 'envs'))).code).toBe(0);
    expect(tree(join(project, 'b'), FILES)).toEqual(tree(join(project, 'a'), FILES));
  });
});
