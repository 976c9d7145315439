/** The port matrix (flows from each sync server) and the host firewall rules of each Exchange server. */
import { type EnvironmentModel, type ExchangeModel, type ReverseProxyModel, type SyncServerModel } from '../model/model.js';
import type { PortFlow, FirewallRulePlan } from './types.js';
import { uniqueSorted } from './steps.js';
import { indexBy, oncePer } from '../shared/memo.js';
import { targetForests, needsKerberos } from './sync-server.js';

/** The inbound rules Enable-PSRemoting enables for WinRM over HTTP (TCP 5985), as Microsoft names them (about_Remote_Troubleshooting). */
export const BUILT_IN_WINRM_HTTP_RULES = ['WINRM-HTTP-In-TCP', 'WINRM-HTTP-In-TCP-PUBLIC'];

/** Whether the spec declares WinRM listeners on this server and every one of them is HTTPS. */
export function httpsOnlyListeners(server: ExchangeModel): boolean {
  const listeners = server.winrm?.listeners ?? [];
  return listeners.length > 0 && listeners.every((l) => l.transport === 'https');
}

interface Sources {
  syncSources: SyncServerModel[];
  proxySources: ReverseProxyModel[];
}

/** The sync servers and proxies that reach each Exchange server, gathered in one pass per environment (in declaration order). */
const sourcesByServer = oncePer((environment: EnvironmentModel) => {
  const built = new Map<string, Sources>();
  const entry = (host: string) => {
    let sources = built.get(host);
    if (!sources) built.set(host, (sources = { syncSources: [], proxySources: [] }));
    return sources;
  };
  for (const s of environment.syncServers) for (const host of new Set(s.connections.map((c) => c.exchange))) entry(host).syncSources.push(s);
  for (const p of environment.reverseProxies) for (const host of new Set(p.backends)) entry(host).proxySources.push(p);
  return built;
});

export function exchangeSources(environment: EnvironmentModel, server: ExchangeModel): Sources {
  const sources = sourcesByServer(environment).get(server.host);
  return { syncSources: [...(sources?.syncSources ?? [])], proxySources: [...(sources?.proxySources ?? [])] };
}

export function firewallRulesFor(environment: EnvironmentModel, server: ExchangeModel, notes: string[]): FirewallRulePlan[] {
  if (!server.firewall.manage) return [];
  const { syncSources, proxySources } = exchangeSources(environment, server);
  // A source is admitted by every address the spec declares for it, IPv4 and IPv6 alike.
  for (const s of syncSources) if (!s.ip && !s.ipv6) notes.push(`${s.host} has no ip or ipv6 in the spec: the firewall rules on ${server.host} cannot include it.`);
  for (const p of proxySources) if (!p.ip && !p.ipv6) notes.push(`${p.host} has no ip or ipv6 in the spec: the firewall rules on ${server.host} cannot include it.`);
  const addressesOf = (h: { ip: string | null; ipv6: string | null }) => [...(h.ip ? [h.ip] : []), ...(h.ipv6 ? [h.ipv6] : [])];
  const byPort = new Map<number, { addresses: Set<string>; purposes: Set<string> }>();
  const add = (port: number, addresses: string[], purpose: string) => {
    const entry = byPort.get(port) ?? { addresses: new Set<string>(), purposes: new Set<string>() };
    addresses.forEach((a) => entry.addresses.add(a));
    entry.purposes.add(purpose);
    byPort.set(port, entry);
  };
  for (const s of syncSources) {
    for (const c of s.connections.filter((c) => c.exchange === server.host)) {
      if (s.ip || s.ipv6) add(c.port, addressesOf(s), c.endpoint === 'exchange-powershell' ? `Exchange remote PowerShell ${c.scheme}` : `WinRM ${c.scheme.toUpperCase()}`);
    }
  }
  for (const p of proxySources) if (p.ip || p.ipv6) add(443, addressesOf(p), 'Exchange remote PowerShell https from the reverse proxy');
  const rules: FirewallRulePlan[] = [];
  for (const [port, entry] of [...byPort.entries()].sort((a, b) => a[0] - b[0])) {
    const remoteAddresses = uniqueSorted([...entry.addresses, ...server.firewall.additionalSources]);
    if (remoteAddresses.length === 0) continue;
    const purpose = uniqueSorted(entry.purposes).join(', ');
    rules.push({
      host: server.host,
      name: `winrm-forge-tcp-${port}-in`,
      displayName: `winrm-forge: ${purpose} (TCP ${port})`,
      port,
      remoteAddresses,
      profiles: server.firewall.profiles,
      purpose,
    });
  }
  return rules;
}


/** The declared IPv6 address of a host of the spec (Exchange, sync server, proxy, domain controller). */
// The first declaration of a name wins, in the order a search would try them.
const addressedHosts = oncePer((environment: EnvironmentModel) =>
  indexBy([...environment.exchange, ...environment.syncServers, ...environment.reverseProxies, ...environment.forests.flatMap((f) => f.domainControllers)], (h) => h.host),
);

function ipv6Of(environment: EnvironmentModel, host: string): string | null {
  return addressedHosts(environment).get(host)?.ipv6 ?? null;
}

export function syncFlows(environment: EnvironmentModel, sync: SyncServerModel): PortFlow[] {
  const flows: PortFlow[] = [];
  const flow = (to: string, toIp: string | null, protocol: 'TCP' | 'UDP', port: number, purpose: string, check: string) =>
    flows.push({ from: sync.host, fromIp: sync.ip, fromIpv6: sync.ipv6, to, toIp, toIpv6: ipv6Of(environment, to), protocol, port, purpose, check });
  for (const forest of targetForests(environment, sync)) {
    const connections = sync.connections.filter((c) => c.target.forest === forest.name);
    const kerberos = connections.some(needsKerberos);
    const ldapDcs = new Set(connections.flatMap((c) => (c.ldapDomainController ? [c.ldapDomainController] : [])));
    for (const dc of forest.domainControllers) {
      if (kerberos) {
        flow(dc.host, dc.ip, 'TCP', 88, 'Kerberos (missing: "Access denied" on export)', 'verify.ps1 (TCP connect)');
        flow(dc.host, dc.ip, 'UDP', 88, 'Kerberos', 'not testable here: klist get in verify.ps1 may go over TCP (Windows switches to TCP for tickets larger than MaxPacketSize, usual with a PAC) and reaches only the DC the locator picks; firewall team to confirm');
        flow(dc.host, dc.ip, 'TCP', 53, 'DNS', 'verify.ps1 (TCP connect)');
        flow(dc.host, dc.ip, 'UDP', 53, 'DNS (missing: 3-4 minute authentication delays)', 'not testable here: verify.ps1 queries this DC with Resolve-DnsName where the cmdlet exists, whose transport is not guaranteed to be UDP; firewall team to confirm');
      }
      if (ldapDcs.size === 0 || ldapDcs.has(dc.host)) {
        flow(dc.host, dc.ip, 'TCP', forest.ldaps ? 636 : 389, forest.ldaps ? 'LDAPS (management agent)' : 'LDAP (management agent)', 'verify.ps1 (TCP connect)');
      }
      if (forest.globalCatalog && dc.globalCatalog) {
        flow(dc.host, dc.ip, 'TCP', forest.ldaps ? 3269 : 3268, 'Global Catalog (optional, falls back to LDAP)', 'verify.ps1 (TCP connect)');
      }
    }
  }
  const seen = new Set<string>();
  for (const c of sync.connections) {
    const server = c.target;
    const add = (port: number, purpose: string) => {
      const key = `${server.host}:${port}`;
      if (seen.has(key)) return;
      seen.add(key);
      flow(server.host, server.ip, 'TCP', port, purpose, 'verify.ps1 (TCP connect)');
    };
    // Only the port each connection uses: the Exchange /PowerShell endpoint is IIS (80/443), and
    // WinRM listeners no connection uses get no flow and no firewall rule.
    add(c.port, c.endpoint === 'exchange-powershell' ? `Exchange remote PowerShell (${c.scheme})` : `WinRM ${c.scheme.toUpperCase()} (${c.uri})`);
  }
  return flows;
}
