/**
 * The installed default state of each host of a plan, as Windows (and, for Exchange and IIS
 * hosts, the Exchange installer) leaves it before any generated script runs, plus what the
 * network around the host gives: reachable ports, DNS answers, and the remote ends the sync
 * server connects to. Built from the model and the OS profile, never from the scripts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentModel, ExchangeModel, ReverseProxyModel, SyncServerModel } from '../../../src/model/model.js';
import type { HostPlan, Plan } from '../../../src/plan/plan.js';
import { repositoryRoot } from './pwsh-client.js';

/** The simulated host's state: one JSON document (test/windows/README.md documents each key). */
export type SimState = Record<string, any>;
/** AD and DNS state shared by every host of the environment, passed along in run order. */
export type Directory = { ad: Record<string, any>; dns: Record<string, any> };

export interface OsProfile {
  name: string;
  missingCommands?: string[];
  modules?: string[];
  installed?: Record<string, any>;
}

export const OS_PROFILES = [
  'windows-server-2008-r2',
  'windows-server-2012',
  'windows-server-2012-r2',
  'windows-server-2016',
  'windows-server-2019',
  'windows-server-2022',
  'windows-server-2025',
] as const;

const rank = (os: string) => OS_PROFILES.indexOf(os as (typeof OS_PROFILES)[number]);

export function loadProfile(os: string): OsProfile {
  const path = join(repositoryRoot(), 'test', 'windows', 'profiles', `${os}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as OsProfile;
}

/** A stable fake SID per account name, so that the same account resolves the same everywhere. */
export function sidOf(name: string): string {
  let h = 2166136261;
  for (const ch of name.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `S-1-5-21-1004336348-1177238915-682003330-${1000 + (h % 100000)}`;
}

/** Every spelling of an account the scripts may translate: DOMAIN\sam, sam@domain. */
export function accountNames(account: string, environment: EnvironmentModel): string[] {
  const names = new Set<string>([account]);
  const m = /^([^\\@]+)\\(.+)$/.exec(account) ?? null;
  const u = /^([^@\\]+)@(.+)$/.exec(account) ?? null;
  for (const forest of environment.forests) {
    const netbios = forest.netbiosName ?? forest.name.split('.')[0]!.toUpperCase();
    if (m && m[1]!.toUpperCase() === netbios.toUpperCase()) names.add(`${m[2]}@${forest.name}`);
    if (u && u[2]!.toLowerCase() === forest.name.toLowerCase()) names.add(`${netbios}\\${u[1]}`);
  }
  return [...names];
}

type AnyHost = ExchangeModel | SyncServerModel | ReverseProxyModel | { kind: 'domain-controller'; host: string; ip: string | null; forest: string };

export function hostModel(environment: EnvironmentModel, host: string): AnyHost {
  const found =
    environment.exchange.find((h) => h.host === host) ??
    environment.syncServers.find((h) => h.host === host) ??
    environment.reverseProxies.find((h) => h.host === host);
  if (found) return found;
  for (const forest of environment.forests) {
    const dc = forest.domainControllers.find((d) => d.host === host);
    if (dc) return { kind: 'domain-controller', host, ip: dc.ip, forest: forest.name };
  }
  throw new Error(`host ${host} is not in the model`);
}

function osOf(hostPlan: HostPlan): string {
  return hostPlan.os?.os ?? 'windows-server-2012-r2';
}

/** The WinRM configuration Windows installs (winrm get winrm/config on a fresh server). */
function defaultWsman(os: string) {
  const listeners =
    rank(os) >= rank('windows-server-2012')
      ? [{ Address: '*', Transport: 'HTTP', Port: 5985, Hostname: '', Enabled: 'true', URLPrefix: 'wsman', CertificateThumbprint: '' }]
      : [];
  return {
    Service: {
      AllowUnencrypted: 'false',
      IPv4Filter: '*',
      IPv6Filter: '*',
      Auth: { Basic: 'false', Kerberos: 'true', Negotiate: 'true', Certificate: 'false', CredSSP: 'false', CbtHardeningLevel: 'Relaxed' },
    },
    Client: {
      TrustedHosts: '',
      AllowUnencrypted: 'false',
      Auth: { Basic: 'true', Digest: 'true', Kerberos: 'true', Negotiate: 'true', Certificate: 'true', CredSSP: 'false' },
    },
    listeners,
  };
}

function defaultSessionConfigurations(os: string) {
  if (rank(os) < rank('windows-server-2012')) return {};
  const permissions = [
    { sid: 'S-1-5-4', account: 'NT AUTHORITY\\INTERACTIVE', access: 'AccessAllowed' },
    { sid: 'S-1-5-32-544', account: 'BUILTIN\\Administrators', access: 'AccessAllowed' },
    { sid: 'S-1-5-32-580', account: 'BUILTIN\\Remote Management Users', access: 'AccessAllowed' },
  ];
  const names = ['microsoft.powershell', 'microsoft.powershell.workflow', 'microsoft.powershell32'];
  return Object.fromEntries(names.map((n) => [n, { enabled: true, permissions: permissions.map((p) => ({ ...p })) }]));
}

function defaultFirewall(os: string) {
  if (rank(os) < rank('windows-server-2012')) return { rules: [] };
  // Windows Remote Management (HTTP-In): enabled with remoting on 2012 and later; Public limited to the local subnet.
  return {
    rules: [
      { Name: 'WINRM-HTTP-In-TCP', DisplayName: 'Windows Remote Management (HTTP-In)', Group: 'Windows Remote Management', Direction: 'Inbound', Protocol: 'TCP', LocalPort: ['5985'], RemoteAddress: ['Any'], Action: 'Allow', Profile: 'Domain, Private', Enabled: 'True' },
      { Name: 'WINRM-HTTP-In-TCP-PUBLIC', DisplayName: 'Windows Remote Management (HTTP-In)', Group: 'Windows Remote Management', Direction: 'Inbound', Protocol: 'TCP', LocalPort: ['5985'], RemoteAddress: ['LocalSubnet'], Action: 'Allow', Profile: 'Public', Enabled: 'True' },
    ],
  };
}

/** Windows' default prefix policy table (netsh interface ipv6 show prefixpolicies). */
export const DEFAULT_PREFIX_POLICIES = [
  { precedence: 50, label: 0, prefix: '::1/128' },
  { precedence: 40, label: 1, prefix: '::/0' },
  { precedence: 35, label: 4, prefix: '::ffff:0:0/96' },
  { precedence: 30, label: 2, prefix: '2002::/16' },
  { precedence: 5, label: 5, prefix: '2001::/32' },
  { precedence: 3, label: 13, prefix: 'fc00::/7' },
  { precedence: 1, label: 11, prefix: 'fec0::/10' },
  { precedence: 1, label: 12, prefix: '3ffe::/16' },
  { precedence: 1, label: 3, prefix: '::/96' },
];

const TCPIP6_PARAMETERS = 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters';

/**
 * What a restart does to a host's state: Windows builds the running prefix policy table when
 * TCP/IP starts, from the stored (persistent) table, and with the DisabledComponents bit 0x20
 * ("prefer IPv4 over IPv6", KB 929852) with the IPv4-mapped prefix ::ffff:0:0/96 above ::/0. The
 * precedence 100 is RFC 6724 section 10.3's IPv4-preferring table; the scripts compare only the
 * order. Nothing else of the state is modelled as changing at a restart.
 */
export function restartHost(state: SimState): SimState {
  const s = JSON.parse(JSON.stringify(state)) as SimState;
  const stored: any[] = s.prefixPolicies?.persistent ?? DEFAULT_PREFIX_POLICIES;
  const table = stored.map((p) => ({ ...p }));
  const bits = Number(s.registry?.[TCPIP6_PARAMETERS]?.DisabledComponents?.value ?? 0);
  if ((bits & 0x20) !== 0) {
    const mapped = table.find((p) => p.prefix === '::ffff:0:0/96');
    const def = table.find((p) => p.prefix === '::/0');
    if (mapped && def && mapped.precedence <= def.precedence) mapped.precedence = 100;
  }
  table.sort((a, b) => b.precedence - a.precedence);
  s.prefixPolicies = { ...(s.prefixPolicies ?? {}), active: table };
  return s;
}

/** A certificate as the Cert: stub keeps it (stubs/certificates.ps1). */
export function certificate(thumbprint: string, dnsNames: string[], options: { selfSigned?: boolean; notBefore?: string; notAfter?: string } = {}) {
  const subject = `CN=${dnsNames[0] ?? 'unnamed'}`;
  return {
    Thumbprint: thumbprint.toUpperCase(),
    Subject: subject,
    Issuer: options.selfSigned ? subject : 'CN=Contoso Issuing CA 01, DC=corp, DC=contoso, DC=com',
    DnsNameList: dnsNames,
    NotBefore: options.notBefore ?? '2026-01-01T00:00:00Z',
    NotAfter: options.notAfter ?? '2027-12-31T00:00:00Z',
    HasPrivateKey: true,
    EnhancedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
    trusted: !options.selfSigned,
  };
}

/** The simulated clock: fixed, so certificate validity and every run are reproducible. */
export const SIM_NOW = '2026-12-01T12:00:00Z';

/** The shared directory (AD and DNS) of an environment before any step runs. */
export function defaultDirectory(environment: EnvironmentModel): Directory {
  const records: Record<string, { A: string[]; AAAA: string[] }> = {};
  const add = (name: string, ip: string | null) => {
    const r = (records[name.toLowerCase()] ??= { A: [], AAAA: [] });
    if (ip) (ip.includes(':') ? r.AAAA : r.A).push(ip);
  };
  let n = 10;
  const next = () => `10.250.0.${n++}`;
  // A declared IPv6 address is an AAAA record next to the A record.
  for (const h of [...environment.exchange, ...environment.syncServers, ...environment.reverseProxies]) {
    add(h.host, h.ip ?? next());
    add(h.host, h.ipv6);
  }
  for (const p of environment.reverseProxies) add(p.publishedName, p.ip ?? next());
  // A listener's own host name (a management alias) resolves to the address it listens on, else the server's.
  for (const ex of environment.exchange) {
    for (const l of ex.winrm?.listeners ?? []) {
      if (!l.hostName || l.hostName.toLowerCase() === ex.host.toLowerCase()) continue;
      const bound = /^IP:(.+)$/i.exec(l.address)?.[1];
      add(l.hostName, bound ?? records[ex.host.toLowerCase()]?.A[0] ?? next());
    }
  }
  const srv: Record<string, string[]> = {};
  for (const forest of environment.forests) {
    for (const dc of forest.domainControllers) {
      add(dc.host, dc.ip ?? next());
      add(dc.host, dc.ipv6);
    }
    srv[`_ldap._tcp.dc._msdcs.${forest.name}`.toLowerCase()] = forest.domainControllers.map((d) => d.host);
    srv[`_kerberos._tcp.${forest.name}`.toLowerCase()] = forest.domainControllers.map((d) => d.host);
  }
  // Each DC answers for its own forest (and for forests it has a trust with, through conditional forwarders).
  const servers: Record<string, string[]> = {};
  for (const forest of environment.forests) {
    const zones = [forest.name, ...forest.trusts.map((t) => t.forest)];
    for (const dc of forest.domainControllers) servers[dc.host.toLowerCase()] = zones;
  }
  return { ad: {}, dns: { records, srv, servers } };
}

export interface HostContext {
  environment: EnvironmentModel;
  plan: Plan;
  hostPlan: HostPlan;
  os: string;
}

/** The installed default state of one host. `directory` is the environment's shared AD and DNS. */
export function defaultState(plan: Plan, hostPlan: HostPlan, directory: Directory, osOverride?: string): SimState {
  const environment = plan.environment;
  const os = osOverride ?? osOf(hostPlan);
  const profile = loadProfile(os);
  const model = hostModel(environment, hostPlan.host);
  const fqdn = hostPlan.host.toLowerCase();
  const short = fqdn.split('.')[0]!;
  const domain = fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : fqdn;
  const forest = environment.forests.find((f) => domain === f.name || domain.endsWith(`.${f.name}`));
  const netbios = forest?.netbiosName ?? domain.split('.')[0]!.toUpperCase();
  const modules: string[] = [];
  if (model.kind === 'domain-controller') modules.push('ActiveDirectory');
  if (model.kind === 'reverse-proxy' || model.kind === 'exchange') modules.push('WebAdministration');
  if (model.kind === 'exchange' || model.kind === 'sync-server') modules.push('ActiveDirectory');
  if (model.kind === 'sync-server' && model.connections.some((c) => c.credential.source === 'vault')) modules.push('Microsoft.PowerShell.SecretManagement');

  const accounts: Record<string, string> = {};
  const allAccounts = new Set<string>();
  for (const ex of environment.exchange) ex.remoteManagementUsers.forEach((a) => allAccounts.add(a));
  for (const s of environment.syncServers) {
    allAccounts.add(s.serviceAccount);
    s.connections.forEach((c) => allAccounts.add(c.credential.account));
  }
  for (const p of environment.reverseProxies) if (p.externalClient) allAccounts.add(p.externalClient.credential.account);
  for (const a of allAccounts) {
    const sid = sidOf(accountNames(a, environment).sort()[0]!);
    for (const name of accountNames(a, environment)) accounts[name] = sid;
  }
  accounts['BUILTIN\\Remote Management Users'] = 'S-1-5-32-580';
  accounts['BUILTIN\\Administrators'] = 'S-1-5-32-544';

  const certificates: { My: any[]; Root: any[] } = { My: [], Root: [] };
  if (model.kind === 'exchange') {
    for (const l of model.winrm?.listeners ?? []) {
      const c = l.certificate;
      if (c?.kind !== 'thumbprint') continue;
      if (certificates.My.some((x) => x.Thumbprint === c.thumbprint.toUpperCase())) continue;
      certificates.My.push(certificate(c.thumbprint, c.dnsNames.length ? c.dnsNames : [l.hostName ?? fqdn]));
    }
  }
  if (model.kind === 'reverse-proxy' && model.thumbprint) {
    certificates.My.push(certificate(model.thumbprint, model.certificateNames.length ? model.certificateNames : [model.publishedName]));
  }

  const secrets: Record<string, { userName: string }> = {};
  if (model.kind === 'sync-server') {
    for (const c of model.connections) {
      if (c.credential.source === 'vault') secrets[`${c.credential.vault}/${c.credential.secretName}`] = { userName: c.credential.account };
    }
  }

  const reachable = plan.flows.filter((f) => f.from.toLowerCase() === fqdn && f.protocol === 'TCP').map((f) => `${f.to.toLowerCase()}:${f.port}`);

  const state: SimState = {
    host: { fqdn, computerName: short.toUpperCase(), domain, netbios, os, psVersion: hostPlan.powershell?.version ?? '5.1', is64BitProcess: true, remoteSession: false, modules, now: SIM_NOW },
    services: { WinRM: { status: 'Running', startMode: 'Auto', displayName: 'Windows Remote Management (WS-Management)' } },
    wsman: defaultWsman(os),
    sessionConfigurations: defaultSessionConfigurations(os),
    localGroups:
      rank(os) >= rank('windows-server-2012')
        ? { 'Remote Management Users': { sid: 'S-1-5-32-580', members: [] }, Administrators: { sid: 'S-1-5-32-544', members: [{ name: `${netbios}\\Domain Admins`, sid: sidOf(`${netbios}\\Domain Admins`) }] } }
        : { Administrators: { sid: 'S-1-5-32-544', members: [{ name: `${netbios}\\Domain Admins`, sid: sidOf(`${netbios}\\Domain Admins`) }] } },
    accounts,
    firewall: defaultFirewall(os),
    registry: { 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters': {} },
    // The running table and the stored one netsh writes by default; a restart rebuilds the first from the second.
    prefixPolicies: { active: DEFAULT_PREFIX_POLICIES.map((p) => ({ ...p })), persistent: DEFAULT_PREFIX_POLICIES.map((p) => ({ ...p })) },
    executionPolicy: { MachinePolicy: 'Undefined', UserPolicy: 'Undefined', Process: 'Undefined', CurrentUser: 'Undefined', LocalMachine: rank(os) >= rank('windows-server-2012-r2') ? 'RemoteSigned' : 'Restricted' },
    certificates,
    network: { reachable },
    kerberos: { tickets: [] },
    secrets,
    remote: remoteEnds(environment, model),
    directory,
    // The System log of every domain controller of a DC's forest (the KDCSVC check reads them by name): empty as installed.
    eventLogs: model.kind === 'domain-controller' ? Object.fromEntries((environment.forests.find((f) => f.name === model.forest)?.domainControllers ?? []).map((d) => [d.host, { System: [] }])) : {},
    changes: [],
  };
  for (const [key, value] of Object.entries(profile.installed ?? {})) state[key] = structuredClone(value);
  return state;
}

/**
 * What the sync server reaches at each connection's far end, taken from the spec: the target
 * once its own steps have run (listeners and their authentication, the /PowerShell directory).
 */
/** The comment that marks the sync server's second-hop script block (templates/verify-sync-server.ps1.hbs). */
export const SECOND_HOP_MARKER = 'Second hop test';

function remoteEnds(environment: EnvironmentModel, model: AnyHost): Record<string, any> {
  if (model.kind !== 'sync-server') return {};
  const remote: Record<string, any> = {};
  for (const c of model.connections) {
    const target = environment.exchange.find((e) => e.host === c.exchange);
    const name = new URL(c.uri).hostname.toLowerCase();
    const entry = (remote[name] ??= { computerName: name.split('.')[0]!.toUpperCase(), endpoints: {}, exchangeServers: environment.exchange.map((e) => e.host) });
    const u = new URL(c.uri);
    const path = u.pathname.replace(/\/$/, '');
    const selfSigned = target?.winrm?.listeners.some((l) => l.transport === 'https' && l.certificate?.kind === 'self-signed' && l.port === c.port) ?? false;
    const key = path === '' || path.toLowerCase() === '/wsman' ? `${c.scheme.toUpperCase()}:${c.port}` : `${c.scheme}:${c.port}${path}`;
    const auth = c.authentication === 'negotiate' || c.authentication === 'default' ? ['Negotiate', 'Kerberos'] : [c.authentication[0]!.toUpperCase() + c.authentication.slice(1)];
    entry.endpoints[key] = {
      auth,
      trusted: !selfSigned,
      configurations: c.endpoint === 'exchange-powershell' ? ['Microsoft.Exchange'] : ['Microsoft.PowerShell'],
    };
    // A declared second hop answers as the spec declares it (the simulator does not model Kerberos
    // delegation): the test's script block, marked "Second hop test", returns its result.
    if (c.secondHop && c.endpoint === 'winrm') {
      entry.commands ??= {};
      entry.commands[SECOND_HOP_MARKER] = { Ok: true, Detail: `${c.secondHop.service} on ${c.secondHop.host}:${c.secondHop.port} answered from ${entry.computerName}` };
    }
  }
  return remote;
}
