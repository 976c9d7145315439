import type { Finding, Rule } from './rule.js';
import { connectionsTo, listing, preferIPv4Of } from './facts.js';

export const rule: Rule = {
  id: 'ipv6-filter-empty',
  severity: 'warning',
  description: 'A WinRM service listens on IPv4 only (IPv6Filter empty) while a sync server connecting to it does not prefer IPv4.',
  source: 'Monofor, "Exchange Integration" (Monosync documentation), https://help.monofor.com/monosync/exchange-integration',
  check({ spec }) {
    const findings: Finding[] = [];
    spec.exchange.forEach((server, i) => {
      if (server.winrm?.ipv6Filter !== '') return;
      const clients = [...new Set(connectionsTo(spec, i).filter((c) => preferIPv4Of(spec, c.sync) === 'none').map((c) => c.sync.host))].sort();
      if (clients.length === 0) return;
      findings.push({
        path: ['exchange', i, 'winrm', 'ipv6Filter'],
        host: server.host,
        message: `The WinRM service of ${server.host} does not listen on IPv6 (ipv6Filter: ''), but ${listing(clients)} ${clients.length === 1 ? 'does' : 'do'} not prefer IPv4 and will try IPv6 first`,
        hint: `Set preferIPv4: prefix-policy (or registry/both) on ${listing(clients)}, or leave ipv6Filter at '*'. Symptom otherwise: connection refused by host name, works by IPv4 address.`,
      });
    });
    return findings;
  },
};
