/**
 * `npm run simulate -- <spec.yaml> [--os <profile>] [--max-drifts <n>] [--max-policies <n>] [--seed <n>]`:
 * generates the spec into a scratch folder, runs every property for every host against the simulated
 * Windows host (every drift and Group Policy case unless bounded; the bounds take a sample chosen
 * by `--seed`, as test/simulator.test.ts does with SIM_DRIFTS, SIM_POLICIES and FC_SEED), prints
 * one table row per host, script and property, and exits 1 when any property fails.
 */
import { resolve } from 'node:path';
import { OS_PROFILES } from './default-state.js';
import { findPwshExecutable } from './pwsh-client.js';
import { formatTable, Simulation, type PropertyResult } from './simulator.js';

/** The part of a row's detail that tells two rows of one property apart: the drifted setting or the policy. */
export function knownDetail(r: PropertyResult): { detail?: string } {
  if (r.property === 'drift') return { detail: r.detail.slice(0, r.detail.indexOf(': ') + 1) };
  if (r.property === 'group-policy') return { detail: r.detail.slice(0, r.detail.indexOf(' set by policy')) };
  return {};
}

function count(option: string, text: string | undefined, least = 1): number {
  const value = Number(text);
  if (text === undefined || !Number.isSafeInteger(value) || value < least) throw new Error(`${option} takes a whole number of at least ${least}, got ${JSON.stringify(text ?? '')}`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const specs: string[] = [];
  let os: string | undefined;
  let maxDrifts: number | undefined;
  let maxPolicies: number | undefined;
  let seed = 0;
  let known = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--os') os = argv[++i];
    else if (a === '--max-drifts') maxDrifts = count(a, argv[++i]);
    else if (a === '--max-policies') maxPolicies = count(a, argv[++i]);
    else if (a === '--seed') seed = count(a, argv[++i], 0);
    else if (a === '--known-failures') known = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else specs.push(a);
  }
  if (specs.length === 0) {
    console.error('usage: npm run simulate -- <spec.yaml> [--os <profile>] [--max-drifts <n>] [--max-policies <n>] [--seed <n>]');
    return 2;
  }
  if (os !== undefined && !(OS_PROFILES as readonly string[]).includes(os)) {
    console.error(`--os must be one of ${OS_PROFILES.join(', ')}`);
    return 2;
  }
  const pwsh = findPwshExecutable();
  if (!pwsh) {
    console.error('pwsh not found: run `npm run setup:powershell`');
    return 2;
  }
  const simulation = new Simulation(pwsh);
  let failed = false;
  try {
    for (const spec of specs) {
      const started = Date.now();
      const { rows } = await simulation.simulate(resolve(spec), { seed, ...(os ? { os } : {}), ...(maxDrifts !== undefined ? { maxDrifts } : {}), ...(maxPolicies !== undefined ? { maxPolicies } : {}) });
      if (known) {
        // The failing rows as entries of test/windows/harness/known-failures.json (the defect still to be written).
        for (const r of rows.filter((x) => !x.pass)) console.log(JSON.stringify({ spec, host: r.host, property: r.property, ...knownDetail(r), defect: r.detail.slice(0, 160) }));
        continue;
      }
      console.log(`\n${spec}${os ? ` (--os ${os})` : ''}: ${rows.filter((r) => r.pass).length}/${rows.length} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log(formatTable(rows));
      if (rows.some((r) => !r.pass) || rows.length === 0) failed = true;
    }
  } finally {
    await simulation.close();
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
