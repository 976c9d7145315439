import type { Finding, Rule } from './rule.js';
import { backends } from './facts.js';

export const rule: Rule = {
  id: 'proxy-backend-basic-missing',
  severity: 'error',
  description: 'A reverse proxy forwards to an Exchange server whose PowerShell virtual directory does not enable Basic authentication.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const { proxy: { proxy }, path, target: found } of backends(context)) {
      // An undeclared backend is proxy-unknown-backend's finding.
      if (!found || found.server.powershellVirtualDirectory?.basicAuthentication === true) continue;
      findings.push({
        path,
        host: proxy.host,
        message: `${proxy.host} forwards /PowerShell to ${found.server.host}, whose PowerShell virtual directory ${found.server.powershellVirtualDirectory ? 'does not enable Basic' : 'the spec leaves as installed (no Basic)'}: external clients, which can only use Basic over HTTPS, get HTTP 401 however right their password is`,
        hint: `Declare powershellVirtualDirectory on ${found.server.host} with basicAuthentication: true, requireSsl: false and clientCertificates: ignore (on a dedicated publishing CAS).`,
      });
    }
    return findings;
  },
};
