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
import { parseDocument } from 'yaml';
import { generatedSpecs, goldenName } from './helpers/generate.js';
import { propertySeed } from './helpers/property.js';
import { describeWithPwsh, REPO_ROOT } from './helpers/pwsh.js';
import { CLIENT_OS } from './windows/harness/client-state.js';
import { formatTable, Simulation, type PropertyResult } from './windows/harness/simulator.js';

const specsIn = (folder: string) =>
  readdirSync(join(REPO_ROOT, folder))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${folder}/${f}`);

const SPECS = [...specsIn('examples'), ...specsIn('test/fixtures/generate'), ...specsIn('test/fixtures/simulate')];
if (generatedSpecs.some((s) => !SPECS.includes(s))) throw new Error('a golden tree\'s spec is not simulated');

interface KnownFailure {
  spec: string;
  host: string;
  property: string;
  /** Start of the row's detail, to tell two rows of one property apart (the drifted setting, the policy). */
  detail?: string;
  defect: string;
}

/**
 * The drift and Group Policy properties run on a seeded sample per host (each case costs one or two
 * script runs): SIM_DRIFTS (default 4) settings drifted and SIM_POLICIES (default 3) policy cases,
 * satisfying and contradicting in turn. The seed is the property seed (FC_SEED replays, FC_RANDOM=1
 * explores); SIM_FULL=1 runs every case, as `npm run simulate` does.
 */
function sampleOptions(env: NodeJS.ProcessEnv): { maxDrifts?: number; maxPolicies?: number; seed: number } {
  const seed = propertySeed(env).seed;
  if (env.SIM_FULL && env.SIM_FULL !== '0') return { seed };
  const count = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, got ${JSON.stringify(env[name])}`);
    return value;
  };
  return { maxDrifts: count('SIM_DRIFTS', 4), maxPolicies: count('SIM_POLICIES', 3), seed };
}
const SAMPLE = sampleOptions(process.env);
const replay = `replay: FC_SEED=${SAMPLE.seed}${SAMPLE.maxDrifts === undefined ? ' SIM_FULL=1' : ` SIM_DRIFTS=${SAMPLE.maxDrifts} SIM_POLICIES=${SAMPLE.maxPolicies}`} npx vitest run test/simulator.test.ts`;

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
      // A spec with a golden tree runs the committed scripts of that tree.
      const golden = generatedSpecs.includes(spec) ? join(REPO_ROOT, 'test', 'golden', goldenName(spec)) : undefined;
      const { plan, rows } = await simulation.simulate(join(REPO_ROOT, spec), { ...SAMPLE, ...(golden ? { tree: golden } : {}) });
      expect(rows.length, 'no property ran').toBeGreaterThan(0);
      // Coverage: every host folder ran on the OS its spec declares (a host that declares none: defaults.os,
      // else Windows Server 2012 R2), every rebind script had its renewal, every external client test ran.
      const defaultOs = (parseDocument(readFileSync(join(REPO_ROOT, spec), 'utf8')).toJS() as { defaults?: { os?: string } }).defaults?.os ?? 'windows-server-2012-r2';
      const ran = (host: string, script: string, property: string) => rows.filter((r) => r.host === host && r.script === script && r.property === property);
      const coverage = [
        ...plan.hosts.flatMap((h) => {
          const os = h.os?.os ?? defaultOs;
          const converge = ran(h.host, 'run-all.ps1', 'converge');
          return [
            ...(converge.length === 1 && converge[0]!.os === os ? [] : [`${h.host}: run-all.ps1 not run on ${os} (${converge.map((r) => r.os).join(', ') || 'not run'})`]),
            ...(ran(h.host, 'verify.ps1', 'verify').length === 1 ? [] : [`${h.host}: verify.ps1 not run`]),
            ...h.extras.filter((x) => x.template === 'rebind-certificate').flatMap((x) => (ran(h.host, x.fileName, 'renewal').length === 1 ? [] : [`${h.host}: ${x.fileName} not run`])),
          ];
        }),
        ...plan.clients.flatMap((c) => (ran(c.label, c.script.fileName, 'verify').filter((r) => r.os === CLIENT_OS).length === 1 ? [] : [`${c.label}: ${c.script.fileName} not run`])),
      ];
      expect(coverage, formatTable(rows)).toEqual([]);
      const unexpected = rows.filter((r) => !r.pass && !known.some(matches(spec, r)));
      const fixed = known.filter((k) => k.spec === spec && !rows.some((r) => !r.pass && matches(spec, r)(k)));
      const report = `${formatTable(rows)}\n${replay} -t '${spec}'`;
      expect(unexpected.map((r) => `${r.host} ${r.script} ${r.property}: ${r.detail} [${r.failingCall}]`), report).toEqual([]);
      expect(fixed.map((k) => `${k.host} ${k.property} ${k.detail ?? ''} now passes: take it off known-failures.json (${k.defect})`), report).toEqual([]);
    });
  }
});
