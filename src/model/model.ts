/**
 * Stage "model": turns a schema-valid spec into a normalized environment. Defaults are applied,
 * references between hosts resolved, ports filled in, lists sorted by code point, so that every
 * later stage reads one explicit value per setting and never looks at the raw spec again.
 * Every list whose order means nothing (hosts, forests, trusts, listeners,
 * connections, group members, delegation back ends, TrustedHosts, backends, firewall profiles
 * and sources) is sorted here, so the output does not change when the spec's lists are
 * reordered. Two lists keep their order: certificate dnsNames (the first becomes the subject)
 * and a forest's domainControllers (the first runs the Active Directory steps).
 * The stage is total over schema-valid specs and raises no diagnostics: every mistake is the
 * schema's or a rule's to report (so validate and generate refuse the same specs), and the
 * rules that find unresolved references cannot be waived, so generation never models them.
 */
import { canonicalAddress } from '../shared/ip.js';
import { accountDomain } from './accounts.js';
import type { LoadedSpec } from '../spec/load.js';
import type {
  CbtHardening,
  ClientCertificates,
  ConnectionAuthentication,
  DelegationMode,
  ExchangeVersion,
  ExecutionPolicy,
  FirewallProfile,
  OsVersion,
  PreferIPv4,
  Credential,
  Spec,
  SyncProduct,
  TrustDirection,
} from '../spec/spec-types.js';
import { parseConnectionUri } from './uri.js';
import * as fallback from './defaults.js';
import { PREFER_IPV4_DISABLED_COMPONENTS } from './defaults.js';
import { byCodePoint } from '../shared/order.js';
import { powershellFacts, type PowerShellFacts } from './powershell-version.js';

export { ASSUMED_OS, PREFER_IPV4_DISABLED_COMPONENTS } from './defaults.js';

const osRank: Record<OsVersion, number> = {
  'windows-server-2008-r2': 0,
  'windows-server-2012': 1,
  'windows-server-2012-r2': 2,
  'windows-server-2016': 3,
  'windows-server-2019': 4,
  'windows-server-2022': 5,
  'windows-server-2025': 6,
};

/** What the host's Windows release offers; decides between modern cmdlets and legacy forms. */
export interface OsFacts {
  os: OsVersion;
  /** The spec did not say; ASSUMED_OS applies. */
  assumed: boolean;
  /** NetSecurity (New-NetFirewallRule), DnsClient (Resolve-DnsName), PKI New-SelfSignedCertificate: 2012 and later. */
  modernNetworking: boolean;
  /** The builtin Remote Management Users group (S-1-5-32-580) exists: 2012 and later. */
  remoteManagementUsersGroup: boolean;
  /** Microsoft.PowerShell.LocalAccounts (Add-LocalGroupMember): kept to 2016 and later. */
  localAccountsModule: boolean;
}

export function osFacts(os: OsVersion | undefined, specDefault: OsVersion | undefined): OsFacts {
  const resolved = fallback.hostOs(os, specDefault);
  const rank = osRank[resolved];
  return {
    os: resolved,
    assumed: os === undefined && specDefault === undefined,
    modernNetworking: rank >= osRank['windows-server-2012'],
    remoteManagementUsersGroup: rank >= osRank['windows-server-2012'],
    localAccountsModule: rank >= osRank['windows-server-2016'],
  };
}

/**
 * The release's modules as the host's Windows PowerShell can load them: NetSecurity, DnsClient and
 * PKI are CDXML or 3.0 modules the 2.0 engine cannot load (on 2012 and later too), and
 * Microsoft.PowerShell.LocalAccounts ships with 5.1 only. The legacy forms (netsh advfirewall with
 * the firewall COM object, net localgroup) work on every version, 5.1 included.
 */
export function withPowerShell(os: OsFacts, powershell: PowerShellFacts): OsFacts {
  return {
    ...os,
    modernNetworking: os.modernNetworking && !powershell.v2,
    localAccountsModule: os.localAccountsModule && !powershell.legacy,
  };
}

export interface DomainControllerModel {
  host: string;
  ip: string | null;
  /** Canonical text (src/ip.ts). */
  ipv6: string | null;
  globalCatalog: boolean;
  /** The Windows PowerShell its scripts are written for: declared, else derived from defaults.os (a DC has no os field). */
  powershell: PowerShellFacts;
}

export interface TrustModel {
  forest: string;
  direction: TrustDirection;
  tgtDelegation: boolean;
}

export interface ForestModel {
  name: string;
  netbiosName: string | null;
  trusts: TrustModel[];
  /** In declared order: the first one is the one scripts target. */
  domainControllers: DomainControllerModel[];
  ldaps: boolean;
  globalCatalog: boolean;
}

export type CertificateModel =
  | { kind: 'thumbprint'; thumbprint: string; dnsNames: string[] }
  | { kind: 'self-signed'; dnsNames: string[] };

export interface ListenerModel {
  transport: 'http' | 'https';
  port: number;
  address: string;
  /** Host name the listener answers to (https: always set, defaults to the server). */
  hostName: string | null;
  certificate: CertificateModel | null;
}

export interface ServiceAuthModel {
  kerberos: boolean;
  negotiate: boolean;
  basic: boolean;
  certificate: boolean;
  credSSP: boolean;
  cbtHardening: CbtHardening;
}

export interface WinrmServiceModel {
  listeners: ListenerModel[];
  auth: ServiceAuthModel;
  allowUnencrypted: boolean;
  ipv4Filter: string;
  ipv6Filter: string;
}

/** An account as scripts look it up in Active Directory. */
export interface AdPrincipalModel {
  /** As written in the spec. */
  display: string;
  /** LDAP filter matching exactly this object (values escaped per RFC 4515). */
  ldapFilter: string;
  /** Domain (DNS name) to query. */
  server: string;
}

export interface DelegationModel {
  mode: DelegationMode;
  /** Resource-based: the back-end objects whose PrincipalsAllowedToDelegateToAccount receives this Exchange computer. */
  delegateTo: AdPrincipalModel[];
}

/** Each field is null when the spec omits it: the setting is left as installed and not checked. */
export interface VirtualDirectoryModel {
  basicAuthentication: boolean | null;
  windowsAuthentication: boolean | null;
  requireSsl: boolean | null;
  clientCertificates: ClientCertificates | null;
}

export interface FirewallModel {
  manage: boolean;
  profiles: FirewallProfile[];
  additionalSources: string[];
}

/** What every host that gets scripts has: its name, output folder, addresses and platform. */
export interface ScriptedHostModel {
  host: string;
  /** Output folder name: the host name in lowercase. */
  folder: string;
  ip: string | null;
  /** Canonical text (src/ip.ts). */
  ipv6: string | null;
  os: OsFacts;
  /** The Windows PowerShell the host's scripts are written for. */
  powershell: PowerShellFacts;
}

export interface ExchangeModel extends ScriptedHostModel {
  kind: 'exchange';
  forest: string;
  exchangeVersion: ExchangeVersion | null;
  /** How scripts find the computer object: by DN when given, else by dNSHostName. */
  adIdentity: { distinguishedName: string } | { ldapFilter: string };
  dedicatedPublishing: boolean;
  /** Null when the spec leaves WinRM as installed. */
  winrm: WinrmServiceModel | null;
  remoteManagementUsers: string[];
  delegation: DelegationModel;
  virtualDirectory: VirtualDirectoryModel | null;
  preferIPv4: PreferIPv4;
  disabledComponents: number;
  firewall: FirewallModel;
}

export interface CredentialModel {
  source: 'prompt' | 'vault';
  account: string;
  vault: string | null;
  secretName: string | null;
}

export type EndpointKind = 'exchange-powershell' | 'winrm';

export interface ConnectionModel {
  exchange: string;
  uri: string;
  scheme: 'http' | 'https';
  /** TCP port the connection uses (explicit in the URI, or 80/443). */
  port: number;
  endpoint: EndpointKind;
  authentication: ConnectionAuthentication;
  credential: CredentialModel;
  ldapDomainController: string | null;
  /** The connection opened from inside this session on the Exchange server; null when not declared. */
  secondHop: { host: string; port: number; service: 'winrm' | 'exchange-powershell' | 'tcp'; purpose: string } | null;
}

/** Client authentication mechanisms the spec sets explicitly; absent keys are left as they are. */
export type ClientAuthModel = Partial<Record<'kerberos' | 'negotiate' | 'basic' | 'digest' | 'certificate' | 'credSSP', boolean>>;

export interface SyncServerModel extends ScriptedHostModel {
  kind: 'sync-server';
  forest: string;
  product: SyncProduct;
  serviceAccount: string;
  connections: ConnectionModel[];
  /** Sorted by code point (their order means nothing); merged into the existing value by the scripts. */
  trustedHosts: string[];
  clientAuth: ClientAuthModel | null;
  clientAllowUnencrypted: boolean | null;
  executionPolicy: ExecutionPolicy;
  preferIPv4: PreferIPv4;
  disabledComponents: number;
}

/** An IIS ARR server publishing Exchange /PowerShell over HTTPS to its backends. */
export interface ReverseProxyModel extends ScriptedHostModel {
  kind: 'reverse-proxy';
  publishedName: string;
  backends: string[];
  /** ARR server farm name: the spec's farmName, else the published name. */
  farmName: string;
  /** Thumbprint of the certificate the 443 binding must carry (uppercase); null checks whatever is bound. */
  thumbprint: string | null;
  /** Names the spec says the certificate carries (lowercase); empty when not declared. */
  certificateNames: string[];
  /** Null when the spec declares no external client test. */
  externalClient: { credential: CredentialModel; allowSkipCertificateChecks: boolean } | null;
}

export interface EnvironmentModel {
  name: string;
  metadata: { description: string | null; owner: string | null; changeReference: string | null; documentation: string | null };
  /** Spec path relative to the working folder, with forward slashes. */
  specPath: string;
  specSha256: string;
  toolVersion: string;
  forests: ForestModel[];
  exchange: ExchangeModel[];
  syncServers: SyncServerModel[];
  reverseProxies: ReverseProxyModel[];
}

export interface ModelInput {
  spec: LoadedSpec;
  specPath: string;
  specSha256: string;
  toolVersion: string;
}

const byHost = <T extends { host: string }>(a: T, b: T) => byCodePoint(a.host, b.host);

/** RFC 4515 escaping of an LDAP filter value. */
export function ldapEscape(value: string): string {
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function parentDomain(fqdn: string): string {
  return fqdn.slice(fqdn.indexOf('.') + 1);
}

export function model(input: ModelInput): EnvironmentModel {
  const { spec: loaded } = input;
  const spec = loaded.value as Spec;
  const defaults = spec.defaults ?? {};

  const forests: ForestModel[] = spec.forests
    .map((f) => ({
      name: f.name.toLowerCase(),
      netbiosName: f.netbiosName ?? null,
      trusts: (f.trusts ?? [])
        .map((t) => ({ forest: t.forest.toLowerCase(), direction: t.direction ?? 'two-way', tgtDelegation: t.tgtDelegation ?? false }))
        .sort((a, b) => byCodePoint(a.forest, b.forest)),
      // Kept in spec order: the first domain controller of a forest runs its Active Directory steps.
      domainControllers: (f.domainControllers ?? []).map((dc) => ({
        host: dc.host.toLowerCase(),
        ip: dc.ip ?? null,
        ipv6: dc.ipv6 ? canonicalAddress(dc.ipv6) : null,
        globalCatalog: dc.globalCatalog ?? true,
        powershell: powershellFacts(dc.powershell, osFacts(undefined, defaults.os).os, null),
      })),
      ldaps: f.ldaps ?? false,
      globalCatalog: f.globalCatalog ?? true,
    }))
    .sort((a, b) => byCodePoint(a.name, b.name));
  /** Resolves a delegation back end to an LDAP lookup in its own domain. */
  const principal = (value: string, fallbackDomain: string): AdPrincipalModel => {
    const backslash = value.indexOf('\\');
    if (backslash > 0) {
      const sam = value.slice(backslash + 1);
      // unknown-account-domain refuses a prefix no forest declares (and cannot be waived);
      // the fallback only keeps the model total.
      return { display: value, ldapFilter: `(sAMAccountName=${ldapEscape(sam)})`, server: accountDomain(spec.forests, value) ?? fallbackDomain };
    }
    if (value.includes('@')) {
      return { display: value, ldapFilter: `(userPrincipalName=${ldapEscape(value)})`, server: value.slice(value.indexOf('@') + 1).toLowerCase() };
    }
    const fqdn = value.toLowerCase();
    return { display: value, ldapFilter: `(&(objectClass=computer)(dNSHostName=${ldapEscape(fqdn)}))`, server: parentDomain(fqdn) };
  };

  const exchange: ExchangeModel[] = spec.exchange
    .map((x): ExchangeModel => {
      const host = x.host.toLowerCase();
      const auth = x.winrm?.auth ?? {};
      const winrm: WinrmServiceModel | null = x.winrm
        ? {
            listeners: (x.winrm.listeners ?? []).map((l) => {
              const hostName = l.hostName?.toLowerCase() ?? (l.transport === 'https' ? host : null);
              const certificate: CertificateModel | null = !l.certificate
                ? null
                : l.certificate.thumbprint
                  ? { kind: 'thumbprint', thumbprint: l.certificate.thumbprint.toUpperCase(), dnsNames: (l.certificate.dnsNames ?? []).map((n) => n.toLowerCase()) }
                  : l.certificate.selfSigned
                    ? { kind: 'self-signed', dnsNames: (l.certificate.dnsNames ?? [hostName ?? host]).map((n) => n.toLowerCase()) }
                    : null;
              return { transport: l.transport, port: fallback.listenerPort(l), address: l.address ?? '*', hostName, certificate };
            })
            .sort((a, b) => byCodePoint(a.transport, b.transport) || a.port - b.port || byCodePoint(a.address, b.address)),
            auth: {
              kerberos: auth.kerberos ?? true,
              negotiate: auth.negotiate ?? true,
              basic: auth.basic ?? false,
              certificate: auth.certificate ?? false,
              credSSP: auth.credSSP ?? false,
              cbtHardening: fallback.cbtHardening(auth.cbtHardening, defaults.cbtHardening),
            },
            allowUnencrypted: x.winrm.allowUnencrypted ?? false,
            ipv4Filter: x.winrm.ipv4Filter ?? '*',
            ipv6Filter: x.winrm.ipv6Filter ?? '*',
          }
        : null;
      const vdir = x.powershellVirtualDirectory;
      const forest = x.forest.toLowerCase();
      return {
        kind: 'exchange',
        host,
        folder: host,
        forest,
        ip: x.ip ?? null,
        ipv6: x.ipv6 ? canonicalAddress(x.ipv6) : null,
        os: withPowerShell(osFacts(x.os, defaults.os), powershellFacts(x.powershell, osFacts(x.os, defaults.os).os, x.exchangeVersion ?? defaults.exchangeVersion ?? null)),
        powershell: powershellFacts(x.powershell, osFacts(x.os, defaults.os).os, x.exchangeVersion ?? defaults.exchangeVersion ?? null),
        exchangeVersion: x.exchangeVersion ?? defaults.exchangeVersion ?? null,
        adIdentity: x.distinguishedName ? { distinguishedName: x.distinguishedName } : { ldapFilter: `(&(objectClass=computer)(dNSHostName=${ldapEscape(host)}))` },
        dedicatedPublishing: x.dedicatedPublishing ?? false,
        winrm,
        remoteManagementUsers: [...(x.remoteManagementUsers ?? [])].sort(byCodePoint),
        delegation: {
          mode: x.delegation?.mode ?? 'none',
          delegateTo: (x.delegation?.delegateTo ?? []).map((p) => principal(p, forest)).sort((a, b) => byCodePoint(a.display, b.display)),
        },
        // A block that names no setting changes and checks nothing: no step.
        virtualDirectory: vdir && Object.values(vdir).some((value) => value !== undefined)
          ? {
              basicAuthentication: vdir.basicAuthentication ?? null,
              windowsAuthentication: vdir.windowsAuthentication ?? null,
              requireSsl: vdir.requireSsl ?? null,
              clientCertificates: vdir.clientCertificates ?? null,
            }
          : null,
        preferIPv4: fallback.preferIPv4(x.preferIPv4, defaults.preferIPv4),
        disabledComponents: x.disabledComponents ?? PREFER_IPV4_DISABLED_COMPONENTS,
        firewall: {
          manage: x.firewall?.manage ?? true,
          profiles: [...fallback.firewallProfiles(x.firewall?.profiles, defaults.firewallProfiles)].sort(byCodePoint),
          additionalSources: [...new Set((x.firewall?.additionalSources ?? []).map(canonicalAddress))].sort(byCodePoint),
        },
      };
    })
    .sort(byHost);

  // The schema requires vault and secretName with source: vault.
  const credentialOf = (c: Credential | undefined, account: string): CredentialModel => {
    const source = c?.source ?? 'prompt';
    return { source, account, vault: source === 'vault' ? (c?.vault ?? null) : null, secretName: source === 'vault' ? (c?.secretName ?? null) : null };
  };

  const syncServers: SyncServerModel[] = (spec.syncServers ?? [])
    .map((s): SyncServerModel => {
      const host = s.host.toLowerCase();
      const connections = s.connections
        .map((c): ConnectionModel => {
          const exchangeHost = c.exchange.toLowerCase();
          // The schema admits only http(s) URLs; the fallback keeps the model total all the same.
          const parsed = parseConnectionUri(c.uri) ?? { scheme: /^https:/i.test(c.uri) ? 'https' : 'http', port: /^https:/i.test(c.uri) ? 443 : 80, endpoint: 'winrm' };
          const scheme = parsed.scheme;
          const account = c.account ?? s.serviceAccount;
          return {
            exchange: exchangeHost,
            uri: c.uri,
            scheme,
            port: parsed.port,
            endpoint: parsed.endpoint === 'exchange' ? 'exchange-powershell' : 'winrm',
            authentication: c.authentication,
            credential: credentialOf(c.credential ?? s.credential, account),
            ldapDomainController: c.ldapDomainController?.toLowerCase() ?? null,
            secondHop: c.secondHop ? { host: c.secondHop.host.toLowerCase(), port: c.secondHop.port, service: c.secondHop.service, purpose: c.secondHop.purpose } : null,
          };
        })
        .sort((a, b) => byCodePoint(a.exchange, b.exchange) || byCodePoint(a.uri, b.uri));
      const client = s.winrmClient;
      return {
        kind: 'sync-server',
        host,
        folder: host,
        forest: s.forest.toLowerCase(),
        ip: s.ip ?? null,
        ipv6: s.ipv6 ? canonicalAddress(s.ipv6) : null,
        os: withPowerShell(osFacts(s.os, defaults.os), powershellFacts(s.powershell, osFacts(s.os, defaults.os).os, null)),
        powershell: powershellFacts(s.powershell, osFacts(s.os, defaults.os).os, null),
        product: s.product,
        serviceAccount: s.serviceAccount,
        connections,
        trustedHosts: [...(client?.trustedHosts ?? [])].sort(byCodePoint),
        // Only the client mechanisms the spec names: Windows enables Basic, Digest and Certificate
        // on the client by default, and other tools on the server may rely on them.
        clientAuth: client?.auth
          ? Object.fromEntries((['kerberos', 'negotiate', 'basic', 'digest', 'certificate', 'credSSP'] as const).flatMap((k) => (client.auth?.[k] === undefined ? [] : [[k, client.auth[k]]])))
          : null,
        clientAllowUnencrypted: client ? (client.allowUnencrypted ?? false) : null,
        executionPolicy: fallback.executionPolicy(s.executionPolicy, defaults.executionPolicy),
        preferIPv4: fallback.preferIPv4(s.preferIPv4, defaults.preferIPv4),
        disabledComponents: s.disabledComponents ?? PREFER_IPV4_DISABLED_COMPONENTS,
      };
    })
    .sort(byHost);

  const reverseProxies: ReverseProxyModel[] = (spec.reverseProxies ?? [])
    .map((p): ReverseProxyModel => {
      const host = p.host.toLowerCase();
      const client = p.externalClient;
      return {
        kind: 'reverse-proxy',
        host,
        folder: host,
        ip: p.ip ?? null,
        ipv6: p.ipv6 ? canonicalAddress(p.ipv6) : null,
        os: withPowerShell(osFacts(p.os, defaults.os), powershellFacts(p.powershell, osFacts(p.os, defaults.os).os, null)),
        powershell: powershellFacts(p.powershell, osFacts(p.os, defaults.os).os, null),
        publishedName: p.publishedName.toLowerCase(),
        backends: p.backends.map((b) => b.toLowerCase()).sort(byCodePoint),
        farmName: p.farmName ?? p.publishedName.toLowerCase(),
        thumbprint: p.certificate?.thumbprint ? p.certificate.thumbprint.toUpperCase() : null,
        certificateNames: (p.certificate?.dnsNames ?? []).map((n) => n.toLowerCase()),
        externalClient: client
          ? {
              credential: credentialOf(client.credential, client.account),
              allowSkipCertificateChecks: client.allowSkipCertificateChecks ?? false,
            }
          : null,
      };
    })
    .sort(byHost);

  const metadata = spec.metadata ?? {};
  return {
      name: spec.environment,
      metadata: {
        description: metadata.description ?? null,
        owner: metadata.owner ?? null,
        changeReference: metadata.changeReference ?? null,
        documentation: metadata.documentation ?? null,
      },
      specPath: input.specPath,
      specSha256: input.specSha256,
      toolVersion: input.toolVersion,
      forests,
      exchange,
      syncServers,
      reverseProxies,
  };
}

/** Forest model by name; the model stage guarantees every reference resolves. */
// Indexed once per environment: the plan asks for a server or forest per connection, and a
// linear search per question grew with the square of the estate.
const forestIndex = new WeakMap<EnvironmentModel, Map<string, ForestModel>>();
const exchangeIndex = new WeakMap<EnvironmentModel, Map<string, ExchangeModel>>();

function indexed<T>(cache: WeakMap<EnvironmentModel, Map<string, T>>, environment: EnvironmentModel, list: readonly T[], keyOf: (item: T) => string, key: string): T | undefined {
  let index = cache.get(environment);
  if (!index) {
    index = new Map();
    for (const item of list) if (!index.has(keyOf(item))) index.set(keyOf(item), item);
    cache.set(environment, index);
  }
  // The model is built once and not changed afterwards; a name missing from the index is searched for as before.
  return index.get(key) ?? list.find((item) => keyOf(item) === key);
}

export function forestOf(environment: EnvironmentModel, name: string): ForestModel {
  const forest = indexed(forestIndex, environment, environment.forests, (f) => f.name, name);
  if (!forest) throw new Error(`bug: forest ${name} not in the model`);
  return forest;
}

export function exchangeOf(environment: EnvironmentModel, host: string): ExchangeModel {
  const server = indexed(exchangeIndex, environment, environment.exchange, (x) => x.host, host);
  if (!server) throw new Error(`bug: exchange server ${host} not in the model`);
  return server;
}
