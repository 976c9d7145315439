import type { Finding, Rule } from './rule.js';
import { connections, reverseProxies } from './facts.js';
import { listing } from './wording.js';

/**
 * HTTPS to the front-end /PowerShell of an Exchange server. Kerberos over https:// is left to
 * kerberos-over-https-exchange (it fails outright there), connections to undeclared servers to
 * connection-unknown-exchange, proxies to undeclared backends to proxy-unknown-backend.
 */
export const rule: Rule = {
  id: 'frontend-powershell-https',
  severity: 'warning',
  description: 'A connection or reverse proxy reaches https://<cas>/PowerShell, which Microsoft does not support on the Exchange front end.',
  source: 'https://github.com/microsoft/CSS-Exchange/issues/2168; https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Extended-Protection.md',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.target || c.uri?.scheme !== 'https' || c.uri.endpoint !== 'exchange' || c.connection.authentication === 'kerberos') continue;
      findings.push({
        path: [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} connects to ${c.connection.uri}: Microsoft does not support HTTPS to the front-end PowerShell virtual directory of ${c.target.server.host}, which has no Extended Protection and must keep Require SSL off`,
        hint: `Prefer Kerberos over http://${c.uri.host}/PowerShell/ (WinRM encrypts the session). If Basic over HTTPS is required, it still works: waive this rule for ${c.sync.host} with the reason, and expect Microsoft support to ask for the supported path.`,
      });
    }
    for (const { proxy, model, index: i } of reverseProxies(context)) {
      const backends = model.backendServers.filter((b) => b.server !== null);
      if (backends.length === 0) continue;
      const urls = backends.map((b) => `https://${b.host}/PowerShell`).sort();
      findings.push({
        path: ['reverseProxies', i, 'backends'],
        host: proxy.host,
        message: `${proxy.host} forwards ${proxy.publishedName}/PowerShell to ${listing(urls)}: HTTPS to the front-end PowerShell virtual directory is outside Microsoft's support, and TLS must be bridged (not offloaded) with the same certificate as Exchange if Extended Protection is ever enabled there`,
        hint: `Publishing remote PowerShell through a reverse proxy works (TechNet Wiki 31066) but is not a supported path; where administrators can reach the network, prefer Kerberos over http:// from inside it. To keep it, waive this rule for ${proxy.host} with the reason and declare iisCertificate on each backend so that proxy-backend-certificate can compare.`,
      });
    }
    return findings;
  },
};
