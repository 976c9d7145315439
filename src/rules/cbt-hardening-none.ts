import type { Finding, Rule } from './rule.js';
import { cbtHardeningOf, exchangeServers } from './facts.js';

export const rule: Rule = {
  id: 'cbt-hardening-none',
  severity: 'warning',
  description: 'CbtHardeningLevel is None: the WinRM service accepts requests without channel-binding protection.',
  source: 'Monofor, "Exchange Integration" (Monosync documentation), https://help.monofor.com/monosync/exchange-integration; https://learn.microsoft.com/windows/client-management/mdm/policy-csp-remotemanagement',
  check(context) {
    const findings: Finding[] = [];
    for (const target of exchangeServers(context)) {
      const { server } = target;
      const cbt = cbtHardeningOf(target);
      if (cbt.value !== 'none' || !cbt.path) continue;
      findings.push({
        path: cbt.path,
        host: server.host,
        message: `The WinRM service of ${server.host} has CbtHardeningLevel None${cbt.path[0] === 'defaults' ? ' (from defaults)' : ''}: it no longer checks channel binding tokens, so credentials relayed from another TLS channel are accepted`,
        hint: 'Use relaxed (the Windows default), which still lets clients without channel binding in. The Monosync Exchange Integration guide sets None for two-hop Monosync sessions; if you keep it, waive this rule for the host with the reason.',
      });
    }
    return findings;
  },
};
