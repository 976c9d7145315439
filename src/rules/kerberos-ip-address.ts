import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

export const rule: Rule = {
  id: 'kerberos-ip-address',
  severity: 'error',
  description: 'A Kerberos connection addresses its target by IP address; Kerberos needs a name with an SPN.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (c.connection.authentication !== 'kerberos' || !c.uri?.hostIsIp) continue;
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} uses Kerberos to ${c.connection.uri}, an IP address: Kerberos cannot target an IP address`,
        hint: `Use the FQDN of the server (${c.connection.exchange}) in the URI. With an IP address the client falls back to NTLM, which needs HTTPS or a TrustedHosts entry; for Exchange /PowerShell, Basic over https:// is the workaround.`,
      });
    }
    return findings;
  },
};
