import { dayOf, ended, EXCHANGE_LIFECYCLE, EXCHANGE_WITHOUT_WMF51, OS_LIFECYCLE, SYNC_LIFECYCLE, WMF51_COMPATIBILITY } from './lifecycle.js';
import type { OsVersion } from '../spec/spec-types.js';
import type { ScriptedHostModel } from '../model/model.js';
import { exchangeServers, reverseProxies, settingPath, syncServers, type Facts } from './facts.js';
import type { Finding, Rule, SpecPath } from './rule.js';

interface DeclaredOs {
  host: string;
  os: OsVersion;
  path: SpecPath;
}

/** Every managed host whose Windows Server release the spec declares, itself or through defaults (the model's OS facts say which). */
function declaredOs(facts: Facts): DeclaredOs[] {
  const of = (list: 'exchange' | 'syncServers' | 'reverseProxies', hosts: readonly { entry: { host: string }; model: ScriptedHostModel; index: number }[]): DeclaredOs[] =>
    hosts.flatMap(({ entry, model, index }): DeclaredOs[] => {
      const path = settingPath(model.os.source, [list, index, 'os'], 'os');
      return path ? [{ host: entry.host, os: model.os.os, path }] : [];
    });
  return [
    ...of('exchange', exchangeServers(facts).map((x) => ({ entry: x.server, model: x.model, index: x.index }))),
    ...of('syncServers', syncServers(facts).map((s) => ({ entry: s.sync, model: s.model, index: s.index }))),
    ...of('reverseProxies', reverseProxies(facts).map((p) => ({ entry: p.proxy, model: p.model, index: p.index }))),
  ];
}

/**
 * Products and Windows Server releases past Microsoft's end of extended support, judged on the
 * day the linter runs (`today`): no security updates, and no help from Microsoft when remote
 * PowerShell breaks. Exchange 2010 and 2013 also cannot run WMF 5.1, which the scripts for a host
 * at powershell 5.1 require; defaults.strictLifecycle makes them errors.
 */
export const rule: Rule = {
  id: 'product-lifecycle',
  severity: 'warning',
  description: 'A declared Exchange version, sync product or Windows Server release is past Microsoft\'s end of support, or lacks what the generated scripts need.',
  source: 'https://learn.microsoft.com/lifecycle/products/ (Exchange Server, Forefront and Microsoft Identity Manager, Windows Server); https://learn.microsoft.com/windows-server/get-started/extended-security-updates-overview; MicrosoftDocs/PowerShell-Docs reference/docs-conceptual/windows-powershell/wmf/whats-new/compatibility.md',
  check(context) {
    const { spec } = context;
    const today = dayOf(context.today);
    const findings: Finding[] = [];
    const strict = spec.defaults?.strictLifecycle === true;
    const current = EXCHANGE_LIFECYCLE['exchange-se'].name;

    for (const { server, model, index: i } of exchangeServers(context)) {
      const version = model.exchangeVersion;
      const path = settingPath(model.exchangeVersionSource, ['exchange', i, 'exchangeVersion'], 'exchangeVersion');
      if (version === null || !path) continue;
      const life = EXCHANGE_LIFECYCLE[version];
      const noWmf51 = EXCHANGE_WITHOUT_WMF51.includes(version);
      // Scripts written for the host's older Windows PowerShell (powershell below 5.1) need no WMF 5.1.
      const needsWmf51 = noWmf51 && model.powershell.version === '5.1';
      if (!ended(life.end, today) && !needsWmf51) continue;
      const parts = [
        ...(ended(life.end, today) ? [`${server.host} runs ${life.name}, out of support since ${life.end} (${life.source}): no security updates, and ${current} is the current version`] : []),
        ...(needsWmf51 ? [`${life.name} does not support Windows Management Framework 5.1 (${WMF51_COMPATIBILITY}), and the scripts for ${server.host} are written for Windows PowerShell 5.1 (#Requires -Version 5.1), so running them there is outside support; declare powershell: the version it runs (${version === 'exchange-2010' ? "'2.0', or '4.0' from Exchange 2010 SP3 RU5" : "'4.0'"}) to get scripts written for it`] : []),
      ];
      findings.push({
        path,
        host: server.host,
        message: parts.join('; '),
        hint: `Move to ${current} (exchangeVersion: exchange-se): in place from Exchange 2019 CU14 or later, side by side from Exchange 2016; Exchange 2013 and older must be removed before the first ${current} server is installed. Until then waive this rule for ${server.host} with the migration date.`,
        ...(strict && noWmf51 ? { severity: 'error' as const } : {}),
      });
    }

    (spec.syncServers ?? []).forEach((sync, i) => {
      const life = SYNC_LIFECYCLE[sync.product];
      if (!life || !ended(life.end, today)) return;
      const successor = SYNC_LIFECYCLE['mim-2016']!;
      const next = ended(successor.end, today) ? `${successor.name} also ended on ${successor.end}` : `${successor.name} is supported until ${successor.end} (${successor.source})`;
      findings.push({
        path: ['syncServers', i, 'product'],
        host: sync.host,
        message: `${sync.host} runs ${life.name}, out of support since ${life.end} (${life.source}); ${next}`,
        hint: `Upgrade the sync engine (product: mim-2016, at SP2 or later), or waive this rule for ${sync.host} with the migration date.`,
      });
    });

    for (const h of declaredOs(context)) {
      const life = OS_LIFECYCLE[h.os];
      if (ended(life.end, today)) {
        const esu = life.esu
          ? ended(life.esu.end, today)
            ? `; Extended Security Updates ended on ${life.esu.end}${life.esu.azureEnd ? (ended(life.esu.azureEnd, today) ? ` (${life.esu.azureEnd} in Azure)` : `, and run in Azure until ${life.esu.azureEnd}`) : ''}`
            : `; only Extended Security Updates (purchased, or included in Azure) still bring security fixes, until ${life.esu.end}`
          : '';
        findings.push({
          path: h.path,
          host: h.host,
          message: `${h.host} runs ${life.name}, out of support since ${life.end} (${life.source})${esu}`,
          hint: `Move ${h.host} to a supported Windows Server release and declare it in os, or waive this rule for ${h.host} with the migration date.`,
        });
      }
    }

    // Windows Server 2025 no longer has the Windows PowerShell 2.0 engine: a sync engine of the
    // PowerShell 2.0 era on it loses what its management agents may start.
    for (const { sync, model, index: i } of syncServers(context)) {
      const path = settingPath(model.os.source, ['syncServers', i, 'os'], 'os');
      if (model.os.os !== 'windows-server-2025' || sync.product !== 'fim-2010-r2' || !path) continue;
      findings.push({
        path,
        host: sync.host,
        message: `${sync.host} runs Forefront Identity Manager 2010 R2 on Windows Server 2025, which no longer has the Windows PowerShell 2.0 engine: anything that starts it there (powershell.exe -Version 2, a management agent script written for PowerShell 2.0) fails; the generated scripts need Windows PowerShell 5.1 only`,
        hint: `Run the sync engine on a release it supports (Microsoft Identity Manager 2016 SP2 on Windows Server 2016 or later), or waive this rule for ${sync.host} once no management agent needs PowerShell 2.0.`,
      });
    }
    return findings;
  },
};
