import { exchangeServers } from './facts.js';
import { suggest } from '../shared/suggest.js';
import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'unknown-account-domain',
  severity: 'error',
  description: 'A delegation back end written DOMAIN\\account names a domain that no declared forest has as NetBIOS or DNS name.',
  source: 'winrm-forge spec reference: references between hosts (README.md)',
  waivable: false,
  check(context) {
    const findings: Finding[] = [];
    const netbios = context.spec.forests.flatMap((f) => (f.netbiosName ? [f.netbiosName] : []));
    for (const { server, model, index: i } of exchangeServers(context)) {
      // The model resolves each back end to the domain it is looked up in: null for DOMAIN\\name of no declared forest.
      for (const { display: backend, specIndex: j, server: domain } of model.delegation.delegateTo) {
        if (domain !== null) continue;
        const backslash = backend.indexOf('\\');
        const prefix = backend.slice(0, backslash);
        const guess = suggest(prefix, netbios);
        findings.push({
          path: ['exchange', i, 'delegation', 'delegateTo', j],
          host: server.host,
          message: `${server.host} delegates to ${backend}, but no declared forest has the NetBIOS name ${prefix}: the scripts would not know which domain to change it in`,
          hint: guess
            ? `Did you mean ${guess}\\${backend.slice(backslash + 1)}?`
            : netbios.length > 0
              ? `Declare netbiosName: ${prefix.toUpperCase()} on the forest the account lives in (declared: ${netbios.join(', ')}), or write the account as name@dns.domain.`
              : `Declare netbiosName: ${prefix.toUpperCase()} on the forest the account lives in, or write the account as name@dns.domain.`,
        });
      }
    }
    return findings;
  },
};
