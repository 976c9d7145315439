/**
 * Synthetic estates for the benchmark: a hub forest holding the sync servers, and target
 * forests each with domain controllers and Exchange servers (CAS), trusted both ways with the
 * hub; every sync server opens remote PowerShell to the first CAS of every target forest.
 * The spec is valid and holds exactly the number of hosts asked for.
 */
import { stringify } from 'yaml';

export interface EstateShape {
  hosts: number;
  targetForests: number;
  domainControllers: number;
  exchangeServers: number;
  syncServers: number;
}

/** How an estate of `hosts` hosts is split up, scaling forests and sync servers with size. */
export function estateShape(hosts: number): EstateShape {
  const syncServers = Math.max(1, Math.round(hosts / 250));
  const targetForests = Math.max(2, Math.round(hosts / 100));
  const dcsPerForest = hosts < 20 ? 1 : 2;
  const domainControllers = dcsPerForest * (targetForests + 1);
  const exchangeServers = hosts - syncServers - domainControllers;
  if (exchangeServers < targetForests) throw new Error(`an estate of ${hosts} hosts is too small for ${targetForests} forests`);
  return { hosts, targetForests, domainControllers, exchangeServers, syncServers };
}

const HUB = 'hub.contoso.com';
const forestName = (f: number) => `forest${String(f).padStart(3, '0')}.fabrikam.com`;
const netbios = (f: number) => `FOREST${String(f).padStart(3, '0')}`;
/** 10.<forest>.<high>.<low>; forest 0 is the hub. Host numbers start at 10. */
const ip = (forest: number, n: number) => `10.${forest}.${(n + 10) >> 8}.${(n + 10) & 255}`;

/** The estate's spec as YAML text. */
export function syntheticEstate(hosts: number): string {
  const shape = estateShape(hosts);
  const dcsPerForest = shape.domainControllers / (shape.targetForests + 1);
  const forests = [];
  const domainControllersOf = (f: number, domain: string) =>
    Array.from({ length: dcsPerForest }, (_, d) => ({ host: `dc${String(d + 1).padStart(2, '0')}.${domain}`, ip: ip(f, d) }));
  forests.push({
    name: HUB,
    netbiosName: 'HUB',
    trusts: Array.from({ length: shape.targetForests }, (_, t) => ({ forest: forestName(t + 1), direction: 'two-way' })),
    domainControllers: domainControllersOf(0, HUB),
  });
  for (let f = 1; f <= shape.targetForests; f++) {
    forests.push({ name: forestName(f), netbiosName: netbios(f), trusts: [{ forest: HUB, direction: 'two-way' }], domainControllers: domainControllersOf(f, forestName(f)) });
  }

  const exchange = [];
  const firstCas: string[] = [];
  for (let i = 0; i < shape.exchangeServers; i++) {
    const f = (i % shape.targetForests) + 1;
    const n = Math.floor(i / shape.targetForests);
    const host = `cas${String(n + 1).padStart(3, '0')}.${forestName(f)}`;
    if (n === 0) firstCas.push(host);
    exchange.push({
      host,
      forest: forestName(f),
      ip: ip(f, dcsPerForest + n),
      exchangeVersion: 'exchange-se',
      winrm: { listeners: [{ transport: 'http' }], auth: { kerberos: true, negotiate: true, basic: false, cbtHardening: 'relaxed' }, allowUnencrypted: false },
      remoteManagementUsers: ['HUB\\svc_sync'],
      delegation: { mode: 'none' },
    });
  }

  const syncServers = Array.from({ length: shape.syncServers }, (_, s) => ({
    host: `mim${String(s + 1).padStart(2, '0')}.${HUB}`,
    forest: HUB,
    ip: ip(0, dcsPerForest + s),
    product: 'mim-2016',
    serviceAccount: 'HUB\\svc_sync',
    credential: { source: 'prompt' },
    connections: firstCas.map((cas, t) => ({ exchange: cas, uri: `http://${cas}/PowerShell/`, authentication: 'kerberos', ldapDomainController: `dc01.${forestName(t + 1)}` })),
    winrmClient: { trustedHosts: firstCas, auth: { kerberos: true, negotiate: true, basic: false }, allowUnencrypted: false },
    executionPolicy: 'remote-signed',
  }));

  const spec = {
    version: 1,
    environment: `estate-${hosts}`,
    metadata: { description: `Synthetic estate of ${hosts} hosts for the benchmark.`, owner: 'Benchmark' },
    defaults: { os: 'windows-server-2022', preferIPv4: 'none', firewallProfiles: ['domain'] },
    forests,
    exchange,
    syncServers,
  };
  return `# Synthetic estate: ${shape.hosts} hosts (${shape.targetForests} target forests, ${shape.domainControllers} domain controllers, ${shape.exchangeServers} Exchange servers, ${shape.syncServers} sync servers).\n${stringify(spec, { lineWidth: 0 })}`;
}

/**
 * The estate with one line of one host changed, as a pull request would: the first Exchange
 * server's CBT hardening from relaxed to strict.
 */
export function oneHostChange(estate: string): string {
  const at = estate.indexOf("cbtHardening: relaxed");
  if (at < 0) throw new Error('the synthetic estate has no cbtHardening: relaxed to change');
  return `${estate.slice(0, at)}cbtHardening: strict${estate.slice(at + 'cbtHardening: relaxed'.length)}`;
}
