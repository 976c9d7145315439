/**
 * One measured run in a process of its own: `node dist/bench/child.js <stage> <spec> <out>`.
 * Prints JSON: the time the command took in this process (module loading included) and the
 * process's peak resident memory.
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
process.stdout.write(JSON.stringify({ code, commandMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
