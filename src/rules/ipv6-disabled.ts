import type { Finding, Rule } from './rule.js';
import { disabledComponentsEntries, hex, IPV6_DISABLED_BIT } from './disabled-components.js';

export const rule: Rule = {
  id: 'ipv6-disabled',
  severity: 'error',
  description: 'DisabledComponents disables IPv6 (bit 0x10 set, e.g. 0xFF) instead of preferring IPv4 (0x20).',
  source: 'Monofor, "Exchange Integration" (Monosync documentation), https://help.monofor.com/monosync/exchange-integration; https://learn.microsoft.com/troubleshoot/windows-server/networking/configure-ipv6-in-windows (KB 929852)',
  check(context) {
    const findings: Finding[] = [];
    for (const entry of disabledComponentsEntries(context.spec)) {
      if ((entry.value & IPV6_DISABLED_BIT) === 0 && entry.value !== 0xff) continue;
      findings.push({
        path: entry.path,
        host: entry.host,
        message: `DisabledComponents ${hex(entry.value)} on ${entry.host} disables IPv6 (bit 0x10 is set)`,
        hint: 'Use 0x20 (32), which prefers IPv4 and keeps IPv6 working; Microsoft advises against disabling IPv6. Either value needs a reboot.',
      });
    }
    return findings;
  },
};
