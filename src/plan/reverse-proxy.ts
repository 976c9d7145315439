/** The steps of an IIS ARR reverse proxy publishing /PowerShell, and the external client test of its published name. */
import { type EnvironmentModel, type ReverseProxyModel } from '../model/model.js';
import type { HostSteps, ClientScriptPlan } from './types.js';
import { ELEVATED, type Draft, draft, build, script } from './steps.js';
import { credentialData } from './sync-server.js';

/** The only path the proxy forwards: Exchange remote PowerShell, any case, nothing else of the site. */
export const POWERSHELL_PATTERN = '^powershell(/.*)?$';
export const PROXY_SITE = 'Default Web Site';

export function proxyRuleName(proxy: ReverseProxyModel): string {
  return `winrm-forge ${proxy.farmName} PowerShell`;
}

export function planReverseProxy(environment: EnvironmentModel, proxy: ReverseProxyModel): HostSteps {
  const hostNotes: string[] = [];
  const backends = proxy.backendServers.map((b) => b.server);
  const ruleName = proxyRuleName(proxy);
  const rewriteUrl = `https://${proxy.farmName}/{R:0}`;
  const certificate = { publishedName: proxy.publishedName, thumbprint: proxy.thumbprint ?? '', hasThumbprint: proxy.thumbprint !== null, site: PROXY_SITE };
  const farm = { farmName: proxy.farmName, backends: proxy.backends };
  const rule = { ruleName, pattern: POWERSHELL_PATTERN, farmName: proxy.farmName, rewriteUrl, publishedName: proxy.publishedName };
  const drafts: Draft[] = [
    draft({
      slug: 'https-binding',
      template: 'arr-https-binding',
      synopsis: `Checks the certificate of the HTTPS 443 binding of ${PROXY_SITE} on ${proxy.host} for ${proxy.publishedName}.`,
      description: [
        'Stops first when IIS (Web-Server), URL Rewrite or Application Request Routing is missing: install them and run again.',
        proxy.thumbprint
          ? `The certificate ${proxy.thumbprint} must be in Cert:\\LocalMachine\\My with a private key, not expired, naming ${proxy.publishedName}. A missing 443 binding is created and the certificate bound to it; a 443 binding that carries another certificate is left alone and reported, so that a renewal is a deliberate act.`
          : `The spec names no thumbprint: the certificate already bound to 443 is checked (in Cert:\\LocalMachine\\My, private key, not expired, naming ${proxy.publishedName}); a missing binding stops the step.`,
      ],
      summary: `HTTPS 443 binding of ${PROXY_SITE}: certificate ${proxy.thumbprint ?? '(as bound)'} naming ${proxy.publishedName}`,
      data: certificate,
    }
    ),
    draft({
      slug: 'server-farm',
      template: 'arr-server-farm',
      synopsis: `Creates the ARR server farm ${proxy.farmName} on ${proxy.host} with ${proxy.backends.join(', ')} over HTTPS 443.`,
      description: [
        'The farm lives in applicationHost.config (webFarms); each backend is added by address with applicationRequestRouting httpsPort 443. Servers already in the farm that the spec does not list are reported, never removed.',
      ],
      summary: `ARR server farm ${proxy.farmName}: ${proxy.backends.map((b) => `${b}:443`).join(', ')}`,
      data: farm,
    }
    ),
    draft({
      slug: 'rewrite-rule',
      template: 'arr-rewrite-rule',
      synopsis: `Forwards only ${POWERSHELL_PATTERN} (case-insensitive) arriving over HTTPS for ${proxy.publishedName} on ${proxy.host} to the server farm ${proxy.farmName}, preserving the host header.`,
      description: [
        `A global URL Rewrite rule named '${ruleName}' matches ${POWERSHELL_PATTERN} with ignoreCase, requires {HTTPS} ON and {HTTP_HOST} ${proxy.publishedName} (both conditions, MatchAll), and rewrites to ${rewriteUrl}, so ARR proxies it over HTTPS; no rule forwards plain HTTP, which would carry Basic credentials in clear, and /PowerShell of any other host name reaching this proxy is not forwarded.`,
        'The ARR proxy is enabled and preserveHostHeader set in system.webServer/proxy, so the Exchange server sees the published name the client asked for.',
        `Global rules run in order and the new rule is appended last: the step stops, naming them, when an enabled rule above it would catch /PowerShell for ${proxy.publishedName} first (a server farm wizard's ARR_<farm>_loadbalance rule matches every URL and forwards over plain HTTP); it does not reorder the administrator's rules. verify.ps1 checks the same.`,
      ],
      summary: `URL Rewrite global rule '${ruleName}': ${POWERSHELL_PATTERN} (ignoreCase, HTTPS only, host ${proxy.publishedName}) -> ${rewriteUrl}; proxy enabled, preserveHostHeader true`,
      data: rule,
    }
    ),
  ];
  if (backends.some((b) => !b.ip && !b.ipv6) || (!proxy.ip && !proxy.ipv6)) hostNotes.push('Hosts without an ip or ipv6 in the spec are missing from the firewall rules that admit the proxy on the Exchange servers.');
  const steps = build(drafts);
  const verify = script({
    fileName: 'verify.ps1',
    template: 'verify-reverse-proxy',
    synopsis: `Checks the IIS ARR publishing of https://${proxy.publishedName}/PowerShell on ${proxy.host}, without changing anything.`,
    description: [
      'Checks the IIS features, the 443 binding certificate, the server farm, the rewrite rule and the proxy settings, probes TCP 443 to every backend, then requests the published URL and expects the authentication challenge (HTTP 401) of the Exchange server, not 404 (no rule) or 502 (certificate trust between proxy and Exchange).',
      `The request goes to ${proxy.publishedName} as this server resolves it: add a hosts entry pointing to this proxy if it resolves elsewhere.`,
    ],
    summary: 'Read-only checks: IIS features, certificate, farm, rule, proxy settings, backends, and the published URL answering 401',
    data: { ...certificate, ...farm, ...rule, url: `https://${proxy.publishedName}/PowerShell` },
    kind: 'check',
  }
  );
  return {
    host: proxy.host,
    folder: proxy.folder,
    role: 'reverse-proxy',
    roleLabel: `IIS ARR reverse proxy for ${proxy.publishedName}`,
    os: proxy.os,
    runFrom: `${ELEVATED}, with IIS, URL Rewrite and Application Request Routing installed`,
    steps,
    verify,
    extras: [],
    notes: hostNotes,
  };
}

export function planExternalClient(environment: EnvironmentModel, proxy: ReverseProxyModel): ClientScriptPlan | null {
  const client = proxy.externalClient;
  if (!client) return null;
  const backends = proxy.backends.join(', ');
  const uri = `https://${proxy.publishedName}/PowerShell`;
  return {
    folder: proxy.publishedName,
    label: `external client of ${proxy.publishedName}`,
    runFrom: 'Windows PowerShell 5.1 on a computer outside the network, as the external administrator (no elevation needed)',
    script: script({
      fileName: 'external-client-test.ps1',
      template: 'external-client-test',
      synopsis: `Opens the Exchange remote PowerShell session published at ${uri} from outside, as an external administrator would.`,
      description: [
        `New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri ${uri} -Authentication Basic -AllowRedirection, through ${proxy.host} to ${backends}. The number of imported commands shows what Exchange RBAC grants the account; the session is removed at the end.`,
        client.allowSkipCertificateChecks
          ? '-SkipCertificateChecks skips the CA, name and revocation checks of the certificate (New-PSSessionOption -SkipCACheck -SkipCNCheck -SkipRevocationCheck). Lab use only: it also accepts an attacker\'s certificate.'
          : 'Certificate checks are always on: the spec does not allow skipping them (externalClient.allowSkipCertificateChecks).',
        'A failure is mapped to the troubleshooting rows of PLAN.md (HTTP 400, 403, 502) with this environment\'s names. Read-only on the Exchange side: the test only imports the commands.',
      ],
      summary: `External session test to ${uri} (Basic, RBAC command count)`,
      data: {
        uri,
        proxy: proxy.host,
        backends,
        allowSkip: client.allowSkipCertificateChecks,
        ...credentialData(client.credential),
      },
      kind: 'check',
    }
    ),
  };
}
