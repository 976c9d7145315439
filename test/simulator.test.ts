/**
 * Every generated script run against the simulated Windows host (test/windows/): the properties
 * of issue 13 for every host of every example, the every-branch fixture and the specs written
 * for the simulator (test/fixtures/simulate/), through the same entry point as `npm run simulate`.
 *
 * Properties that still fail on today's scripts are listed in test/windows/harness/known-failures.json,
 * each with the defect it shows. The test fails when a property outside that list fails, and when
 * a listed one passes (the fix must then take it off the list), so the list can only shrink honestly.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPwsh, REPO_ROOT } from './helpers/pwsh.js';
import { formatTable, Simulation, type PropertyResult } from './windows/harness/simulator.js';

const specsIn = (folder: string) =>
  readdirSync(join(REPO_ROOT, folder))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${folder}/${f}`);

const SPECS = [...specsIn('examples'), ...specsIn('test/fixtures/generate'), ...specsIn('test/fixtures/simulate')];

interface KnownFailure {
  spec: string;
  host: string;
  property: string;
  /** Start of the row's detail, to tell two rows of one property apart (the drifted setting, the policy). */
  detail?: string;
  defect: string;
}

const known: KnownFailure[] = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'windows', 'harness', 'known-failures.json'), 'utf8')).failures;

const matches = (spec: string, row: PropertyResult) => (k: KnownFailure) =>
  k.spec === spec && k.host === row.host && k.property === row.property && (k.detail === undefined || row.detail.startsWith(k.detail));

describeWithPwsh('generated scripts on the simulated Windows host', (pwsh) => {
  let simulation: Simulation;
  beforeAll(() => {
    simulation = new Simulation(pwsh);
  });
  afterAll(async () => {
    await simulation?.close();
  });

  for (const spec of SPECS) {
    it(`${spec}: every property holds for every host`, { timeout: 600_000 }, async () => {
      const rows = await simulation.simulate(join(REPO_ROOT, spec));
      expect(rows.length, 'no property ran').toBeGreaterThan(0);
      const unexpected = rows.filter((r) => !r.pass && !known.some(matches(spec, r)));
      const fixed = known.filter((k) => k.spec === spec && !rows.some((r) => !r.pass && matches(spec, r)(k)));
      const report = formatTable(rows);
      expect(unexpected.map((r) => `${r.host} ${r.script} ${r.property}: ${r.detail} [${r.failingCall}]`), report).toEqual([]);
      expect(fixed.map((k) => `${k.host} ${k.property} ${k.detail ?? ''} now passes: take it off known-failures.json (${k.defect})`), report).toEqual([]);
    });
  }
});
