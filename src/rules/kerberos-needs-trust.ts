import type { Finding, Rule } from './rule.js';
import { connections, trustsBetween } from './facts.js';
import { sameName } from './wording.js';

export const rule: Rule = {
  id: 'kerberos-needs-trust',
  severity: 'error',
  description: 'A Kerberos connection crosses forests that have no trust between them.',
  source: 'TechNet Wiki 21759, "GALSync: Implementing Exchange Remote PowerShell Tools for FIM Galsync between 2 AD Forests", https://learn.microsoft.com/archive/technet-wiki/21759.galsync-implementing-exchange-remote-powershell-tools-for-fim-galsync-between-2-ad-forests',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.target || c.connection.authentication !== 'kerberos') continue;
      const from = c.sync.forest;
      const to = c.target.server.forest;
      // An undeclared forest is unknown-forest's finding.
      if (sameName(from, to) || !c.syncModel.forestModel || !c.target.model.forestModel) continue;
      if (trustsBetween(context, from, to).length > 0) continue;
      findings.push({
        path: [...c.path, 'authentication'],
        host: c.sync.host,
        message: `${c.sync.host} (forest ${from}) uses Kerberos to ${c.target.server.host} (forest ${to}), but no trust between ${from} and ${to} is declared`,
        hint: `Declare the forest trust under forests (trusts: [{ forest: ${to} }] on ${from}, or the reverse) once it exists, or use Basic over https:// (needs Basic on the PowerShell virtual directory).`,
      });
    }
    return findings;
  },
};
