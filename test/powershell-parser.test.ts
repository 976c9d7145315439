/**
 * The real parser gate: every generated .ps1 (golden trees, every example and fixture, the init
 * templates, --eol lf, the galsync variants) parsed by PowerShell's own parser with zero errors,
 * no syntax Windows PowerShell 5.1 lacks, and no non-ASCII byte without a UTF-8 BOM.
 * One pwsh process for the whole file.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateText } from '../src/index.js';
import { packageVersion } from '../src/shared/paths.js';
import { generatedSpecs, generateSpec } from './helpers/generate.js';
import { withNewForest, withSecondExchangeServer, withSecondSyncServer } from './helpers/galsync-variants.js';
import { gateFiles, gateTree } from './helpers/parser-gate.js';
import { describeWithPwsh, PwshServer, REPO_ROOT } from './helpers/pwsh.js';
import { readRepoFile } from './helpers/spec.js';

function scriptsUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return scriptsUnder(path);
    return path.endsWith('.ps1') ? [path] : [];
  });
}

describeWithPwsh("PowerShell's own parser", (pwsh) => {
  let server: PwshServer;
  beforeAll(() => {
    server = new PwshServer(pwsh);
  });
  afterAll(async () => server.close());

  const snippet = async (text: string, bom = false) => {
    const bytes = new TextEncoder().encode(text);
    const files: [string, Uint8Array][] = [['s.ps1', bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]) : bytes]];
    return (await gateTree(server, files)).problems;
  };

  it('reports parse errors and syntax Windows PowerShell 5.1 lacks, at file:line:col', { timeout: 300_000 }, async () => {
    expect(await snippet("Write-Host -Object 'ok'\r\n")).toEqual([]);
    // A typographic quote ends a single-quoted string in PowerShell: the rest is code.
    expect((await snippet("Write-Host -Object 'it\u2019s'\r\n", true))[0]).toMatch(/^s\.ps1:1:\d+ TerminatorExpected/);
    const cases: [string, RegExp][] = [
      ['$a = $true ? 1 : 2', /^s\.ps1:1:6 ternary/],
      ['Get-Item -Path x && Get-Item -Path y', /^s\.ps1:1:1 pipeline chain &&/],
      ['Get-Item -Path x || Get-Item -Path y', /pipeline chain \|\|/],
      ['$a = $b ?? 1', /^s\.ps1:1:6 null-coalescing operator/],
      ['$a ??= 1', /null-coalescing assignment/],
      ['$a = ${b}?.Name', /null-conditional member access/],
      ['$a = ${b}?[0]', /null-conditional index/],
      ['function f { process { } clean { } }', /clean \{\} block/],
      ['1..2 | ForEach-Object -Parallel { $_ }', /ForEach-Object -Parallel/],
      ['Start-Sleep -Seconds 1 &', /background operator/],
      ['Write-Host -Object "`u{2013}"', /escape `u\{\}/],
    ];
    for (const [code, expected] of cases) {
      const problems = await snippet(`${code}\r\n`);
      expect(problems.length, code).toBe(1);
      expect(problems[0], code).toMatch(expected);
    }
    expect(await snippet("# caf\u00e9\r\nWrite-Host -Object 'x'\r\n")).toEqual([expect.stringMatching(/^s\.ps1:1:6 non-ASCII byte 0xC3/)]);
    expect(await snippet("# caf\u00e9\r\n", true)).toEqual([]);
  });

  it('finds nothing in any golden tree', { timeout: 300_000 }, async () => {
    const paths = scriptsUnder(join(REPO_ROOT, 'test', 'golden'));
    expect(paths.length).toBeGreaterThan(100);
    const result = await gateFiles(server, paths, (p) => relative(REPO_ROOT, p));
    expect(result.problems).toEqual([]);
    expect(result.parsed).toBe(paths.length);
  });

  it('finds nothing in the scripts of every example, fixture, init template and variant', { timeout: 300_000 }, async () => {
    const trees: [string, Promise<{ files?: ReadonlyMap<string, Uint8Array> }>][] = generatedSpecs.map((spec) => [spec, generateSpec(spec)]);
    const options = { specPath: 'spec.yaml', toolVersion: packageVersion() };
    for (const scenario of ['arr', 'galsync', 'monosync']) trees.push([`init ${scenario}`, generateText('spec.yaml', readRepoFile(`templates/init/${scenario}.yaml`), options)]);
    const galsync = readRepoFile('examples/galsync-fim-kerberos.yaml');
    for (const [name, variant] of [['second sync server', withSecondSyncServer], ['second Exchange server', withSecondExchangeServer], ['new forest', withNewForest]] as const) {
      trees.push([`galsync, ${name}`, generateText('spec.yaml', variant(galsync), options)]);
    }
    trees.push(['galsync, --eol lf', generateText('spec.yaml', galsync, { ...options, scriptEol: 'lf' })]);
    let parsed = 0;
    for (const [name, pending] of trees) {
      const { files } = await pending;
      expect(files, `${name} generates`).toBeDefined();
      const result = await gateTree(server, files!, `${name}: `);
      expect(result.problems).toEqual([]);
      parsed += result.parsed;
    }
    console.info(`parser gate: ${parsed} generated scripts of ${trees.length} specs parsed by PowerShell ${pwsh.includes('.tools') ? '(.tools/pwsh)' : `(${pwsh})`}`);
    expect(parsed).toBeGreaterThan(150);
  });
});
