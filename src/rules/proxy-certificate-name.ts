import type { Finding, Rule } from './rule.js';
import { sameName } from './wording.js';

export const rule: Rule = {
  id: 'proxy-certificate-name',
  severity: 'error',
  description: 'The certificate of a reverse proxy does not carry the published name.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check({ spec }) {
    const findings: Finding[] = [];
    (spec.reverseProxies ?? []).forEach((proxy, i) => {
      const names = proxy.certificate?.dnsNames;
      if (!names || names.some((n) => sameName(n, proxy.publishedName))) return;
      findings.push({
        path: ['reverseProxies', i, 'certificate', 'dnsNames'],
        host: proxy.host,
        message: `${proxy.host} publishes ${proxy.publishedName}, but its certificate names ${names.join(', ')}: clients refuse the TLS connection (New-PSSession reports a certificate name mismatch)`,
        hint: `Bind a certificate whose subject or SAN carries ${proxy.publishedName} to 443 on the proxy, and list its names in certificate.dnsNames.`,
      });
    });
    return findings;
  },
};
