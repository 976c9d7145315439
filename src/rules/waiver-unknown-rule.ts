import { suggest } from '../shared/suggest.js';
import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'waiver-unknown-rule',
  severity: 'error',
  description: 'A waiver names a rule ID that winrm-forge does not have.',
  source: 'winrm-forge waivers (README.md, Waivers)',
  check({ spec, ruleIds }) {
    const findings: Finding[] = [];
    (spec.waivers ?? []).forEach((waiver, i) => {
      if (ruleIds.includes(waiver.rule)) return;
      const guess = suggest(waiver.rule, ruleIds);
      findings.push({
        path: ['waivers', i, 'rule'],
        ...(waiver.host ? { host: waiver.host } : {}),
        message: `Waiver ${i + 1} names rule ${waiver.rule}, which does not exist`,
        hint: guess ? `Did you mean ${guess}?` : 'Run winrm-forge explain for the list of rule IDs. Schema and input checks cannot be waived.',
      });
    });
    return findings;
  },
};
