import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'kerberos-over-https-exchange',
  severity: 'warning',
  description: 'A connection uses Kerberos over https:// to the Exchange /PowerShell endpoint, which does not work in practice.',
  source: 'seed 004',
  check({ spec }) {
    const findings: Finding[] = [];
    for (const c of connections(spec)) {
      if (c.connection.authentication !== 'kerberos' || c.uri?.scheme !== 'https' || c.uri.endpoint !== 'exchange') continue;
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} uses Kerberos over ${c.connection.uri}: Exchange remote PowerShell with Kerberos is set up for http://, and over https:// it fails in practice`,
        hint: `Use http://${c.uri.host}/PowerShell/ with Kerberos (WinRM encrypts the session), or Basic over https://.`,
      });
    }
    return findings;
  },
};
