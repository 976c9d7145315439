/**
 * No excerpt republishes a secret: the text formatter masks the value's range for secret
 * findings in validate, generate, plan and diff --format markdown (the pull-request comment),
 * also for a `password:` key the schema refuses and in a JSON or SARIF report.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINIMAL } from './helpers/spec.js';
import { runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-secret-excerpts-'));
const SECRET = 'Summer2024xQ';
const CASES: Record<string, string> = {
  description: MINIMAL.replace('environment: lab\n', `environment: lab\nmetadata:\n  description: svc_sync password=${SECRET} until the vault is ready\n`),
  passwordKey: MINIMAL.replace('    ip: 10.2.0.20\n', `    ip: 10.2.0.20\n    password: ${SECRET}\n`),
  flow: MINIMAL.replace('    ip: 10.2.0.20\n', `    ip: 10.2.0.20\n    credentials: { password: "${SECRET}" }\n`),
  block: MINIMAL.replace('environment: lab\n', `environment: lab\nmetadata:\n  owner: >-\n    identity team token=${SECRET}\n`),
};
const base = join(dir, 'base.yaml');
writeFileSync(base, MINIMAL);

describe('secret excerpts', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`masks the value in every output (${name})`, async () => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, text);
      const runs = [
        await runCli(['validate', file], dir),
        await runCli(['validate', file, '--format', 'json'], dir),
        await runCli(['validate', file, '--format', 'sarif'], dir),
        await runCli(['generate', file, '--out', join(dir, 'out')], dir),
        await runCli(['plan', file], dir),
        await runCli(['diff', base, file, '--format', 'markdown'], dir),
        await runCli(['diff', base, file], dir),
      ];
      for (const r of runs) {
        expect(r.code).not.toBe(0);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
      }
      // The excerpt is still shown, with the value masked.
      expect(runs[0]!.stdout).toMatch(/\d \| .*\*\*/);
    });
  }
});
