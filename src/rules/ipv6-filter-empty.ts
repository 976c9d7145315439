import type { Finding, Rule } from './rule.js';
import { connectionsTo, exchangeServers } from './facts.js';
import { listing } from './wording.js';

export const rule: Rule = {
  id: 'ipv6-filter-empty',
  severity: 'warning',
  description: 'A WinRM service listens on IPv4 only (IPv6Filter empty) while a sync server connecting to it does not prefer IPv4.',
  source: 'Monofor, "Exchange Integration" (Monosync documentation), https://help.monofor.com/monosync/exchange-integration',
  check(context) {
    const findings: Finding[] = [];
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.winrm?.ipv6Filter !== '') continue;
      const clients = [...new Set(connectionsTo(context, i).filter((c) => c.syncModel.preferIPv4 === 'none').map((c) => c.sync.host))].sort();
      if (clients.length === 0) continue;
      findings.push({
        path: ['exchange', i, 'winrm', 'ipv6Filter'],
        host: server.host,
        message: `The WinRM service of ${server.host} does not listen on IPv6 (ipv6Filter: ''), but ${listing(clients)} ${clients.length === 1 ? 'does' : 'do'} not prefer IPv4 and will try IPv6 first`,
        hint: `Set preferIPv4: prefix-policy (or registry/both) on ${listing(clients)}, or leave ipv6Filter at '*'. Symptom otherwise: connection refused by host name, works by IPv4 address.`,
      });
    }
    return findings;
  },
};
