import type { Finding, Rule } from './rule.js';
import { exchangeServers } from './facts.js';

export const rule: Rule = {
  id: 'vdir-basic-authentication',
  severity: 'warning',
  description: 'Basic is enabled on the Exchange PowerShell virtual directory, which HealthChecker reports as an unsupported change.',
  source: 'TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy; https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/',
  check(context) {
    const findings: Finding[] = [];
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.virtualDirectory?.basicAuthentication !== true) continue;
      findings.push({
        path: ['exchange', i, 'powershellVirtualDirectory', 'basicAuthentication'],
        host: server.host,
        message: `Basic is enabled on the PowerShell virtual directory of ${server.host}; Microsoft's Exchange HealthChecker reports changed authentication on Default Web Site/PowerShell as unsupported${model.dedicatedPublishing ? '' : ', and this server is not a dedicated publishing CAS'}`,
        hint: model.dedicatedPublishing
          ? 'Keep Basic only on this dedicated publishing CAS and waive this rule for it with the reason; every other CAS keeps the virtual directory as installed.'
          : 'Enable Basic only on a dedicated publishing CAS (dedicatedPublishing: true) that the reverse proxy forwards to, and keep this server as installed.',
      });
    }
    return findings;
  },
};
