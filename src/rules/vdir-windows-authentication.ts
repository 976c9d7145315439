import type { Finding, Rule } from './rule.js';
import { exchangeServers } from './facts.js';

export const rule: Rule = {
  id: 'vdir-windows-authentication',
  severity: 'warning',
  description: 'Windows authentication is turned on on the Exchange front-end PowerShell virtual directory, which Exchange 2013 and later install off and HealthChecker reports as unsupported.',
  source: 'microsoft/CSS-Exchange Shared/Tests/Data/E19_applicationHost_Default.config and Diagnostics/HealthChecker/Analyzer/Invoke-AnalyzerIISInformation.ps1; TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.virtualDirectory?.windowsAuthentication !== true) continue;
      // Exchange 2010 has one pool and no HealthChecker analysis; the installed state recorded by
      // CSS-Exchange is that of Exchange 2013 and later.
      if (model.exchangeVersion === 'exchange-2010') continue;
      findings.push({
        path: ['exchange', i, 'powershellVirtualDirectory', 'windowsAuthentication'],
        host: server.host,
        message: `windowsAuthentication: true turns on IIS Windows authentication on Default Web Site/PowerShell of ${server.host}; Exchange 2013 and later install it off, and Microsoft's Exchange HealthChecker reports any authentication enabled on that directory as unsupported`,
        hint: 'Omit windowsAuthentication (or set it to false): Kerberos and the Exchange Management Shell reach /PowerShell through Exchange\'s kerbauth module with IIS Windows authentication off.',
      });
    }
    return findings;
  },
};
