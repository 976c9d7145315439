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
import { accountDomain, accountForestOf } from './accounts.js';
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
  KerberosEncryptionType,
  Spec,
  SyncProduct,
  TrustDirection,
} from '../spec/spec-types.js';
import { parseConnectionUri, type ParsedUri } from './uri.js';
import * as fallback from './defaults.js';
import { PREFER_IPV4_DISABLED_COMPONENTS } from './defaults.js';
import { byCodePoint } from '../shared/order.js';
import { indexBy, oncePer } from '../shared/memo.js';
import { powershellFacts, type PowerShellFacts } from './powershell-version.js';

/**
 * Whether the references between entries are known to resolve. `model` is total, so what it
 * returns is `'open'`: a reference the spec makes to an entry it does not declare is `null`,
 * and the rules that report it (unknown-forest, connection-unknown-exchange,
 * proxy-unknown-backend, unknown-account-domain; none can be waived) read that null. Once no
 * unwaived error remains, `isResolved` narrows the model to `'resolved'`, which the plan takes.
 */
export type Resolution = 'open' | 'resolved';
/** A reference to another entry: always there in a resolved model, null where the spec names none. */
export type Ref<T, R extends Resolution> = R extends 'resolved' ? T : T | null;

/** Where an inherited setting came from: the host's entry, the spec's defaults, or the fallback (src/model/defaults.ts). */
export type SettingSource = 'host' | 'defaults' | 'fallback';

function sourceOf(own: unknown, specDefault: unknown): SettingSource {
  return own !== undefined ? 'host' : specDefault !== undefined ? 'defaults' : 'fallback';
}

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
  /** Whether the host's entry or the spec's defaults named the release ('fallback': assumed). */
  source: SettingSource;
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
    source: sourceOf(os, specDefault),
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
  /** The trusted forest is declared under forests (unknown-forest reports it otherwise). */
  declared: boolean;
  direction: TrustDirection;
  tgtDelegation: boolean;
  /** As declared; null when the spec does not say. */
  kerberosEncryptionTypes: KerberosEncryptionType[] | null;
  /** Position in the forest's trusts in the spec. */
  specIndex: number;
}

export interface ForestModel {
  /** Position in the spec's forests (rules locate findings by it). */
  specIndex: number;
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
  /** Position in the server's winrm.listeners in the spec. */
  specIndex: number;
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
  /** The spec lists listeners (possibly none); otherwise Enable-PSRemoting's HTTP 5985 stays. */
  listenersDeclared: boolean;
  auth: ServiceAuthModel;
  allowUnencrypted: boolean;
  ipv4Filter: string;
  ipv6Filter: string;
}

/** An account as scripts look it up in Active Directory. */
export interface AdPrincipalModel<R extends Resolution = 'resolved'> {
  /** As written in the spec. */
  display: string;
  /** Position in delegation.delegateTo in the spec. */
  specIndex: number;
  /** LDAP filter matching exactly this object (values escaped per RFC 4515). */
  ldapFilter: string;
  /** Domain (DNS name) to query; null for DOMAIN\\name whose DOMAIN no declared forest has. */
  server: Ref<string, R>;
}

export interface DelegationModel<R extends Resolution = 'resolved'> {
  mode: DelegationMode;
  /** Resource-based: the back-end objects whose PrincipalsAllowedToDelegateToAccount receives this Exchange computer. */
  delegateTo: AdPrincipalModel<R>[];
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
  /** Position in its list of the spec (exchange, syncServers, reverseProxies): rules locate findings by it. */
  specIndex: number;
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

export interface ExchangeModel<R extends Resolution = 'resolved'> extends ScriptedHostModel {
  kind: 'exchange';
  forest: string;
  /** The declared forest named by `forest`. */
  forestModel: Ref<ForestModel, R>;
  exchangeVersion: ExchangeVersion | null;
  /** Where exchangeVersion came from ('fallback': not declared). */
  exchangeVersionSource: SettingSource;
  /** The WinRM service's CbtHardeningLevel as the spec sets it, whether or not it declares winrm, and where it came from. */
  cbtHardening: { value: CbtHardening; source: SettingSource };
  /** How scripts find the computer object: by DN when given, else by dNSHostName. */
  adIdentity: { distinguishedName: string } | { ldapFilter: string };
  dedicatedPublishing: boolean;
  /** Null when the spec leaves WinRM as installed. */
  winrm: WinrmServiceModel | null;
  remoteManagementUsers: string[];
  delegation: DelegationModel<R>;
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

/** Where Active Directory holds a connection's account. */
export interface AccountModel<R extends Resolution = 'resolved'> {
  /**
   * The forest the account belongs to: the most specific declared forest its domain names
   * (accountForestOf: NetBIOS name, else the longest DNS suffix), else the sync server's own
   * forest. The rules (delegation-tgt-across-trust) and the plan (the Kerberos checks of the
   * domain controllers) both read it.
   */
  forest: Ref<ForestModel, R>;
  /** LDAP filter matching exactly this account (values escaped per RFC 4515): by sAMAccountName, or by userPrincipalName. */
  ldapFilter: string;
  /** Domain (DNS name) to query: the DNS-name prefix or UPN suffix names its own (child) domain, a NetBIOS prefix its forest's root. */
  server: string;
}

export type EndpointKind = 'exchange-powershell' | 'winrm';

export interface ConnectionModel<R extends Resolution = 'resolved'> {
  /** Position in the sync server's connections in the spec. */
  specIndex: number;
  exchange: string;
  /** The declared Exchange server named by `exchange`. */
  target: Ref<ExchangeModel<R>, R>;
  uri: string;
  /** The URI as New-PSSession reads it (src/model/uri.ts); null when it is no http(s) URL. */
  parsedUri: ParsedUri | null;
  scheme: 'http' | 'https';
  /** TCP port the connection uses (explicit in the URI, or 80/443). */
  port: number;
  endpoint: EndpointKind;
  authentication: ConnectionAuthentication;
  credential: CredentialModel;
  /** The account the session runs as (credential.account), as Active Directory holds it. */
  account: AccountModel<R>;
  ldapDomainController: string | null;
  /** The connection opened from inside this session on the Exchange server; null when not declared. */
  secondHop: { host: string; port: number; service: 'winrm' | 'exchange-powershell' | 'tcp'; purpose: string } | null;
}

/** Client authentication mechanisms the spec sets explicitly; absent keys are left as they are. */
export type ClientAuthModel = Partial<Record<'kerberos' | 'negotiate' | 'basic' | 'digest' | 'certificate' | 'credSSP', boolean>>;

export interface SyncServerModel<R extends Resolution = 'resolved'> extends ScriptedHostModel {
  kind: 'sync-server';
  forest: string;
  /** The declared forest named by `forest`. */
  forestModel: Ref<ForestModel, R>;
  product: SyncProduct;
  serviceAccount: string;
  connections: ConnectionModel<R>[];
  /** Sorted by code point (their order means nothing); merged into the existing value by the scripts. */
  trustedHosts: string[];
  clientAuth: ClientAuthModel | null;
  clientAllowUnencrypted: boolean | null;
  executionPolicy: ExecutionPolicy;
  preferIPv4: PreferIPv4;
  disabledComponents: number;
}

/** An IIS ARR server publishing Exchange /PowerShell over HTTPS to its backends. */
export interface BackendModel<R extends Resolution = 'resolved'> {
  /** Lowercased, as in `backends`. */
  host: string;
  /** Position in the proxy's backends in the spec. */
  specIndex: number;
  /** The declared Exchange server it names. */
  server: Ref<ExchangeModel<R>, R>;
}

export interface ReverseProxyModel<R extends Resolution = 'resolved'> extends ScriptedHostModel {
  kind: 'reverse-proxy';
  publishedName: string;
  backends: string[];
  /** The same backends, in the same order, with the Exchange servers they name. */
  backendServers: BackendModel<R>[];
  /** ARR server farm name: the spec's farmName, else the published name. */
  farmName: string;
  /** Thumbprint of the certificate the 443 binding must carry (uppercase); null checks whatever is bound. */
  thumbprint: string | null;
  /** Names the spec says the certificate carries (lowercase); empty when not declared. */
  certificateNames: string[];
  /** Null when the spec declares no external client test. */
  externalClient: { credential: CredentialModel; allowSkipCertificateChecks: boolean } | null;
}

/** What the spec says, normalized: the model the rules ask and the plan reads. */
export interface SpecModel<R extends Resolution = 'resolved'> {
  name: string;
  metadata: { description: string | null; owner: string | null; changeReference: string | null; documentation: string | null };
  forests: ForestModel[];
  exchange: ExchangeModel<R>[];
  syncServers: SyncServerModel<R>[];
  reverseProxies: ReverseProxyModel<R>[];
}

/** What a run adds to the model: how banners, PLAN.md and the manifest name the spec and the tool. */
export interface RunInfo {
  /** Spec path relative to the working folder, with forward slashes. */
  specPath: string;
  specSha256: string;
  toolVersion: string;
}

export interface EnvironmentModel<R extends Resolution = 'resolved'> extends SpecModel<R>, RunInfo {}

export interface ModelInput extends RunInfo {
  spec: LoadedSpec;
}

const byHost = <T extends { host: string }>(a: T, b: T) => byCodePoint(a.host, b.host);

/** RFC 4515 escaping of an LDAP filter value. */
export function ldapEscape(value: string): string {
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The LDAP filter of a DOMAIN\\name account (by sAMAccountName) or a name@domain one (by userPrincipalName). */
function accountLdapFilter(account: string): string {
  const backslash = account.indexOf('\\');
  return backslash > 0 ? `(sAMAccountName=${ldapEscape(account.slice(backslash + 1))})` : `(userPrincipalName=${ldapEscape(account)})`;
}

function parentDomain(fqdn: string): string {
  return fqdn.slice(fqdn.indexOf('.') + 1);
}

/** The entries of `list` by lowercased name; the first declaration wins, as duplicate-host reports the later ones. */
function byName<T>(list: readonly T[], name: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of list) if (!out.has(name(item).toLowerCase())) out.set(name(item).toLowerCase(), item);
  return out;
}

/** The model of a spec with the run's names for it (generation). */
export function model(input: ModelInput): EnvironmentModel<'open'> {
  return { ...modelSpec(input.spec), specPath: input.specPath, specSha256: input.specSha256, toolVersion: input.toolVersion };
}

/** The model of a schema-valid spec: total (it never throws), references unresolved where the spec's are. */
export function modelSpec(loaded: LoadedSpec): SpecModel<'open'> {
  const spec = loaded.value as Spec;
  const defaults = spec.defaults ?? {};
  const declaredForests = new Set(spec.forests.map((f) => f.name.toLowerCase()));

  const forests: ForestModel[] = spec.forests
    .map((f, specIndex): ForestModel => ({
      specIndex,
      name: f.name.toLowerCase(),
      netbiosName: f.netbiosName ?? null,
      trusts: (f.trusts ?? [])
        .map((t, trustIndex): TrustModel => ({
          forest: t.forest.toLowerCase(),
          declared: declaredForests.has(t.forest.toLowerCase()),
          direction: t.direction ?? 'two-way',
          tgtDelegation: t.tgtDelegation ?? false,
          kerberosEncryptionTypes: t.kerberosEncryptionTypes ? [...t.kerberosEncryptionTypes] : null,
          specIndex: trustIndex,
        }))
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
  const forestNamed = byName(forests, (f) => f.name);
  const forestRef = (name: string): ForestModel | null => forestNamed.get(name.toLowerCase()) ?? null;
  /** Resolves a delegation back end to an LDAP lookup in its own domain. */
  const principal = (value: string, specIndex: number): AdPrincipalModel<'open'> => {
    if (value.includes('\\')) {
      // A prefix no forest declares is unknown-account-domain's finding (it cannot be waived).
      return { display: value, specIndex, ldapFilter: accountLdapFilter(value), server: accountDomain(spec.forests, value) ?? null };
    }
    if (value.includes('@')) {
      return { display: value, specIndex, ldapFilter: accountLdapFilter(value), server: value.slice(value.indexOf('@') + 1).toLowerCase() };
    }
    const fqdn = value.toLowerCase();
    return { display: value, specIndex, ldapFilter: `(&(objectClass=computer)(dNSHostName=${ldapEscape(fqdn)}))`, server: parentDomain(fqdn) };
  };

  const exchange: ExchangeModel<'open'>[] = spec.exchange
    .map((x, specIndex): ExchangeModel<'open'> => {
      const host = x.host.toLowerCase();
      const auth = x.winrm?.auth ?? {};
      const winrm: WinrmServiceModel | null = x.winrm
        ? {
            listeners: (x.winrm.listeners ?? []).map((l, listenerIndex): ListenerModel => {
              const hostName = l.hostName?.toLowerCase() ?? (l.transport === 'https' ? host : null);
              const certificate: CertificateModel | null = !l.certificate
                ? null
                : l.certificate.thumbprint
                  ? { kind: 'thumbprint', thumbprint: l.certificate.thumbprint.toUpperCase(), dnsNames: (l.certificate.dnsNames ?? []).map((n) => n.toLowerCase()) }
                  : l.certificate.selfSigned
                    ? { kind: 'self-signed', dnsNames: (l.certificate.dnsNames ?? [hostName ?? host]).map((n) => n.toLowerCase()) }
                    : null;
              return { specIndex: listenerIndex, transport: l.transport, port: fallback.listenerPort(l), address: l.address ?? '*', hostName, certificate };
            })
            .sort((a, b) => byCodePoint(a.transport, b.transport) || a.port - b.port || byCodePoint(a.address, b.address)),
            listenersDeclared: x.winrm.listeners !== undefined,
            auth: {
              kerberos: auth.kerberos ?? fallback.DEFAULT_SERVICE_AUTH.kerberos,
              negotiate: auth.negotiate ?? fallback.DEFAULT_SERVICE_AUTH.negotiate,
              basic: auth.basic ?? fallback.DEFAULT_SERVICE_AUTH.basic,
              certificate: auth.certificate ?? fallback.DEFAULT_SERVICE_AUTH.certificate,
              credSSP: auth.credSSP ?? fallback.DEFAULT_SERVICE_AUTH.credSSP,
              cbtHardening: fallback.cbtHardening(auth.cbtHardening, defaults.cbtHardening),
            },
            allowUnencrypted: x.winrm.allowUnencrypted ?? false,
            ipv4Filter: x.winrm.ipv4Filter ?? fallback.DEFAULT_ADDRESS_FILTER,
            ipv6Filter: x.winrm.ipv6Filter ?? fallback.DEFAULT_ADDRESS_FILTER,
          }
        : null;
      const vdir = x.powershellVirtualDirectory;
      const forest = x.forest.toLowerCase();
      const os = osFacts(x.os, defaults.os);
      const exchangeVersion = x.exchangeVersion ?? defaults.exchangeVersion ?? null;
      const powershell = powershellFacts(x.powershell, os.os, exchangeVersion);
      return {
        kind: 'exchange',
        specIndex,
        host,
        folder: host,
        forest,
        forestModel: forestRef(forest),
        ip: x.ip ?? null,
        ipv6: x.ipv6 ? canonicalAddress(x.ipv6) : null,
        os: withPowerShell(os, powershell),
        powershell,
        exchangeVersion,
        exchangeVersionSource: sourceOf(x.exchangeVersion, defaults.exchangeVersion),
        cbtHardening: { value: fallback.cbtHardening(x.winrm?.auth?.cbtHardening, defaults.cbtHardening), source: sourceOf(x.winrm?.auth?.cbtHardening, defaults.cbtHardening) },
        adIdentity: x.distinguishedName ? { distinguishedName: x.distinguishedName } : { ldapFilter: `(&(objectClass=computer)(dNSHostName=${ldapEscape(host)}))` },
        dedicatedPublishing: x.dedicatedPublishing ?? false,
        winrm,
        remoteManagementUsers: [...(x.remoteManagementUsers ?? [])].sort(byCodePoint),
        delegation: {
          mode: x.delegation?.mode ?? 'none',
          delegateTo: (x.delegation?.delegateTo ?? []).map(principal).sort((a, b) => byCodePoint(a.display, b.display)),
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

  /** A connection's account: its forest, else the sync server's, and how scripts look it up there. */
  const accountOf = (account: string, syncForest: string): AccountModel<'open'> => {
    const declared = accountForestOf(forests, account);
    const forestName = declared?.name ?? syncForest.toLowerCase();
    const backslash = account.indexOf('\\');
    const prefix = account.slice(0, Math.max(backslash, 0)).toLowerCase();
    const server = backslash > 0 ? (prefix.includes('.') ? prefix : forestName) : account.slice(account.indexOf('@') + 1).toLowerCase();
    return { forest: declared ?? forestRef(syncForest), ldapFilter: accountLdapFilter(account), server };
  };

  const exchangeNamed = byName(exchange.slice().sort((a, b) => a.specIndex - b.specIndex), (x) => x.host);
  const exchangeRef = (name: string): ExchangeModel<'open'> | null => exchangeNamed.get(name.toLowerCase()) ?? null;

  const syncServers: SyncServerModel<'open'>[] = (spec.syncServers ?? [])
    .map((s, specIndex): SyncServerModel<'open'> => {
      const host = s.host.toLowerCase();
      const connections = s.connections
        .map((c, connectionIndex): ConnectionModel<'open'> => {
          const exchangeHost = c.exchange.toLowerCase();
          const parsedUri = parseConnectionUri(c.uri) ?? null;
          // The schema admits only http(s) URLs; the fallback keeps the model total all the same.
          const parsed = parsedUri ?? { scheme: /^https:/i.test(c.uri) ? 'https' : 'http', port: /^https:/i.test(c.uri) ? 443 : 80, endpoint: 'winrm' };
          const scheme = parsed.scheme;
          const account = c.account ?? s.serviceAccount;
          return {
            specIndex: connectionIndex,
            exchange: exchangeHost,
            target: exchangeRef(exchangeHost),
            uri: c.uri,
            parsedUri,
            scheme,
            port: parsed.port,
            endpoint: parsed.endpoint === 'exchange' ? 'exchange-powershell' : 'winrm',
            authentication: c.authentication,
            credential: credentialOf(c.credential ?? s.credential, account),
            account: accountOf(account, s.forest),
            ldapDomainController: c.ldapDomainController?.toLowerCase() ?? null,
            secondHop: c.secondHop ? { host: c.secondHop.host.toLowerCase(), port: c.secondHop.port, service: c.secondHop.service, purpose: c.secondHop.purpose } : null,
          };
        })
        .sort((a, b) => byCodePoint(a.exchange, b.exchange) || byCodePoint(a.uri, b.uri));
      const client = s.winrmClient;
      return {
        kind: 'sync-server',
        specIndex,
        host,
        folder: host,
        forest: s.forest.toLowerCase(),
        forestModel: forestRef(s.forest),
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

  const reverseProxies: ReverseProxyModel<'open'>[] = (spec.reverseProxies ?? [])
    .map((p, specIndex): ReverseProxyModel<'open'> => {
      const host = p.host.toLowerCase();
      const client = p.externalClient;
      const backendServers = p.backends
        .map((b, backendIndex): BackendModel<'open'> => ({ host: b.toLowerCase(), specIndex: backendIndex, server: exchangeRef(b) }))
        .sort((a, b) => byCodePoint(a.host, b.host) || a.specIndex - b.specIndex);
      return {
        kind: 'reverse-proxy',
        specIndex,
        host,
        folder: host,
        ip: p.ip ?? null,
        ipv6: p.ipv6 ? canonicalAddress(p.ipv6) : null,
        os: withPowerShell(osFacts(p.os, defaults.os), powershellFacts(p.powershell, osFacts(p.os, defaults.os).os, null)),
        powershell: powershellFacts(p.powershell, osFacts(p.os, defaults.os).os, null),
        publishedName: p.publishedName.toLowerCase(),
        backends: backendServers.map((b) => b.host),
        backendServers,
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
      forests,
      exchange,
      syncServers,
      reverseProxies,
  };
}

const forestsByName = oncePer((environment: EnvironmentModel) => indexBy(environment.forests, (f) => f.name));

/** A declared forest of a resolved model by its name (lowercase), as accounts and connections name it. */
export function forestOf(environment: EnvironmentModel, name: string): ForestModel {
  const forest = forestsByName(environment).get(name);
  if (!forest) throw new Error(`bug: forest ${name} not in the model`);
  return forest;
}

/** What the WinRM service of a server accepts: the spec's settings, or Windows' own where it declares no winrm. */
export function serviceAuthOf(server: ExchangeModel<Resolution>): ServiceAuthModel {
  return server.winrm?.auth ?? { ...fallback.DEFAULT_SERVICE_AUTH, cbtHardening: server.cbtHardening.value };
}

/** Whether the WinRM client of a sync server allows a mechanism: as the spec sets it, else as Windows installs it. */
export function clientAllows(sync: SyncServerModel<Resolution>, mechanism: keyof typeof fallback.DEFAULT_CLIENT_AUTH): boolean {
  return sync.clientAuth?.[mechanism] ?? fallback.DEFAULT_CLIENT_AUTH[mechanism];
}

/** The WinRM service's address filters: the spec's, else as installed. */
export function addressFiltersOf(server: ExchangeModel<Resolution>): { ipv4Filter: string; ipv6Filter: string } {
  return server.winrm ?? { ipv4Filter: fallback.DEFAULT_ADDRESS_FILTER, ipv6Filter: fallback.DEFAULT_ADDRESS_FILTER };
}

/**
 * Whether every reference of the model resolves: each host's forest, each trust's, each
 * connection's Exchange server, each proxy backend, each DOMAIN\\name delegation back end. The
 * rules that report the ones that do not cannot be waived, so a spec without unwaived errors
 * always passes; the orchestrator narrows with it before planning.
 */
export function isResolved<M extends SpecModel<'open'>>(m: M): m is M & SpecModel<'resolved'> {
  return (
    m.forests.every((f) => f.trusts.every((t) => t.declared)) &&
    m.exchange.every((x) => x.forestModel !== null && x.delegation.delegateTo.every((p) => p.server !== null)) &&
    m.syncServers.every((s) => s.forestModel !== null && s.connections.every((c) => c.target !== null && c.account.forest !== null)) &&
    m.reverseProxies.every((p) => p.backendServers.every((b) => b.server !== null))
  );
}
