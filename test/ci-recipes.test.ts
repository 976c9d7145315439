import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
