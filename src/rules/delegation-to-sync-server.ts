import type { Finding, Rule } from './rule.js';
import { exchangeServers, syncServers } from './facts.js';
import { sameName } from './wording.js';

export const rule: Rule = {
  id: 'delegation-to-sync-server',
  severity: 'error',
  description: 'Resource-based delegation lists a sync server or sync account as a back end of an Exchange server.',
  source: 'https://learn.microsoft.com/troubleshoot/windows-server/windows-security/troubleshoot-kerberos-rbcd-issues',
  check(context) {
    const findings: Finding[] = [];
    const sync = syncServers(context).map((s) => s.model);
    const syncHosts = sync.map((s) => s.host);
    // Each connection runs as its own account, else the service account (the model's credential.account).
    const syncAccounts = sync.flatMap((s) => [s.serviceAccount, ...s.connections.map((c) => c.credential.account)]);
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.delegation.mode !== 'resource-based') continue;
      for (const { display: backend, specIndex: j } of model.delegation.delegateTo) {
        const isSync = syncHosts.some((h) => sameName(h, backend)) || syncAccounts.some((a) => sameName(a, backend));
        if (!isSync) continue;
        findings.push({
          path: ['exchange', i, 'delegation', 'delegateTo', j],
          host: server.host,
          message: `${server.host} lists ${backend} in delegateTo: that would let ${server.host} impersonate connecting users to ${backend}, which is the client of the connection, not a back end`,
          hint: `List in delegateTo the services ${server.host} must reach on the user's behalf during the session (for Monosync's second connection, the Exchange /PowerShell host it targets), never the sync server or its accounts.`,
        });
      }
    }
    return findings;
  },
};
