import type { Finding, Rule } from './rule.js';
import { connections, listenersOf } from './facts.js';
import { sameName } from './wording.js';

export const rule: Rule = {
  id: 'connection-certificate-name',
  severity: 'error',
  description: 'An HTTPS WinRM connection uses a host name that the certificate of the target listener does not carry.',
  source: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.target || !c.uri || c.uri.endpoint !== 'winrm' || c.uri.scheme !== 'https') continue;
      const uri = c.uri;
      const match = listenersOf(c.target).find((l) => l.transport === 'https' && l.port === uri.port);
      const names = match?.listener?.certificate?.dnsNames;
      if (!names || names.some((n) => sameName(n, uri.host))) continue;
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} connects to https://${uri.host}:${uri.port}, but the certificate of that listener on ${c.target.server.host} names only ${names.join(', ')}`,
        hint: uri.hostIsIp
          ? `Connect by a name on the certificate, e.g. https://${names[0]}:${uri.port}/wsman; an IP address fails the certificate name check.`
          : `Connect to a name on the certificate, e.g. https://${names[0]}:${uri.port}/wsman, or issue a certificate that carries ${uri.host} and list it in dnsNames. -SkipCNCheck is for tests only.`,
      });
    }
    return findings;
  },
};
