import type { Finding, Rule } from './rule.js';

export const rule: Rule = {
  id: 'https-listener-certificate',
  severity: 'error',
  description: 'An HTTPS listener declares no certificate (a thumbprint or selfSigned: true), or declares both.',
  source: 'TechNet Wiki 21759, "GALSync: Implementing Exchange Remote PowerShell Tools for FIM Galsync between 2 AD Forests", https://learn.microsoft.com/archive/technet-wiki/21759.galsync-implementing-exchange-remote-powershell-tools-for-fim-galsync-between-2-ad-forests; https://learn.microsoft.com/windows/win32/winrm/installation-and-configuration-for-windows-remote-management',
  waivable: false,
  check({ spec }) {
    const findings: Finding[] = [];
    spec.exchange.forEach((server, i) =>
      (server.winrm?.listeners ?? []).forEach((listener, j) => {
        if (listener.transport !== 'https') return;
        const path = ['exchange', i, 'winrm', 'listeners', j] as const;
        const cert = listener.certificate;
        if (!cert || (!cert.thumbprint && !cert.selfSigned)) {
          findings.push({
            path: cert ? [...path, 'certificate'] : path,
            ...(cert ? {} : { key: 'transport' }),
            host: server.host,
            message: `The HTTPS listener of ${server.host} has no certificate`,
            hint: `Add certificate: { thumbprint: <40 hex characters>, dnsNames: [${listener.hostName ?? server.host}] } naming a CA-issued certificate in Cert:\\LocalMachine\\My (Server Authentication, private key), or selfSigned: true for a lab.`,
          });
        } else if (cert.thumbprint && cert.selfSigned) {
          findings.push({
            path: [...path, 'certificate'],
            key: 'selfSigned',
            host: server.host,
            message: `The HTTPS listener of ${server.host} names thumbprint ${cert.thumbprint} and also asks for a self-signed certificate`,
            hint: 'Keep the thumbprint of the installed certificate and remove selfSigned, or remove the thumbprint to have the scripts create a self-signed one (labs only).',
          });
        }
      }),
    );
    return findings;
  },
};
