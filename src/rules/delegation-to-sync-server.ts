import type { Finding, Rule } from './rule.js';
import { sameName } from './facts.js';

export const rule: Rule = {
  id: 'delegation-to-sync-server',
  severity: 'error',
  description: 'Resource-based delegation lists a sync server or sync account as a back end of an Exchange server.',
  source: 'https://learn.microsoft.com/troubleshoot/windows-server/windows-security/troubleshoot-kerberos-rbcd-issues',
  check({ spec }) {
    const findings: Finding[] = [];
    const syncHosts = (spec.syncServers ?? []).map((s) => s.host);
    const syncAccounts = (spec.syncServers ?? []).flatMap((s) => [s.serviceAccount, ...s.connections.map((c) => c.account)]).filter((a): a is string => typeof a === 'string');
    spec.exchange.forEach((server, i) => {
      if (server.delegation?.mode !== 'resource-based') return;
      (server.delegation.delegateTo ?? []).forEach((backend, j) => {
        const isSync = syncHosts.some((h) => sameName(h, backend)) || syncAccounts.some((a) => sameName(a, backend));
        if (!isSync) return;
        findings.push({
          path: ['exchange', i, 'delegation', 'delegateTo', j],
          host: server.host,
          message: `${server.host} lists ${backend} in delegateTo: that would let ${server.host} impersonate connecting users to ${backend}, which is the client of the connection, not a back end`,
          hint: `List in delegateTo the services ${server.host} must reach on the user's behalf during the session (for Monosync's second connection, the Exchange /PowerShell host it targets), never the sync server or its accounts.`,
        });
      });
    });
    return findings;
  },
};
