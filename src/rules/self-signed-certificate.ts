import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'self-signed-certificate',
  severity: 'warning',
  description: 'A listener or proxy uses a self-signed certificate, which clients must trust by hand or skip checking.',
  source: 'TechNet Wiki 21759, "GALSync: Implementing Exchange Remote PowerShell Tools for FIM Galsync between 2 AD Forests", https://learn.microsoft.com/archive/technet-wiki/21759.galsync-implementing-exchange-remote-powershell-tools-for-fim-galsync-between-2-ad-forests (requires a CA-issued certificate)',
  check({ spec }) {
    const findings: Finding[] = [];
    const hint = 'Use a certificate issued by your enterprise CA (thumbprint) for anything but a lab; a self-signed one must be imported as trusted on every client, or the client must skip CA checks, which removes server authentication.';
    spec.exchange.forEach((server, i) =>
      (server.winrm?.listeners ?? []).forEach((listener, j) => {
        if (!listener.certificate?.selfSigned) return;
        findings.push({ path: ['exchange', i, 'winrm', 'listeners', j, 'certificate', 'selfSigned'], host: server.host, message: `The ${listener.transport.toUpperCase()} listener of ${server.host} uses a self-signed certificate`, hint });
      }),
    );
    (spec.reverseProxies ?? []).forEach((proxy, i) => {
      if (!proxy.certificate?.selfSigned) return;
      findings.push({ path: ['reverseProxies', i, 'certificate', 'selfSigned'], host: proxy.host, message: `Reverse proxy ${proxy.host} publishes ${proxy.publishedName} with a self-signed certificate`, hint });
    });
    return findings;
  },
};
