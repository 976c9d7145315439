import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'unconstrained-delegation',
  severity: 'warning',
  description: 'An Exchange computer is trusted for unconstrained delegation (TrustedForDelegation).',
  source: 'seed 002; https://learn.microsoft.com/windows-server/security/kerberos/kerberos-constrained-delegation-overview',
  check({ spec }) {
    const findings: Finding[] = [];
    spec.exchange.forEach((server, i) => {
      if (server.delegation?.mode !== 'unconstrained') return;
      findings.push({
        path: ['exchange', i, 'delegation', 'mode'],
        host: server.host,
        message: `${server.host} is trusted for unconstrained delegation: any service on it can use the Kerberos tickets of every user who connects, against any other service`,
        hint: 'Use mode: resource-based with delegateTo listing the back-end services this server must reach on behalf of users; the step then adds this computer to PrincipalsAllowedToDelegateToAccount of each back end, which limits delegation to those services.',
      });
    });
    return findings;
  },
};
