import type { Finding, Rule } from './rule.js';
import { cbtHardeningOf, exchangeServers } from './facts.js';

export const rule: Rule = {
  id: 'cbt-hardening-strict',
  severity: 'warning',
  description: 'CbtHardeningLevel is Strict, which many non-Windows WinRM clients (pywinrm, requests-ntlm, openwsman) cannot satisfy.',
  source: 'https://github.com/diyan/pywinrm/issues/161; https://github.com/Openwsman/openwsman/issues/210',
  check(context) {
    const findings: Finding[] = [];
    for (const target of exchangeServers(context)) {
      const { server } = target;
      const cbt = cbtHardeningOf(target);
      if (cbt.value !== 'strict' || !cbt.path) continue;
      findings.push({
        path: cbt.path,
        host: server.host,
        message: `The WinRM service of ${server.host} has CbtHardeningLevel Strict${cbt.path[0] === 'defaults' ? ' (from defaults)' : ''}: requests without a channel binding token are rejected`,
        hint: 'Strict suits Windows-only clients over HTTPS. If any client is not Windows PowerShell (pywinrm, requests-ntlm, openwsman, Ansible), use relaxed, the Windows default.',
      });
    }
    return findings;
  },
};
