import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'kerberos-over-https-exchange',
  severity: 'warning',
  description: 'A connection uses Kerberos over https:// to the Exchange /PowerShell endpoint, which does not work in practice.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
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
