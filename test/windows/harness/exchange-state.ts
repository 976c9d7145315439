/**
 * Installed defaults of the IIS, Exchange and Active Directory side of the simulated host, built
 * from the model and the Exchange profiles (test/windows/profiles/exchange-*.json), never from
 * the scripts:
 * - an Exchange server: IIS and the PowerShell virtual directories as its Exchange version installs
 *   them, the Exchange Management Shell cmdlets, and the WebAdministration/ActiveDirectory modules;
 * - an IIS ARR reverse proxy: IIS with URL Rewrite and ARR installed and nothing configured yet
 *   (no 443 binding, no farm, no rule, proxy off), serving its published name;
 * - the shared directory's `ad`: one domain per forest, a computer object for every declared host
 *   and delegation back end, a user for every declared account, and the trusts the spec declares
 *   with their default trustAttributes (forest transitive; TGT delegation only where the spec
 *   says the other forest enabled it).
 * Every host also gets host.missingCommands for the commands of modules it does not have.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentModel, ExchangeModel, ForestModel } from '../../../src/model/model.js';
import type { ExchangeVersion } from '../../../src/spec/spec-types.js';
import { accountNames, certificate, sidOf, type Directory, type SimState } from './default-state.js';
import { repositoryRoot } from './pwsh-client.js';

export const EXCHANGE_PROFILES: ExchangeVersion[] = ['exchange-2010', 'exchange-2013', 'exchange-2016', 'exchange-2019', 'exchange-se'];
/** Version assumed for an Exchange server whose spec names none: the current release. */
export const ASSUMED_EXCHANGE: ExchangeVersion = 'exchange-se';

export interface ExchangeProfile {
  name: ExchangeVersion;
  source: string;
  modules: string[];
  exchangeCommands: string[];
  admindisplayVersion: string;
  iis: Record<string, any>;
  virtualDirectories: { name: string; location: string; backEnd: boolean }[];
}

export function loadExchangeProfile(version: ExchangeVersion): ExchangeProfile {
  return JSON.parse(readFileSync(join(repositoryRoot(), 'test', 'windows', 'profiles', `${version}.json`), 'utf8')) as ExchangeProfile;
}

/** Commands per module, as the stubs define them: a host without the module has none of them. */
export const MODULE_COMMANDS: Record<string, string[]> = {
  WebAdministration: ['Get-WebConfigurationProperty', 'Set-WebConfigurationProperty', 'Add-WebConfigurationProperty', 'Get-WebBinding', 'New-WebBinding', 'Get-WebGlobalModule', 'Restart-WebAppPool'],
  ActiveDirectory: ['Get-ADComputer', 'Get-ADUser', 'Get-ADObject', 'Set-ADObject', 'Set-ADAccountControl', 'Set-ADComputer', 'Get-ADTrust'],
  ExchangeManagementShell: ['Get-ExchangeServer', 'Get-PowerShellVirtualDirectory', 'Set-PowerShellVirtualDirectory', 'Get-User', 'Get-ExchangeCertificate', 'Get-AuthConfig'],
};
/** The IIS tools exist only where IIS is installed; the AD DS tools where RSAT-AD-Tools (or a DC) is. */
const IIS_TOOLS = ['appcmd.exe'];
const AD_TOOLS = ['setspn.exe', 'netdom.exe'];

const ARR_MODULES = [
  { name: 'RewriteModule', image: '%SystemRoot%\\system32\\inetsrv\\rewrite.dll', preCondition: '' },
  { name: 'ApplicationRequestRouting', image: '%ProgramFiles%\\IIS\\Application Request Routing\\requestRouter.dll', preCondition: '' },
];

/** Deterministic domain SIDs and RIDs, so every run and every host sees the same objects. */
function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}
const domainSid = (name: string) => `S-1-5-21-${hash(`a${name}`) % 900000000 + 100000000}-${hash(`b${name}`) % 900000000 + 100000000}-${hash(`c${name}`) % 900000000 + 100000000}`;
const guid = (text: string) => {
  const hex = [hash(`1${text}`), hash(`2${text}`), hash(`3${text}`), hash(`4${text}`)].map((n) => n.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
const dnOf = (domain: string) => domain.split('.').map((p) => `DC=${p}`).join(',');
const domainOf = (fqdn: string) => (fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : fqdn).toLowerCase();

/** The forest a DNS name belongs to (the domain itself or a child of it). */
function forestFor(environment: EnvironmentModel, domain: string): ForestModel | undefined {
  return environment.forests.find((f) => domain === f.name || domain.endsWith(`.${f.name}`));
}

/** userAccountControl flags ([MS-ADTS] 2.2.16). */
export const UAC = { WORKSTATION_TRUST_ACCOUNT: 0x1000, SERVER_TRUST_ACCOUNT: 0x2000, NORMAL_ACCOUNT: 0x200, TRUSTED_FOR_DELEGATION: 0x80000 } as const;
/** trustAttributes flags ([MS-ADTS] 6.1.6.7.9). */
export const TRUST = { FOREST_TRANSITIVE: 0x8, CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION: 0x800 } as const;

/** The shared directory's `ad` before any step runs. */
export function adDefaults(environment: EnvironmentModel): Record<string, any> {
  const domains = new Map<string, { name: string; netbios: string; sid: string; domainControllers: string[]; reachable: boolean; next: number }>();
  const domain = (name: string) => {
    const key = name.toLowerCase();
    let d = domains.get(key);
    if (!d) {
      const forest = forestFor(environment, key);
      const netbios = forest && forest.name === key && forest.netbiosName ? forest.netbiosName.toUpperCase() : key.split('.')[0]!.toUpperCase();
      d = { name: key, netbios, sid: domainSid(key), domainControllers: forest && forest.name === key ? forest.domainControllers.map((dc) => dc.host) : [], reachable: true, next: 1100 };
      domains.set(key, d);
    }
    return d;
  };
  for (const forest of environment.forests) domain(forest.name);
  const computers: Record<string, any>[] = [];
  const users: Record<string, any>[] = [];
  const seen = new Set<string>();

  const addComputer = (fqdn: string, options: { dc?: boolean; distinguishedName?: string } = {}) => {
    const host = fqdn.toLowerCase();
    if (seen.has(`c:${host}`)) return;
    seen.add(`c:${host}`);
    const d = domain(domainOf(host));
    const name = host.split('.')[0]!.toUpperCase();
    computers.push({
      domain: d.name,
      distinguishedName: options.distinguishedName ?? `CN=${name},${options.dc ? 'OU=Domain Controllers' : 'CN=Computers'},${dnOf(d.name)}`,
      name,
      sAMAccountName: `${name}$`,
      dNSHostName: host,
      objectSid: `${d.sid}-${d.next++}`,
      objectGUID: guid(host),
      // Domain controllers are trusted for delegation as installed; member servers are not.
      userAccountControl: options.dc ? UAC.SERVER_TRUST_ACCOUNT | UAC.TRUSTED_FOR_DELEGATION : UAC.WORKSTATION_TRUST_ACCOUNT,
      servicePrincipalName: [`HOST/${host}`, `HOST/${name}`, `RestrictedKrbHost/${host}`, `RestrictedKrbHost/${name}`],
      'msDS-AllowedToActOnBehalfOfOtherIdentity': null,
      // Windows writes 0x1C (RC4, AES128, AES256) on computer accounts it joins.
      'msDS-SupportedEncryptionTypes': 0x1c,
    });
  };
  const addUser = (account: string) => {
    let sam: string;
    let dom: string | undefined;
    const down = /^([^\\@]+)\\(.+)$/.exec(account);
    const upn = /^([^@\\]+)@(.+)$/.exec(account);
    if (down) {
      sam = down[2]!;
      const netbios = down[1]!.toUpperCase();
      dom = environment.forests.find((f) => (f.netbiosName ?? f.name.split('.')[0]!).toUpperCase() === netbios)?.name;
    } else if (upn) {
      sam = upn[1]!;
      dom = upn[2]!.toLowerCase();
    } else return;
    if (!dom) return;
    if (seen.has(`u:${dom}\\${sam.toLowerCase()}`)) return;
    seen.add(`u:${dom}\\${sam.toLowerCase()}`);
    const d = domain(dom);
    users.push({
      domain: d.name,
      distinguishedName: `CN=${sam},CN=Users,${dnOf(d.name)}`,
      name: sam,
      sAMAccountName: sam,
      userPrincipalName: `${sam}@${d.name}`,
      // The SID every host resolves the account to (default-state's accounts), so a SID read from
      // the directory and one translated from the name agree.
      objectSid: sidOf(accountNames(account, environment).sort()[0]!),
      objectGUID: guid(`${dom}\\${sam}`),
      userAccountControl: UAC.NORMAL_ACCOUNT,
      servicePrincipalName: [],
      'msDS-AllowedToActOnBehalfOfOtherIdentity': null,
      'msDS-SupportedEncryptionTypes': null,
    });
  };

  for (const forest of environment.forests) for (const dc of forest.domainControllers) addComputer(dc.host, { dc: true });
  for (const x of environment.exchange) addComputer(x.host, 'distinguishedName' in x.adIdentity ? { distinguishedName: x.adIdentity.distinguishedName } : {});
  for (const s of environment.syncServers) addComputer(s.host);
  for (const p of environment.reverseProxies) addComputer(p.host);
  for (const x of environment.exchange) {
    x.remoteManagementUsers.forEach(addUser);
    for (const back of x.delegation.delegateTo) {
      if (/^\(&\(objectClass=computer\)\(dNSHostName=/.test(back.ldapFilter)) addComputer(back.display);
      else addUser(back.display.includes('\\') || back.display.includes('@') ? back.display : '');
    }
  }
  for (const s of environment.syncServers) {
    addUser(s.serviceAccount);
    s.connections.forEach((c) => addUser(c.credential.account));
  }
  for (const p of environment.reverseProxies) if (p.externalClient) addUser(p.externalClient.credential.account);

  // Each side of a forest trust holds a trusted domain object for the other. TGT delegation is the
  // trusted (account) forest's setting: the spec's tgtDelegation says its administrators enabled it.
  const trusts: Record<string, any>[] = [];
  const addTrust = (holder: string, partner: string, direction: string, attributes: number) => {
    const existing = trusts.find((t) => t.domain === holder && t.trustPartner === partner);
    if (existing) existing.trustAttributes |= attributes;
    // AES on both sides (0x18), as a converged environment has it: the kerberos-rc4-removal rule asks for it.
    else trusts.push({ domain: holder, trustPartner: partner, direction, trustType: 'Uplevel', trustAttributes: attributes, 'msDS-SupportedEncryptionTypes': 0x18 });
  };
  const reverse: Record<string, string> = { 'two-way': 'BiDirectional', outbound: 'Inbound', inbound: 'Outbound' };
  const forward: Record<string, string> = { 'two-way': 'BiDirectional', outbound: 'Outbound', inbound: 'Inbound' };
  for (const forest of environment.forests) {
    for (const t of forest.trusts) {
      addTrust(forest.name, t.forest, forward[t.direction] ?? 'BiDirectional', TRUST.FOREST_TRANSITIVE);
      addTrust(t.forest, forest.name, reverse[t.direction] ?? 'BiDirectional', TRUST.FOREST_TRANSITIVE);
    }
  }
  // A declaration on either side's trust entry states that the account forest enabled it: the flag
  // goes on the trust object the account forest holds for the Exchange forest whose unconstrained
  // delegation receives its accounts' tickets (on both objects when the spec shows no such use).
  const declared = (a: string, b: string) =>
    [environment.forests.find((f) => f.name === a)?.trusts.find((t) => t.forest === b), environment.forests.find((f) => f.name === b)?.trusts.find((t) => t.forest === a)].some((t) => t?.tgtDelegation === true);
  const usesAccountsOf = (exchangeForest: string, accountForest: string) =>
    environment.exchange.some((x) => x.forest === exchangeForest && x.delegation.mode === 'unconstrained' && environment.syncServers.some((y) => y.forest === accountForest && y.connections.some((c) => c.exchange === x.host)));
  for (const t of trusts) {
    const holder = t.domain as string;
    const partner = t.trustPartner as string;
    if (!declared(holder, partner)) continue;
    const neither = !usesAccountsOf(partner, holder) && !usesAccountsOf(holder, partner);
    if (usesAccountsOf(partner, holder) || neither) t.trustAttributes |= TRUST.CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION;
  }
  return {
    domains: [...domains.values()].map(({ next: _next, ...d }) => d),
    computers,
    users,
    trusts,
  };
}

/** IIS state of an Exchange server as its version installs it, with this server's names. */
export function exchangeIis(server: ExchangeModel): { iis: Record<string, any>; exchange: Record<string, any>; profile: ExchangeProfile } {
  const profile = loadExchangeProfile(server.exchangeVersion ?? ASSUMED_EXCHANGE);
  const iis = structuredClone(profile.iis);
  const name = server.host.split('.')[0]!.toUpperCase();
  const exchange = {
    servers: [{ name, fqdn: server.host, version: profile.name, admindisplayVersion: profile.admindisplayVersion, serverRole: profile.name === 'exchange-2010' ? 'ClientAccess, Mailbox' : 'Mailbox', site: 'Default-First-Site-Name' }],
    virtualDirectories: profile.virtualDirectories.map((v) => ({ server: name, name: v.name, location: v.location, backEnd: v.backEnd, internalUrl: v.backEnd ? `https://${server.host}:444/powershell` : `http://${server.host}/powershell`, externalUrl: null })),
    // Exchange 2013 and later create the self-signed Auth certificate at setup (five years valid)
    // and publish it in the organization's auth configuration; Exchange 2010 has neither.
    ...(profile.exchangeCommands.includes('Get-AuthConfig') ? { authConfig: { currentCertificateThumbprint: authThumbprint(server.host), previousCertificateThumbprint: '', nextCertificateThumbprint: '', nextCertificateEffectiveDate: null, serviceName: '00000002-0000-0ff1-ce00-000000000000', realm: '' } } : {}),
  };
  return { iis, exchange, profile };
}

/** The Exchange Auth certificate of an organization whose server is `host`. */
export function authThumbprint(host: string): string {
  return [hash(`a1${host}`), hash(`a2${host}`), hash(`a3${host}`), hash(`a4${host}`), hash(`a5${host}`)].map((n) => n.toString(16).padStart(8, '0')).join('').toUpperCase();
}
export const AUTH_CERTIFICATE_SUBJECT = 'CN=Microsoft Exchange Server Auth Certificate';

/** The application ID IIS registers its HTTP.sys SSL bindings under (as stubs/iis.ps1 writes them). */
const IIS_APP_ID = '{4dc3e181-e14b-4a21-b022-59fc669b0914}';

/** A stable thumbprint for the certificate an administrator bound to a proxy before any step runs. */
function boundThumbprint(name: string): string {
  return [hash(`t1${name}`), hash(`t2${name}`), hash(`t3${name}`), hash(`t4${name}`), hash(`t5${name}`)].map((n) => n.toString(16).padStart(8, '0')).join('').toUpperCase();
}

/** IIS state of a freshly installed ARR proxy: IIS, URL Rewrite and ARR, nothing configured. */
export function reverseProxyIis(publishedName: string): Record<string, any> {
  return {
    features: { 'Web-Server': true, 'Web-Scripting-Tools': true, 'Web-Mgmt-Console': true },
    globalModules: ARR_MODULES.map((m) => ({ ...m })),
    sites: [{ name: 'Default Web Site', id: 1, bindings: [{ protocol: 'http', bindingInformation: '*:80:', sslFlags: 0 }] }],
    // HTTP.sys's SSL bindings (stubs/iis.ps1): none until a certificate is bound.
    sslBindings: [],
    applications: [{ site: 'Default Web Site', path: '/', applicationPool: 'DefaultAppPool' }],
    appPools: [{ name: 'DefaultAppPool', state: 'Started', recycles: 0 }],
    config: {
      'system.webServer': {
        security: { authentication: { anonymousAuthentication: { enabled: true, userName: 'IUSR' } } },
        proxy: { enabled: false, preserveHostHeader: false, reverseRewriteHostInResponseHeaders: true },
        rewrite: { globalRules: { rule: [] } },
      },
      webFarms: { webFarm: [] },
    },
    locations: {},
    servedNames: [publishedName],
    upstream: {},
  };
}

function missingFor(modules: string[], extra: { iis: boolean; adTools: boolean; ems: boolean }): string[] {
  const missing: string[] = [];
  for (const [module, commands] of Object.entries(MODULE_COMMANDS)) {
    const present = module === 'ExchangeManagementShell' ? extra.ems : modules.includes(module);
    if (!present) missing.push(...commands);
  }
  if (!extra.iis) missing.push(...IIS_TOOLS);
  if (!extra.adTools) missing.push(...AD_TOOLS);
  return missing;
}

/**
 * The harness calls this twice: `exchangeDefaults(plan, null, directory)` once for the shared
 * directory (returns `{ directory }`), and `exchangeDefaults(environment, host, state)` per host
 * (returns the state keys to merge: iis, exchange, host).
 */
export function exchangeDefaults(first: any, host: string | null, context: any): Record<string, any> {
  const environment: EnvironmentModel = first && first.environment ? first.environment : first;
  if (host === null) {
    const directory = context as Directory;
    return { directory: { ...directory, ad: adDefaults(environment) } };
  }
  const state = context as SimState;
  const name = host.toLowerCase();
  const modules = [...((state.host?.modules as string[] | undefined) ?? [])];
  const hostState = { ...(state.host ?? {}) };
  const previousMissing = (hostState.missingCommands as string[] | undefined) ?? [];
  const server = environment.exchange.find((x) => x.host === name);
  const proxy = environment.reverseProxies.find((p) => p.host === name);
  const isDc = environment.forests.some((f) => f.domainControllers.some((d) => d.host === name)) || /^ad-admin\./.test(name);
  const result: Record<string, any> = {};
  let iis = false;
  let ems = false;
  const emsMissing: string[] = [];
  if (server) {
    const built = exchangeIis(server);
    result.iis = built.iis;
    result.exchange = built.exchange;
    if (built.exchange.authConfig) {
      const certificates = structuredClone(state.certificates ?? { My: [], Root: [] });
      const auth = certificate(built.exchange.authConfig.currentCertificateThumbprint, [], { selfSigned: true, notBefore: '2025-06-01T00:00:00Z', notAfter: '2030-06-01T00:00:00Z' });
      certificates.My = [...(certificates.My ?? []), { ...auth, Subject: AUTH_CERTIFICATE_SUBJECT, Issuer: AUTH_CERTIFICATE_SUBJECT, EnhancedKeyUsage: [], services: 'SMTP' }];
      result.certificates = certificates;
    }
    for (const c of MODULE_COMMANDS.ExchangeManagementShell!) if (!built.profile.exchangeCommands.includes(c)) emsMissing.push(c);
    for (const m of built.profile.modules) if (!modules.includes(m)) modules.push(m);
    iis = true;
    ems = true;
  }
  if (proxy) {
    result.iis = reverseProxyIis(proxy.publishedName);
    if (!proxy.thumbprint) {
      // The spec names no thumbprint: it relies on the certificate already bound to 443 (the step checks it).
      const thumbprint = boundThumbprint(proxy.publishedName);
      result.iis.sites[0].bindings.push({ protocol: 'https', bindingInformation: '*:443:', sslFlags: 0 });
      result.iis.sslBindings.push({ ipPort: '0.0.0.0:443', certificateHash: thumbprint, certificateStoreName: 'My', appId: IIS_APP_ID });
      const certificates = structuredClone(state.certificates ?? { My: [], Root: [] });
      certificates.My = [...(certificates.My ?? []), certificate(thumbprint, proxy.certificateNames.length ? proxy.certificateNames : [proxy.publishedName])];
      result.certificates = certificates;
    }
    for (const m of ['WebAdministration', 'ServerManager']) if (!modules.includes(m)) modules.push(m);
    iis = true;
  }
  if (result.iis) {
    // As installed: applicationHost.config last written two days ago, and one worker process per
    // started pool from the day after (IIS starts them on the first request).
    const now = Date.parse(String(state.host?.now ?? '2026-12-01T12:00:00Z'));
    result.iis.configWritten = new Date(now - 2 * 86_400_000).toISOString();
    result.processes = (result.iis.appPools as { name: string; state?: string }[])
      .filter((p) => p.state !== 'Stopped')
      .map((p, i) => ({
        Name: 'w3wp.exe',
        ProcessId: 4100 + i,
        CommandLine: `c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "${p.name}" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm -h "C:\\inetpub\\temp\\apppools\\${p.name}\\${p.name}.config" -w "" -m 0`,
        CreationDate: new Date(now - 86_400_000).toISOString(),
      }));
  }
  if (isDc && !modules.includes('ActiveDirectory')) modules.push('ActiveDirectory');
  const adTools = modules.includes('ActiveDirectory');
  hostState.modules = modules;
  hostState.missingCommands = [...new Set([...previousMissing, ...missingFor(modules, { iis, adTools, ems }), ...emsMissing])];
  result.host = hostState;
  return result;
}
