/**
 * The contract between the plan and the templates: for every script template
 * (templates/<name>.ps1.hbs), the data the plan hands it. `ScriptPlan` is a union over these
 * keys, so a step's `template` decides the type of its `data`, and render's compiled templates
 * are keyed by the same names (test/template-contract.test.ts holds the keys and the files one
 * to one).
 */
import type { SecondHopData } from './second-hop.js';
import type { WsmanSetting } from './wsman.js';
import type { ExchangeAccessChecks } from './exchange-access.js';

/**
 * A WSMan: setting with the Group Policy value that would override it (src/plan/winrm-policy.ts):
 * key, value name, the value element of a policy that has one, the GPO setting's name; '' when none does.
 */
export interface PolicySetting extends WsmanSetting {
  policyKey: string;
  policyName: string;
  policyElement: string;
  policyTitle: string;
}

/** A policy that can refuse every remote session (no local WSMan: setting of its own). */
export interface RemoteAccessPolicy {
  setting: string;
  value: 'true';
  policyKey: string;
  policyName: string;
  policyElement: string;
  policyTitle: string;
}

/** An Exchange computer object, found by DN or by an LDAP filter in its own domain. */
export interface AdComputer {
  distinguishedName: string | null;
  ldapFilter: string | null;
  host: string;
  server: string;
}

/**
 * What verify.ps1 on a forest's AD host reads for Kerberos AES (KB5073381): msDS-SupportedEncryptionTypes
 * of the sync accounts and Exchange computers this forest holds, of the trusted domain objects it holds
 * for the other side of each Kerberos connection, and the KDCSVC events 201-209 of its declared DCs.
 */
export interface KerberosChecks {
  users: { display: string; ldapFilter: string; server: string }[];
  computers: AdComputer[];
  /** The trusted domain object `holder` keeps for `partner`, under CN=System of `searchBase`'s domain. */
  trusts: { holder: string; partner: string; searchBase: string }[];
  /** Declared domain controllers whose System log is read. */
  kdcs: string[];
  /** How many days back the events are counted. */
  days: number;
}

/** A back end of resource-based delegation, looked up in its own domain. */
export interface DelegationBackend {
  display: string;
  ldapFilter: string;
  server: string;
}

export interface ListenerRow {
  /** HTTP or HTTPS, as WinRM names the transport. */
  transport: string;
  https: boolean;
  address: string;
  port: number;
  hostName: string;
  thumbprint: string | null;
  selfSigned: boolean;
  selfSignedName: string | null;
  selfSignedNames: string[];
  /** The DNS names the spec lists for the certificate (a thumbprint's, or the self-signed one's). */
  dnsNames: string[];
}

export interface Ipv4PreferenceData {
  prefixPolicy: boolean;
  registry: boolean;
  disabledComponents: number;
}

/** What the virtual directory step sets and verify.ps1 checks: only the fields the spec names. */
export interface VirtualDirectoryData {
  settings: { name: string; value: boolean }[];
  hasSettings: boolean;
  sections: { name: string; section: string; value: boolean }[];
  manageRequireSsl: boolean;
  requireSsl: boolean;
  manageCertificates: boolean;
  negotiateCertificate: boolean;
  requireCertificate: boolean;
  manageSslFlags: boolean;
}

export type ExecutionPolicyName = 'AllSigned' | 'RemoteSigned' | 'Unrestricted' | 'Bypass';

export interface SessionTest {
  credentialIndex: number;
  port: number;
  useSsl: boolean;
  selfSigned: boolean;
  account: string;
  vault: boolean;
  vaultName: string;
  secretName: string;
  exchange: string;
  uri: string;
  exchangeEndpoint: boolean;
  authentication: 'Kerberos' | 'Basic' | 'Negotiate' | 'Default';
  kerberos: boolean;
  spn: string;
  credentialKey: string;
  secondHop: SecondHopData | null;
}

export interface TemplateData {
  'ad-delegation':
    | (AdComputer & { unconstrained: boolean })
    | { host: string; exchangeDomain: string; unconstrained: boolean; backend: DelegationBackend; fronts: AdComputer[] };
  'arr-https-binding': { publishedName: string; thumbprint: string; hasThumbprint: boolean; site: string };
  'arr-rewrite-rule': { ruleName: string; pattern: string; farmName: string; rewriteUrl: string; publishedName: string };
  'arr-server-farm': { farmName: string; backends: string[] };
  'enable-remoting': { remoteAccess: RemoteAccessPolicy[] };
  'execution-policy': { policy: ExecutionPolicyName };
  'external-client-test': { account: string; vault: boolean; vaultName: string; secretName: string; uri: string; proxy: string; backends: string; allowSkip: boolean };
  firewall: {
    modern: boolean;
    group: string;
    /** Every declared listener is HTTPS: the built-in HTTP 5985 rules are disabled, not only reported. */
    httpsOnly: boolean;
    builtInRules: string[];
    ruleNames: string[];
    rules: { name: string; displayName: string; port: number; remoteAddresses: string[]; profiles: string[]; netshProfiles: string; profileMask: number }[];
  };
  'ipv4-preference': Ipv4PreferenceData;
  'powershell-virtual-directory': VirtualDirectoryData & { host: string; localOnly: string; pool: string; enablesAuthentication: boolean; enabledAuthentication: string; basicOn: boolean };
  'rebind-certificate': {
    /** The Exchange server, as the spec names it (for the spec change the script prints). */
    host: string;
    address: string;
    port: number;
    hostName: string;
    /** What the step changes, for its refusal through a remote session. */
    localOnly: string;
    /** What the spec names: a thumbprint with the names it must carry, or a self-signed certificate's names. */
    thumbprint: string | null;
    dnsNames: string[];
    selfSignedNames: string[];
  };
  'recycle-app-pool': { pool: string; host: string };
  'remote-management-users': { members: string[]; localAccounts: boolean };
  /** restart: DisabledComponents to check at the end (src/plan/restart.ts), with the exit code while a restart is pending. */
  'run-all': { steps: string[]; verify: string; restart: { disabledComponents: number; exitCode: number } | null };
  'tgt-delegation': { trusting: string; trusted: string; enable: boolean };
  'trusted-hosts': { entries: string[]; policy: PolicySetting };
  'verify-domain-controller': {
    computers: AdComputer[];
    backends: (DelegationBackend & { fronts: AdComputer[] })[];
    tgtTrusts: { trusting: string; trusted: string }[];
    /** Kerberos AES readiness (KB5073381) of what this forest holds for the Kerberos connections; null when none. */
    kerberos: KerberosChecks | null;
  };
  'verify-exchange': {
    host: string;
    domain: string;
    /** Ports of the HTTP listeners the spec declares (5985 when it declares none), probed with Test-WSMan. */
    httpProbePorts: number[];
    listeners: ListenerRow[];
    remoteAccess: RemoteAccessPolicy[];
    settings: PolicySetting[];
    members: string[];
    localAccounts: boolean;
    ipv4Preference: Ipv4PreferenceData | null;
    virtualDirectory: VirtualDirectoryData | null;
    firewallRules: string[];
    modernFirewall: boolean;
    httpsOnlyFirewall: boolean;
    builtInRules: string[];
    /** RemotePowerShellEnabled of the accounts that open sessions, and the Auth certificate. */
    exchangeAccess: ExchangeAccessChecks;
  };
  'verify-reverse-proxy': {
    url: string;
    ruleName: string;
    pattern: string;
    farmName: string;
    rewriteUrl: string;
    publishedName: string;
    backends: string[];
    thumbprint: string;
    hasThumbprint: boolean;
    site: string;
  };
  'verify-sync-server': {
    trustedHosts: string[];
    trustedHostsPolicy: PolicySetting;
    clientSettings: PolicySetting[];
    tcp: { to: string; port: number; purpose: string }[];
    udp: { to: string; port: number; purpose: string; check: string }[];
    /** Each domain controller with its own forest's DC locator record. */
    dnsQueries: { server: string; name: string }[];
    credentials: { index: number; account: string; vault: boolean; vaultName: string; secretName: string }[];
    sessions: SessionTest[];
    ipv4Preference: Ipv4PreferenceData | null;
    executionPolicy: ExecutionPolicyName | null;
  };
  'winrm-listeners': { host: string; selfSignedSupported: boolean; localOnly: string; listeners: ListenerRow[] };
  'winrm-service': Record<string, never>;
  /** remoteGuard: the step refuses to run through a remote session; localOnly says what it changes. */
  'winrm-settings': { what: string; remoteGuard: boolean; localOnly: string; settings: PolicySetting[] };
}

export type TemplateName = keyof TemplateData;

/** Every script template, in code-point order; the type below fails to compile when one is missing. */
export const SCRIPT_TEMPLATES = [
  'ad-delegation',
  'arr-https-binding',
  'arr-rewrite-rule',
  'arr-server-farm',
  'enable-remoting',
  'execution-policy',
  'external-client-test',
  'firewall',
  'ipv4-preference',
  'powershell-virtual-directory',
  'rebind-certificate',
  'recycle-app-pool',
  'remote-management-users',
  'run-all',
  'tgt-delegation',
  'trusted-hosts',
  'verify-domain-controller',
  'verify-exchange',
  'verify-reverse-proxy',
  'verify-sync-server',
  'winrm-listeners',
  'winrm-service',
  'winrm-settings',
] as const satisfies readonly TemplateName[];

// Compiles only when SCRIPT_TEMPLATES names every key of TemplateData.
const everyTemplateListed: Exclude<TemplateName, (typeof SCRIPT_TEMPLATES)[number]> extends never ? true : never = true;
void everyTemplateListed;
