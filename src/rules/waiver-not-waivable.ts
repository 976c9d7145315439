import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'waiver-not-waivable',
  severity: 'error',
  description: 'A waiver names a rule whose findings cannot be waived, such as an unresolved reference.',
  source: 'winrm-forge waivers (README.md, Waivers)',
  check({ spec, unwaivableRuleIds }) {
    const findings: Finding[] = [];
    (spec.waivers ?? []).forEach((waiver, i) => {
      if (!unwaivableRuleIds.includes(waiver.rule)) return;
      findings.push({
        path: ['waivers', i, 'rule'],
        ...(waiver.host ? { host: waiver.host } : {}),
        message: `Waiver ${i + 1} names ${waiver.rule}, whose findings cannot be waived`,
        hint: `Fix what ${waiver.rule} reports and remove the waiver: the scripts cannot be generated around it (winrm-forge explain ${waiver.rule}).`,
      });
    });
    return findings;
  },
};
