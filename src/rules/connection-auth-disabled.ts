import { clientAllows, serviceAuthOf, type ServiceAuthModel } from '../model/model.js';
import type { Finding, Rule } from './rule.js';
import { connections } from './facts.js';

const mechanismName = { kerberos: 'Kerberos', negotiate: 'Negotiate', basic: 'Basic' } as const;

/** The service offers Kerberos inside SPNEGO when either Kerberos or Negotiate is on ([MS-WSMV] 2.2.4.34). */
function serviceAllows(auth: ServiceAuthModel, mechanism: keyof typeof mechanismName): boolean {
  return mechanism === 'kerberos' ? auth.kerberos || auth.negotiate : auth[mechanism];
}

export const rule: Rule = {
  id: 'connection-auth-disabled',
  severity: 'error',
  description: 'A connection uses an authentication mechanism that the sync server client, the target WinRM service or the PowerShell virtual directory has turned off.',
  source: 'https://learn.microsoft.com/windows/win32/winrm/installation-and-configuration-for-windows-remote-management; microsoft/CSS-Exchange Shared/Tests/Data/E19_applicationHost_Default.config; TechNet Wiki 31066, "Exchange Server 2013 PowerShell Implicit Remoting over the Internet using IIS ARR as the Reverse Proxy", https://learn.microsoft.com/archive/technet-wiki/31066.exchange-server-2013-powershell-implicit-remoting-over-the-internet-using-iis-arr-as-the-reverse-proxy',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      const mechanism = c.connection.authentication;
      if (mechanism === 'default' || !c.target || !c.uri) continue;
      const name = mechanismName[mechanism];
      const server = c.target.server;
      const off: string[] = [];
      const fixes: string[] = [];
      if (!clientAllows(c.syncModel, mechanism)) {
        off.push(`the WinRM client of ${c.sync.host}`);
        fixes.push(`set winrmClient.auth.${mechanism}: true on ${c.sync.host}`);
      }
      if (c.uri.endpoint === 'winrm' && !serviceAllows(serviceAuthOf(c.target.model), mechanism)) {
        off.push(`the WinRM service of ${server.host}${mechanism === 'basic' && server.winrm?.auth?.basic === undefined ? ' (Basic is off by default)' : ''}`);
        fixes.push(`set winrm.auth.${mechanism}: true on ${server.host}`);
      }
      const vdir = server.powershellVirtualDirectory;
      if (c.uri.endpoint === 'exchange' && vdir && mechanism === 'basic' && vdir.basicAuthentication !== true) {
        off.push(`the PowerShell virtual directory of ${server.host}`);
        fixes.push(`set powershellVirtualDirectory.basicAuthentication: true on ${server.host} (a dedicated publishing CAS)`);
      }
      // Negotiate over https:// to /PowerShell: with IIS Windows authentication off, as Exchange
      // installs it, the directory answers HTTP 400 (TechNet Wiki 31066) unless the spec turns it on.
      if (c.uri.endpoint === 'exchange' && mechanism === 'negotiate' && c.uri.scheme === 'https' && vdir?.windowsAuthentication !== true) {
        off.push(`the PowerShell virtual directory of ${server.host} (IIS Windows authentication is off as Exchange installs it, so Negotiate over https:// gets HTTP 400)`);
        fixes.push(`use Kerberos to http://${server.host}/PowerShell/ or Basic to a publishing CAS (turning Windows authentication on there is reported as unsupported by HealthChecker)`);
      }
      // Kerberos to /PowerShell does not depend on IIS Windows authentication there:
      // Exchange 2013 and later install it off and handle Kerberos in the kerbauth module
      // (CSS-Exchange E19_applicationHost_Default.config), so windowsAuthentication is not checked.
      if (off.length === 0) continue;
      findings.push({
        path: [...c.path, 'authentication'],
        host: c.sync.host,
        message: `${c.sync.host} connects to ${c.connection.uri} with ${name}, but ${off.join(' and ')} ${off.length === 1 ? 'does' : 'do'} not accept ${name}`,
        hint: `Either ${fixes.join(' and ')}, or use a mechanism both sides accept.`,
      });
    }
    return findings;
  },
};
