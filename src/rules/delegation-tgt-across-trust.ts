import type { Finding, Rule } from './rule.js';
import { connectionsTo, exchangeServers, forestEntry, trustsBetween } from './facts.js';
import { listing, sameName } from './wording.js';

export const rule: Rule = {
  id: 'delegation-tgt-across-trust',
  severity: 'error',
  description: 'Unconstrained delegation is used across a forest trust that does not allow TGT delegation (off by default since 2019).',
  source: 'https://support.microsoft.com/help/4490425; MicrosoftDocs/PowerShell-Docs reference/docs-conceptual/security/remoting/PS-remoting-second-hop.md',
  check(context) {
    const findings: Finding[] = [];
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.delegation.mode !== 'unconstrained') continue;
      const blocked = new Set<string>();
      for (const c of connectionsTo(context, i)) {
        // The delegated ticket is the account's: its forest counts (the model's, else the sync server's).
        const from = c.model.account.forest ? forestEntry(context, c.model.account.forest).name : c.sync.forest;
        if (sameName(from, server.forest)) continue;
        const trusts = trustsBetween(context, from, server.forest);
        if (trusts.length === 0 || trusts.some((t) => t.tgtDelegation)) continue;
        blocked.add(from);
      }
      if (blocked.size === 0) continue;
      const forests = [...blocked].sort();
      findings.push({
        path: ['exchange', i, 'delegation', 'mode'],
        host: server.host,
        message: `${server.host} relies on unconstrained delegation for accounts of ${listing(forests)}, but the trust between ${server.forest} and ${listing(forests)} does not enable TGT delegation, so the delegated ticket is dropped`,
        hint: `Have the administrators of ${forests[0]} (the account forest, which holds the setting per KB 4490425) enable TGT delegation on a domain controller of ${forests[0]} (netdom trust ${server.forest} /domain:${forests[0]} /EnableTGTDelegation:Yes, the documented netdom form) and declare tgtDelegation: true; the generated step only checks it. Resource-based delegation works across the trust without it but is no drop-in replacement: no Kerberos delegation form supports a WinRM second hop (PowerShell-Docs "Making the second hop in PowerShell Remoting"), so have the vendor confirm what the second connection reaches.`,
      });
    }
    return findings;
  },
};
