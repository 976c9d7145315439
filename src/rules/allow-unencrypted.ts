import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'allow-unencrypted',
  severity: 'warning',
  description: 'AllowUnencrypted is on for a WinRM service or client; Kerberos and Negotiate over HTTP are encrypted anyway.',
  source: 'https://learn.microsoft.com/windows/win32/winrm/installation-and-configuration-for-windows-remote-management',
  check({ spec }) {
    const findings: Finding[] = [];
    spec.exchange.forEach((server, i) => {
      if (server.winrm?.allowUnencrypted !== true) return;
      findings.push({
        path: ['exchange', i, 'winrm', 'allowUnencrypted'],
        host: server.host,
        message: `The WinRM service of ${server.host} accepts unencrypted traffic (allowUnencrypted: true)`,
        hint: 'Set allowUnencrypted: false. WinRM encrypts Kerberos and Negotiate messages over HTTP; Basic needs HTTPS, not unencrypted HTTP.',
      });
    });
    (spec.syncServers ?? []).forEach((sync, i) => {
      if (sync.winrmClient?.allowUnencrypted !== true) return;
      findings.push({
        path: ['syncServers', i, 'winrmClient', 'allowUnencrypted'],
        host: sync.host,
        message: `The WinRM client of ${sync.host} sends unencrypted traffic (allowUnencrypted: true)`,
        hint: 'Set allowUnencrypted: false and use Kerberos over http:// or Basic over https://; unencrypted Basic sends the password in clear.',
      });
    });
    return findings;
  },
};
