/**
 * Fuzzing: thousands of mutated and generated specs through the whole pipeline, generation
 * (in memory) included. Nothing may throw, every rejection must carry a rule ID and a location
 * inside the file, and every accepted spec must render files.
 * Bounded by count and by time: FUZZ_RUNS (default 2,500) and FUZZ_SECONDS (default 90),
 * whichever comes first. The seed is fixed per commit (test/helpers/fast-check-setup.ts): FC_SEED
 * replays a failing run, FC_RANDOM=1 explores.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzInput } from './helpers/fuzz-specs.js';
import { gateTree } from './helpers/parser-gate.js';
import { outcomeProblems, pipeline } from './helpers/pipeline.js';
import { propertySeed } from './helpers/property.js';
import { describeWithPwsh, PwshServer } from './helpers/pwsh.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2_500);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 90);

describe('the fuzzing oracle', () => {
  it('flags a rejection without a located, identified error', async () => {
    const outcome = await pipeline('version: 1\n');
    expect(outcomeProblems(outcome)).toEqual([]);
    const broken = { ...outcome, report: { ...outcome.report, diagnostics: outcome.report.diagnostics.slice(0, 1).map((d) => ({ ...d, ruleId: 'Bad Rule', range: { start: 5, end: 99 } })) } };
    expect(outcomeProblems(broken)).toEqual([
      expect.stringContaining('is not kebab-case'),
      expect.stringContaining('range 5-99 is outside the file (length 11)'),
    ]);
    expect(outcomeProblems({ ...outcome, report: { ...outcome.report, diagnostics: [] } })).toEqual(['rejected without an error diagnostic']);
  });

  it('keeps ranges inside the file for problems at its very end (found by the fuzzer)', async () => {
    for (const text of ['&a ', 'version: 1\nenvironment: lab\nforests: [', 'version: 1\nforests:\n  - ']) {
      expect(outcomeProblems(await pipeline(text)), text).toEqual([]);
    }
  });
});

describe('fuzzing load, validate and generate', () => {
  it(`survives ${RUNS} mutated and generated specs`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    const tally = { runs: 0, accepted: 0, files: 0, rules: new Set<string>() };
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fuzzInput, async (input) => {
        tally.runs++;
        const outcome = await pipeline(input);
        if (outcome.accepted) {
          tally.accepted++;
          tally.files += outcome.files?.size ?? 0;
        }
        for (const d of outcome.report.diagnostics) tally.rules.add(d.ruleId);
        expect(outcomeProblems(outcome)).toEqual([]);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.info(`fuzz: ${tally.runs} specs in ${seconds} s, ${tally.accepted} accepted and generated (${tally.files} files), ${tally.rules.size} distinct rules: ${[...tally.rules].sort().join(' ')}`);
    expect(tally.runs).toBeGreaterThan(0);
    // The inputs must reach every stage: YAML errors and schema errors both appear.
    if (tally.runs >= 1_000) {
      expect([...tally.rules].some((r) => r.startsWith('yaml-'))).toBe(true);
      expect([...tally.rules].some((r) => r.startsWith('schema-'))).toBe(true);
      // ...and some specs pass every check, so that the generator runs on them.
      expect(tally.accepted).toBeGreaterThan(0);
      expect(tally.files).toBeGreaterThan(tally.accepted);
    }
  });
});

describeWithPwsh("fuzzed specs' scripts through PowerShell's parser", (pwsh) => {
  let server: PwshServer;
  beforeAll(() => {
    server = new PwshServer(pwsh);
  });
  afterAll(async () => server.close());

  // A bounded sample: the accepted specs among the first FUZZ_GATE_SPECS (default 600) of the
  // run's seed, at most 400 distinct scripts.
  it('parses every script of a sample of accepted fuzzed specs with zero problems', { timeout: 180_000 }, async () => {
    const inputs = fc.sample(fuzzInput, { numRuns: Number(process.env.FUZZ_GATE_SPECS ?? 600), seed: propertySeed(process.env).seed });
    const scripts = new Map<string, Uint8Array>();
    const seen = new Set<string>();
    let accepted = 0;
    for (const [n, input] of inputs.entries()) {
      if (scripts.size >= 400) break;
      const outcome = await pipeline(input);
      if (!outcome.accepted || !outcome.files) continue;
      accepted++;
      for (const [path, bytes] of outcome.files) {
        if (!path.endsWith('.ps1') || scripts.size >= 400) continue;
        const hash = createHash('sha256').update(bytes).digest('hex');
        if (seen.has(hash)) continue;
        seen.add(hash);
        scripts.set(`spec-${n}/${path}`, bytes);
      }
    }
    const result = await gateTree(server, scripts);
    console.info(`fuzz parser gate: ${result.parsed} distinct scripts of ${accepted} accepted specs`);
    expect(result.problems).toEqual([]);
    expect(result.parsed).toBeGreaterThan(0);
  });
});
