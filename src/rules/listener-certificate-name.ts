import type { Finding, Rule } from './rule.js';
import { exchangeServers, listenersOf } from './facts.js';
import { sameName } from './wording.js';

export const rule: Rule = {
  id: 'listener-certificate-name',
  severity: 'error',
  description: 'The host name of an HTTPS listener is not among the DNS names of its certificate.',
  source: 'https://learn.microsoft.com/windows/win32/winrm/installation-and-configuration-for-windows-remote-management',
  check(context) {
    const findings: Finding[] = [];
    for (const target of exchangeServers(context)) {
      const { server } = target;
      for (const { listener, path, model } of listenersOf(target)) {
        const names = listener?.certificate?.dnsNames;
        if (!listener || !path || !model || listener.transport !== 'https' || !names) continue;
        // The model's hostName: an HTTPS listener answers to the server name unless it names another.
        if (names.some((n) => sameName(n, model.hostName ?? undefined))) continue;
        const hostName = listener.hostName ?? server.host;
        findings.push({
          path: listener.hostName ? [...path, 'hostName'] : [...path, 'certificate', 'dnsNames'],
          host: server.host,
          message: `The HTTPS listener of ${server.host} answers to ${hostName}${listener.hostName ? '' : ' (the server name, as hostName is not set)'}, but its certificate names ${names.join(', ')}`,
          hint: `Use a certificate whose subject or SAN carries ${hostName}, or set hostName to one of ${names.join(', ')}. New-Item -Path WSMan:\\localhost\\Listener refuses a certificate that does not match -HostName.`,
        });
      }
    }
    return findings;
  },
};
