import type { Finding, Rule } from './rule.js';
import { connections, sameAccount } from './facts.js';

export const rule: Rule = {
  id: 'remote-management-users-missing',
  severity: 'warning',
  description: 'A WinRM (/wsman) connection runs as an account that is not in Remote Management Users on the target.',
  source: 'Monofor, "Exchange Integration" (Monosync documentation), https://help.monofor.com/monosync/exchange-integration; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_requirements',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.target || c.uri?.endpoint !== 'winrm') continue;
      const account = c.model.credential.account;
      // Sorted by code point in the model.
      const members = c.target.model.remoteManagementUsers;
      if (members.some((m) => sameAccount(context, m, account))) continue;
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} opens a WinRM session on ${c.target.server.host} as ${account}, which is not in the Remote Management Users group there${members.length ? ` (declared: ${members.join(', ')})` : ''}`,
        hint: `Add '${account}' to remoteManagementUsers of ${c.target.server.host}; without it (or Administrators membership, which is more than the sync engine needs) Enter-PSSession and New-PSSession fail with Access is denied. Exchange /PowerShell sessions are governed by RBAC instead.`,
      });
    }
    return findings;
  },
};
