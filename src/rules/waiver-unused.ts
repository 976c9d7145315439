import type { Diagnostic } from '../shared/diagnostics.js';
import type { Waiver } from '../spec/spec-types.js';
import { matches, tooBroad } from './waivers.js';
import type { Finding, Rule } from './rule.js';

/** For a waiver naming a control: the controls its rule does report for that host, if any. */
function controlHint(waiver: Waiver, ofRule: readonly Diagnostic[]): string | undefined {
  if (waiver.control === undefined) return undefined;
  const controls = [...new Set(ofRule.filter((d) => matches({ ...waiver, control: undefined } as Waiver, d)).flatMap((d) => d.compliance?.controls.slice(0, 1) ?? []))].sort();
  return controls.length > 0 ? `${waiver.rule} reports ${controls.join(', ')} here; set control: to the one you mean.` : undefined;
}

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
      // ... and so has a waiver too broad to match anything (waiver-too-broad).
      if (!ruleIds.includes(waiver.rule) || unwaivableRuleIds.includes(waiver.rule) || tooBroad(waiver)) return;
      const ofRule = others.filter((d) => d.ruleId === waiver.rule);
      if (ofRule.some((d) => matches(waiver, d))) return;
      const hosts = [...new Set(ofRule.map((d) => d.host).filter((h): h is string => h !== undefined))].sort();
      findings.push({
        path: ['waivers', i],
        ...(waiver.host ? { host: waiver.host } : {}),
        message: `The waiver of ${waiver.rule}${waiver.control ? ` (control ${waiver.control})` : ''}${waiver.host ? ` for ${waiver.host}` : ''} matches no finding`,
        hint: controlHint(waiver, ofRule) ?? (hosts.length > 0 ? `${waiver.rule} reports ${hosts.join(', ')}; set host: to the one you mean.` : `${waiver.rule} reports nothing in this spec any more: remove the waiver.`),
      });
    });
    return findings;
  },
};
