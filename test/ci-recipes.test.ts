import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './helpers/spec.js';

const folder = join(repoRoot, 'examples', 'ci');
const recipes = readdirSync(folder).filter((f) => f.endsWith('.yml')).sort();

/**
 * The command-line surface the recipes are written for, commands and their options; a test
 * below checks it against the help of the built binary.
 */
const SURFACE: Record<string, string[]> = {
  validate: ['--format', '--strict'],
  generate: ['--out', '--check', '--force', '--eol'],
  plan: [],
  diff: ['--format'],
  init: ['--scenario', '--out'],
  schema: [],
};
const FORMAT_VALUES: Record<string, string[]> = { validate: ['text', 'json', 'sarif'], diff: ['unified', 'markdown'] };

/** Every shell line of a recipe: GitHub `run`, Azure `script`, GitLab `script` lists. */
function shellText(node: unknown): string[] {
  if (typeof node === 'string') return [];
  if (Array.isArray(node)) return node.flatMap(shellText);
  if (node && typeof node === 'object') {
    const out: string[] = [];
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'run' || key === 'script') && typeof value === 'string') out.push(value);
      else if (key === 'script' && Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
      else out.push(...shellText(value));
    }
    return out;
  }
  return [];
}

describe('pipeline recipes', () => {
  it('are written for the command-line surface the built binary has', () => {
    for (const [command, options] of Object.entries(SURFACE)) {
      const help = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'bin.js'), command, '--help'], { encoding: 'utf8' });
      expect(help.status, command).toBe(0);
      for (const option of options) expect(help.stdout, `${command} ${option}`).toContain(`  ${option} `);
      for (const value of FORMAT_VALUES[command] ?? []) expect(help.stdout, `${command} --format ${value}`).toContain(`"${value}"`);
    }
  });

  it('covers GitHub Actions, Azure Pipelines and GitLab CI', () => {
    expect(recipes).toEqual(['azure-pipelines.yml', 'github-actions.yml', 'gitlab-ci.yml']);
  });

  for (const name of recipes) {
    describe(name, () => {
      const text = readFileSync(join(folder, name), 'utf8');

      it('parses as YAML, ASCII only', () => {
        expect(() => parse(text, { strict: true, uniqueKeys: true })).not.toThrow();
        expect(text).toMatch(/^[\x00-\x7f]*$/);
      });

      it('calls winrm-forge only with commands and options that exist', () => {
        const calls = shellText(parse(text)).flatMap((script) => [...script.matchAll(/winrm-forge (\w+)([^\n;|&>]*)/g)]);
        expect(calls.length).toBeGreaterThan(3);
        for (const [call, command, rest] of calls) {
          expect(Object.keys(SURFACE), call).toContain(command);
          for (const option of rest!.match(/--[a-z-]+/g) ?? []) expect(SURFACE[command!], call).toContain(option);
          const format = /--format (\w+)/.exec(rest!);
          if (format) expect(FORMAT_VALUES[command!], call).toContain(format[1]);
        }
      });

      it('validates, generates, checks the committed tree and describes the change', () => {
        const scripts = shellText(parse(text)).join('\n');
        expect(scripts).toMatch(/winrm-forge validate [^\n]*--format sarif/);
        expect(scripts).toMatch(/winrm-forge generate [^\n]*--out/);
        expect(scripts).toMatch(/winrm-forge generate [^\n]*--check/);
        expect(scripts).toMatch(/winrm-forge diff [^\n]*--format markdown/);
      });
    });
  }

  it('GitHub: uploads SARIF to code scanning, the scripts as an artifact, and comments with write access only where needed', () => {
    const workflow = parse(readFileSync(join(folder, 'github-actions.yml'), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: Record<string, { permissions?: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.uses).filter(Boolean));
    expect(uses).toContain('github/codeql-action/upload-sarif@v4');
    expect(uses).toContain('actions/upload-artifact@v4');
    for (const action of uses) expect(action).toMatch(/@v\d+$/);
    expect(workflow.jobs.validate!.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(workflow.jobs.review!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(workflow.jobs.generate!.permissions).toBeUndefined();
  });
});

/** The review script of each recipe, with the paths it writes to; run under bash as CI does. */
function reviewScript(name: string, temp: string): { script: string; review: string } {
  const doc = parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>;
  if (name === 'github-actions.yml') {
    const steps = (doc.jobs as Record<string, { steps: { name?: string; run?: string }[] }>).review!.steps;
    return { script: steps.find((s) => s.name === 'Describe what changes on which host')!.run!, review: join(temp, 'review.md') };
  }
  if (name === 'gitlab-ci.yml') return { script: (doc.review as { script: string[] }).script[0]!.replaceAll('review.md', `${temp}/review.md`).replaceAll('"./', `"${temp}/`), review: join(temp, 'review.md') };
  const step = (doc.steps as { displayName?: string; script?: string }[]).find((s) => s.displayName === 'Describe what changes on which host')!;
  return { script: step.script!.replaceAll('$(Agent.TempDirectory)', temp), review: join(temp, 'review.md') };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd, encoding: 'utf8' });
  expect(r.status, `git ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout.trim();
}

const SPEC = readFileSync(join(repoRoot, 'test', 'fixtures', 'generate', 'every-branch.yaml'), 'utf8');
const MINI = `version: 1
environment: ENV
forests:
  - name: fabrikam.com
    domainControllers:
      - { host: dc01.fabrikam.com, ip: 10.2.0.10 }
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.20
`;

/** A repository whose head renames a spec, changes one, adds one with findings and one with a secret. */
function repository(extra: Record<string, string> = {}): { repo: string; base: string } {
  const repo = mkdtempSync(join(tmpdir(), 'winrm-forge-ci-'));
  git(repo, 'init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'envs'));
  writeFileSync(join(repo, 'envs', 'changed.yaml'), MINI.replace('ENV', 'changed'));
  writeFileSync(join(repo, 'envs', 'old-name.yaml'), SPEC);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'base');
  const base = git(repo, 'rev-parse', 'HEAD');
  writeFileSync(join(repo, 'envs', 'changed.yaml'), MINI.replace('ENV', 'changed').replace('10.2.0.20', '10.2.0.21'));
  git(repo, 'mv', 'envs/old-name.yaml', 'envs/new-name.yaml');
  writeFileSync(join(repo, 'envs', 'broken.yaml'), MINI.replace('ENV', 'broken').replace('    forest: fabrikam.com\n', '    forest: fabrikam.local\n'));
  writeFileSync(join(repo, 'envs', 'secret.yaml'), MINI.replace('ENV', 'secret').replace('forests:', 'metadata:\n  description: svc password=Summer2024xQ\nforests:'));
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(repo, path), text);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'head');
  return { repo, base };
}

function runReview(name: string, repo: string, base: string): { review: string; full?: string } {
  const temp = mkdtempSync(join(tmpdir(), 'winrm-forge-ci-temp-'));
  const bin = join(temp, 'bin');
  mkdirSync(bin);
  // npx winrm-forge ... runs the built binary of this checkout.
  writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = winrm-forge ] && shift\nexec "${process.execPath}" "${join(repoRoot, 'dist', 'src', 'bin.js')}" "$@"\n`, { mode: 0o755 });
  const { script, review } = reviewScript(name, temp);
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd: repo,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: temp, RUNNER_TEMP: temp, BASE_SHA: base, CI_MERGE_REQUEST_DIFF_BASE_SHA: base },
  });
  expect(r.status, `${name}: ${r.stderr}`).toBe(0);
  const fullPath = join(temp, 'review-full.md');
  return { review: readFileSync(review, 'utf8'), ...(existsSync(fullPath) ? { full: readFileSync(fullPath, 'utf8') } : {}) };
}

describe('the review step of each recipe', () => {
  const { repo, base } = repository();
  for (const name of recipes) {
    it(`${name}: reviews renamed specs, carries findings, masks secrets`, { timeout: 60_000 }, () => {
      const { review } = runReview(name, repo, base);
      expect(review.startsWith('<!-- winrm-forge-review -->')).toBe(true);
      expect(review).toContain('envs/new-name.yaml');
      expect(review).toContain('envs/old-name.yaml');
      expect(review).toContain('envs/changed.yaml');
      expect(review).toContain('[unknown-forest]');
      expect(review).toContain('[secret-in-spec]');
      expect(review).not.toContain('Summer2024xQ');
    });
  }

  it('keeps the comment below 65,536 characters and the whole summary as an artifact', { timeout: 120_000 }, () => {
    const many = Array.from({ length: 250 }, (_, i) => `  - host: exch${i}.fabrikam.com\n    forest: nowhere${i}.com\n`).join('');
    const { repo: big, base: bigBase } = repository({ 'envs/huge.yaml': `${MINI.replace('ENV', 'huge')}${many}` });
    for (const name of recipes) {
      const { review, full } = runReview(name, big, bigBase);
      expect(review.length, name).toBeLessThan(65_536);
      expect(review, name).toContain('too long for one comment');
      expect(full!.length, name).toBeGreaterThan(65_536);
    }
  });
});

describe('recipe settings', () => {
  const texts = Object.fromEntries(recipes.map((n) => [n, readFileSync(join(folder, n), 'utf8')]));
  it('use a supported Node LTS (22 or 24), not Node 20', () => {
    expect(texts['github-actions.yml']).toMatch(/node-version: (22|24)\n/);
    expect(texts['github-actions.yml']).not.toMatch(/node-version: 20/);
    expect(texts['gitlab-ci.yml']).toMatch(/image: node:(22|24)\n/);
    expect(texts['azure-pipelines.yml']).toMatch(/version: '(22|24)\.x'/);
  });

  it('do not make the review wait for a passing validate', () => {
    const gh = parse(texts['github-actions.yml']!) as { jobs: Record<string, { needs?: unknown }> };
    expect(gh.jobs.review!.needs).toBeUndefined();
    const gl = parse(texts['gitlab-ci.yml']!) as Record<string, { needs?: unknown }>;
    expect(gl.review!.needs).toEqual([]);
  });

  it('update the one GitLab note and Azure thread instead of adding one per run, and call Azure Repos only for Azure Repos', () => {
    const gl = (parse(texts['gitlab-ci.yml']!) as { review: { script: string[] } }).review.script.join('\n');
    expect(gl).toContain('method=PUT; url="$notes_url/$id"');
    const az = (parse(texts['azure-pipelines.yml']!) as { steps: { displayName?: string; script?: string; env?: Record<string, string> }[] }).steps.find((s) => s.displayName === 'Describe what changes on which host')!;
    expect(az.script).toContain('--request PATCH');
    expect(az.script).toContain('[ "$BUILD_REPOSITORY_PROVIDER" = TfsGit ] || exit 0');
    expect(az.script!.indexOf('TfsGit')).toBeLessThan(az.script!.indexOf('_apis/'));
    expect(az.env?.BUILD_REPOSITORY_PROVIDER).toBe('$(Build.Repository.Provider)');
  });
});
