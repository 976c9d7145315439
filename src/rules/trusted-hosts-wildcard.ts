import type { Finding, Rule } from './rule.js';
import { syncServers } from './facts.js';

export const rule: Rule = {
  id: 'trusted-hosts-wildcard',
  severity: 'warning',
  description: "TrustedHosts is '*': the client sends credentials to any host without authenticating it.",
  source: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting',
  check(context) {
    const findings: Finding[] = [];
    for (const { sync, model, index: i } of syncServers(context)) {
      const entries = model.trustedHosts;
      if (entries.length !== 1 || entries[0] !== '*') continue;
      const cas = [...new Set(sync.connections.map((c) => c.exchange))];
      findings.push({
        path: ['syncServers', i, 'winrmClient', 'trustedHosts', 0],
        host: sync.host,
        message: `TrustedHosts of ${sync.host} is '*': it will send credentials to any server without verifying it`,
        hint: `List only the CAS it connects to: trustedHosts: [${cas.join(', ')}].`,
      });
    }
    return findings;
  },
};
