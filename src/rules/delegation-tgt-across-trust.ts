import type { Finding, Rule } from './rule.js';
import { connections, listing, sameName, trustsBetween } from './facts.js';

export const rule: Rule = {
  id: 'delegation-tgt-across-trust',
  severity: 'error',
  description: 'Unconstrained delegation is used across a forest trust that does not allow TGT delegation (off by default since 2019).',
  source: 'https://support.microsoft.com/help/4490425',
  check({ spec }) {
    const findings: Finding[] = [];
    spec.exchange.forEach((server, i) => {
      if (server.delegation?.mode !== 'unconstrained') return;
      const blocked = new Set<string>();
      for (const c of connections(spec)) {
        if (!c.target || c.target.index !== i || sameName(c.sync.forest, server.forest)) continue;
        const trusts = trustsBetween(spec, c.sync.forest, server.forest);
        if (trusts.length === 0 || trusts.some((t) => t.tgtDelegation === true)) continue;
        blocked.add(c.sync.forest);
      }
      if (blocked.size === 0) return;
      const forests = [...blocked].sort();
      findings.push({
        path: ['exchange', i, 'delegation', 'mode'],
        host: server.host,
        message: `${server.host} relies on unconstrained delegation for sessions from ${listing(forests)}, but the trust with ${server.forest} does not enable TGT delegation, so the delegated ticket is dropped`,
        hint: `Enable it on the trust (netdom trust ${server.forest} /domain:${forests[0]} /EnableTGTDelegation:Yes, then tgtDelegation: true in the spec), or use mode: resource-based, which works across the trust.`,
      });
    });
    return findings;
  },
};
