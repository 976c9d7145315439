import type { Finding, Rule } from './rule.js';
import { disabledComponentsEntries, hex, IPV6_DISABLED_BIT } from './disabled-components.js';

export const rule: Rule = {
  id: 'disabled-components-unusual',
  severity: 'warning',
  description: 'DisabledComponents is neither 0 nor 0x20 (and does not disable IPv6): it turns off parts of IPv6 and breaks Routing and Remote Access.',
  source: 'https://learn.microsoft.com/troubleshoot/windows-server/networking/configure-ipv6-in-windows (KB 929852)',
  check(context) {
    const findings: Finding[] = [];
    for (const entry of disabledComponentsEntries(context.spec)) {
      if (entry.value === 0 || entry.value === 0x20 || (entry.value & IPV6_DISABLED_BIT) !== 0) continue;
      findings.push({
        path: entry.path,
        host: entry.host,
        message: `DisabledComponents ${hex(entry.value)} on ${entry.host} disables parts of IPv6 (tunnel interfaces or prefix policies) rather than only preferring IPv4`,
        hint: 'Use 0x20 (32) to prefer IPv4. Microsoft notes that values other than 0 and 0x20 make the Routing and Remote Access service fail; 0x01 (tunnels only) is the one other value it suggests, for 6to4 problems. A reboot is required.',
      });
    }
    return findings;
  },
};
