import type { Finding, Rule } from './rule.js';
import { sameName } from './facts.js';

export const rule: Rule = {
  id: 'waiver-unused',
  severity: 'warning',
  description: 'A waiver matches no finding: the problem was fixed, or the waiver names the wrong host.',
  source: 'winrm-forge waivers (README.md, Waivers)',
  afterOthers: true,
  check({ spec, ruleIds, unwaivableRuleIds, findings: others }) {
    const findings: Finding[] = [];
    (spec.waivers ?? []).forEach((waiver, i) => {
      // Unknown and unwaivable rules have findings of their own (waiver-unknown-rule, waiver-not-waivable).
      if (!ruleIds.includes(waiver.rule) || unwaivableRuleIds.includes(waiver.rule)) return;
      const ofRule = others.filter((d) => d.ruleId === waiver.rule);
      if (ofRule.some((d) => (waiver.host === undefined ? d.host === undefined : sameName(d.host, waiver.host)))) return;
      const hosts = [...new Set(ofRule.map((d) => d.host).filter((h): h is string => h !== undefined))].sort();
      findings.push({
        path: ['waivers', i],
        ...(waiver.host ? { host: waiver.host } : {}),
        message: `The waiver of ${waiver.rule}${waiver.host ? ` for ${waiver.host}` : ''} matches no finding`,
        hint: hosts.length > 0 ? `${waiver.rule} reports ${hosts.join(', ')}; set host: to the one you mean.` : `${waiver.rule} reports nothing in this spec any more: remove the waiver.`,
      });
    });
    return findings;
  },
};
