import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'negotiate-over-http-exchange',
  severity: 'error',
  description: 'A connection uses Negotiate over http:// to the Exchange /PowerShell endpoint, which fails.',
  source: 'seed 004',
  check({ spec }) {
    const findings: Finding[] = [];
    for (const c of connections(spec)) {
      if (c.connection.authentication !== 'negotiate' || c.uri?.scheme !== 'http' || c.uri.endpoint !== 'exchange') continue;
      findings.push({
        path: [...c.path, 'authentication'],
        host: c.sync.host,
        message: `${c.sync.host} uses Negotiate over ${c.connection.uri}: the Exchange PowerShell virtual directory accepts Kerberos over http://, not Negotiate`,
        hint: 'Use authentication: kerberos with the CAS FQDN over http://, or Basic over https:// (Basic enabled on the virtual directory).',
      });
    }
    return findings;
  },
};
