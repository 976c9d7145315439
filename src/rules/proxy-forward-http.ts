import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'proxy-forward-http',
  severity: 'error',
  description: 'A reverse proxy forwards /PowerShell over plain HTTP, so Basic credentials would cross the network in clear.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy; DOMAIN.md (ARR reverse proxy: no HTTP rules)',
  check({ spec }) {
    const findings: Finding[] = [];
    (spec.reverseProxies ?? []).forEach((proxy, i) => {
      if (proxy.forwardHttp !== true) return;
      findings.push({
        path: ['reverseProxies', i, 'forwardHttp'],
        host: proxy.host,
        message: `${proxy.host} would forward http://${proxy.publishedName}/PowerShell: external clients authenticate with Basic, whose password then crosses the internet in clear`,
        hint: 'Remove forwardHttp (or set it to false): the generated rule forwards only requests that arrived over HTTPS, and to the farm over HTTPS 443.',
      });
    });
    return findings;
  },
};
