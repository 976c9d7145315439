import type { Finding, Rule } from './rule.js';
import { byCodePoint } from '../shared/order.js';

export const rule: Rule = {
  id: 'trusted-hosts-wildcard-combined',
  severity: 'error',
  description: "TrustedHosts combines '*' with other entries, which WinRM does not accept.",
  source: 'https://github.com/PlagueHO/LabBuilder/issues/89',
  check({ spec }) {
    const findings: Finding[] = [];
    (spec.syncServers ?? []).forEach((sync, i) => {
      const entries = sync.winrmClient?.trustedHosts ?? [];
      const star = entries.indexOf('*');
      if (star < 0 || entries.length < 2) return;
      findings.push({
        path: ['syncServers', i, 'winrmClient', 'trustedHosts', star],
        host: sync.host,
        message: `TrustedHosts of ${sync.host} combines '*' with ${entries.filter((e) => e !== '*').sort(byCodePoint).join(', ')}`,
        hint: "Remove '*' and keep the named CAS (recommended), or keep '*' alone. '*' already covers every host.",
      });
    });
    return findings;
  },
};
