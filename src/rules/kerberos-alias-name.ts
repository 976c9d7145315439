import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';
import { sameName } from './wording.js';

export const rule: Rule = {
  id: 'kerberos-alias-name',
  severity: 'warning',
  description: 'A Kerberos connection uses a name other than the FQDN of its Exchange server (a load-balanced or alias name needs its own SPN).',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.target || c.connection.authentication !== 'kerberos' || !c.uri || c.uri.hostIsIp || sameName(c.uri.host, c.connection.exchange)) continue;
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} uses Kerberos to ${c.uri.host}, not to the server name ${c.connection.exchange}: Kerberos fails unless ${c.uri.host} has an SPN`,
        hint: `Connect to ${c.connection.exchange} directly, register HTTP/${c.uri.host} on an alternate service account shared by the array (check with setspn -Q HTTP/${c.uri.host}), or use Basic over https://.`,
      });
    }
    return findings;
  },
};
