import type { Finding, Rule } from './rule.js';
import { connectionsTo, exchangeServers } from './facts.js';
import { listing } from './wording.js';

export const rule: Rule = {
  id: 'require-ssl-kerberos-http',
  severity: 'error',
  description: 'The PowerShell virtual directory requires SSL while a Kerberos connection reaches it over http:// (HTTP 403).',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.virtualDirectory?.requireSsl !== true) continue;
      const clients = [
        ...new Set(connectionsTo(context, i).filter((c) => c.connection.authentication === 'kerberos' && c.uri?.scheme === 'http' && c.uri.endpoint === 'exchange').map((c) => c.sync.host)),
      ].sort();
      if (clients.length === 0) continue;
      findings.push({
        path: ['exchange', i, 'powershellVirtualDirectory', 'requireSsl'],
        host: server.host,
        message: `The PowerShell virtual directory of ${server.host} requires SSL, but ${listing(clients)} ${clients.length === 1 ? 'connects' : 'connect'} with Kerberos over http://`,
        hint: 'Set requireSsl: false (sslFlags None): Require SSL refuses internal Kerberos over http:// with HTTP 403 and also breaks the Exchange Management Shell.',
      });
    }
    return findings;
  },
};
