import { suggest } from '../shared/suggest.js';
import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'connection-unknown-exchange',
  severity: 'error',
  description: 'A sync server connection names an Exchange server that is not declared under exchange.',
  source: 'winrm-forge spec reference: references between hosts (README.md)',
  waivable: false,
  check(context) {
    const findings: Finding[] = [];
    const declared = context.spec.exchange.map((s) => s.host);
    for (const c of connections(context)) {
      if (c.target) continue;
      const guess = suggest(c.connection.exchange, declared);
      findings.push({
        path: [...c.path, 'exchange'],
        host: c.sync.host,
        message: `${c.sync.host} connects to ${c.connection.exchange}, which is not declared under exchange`,
        hint: guess ? `Did you mean ${guess}?` : `Declare ${c.connection.exchange} under exchange, or name one of ${declared.join(', ')}.`,
      });
    }
    return findings;
  },
};
