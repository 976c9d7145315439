/**
 * One measured run in a process of its own: `node dist/bench/child.js <stage> <spec> <out>`.
 * Prints JSON: the time the command took in this process (module loading included), the CPU time
 * (user + system) of the whole process and its peak resident memory.
 */
const [stageName, spec, out] = process.argv.slice(2);
const started = performance.now();
const { STAGES } = await import('./stages.js');
const stage = STAGES[stageName ?? ''];
if (stage === undefined || spec === undefined || out === undefined) {
  process.stderr.write(`usage: child.js <${Object.keys(STAGES).join('|')}> <spec> <out>\n`);
  process.exit(2);
}
const code = await stage(spec, out);
const commandMs = performance.now() - started;
const usage = process.resourceUsage();
// CPU time says what the command cost on a machine shared with other work, where wall time does not.
process.stdout.write(JSON.stringify({ code, commandMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssMiB: usage.maxRSS / 1024 }) + '\n');
