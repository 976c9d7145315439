import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/index.js';
import { repoRoot } from './helpers/spec.js';

const folder = join(repoRoot, 'test', 'fixtures', 'invalid');
const fixtures = readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort();

describe('invalid fixtures report exactly their expected diagnostics', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(5));
  for (const name of fixtures) {
    it(name, async () => {
      const text = readFileSync(join(folder, name), 'utf8');
      const expected = [...text.matchAll(/^# expect: (\d+:\d+ [a-z0-9-]+)$/gm)].map((m) => m[1]);
      expect(expected.length).toBeGreaterThan(0);
      const { report } = await checkText(name, text);
      const actual = report.diagnostics.map((d) => {
        const p = report.source!.position(d.range.start);
        expect(d.message.length).toBeGreaterThan(10);
        expect(d.hint ?? '').not.toBe('');
        return `${p.line}:${p.column} ${d.ruleId}`;
      });
      expect(actual).toEqual(expected);
    });
  }
});
