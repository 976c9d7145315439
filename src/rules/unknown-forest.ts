import { suggest } from '../shared/suggest.js';
import type { Finding, Rule, SpecPath } from './rule.js';
import { exchangeServers, forests, syncServers } from './facts.js';

export const rule: Rule = {
  id: 'unknown-forest',
  severity: 'error',
  description: 'A server or a trust names a forest that is not declared under forests.',
  source: 'winrm-forge spec reference: references between hosts (README.md)',
  waivable: false,
  check(context) {
    const findings: Finding[] = [];
    const declared = context.spec.forests.map((f) => f.name);
    // The model holds the forest a name resolves to, or null (trusts: declared false).
    const check = (resolved: boolean, name: string, path: SpecPath, who: string, host?: string) => {
      if (resolved) return;
      const guess = suggest(name, declared);
      findings.push({
        path,
        ...(host ? { host } : {}),
        message: `${who} names forest ${name}, which is not declared under forests`,
        hint: guess ? `Did you mean ${guess}?` : `Declare ${name} under forests (with its domain controllers), or name one of ${declared.join(', ')}.`,
      });
    };
    for (const { server: s, model, index: i } of exchangeServers(context)) check(model.forestModel !== null, s.forest, ['exchange', i, 'forest'], s.host, s.host);
    for (const { sync: s, model, index: i } of syncServers(context)) check(model.forestModel !== null, s.forest, ['syncServers', i, 'forest'], s.host, s.host);
    for (const { forest: f, model, index: i } of forests(context)) {
      for (const t of model.trusts) check(t.declared, f.trusts?.[t.specIndex]?.forest ?? t.forest, ['forests', i, 'trusts', t.specIndex, 'forest'], `The trust of forest ${f.name}`);
    }
    return findings;
  },
};
