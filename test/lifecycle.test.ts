/** product-lifecycle and credential-guard-delegation beyond their doc examples, on fixed days. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkText } from '../src/index.js';

function spec({ exch = '', sync = '', product = 'monosync', defaults = '', tail = '' } = {}): string {
  return `version: 1
environment: lab
${defaults ? `defaults:\n${defaults}` : ''}forests:
  - name: fabrikam.com
    domainControllers: [{ host: dc01.fabrikam.com, ip: 10.2.0.10 }]
exchange:
  - host: exch01.fabrikam.com
    forest: fabrikam.com
    remoteManagementUsers: ['FABRIKAM\\svc_sync']
${exch}syncServers:
  - host: sync01.fabrikam.com
    forest: fabrikam.com
    product: ${product}
    serviceAccount: 'FABRIKAM\\svc_sync'
${sync}    connections:
      - exchange: exch01.fabrikam.com
        uri: http://exch01.fabrikam.com/PowerShell/
        authentication: kerberos
${tail}`;
}

async function findings(text: string, day?: string, ruleId = 'product-lifecycle') {
  const { report, spec: parsed } = await checkText('spec.yaml', text, day === undefined ? {} : { today: new Date(`${day}T12:00:00Z`) });
  expect(parsed, JSON.stringify(report.diagnostics.map((d) => d.message))).toBeDefined();
  return report.diagnostics
    .filter((d) => d.ruleId === ruleId)
    .map((d) => {
      const p = report.source!.position(d.range.start);
      return { at: `${p.line}:${p.column}`, severity: d.severity, host: d.host, message: d.message, waived: d.waived !== undefined };
    });
}

describe('product-lifecycle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports Exchange 2016 and 2019 from the day after 2025-10-14, naming Exchange Server SE', async () => {
    for (const version of ['exchange-2016', 'exchange-2019']) {
      const text = spec({ exch: `    exchangeVersion: ${version}\n` });
      expect(await findings(text, '2025-10-14')).toEqual([]);
      const after = await findings(text, '2025-10-15');
      expect(after.map((f) => [f.at, f.severity, f.host])).toEqual([['10:22', 'warning', 'exch01.fabrikam.com']]);
      expect(after[0]!.message).toContain('out of support since 2025-10-14');
      expect(after[0]!.message).toContain('Exchange Server Subscription Edition is the current version');
    }
    expect(await findings(spec({ exch: '    exchangeVersion: exchange-se\n' }), '2040-01-01')).toEqual([]);
  });

  it('reports Exchange 2013 at powershell 5.1 as unable to run WMF 5.1 whatever the day, and Exchange 2010 and 2013 as errors only with defaults.strictLifecycle', async () => {
    const before = await findings(spec({ exch: '    exchangeVersion: exchange-2013\n' }), '2019-01-01');
    expect(before.map((f) => f.severity)).toEqual(['warning']);
    expect(before[0]!.message).not.toContain('out of support');
    expect(before[0]!.message).toContain('does not support Windows Management Framework 5.1');
    const after = await findings(spec({ exch: '    exchangeVersion: exchange-2013\n' }), '2026-12-01');
    expect(after[0]!.message).toContain('out of support since 2023-04-11');
    expect(after[0]!.message).toContain('#Requires -Version 5.1');
    expect(after[0]!.message).toContain("declare powershell: the version it runs ('4.0')");
    for (const version of ['exchange-2010', 'exchange-2013']) {
      const strict = await findings(spec({ exch: `    exchangeVersion: ${version}\n`, defaults: '  strictLifecycle: true\n' }), '2026-12-01');
      expect(strict.map((f) => f.severity)).toEqual(['error']);
    }
    const strict2019 = await findings(spec({ exch: '    exchangeVersion: exchange-2019\n', defaults: '  strictLifecycle: true\n' }), '2026-12-01');
    expect(strict2019.map((f) => f.severity)).toEqual(['warning']);
  });

  it('says nothing of WMF 5.1 where the scripts are written for an older Windows PowerShell (Exchange 2010 takes 2.0; a declared 4.0)', async () => {
    for (const exch of ['    exchangeVersion: exchange-2010\n', "    exchangeVersion: exchange-2013\n    powershell: '4.0'\n"]) {
      expect(await findings(spec({ exch }), '2019-01-01'), exch).toEqual([]);
      const after = await findings(spec({ exch }), '2026-12-01');
      expect(after.map((f) => f.severity), exch).toEqual(['warning']);
      expect(after[0]!.message, exch).toContain('out of support since');
      expect(after[0]!.message, exch).not.toContain('Windows Management Framework 5.1');
    }
  });

  it('makes generate refuse an unwaived Exchange 2013 with strictLifecycle: the finding is an error', async () => {
    const { report } = await checkText('spec.yaml', spec({ exch: '    exchangeVersion: exchange-2013\n', defaults: '  strictLifecycle: true\n' }), { today: new Date('2026-12-01T00:00:00Z') });
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.ruleId)).toEqual(['product-lifecycle']);
  });

  it('reports FIM 2010 R2 after 2022-10-11 and MIM 2016 only after 2029-01-09', async () => {
    expect(await findings(spec({ product: 'fim-2010-r2' }), '2022-10-11')).toEqual([]);
    const fim = await findings(spec({ product: 'fim-2010-r2' }), '2022-10-12');
    expect(fim.map((f) => [f.at, f.host])).toEqual([['13:14', 'sync01.fabrikam.com']]);
    expect(fim[0]!.message).toContain('Microsoft Identity Manager 2016 SP2 is supported until 2029-01-09');
    expect(await findings(spec({ product: 'mim-2016' }), '2029-01-09')).toEqual([]);
    expect((await findings(spec({ product: 'mim-2016' }), '2029-01-10')).map((f) => f.at)).toEqual(['13:14']);
  });

  it('notes Extended Security Updates while they run and once they have ended', async () => {
    const text = spec({ sync: '    os: windows-server-2012-r2\n' });
    expect(await findings(text, '2023-10-10')).toEqual([]);
    const during = await findings(text, '2026-10-13');
    expect(during.map((f) => f.at)).toEqual(['15:9']);
    expect(during[0]!.message).toContain('out of support since 2023-10-10');
    expect(during[0]!.message).toContain('until 2026-10-13');
    expect((await findings(text, '2026-10-14'))[0]!.message).toContain('Extended Security Updates ended on 2026-10-13');
    const r2 = await findings(spec({ sync: '    os: windows-server-2008-r2\n' }), '2023-06-01');
    expect(r2[0]!.message).toContain('Extended Security Updates ended on 2023-01-10, and run in Azure until 2024-01-09');
  });

  it('judges only a declared os: defaults.os is reported once per host at defaults, an undeclared os not at all', async () => {
    expect(await findings(spec(), '2026-12-01')).toEqual([]);
    const inherited = await findings(spec({ defaults: '  os: windows-server-2012\n' }), '2026-12-01');
    expect(inherited.map((f) => [f.at, f.host])).toEqual([
      ['4:7', 'exch01.fabrikam.com'],
      ['4:7', 'sync01.fabrikam.com'],
    ]);
  });

  it('reports FIM 2010 R2 on Windows Server 2025, which has no PowerShell 2.0 engine', async () => {
    const found = await findings(spec({ product: 'fim-2010-r2', sync: '    os: windows-server-2025\n' }), '2022-01-01');
    expect(found.map((f) => f.at)).toEqual(['15:9']);
    expect(found[0]!.message).toContain('no longer has the Windows PowerShell 2.0 engine');
  });

  it('accepts a waiver per host', async () => {
    const waived = await findings(spec({ exch: '    exchangeVersion: exchange-2013\n', tail: 'waivers:\n  - rule: product-lifecycle\n    host: exch01.fabrikam.com\n    reason: Migration to Exchange Server SE is scheduled.\n' }), '2026-12-01');
    expect(waived.map((f) => f.waived)).toEqual([true]);
  });

  it('judges on the clock when no day is passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const text = spec({ exch: '    exchangeVersion: exchange-2019\n' });
    vi.setSystemTime(new Date('2025-10-01T00:00:00Z'));
    expect(await findings(text)).toEqual([]);
    vi.setSystemTime(new Date('2025-11-01T00:00:00Z'));
    expect((await findings(text)).length).toBe(1);
  });
});

describe('credential-guard-delegation', () => {
  const delegating = '    delegation: { mode: unconstrained }\n';
  it('reports the Exchange server trusted for delegation when it runs Windows Server 2025', async () => {
    const found = await findings(spec({ exch: `    os: windows-server-2025\n${delegating}` }), undefined, 'credential-guard-delegation');
    expect(found.map((f) => [f.at, f.host])).toEqual([['10:9', 'exch01.fabrikam.com']]);
    expect(found[0]!.message).toContain('Credential Guard');
  });

  it('reports each sync server on Windows Server 2025 once, and both hosts at defaults.os', async () => {
    const both = await findings(spec({ exch: delegating, defaults: '  os: windows-server-2025\n' }), undefined, 'credential-guard-delegation');
    expect(both.map((f) => [f.at, f.host])).toEqual([
      ['4:7', 'exch01.fabrikam.com'],
      ['4:7', 'sync01.fabrikam.com'],
    ]);
  });

  it('stays silent without unconstrained delegation or without Windows Server 2025', async () => {
    expect(await findings(spec({ defaults: '  os: windows-server-2025\n' }), undefined, 'credential-guard-delegation')).toEqual([]);
    expect(await findings(spec({ exch: '    delegation: { mode: resource-based, delegateTo: [files01.fabrikam.com] }\n', defaults: '  os: windows-server-2025\n' }), undefined, 'credential-guard-delegation')).toEqual([]);
    expect(await findings(spec({ exch: delegating, defaults: '  os: windows-server-2022\n' }), undefined, 'credential-guard-delegation')).toEqual([]);
  });
});
