import type { Finding, Rule } from './rule.js';
import { exchangeNamed, reverseProxies } from './facts.js';

export const rule: Rule = {
  id: 'proxy-published-name-internal',
  severity: 'error',
  description: 'A reverse proxy publishes /PowerShell under the name of an internal Exchange server.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const { proxy, model, index: i } of reverseProxies(context)) {
      const server = exchangeNamed(context, model.publishedName)?.server;
      if (!server) continue;
      findings.push({
        path: ['reverseProxies', i, 'publishedName'],
        host: proxy.host,
        message: `${proxy.host} publishes ${proxy.publishedName}, which is the internal name of the Exchange server ${server.host}: the name would have to resolve to the proxy for external clients and to the server for internal Kerberos clients and for the proxy's own farm`,
        hint: 'Publish a separate external name (e.g. mail.<domain>) on the proxy certificate and keep the server FQDN for internal Kerberos connections.',
      });
    }
    return findings;
  },
};
