import type { Finding, Rule } from './rule.js';
import { backends } from './facts.js';

/** Compares only what the spec declares: the proxy's thumbprint and each backend's iisCertificate. */
export const rule: Rule = {
  id: 'proxy-backend-certificate',
  severity: 'info',
  description: 'A reverse proxy bridges TLS with a certificate other than the one its Exchange backend uses, which Extended Protection on that backend does not accept.',
  source: 'https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Extended-Protection.md',
  check(context) {
    const findings: Finding[] = [];
    for (const { proxy: { proxy }, backend, path, target } of backends(context)) {
      const own = proxy.certificate?.thumbprint;
      if (own === undefined) continue;
      const theirs = target?.server.iisCertificate?.thumbprint;
      if (theirs === undefined || theirs.toLowerCase() === own.toLowerCase()) continue;
      findings.push({
        path,
        host: proxy.host,
        message: `${proxy.host} presents certificate ${own.toUpperCase()} to clients but ${backend} uses ${theirs.toUpperCase()} on 443: front-end /PowerShell has no Extended Protection, so this works today, but any virtual directory with Extended Protection published through this proxy would fail, since TLS bridging needs the same certificate on the proxy and on Exchange`,
        hint: `Bind the same certificate (${own.toUpperCase()}, carrying ${proxy.publishedName}) to the Default Web Site of ${backend} and update iisCertificate.thumbprint, before this proxy publishes more than /PowerShell.`,
      });
    }
    return findings;
  },
};
