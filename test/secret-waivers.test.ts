/**
 * A waiver of secret-in-spec accepts one value: without host it must name the field, and a
 * sha256 pin stops accepting the value once it changes. A blanket host-less waiver accepts
 * nothing and is reported.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkText } from '../src/index.js';
import { MINIMAL } from './helpers/spec.js';

const HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';
const PASSWORD = 'svc_sync password=Summer2024!';

function spec(waiver: string, description = PASSWORD): string {
  return MINIMAL.replace('environment: lab\n', `environment: lab\nmetadata:\n  changeReference: ${HASH}\n  description: '${description}'\n`) + `waivers:\n  - rule: secret-in-spec\n${waiver}    reason: The change reference is the commit hash of the approved change\n`;
}

async function findings(text: string) {
  const { report } = await checkText('spec.yaml', text);
  return report.diagnostics.map((d) => ({ rule: d.ruleId, field: d.field, waived: d.waived !== undefined }));
}

describe('waivers of secret-in-spec', () => {
  it('refuses a host-less waiver that names no field: it accepts nothing', async () => {
    const found = await findings(spec(''));
    expect(found.filter((d) => d.rule === 'secret-in-spec')).toEqual([
      { rule: 'secret-in-spec', field: 'metadata.changeReference', waived: false },
      { rule: 'secret-in-spec', field: 'metadata.description', waived: false },
    ]);
    expect(found.filter((d) => d.rule === 'waiver-too-broad')).toEqual([{ rule: 'waiver-too-broad', field: undefined, waived: false }]);
    expect(found.some((d) => d.rule === 'waiver-unused')).toBe(false);
  });

  it('accepts only the named field', async () => {
    const found = await findings(spec('    field: metadata.changeReference\n'));
    expect(found.filter((d) => d.rule.startsWith('secret') || d.rule.startsWith('waiver'))).toEqual([
      { rule: 'secret-in-spec', field: 'metadata.changeReference', waived: true },
      { rule: 'secret-in-spec', field: 'metadata.description', waived: false },
    ]);
  });

  it('accepts a pinned value only while it is the same value', async () => {
    const pin = createHash('sha256').update(HASH).digest('hex');
    const same = await findings(spec(`    field: metadata.changeReference\n    sha256: ${pin.toUpperCase()}\n`, 'GAL sync lab'));
    expect(same.filter((d) => d.rule === 'secret-in-spec')).toEqual([{ rule: 'secret-in-spec', field: 'metadata.changeReference', waived: true }]);
    const changed = await findings(spec(`    field: metadata.changeReference\n    sha256: ${createHash('sha256').update('another value').digest('hex')}\n`, 'GAL sync lab'));
    expect(changed.filter((d) => d.rule === 'secret-in-spec' || d.rule === 'waiver-unused').map((d) => [d.rule, d.waived])).toEqual([
      ['secret-in-spec', false],
      ['waiver-unused', false],
    ]);
  });
});
