/**
 * The down-level gate (test/powershell/downlevel-gate.ps1): PowerShell's own AST read for every
 * construct, command and parameter a declared Windows PowerShell version lacks. Each table entry
 * is proved caught one version below the one it came in, and silent from that version on; then
 * every generated script of a host whose scripts target a version below 5.1 must pass it.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GenerateResult } from '../src/index.js';
import { generatedSpecs, generateSpec } from './helpers/generate.js';
import { describeWithPwsh, PwshServer, REPO_ROOT } from './helpers/pwsh.js';

const GATE = 'test/powershell/downlevel-gate.ps1';
const VERSIONS = ['2.0', '3.0', '4.0', '5.0', '5.1'];

interface Entry {
  Id: string;
  Since: string;
  Source: string;
  Example: string;
}

/** Gates the scripts of every host of `result` whose scripts target a version below 5.1; returns the problems and how many hosts were gated. */
async function gateDownlevel(server: PwshServer, result: GenerateResult): Promise<{ hosts: string[]; problems: string[] }> {
  const scratch = mkdtempSync(join(tmpdir(), 'winrm-forge-downlevel-'));
  try {
    const files: { path: string; version: string }[] = [];
    const names = new Map<string, string>();
    const hosts: string[] = [];
    for (const host of result.plan!.hosts) {
      const ps = host.powershell;
      if (!ps?.legacy) continue;
      hosts.push(`${host.host} ${ps.version}`);
      const prefix = `${result.plan!.environment.name}/hosts/${host.folder}/`;
      for (const [path, bytes] of result.files!) {
        if (!path.startsWith(prefix) || !path.endsWith('.ps1')) continue;
        const target = join(scratch, ...path.split('/'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, bytes);
        files.push({ path: target, version: ps.version });
        names.set(target, path);
      }
    }
    if (files.length === 0) return { hosts, problems: [] };
    const answer = await server.call<{ parsed: number; problems: Record<string, string[]> }>(GATE, { files });
    expect(answer.parsed).toBe(files.length);
    return { hosts, problems: Object.entries(answer.problems ?? {}).flatMap(([p, found]) => found.map((f) => `${names.get(p)}:${f}`)).sort() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describeWithPwsh('the down-level gate', (pwsh) => {
  let server: PwshServer;
  beforeAll(() => {
    server = new PwshServer(pwsh);
  });
  afterAll(async () => server.close());

  it('catches every table entry one version below the one it came in, and nothing from that version on', { timeout: 300_000 }, async () => {
    const table = await server.call<Entry[]>(GATE, { table: true });
    expect(table.length).toBeGreaterThan(40);
    const snippets: { text: string; version: string }[] = [];
    for (const entry of table) {
      expect(entry.Source.length, entry.Id).toBeGreaterThan(10);
      const below = VERSIONS[VERSIONS.indexOf(entry.Since) - 1];
      expect(below, `${entry.Id} came in ${entry.Since}`).toBeDefined();
      snippets.push({ text: entry.Example, version: below! }, { text: entry.Example, version: entry.Since });
    }
    const answers = await server.call<string[][]>(GATE, { snippets });
    table.forEach((entry, i) => {
      const caught = (answers[2 * i] ?? []).map((line) => line.split(' ')[0]);
      expect([...new Set(caught)], `${entry.Id}: ${entry.Example}`).toEqual([entry.Id.split(' ')[0]]);
      expect(answers[2 * i]!.join('\n'), entry.Id).toContain(`(Windows PowerShell ${entry.Since}; `);
      expect(answers[2 * i + 1] ?? [], `${entry.Id} at ${entry.Since}`).toEqual([]);
    });
  });

  it('finds what Windows PowerShell 2.0 lacks in the 5.1 scripts of the every-branch fixture', { timeout: 300_000 }, async () => {
    const result = await generateSpec('test/fixtures/generate/every-branch.yaml');
    // Read as if the host ran 2.0 (a copy: the generated result is shared): the gate must see the 5.1 forms there.
    const host = { ...result.plan!.hosts.find((h) => h.role === 'exchange')!, powershell: { version: '2.0' as const, declared: true, reason: 'test', v2: true, legacy: true } };
    const { problems } = await gateDownlevel(server, { ...result, plan: { ...result.plan!, hosts: [host] } });
    const ids = new Set(problems.map((p) => p.split(' ')[1]));
    for (const id of ['attribute-argument-omitted', 'requires-run-as-administrator', 'requires-version', 'strict-mode-latest', 'Get-CimInstance']) expect(ids, id).toContain(id);
  });

  it('passes every script of every host whose scripts target a version below 5.1', { timeout: 300_000 }, async () => {
    const gated: string[] = [];
    const simulated = readdirSync(join(REPO_ROOT, 'test', 'fixtures', 'simulate')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `test/fixtures/simulate/${f}`);
    for (const spec of [...generatedSpecs, ...simulated]) {
      const { hosts, problems } = await gateDownlevel(server, await generateSpec(spec));
      expect(problems, spec).toEqual([]);
      gated.push(...hosts);
    }
    // The seed's own platform: the FIM server of the galsync example runs 2.0, and its scripts are written for it.
    expect(gated).toContain('fim01.corp.contoso.com 2.0');
    expect(gated).toContain('cas01.fabrikam.com 2.0');
    // With WMF 4.0 declared on both (test/fixtures/simulate/galsync-powershell-4.yaml).
    expect(gated).toContain('cas01.fabrikam.com 4.0');
    // IIS ARR on Windows Server 2008 R2 (test/fixtures/simulate/arr-windows-2008-r2.yaml): its derived 2.0 and a declared 4.0, and the
    // every-branch proxies declaring it (with and without a thumbprint).
    expect(gated).toContain('arr01.contoso.com 2.0');
    expect(gated).toContain('arr02.contoso.com 4.0');
    expect(gated).toContain('arr02.fabrikam.com 2.0');
    // A domain controller declaring 2.0 (test/fixtures/simulate/every-branch-powershell-2.yaml): delegation, TGT delegation and verify.
    expect(gated).toContain('dc01.fabrikam.com 2.0');
  });
});

