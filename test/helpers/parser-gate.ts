/**
 * The real parser gate: PowerShell's own parser (test/powershell/parse-scripts.ps1, through one
 * pwsh process) over files on disk or an in-memory tree of generated files.
 * Each problem reads `file:line:col message`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { PwshServer } from './pwsh.js';

interface GateResult {
  parsed: number;
  problems: Record<string, string[]>;
}

/** Parses `paths` (absolute); `name` turns a path into the name the problems carry. */
export async function gateFiles(server: PwshServer, paths: string[], name: (path: string) => string = (p) => p): Promise<{ parsed: number; problems: string[] }> {
  const result = await server.call<GateResult>('test/powershell/parse-scripts.ps1', { files: paths });
  const problems = Object.entries(result.problems ?? {}).flatMap(([path, found]) => found.map((p) => `${name(path)}:${p}`));
  return { parsed: result.parsed, problems: problems.sort() };
}

/** Parses every `.ps1` of an in-memory tree (written to a scratch folder, bytes as generated). */
export async function gateTree(server: PwshServer, files: Iterable<[string, Uint8Array]>, label = ''): Promise<{ parsed: number; problems: string[] }> {
  const scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-gate-'));
  try {
    const paths: string[] = [];
    for (const [path, bytes] of files) {
      if (!path.endsWith('.ps1')) continue;
      const target = join(scratch, ...path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
      paths.push(target);
    }
    return await gateFiles(server, paths, (p) => `${label}${relative(scratch, p).split('\\').join('/')}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
