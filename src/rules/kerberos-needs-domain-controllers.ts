import type { Finding, Rule } from './rule.js';
import { connections, findForest } from './facts.js';

export const rule: Rule = {
  id: 'kerberos-needs-domain-controllers',
  severity: 'error',
  description: 'A Kerberos connection targets a forest that lists no domain controllers, so ports 88 and 53 cannot be opened or tested.',
  source: 'TechNet Wiki 21759, "GALSync: Implementing Exchange Remote PowerShell Tools for FIM Galsync between 2 AD Forests", https://learn.microsoft.com/archive/technet-wiki/21759.galsync-implementing-exchange-remote-powershell-tools-for-fim-galsync-between-2-ad-forests',
  check({ spec }) {
    const findings: Finding[] = [];
    for (const c of connections(spec)) {
      if (!c.target || c.connection.authentication !== 'kerberos') continue;
      const forest = findForest(spec, c.target.server.forest);
      if (!forest || (forest.domainControllers ?? []).length > 0) continue;
      findings.push({
        path: [...c.path, 'authentication'],
        host: c.sync.host,
        message: `${c.sync.host} uses Kerberos to ${c.target.server.host}, but forest ${forest.name} lists no domain controllers`,
        hint: `List every domain controller of ${forest.name} under domainControllers: Kerberos needs TCP/UDP 88 and DNS 53 from ${c.sync.host} to each of them ("Access denied" on export, or minutes-long logons, otherwise).`,
      });
    }
    return findings;
  },
};
