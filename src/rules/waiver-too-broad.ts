import { tooBroad } from './waivers.js';
import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'waiver-too-broad',
  severity: 'error',
  description: 'A waiver of secret-in-spec names neither a host nor a field, so it would accept every secret found outside a host entry, now and later.',
  source: 'winrm-forge waivers (README.md, Waivers)',
  waivable: false,
  check({ spec }) {
    const findings: Finding[] = [];
    (spec.waivers ?? []).forEach((waiver, i) => {
      if (!tooBroad(waiver)) return;
      findings.push({
        path: ['waivers', i, 'rule'],
        message: `Waiver ${i + 1} accepts every ${waiver.rule} finding that concerns no single host; it accepts none until it names the field`,
        hint: `Add field: with the path the finding names (e.g. field: metadata.changeReference), and optionally sha256: of the value, so a new or changed secret is still reported.`,
      });
    });
    return findings;
  },
};
