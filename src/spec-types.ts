/**
 * TypeScript mirror of schema/winrm-forge.schema.json (spec version 1): the shape of a spec
 * that passed the schema. Optional here means optional in the schema; defaults are applied
 * later, by the model stage, not here.
 */

export type Os =
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
export type CbtHardening = 'none' | 'relaxed' | 'strict';
export type FirewallProfile = 'domain' | 'private' | 'public';
export type TrustDirection = 'two-way' | 'inbound' | 'outbound';
export type DelegationMode = 'none' | 'unconstrained' | 'resource-based';
export type ClientCertificates = 'ignore' | 'accept' | 'require';
export type SyncProduct = 'fim-2010-r2' | 'mim-2016' | 'monosync' | 'other';
export type ConnectionAuthentication = 'kerberos' | 'basic' | 'negotiate' | 'default';
export type CredentialSource = 'prompt' | 'vault';

export interface SpecV1 {
  version: 1;
  environment: string;
  metadata?: { description?: string; owner?: string; changeReference?: string; documentation?: string };
  defaults?: {
    os?: Os;
    exchangeVersion?: ExchangeVersion;
    preferIPv4?: PreferIPv4;
    executionPolicy?: ExecutionPolicy;
    cbtHardening?: CbtHardening;
    firewallProfiles?: FirewallProfile[];
  };
  forests: SpecForest[];
  exchange: SpecExchangeServer[];
  syncServers?: SpecSyncServer[];
  reverseProxies?: SpecReverseProxy[];
  waivers?: SpecWaiver[];
}

export interface SpecForest {
  name: string;
  netbiosName?: string;
  trusts?: { forest: string; direction?: TrustDirection; tgtDelegation?: boolean }[];
  domainControllers?: { host: string; ip?: string; ipv6?: string; globalCatalog?: boolean }[];
  ldaps?: boolean;
  globalCatalog?: boolean;
}

export interface SpecCertificate {
  thumbprint?: string;
  dnsNames?: string[];
  selfSigned?: boolean;
}

export interface SpecListener {
  transport: 'http' | 'https';
  port?: number;
  address?: string;
  hostName?: string;
  certificate?: SpecCertificate;
}

export interface SpecExchangeServer {
  host: string;
  ip?: string;
  ipv6?: string;
  os?: Os;
  forest: string;
  exchangeVersion?: ExchangeVersion;
  distinguishedName?: string;
  dedicatedPublishing?: boolean;
  winrm?: {
    listeners?: SpecListener[];
    auth?: { kerberos?: boolean; negotiate?: boolean; basic?: boolean; certificate?: boolean; credSSP?: boolean; cbtHardening?: CbtHardening };
    allowUnencrypted?: boolean;
    ipv4Filter?: string;
    ipv6Filter?: string;
  };
  remoteManagementUsers?: string[];
  delegation?: { mode: DelegationMode; principals?: string[] };
  powershellVirtualDirectory?: { basicAuthentication?: boolean; windowsAuthentication?: boolean; requireSsl?: boolean; clientCertificates?: ClientCertificates };
  preferIPv4?: PreferIPv4;
  disabledComponents?: number;
  firewall?: { manage?: boolean; profiles?: FirewallProfile[]; additionalSources?: string[] };
}

export interface SpecCredential {
  source?: CredentialSource;
  vault?: string;
  secretName?: string;
}

export interface SpecConnection {
  exchange: string;
  uri: string;
  authentication: ConnectionAuthentication;
  account?: string;
  credential?: SpecCredential;
  ldapDomainController?: string;
}

export interface SpecSyncServer {
  host: string;
  ip?: string;
  ipv6?: string;
  os?: Os;
  forest: string;
  product: SyncProduct;
  serviceAccount: string;
  credential?: SpecCredential;
  connections: SpecConnection[];
  winrmClient?: {
    trustedHosts?: string[];
    auth?: { kerberos?: boolean; negotiate?: boolean; basic?: boolean; digest?: boolean; certificate?: boolean; credSSP?: boolean };
    allowUnencrypted?: boolean;
  };
  executionPolicy?: ExecutionPolicy;
  preferIPv4?: PreferIPv4;
  disabledComponents?: number;
}

export interface SpecReverseProxy {
  host: string;
  ip?: string;
  ipv6?: string;
  os?: Os;
  publishedName: string;
  certificate?: SpecCertificate;
  backends: string[];
  farmName?: string;
  forwardHttp?: boolean;
  externalClient?: { account: string; credential?: SpecCredential; allowSkipCertificateChecks?: boolean };
}

export interface SpecWaiver {
  rule: string;
  host?: string;
  reason: string;
}
