/**
 * Where the knowledge comes from is named so a reader can find it: no rule source, rule page,
 * hint, template, PLAN.md or SARIF report says "seed 000" (an internal file name) instead of the
 * document's title and link.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../src/cli/format/sarif.js';
import { rules } from '../src/rules/index.js';
import { ruleDocText } from '../src/shared/paths.js';
import { repoRoot } from './helpers/spec.js';

const SEED = /\bseed\s+\d{3}\b/i;

function filesUnder(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('source documents', () => {
  it('are cited by title and link in every rule source', () => {
    for (const rule of rules) expect(rule.source, rule.id).not.toMatch(SEED);
    const cited = rules.map((r) => r.source).join('\n');
    expect(cited).toContain('https://learn.microsoft.com/archive/technet-wiki/21759.');
    expect(cited).toContain('https://help.monofor.com/monosync/exchange-integration');
    expect(cited).toContain('https://learn.microsoft.com/archive/technet-wiki/31066.');
  });

  it('are never called by an internal file number in docs, templates, source or generated trees', () => {
    const files = [...filesUnder('docs'), ...filesUnder('templates'), ...filesUnder('src').filter((f) => !f.includes('generated')), ...filesUnder('test/golden'), ...filesUnder('examples'), ...filesUnder('schema'), ...filesUnder('scripts'), join(repoRoot, 'README.md')];
    const offenders = files.filter((f) => SEED.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('are cited by name in SARIF', () => {
    const sarif = formatSarif([], { rules, docOf: ruleDocText, cwd: repoRoot, toolVersion: '0.0.0' });
    expect(sarif).not.toMatch(SEED);
  });
});
