import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'basic-over-http',
  severity: 'error',
  description: 'A connection uses Basic authentication over http://, sending the password in clear; Exchange refuses it.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (c.connection.authentication !== 'basic' || c.uri?.scheme !== 'http') continue;
      const httpsUri = c.connection.uri.replace(/^http:/i, 'https:').replace(/:5985(?=\/|$)/, ':5986');
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} uses Basic over ${c.connection.uri}: the password crosses the network in clear${c.uri.endpoint === 'exchange' ? ' and Exchange refuses Basic over http' : ''}`,
        hint: `Use ${httpsUri} with Basic, or Kerberos over http:// to the CAS FQDN.`,
      });
    }
    return findings;
  },
};
