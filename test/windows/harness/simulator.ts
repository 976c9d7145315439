/**
 * The properties of issue 13, run for every host of one spec against the simulated Windows host:
 * converge from the installed default, a second run changes nothing, -WhatIf changes nothing and
 * names each change, verify passes and names each single drift, Group Policy values are detected,
 * and the hosts run in PLAN.md's run order with one shared directory.
 * Used by `npm run simulate` (cli.ts) and by test/simulator.test.ts.
 */
import { appendFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateFile } from '../../../src/index.js';
import type { EnvironmentModel } from '../../../src/model/model.js';
import type { HostPlan, Plan } from '../../../src/plan/plan.js';
import { defaultDirectory, defaultState, type Directory, type SimState } from './default-state.js';
import { applyPolicy, expectationsFor as winrmExpectations, type Expectation, type PolicyCase } from './oracle-winrm.js';
import { PwshClient, repositoryRoot } from './pwsh-client.js';

export interface RunResult {
  exitCode: number;
  output: string[];
  errors: string[];
  changes: { area: string; target: string; detail: string }[];
  state: SimState;
  failingCall: null | Record<string, unknown>;
}

export type PropertyName = 'converge' | 'second-run' | 'whatif' | 'verify' | 'drift' | 'group-policy' | 'run-order';

export interface PropertyResult {
  host: string;
  script: string;
  property: PropertyName;
  pass: boolean;
  detail: string;
  failingCall: string;
}

export interface SimulateOptions {
  os?: string;
  /** Drift at most this many settings per host (each costs one verify run); all by default. */
  maxDrifts?: number;
}

/**
 * Engineer B's modules for Exchange, IIS and AD (exchange-state.ts, oracle-exchange.ts), when present:
 * exchangeDefaults(plan, null, directory) gives { directory } with the AD defaults, and
 * exchangeDefaults(environment, host, state) the state keys to merge for that host (iis, exchange, host).
 */
type Extension = {
  expectationsFor?: (environment: EnvironmentModel, host: string) => Expectation[];
  exchangeDefaults?: (first: Plan | EnvironmentModel, host: string | null, context: Directory | SimState) => Record<string, any>;
};

async function optional(module: string): Promise<Extension> {
  try {
    return (await import(module)) as Extension;
  } catch {
    return {};
  }
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function callText(r: RunResult): string {
  const f = r.failingCall as { command?: string; message?: string; arguments?: unknown; line?: string } | null;
  if (f) return `${f.command || f.line || ''}${f.arguments ? ' ' + JSON.stringify(f.arguments) : ''}: ${f.message ?? ''}`.slice(0, 300);
  const err = r.errors[0];
  return err ? err.slice(0, 300) : '';
}

/** Writes the generated tree of a spec into a scratch folder; returns the plan and the environment folder. */
export async function generateInto(specPath: string, folder: string): Promise<{ plan: Plan; root: string }> {
  const result = await generateFile(specPath, specPath, { specPath, toolVersion: '0.0.0-simulate' });
  if (!result.plan || !result.files) {
    const errors = result.report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    throw new Error(`${specPath} does not generate: ${errors.join('; ')}`);
  }
  for (const [path, bytes] of result.files) {
    const target = join(folder, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  return { plan: result.plan, root: join(folder, result.plan.environment.name) };
}

export class Simulation {
  /** One pwsh per worker; each run goes to the least busy one (2 by default: the CI machines have 2 cores). */
  private readonly clients: { client: PwshClient; busy: number }[];
  private readonly op: string;
  constructor(pwsh: string, workers = Number(process.env.WINRM_FORGE_SIMULATE_WORKERS ?? 2)) {
    this.clients = Array.from({ length: Math.max(1, workers) }, () => ({ client: new PwshClient(pwsh), busy: 0 }));
    // WINRM_FORGE_SIMULATOR names another copy of test/windows (e.g. a committed snapshot) to run against.
    this.op = join(process.env.WINRM_FORGE_SIMULATOR ?? join(repositoryRoot(), 'test', 'windows'), 'harness', 'simulate-op.ps1');
  }

  async run(state: SimState, script: string, scriptArguments: Record<string, unknown> = {}): Promise<RunResult> {
    const input = clone(state);
    input.changes = [];
    const worker = this.clients.reduce((a, b) => (b.busy < a.busy ? b : a));
    worker.busy++;
    let result: RunResult;
    try {
      result = await worker.client.call<RunResult>(this.op, { state: input, script, scriptArguments });
    } finally {
      worker.busy--;
    }
    result.output ??= [];
    result.errors ??= [];
    result.changes ??= [];
    const dump = process.env.WINRM_FORGE_SIMULATE_LOG;
    if (dump) appendFileSync(dump, `\n=== ${script} ${JSON.stringify(scriptArguments)} exit ${result.exitCode}\n${result.output.join('\n')}\n${JSON.stringify(result.failingCall)}\n`);
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.client.close()));
  }

  /** Runs every property for every host of the spec; returns one row per host, script and property. */
  async simulate(specPath: string, options: SimulateOptions = {}): Promise<PropertyResult[]> {
    const scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-simulate-'));
    try {
      const { plan, root } = await generateInto(specPath, scratch);
      return await this.properties(plan, root, options);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  private async properties(plan: Plan, root: string, options: SimulateOptions): Promise<PropertyResult[]> {
    const results: PropertyResult[] = [];
    const exchangeOracle = await optional('./oracle-exchange.js');
    const exchangeState = await optional('./exchange-state.js');
    let directory: Directory = defaultDirectory(plan.environment);
    if (exchangeState.exchangeDefaults) directory = (exchangeState.exchangeDefaults(plan, null, directory).directory as Directory | undefined) ?? directory;
    const converged = new Map<string, SimState>();
    const pendingPolicy = new Map<string, { p: PolicyCase; governed: Expectation[]; run: RunResult; problem: string }[]>();
    const hostPlans = new Map(plan.hosts.map((h) => [h.host, h] as const));
    const expectations = (h: HostPlan): Expectation[] => [
      ...winrmExpectations(plan, h.host),
      ...(exchangeOracle.expectationsFor ? exchangeOracle.expectationsFor(plan.environment, h.host) : []),
    ];
    const initial = (h: HostPlan): SimState => {
      const s = defaultState(plan, h, clone(directory), options.os);
      if (exchangeState.exchangeDefaults) Object.assign(s, exchangeState.exchangeDefaults(plan.environment, h.host, s));
      return s;
    };
    const row = (host: string, script: string, property: PropertyName, pass: boolean, detail: string, failingCall = '') =>
      results.push({ host, script, property, pass, detail, failingCall });

    for (const stage of plan.runOrder) {
      const h = hostPlans.get(stage.host);
      if (!h) continue;
      const path = join(root, stage.path);
      if (stage.script === 'external-client-test.ps1') continue;
      if (stage.script === 'run-all.ps1') {
        const start = initial(h);
        start.directory = clone(directory);
        const first = await this.run(start, path);
        const oracle = expectations(h);
        const failing = oracle.filter((e) => !e.holds(first.state)).map((e) => e.setting);
        row(h.host, 'run-all.ps1', 'converge', first.exitCode === 0 && failing.length === 0,
          first.exitCode !== 0 ? `exit ${first.exitCode}: ${first.errors[0] ?? ''}` : failing.length ? `not as the spec says: ${failing.join('; ')}` : `${first.changes.length} change(s)`, callText(first));
        if (first.exitCode !== 0) continue;
        converged.set(h.host, first.state);
        directory = first.state.directory ?? directory;
        row(h.host, 'run-all.ps1', 'run-order', true, `ran at stage ${stage.order}; directory passed on`);

        const [second, preview] = await Promise.all([this.run(first.state, path), this.run(start, path, { WhatIf: true })]);
        const stepLines = second.output.filter((l) => /^\[\d\d-[^\]]+\] /.test(l));
        const notAlready = stepLines.filter((l) => !/\] (already configured|NOT TESTABLE|not testable)/.test(l) && /\] (changed|not changed)/.test(l));
        row(h.host, 'run-all.ps1', 'second-run', second.exitCode === 0 && second.changes.length === 0 && notAlready.length === 0,
          second.exitCode !== 0 ? `exit ${second.exitCode}: ${second.errors[0] ?? ''}` : second.changes.length ? `changed: ${second.changes.map((c) => `${c.area} ${c.target}`).join('; ')}` : notAlready.length ? notAlready.join(' | ') : 'already configured, no change', callText(second));

        const changedSteps = first.output.filter((l) => /^\[\d\d-[^\]]+\] changed: /.test(l)).map((l) => l.slice(0, l.indexOf(']') + 1));
        const unnamed = changedSteps.filter((step) => !preview.output.some((l) => l.startsWith(step) && /not changed \(-WhatIf or declined\)|not previewed/.test(l)));
        row(h.host, 'run-all.ps1', 'whatif', preview.exitCode === 0 && preview.changes.length === 0 && unnamed.length === 0,
          preview.exitCode !== 0 ? `exit ${preview.exitCode}: ${preview.errors[0] ?? ''}` : preview.changes.length ? `changed under -WhatIf: ${preview.changes.map((c) => `${c.area} ${c.target}`).join('; ')}` : unnamed.length ? `steps that change but are not named under -WhatIf: ${unnamed.join(' ')}` : `${changedSteps.length} step(s) named`, callText(preview));

        // Group Policy (property 5): per policy state, a run from the default state and a verify of the
        // converged state under it. Satisfying: neither fought nor failing, verify passes naming the policy.
        // Contradicting: reported as Group Policy, nothing written under it, run-all and verify fail naming it.
        const cases = new Map<string, { p: PolicyCase; expectations: Expectation[] }>();
        for (const e of oracle) {
          for (const p of e.policies ?? []) {
            const id = JSON.stringify([p.satisfies, p.key.toLowerCase(), p.values, p.policyListener ?? false]);
            const c = cases.get(id) ?? { p, expectations: [] };
            c.expectations.push(e);
            cases.set(id, c);
          }
        }
        // The run-all half here; the verify half at the host's verify stage, with the directory as it is then.
        pendingPolicy.set(h.host, await Promise.all([...cases.values()].map(async ({ p, expectations: governed }) => {
          const s = clone(start);
          applyPolicy(s, p);
          const r = await this.run(s, path);
          const text = [...r.output, ...r.errors].join('\n').toLowerCase();
          const reported = text.includes('set by group policy') && p.names.every((n) => text.includes(n.toLowerCase()));
          const fought = r.changes.filter((c) => c.area === 'wsman' && ((p.wsman !== undefined && c.target.toLowerCase() === p.wsman.toLowerCase()) || (p.policyListener && /^listener http \*$/i.test(c.target)))).map((c) => `${c.target} ${c.detail}`);
          let problem = '';
          if (p.satisfies) {
            const failing = oracle.filter((e) => !e.holds(r.state)).map((e) => e.setting);
            if (r.exitCode !== 0) problem = `run-all exit ${r.exitCode}: ${r.errors[0] ?? ''}`;
            else if (failing.length) problem = `not as the spec says: ${failing.join('; ')}`;
            else if (fought.length) problem = `fought: changed ${fought.join(', ')}`;
            else if (!reported) problem = 'run-all does not report the setting as set by Group Policy';
          } else {
            const settingNamed = governed.every((e) => text.includes(e.setting.toLowerCase()) || (p.wsman !== undefined && text.includes(`wsman:\\localhost\\${p.wsman}`.toLowerCase())));
            if (r.exitCode === 0) problem = 'run-all exits 0 under a policy that contradicts the spec';
            else if (fought.length) problem = `wrote under the policy: ${fought.join(', ')}`;
            else if (!reported || !settingNamed) problem = `run-all fails without naming the setting and the Group Policy value: ${r.errors[0] ?? ''}`;
          }
          return { p, governed, run: r, problem };
        })));
      }
      if (stage.script === 'verify.ps1') {
        const state = converged.get(h.host);
        if (!state) {
          row(h.host, 'verify.ps1', 'verify', false, 'not run: run-all.ps1 did not converge');
          continue;
        }
        state.directory = clone(directory);
        const v = await this.run(state, path);
        row(h.host, 'verify.ps1', 'verify', v.exitCode === 0, v.exitCode === 0 ? 'all checks passed' : v.output.filter((l) => / FAIL /.test(l)).join(' | ') || (v.errors[0] ?? ''), callText(v));
        const policyRows = await Promise.all((pendingPolicy.get(h.host) ?? []).map(async ({ p, governed, run, problem: runProblem }) => {
          // Satisfying: verify the state the run under the policy left; contradicting: the converged state once the policy arrives.
          const target = clone(p.satisfies ? run.state : state);
          if (!p.satisfies) applyPolicy(target, p);
          target.directory = clone(directory);
          const pv = await this.run(target, path);
          const namesIn = (l: string) => l.toLowerCase().includes('group policy') && p.names.every((n) => l.toLowerCase().includes(n.toLowerCase()));
          const lines = (re: RegExp) => pv.output.filter((l) => re.test(l));
          let problem = runProblem;
          if (!problem && p.satisfies) {
            if (pv.exitCode !== 0) problem = `verify exit ${pv.exitCode}: ${lines(/ FAIL /).join(' | ')}`;
            else if (!governed.every((e) => lines(/ OK {2}/).some((l) => l.toLowerCase().includes(e.setting.toLowerCase()) && namesIn(l)))) problem = `verify passes without naming the policy for ${governed.map((e) => e.setting).join(', ')}`;
          } else if (!problem) {
            if (pv.exitCode === 0) problem = 'verify exits 0 under a policy that contradicts the spec';
            else if (!governed.every((e) => lines(/ FAIL /).some((l) => l.toLowerCase().includes(e.setting.toLowerCase()) && namesIn(l)))) problem = `verify fails without naming ${governed.map((e) => e.setting).join(', ')} and the policy: ${lines(/ FAIL /).join(' | ')}`;
          }
          const label = `${p.satisfies ? 'satisfying' : 'contradicting'} ${p.names.join('/')} = ${JSON.stringify(p.values)}`;
          return [h.host, 'run-all.ps1, verify.ps1', 'group-policy', problem === '', `${label}: ${problem || (p.satisfies ? 'accepted; verify passes naming it' : 'reported, nothing written under it; run-all and verify fail naming it')}`, problem ? callText(problem === runProblem ? run : pv) : ''] as const;
        }));
        for (const r of policyRows) row(...r);
        if (v.exitCode !== 0) continue;
        const oracle = expectations(h).slice(0, options.maxDrifts ?? Infinity);
        const driftRows = await Promise.all(oracle.map(async (e) => {
          const drifted = clone(state);
          e.drift(drifted);
          if (e.holds(drifted)) return [h.host, 'verify.ps1', 'drift', false, `harness: drifting ${e.setting} left it as the spec says`, ''] as const;
          const d = await this.run(drifted, path);
          const named = d.output.some((l) => / FAIL /.test(l) && l.toLowerCase().includes(e.setting.toLowerCase()));
          return [h.host, 'verify.ps1', 'drift', d.exitCode !== 0 && named, `${e.setting}: ${d.exitCode === 0 ? 'not detected' : named ? 'detected and named' : 'failed without naming it: ' + d.output.filter((l) => / FAIL /.test(l)).join(' | ')}`, callText(d)] as const;
        }));
        for (const r of driftRows) row(...r);
      }
    }
    return results;
  }
}

/** The table `npm run simulate` prints. */
export function formatTable(rows: PropertyResult[]): string {
  const header = ['host', 'script', 'property', 'result', 'detail', 'first failing call'];
  const lines = rows.map((r) => [r.host, r.script, r.property, r.pass ? 'pass' : 'FAIL', r.detail.slice(0, 110), r.failingCall.slice(0, 120)]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => l[i]!.length))));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
