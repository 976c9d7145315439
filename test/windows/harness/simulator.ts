/**
 * The properties of issue 13, run for every host of one spec against the simulated Windows host:
 * converge from the installed default, a second run changes nothing, -WhatIf changes nothing and
 * names each change, verify passes and names each single drift, Group Policy values are detected,
 * and the hosts run in PLAN.md's run order with one shared directory.
 * Used by `npm run simulate` (cli.ts) and by test/simulator.test.ts.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { generateFile } from '../../../src/index.js';
import type { EnvironmentModel } from '../../../src/model/model.js';
import type { HostPlan, Plan, ScriptOf } from '../../../src/plan/plan.js';
import { RESTART_EXIT_CODE } from '../../../src/plan/restart.js';
import { defaultDirectory, defaultState, restartHost, SIM_NOW, type Directory, type SimState } from './default-state.js';
import { applyPolicy, expectationsFor as winrmExpectations, type Expectation, type PolicyCase } from './oracle-winrm.js';
import { PwshClient, repositoryRoot } from './pwsh-client.js';
import { CLIENT_OS, clientState } from './client-state.js';

export interface RunResult {
  exitCode: number;
  output: string[];
  errors: string[];
  changes: { area: string; target: string; detail: string }[];
  state: SimState;
  failingCall: null | Record<string, unknown>;
  /** Every -Confirm prompt the host answered, as "Yes: <caption>: <message>" or "No: ...". */
  prompts?: string[];
}

export type PropertyName = 'converge' | 'second-run' | 'whatif' | 'verify' | 'drift' | 'group-policy' | 'run-order' | 'restart' | 'renewal' | 'recycle';

export interface PropertyResult {
  host: string;
  /** The OS profile the host ran on. */
  os: string;
  script: string;
  property: PropertyName;
  pass: boolean;
  detail: string;
  failingCall: string;
}

export interface SimulateOptions {
  os?: string;
  /**
   * Drift at most this many settings per host (each costs one verify run); all when omitted.
   * Which ones: a seeded sample (`seed`), the same for the same seed, host and settings.
   */
  maxDrifts?: number;
  /**
   * Run at most this many Group Policy cases per host (each costs a run-all and a verify run),
   * satisfying and contradicting ones taken in turn from a seeded sample; all when omitted.
   */
  maxPolicies?: number;
  /** Seed of the drift and policy samples (0 when omitted). */
  seed?: number;
  /**
   * Run the scripts of a committed tree (a golden folder holding `<environment>/`, copied into the
   * scratch folder) instead of a freshly generated one; the plan still comes from the spec (test/golden.test.ts proves the two
   * are the same bytes).
   */
  tree?: string;
}

/**
 * Engineer B's modules for Exchange, IIS and AD (exchange-state.ts, oracle-exchange.ts), when present:
 * exchangeDefaults(plan, null, directory) gives { directory } with the AD defaults, and
 * exchangeDefaults(environment, host, state) the state keys to merge for that host (iis, exchange, host).
 */
type Extension = {
  expectationsFor?: (environment: EnvironmentModel, host: string) => Expectation[];
  frontEndChallenge?: (state: SimState, fqdn: string) => { status: number; authenticate: string[] };
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

/** A stable order for a seeded sample: by sha256 of the seed, the host and the item's key. */
function seededOrder<T>(items: readonly T[], seed: number, host: string, key: (item: T) => string): T[] {
  const rank = (item: T) => createHash('sha256').update(`${seed}\0${host}\0${key(item)}`).digest('hex');
  return items.map((item) => ({ item, rank: rank(item) })).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map((x) => x.item);
}

/**
 * At most `max` of `items` (all when `max` is undefined), chosen by seed, kept in their own order.
 * With `group`, the groups take turns, so each group is in the sample while `max` allows.
 */
export function seededSample<T>(items: readonly T[], max: number | undefined, seed: number, host: string, key: (item: T) => string, group: (item: T) => string = () => ''): T[] {
  if (max === undefined || items.length <= max) return [...items];
  const groups = new Map<string, T[]>();
  for (const item of seededOrder(items, seed, host, key)) {
    const g = group(item);
    groups.set(g, [...(groups.get(g) ?? []), item]);
  }
  const queues = [...groups.keys()].sort().map((g) => groups.get(g)!);
  const chosen = new Set<T>();
  for (let round = 0; chosen.size < max; round++) {
    for (const q of queues) if (round < q.length && chosen.size < max) chosen.add(q[round]!);
  }
  return items.filter((item) => chosen.has(item));
}

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

  /**
   * The app pool recycle stage: from the state run-all.ps1 left, a worker process of the pool that
   * started before applicationHost.config was last written (state processes, iis.configWritten) must
   * be recycled, once; -WhatIf changes nothing and names the recycle; a second run changes nothing.
   */
  async recycleStage(state: SimState, path: string, pool: string): Promise<{ pass: boolean; detail: string; failingCall: string; state: SimState }> {
    const written = Date.parse(String(state.iis?.configWritten ?? ''));
    const workers = (s: SimState) => ((s.processes ?? []) as { Name: string; CommandLine: string; CreationDate: string }[]).filter((p) => p.Name.toLowerCase() === 'w3wp.exe' && p.CommandLine.includes(`-ap "${pool}"`));
    const stale = (s: SimState) => workers(s).filter((p) => Date.parse(p.CreationDate) < written).length;
    const recycles = (s: SimState) => Number(((s.iis?.appPools ?? []) as { name: string; recycles?: number }[]).find((p) => p.name.toLowerCase() === pool.toLowerCase())?.recycles ?? 0);
    const due = stale(state) > 0;
    const [preview, first] = await Promise.all([this.run(state, path, { WhatIf: true }), this.run(state, path)]);
    const second = await this.run(first.state, path);
    const problems: string[] = [];
    if (first.exitCode !== 0) problems.push(`exit ${first.exitCode}: ${first.errors[0] ?? ''}`);
    if (recycles(first.state) !== recycles(state) + (due ? 1 : 0)) problems.push(`${due ? 'a stale worker process of ' + pool + ' was not recycled' : pool + ' recycled with no stale worker process'} (recycles ${recycles(state)} -> ${recycles(first.state)})`);
    if (stale(first.state) > 0) problems.push(`${stale(first.state)} worker process(es) of ${pool} still predate the configuration`);
    if (preview.exitCode !== 0 || preview.changes.length > 0) problems.push(`-WhatIf exit ${preview.exitCode}, ${preview.changes.length} change(s)`);
    if (due && !preview.output.some((l) => l.includes(`recycle ${pool}`))) problems.push('-WhatIf does not name the recycle');
    if (second.exitCode !== 0 || second.changes.length > 0) problems.push(`second run exit ${second.exitCode}, ${second.changes.length} change(s)`);
    return {
      pass: problems.length === 0,
      detail: problems.length ? problems.join('; ') : due ? `recycled ${pool} once; -WhatIf named it; a second run changed nothing` : `nothing due for ${pool} (configuration written ${state.iis?.configWritten ?? 'never'}, ${workers(state).length} worker process(es), none older); nothing changed`,
      failingCall: callText(problems.length && first.exitCode !== 0 ? first : second),
      state: first.state,
    };
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

  /** Runs every property for every host of the spec; returns the plan it generated and one row per host, script and property. */
  async simulate(specPath: string, options: SimulateOptions = {}): Promise<{ plan: Plan; rows: PropertyResult[] }> {
    const scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-simulate-'));
    try {
      const generated = await generateInto(specPath, scratch);
      // A committed tree is copied first: run-all.ps1 writes run-all.log next to itself.
      let root = generated.root;
      if (options.tree) {
        root = join(scratch, 'tree', generated.plan.environment.name);
        cpSync(join(options.tree, generated.plan.environment.name), root, { recursive: true });
      }
      return { plan: generated.plan, rows: await this.properties(generated.plan, root, options, specPath, scratch) };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  private async properties(plan: Plan, root: string, options: SimulateOptions, specPath: string, scratch: string): Promise<PropertyResult[]> {
    const results: PropertyResult[] = [];
    const exchangeOracle = await optional('./oracle-exchange.js');
    const exchangeState = await optional('./exchange-state.js');
    let directory: Directory = defaultDirectory(plan.environment);
    if (exchangeState.exchangeDefaults) directory = (exchangeState.exchangeDefaults(plan, null, directory).directory as Directory | undefined) ?? directory;
    const converged = new Map<string, SimState>();
    const pendingPolicy = new Map<string, { p: PolicyCase; governed: Expectation[]; run: RunResult; problem: string }[]>();
    const hostPlans = new Map(plan.hosts.map((h) => [h.host, h] as const));
    const oracleOf = (p: Plan, host: string): Expectation[] => [
      ...winrmExpectations(p, host),
      ...(exchangeOracle.expectationsFor ? exchangeOracle.expectationsFor(p.environment, host) : []),
    ];
    const expectations = (h: HostPlan): Expectation[] => oracleOf(plan, h.host);
    // A domain controller declares no OS of its own: it runs on the spec's defaults.os, as every host that sets none.
    const specDefaultOs = (parseDocument(readFileSync(specPath, 'utf8')).toJS() as { defaults?: { os?: string } } | null)?.defaults?.os;
    const osOf = (h: HostPlan): string | undefined => options.os ?? (h.os === null ? specDefaultOs : undefined);
    const initial = (h: HostPlan): SimState => {
      const s = defaultState(plan, h, clone(directory), osOf(h));
      if (exchangeState.exchangeDefaults) Object.assign(s, exchangeState.exchangeDefaults(plan.environment, h.host, s));
      return s;
    };
    const hostOs = new Map<string, string>();
    const policyLabel = (p: PolicyCase) => `${p.satisfies ? 'satisfying' : 'contradicting'} ${p.names.join('/')} = ${JSON.stringify(p.values)}`;
    const row = (host: string, script: string, property: PropertyName, pass: boolean, detail: string, failingCall = '') =>
      results.push({ host, os: hostOs.get(host) ?? '', script, property, pass, detail, failingCall });

    for (const stage of plan.runOrder) {
      if (stage.script === 'external-client-test.ps1') {
        const client = plan.clients.find((c) => c.folder === stage.folder);
        const proxy = plan.environment.reverseProxies.find((p) => p.publishedName === stage.folder && p.externalClient);
        if (!client || !proxy) continue;
        hostOs.set(client.label, CLIENT_OS);
        for (const r of await this.externalClient(plan, proxy, join(root, stage.path), converged, directory)) row(client.label, client.script.fileName, ...r);
        continue;
      }
      const h = hostPlans.get(stage.host);
      if (!h) continue;
      const path = join(root, stage.path);
      if (stage.script === 'run-all.ps1') {
        const start = initial(h);
        hostOs.set(h.host, String(start.host.os));
        // A proxy's backends answer as their converged state says (they run earlier in the run order).
        const proxy = plan.environment.reverseProxies.find((p) => p.host === h.host);
        if (proxy && exchangeOracle.frontEndChallenge && start.iis) {
          start.iis.upstream ??= {};
          for (const backend of proxy.backends) {
            const backendState = converged.get(backend);
            if (backendState) start.iis.upstream[backend] = exchangeOracle.frontEndChallenge(backendState, backend);
          }
        }
        const first = await this.run(start, path);
        // A host with a restart stage in the run order: run-all ends with the restart exit code and
        // says so; the oracle is read after the simulated restart, as the run order has it.
        const restartStage = plan.runOrder.find((st) => st.host === h.host && st.script === 'restart');
        const exitOk = (code: number) => code === 0 || (restartStage !== undefined && code === RESTART_EXIT_CODE);
        const settled = restartStage && first.exitCode === RESTART_EXIT_CODE ? restartHost(first.state) : first.state;
        const oracle = expectations(h);
        const failing = oracle.filter((e) => !e.holds(settled)).map((e) => e.setting);
        row(h.host, 'run-all.ps1', 'converge', exitOk(first.exitCode) && failing.length === 0,
          !exitOk(first.exitCode) ? `exit ${first.exitCode}: ${first.errors[0] ?? ''}` : failing.length ? `not as the spec says: ${failing.join('; ')}` : `${first.changes.length} change(s)`, callText(first));
        if (!exitOk(first.exitCode)) continue;
        if (restartStage) {
          // Before the restart: run-all said so (exit code and warning), and verify reports the pending restart.
          // run() copies its input: first.state is left as it is.
          const pending = await this.run({ ...first.state, directory: first.state.directory ?? directory }, join(root, `hosts/${h.folder}/verify.ps1`));
          const said = first.output.some((l) => /RESTART REQUIRED/.test(l));
          const reported = pending.output.some((l) => / FAIL /.test(l) && /PENDING REBOOT/.test(l));
          row(h.host, 'run-all.ps1', 'restart', first.exitCode === RESTART_EXIT_CODE && said && pending.exitCode !== 0 && reported,
            `run-all exit ${first.exitCode}${said ? ', RESTART REQUIRED said' : ', restart not said'}; verify before the restart exit ${pending.exitCode}${reported ? ', PENDING REBOOT reported' : ', pending restart not reported'}`, callText(pending));
        }
        converged.set(h.host, settled);
        directory = first.state.directory ?? directory;
        row(h.host, 'run-all.ps1', 'run-order', true, `ran at stage ${stage.order}; directory passed on`);

        const [second, preview] = await Promise.all([this.run(settled, path), this.run(start, path, { WhatIf: true })]);
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
        const sampled = seededSample([...cases.values()], options.maxPolicies, options.seed ?? 0, h.host, (c) => policyLabel(c.p), (c) => String(c.p.satisfies));
        pendingPolicy.set(h.host, await Promise.all(sampled.map(async ({ p, expectations: governed }) => {
          const s = clone(start);
          applyPolicy(s, p);
          const r = await this.run(s, path);
          const text = [...r.output, ...r.errors].join('\n').toLowerCase();
          const reported = text.includes('set by group policy') && p.names.every((n) => text.includes(n.toLowerCase()));
          const fought = r.changes.filter((c) => c.area === 'wsman' && ((p.wsman !== undefined && c.target.toLowerCase() === p.wsman.toLowerCase()) || (p.policyListener && /^listener http \*$/i.test(c.target)))).map((c) => `${c.target} ${c.detail}`);
          const after = restartStage && r.exitCode === RESTART_EXIT_CODE ? restartHost(r.state) : r.state;
          let problem = '';
          if (p.satisfies) {
            const failing = oracle.filter((e) => !e.holds(after)).map((e) => e.setting);
            if (!exitOk(r.exitCode)) problem = `run-all exit ${r.exitCode}: ${r.errors[0] ?? ''}`;
            else if (failing.length) problem = `not as the spec says: ${failing.join('; ')}`;
            else if (fought.length) problem = `fought: changed ${fought.join(', ')}`;
            else if (!reported) problem = 'run-all does not report the setting as set by Group Policy';
          } else {
            const settingNamed = governed.every((e) => text.includes(e.setting.toLowerCase()) || (p.wsman !== undefined && text.includes(`wsman:\\localhost\\${p.wsman}`.toLowerCase())));
            if (exitOk(r.exitCode)) problem = 'run-all exits 0 under a policy that contradicts the spec';
            else if (fought.length) problem = `wrote under the policy: ${fought.join(', ')}`;
            else if (!reported || !settingNamed) problem = `run-all fails without naming the setting and the Group Policy value: ${r.errors[0] ?? ''}`;
          }
          return { p, governed, run: { ...r, state: after }, problem };
        })));

        // Certificate renewal (property 6): for each HTTPS listener's rebind script.
        const rebinds = h.extras.filter((x): x is ScriptOf<'rebind-certificate'> => x.template === 'rebind-certificate');
        const renewalRows = await Promise.all(rebinds.map((x, i) => this.renewal({ plan, root, specPath, scratch: join(scratch, `renewal-${h.host}-${i}`), host: h, rebind: x, converged: settled, directory, expectations: oracleOf })));
        for (const r of renewalRows) row(h.host, r.script, 'renewal', r.pass, r.detail, r.failingCall);
      }
      if (stage.script === 'recycle-powershell-app-pool.ps1') {
        const state = converged.get(h.host);
        const recycle = h.extras.find((x) => x.template === 'recycle-app-pool');
        if (!state || !recycle || recycle.template !== 'recycle-app-pool') {
          row(h.host, stage.script, 'recycle', false, 'not run: run-all.ps1 did not converge');
          continue;
        }
        state.directory = clone(directory);
        const r = await this.recycleStage(state, path, recycle.data.pool);
        row(h.host, stage.script, 'recycle', r.pass, r.detail, r.failingCall);
        converged.set(h.host, r.state);
        continue;
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
          target.directory = directory;
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
          const label = policyLabel(p);
          return [h.host, 'run-all.ps1, verify.ps1', 'group-policy', problem === '', `${label}: ${problem || (p.satisfies ? 'accepted; verify passes naming it' : 'reported, nothing written under it; run-all and verify fail naming it')}`, problem ? callText(problem === runProblem ? run : pv) : ''] as const;
        }));
        for (const r of policyRows) row(...r);
        if (v.exitCode !== 0) continue;
        const oracle = seededSample(expectations(h), options.maxDrifts, options.seed ?? 0, h.host, (e) => e.setting);
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

  /**
   * The external client test, from a computer outside the network, against the published name as
   * the converged proxy and backends present it (client-state.ts): it passes; and with Basic off
   * on the far end, or a certificate the client does not trust, it fails and names the cause.
   */
  private async externalClient(plan: Plan, proxy: NonNullable<Plan['environment']['reverseProxies'][number]>, script: string, converged: Map<string, SimState>, directory: Directory): Promise<[PropertyName, boolean, string, string][]> {
    const start = clientState(plan.environment, proxy, converged, clone(directory));
    const first = await this.run(start, script);
    const passed = first.exitCode === 0 && first.changes.length === 0;
    const rows: [PropertyName, boolean, string, string][] = [
      ['verify', passed, first.exitCode !== 0 ? first.output.filter((l) => / FAIL /.test(l)).join(' | ') || (first.errors[0] ?? '') : first.changes.length ? `changed: ${first.changes.map((c) => `${c.area} ${c.target}`).join('; ')}` : 'session opened, commands imported', callText(first)],
    ];
    if (!passed) return rows;
    const endpoint = (s: SimState) => s.remote[proxy.publishedName].endpoints['https:443/PowerShell'];
    const drifts: { setting: string; drift: (s: SimState) => void; named: RegExp }[] = [
      { setting: 'Basic on the backends\' /PowerShell', drift: (s) => { endpoint(s).auth = []; }, named: /access denied/i },
      { setting: 'certificate trusted by the client', drift: (s) => { endpoint(s).trusted = false; }, named: /certificate/i },
    ];
    for (const d of drifts) {
      const drifted = clone(start);
      d.drift(drifted);
      const r = await this.run(drifted, script);
      const named = r.output.some((l) => / FAIL /.test(l) && d.named.test(l));
      rows.push(['drift', r.exitCode !== 0 && named, `${d.setting}: ${r.exitCode === 0 ? 'not detected' : named ? 'detected and named' : 'failed without naming it: ' + r.output.filter((l) => / FAIL /.test(l)).join(' | ')}`, callText(r)]);
    }
    return rows;
  }

  /**
   * Property 6: after a renewal (new thumbprint, same names, old certificate still valid), the
   * rebind script binds the new certificate and tells the operator the spec change; run-all.ps1
   * then keeps it and changes nothing, verify.ps1 passes; and once the operator has made the
   * change, the regenerated run-all.ps1 changes nothing, its verify.ps1 passes and the oracle of
   * the changed spec holds.
   */
  private async renewal(c: RenewalContext): Promise<{ script: string; pass: boolean; detail: string; failingCall: string }> {
    const data = c.rebind.data;
    const label = `HTTPS ${data.address}:${data.port}`;
    const result = (pass: boolean, detail: string, r?: RunResult) => ({ script: c.rebind.fileName, pass, detail: `${label}: ${detail}`, failingCall: r ? callText(r) : '' });
    const bound = (s: SimState) => (s.wsman.listeners ?? []).find((x: any) => lower(x.Transport) === 'https' && x.Address === data.address);
    const start = clone(c.converged);
    start.directory = clone(c.directory);
    const listener = bound(start);
    const old = listener && (start.certificates?.My ?? []).find((x: any) => lower(x.Thumbprint) === lower(listener.CertificateThumbprint));
    if (!old) return result(false, 'harness: no certificate bound after run-all.ps1');
    const renewed = renewedCertificate(old);
    start.certificates.My.push(renewed);
    const folder = join(c.root, 'hosts', c.host.folder);
    const model = c.plan.environment.exchange.find((e) => e.host === c.host.host)?.winrm?.listeners.find((l) => l.transport === 'https' && l.address === data.address && l.port === data.port);
    const kind = model?.certificate?.kind ?? 'none';

    const rebind = await this.run(start, join(folder, c.rebind.fileName), { Thumbprint: renewed.Thumbprint });
    if (rebind.exitCode !== 0) return result(false, `rebind exit ${rebind.exitCode}: ${rebind.errors[0] ?? ''}`, rebind);
    if (lower(bound(rebind.state)?.CertificateThumbprint) !== lower(renewed.Thumbprint)) return result(false, 'rebind did not bind the renewed certificate', rebind);
    const instruction = `certificate.thumbprint: ${renewed.Thumbprint}`;
    const told = kind === 'thumbprint' ? rebind.output.some((l) => l.includes(instruction)) : rebind.output.some((l) => /no spec change/i.test(l));
    if (!told) return result(false, `rebind did not tell the spec change (${kind === 'thumbprint' ? instruction : 'no spec change'}): ${rebind.output.slice(-2).join(' | ')}`, rebind);

    const again = await this.run(rebind.state, join(folder, 'run-all.ps1'));
    if (again.exitCode !== 0) return result(false, `run-all.ps1 after rebind exit ${again.exitCode}: ${again.errors[0] ?? ''}`, again);
    if (lower(bound(again.state)?.CertificateThumbprint) !== lower(renewed.Thumbprint)) return result(false, `run-all.ps1 after rebind bound ${bound(again.state)?.CertificateThumbprint} again`, again);
    if (again.changes.length > 0) return result(false, `run-all.ps1 after rebind changed: ${again.changes.map((x) => `${x.area} ${x.target} ${x.detail}`).join('; ')}`, again);
    const verify = await this.run(again.state, join(folder, 'verify.ps1'));
    if (verify.exitCode !== 0) return result(false, `verify.ps1 after rebind: ${verify.output.filter((l) => / FAIL /.test(l)).join(' | ') || (verify.errors[0] ?? '')}`, verify);
    if (kind !== 'thumbprint') return result(true, 'rebind, run-all.ps1, verify.ps1 stable; no spec change needed');

    // The operator makes the change and generates again.
    const changed = applyThumbprintChange(readFileSync(c.specPath, 'utf8'), c.host.host, data, renewed.Thumbprint);
    if (changed === null) return result(false, 'harness: the listener is not in the spec');
    mkdirSync(c.scratch, { recursive: true });
    const changedSpec = join(c.scratch, basename(c.specPath));
    writeFileSync(changedSpec, changed);
    const regenerated = await generateInto(changedSpec, c.scratch);
    const h2 = regenerated.plan.hosts.find((x) => x.host === c.host.host)!;
    const folder2 = join(regenerated.root, 'hosts', h2.folder);
    const after = await this.run(again.state, join(folder2, 'run-all.ps1'));
    if (after.exitCode !== 0 || after.changes.length > 0) return result(false, `regenerated run-all.ps1: ${after.exitCode !== 0 ? `exit ${after.exitCode}: ${after.errors[0] ?? ''}` : `changed: ${after.changes.map((x) => `${x.area} ${x.target} ${x.detail}`).join('; ')}`}`, after);
    const failing = c.expectations(regenerated.plan, h2.host).filter((e) => !e.holds(after.state)).map((e) => e.setting);
    if (failing.length > 0) return result(false, `not as the changed spec says: ${failing.join('; ')}`);
    const verify2 = await this.run(after.state, join(folder2, 'verify.ps1'));
    if (verify2.exitCode !== 0) return result(false, `regenerated verify.ps1: ${verify2.output.filter((l) => / FAIL /.test(l)).join(' | ') || (verify2.errors[0] ?? '')}`, verify2);
    return result(true, `rebind, run-all.ps1, verify.ps1 stable; told ${instruction}; regenerated run-all.ps1 changes nothing and verify.ps1 passes`);
  }
}

interface RenewalContext {
  plan: Plan;
  root: string;
  specPath: string;
  scratch: string;
  host: HostPlan;
  rebind: ScriptOf<'rebind-certificate'>;
  converged: SimState;
  directory: Directory;
  /** The oracles' expectations of one host of a plan. */
  expectations: (plan: Plan, host: string) => Expectation[];
}

const lower = (v: unknown) => String(v ?? '').toLowerCase();

/** The certificate a CA issues on renewal: same subject, issuer, names and key usage, a new thumbprint, valid from yesterday for a year past the old one. */
export function renewedCertificate(old: Record<string, any>): Record<string, any> {
  const notAfter = new Date(String(old.NotAfter));
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 1);
  return {
    ...clone(old),
    Thumbprint: createHash('sha1').update(`renewal of ${String(old.Thumbprint).toUpperCase()}`).digest('hex').toUpperCase(),
    NotBefore: new Date(Date.parse(SIM_NOW) - 86_400_000).toISOString(),
    NotAfter: notAfter.toISOString(),
  };
}

/**
 * The spec change the rebind script told the operator to make, applied to the spec's YAML:
 * `certificate.thumbprint: <new>` on the listener the script rebinds. Returns null when the
 * listener is not found.
 */
export function applyThumbprintChange(yamlText: string, host: string, listener: { address: string; port: number }, thumbprint: string): string | null {
  const doc = parseDocument(yamlText);
  const servers = doc.get('exchange');
  if (!isSeq(servers)) return null;
  for (const server of servers.items) {
    if (!isMap(server) || lower(server.get('host')) !== lower(host)) continue;
    const listeners = server.getIn(['winrm', 'listeners']);
    if (!isSeq(listeners)) return null;
    for (const l of listeners.items) {
      if (!isMap(l) || lower(l.get('transport')) !== 'https') continue;
      if (Number(l.get('port') ?? 5986) !== listener.port || String(l.get('address') ?? '*') !== listener.address) continue;
      l.setIn(['certificate', 'thumbprint'], thumbprint);
      l.deleteIn(['certificate', 'selfSigned']);
      return doc.toString();
    }
  }
  return null;
}

/** The table `npm run simulate` prints. */
export function formatTable(rows: PropertyResult[]): string {
  const header = ['host', 'os', 'script', 'property', 'result', 'detail', 'first failing call'];
  const lines = rows.map((r) => [r.host, r.os.replace(/^windows-server-/, ''), r.script, r.property, r.pass ? 'pass' : 'FAIL', r.detail.slice(0, 110), r.failingCall.slice(0, 120)]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => l[i]!.length))));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 5 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
