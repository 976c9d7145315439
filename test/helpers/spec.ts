import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../../src/index.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function readRepoFile(relative: string): string {
  return readFileSync(join(repoRoot, relative), 'utf8');
}

/** Checks spec text and returns `line:col ruleId message` strings, in order. */
export async function findings(text: string, file = 'spec.yaml'): Promise<string[]> {
  const { report } = await checkText(file, text);
  return report.diagnostics.map((d) => {
    const p = report.source?.position(d.range.start) ?? { line: 0, column: 0 };
    return `${p.line}:${p.column} ${d.ruleId} ${d.message}`;
  });
}

/** A minimal valid spec; tests patch it to make one mistake at a time. */
export const MINIMAL = `version: 1
environment: lab
forests:
  - name: fabrikam.com
    domainControllers:
      - { host: dc01.fabrikam.com, ip: 10.2.0.10 }
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    ip: 10.2.0.20
`;
