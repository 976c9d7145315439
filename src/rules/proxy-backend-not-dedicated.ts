import type { Finding, Rule } from './rule.js';
import { backends } from './facts.js';

export const rule: Rule = {
  id: 'proxy-backend-not-dedicated',
  severity: 'warning',
  description: 'A reverse proxy forwards to an Exchange server that is not declared as a dedicated publishing CAS.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy; https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/',
  check(context) {
    const findings: Finding[] = [];
    for (const { proxy: { proxy }, path, target: found } of backends(context)) {
      // An undeclared backend is proxy-unknown-backend's finding.
      if (!found || found.model.dedicatedPublishing) continue;
      findings.push({
        path,
        host: proxy.host,
        message: `${proxy.host} forwards /PowerShell to ${found.server.host}, which is not a dedicated publishing CAS: the Basic authentication external clients need would change the virtual directory every internal client and the Exchange Management Shell use`,
        hint: `Forward to a CAS kept for publishing (dedicatedPublishing: true) and leave ${found.server.host} as installed; HealthChecker reports the changed virtual directory as unsupported.`,
      });
    }
    return findings;
  },
};
