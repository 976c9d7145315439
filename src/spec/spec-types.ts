/**
 * TypeScript view of a spec that passed schema/winrm-forge.schema.json (spec version 1).
 * A faithful mirror of scripts/schema-source.mjs: optional here means optional there, and
 * defaults are not applied (the schema documents them; later stages apply them).
 */

export type Fqdn = string;
export type Account = string;
export type OsVersion =
  | 'windows-server-2008-r2'
  | 'windows-server-2012'
  | 'windows-server-2012-r2'
  | 'windows-server-2016'
  | 'windows-server-2019'
  | 'windows-server-2022'
  | 'windows-server-2025';
export type ExchangeVersion = 'exchange-2010' | 'exchange-2013' | 'exchange-2016' | 'exchange-2019' | 'exchange-se';
export type PreferIPv4 = 'none' | 'prefix-policy' | 'registry' | 'both';
export type ExecutionPolicy = 'unmanaged' | 'all-signed' | 'remote-signed' | 'unrestricted' | 'bypass';
export type TrustDirection = 'two-way' | 'inbound' | 'outbound';
export type DelegationMode = 'none' | 'unconstrained' | 'resource-based';
export type ClientCertificates = 'ignore' | 'accept' | 'require';
export type CredentialSource = 'prompt' | 'vault';
export type SyncProduct = 'fim-2010-r2' | 'mim-2016' | 'monosync' | 'other';
export type CbtHardening = 'none' | 'relaxed' | 'strict';
export type FirewallProfile = 'domain' | 'private' | 'public';
export type KerberosEncryptionType = 'aes256-cts-hmac-sha1-96' | 'aes128-cts-hmac-sha1-96' | 'rc4-hmac';

export interface Spec {
  version: 1;
  environment: string;
  metadata?: { description?: string; owner?: string; changeReference?: string; documentation?: string };
  defaults?: Defaults;
  forests: Forest[];
  exchange: ExchangeServer[];
  syncServers?: SyncServer[];
  reverseProxies?: ReverseProxy[];
  waivers?: Waiver[];
}

export interface Defaults {
  os?: OsVersion;
  exchangeVersion?: ExchangeVersion;
  preferIPv4?: PreferIPv4;
  executionPolicy?: ExecutionPolicy;
  cbtHardening?: CbtHardening;
  firewallProfiles?: FirewallProfile[];
  /** Compliance baseline ID (baselines/), checked by baseline-deviation. */
  baseline?: string;
}

export interface Forest {
  name: Fqdn;
  netbiosName?: string;
  trusts?: Trust[];
  domainControllers?: DomainController[];
  /** Default false. */
  ldaps?: boolean;
  /** Default true. */
  globalCatalog?: boolean;
}

export interface Trust {
  forest: Fqdn;
  /** Default two-way. */
  direction?: TrustDirection;
  kerberosEncryptionTypes?: KerberosEncryptionType[];
  /** Default false. */
  tgtDelegation?: boolean;
}

export interface DomainController {
  host: Fqdn;
  ip?: string;
  ipv6?: string;
  /** Default true. */
  globalCatalog?: boolean;
}

interface HostCommon {
  host: Fqdn;
  ip?: string;
  ipv6?: string;
  os?: OsVersion;
}

export interface Listener {
  transport: 'http' | 'https';
  /** Default 5985 for http, 5986 for https. */
  port?: number;
  /** Default '*'. */
  address?: string;
  hostName?: Fqdn;
  certificate?: Certificate;
}

export interface Certificate {
  thumbprint?: string;
  dnsNames?: Fqdn[];
  /** Default false. */
  selfSigned?: boolean;
}

export interface ServiceAuth {
  kerberos?: boolean;
  negotiate?: boolean;
  basic?: boolean;
  certificate?: boolean;
  credSSP?: boolean;
  cbtHardening?: CbtHardening;
}

export interface ClientAuth {
  kerberos?: boolean;
  negotiate?: boolean;
  basic?: boolean;
  digest?: boolean;
  certificate?: boolean;
  credSSP?: boolean;
}

export interface WinrmService {
  listeners?: Listener[];
  auth?: ServiceAuth;
  /** Default false. */
  allowUnencrypted?: boolean;
  /** Default '*'. */
  ipv4Filter?: string;
  /** Default '*'; '' means no IPv6 address. */
  ipv6Filter?: string;
}

export interface Delegation {
  mode: DelegationMode;
  /** Resource-based: back-end resources (host FQDN or DOMAIN\\account) this Exchange server may delegate to. */
  delegateTo?: string[];
}

export interface PowershellVirtualDirectory {
  basicAuthentication?: boolean;
  windowsAuthentication?: boolean;
  requireSsl?: boolean;
  clientCertificates?: ClientCertificates;
}

export interface Firewall {
  manage?: boolean;
  profiles?: FirewallProfile[];
  additionalSources?: string[];
}

export interface ExchangeServer extends HostCommon {
  forest: Fqdn;
  exchangeVersion?: ExchangeVersion;
  distinguishedName?: string;
  kerberosEncryptionTypes?: KerberosEncryptionType[];
  iisCertificate?: { thumbprint: string };
  dedicatedPublishing?: boolean;
  winrm?: WinrmService;
  remoteManagementUsers?: Account[];
  delegation?: Delegation;
  powershellVirtualDirectory?: PowershellVirtualDirectory;
  preferIPv4?: PreferIPv4;
  disabledComponents?: number;
  firewall?: Firewall;
}

export type ConnectionAuthentication = 'kerberos' | 'basic' | 'negotiate' | 'default';

export interface Connection {
  exchange: Fqdn;
  uri: string;
  authentication: ConnectionAuthentication;
  account?: Account;
  kerberosEncryptionTypes?: KerberosEncryptionType[];
  credential?: Credential;
  ldapDomainController?: Fqdn;
}

export interface Credential {
  source?: CredentialSource;
  vault?: string;
  secretName?: string;
}

export interface WinrmClient {
  trustedHosts?: string[];
  auth?: ClientAuth;
  allowUnencrypted?: boolean;
}

export interface SyncServer extends HostCommon {
  forest: Fqdn;
  product: SyncProduct;
  serviceAccount: Account;
  credential?: Credential;
  kerberosEncryptionTypes?: KerberosEncryptionType[];
  connections: Connection[];
  winrmClient?: WinrmClient;
  executionPolicy?: ExecutionPolicy;
  preferIPv4?: PreferIPv4;
  disabledComponents?: number;
}

export interface ReverseProxy extends HostCommon {
  publishedName: Fqdn;
  certificate?: Certificate;
  backends: Fqdn[];
  farmName?: string;
  forwardHttp?: boolean;
  externalClient?: { account: Account; credential?: Credential; allowSkipCertificateChecks?: boolean };
}

export interface Waiver {
  rule: string;
  host?: Fqdn;
  /** baseline-deviation: the one control ID accepted. */
  control?: string;
  /** secret-in-spec: the path of the one value accepted (metadata.changeReference). */
  field?: string;
  /** secret-in-spec, with field: SHA-256 of the accepted value's UTF-8 bytes. */
  sha256?: string;
  reason: string;
}
