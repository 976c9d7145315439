import type { ScriptedHostModel } from '../model/model.js';
import { impossiblePowerShell } from '../model/powershell-version.js';
import type { ExchangeVersion, PowerShellVersion } from '../spec/spec-types.js';
import { exchangeServers, reverseProxies, syncServers } from './facts.js';
import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'powershell-version-impossible',
  severity: 'error',
  description: 'A host declares a Windows PowerShell version it cannot run: 2.0 on Windows Server 2025, a version below the one its release ships, or 5.1 on an Exchange 2010 server.',
  source:
    'PowerShell-Docs reference/docs-conceptual/windows-powershell/wmf-overview.md; Exchange Server supportability matrix (Exchange 2010 and WMF); Features removed or no longer developed in Windows Server 2025',
  check(context) {
    const findings: Finding[] = [];
    const hint =
      "Declare the version the host really runs (omit powershell to take the derived one, shown in PLAN.md): the scripts are written for it, and a script for a version the host lacks either fails to parse or calls commands that are not there.";
    const check = (section: 'exchange' | 'syncServers' | 'reverseProxies', i: number, host: { host: string; powershell?: PowerShellVersion }, model: ScriptedHostModel, exchangeVersion: ExchangeVersion | null) => {
      if (host.powershell === undefined) return;
      const why = impossiblePowerShell(host.powershell, model.os.os, exchangeVersion);
      if (why) findings.push({ path: [section, i, 'powershell'], host: host.host, message: `${host.host} declares Windows PowerShell ${host.powershell}: ${why}`, hint });
    };
    for (const x of exchangeServers(context)) check('exchange', x.index, x.server, x.model, x.model.exchangeVersion);
    for (const s of syncServers(context)) check('syncServers', s.index, s.sync, s.model, null);
    for (const p of reverseProxies(context)) check('reverseProxies', p.index, p.proxy, p.model, null);
    // A domain controller has no os field: judged against defaults.os only where the spec states one.
    const defaultOs = context.spec.defaults?.os;
    if (defaultOs !== undefined) {
      context.spec.forests.forEach((f, fi) =>
        (f.domainControllers ?? []).forEach((dc, di) => {
          const why = dc.powershell === undefined ? null : impossiblePowerShell(dc.powershell, defaultOs, null);
          if (why) findings.push({ path: ['forests', fi, 'domainControllers', di, 'powershell'], host: dc.host, message: `${dc.host} declares Windows PowerShell ${dc.powershell}: ${why}`, hint });
        }),
      );
    }
    return findings;
  },
};
