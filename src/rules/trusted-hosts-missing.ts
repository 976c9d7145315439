import type { Finding, Rule } from './rule.js';
import { connections, trustsBetween } from './facts.js';
import { sameName } from './wording.js';

/** Whether a TrustedHosts entry ('*', '*.suffix', a name or an IP) covers a host. */
export function trustedHostsCover(entries: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  return entries.some((raw) => {
    const e = raw.toLowerCase();
    if (e === '*') return true;
    if (e.startsWith('*.')) return h.endsWith(e.slice(1));
    return e === h;
  });
}

export const rule: Rule = {
  id: 'trusted-hosts-missing',
  severity: 'error',
  description: 'A sync server reaches a CAS over http:// with NTLM (Negotiate to an IP address or across untrusted forests), but its TrustedHosts does not list that CAS.',
  source: 'Monofor, "Exchange Integration" (Monosync documentation), https://help.monofor.com/monosync/exchange-integration (corrected: TrustedHosts is a client setting); https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting',
  check(context) {
    const findings: Finding[] = [];
    for (const c of connections(context)) {
      if (!c.uri || c.uri.scheme !== 'http') continue;
      const auth = c.connection.authentication;
      const crossesUntrusted = c.target !== null && !sameName(c.sync.forest, c.target.server.forest) && trustsBetween(context, c.sync.forest, c.target.server.forest).length === 0;
      let why: string | undefined;
      // Basic over http:// is reported by basic-over-http: the fix is https://, not TrustedHosts.
      if (auth === 'basic' || auth === 'kerberos') continue;
      if (c.uri.hostIsIp) why = `${auth === 'default' ? 'default authentication' : 'Negotiate'} to an IP address (NTLM)`;
      else if (crossesUntrusted) why = `${auth === 'default' ? 'default authentication' : 'Negotiate'} across untrusted forests (NTLM)`;
      if (!why) continue;
      // Sorted by code point in the model.
      const entries = c.syncModel.trustedHosts;
      if (trustedHostsCover(entries, c.uri.host)) continue;
      const hasList = c.sync.winrmClient?.trustedHosts !== undefined;
      findings.push({
        path: hasList ? ['syncServers', c.syncIndex, 'winrmClient', 'trustedHosts'] : [...c.path, 'uri'],
        host: c.sync.host,
        message: `${c.sync.host} reaches ${c.uri.host} over http:// with ${why}, but its TrustedHosts ${hasList ? `(${entries.join(', ') || 'empty'})` : 'is not declared and'} does not list ${c.uri.host}`,
        hint: `Add ${c.uri.host} to syncServers[${c.syncIndex}].winrmClient.trustedHosts (the WinRM client refuses unauthenticated servers otherwise), or connect over https://, or use Kerberos to the FQDN.`,
      });
    }
    return findings;
  },
};
