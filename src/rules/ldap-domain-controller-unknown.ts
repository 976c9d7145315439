import { suggest } from '../shared/suggest.js';
import type { Finding, Rule } from './rule.js';
import { connections, forestEntry, forests } from './facts.js';
import { sameName } from './wording.js';

export const rule: Rule = {
  id: 'ldap-domain-controller-unknown',
  severity: 'error',
  description: "A connection's ldapDomainController is not a declared domain controller of the target Exchange server's forest.",
  source: 'winrm-forge spec reference: references between hosts (README.md)',
  waivable: false,
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      const dc = c.connection.ldapDomainController;
      // An undeclared server or forest is reported by connection-unknown-exchange and unknown-forest.
      const forestModel = c.target?.model.forestModel;
      if (dc === undefined || !forestModel) continue;
      if (forestModel.domainControllers.some((d) => sameName(d.host, dc))) continue;
      const forest = forestEntry(context, forestModel);
      // As written, for the message and the suggestion.
      const declared = (forest.domainControllers ?? []).map((d) => d.host);
      const guess = suggest(dc, declared);
      const elsewhere = forests(context).find((f) => f.model !== forestModel && f.model.domainControllers.some((d) => sameName(d.host, dc)))?.forest;
      findings.push({
        path: [...c.path, 'ldapDomainController'],
        host: c.sync.host,
        message: `${c.sync.host} reads LDAP of ${forest.name} from ${dc}, which is ${elsewhere ? `a domain controller of ${elsewhere.name}, not of ${forest.name}` : `not declared under the domain controllers of ${forest.name}`}: the LDAP flow would be missing from firewall.csv, PLAN.md and verify.ps1`,
        hint: guess
          ? `Did you mean ${guess}?`
          : declared.length > 0
            ? `Name one of the domain controllers of ${forest.name} (${declared.join(', ')}), or declare ${dc} under its domainControllers.`
            : `Declare ${dc} under the domainControllers of ${forest.name}.`,
      });
    }
    return findings;
  },
};
