/** Compliance baselines: the data files, the baseline-deviation rule, SARIF tags, PLAN.md's Compliance section and the CLI option. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineFiles, baselineIds, KNOWN_POLICY_VALUES, policyValueName, type BaselineFile } from '../src/rules/baselines.js';
import { exitCodeFor } from '../src/shared/diagnostics.js';
import { formatSarif } from '../src/cli/format/sarif.js';
import { checkText, generateText } from '../src/index.js';
import { rules } from '../src/rules/index.js';
import { runCli } from './helpers/run-cli.js';
import { readRepoFile, repoRoot } from './helpers/spec.js';

const folder = join(repoRoot, 'baselines');
const jsonFiles = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
const schema = JSON.parse(readRepoFile('schema/winrm-forge.schema.json')) as { $defs: { os: { enum: string[] } }; properties: { defaults: { properties: { baseline: { enum: string[] } } } } };

describe('baseline files', () => {
  it('holds DISA STIG Windows Server 2019 and 2022 and CIS Windows Server 2022 with its version pinned', () => {
    expect(jsonFiles).toEqual(['cis-windows-server-2022-v2.0.0.json', 'disa-stig-windows-server-2019.json', 'disa-stig-windows-server-2022.json']);
  });

  for (const name of jsonFiles) {
    describe(name, () => {
      const file = JSON.parse(readFileSync(join(folder, name), 'utf8')) as BaselineFile;

      it('is named after its ID and names a publisher, an OS the schema knows and a note', () => {
        expect(Object.keys(file).sort()).toEqual(['controls', 'id', 'note', 'os', 'publisher', 'title', ...(file.publisher === 'CIS' ? ['benchmarkVersion'] : [])].sort());
        expect(`${file.id}.json`).toBe(name);
        expect(['DISA', 'CIS']).toContain(file.publisher);
        expect(schema.$defs.os.enum).toContain(file.os);
        expect(file.title.length).toBeGreaterThan(10);
        expect(file.note.length).toBeGreaterThan(20);
        if (file.publisher === 'CIS') {
          expect(file.benchmarkVersion).toMatch(/^\d+\.\d+\.\d+$/);
          expect(file.id.endsWith(`-v${file.benchmarkVersion}`)).toBe(true);
        }
      });

      it('gives every control IDs of the right form, a title, a severity or level, a known policy value and a source', () => {
        expect(file.controls.length).toBeGreaterThan(0);
        const release = file.os.replace('windows-server-20', '');
        const seen = new Set<string>();
        for (const control of file.controls) {
          const keys = Object.keys(control).sort();
          expect(keys).toEqual(['ids', 'registry', 'source', 'title', file.publisher === 'DISA' ? 'severity' : 'level'].sort());
          for (const id of control.ids) {
            expect(seen.has(id), `${id} appears twice`).toBe(false);
            seen.add(id);
          }
          if (file.publisher === 'DISA') {
            expect(control.ids).toHaveLength(2);
            expect(control.ids[0]).toMatch(new RegExp(`^WN${release}-CC-\\d{6}$`));
            expect(control.ids[1]).toMatch(/^V-\d{5,6}$/);
            expect(['CAT I', 'CAT II', 'CAT III']).toContain(control.severity);
          } else {
            expect(control.ids).toHaveLength(1);
            expect(control.ids[0]).toMatch(/^\d+(\.\d+)+$/);
            expect([1, 2]).toContain(control.level);
          }
          expect(control.title.length).toBeGreaterThan(10);
          expect(control.registry.type).toBe('REG_DWORD');
          expect(KNOWN_POLICY_VALUES).toContain(policyValueName(control.registry));
          expect(control.source).toMatch(/^https:\/\/(github\.com|learn\.microsoft\.com)\//);
        }
      });
    });
  }

  it('lists the same baseline IDs in the schema as the code derives (node scripts/schema-source.mjs after adding one)', () => {
    expect(schema.properties.defaults.properties.baseline.enum).toEqual(baselineIds());
    expect(baselineIds()).toEqual(['cis-windows-server-2022-v2.0.0-l1', 'cis-windows-server-2022-v2.0.0-l2', 'disa-stig-windows-server-2019', 'disa-stig-windows-server-2022']);
    expect(baselineFiles().map((f) => f.id)).toEqual(jsonFiles.map((f) => f.slice(0, -5)));
  });
});

/** A sync server and an Exchange server on `os`; `exch` and `sync` add lines to each, `tail` after them. */
function spec({ os = 'windows-server-2022', defaults = '', exch = '', sync = '', uri = 'http://exch01.fabrikam.com/PowerShell/', auth = 'kerberos', tail = '' } = {}): string {
  return `version: 1
environment: lab
defaults:
  os: ${os}
${defaults}forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
${exch}syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    product: mim-2016
    serviceAccount: 'FABRIKAM\\svc_sync'
${sync}    connections:
      - exchange: exch01.fabrikam.com
        uri: ${uri}
        authentication: ${auth}
${tail}`;
}

async function deviations(text: string, baseline?: string) {
  const { report, spec: loaded } = await checkText('spec.yaml', text, baseline === undefined ? {} : { baseline });
  expect(loaded, JSON.stringify(report.diagnostics.map((d) => d.message))).toBeDefined();
  const mine = report.diagnostics.filter((d) => d.ruleId === 'baseline-deviation');
  return {
    report,
    found: mine.map((d) => {
      const p = report.source!.position(d.range.start);
      return `${p.line}:${p.column} ${d.host} ${d.compliance?.controls.join('/')} ${d.compliance?.severity}${d.waived ? ' waived' : ''}`;
    }),
    messages: mine.map((d) => d.message),
  };
}

describe('baseline-deviation', () => {
  it('is silent without a baseline, whatever the spec sets', async () => {
    const text = spec({ sync: '    winrmClient:\n      auth: { basic: true, digest: true }\n      allowUnencrypted: true\n' });
    expect((await deviations(text)).found).toEqual([]);
  });

  it('reports each WinRM client setting that contradicts the DISA STIG 2022 at its value', async () => {
    const text = spec({ sync: '    winrmClient:\n      auth: { basic: true, digest: true }\n      allowUnencrypted: true\n' });
    const { found, messages } = await deviations(text, 'disa-stig-windows-server-2022');
    expect(found).toEqual([
      '18:22 sync01.fabrikam.com WN22-CC-000470/V-254378 CAT I',
      '18:36 sync01.fabrikam.com WN22-CC-000490/V-254380 CAT II',
      '19:25 sync01.fabrikam.com WN22-CC-000480/V-254379 CAT II',
    ]);
    expect(messages[0]).toBe(
      'sync01.fabrikam.com: the WinRM client allows Basic (winrmClient.auth.basic: true) contradicts DISA STIG Microsoft Windows Server 2022 WN22-CC-000470 / V-254378 (CAT I: WinRM client may not use Basic authentication; HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client\\AllowBasic=0); no connection of the spec authenticates with Basic',
    );
  });

  it('reports the WinRM service settings of an Exchange server and names the connection that needs Basic', async () => {
    const exch = '    winrm:\n      listeners: [{ transport: https, certificate: { thumbprint: 6A8D7E5537D441190FD72C7C2E879A064072CE0F } }]\n      auth: { basic: true }\n      allowUnencrypted: true\n';
    const text = spec({ exch, uri: 'https://exch01.fabrikam.com:5986/wsman', auth: 'basic' });
    const { found, messages } = await deviations(text, 'disa-stig-windows-server-2022');
    expect(found).toEqual([
      '14:22 exch01.fabrikam.com WN22-CC-000500/V-254381 CAT I',
      '15:25 exch01.fabrikam.com WN22-CC-000510/V-254382 CAT II',
      '24:25 sync01.fabrikam.com WN22-CC-000470/V-254378 CAT I',
    ]);
    expect(messages[0]).toContain('needed by sync01.fabrikam.com (https://exch01.fabrikam.com:5986/wsman)');
    expect(messages[2]).toContain('the connection to https://exch01.fabrikam.com:5986/wsman authenticates with Basic');
  });

  it('applies a baseline only to hosts of its Windows Server release', async () => {
    const sync = '    winrmClient:\n      auth: { basic: true }\n';
    expect((await deviations(spec({ os: 'windows-server-2019', sync }), 'disa-stig-windows-server-2022')).found).toEqual([]);
    expect((await deviations(spec({ os: 'windows-server-2019', sync }), 'disa-stig-windows-server-2019')).found).toEqual(['18:22 sync01.fabrikam.com WN19-CC-000470/V-205711 CAT I']);
    // Without any os, hosts are assumed to run Windows Server 2012 R2, which no baseline covers.
    expect((await deviations(spec({ sync }).replace('defaults:\n  os: windows-server-2022\n', ''), 'disa-stig-windows-server-2022')).found).toEqual([]);
  });

  it('takes defaults.baseline from the spec, and --baseline over it', async () => {
    const sync = '    winrmClient:\n      auth: { basic: true }\n';
    const text = spec({ sync, defaults: '  baseline: cis-windows-server-2022-v2.0.0-l1\n' });
    expect((await deviations(text)).found).toEqual(['19:22 sync01.fabrikam.com 18.10.89.1.1 Level 1']);
    expect((await deviations(text, 'disa-stig-windows-server-2022')).found).toEqual(['19:22 sync01.fabrikam.com WN22-CC-000470/V-254378 CAT I']);
  });

  it('reports CIS Level 2 values that break a PowerShell remoting connection at its URI, and not at Level 1', async () => {
    const text = spec({ uri: 'http://exch01.fabrikam.com:5985/wsman' });
    expect((await deviations(text, 'cis-windows-server-2022-v2.0.0-l1')).found).toEqual([]);
    const { found, messages } = await deviations(text, 'cis-windows-server-2022-v2.0.0-l2');
    expect(found).toEqual(['19:14 exch01.fabrikam.com 18.10.89.2.2 Level 2', '19:14 exch01.fabrikam.com 18.10.90.1 Level 2']);
    expect(messages[0]).toContain('AllowAutoConfig=0), which breaks a connection of this spec');
    // The Exchange endpoint goes through IIS, not a WinRM listener: not reported.
    expect((await deviations(spec(), 'cis-windows-server-2022-v2.0.0-l2')).found).toEqual([]);
  });

  it('is waived per host with a reason, and a waived deviation no longer fails', async () => {
    const sync = '    winrmClient:\n      auth: { basic: true }\n';
    const tail = "waivers:\n  - rule: baseline-deviation\n    host: sync01.fabrikam.com\n    reason: 'Exception EX-42 until the agent supports Kerberos.'\n";
    const unwaived = await deviations(spec({ sync }), 'disa-stig-windows-server-2022');
    expect(exitCodeFor([unwaived.report], false)).toBe(1);
    const waived = await deviations(spec({ sync, tail }), 'disa-stig-windows-server-2022');
    expect(waived.found).toEqual(['18:22 sync01.fabrikam.com WN22-CC-000470/V-254378 CAT I waived']);
    expect(exitCodeFor([waived.report], false)).toBe(0);
  });

  it('accepts only the named control when a waiver names one, and reports a waiver whose control is not deviated', async () => {
    const sync = '    winrmClient:\n      auth: { basic: true }\n      allowUnencrypted: true\n';
    const tail = "waivers:\n  - rule: baseline-deviation\n    host: sync01.fabrikam.com\n    control: WN22-CC-000470\n    reason: 'Exception EX-42 until the agent supports Kerberos.'\n";
    const { found, report } = await deviations(spec({ sync, tail }), 'disa-stig-windows-server-2022');
    expect(found).toEqual(['18:22 sync01.fabrikam.com WN22-CC-000470/V-254378 CAT I waived', '19:25 sync01.fabrikam.com WN22-CC-000480/V-254379 CAT II']);
    expect(exitCodeFor([report], false)).toBe(1);
    const stale = await checkText('spec.yaml', spec({ sync: '    winrmClient:\n      allowUnencrypted: true\n', tail }), { baseline: 'disa-stig-windows-server-2022' });
    const unused = stale.report.diagnostics.filter((d) => d.ruleId === 'waiver-unused');
    expect(unused.map((d) => `${stale.report.source!.position(d.range.start).line} ${d.message} | ${d.hint}`)).toEqual([
      '24 The waiver of baseline-deviation (control WN22-CC-000470) for sync01.fabrikam.com matches no finding | baseline-deviation reports WN22-CC-000480 here; set control: to the one you mean.',
    ]);
  });

  it('puts the baseline, the control IDs (also as tags) and their severity into SARIF results', async () => {
    const { report } = await checkText('spec.yaml', spec({ sync: '    winrmClient:\n      auth: { basic: true }\n' }), { baseline: 'disa-stig-windows-server-2022' });
    const log = JSON.parse(formatSarif([report], { rules, docOf: () => undefined, cwd: repoRoot, toolVersion: '0.0.0' })) as { runs: { results: { ruleId: string; properties?: Record<string, unknown> }[] }[] };
    const result = log.runs[0]!.results.find((r) => r.ruleId === 'baseline-deviation');
    expect(result?.properties).toEqual({
      host: 'sync01.fabrikam.com',
      tags: ['WN22-CC-000470', 'V-254378'],
      baseline: 'disa-stig-windows-server-2022',
      controls: ['WN22-CC-000470', 'V-254378'],
      controlSeverity: 'CAT I',
    });
  });
});

function planOf(result: Awaited<ReturnType<typeof generateText>>): string {
  expect(result.files, JSON.stringify(result.report.diagnostics.map((d) => d.message))).toBeDefined();
  return Buffer.from(result.files!.get('lab/PLAN.md')!).toString('utf8');
}

describe("PLAN.md's Compliance section", () => {
  const options = { specPath: 'spec.yaml', toolVersion: '0.0.0', planOnly: true };

  it('is absent without a baseline', async () => {
    expect(planOf(await generateText('spec.yaml', spec(), options))).not.toContain('## Compliance');
  });

  it('lists every control per host as met, deviated with the waiver reason, or not applicable', async () => {
    const sync = '    winrmClient:\n      auth: { basic: true }\n';
    const tail = "waivers:\n  - rule: baseline-deviation\n    host: sync01.fabrikam.com\n    reason: 'Exception EX-42 until the agent supports Kerberos.'\n";
    const plan = planOf(await generateText('spec.yaml', spec({ sync, tail }), { ...options, baseline: 'disa-stig-windows-server-2022' }));
    const section = plan.slice(plan.indexOf('## Compliance'), plan.indexOf('## Troubleshooting'));
    expect(section).toContain('## Compliance: DISA STIG Microsoft Windows Server 2022\n');
    // The control table; the waived deviation's exception follows in a table of its own.
    const [controls, exceptions] = section.split('### Exceptions to grant in Group Policy');
    const rows = controls!.split('\n').filter((l) => l.startsWith('| exch01') || l.startsWith('| sync01'));
    expect(rows).toHaveLength(12);
    expect(exceptions!.split('\n').filter((l) => l.startsWith('| sync01'))).toHaveLength(1);
    expect(rows.map((r) => `${r.split(' | ')[0]!.slice(2)} ${r.split(' | ')[1]} ${r.split(' | ')[5]}`)).toEqual([
      'exch01.fabrikam.com WN22-CC-000470, V-254378 not applicable',
      'exch01.fabrikam.com WN22-CC-000480, V-254379 not applicable',
      'exch01.fabrikam.com WN22-CC-000490, V-254380 not applicable',
      'exch01.fabrikam.com WN22-CC-000500, V-254381 met',
      'exch01.fabrikam.com WN22-CC-000510, V-254382 met',
      'exch01.fabrikam.com WN22-CC-000520, V-254383 met',
      'sync01.fabrikam.com WN22-CC-000470, V-254378 deviated',
      'sync01.fabrikam.com WN22-CC-000480, V-254379 met',
      'sync01.fabrikam.com WN22-CC-000490, V-254380 met',
      'sync01.fabrikam.com WN22-CC-000500, V-254381 not applicable',
      'sync01.fabrikam.com WN22-CC-000510, V-254382 not applicable',
      'sync01.fabrikam.com WN22-CC-000520, V-254383 not applicable',
    ]);
    expect(rows[6]).toContain('waived: Exception EX-42 until the agent supports Kerberos.');
    expect(section).not.toContain('### Errors');
  });

  it('names the baseline values that break a connection as errors, with the exception granted', async () => {
    const tail = "waivers:\n  - rule: baseline-deviation\n    host: exch01.fabrikam.com\n    reason: 'GPO exception EX-43 keeps WinRM on for the sync account.'\n";
    const plan = planOf(await generateText('spec.yaml', spec({ uri: 'http://exch01.fabrikam.com:5985/wsman', tail }), { ...options, baseline: 'cis-windows-server-2022-v2.0.0-l2' }));
    const errors = plan.split('\n').filter((l) => l.startsWith('- **error** '));
    expect(errors).toEqual([
      '- **error** exch01.fabrikam.com: HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service\\AllowAutoConfig=0 (18.10.89.2.2): sync01.fabrikam.com opens a PowerShell remoting session to http://exch01.fabrikam.com:5985/wsman: the WinRM service would not answer remote requests, so this connection fails; exception: GPO exception EX-43 keeps WinRM on for the sync account.',
      '- **error** exch01.fabrikam.com: HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service\\WinRS\\AllowRemoteShellAccess=0 (18.10.90.1): sync01.fabrikam.com opens a PowerShell remoting session to http://exch01.fabrikam.com:5985/wsman: the WinRM service would refuse new remote shells, so this connection fails; exception: GPO exception EX-43 keeps WinRM on for the sync account.',
    ]);
  });

  it('shows a host of another Windows Server release once, as not applicable', async () => {
    const text = spec().replace("    remoteManagementUsers: ['FABRIKAM\\svc_sync']\n", "    remoteManagementUsers: ['FABRIKAM\\svc_sync']\n    os: windows-server-2019\n");
    const plan = planOf(await generateText('spec.yaml', text, { ...options, baseline: 'disa-stig-windows-server-2022' }));
    const rows = plan.split('\n').filter((l) => l.startsWith('| exch01'));
    expect(rows).toEqual(['| exch01.fabrikam.com | all |  |  |  | not applicable | exch01.fabrikam.com runs windows-server-2019, the baseline covers windows-server-2022 |']);
  });
});

describe('--baseline on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-baseline-'));
  writeFileSync(join(dir, 'spec.yaml'), spec({ sync: '    winrmClient:\n      auth: { basic: true }\n' }));

  it('validate reports the deviation with file:line:col and exits 1; an unknown baseline is a usage error', async () => {
    const r = await runCli(['validate', 'spec.yaml', '--baseline', 'disa-stig-windows-server-2022'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('spec.yaml:18:22: error sync01.fabrikam.com: the WinRM client allows Basic');
    expect(r.stdout).toContain('[baseline-deviation]');
    expect((await runCli(['validate', 'spec.yaml'], dir)).code).toBe(0);
    const unknown = await runCli(['validate', 'spec.yaml', '--baseline', 'disa-stig-windows-server-2003'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--baseline disa-stig-windows-server-2003 is not one of');
    expect(unknown.stderr).toContain('Did you mean disa-stig-windows-server-2019?');
  });

  it('plan and generate refuse while the deviation is not waived', async () => {
    const plan = await runCli(['plan', 'spec.yaml', '--baseline', 'disa-stig-windows-server-2022'], dir);
    expect(plan.code).toBe(1);
    // Findings go to standard error; standard output is kept for the plan itself.
    expect(plan.stdout).toBe('');
    expect(plan.stderr).toContain('WN22-CC-000470');
    const generate = await runCli(['generate', 'spec.yaml', '--out', join(dir, 'out'), '--baseline', 'disa-stig-windows-server-2022'], dir);
    expect(generate.code).toBe(1);
    expect(generate.stderr).toContain('nothing generated');
  });

  it('plan prints the Compliance section of a clean spec', async () => {
    writeFileSync(join(dir, 'clean.yaml'), spec());
    const plan = await runCli(['plan', 'clean.yaml', '--baseline', 'disa-stig-windows-server-2022'], dir);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('## Compliance: DISA STIG Microsoft Windows Server 2022\n');
    expect(plan.stdout).toContain('| sync01.fabrikam.com | WN22-CC-000470, V-254378 | CAT I |');
  });
});
