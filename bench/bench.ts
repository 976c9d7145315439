/**
 * `npm run bench`: times each command of bench/stages.ts on synthetic estates of growing size,
 * and the cold start of `winrm-forge validate` against a bare `node -e 0`, each run in a fresh
 * process; prints medians as markdown next to the targets of the issue. Figures go in
 * BENCHMARKS.md. BENCH_RUNS (default 5) and BENCH_COLD_RUNS (default 15) set the repetitions,
 * BENCH_SIZES (default 10,100,1000,5000; add 10000 for the last scaling step) the estates, and
 * BENCH_STAGES (comma-separated names, default all; `hostile` and `cold start` name the last
 * two sections) the commands.
 * Figures that have a floor or a reference (AGAINST in stages.ts) are shown with the ratio to it,
 * the two run in turn, run by run (the ratio is the median of the pairs'); targets are ratios,
 * never absolute times.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estateShape, syntheticEstate } from './estate.js';
import { hostileInputs } from './hostile.js';
import { AGAINST, SETUP, SETUP_ONLY, STAGES } from './stages.js';

const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000,5000').split(',').map(Number);
const ONLY = process.env.BENCH_STAGES?.split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);

/** Targets from the issue. Validate runs inside generate, so generate's budget bounds it too. */
const BUDGET_AT = 1_000;
const BUDGET = { ms: 1_000, mb: 150 };
const SCALING_TARGET = 5.5;
const COLD_START_TARGET = 2;
const HOSTILE_TARGET = { ms: 2_000, mb: 200 };

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const child = join(here, 'child.js');
const bin = join(root, 'dist', 'src', 'bin.js');
const example = join(root, 'examples', 'galsync-fim-kerberos.yaml');

interface Measure {
  wallMs: number;
  commandMs: number;
  /** User + system CPU time of the child process. */
  cpuMs: number;
  peakMb: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Wall time of a process, from spawn to exit, as seen by this one. */
function timed(args: string[]): { ms: number; stdout: string; status: number | null; stderr: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** One run of `stage` on `spec` in a fresh process, in a new folder named by `tag`; a clean spec must give exit 0, a hostile one exit 1 or 2. */
function measureRun(stage: string, spec: string, work: string, tag: string, expect: 'clean' | 'refused'): Measure {
  const out = join(work, `${stage}-${tag}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const setup = SETUP[stage];
  if (setup !== undefined) {
    const prepared = timed([child, setup, spec, out]);
    if (prepared.status !== 0) throw new Error(`${setup} ${spec} (setup of ${stage}) failed (exit ${prepared.status}): ${prepared.stderr}`);
  }
  const result = timed([child, stage, spec, out]);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || last === '') throw new Error(`${stage} ${spec} failed (exit ${result.status}): ${result.stderr}`);
  const parsed = JSON.parse(last) as { code: number; commandMs: number; cpuMs: number; maxRssMiB: number };
  if (expect === 'clean' && parsed.code !== 0) throw new Error(`${stage} ${spec} exited ${parsed.code}: the synthetic estate must be clean. ${result.stderr}`);
  if (expect === 'refused' && parsed.code !== 1 && parsed.code !== 2) throw new Error(`${stage} ${spec} exited ${parsed.code}: hostile input must be refused. ${result.stderr}`);
  return { wallMs: result.ms, commandMs: parsed.commandMs, cpuMs: parsed.cpuMs, peakMb: (parsed.maxRssMiB * 1024 * 1024) / 1e6 };
}

const medians = (runs: Measure[]): Measure => ({ wallMs: median(runs.map((r) => r.wallMs)), commandMs: median(runs.map((r) => r.commandMs)), cpuMs: median(runs.map((r) => r.cpuMs)), peakMb: median(runs.map((r) => r.peakMb)) });

/** Median figures of `stage` on `spec` over RUNS runs. */
function measureStage(stage: string, spec: string, work: string, expect: 'clean' | 'refused' = 'clean'): Measure {
  return medians(Array.from({ length: RUNS }, (_, run) => measureRun(stage, spec, work, String(run), expect)));
}

/**
 * A row and its reference run in turn, run by run, so that a slow moment of a shared machine
 * slows both: the ratio is the median of the pairs' ratios (wall time and CPU time), each side's
 * figures the medians of its runs here.
 */
function measurePaired(stage: string, reference: string, spec: string, work: string): { row: Measure; reference: Measure; ratio: number; cpuRatio: number } {
  const pairs = Array.from({ length: RUNS }, (_, run) => ({ reference: measureRun(reference, spec, work, `paired-${run}`, 'clean'), row: measureRun(stage, spec, work, `paired-${run}`, 'clean') }));
  return {
    row: medians(pairs.map((p) => p.row)),
    reference: medians(pairs.map((p) => p.reference)),
    ratio: median(pairs.map((p) => p.row.wallMs / p.reference.wallMs)),
    cpuRatio: median(pairs.map((p) => p.row.cpuMs / p.reference.cpuMs)),
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

function machine(): string[] {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `- CPUs: ${availableParallelism()} (nproc) x ${cpu}`,
    `- memory: ${fmt(totalmem() / 1024 ** 3, 1)} GiB`,
    `- Node.js ${process.version} on ${process.platform} ${release()}`,
    `- runs: median of ${RUNS} per figure (cold start: ${COLD_RUNS}), each in a fresh process`,
    `- load average when the run started: ${loadavg().map((l) => fmt(l, 2)).join(', ')} (other work on the machine slows every figure)`,
  ];
}

/** A stage other rows are measured against. */
const isReference = (stage: string) => Object.values(AGAINST).some((a) => a.reference === stage);

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'winrm-forge-bench-'));
  const lines: string[] = ['## Machine', '', ...machine(), ''];
  try {
    const specs = SIZES.map((hosts) => {
      const file = join(work, `estate-${hosts}.yaml`);
      writeFileSync(file, syntheticEstate(hosts));
      return { hosts, file, bytes: statSync(file).size, shape: estateShape(hosts) };
    });

    const stages = Object.keys(STAGES).filter((s) => !SETUP_ONLY.has(s) && (ONLY === undefined || ONLY.includes(s)));
    // References first: their own figures, then each row that is measured against one.
    stages.sort((a, b) => Number(isReference(b)) - Number(isReference(a)));
    for (const stage of stages) {
      const against = AGAINST[stage];
      lines.push(
        `## ${stage}`,
        '',
        ...(against ? [`Run in turn with ${against.reference}, run by run: the ${against.reference} figures are of those runs, the ratios the medians of the pairs' ratios.`, ''] : []),
        `| hosts | forests | Exchange | sync | spec size | wall time (ms) | in-process (ms) | CPU (ms) | peak RSS (MB) |${against ? ` ${against.reference} (ms) | ratio | ratio by CPU |` : ''} target |`,
        `|---:|---:|---:|---:|---:|---:|---:|---:|---:|${against ? '---:|---:|---:|' : ''}---|`,
      );
      const byHosts = new Map<number, Measure>();
      for (const spec of specs) {
        const paired = against === undefined ? undefined : measurePaired(stage, against.reference, spec.file, work);
        const m = paired?.row ?? measureStage(stage, spec.file, work);
        byHosts.set(spec.hosts, m);
        const floor = paired?.reference;
        const ratio = paired?.ratio;
        const targets: string[] = [];
        if (spec.hosts === BUDGET_AT && (stage === 'generate' || stage === 'validate')) targets.push(`<= ${fmt(BUDGET.ms)} ms and <= ${BUDGET.mb} MB: ${verdict(m.wallMs <= BUDGET.ms && m.peakMb <= BUDGET.mb)}`);
        if (ratio !== undefined && spec.hosts >= BUDGET_AT) targets.push(`<= ${against!.target}x ${against!.reference}: ${verdict(ratio <= against!.target)}`);
        const s = spec.shape;
        lines.push(
          `| ${fmt(spec.hosts)} | ${s.targetForests + 1} | ${fmt(s.exchangeServers)} | ${s.syncServers} | ${fmt(spec.bytes / 1024)} KiB | ${fmt(m.wallMs)} | ${fmt(m.commandMs)} | ${fmt(m.cpuMs)} | ${fmt(m.peakMb)} |${floor ? ` ${fmt(floor.wallMs)} | ${fmt(ratio!, 2)} | ${fmt(paired!.cpuRatio, 2)} |` : ''} ${targets.join('; ')} |`,
        );
        process.stderr.write(`${stage} ${spec.hosts}: ${fmt(m.wallMs)} ms, ${fmt(m.cpuMs)} ms CPU, ${fmt(m.peakMb)} MB\n`);
      }
      lines.push('');
      for (const [from, to] of [[1_000, 5_000], [5_000, 10_000]] as const) {
        const small = byHosts.get(from);
        const large = byHosts.get(to);
        if (!small || !large) continue;
        const ratio = large.wallMs / small.wallMs;
        lines.push(`t(${fmt(to)}) / t(${fmt(from)}) = ${fmt(ratio, 2)} wall time, ${fmt(large.commandMs / small.commandMs, 2)} in-process (target <= ${SCALING_TARGET}: ${verdict(ratio <= SCALING_TARGET)})`, '');
      }
    }

    if (ONLY === undefined || ONLY.includes('hostile')) {
      lines.push(
        '## Hostile input (validate)',
        '',
        `Each refused with one located diagnostic (see test/limits.test.ts); target: under ${fmt(HOSTILE_TARGET.ms)} ms and ${HOSTILE_TARGET.mb} MB each.`,
        '',
        '| input | size | wall time (ms) | in-process (ms) | peak RSS (MB) | target |',
        '|---|---:|---:|---:|---:|---|',
      );
      for (const [name, text] of Object.entries(hostileInputs())) {
        const file = join(work, `hostile-${name}.yaml`);
        writeFileSync(file, text);
        const m = measureStage('validate', file, work, 'refused');
        const size = statSync(file).size;
        rmSync(file);
        lines.push(`| ${name} | ${size >= 1024 * 1024 ? `${fmt(size / 1024 / 1024, 1)} MiB` : `${fmt(size / 1024, 1)} KiB`} | ${fmt(m.wallMs)} | ${fmt(m.commandMs)} | ${fmt(m.peakMb)} | ${verdict(m.wallMs < HOSTILE_TARGET.ms && m.peakMb < HOSTILE_TARGET.mb)} |`);
        process.stderr.write(`hostile ${name}: ${fmt(m.wallMs)} ms, ${fmt(m.peakMb)} MB\n`);
      }
      lines.push('');

    }
    if (ONLY === undefined || ONLY.includes('cold start')) {
      const cold: number[] = [];
      const bare: number[] = [];
      for (let run = 0; run < COLD_RUNS; run++) {
        // Interleaved, so that a slow moment of the machine hits both.
        bare.push(timed(['-e', '0']).ms);
        const r = timed([bin, 'validate', example]);
        if (r.status !== 0) throw new Error(`winrm-forge validate ${example} exited ${r.status}: ${r.stdout}${r.stderr}`);
        cold.push(r.ms);
      }
      const coldRatio = median(cold) / median(bare);
      lines.push(
        '## Cold start',
        '',
        '| command | wall time (ms) |',
        '|---|---:|',
        '| `node -e 0` | ' + fmt(median(bare)) + ' |',
        '| `winrm-forge validate examples/galsync-fim-kerberos.yaml` | ' + fmt(median(cold)) + ' |',
        '',
        `validate / bare node = ${fmt(coldRatio, 2)} (target <= ${COLD_START_TARGET}: ${verdict(coldRatio <= COLD_START_TARGET)})`,
        '',
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  lines.push(`Load average when the run ended: ${loadavg().map((l) => fmt(l, 2)).join(', ')}.`, '');
  process.stdout.write(lines.join('\n'));
}

main();
