import { suggest } from '../shared/suggest.js';
import type { Finding, Rule } from './rule.js';
import { backends } from './facts.js';

export const rule: Rule = {
  id: 'proxy-unknown-backend',
  severity: 'error',
  description: 'A reverse proxy lists a backend that is not declared under exchange.',
  source: 'winrm-forge spec reference: references between hosts (README.md)',
  waivable: false,
  check(context) {
    const findings: Finding[] = [];
    const declared = context.spec.exchange.map((s) => s.host);
    for (const { proxy: { proxy }, backend, path, target } of backends(context)) {
      if (target) continue;
      const guess = suggest(backend, declared);
      findings.push({
        path,
        host: proxy.host,
        message: `${proxy.host} forwards /PowerShell to ${backend}, which is not declared under exchange`,
        hint: guess ? `Did you mean ${guess}?` : `Declare ${backend} under exchange (its PowerShell virtual directory needs Basic for proxied clients), or remove it from backends.`,
      });
    }
    return findings;
  },
};
