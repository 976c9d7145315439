import type { Finding, Rule } from './rule.js';
import { exchangeServers, syncServers } from './facts.js';

export const rule: Rule = {
  id: 'allow-unencrypted',
  severity: 'warning',
  description: 'AllowUnencrypted is on for a WinRM service or client; Kerberos and Negotiate over HTTP are encrypted anyway.',
  source: 'https://learn.microsoft.com/windows/win32/winrm/installation-and-configuration-for-windows-remote-management',
  check(context) {
    const findings: Finding[] = [];
    for (const { server, model, index: i } of exchangeServers(context)) {
      if (model.winrm?.allowUnencrypted !== true) continue;
      findings.push({
        path: ['exchange', i, 'winrm', 'allowUnencrypted'],
        host: server.host,
        message: `The WinRM service of ${server.host} accepts unencrypted traffic (allowUnencrypted: true)`,
        hint: 'Set allowUnencrypted: false. WinRM encrypts Kerberos and Negotiate messages over HTTP; Basic needs HTTPS, not unencrypted HTTP.',
      });
    }
    for (const { sync, model, index: i } of syncServers(context)) {
      if (model.clientAllowUnencrypted !== true) continue;
      findings.push({
        path: ['syncServers', i, 'winrmClient', 'allowUnencrypted'],
        host: sync.host,
        message: `The WinRM client of ${sync.host} sends unencrypted traffic (allowUnencrypted: true)`,
        hint: 'Set allowUnencrypted: false and use Kerberos over http:// or Basic over https://; unencrypted Basic sends the password in clear.',
      });
    }
    return findings;
  },
};
