import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specDisplayPath } from '../src/commands/spec-path.js';
import { emitTree, unsafePathReason } from '../src/emit.js';

const tree = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, Buffer.from(v)]));

describe('emitTree', () => {
  it('writes every file under the output folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'winrm-forge-emit-'));
    const result = emitTree(out, tree({ 'env/PLAN.md': 'plan\n', 'env/hosts/a.x.com/01-a.ps1': 'x\r\n' }));
    expect(result.refused).toEqual([]);
    expect(result.written).toEqual(['env/PLAN.md', 'env/hosts/a.x.com/01-a.ps1']);
    expect(readFileSync(join(out, 'env', 'hosts', 'a.x.com', '01-a.ps1'), 'utf8')).toBe('x\r\n');
  });

  it('leaves files it does not own alone and overwrites the ones it does', () => {
    const out = mkdtempSync(join(tmpdir(), 'winrm-forge-emit-'));
    mkdirSync(join(out, 'env'), { recursive: true });
    writeFileSync(join(out, 'env', 'notes.txt'), 'mine');
    writeFileSync(join(out, 'env', 'PLAN.md'), 'old');
    emitTree(out, tree({ 'env/PLAN.md': 'new' }));
    expect(readFileSync(join(out, 'env', 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'env', 'PLAN.md'), 'utf8')).toBe('new');
  });

  it('refuses the whole tree when one path leaves the output folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'winrm-forge-emit-'));
    for (const bad of ['../escape.ps1', 'env/../../escape.ps1', '/etc/passwd', 'C:/Windows/x.ps1', 'env\\..\\x.ps1', 'env//x', './x']) {
      const result = emitTree(out, tree({ 'env/ok.md': 'ok', [bad]: 'bad' }));
      expect(result.written, bad).toEqual([]);
      expect(result.refused.map((r) => r.path), bad).toEqual([bad]);
      expect(unsafePathReason(bad), bad).not.toBeNull();
    }
    expect(existsSync(join(out, 'env', 'ok.md'))).toBe(false);
  });

  it('does not follow a symbolic link out of the output folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'winrm-forge-emit-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'winrm-forge-elsewhere-'));
    mkdirSync(join(out, 'env'), { recursive: true });
    try {
      symlinkSync(elsewhere, join(out, 'env', 'hosts'), 'dir');
    } catch {
      return; // No symlink rights (Windows without developer mode): nothing to test.
    }
    const result = emitTree(out, tree({ 'env/hosts/x.ps1': 'x' }));
    expect(result.refused.map((r) => r.path)).toEqual(['env/hosts/x.ps1']);
    expect(existsSync(join(elsewhere, 'x.ps1'))).toBe(false);
  });
});

describe('specDisplayPath', () => {
  it('names the spec relative to the working folder, with forward slashes, never absolute', () => {
    expect(specDisplayPath('/repo', 'examples/a.yaml')).toBe('examples/a.yaml');
    expect(specDisplayPath('/repo', '/repo/envs/prod.yaml')).toBe('envs/prod.yaml');
    expect(specDisplayPath('/repo/sub', '../envs/prod.yaml')).toBe('../envs/prod.yaml');
    expect(specDisplayPath('/repo', '/repo')).not.toMatch(/^\//);
  });
});
