import type { Finding, Rule } from './rule.js';
import { cbtHardeningOf } from './facts.js';

export const rule: Rule = {
  id: 'cbt-hardening-strict',
  severity: 'warning',
  description: 'CbtHardeningLevel is Strict, which many non-Windows WinRM clients (pywinrm, requests-ntlm, openwsman) cannot satisfy.',
  source: 'https://github.com/diyan/pywinrm/issues/161; https://github.com/Openwsman/openwsman/issues/210',
  check({ spec }) {
    const findings: Finding[] = [];
    spec.exchange.forEach((server, i) => {
      const cbt = cbtHardeningOf(spec, server, i);
      if (cbt.value !== 'strict' || !cbt.path) return;
      findings.push({
        path: cbt.path,
        host: server.host,
        message: `The WinRM service of ${server.host} has CbtHardeningLevel Strict${cbt.path[0] === 'defaults' ? ' (from defaults)' : ''}: requests without a channel binding token are rejected`,
        hint: 'Strict suits Windows-only clients over HTTPS. If any client is not Windows PowerShell (pywinrm, requests-ntlm, openwsman, Ansible), use relaxed, the Windows default.',
      });
    });
    return findings;
  },
};
