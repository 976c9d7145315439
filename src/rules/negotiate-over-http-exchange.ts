import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'negotiate-over-http-exchange',
  severity: 'error',
  description: 'A connection uses Negotiate over http:// to the Exchange /PowerShell endpoint, which fails.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
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
