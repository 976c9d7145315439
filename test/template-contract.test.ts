import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCRIPT_TEMPLATES } from '../src/plan/plan.js';
import { TEMPLATE_FILES } from '../src/render/render.js';
import { byCodePoint } from '../src/shared/order.js';
import { generateExample, generateSpec } from './helpers/generate.js';
import { repoRoot } from './helpers/spec.js';

describe('the plan-to-template contract', () => {
  it('has one entry per template file and one template file per entry', () => {
    const files = readdirSync(join(repoRoot, 'templates')).filter((f) => f.endsWith('.hbs') && !f.startsWith('_'));
    expect(Object.values(TEMPLATE_FILES).sort(byCodePoint)).toEqual(files.sort(byCodePoint));
    expect(Object.keys(TEMPLATE_FILES).sort(byCodePoint)).toEqual([...SCRIPT_TEMPLATES, 'plan', 'gpo-exceptions'].sort(byCodePoint));
  });

  it('is used whole: every script template renders at least one script of the fixtures', async () => {
    const used = new Set<string>();
    for (const result of [await generateSpec('test/fixtures/generate/every-branch.yaml'), await generateExample('exchange-arr-publishing.yaml'), await generateExample('monosync-https-delegation.yaml')]) {
      for (const host of result.plan!.hosts) for (const s of [...host.steps, ...host.extras, host.verify, host.runAll]) used.add(s.template);
      for (const client of result.plan!.clients) used.add(client.script.template);
    }
    expect([...used].sort(byCodePoint)).toEqual([...SCRIPT_TEMPLATES]);
  });
});
