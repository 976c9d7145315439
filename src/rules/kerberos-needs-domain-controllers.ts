import type { Finding, Rule } from './rule.js';
import { connections, forestEntry } from './facts.js';

export const rule: Rule = {
  id: 'kerberos-needs-domain-controllers',
  severity: 'error',
  description: 'A Kerberos connection targets a forest that lists no domain controllers, so ports 88 and 53 cannot be opened or tested.',
  source: 'TechNet Wiki 21759, "GALSync: Implementing Exchange Remote PowerShell Tools for FIM Galsync between 2 AD Forests", https://learn.microsoft.com/archive/technet-wiki/21759.galsync-implementing-exchange-remote-powershell-tools-for-fim-galsync-between-2-ad-forests',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.target || c.connection.authentication !== 'kerberos') continue;
      // An undeclared forest is unknown-forest's finding.
      const forestModel = c.target.model.forestModel;
      if (!forestModel || forestModel.domainControllers.length > 0) continue;
      const forest = forestEntry(context, forestModel);
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
