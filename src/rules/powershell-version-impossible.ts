import { ASSUMED_OS } from '../model/model.js';
import { impossiblePowerShell } from '../model/powershell-version.js';
import type { ExchangeVersion, OsVersion, PowerShellVersion } from '../spec/spec-types.js';
import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'powershell-version-impossible',
  severity: 'error',
  description: 'A host declares a Windows PowerShell version it cannot run: 2.0 on Windows Server 2025, a version below the one its release ships, or 5.1 on an Exchange 2010 server.',
  source:
    'PowerShell-Docs reference/docs-conceptual/windows-powershell/wmf-overview.md; Exchange Server supportability matrix (Exchange 2010 and WMF); Features removed or no longer developed in Windows Server 2025',
  check({ spec }) {
    const findings: Finding[] = [];
    const hint =
      "Declare the version the host really runs (omit powershell to take the derived one, shown in PLAN.md): the scripts are written for it, and a script for a version the host lacks either fails to parse or calls commands that are not there.";
    const defaults = spec.defaults ?? {};
    const check = (section: 'exchange' | 'syncServers' | 'reverseProxies', i: number, host: { host: string; os?: OsVersion; powershell?: PowerShellVersion }, exchangeVersion: ExchangeVersion | null) => {
      if (host.powershell === undefined) return;
      const os = host.os ?? defaults.os ?? ASSUMED_OS;
      const why = impossiblePowerShell(host.powershell, os, exchangeVersion);
      if (why) findings.push({ path: [section, i, 'powershell'], host: host.host, message: `${host.host} declares Windows PowerShell ${host.powershell}: ${why}`, hint });
    };
    spec.exchange.forEach((x, i) => check('exchange', i, x, x.exchangeVersion ?? defaults.exchangeVersion ?? null));
    (spec.syncServers ?? []).forEach((s, i) => check('syncServers', i, s, null));
    (spec.reverseProxies ?? []).forEach((p, i) => check('reverseProxies', i, p, null));
    // A domain controller has no os field: judged against defaults.os only where the spec states one.
    if (defaults.os !== undefined) {
      spec.forests.forEach((f, fi) =>
        (f.domainControllers ?? []).forEach((dc, di) => {
          const why = dc.powershell === undefined ? null : impossiblePowerShell(dc.powershell, defaults.os!, null);
          if (why) findings.push({ path: ['forests', fi, 'domainControllers', di, 'powershell'], host: dc.host, message: `${dc.host} declares Windows PowerShell ${dc.powershell}: ${why}`, hint });
        }),
      );
    }
    return findings;
  },
};
