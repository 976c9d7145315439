import type { Finding, Rule } from './rule.js';
import { exchangeServers } from './facts.js';

export const rule: Rule = {
  id: 'unconstrained-delegation',
  severity: 'warning',
  description: 'An Exchange computer is trusted for unconstrained delegation (TrustedForDelegation).',
  source: 'Monofor, "Exchange Integration" (Monosync documentation), https://help.monofor.com/monosync/exchange-integration; https://learn.microsoft.com/windows-server/security/kerberos/kerberos-constrained-delegation-overview; MicrosoftDocs/PowerShell-Docs reference/docs-conceptual/security/remoting/PS-remoting-second-hop.md',
  check(context) {
    const findings: Finding[] = [];
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.delegation.mode !== 'unconstrained') continue;
      findings.push({
        path: ['exchange', i, 'delegation', 'mode'],
        host: server.host,
        message: `${server.host} is trusted for unconstrained delegation: any service on it can use the Kerberos tickets of every user who connects, against any other service`,
        hint: 'Keep it only where the vendor documents it for its second connection, and waive this rule for the host with the reason. Resource-based delegation (mode: resource-based, delegateTo) limits delegation to named back ends but is not a drop-in equivalent: Microsoft documents that no Kerberos delegation form supports a WinRM second hop (PowerShell-Docs "Making the second hop in PowerShell Remoting"), so say what the second connection reaches and have the vendor confirm it; for a WinRM second hop the documented methods are passing credentials inside the session or CredSSP.',
      });
    }
    return findings;
  },
};
