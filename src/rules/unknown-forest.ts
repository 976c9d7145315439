import { suggest } from '../shared/suggest.js';
import type { Finding, Rule, SpecPath } from './rule.js';
import { findForest } from './facts.js';

export const rule: Rule = {
  id: 'unknown-forest',
  severity: 'error',
  description: 'A server or a trust names a forest that is not declared under forests.',
  source: 'winrm-forge spec reference: references between hosts (README.md)',
  waivable: false,
  check({ spec }) {
    const findings: Finding[] = [];
    const declared = spec.forests.map((f) => f.name);
    const check = (name: string, path: SpecPath, who: string, host?: string) => {
      if (findForest(spec, name)) return;
      const guess = suggest(name, declared);
      findings.push({
        path,
        ...(host ? { host } : {}),
        message: `${who} names forest ${name}, which is not declared under forests`,
        hint: guess ? `Did you mean ${guess}?` : `Declare ${name} under forests (with its domain controllers), or name one of ${declared.join(', ')}.`,
      });
    };
    spec.exchange.forEach((s, i) => check(s.forest, ['exchange', i, 'forest'], s.host, s.host));
    (spec.syncServers ?? []).forEach((s, i) => check(s.forest, ['syncServers', i, 'forest'], s.host, s.host));
    spec.forests.forEach((f, i) => (f.trusts ?? []).forEach((t, j) => check(t.forest, ['forests', i, 'trusts', j, 'forest'], `The trust of forest ${f.name}`)));
    return findings;
  },
};
