/**
 * Stage "plan": decides what runs where and in which order. Pure: from the normalized
 * environment to ordered scripts per host (each with the data its template needs), the
 * cross-host run order, the port matrix and the host firewall rules. Rendering only formats
 * what this stage decided.
 */
import { compareCodePoints, type Diagnostic } from './diagnostics.js';
import {
  exchangeOf,
  forestOf,
  type ConnectionModel,
  type EnvironmentModel,
  type AdPrincipalModel,
  type ExchangeModel,
  type ForestModel,
  type OsFacts,
  type ReverseProxyModel,
  type SyncServerModel,
} from './model.js';
import type { FirewallProfile } from './spec-types.js';
import type { ComplianceSection } from './compliance.js';
import { remoteAccessPolicies, withPolicy } from './winrm-policy.js';

export type HostRole = 'exchange' | 'domain-controller' | 'sync-server' | 'reverse-proxy';

/** One script file: which template renders it, and the data it gets. */
export interface ScriptPlan {
  /** e.g. 03-firewall.ps1 */
  fileName: string;
  /** e.g. 03-firewall: the name in log lines. */
  stepName: string;
  template: string;
  synopsis: string;
  /** Paragraphs of .DESCRIPTION. */
  description: string[];
  /** Changes the machine: #Requires -RunAsAdministrator and ShouldProcess. */
  changesMachine: boolean;
  /** One line for PLAN.md: what a reviewer should expect this script to set. */
  summary: string;
  data: Record<string, unknown>;
  /** Where to run this script when it differs from its host's runFrom. */
  runFrom?: string;
}

export interface HostPlan {
  host: string;
  folder: string;
  role: HostRole;
  roleLabel: string;
  os: OsFacts | null;
  /** Where the operator runs the scripts (elevated console, Exchange Management Shell). */
  runFrom: string;
  /** Numbered steps, run in this order by run-all.ps1. */
  steps: ScriptPlan[];
  verify: ScriptPlan;
  /** Scripts run on demand, outside run-all (certificate rebind). */
  extras: ScriptPlan[];
  notes: string[];
}

export interface RunStage {
  order: number;
  host: string;
  folder: string;
  script: 'run-all.ps1' | 'verify.ps1' | 'external-client-test.ps1' | 'recycle-powershell-app-pool.ps1';
  /** Relative to the environment folder: hosts/<host>/run-all.ps1, clients/<name>/external-client-test.ps1. */
  path: string;
  why: string;
}

export interface PortFlow {
  from: string;
  fromIp: string | null;
  to: string;
  toIp: string | null;
  protocol: 'TCP' | 'UDP';
  port: number;
  purpose: string;
  /** Checked by verify.ps1 on the source (TCP), or how to check it otherwise. */
  check: string;
}

export interface FirewallRulePlan {
  host: string;
  name: string;
  displayName: string;
  port: number;
  remoteAddresses: string[];
  profiles: FirewallProfile[];
  purpose: string;
}

export interface TroubleshootingRow {
  symptom: string;
  cause: string;
  fix: string;
}

export interface Plan {
  environment: EnvironmentModel;
  hosts: HostPlan[];
  runOrder: RunStage[];
  flows: PortFlow[];
  firewallRules: FirewallRulePlan[];
  /** Findings of the check (warnings, infos, waived errors), shown in PLAN.md. */
  findings: { severity: string; ruleId: string; message: string; line: number; waived: string | null }[];
  notes: string[];
  troubleshooting: TroubleshootingRow[];
  /** Scripts run from a client outside the environment (the external client test of a published name). */
  clients: ClientScriptPlan[];
  /** PLAN.md's Compliance section, when a baseline was chosen (set by generateFrom). */
  compliance?: ComplianceSection;
}

/** A script for a computer the spec does not manage, written to clients/<folder>/. */
export interface ClientScriptPlan {
  folder: string;
  /** What the script tests, for its banner line. */
  label: string;
  runFrom: string;
  script: ScriptPlan;
}

const ELEVATED = 'an elevated Windows PowerShell 5.1 console (64-bit)';
const FIREWALL_GROUP = 'winrm-forge';

const profileName: Record<FirewallProfile, string> = { domain: 'Domain', private: 'Private', public: 'Public' };
const profileBit: Record<FirewallProfile, number> = { domain: 1, private: 2, public: 4 };

const cbtValue = { none: 'None', relaxed: 'Relaxed', strict: 'Strict' } as const;
const policyValue = { 'all-signed': 'AllSigned', 'remote-signed': 'RemoteSigned', unrestricted: 'Unrestricted', bypass: 'Bypass' } as const;
const psAuthentication = { kerberos: 'Kerberos', basic: 'Basic', negotiate: 'Negotiate', default: 'Default' } as const;

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareCodePoints);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function shortName(host: string): string {
  return host.slice(0, host.indexOf('.'));
}

/** Numbers steps in order and names their files. */
function numbered(steps: Omit<ScriptPlan, 'fileName' | 'stepName'>[], slugs: string[]): ScriptPlan[] {
  return steps.map((step, i) => {
    const stepName = `${pad(i + 1)}-${slugs[i]}`;
    return { ...step, stepName, fileName: `${stepName}.ps1` };
  });
}

interface Draft {
  slug: string;
  step: Omit<ScriptPlan, 'fileName' | 'stepName'>;
}

function draft(slug: string, template: string, synopsis: string, description: string[], summary: string, data: Record<string, unknown> = {}, changesMachine = true): Draft {
  return { slug, step: { template, synopsis, description, summary, data, changesMachine } };
}

/** The first step of every Windows host: WinRM automatic and running; `why` says what needs it there. */
function winrmServiceDraft(host: string, why: string): Draft {
  return draft('winrm-service', 'winrm-service', `Sets the WinRM service on ${host} to start automatically and starts it.`, [why], 'WinRM service: startup Automatic, running');
}

function build(drafts: Draft[]): ScriptPlan[] {
  return numbered(
    drafts.map((d) => d.step),
    drafts.map((d) => d.slug),
  );
}

function script(fileName: string, template: string, synopsis: string, description: string[], summary: string, data: Record<string, unknown>, changesMachine: boolean): ScriptPlan {
  return { fileName, stepName: fileName.replace(/\.ps1$/, ''), template, synopsis, description, summary, data, changesMachine };
}

/** What verify.ps1 checks of the IPv4 preference the spec asks for, or null when it asks none. */
function ipv4PreferenceCheck(host: { preferIPv4: string; disabledComponents: number }): { prefixPolicy: boolean; registry: boolean; disabledComponents: number } | null {
  if (host.preferIPv4 === 'none') return null;
  return {
    prefixPolicy: host.preferIPv4 === 'prefix-policy' || host.preferIPv4 === 'both',
    registry: host.preferIPv4 === 'registry' || host.preferIPv4 === 'both',
    disabledComponents: host.disabledComponents,
  };
}

function ipv4PreferenceDraft(host: { preferIPv4: string; disabledComponents: number; host: string }): Draft | null {
  if (host.preferIPv4 === 'none') return null;
  const prefixPolicy = host.preferIPv4 === 'prefix-policy' || host.preferIPv4 === 'both';
  const registry = host.preferIPv4 === 'registry' || host.preferIPv4 === 'both';
  const parts = [
    ...(prefixPolicy ? ['prefix policy ::ffff:0:0/96 above ::/0 (netsh, immediate)'] : []),
    ...(registry ? [`DisabledComponents = 0x${host.disabledComponents.toString(16).toUpperCase()} (reboot required)`] : []),
  ];
  return draft(
    'ipv4-preference',
    'ipv4-preference',
    `Makes ${host.host} prefer IPv4 over IPv6 without disabling IPv6.`,
    [
      'A client that resolves a name to IPv6 while WinRM listens on IPv4 only is refused by name and works by IPv4 address (seed 002). Preferring IPv4 fixes that; disabling IPv6 is not supported by Microsoft (KB 929852).',
      ...(registry ? ['The DisabledComponents registry value takes effect after a reboot; the script says so and does not reboot.'] : []),
    ],
    `IPv4 preference: ${parts.join('; ')}`,
    { prefixPolicy, registry, disabledComponents: host.disabledComponents },
  );
}

function exchangeSources(environment: EnvironmentModel, server: ExchangeModel) {
  const syncSources = environment.syncServers.filter((s) => s.connections.some((c) => c.exchange === server.host));
  const proxySources = environment.reverseProxies.filter((p) => p.backends.includes(server.host));
  return { syncSources, proxySources };
}

function firewallRulesFor(environment: EnvironmentModel, server: ExchangeModel, notes: string[]): FirewallRulePlan[] {
  if (!server.firewall.manage) return [];
  const { syncSources, proxySources } = exchangeSources(environment, server);
  for (const s of syncSources) if (!s.ip) notes.push(`${s.host} has no ip in the spec: the firewall rules on ${server.host} cannot include it.`);
  for (const p of proxySources) if (!p.ip) notes.push(`${p.host} has no ip in the spec: the firewall rules on ${server.host} cannot include it.`);
  const syncIps = syncSources.flatMap((s) => (s.ip ? [s.ip] : []));
  const byPort = new Map<number, { addresses: Set<string>; purposes: Set<string> }>();
  const add = (port: number, addresses: string[], purpose: string) => {
    const entry = byPort.get(port) ?? { addresses: new Set<string>(), purposes: new Set<string>() };
    addresses.forEach((a) => entry.addresses.add(a));
    entry.purposes.add(purpose);
    byPort.set(port, entry);
  };
  for (const s of syncSources) {
    for (const c of s.connections.filter((c) => c.exchange === server.host)) {
      if (s.ip) add(c.port, [s.ip], c.endpoint === 'exchange-powershell' ? `Exchange remote PowerShell ${c.scheme}` : `WinRM ${c.scheme.toUpperCase()}`);
    }
  }
  for (const p of proxySources) if (p.ip) add(443, [p.ip], 'Exchange remote PowerShell https from the reverse proxy');
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

/**
 * What the virtual directory step and verify.ps1 set and check: only the fields the spec names.
 * Omitted fields are left as installed and not checked.
 */
function virtualDirectoryData(v: NonNullable<ExchangeModel['virtualDirectory']>) {
  // Set-PowerShellVirtualDirectory parameter names; the IIS section, where one exists, for the appcmd.exe fallback.
  const fields = [
    { name: 'BasicAuthentication', value: v.basicAuthentication, section: 'system.webServer/security/authentication/basicAuthentication' },
    { name: 'WindowsAuthentication', value: v.windowsAuthentication, section: 'system.webServer/security/authentication/windowsAuthentication' },
    { name: 'RequireSSL', value: v.requireSsl, section: null },
  ];
  const settings = fields.flatMap((f) => (f.value === null ? [] : [{ name: f.name, value: f.value }]));
  const sections = fields.flatMap((f) => (f.value === null || f.section === null ? [] : [{ section: f.section, value: f.value }]));
  // sslFlags: Ssl is Require SSL; client certificates Accept = SslNegotiateCert, Require adds SslRequireCert.
  const certificates = v.clientCertificates;
  return {
    settings,
    hasSettings: settings.length > 0,
    sections,
    manageRequireSsl: v.requireSsl !== null,
    requireSsl: v.requireSsl === true,
    manageCertificates: certificates !== null,
    negotiateCertificate: certificates === 'accept' || certificates === 'require',
    requireCertificate: certificates === 'require',
    manageSslFlags: v.requireSsl !== null || certificates !== null,
  };
}

function virtualDirectorySummary(v: NonNullable<ExchangeModel['virtualDirectory']>): string {
  const named = [
    ...(v.basicAuthentication === null ? [] : [`Basic ${v.basicAuthentication}`]),
    ...(v.windowsAuthentication === null ? [] : [`Windows ${v.windowsAuthentication}`]),
    ...(v.requireSsl === null ? [] : [`RequireSSL ${v.requireSsl}`]),
    ...(v.clientCertificates === null ? [] : [`client certificates ${v.clientCertificates}`]),
  ];
  const left = [
    ...(v.basicAuthentication === null ? ['Basic'] : []),
    ...(v.windowsAuthentication === null ? ['Windows'] : []),
    ...(v.requireSsl === null ? ['RequireSSL'] : []),
    ...(v.clientCertificates === null ? ['client certificates'] : []),
  ];
  const parts = [named.length > 0 ? named.join(', ') : 'nothing set', ...(left.length > 0 ? [`left as installed: ${left.join(', ')}`] : [])];
  return `PowerShell virtual directory: ${parts.join('; ')}`;
}

/**
 * The application pool of Default Web Site/PowerShell: Exchange 2013 and later run the front end
 * in its own pool (MSExchangePowerShellAppPool serves the back end, Exchange Back End/PowerShell);
 * Exchange 2010 has only MSExchangePowerShellAppPool. An undeclared version is taken as 2013 or
 * later (CSS-Exchange Shared/Tests/Data/E19_applicationHost_Default.config).
 */
function powershellFrontEndPool(server: ExchangeModel): string {
  return server.exchangeVersion === 'exchange-2010' ? 'MSExchangePowerShellAppPool' : 'MSExchangePowerShellFrontEndAppPool';
}

/** The authentication types the spec turns on, which HealthChecker reports on /PowerShell. */
function enabledAuthentication(v: NonNullable<ExchangeModel['virtualDirectory']>): string[] {
  return [...(v.basicAuthentication ? ['Basic authentication'] : []), ...(v.windowsAuthentication ? ['Windows authentication'] : [])];
}

function rebindFileName(listener: { port: number; address: string }, all: { port: number; address: string; transport: string }[]): string {
  const samePort = all.filter((l) => l.transport === 'https' && l.port === listener.port).length > 1;
  const suffix = samePort && listener.address !== '*' ? `-${listener.address.replace(/^IP:/, '').replace(/[^A-Za-z0-9]+/g, '-')}` : '';
  return `rebind-certificate-https-${listener.port}${suffix}.ps1`;
}

function planExchange(server: ExchangeModel, firewallRules: FirewallRulePlan[]): HostPlan {
  const drafts: Draft[] = [];
  const hostNotes: string[] = [];
  drafts.push(
    winrmServiceDraft(server.host, 'Every later step uses the WSMan: drive, which needs the WinRM service running.'),
  );
  drafts.push(
    draft('enable-remoting', 'enable-remoting', `Enables PowerShell remoting on ${server.host} (Enable-PSRemoting -SkipNetworkProfileCheck -Force) when it is not enabled yet.`, [
      'Enable-PSRemoting registers the session configurations, creates an HTTP listener on port 5985 for all addresses and opens TCP 5985 in Windows Firewall. It restarts WinRM, which ends open WinRM sessions: run it locally.',
      'Group Policy can refuse every remote session whatever the local configuration: "Allow remote server management through WinRM" disabled (AllowAutoConfig = 0) or "Allow Remote Shell Access" disabled (AllowRemoteShellAccess = 0). The step reports either policy when it is set, and fails when it refuses remote sessions.',
    ], 'PowerShell remoting enabled (Microsoft.PowerShell session configuration)', { remoteAccess: remoteAccessPolicies() }),
  );
  if (firewallRules.length > 0) {
    drafts.push(
      draft(
        'firewall',
        'firewall',
        `Creates or updates the inbound firewall rules on ${server.host} for the hosts that connect to it.`,
        [
          server.os.modernNetworking
            ? `Rules are created with New-NetFirewallRule, named so that a second run finds and compares them (group ${FIREWALL_GROUP}).`
            : `${server.os.os} has no NetSecurity module: rules are read through the HNetCfg.FwPolicy2 COM object and changed with netsh advfirewall.`,
          'Each rule allows only the listed remote addresses. Windows Firewall admits a connection that any rule allows, so these rules guarantee access for the hosts in the spec; they do not restrict others: rules that Exchange setup (80/443 from any address) or Enable-PSRemoting (5985) created are left alone.',
        ],
        `Inbound firewall: ${firewallRules.map((r) => `TCP ${r.port} from ${r.remoteAddresses.join(', ')}`).join('; ')} (profiles ${server.firewall.profiles.join(', ')})`,
        {
          modern: server.os.modernNetworking,
          group: FIREWALL_GROUP,
          rules: firewallRules.map((r) => ({
            name: r.name,
            displayName: r.displayName,
            port: r.port,
            remoteAddresses: r.remoteAddresses,
            profiles: r.profiles.map((p) => profileName[p]),
            netshProfiles: r.profiles.join(','),
            profileMask: r.profiles.reduce((mask, p) => mask | profileBit[p], 0),
          })),
        },
      ),
    );
  }
  if (server.remoteManagementUsers.length > 0 && !server.os.remoteManagementUsersGroup) {
    // A step that must fail would stop run-all before the listener and authentication steps.
    hostNotes.push(
      `${server.os.os} has no Remote Management Users group (it came with Windows Server 2012), so no script adds ${server.remoteManagementUsers.join(', ')}: grant them Invoke on the Microsoft.PowerShell endpoint with Set-PSSessionConfiguration -Name Microsoft.PowerShell -ShowSecurityDescriptorUI, or use an administrator account.`,
    );
  }
  if (server.exchangeVersion === 'exchange-2010') {
    hostNotes.push('The scripts need Windows PowerShell 5.1 (#Requires -Version 5.1), and Exchange 2010 supports only some Windows Management Framework releases on its servers (never WMF 3.0; WMF 4.0 from SP3 RU5): check the Exchange support matrix before installing WMF 5.1 on this server, or apply the settings listed here by hand.');
  }
  if (server.remoteManagementUsers.length > 0 && server.os.remoteManagementUsersGroup) {
    drafts.push(
      draft(
        'remote-management-users',
        'remote-management-users',
        `Adds ${server.remoteManagementUsers.join(', ')} to the local Remote Management Users group on ${server.host}.`,
        [
          'Members of Remote Management Users (SID S-1-5-32-580) may use the Microsoft.PowerShell endpoint over WinRM without being Administrators. Access to Exchange remote PowerShell (/PowerShell) is governed by Exchange RBAC instead.',
          server.os.localAccountsModule
            ? 'The group is found by its SID, so the script works on any display language; net localgroup lists it when Get-LocalGroupMember fails on an orphaned SID.'
            : 'The group is found by its SID and changed with net localgroup (the LocalAccounts cmdlets are used from Windows Server 2016 on).',
        ],
        `Remote Management Users: ${server.remoteManagementUsers.join(', ')}`,
        { members: server.remoteManagementUsers, localAccounts: server.os.localAccountsModule },
      ),
    );
  }
  const ipv4 = ipv4PreferenceDraft(server);
  if (ipv4) drafts.push(ipv4);
  const extras: ScriptPlan[] = [];
  if (server.virtualDirectory) {
    const v = server.virtualDirectory;
    const pool = powershellFrontEndPool(server);
    const enabled = enabledAuthentication(v);
    // Last of the non-WinRM steps: the change waits for a recycle of the pool, which is a stage
    // of its own (recycle-powershell-app-pool.ps1) since it drops remote PowerShell sessions.
    drafts.push(
      draft(
        'powershell-virtual-directory',
        'powershell-virtual-directory',
        `Sets the authentication and SSL settings the spec names on the Exchange PowerShell virtual directory of ${server.host}.`,
        [
          'Only the settings the spec names are compared and changed; an omitted setting is left as installed. Exchange 2013 and later install Default Web Site/PowerShell with Basic and Windows authentication off (Kerberos is handled by Exchange\'s kerbauth module, not by IIS Windows authentication), Require SSL off and client certificates Accept (sslFlags SslNegotiateCert), as the applicationHost.config test data of Microsoft\'s CSS-Exchange project records.',
          'Run from the Exchange Management Shell on this server: Get-PowerShellVirtualDirectory and Set-PowerShellVirtualDirectory come from Exchange and also record the settings in Active Directory. Outside it, the script falls back to appcmd.exe on the IIS sections (basicAuthentication, windowsAuthentication, sslFlags) and warns that Exchange does not record that change. Client certificate handling is an IIS setting (sslFlags), read with WebAdministration and changed with appcmd.exe.',
          'Microsoft documents that this virtual directory should be changed only at the request of Microsoft support, and the Exchange HealthChecker reports any authentication type enabled on it, and Require SSL, as unsupported. Require SSL also breaks internal Kerberos over http:// and the Exchange Management Shell (HTTP 403).',
          `A change takes effect when ${pool} recycles${server.exchangeVersion === 'exchange-2010' ? '' : ' (the front-end pool of Default Web Site/PowerShell, not MSExchangePowerShellAppPool, which serves the back end)'}. This step does not recycle it: recycle-powershell-app-pool.ps1 does, as a stage of its own after run-all.ps1, because the recycle drops the remote PowerShell sessions that go through it, the open Exchange Management Shell included.`,
        ],
        virtualDirectorySummary(v),
        { host: server.host, pool, enablesAuthentication: enabled.length > 0, enabledAuthentication: enabled.join(' and '), basicOn: v.basicAuthentication === true, ...virtualDirectoryData(v) },
      ),
    );
    extras.push(
      script(
        'recycle-powershell-app-pool.ps1',
        'recycle-app-pool',
        `Recycles ${pool} on ${server.host} so that the PowerShell virtual directory settings take effect.`,
        [
          `Run after run-all.ps1, from a console that does not depend on remote PowerShell to this server: recycling ${pool} drops the remote PowerShell sessions that go through Default Web Site/PowerShell, the open Exchange Management Shell included.`,
          `It recycles only when a worker process of ${pool} started before the last change to the IIS configuration (applicationHost.config); otherwise it reports "already configured". Use -WhatIf to see whether a recycle is due, and -Confirm to be asked before it happens.`,
        ],
        `Recycles ${pool} after a virtual directory change (a run-order stage of its own; drops open remote PowerShell sessions)`,
        { pool, host: server.host },
        true,
      ),
    );
    // Not the Exchange Management Shell: its session is one of those the recycle drops.
    extras[extras.length - 1]!.runFrom = ELEVATED;
    hostNotes.push(
      `The PowerShell virtual directory change on ${server.host} takes effect when ${pool} recycles, which drops the remote PowerShell sessions through it, the open Exchange Management Shell included: run recycle-powershell-app-pool.ps1 after run-all.ps1 (its own stage in the run order), then open a new Exchange Management Shell before verify.ps1.`,
    );
    if (enabled.length > 0) {
      const label = enabled.join(' and ');
      hostNotes.push(
        `${label.charAt(0).toUpperCase()}${label.slice(1)} on ${server.host}/PowerShell ${enabled.length === 1 ? 'is' : 'are'} reported as unsupported by the Exchange HealthChecker, which flags any authentication enabled on that directory${v.basicAuthentication ? `; a dedicated publishing CAS is the recommended place for Basic${server.dedicatedPublishing ? ' (this server is declared as one)' : ''}` : ''}${v.windowsAuthentication ? '; Kerberos does not need Windows authentication there (Exchange\'s kerbauth module handles it)' : ''}.`,
      );
    }
  }
  if (server.winrm) {
    const listeners = server.winrm.listeners;
    if (listeners.length > 0) {
      const selfSignedSupported = server.os.modernNetworking;
      drafts.push(
        draft(
          'winrm-listeners',
          'winrm-listeners',
          `Creates or corrects the WinRM listeners on ${server.host}.`,
          [
            'Listeners are found by their keys (Transport and Address), never by their Listener_<number> item name, which differs on every machine.',
            'Before an HTTPS listener is bound, its certificate is checked: in Cert:\\LocalMachine\\My, with a private key, the Server Authentication EKU (or no EKU restriction), a name matching the listener host name, and not expired.',
            'Listener changes come after every other step: applied through the WinRM session they change, they would cut it. Run this script locally.',
          ],
          `WinRM listeners: ${listeners.map((l) => `${l.transport.toUpperCase()} ${l.address}:${l.port}${l.hostName ? ` host ${l.hostName}` : ''}${l.certificate?.kind === 'thumbprint' ? ` certificate ${l.certificate.thumbprint}` : l.certificate?.kind === 'self-signed' ? ' self-signed certificate' : ''}`).join('; ')}`,
          {
            selfSignedSupported,
            listeners: listeners.map((l) => ({
              transport: l.transport.toUpperCase(),
              https: l.transport === 'https',
              address: l.address,
              port: l.port,
              hostName: l.hostName ?? '',
              thumbprint: l.certificate?.kind === 'thumbprint' ? l.certificate.thumbprint : null,
              selfSignedName: l.certificate?.kind === 'self-signed' ? (l.certificate.dnsNames[0] ?? l.hostName ?? server.host) : null,
              selfSignedNames: l.certificate?.kind === 'self-signed' ? l.certificate.dnsNames : [],
            })),
          },
        ),
      );
      if (listeners.some((l) => l.certificate?.kind === 'self-signed')) {
        hostNotes.push(
          selfSignedSupported
            ? 'A self-signed certificate is created for lab use: clients must trust it, or skip CA checks in tests only.'
            : `${server.os.os} has no New-SelfSignedCertificate: install a certificate and declare its thumbprint instead.`,
        );
      }
      for (const l of listeners.filter((l) => l.transport === 'https')) {
        const fileName = rebindFileName(l, listeners);
        extras.push(
          script(
            fileName,
            'rebind-certificate',
            `Binds a renewed certificate to the HTTPS WinRM listener ${l.address}:${l.port} on ${server.host}.`,
            [
              'A certificate renewal leaves the HTTPS listener bound to the old thumbprint. Give the new thumbprint; the script checks the certificate first, finds the listener by its keys (Transport=HTTPS, Address), binds the thumbprint with Set-WSManInstance and reads it back.',
              'Run it locally on the server, not through the WinRM listener it changes.',
            ],
            `Rebinds the certificate of HTTPS ${l.address}:${l.port} (run on renewal)`,
            { address: l.address, port: l.port, hostName: l.hostName ?? server.host },
            true,
          ),
        );
      }
    }
    const w = server.winrm;
    drafts.push(
      draft(
        'winrm-service-options',
        'winrm-settings',
        `Sets AllowUnencrypted and the IPv4/IPv6 address filters of the WinRM service on ${server.host}.`,
        [
          'AllowUnencrypted is not needed for Kerberos or Negotiate over HTTP: WinRM encrypts those messages itself.',
          "An empty IPv6Filter means the service listens on no IPv6 address; '*' means all addresses.",
        ],
        `WinRM service: AllowUnencrypted ${w.allowUnencrypted}, IPv4Filter '${w.ipv4Filter}', IPv6Filter '${w.ipv6Filter}'`,
        {
          what: 'WinRM service options',
          settings: withPolicy([
            { path: 'WSMan:\\localhost\\Service\\AllowUnencrypted', value: String(w.allowUnencrypted) },
            { path: 'WSMan:\\localhost\\Service\\IPv4Filter', value: w.ipv4Filter },
            { path: 'WSMan:\\localhost\\Service\\IPv6Filter', value: w.ipv6Filter },
          ]),
        },
      ),
    );
    drafts.push(
      draft(
        'winrm-service-auth',
        'winrm-settings',
        `Sets the WinRM service authentication of ${server.host}, last of all steps.`,
        [
          'Changing service authentication through a WinRM session can cut that session, so this step comes last and runs locally.',
          'CbtHardeningLevel: Relaxed is the Windows default; Strict breaks many non-Windows clients; None removes channel-binding protection.',
        ],
        `WinRM service auth: Kerberos ${w.auth.kerberos}, Negotiate ${w.auth.negotiate}, Basic ${w.auth.basic}, Certificate ${w.auth.certificate}, CredSSP ${w.auth.credSSP}, CbtHardeningLevel ${cbtValue[w.auth.cbtHardening]}`,
        {
          what: 'WinRM service authentication',
          settings: withPolicy([
            { path: 'WSMan:\\localhost\\Service\\Auth\\Kerberos', value: String(w.auth.kerberos) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\Negotiate', value: String(w.auth.negotiate) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\Basic', value: String(w.auth.basic) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\Certificate', value: String(w.auth.certificate) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\CredSSP', value: String(w.auth.credSSP) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\CbtHardeningLevel', value: cbtValue[w.auth.cbtHardening] },
          ]),
        },
      ),
    );
  } else {
    hostNotes.push('The spec declares no winrm section: listeners and WinRM service settings stay as installed (Enable-PSRemoting creates the HTTP listener on 5985).');
  }
  const steps = build(drafts);
  const w = server.winrm;
  const verify = script(
    'verify.ps1',
    'verify-exchange',
    `Checks that ${server.host} is configured as the spec says, without changing anything.`,
    ['Reports every check as OK or FAIL and exits 1 when one fails. Read-only, but reading the WSMan: drive needs an elevated console.'],
    'Read-only checks of every setting above, Test-WSMan, the HTTP SPN and the certificates',
    {
      host: server.host,
      domain: server.forest,
      listeners: (w?.listeners ?? []).map((l) => ({
        transport: l.transport.toUpperCase(),
        https: l.transport === 'https',
        address: l.address,
        port: l.port,
        hostName: l.hostName ?? '',
        thumbprint: l.certificate?.kind === 'thumbprint' ? l.certificate.thumbprint : null,
        selfSigned: l.certificate?.kind === 'self-signed',
      })),
      remoteAccess: remoteAccessPolicies(),
      settings: w
        ? withPolicy([
            { path: 'WSMan:\\localhost\\Service\\AllowUnencrypted', value: String(w.allowUnencrypted) },
            { path: 'WSMan:\\localhost\\Service\\IPv4Filter', value: w.ipv4Filter },
            { path: 'WSMan:\\localhost\\Service\\IPv6Filter', value: w.ipv6Filter },
            { path: 'WSMan:\\localhost\\Service\\Auth\\Kerberos', value: String(w.auth.kerberos) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\Negotiate', value: String(w.auth.negotiate) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\Basic', value: String(w.auth.basic) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\Certificate', value: String(w.auth.certificate) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\CredSSP', value: String(w.auth.credSSP) },
            { path: 'WSMan:\\localhost\\Service\\Auth\\CbtHardeningLevel', value: cbtValue[w.auth.cbtHardening] },
          ])
        : [],
      members: server.os.remoteManagementUsersGroup ? server.remoteManagementUsers : [],
      localAccounts: server.os.localAccountsModule,
      ipv4Preference: ipv4PreferenceCheck(server),
      virtualDirectory: server.virtualDirectory ? virtualDirectoryData(server.virtualDirectory) : null,
      firewallRules: firewallRules.map((r) => r.name),
      modernFirewall: server.os.modernNetworking,
    },
    false,
  );
  return {
    host: server.host,
    folder: server.folder,
    role: 'exchange',
    roleLabel: `Exchange server (${server.exchangeVersion ?? 'version not declared'}, forest ${server.forest})`,
    os: server.os,
    runFrom: server.virtualDirectory ? `the Exchange Management Shell, elevated (step ${steps.find((s) => s.template === 'powershell-virtual-directory')?.stepName} needs Exchange cmdlets)` : ELEVATED,
    steps,
    verify,
    extras,
    notes: hostNotes,
  };
}

/** The only path the proxy forwards: Exchange remote PowerShell, any case, nothing else of the site. */
export const POWERSHELL_PATTERN = '^powershell(/.*)?$';
const PROXY_SITE = 'Default Web Site';

function proxyRuleName(proxy: ReverseProxyModel): string {
  return `winrm-forge ${proxy.farmName} PowerShell`;
}

function planReverseProxy(environment: EnvironmentModel, proxy: ReverseProxyModel): HostPlan {
  const hostNotes: string[] = [];
  const backends = proxy.backends.map((b) => exchangeOf(environment, b));
  const ruleName = proxyRuleName(proxy);
  const rewriteUrl = `https://${proxy.farmName}/{R:0}`;
  const certificate = { publishedName: proxy.publishedName, thumbprint: proxy.thumbprint ?? '', hasThumbprint: proxy.thumbprint !== null, site: PROXY_SITE };
  const farm = { farmName: proxy.farmName, backends: proxy.backends };
  const rule = { ruleName, pattern: POWERSHELL_PATTERN, farmName: proxy.farmName, rewriteUrl, publishedName: proxy.publishedName };
  const drafts: Draft[] = [
    draft(
      'https-binding',
      'arr-https-binding',
      `Checks the certificate of the HTTPS 443 binding of ${PROXY_SITE} on ${proxy.host} for ${proxy.publishedName}.`,
      [
        'Stops first when IIS (Web-Server), URL Rewrite or Application Request Routing is missing: install them and run again.',
        proxy.thumbprint
          ? `The certificate ${proxy.thumbprint} must be in Cert:\\LocalMachine\\My with a private key, not expired, naming ${proxy.publishedName}. A missing 443 binding is created and the certificate bound to it; a 443 binding that carries another certificate is left alone and reported, so that a renewal is a deliberate act.`
          : `The spec names no thumbprint: the certificate already bound to 443 is checked (in Cert:\\LocalMachine\\My, private key, not expired, naming ${proxy.publishedName}); a missing binding stops the step.`,
      ],
      `HTTPS 443 binding of ${PROXY_SITE}: certificate ${proxy.thumbprint ?? '(as bound)'} naming ${proxy.publishedName}`,
      certificate,
    ),
    draft(
      'server-farm',
      'arr-server-farm',
      `Creates the ARR server farm ${proxy.farmName} on ${proxy.host} with ${proxy.backends.join(', ')} over HTTPS 443.`,
      [
        'The farm lives in applicationHost.config (webFarms); each backend is added by address with applicationRequestRouting httpsPort 443. Servers already in the farm that the spec does not list are reported, never removed.',
      ],
      `ARR server farm ${proxy.farmName}: ${proxy.backends.map((b) => `${b}:443`).join(', ')}`,
      farm,
    ),
    draft(
      'rewrite-rule',
      'arr-rewrite-rule',
      `Forwards only ${POWERSHELL_PATTERN} (case-insensitive) arriving over HTTPS for ${proxy.publishedName} on ${proxy.host} to the server farm ${proxy.farmName}, preserving the host header.`,
      [
        `A global URL Rewrite rule named '${ruleName}' matches ${POWERSHELL_PATTERN} with ignoreCase, requires {HTTPS} ON and {HTTP_HOST} ${proxy.publishedName} (both conditions, MatchAll), and rewrites to ${rewriteUrl}, so ARR proxies it over HTTPS; no rule forwards plain HTTP, which would carry Basic credentials in clear, and /PowerShell of any other host name reaching this proxy is not forwarded.`,
        'The ARR proxy is enabled and preserveHostHeader set in system.webServer/proxy, so the Exchange server sees the published name the client asked for.',
        `Global rules run in order and the new rule is appended last: the step stops, naming them, when an enabled rule above it would catch /PowerShell for ${proxy.publishedName} first (a server farm wizard's ARR_<farm>_loadbalance rule matches every URL and forwards over plain HTTP); it does not reorder the administrator's rules. verify.ps1 checks the same.`,
      ],
      `URL Rewrite global rule '${ruleName}': ${POWERSHELL_PATTERN} (ignoreCase, HTTPS only, host ${proxy.publishedName}) -> ${rewriteUrl}; proxy enabled, preserveHostHeader true`,
      rule,
    ),
  ];
  if (backends.some((b) => !b.ip) || !proxy.ip) hostNotes.push('Hosts without an ip in the spec are missing from the firewall rules that admit the proxy on the Exchange servers.');
  const steps = build(drafts);
  const verify = script(
    'verify.ps1',
    'verify-reverse-proxy',
    `Checks the IIS ARR publishing of https://${proxy.publishedName}/PowerShell on ${proxy.host}, without changing anything.`,
    [
      'Checks the IIS features, the 443 binding certificate, the server farm, the rewrite rule and the proxy settings, probes TCP 443 to every backend, then requests the published URL and expects the authentication challenge (HTTP 401) of the Exchange server, not 404 (no rule) or 502 (certificate trust between proxy and Exchange).',
      `The request goes to ${proxy.publishedName} as this server resolves it: add a hosts entry pointing to this proxy if it resolves elsewhere.`,
    ],
    'Read-only checks: IIS features, certificate, farm, rule, proxy settings, backends, and the published URL answering 401',
    { ...certificate, ...farm, ...rule, url: `https://${proxy.publishedName}/PowerShell` },
    false,
  );
  return {
    host: proxy.host,
    folder: proxy.folder,
    role: 'reverse-proxy',
    roleLabel: `IIS ARR reverse proxy for ${proxy.publishedName}`,
    os: proxy.os,
    runFrom: `${ELEVATED}, with IIS, URL Rewrite and Application Request Routing installed`,
    steps,
    verify,
    extras: [],
    notes: hostNotes,
  };
}

function planExternalClient(environment: EnvironmentModel, proxy: ReverseProxyModel): ClientScriptPlan | null {
  const client = proxy.externalClient;
  if (!client) return null;
  const backends = proxy.backends.join(', ');
  const uri = `https://${proxy.publishedName}/PowerShell`;
  return {
    folder: proxy.publishedName,
    label: `external client of ${proxy.publishedName}`,
    runFrom: 'Windows PowerShell 5.1 on a computer outside the network, as the external administrator (no elevation needed)',
    script: script(
      'external-client-test.ps1',
      'external-client-test',
      `Opens the Exchange remote PowerShell session published at ${uri} from outside, as an external administrator would.`,
      [
        `New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri ${uri} -Authentication Basic -AllowRedirection, through ${proxy.host} to ${backends}. The number of imported commands shows what Exchange RBAC grants the account; the session is removed at the end.`,
        client.allowSkipCertificateChecks
          ? '-SkipCertificateChecks skips the CA, name and revocation checks of the certificate (New-PSSessionOption -SkipCACheck -SkipCNCheck -SkipRevocationCheck). Lab use only: it also accepts an attacker\'s certificate.'
          : 'Certificate checks are always on: the spec does not allow skipping them (externalClient.allowSkipCertificateChecks).',
        'A failure is mapped to the troubleshooting rows of PLAN.md (HTTP 400, 403, 502) with this environment\'s names. Read-only on the Exchange side: the test only imports the commands.',
      ],
      `External session test to ${uri} (Basic, RBAC command count)`,
      {
        uri,
        proxy: proxy.host,
        backends,
        allowSkip: client.allowSkipCertificateChecks,
        ...credentialData(client.credential),
      },
      false,
    ),
  };
}

/** How scripts find an Exchange computer object: by its DN when the spec gives one, else by an LDAP filter. */
function adIdentityData(server: ExchangeModel): { distinguishedName: string | null; ldapFilter: string | null } {
  return 'distinguishedName' in server.adIdentity
    ? { distinguishedName: server.adIdentity.distinguishedName, ldapFilter: null }
    : { distinguishedName: null, ldapFilter: server.adIdentity.ldapFilter };
}

/** An Exchange computer as a front end of resource-based delegation, looked up in its own domain. */
function frontIdentity(server: ExchangeModel, domain: string) {
  return { host: server.host, server: domain, ...adIdentityData(server) };
}

/** A step-name slug for a back end: the first label of a host, or the account name of DOMAIN\\account. */
function delegationSlug(display: string): string {
  const name = display.includes('\\') ? display.slice(display.indexOf('\\') + 1) : display.includes('.') ? display.slice(0, display.indexOf('.')) : display;
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'account';
}

/**
 * Whether the spec declares TGT delegation between two forests: on the trust entry of either
 * side, as the delegation-tgt-across-trust rule accepts it (the setting itself lives in the
 * account forest, KB 4490425).
 */
export function tgtDelegationDeclared(environment: EnvironmentModel, a: string, b: string): boolean {
  const side = (from: string, to: string) => environment.forests.find((f) => f.name === from)?.trusts.find((t) => t.forest === to)?.tgtDelegation ?? false;
  return side(a, b) || side(b, a);
}

/** The sync servers and accounts whose tickets an Exchange server's delegation concerns. */
function crossForestAccounts(environment: EnvironmentModel, server: ExchangeModel): SyncServerModel[] {
  return environment.syncServers.filter((s) => s.forest !== server.forest && s.connections.some((c) => c.exchange === server.host));
}

/** What Microsoft documents about Kerberos delegation and the WinRM second hop, for step descriptions. */
const SECOND_HOP_TEXT = "Microsoft documents that no Kerberos delegation form, unconstrained, constrained or resource-based, supports a WinRM second hop (\"Doesn't support the second hop for WinRM\", PowerShell-Docs \"Making the second hop in PowerShell Remoting\"): when the second connection is itself WinRM or Exchange /PowerShell, the documented methods are passing credentials inside the session or CredSSP, each with its cost.";

/** The AD admin host for each forest holding Exchange servers with delegation: its first declared DC. */
function planDomainControllers(environment: EnvironmentModel, notes: string[]): HostPlan[] {
  const plans: HostPlan[] = [];
  const withDelegation = environment.exchange.filter((x) => x.delegation.mode !== 'none');
  for (const forestName of uniqueSorted(withDelegation.map((x) => x.forest))) {
    const forest = forestOf(environment, forestName);
    const servers = withDelegation.filter((x) => x.forest === forestName);
    const dc = forest.domainControllers[0];
    const host = dc ? dc.host : `ad-admin.${forest.name}`;
    const hostNotes: string[] = [
      dc
        ? `Delegation is set from ${dc.host}, the first domain controller declared for ${forest.name}; any host with the ActiveDirectory module and rights to change the computer objects will do.`
        : `${forest.name} declares no domain controller: run these scripts on any host of ${forest.name} with the ActiveDirectory module (folder ${host}).`,
    ];
    const drafts: Draft[] = [];
    const tgtPairs = new Map<string, { trusting: ForestModel; trusted: string; declared: boolean }>();
    for (const server of servers) {
      if (server.delegation.mode === 'unconstrained') {
        drafts.push(
          draft(
            `delegation-${shortName(server.host)}`,
            'ad-delegation',
            `Trusts the computer object of ${server.host} for unconstrained Kerberos delegation.`,
            [
              'Unconstrained delegation (TrustedForDelegation) lets the server impersonate connecting users to any service: a security risk. It is generated because the spec asks for it, as a vendor may document it for its second connection (seed 002); resource-based delegation is not a drop-in equivalent.',
              `${SECOND_HOP_TEXT} What the second connection reaches, and that this delegation serves it, the vendor must confirm.`,
              'Setting TrustedForDelegation needs the "Enable computer and user accounts to be trusted for delegation" user right (SeEnableDelegationPrivilege) on the domain controllers, which only Administrators hold by default: run this step as a member of Domain Admins or an account granted that right.',
              'Clients get the delegation flag only in new tickets: restart the sync service (or purge its tickets with klist purge) after this step.',
            ],
            `Unconstrained delegation on ${server.host} (Set-ADAccountControl -TrustedForDelegation $true)`,
            { host: server.host, server: forest.name, unconstrained: true, ...adIdentityData(server) },
          ),
        );
        for (const s of crossForestAccounts(environment, server)) {
          tgtPairs.set(s.forest, { trusting: forest, trusted: s.forest, declared: tgtDelegationDeclared(environment, forest.name, s.forest) });
        }
      }
    }
    // Resource-based: one write per back end, naming every Exchange computer of this forest that delegates to it.
    const backends = new Map<string, { backend: AdPrincipalModel; fronts: ExchangeModel[] }>();
    for (const server of servers.filter((x) => x.delegation.mode === 'resource-based')) {
      for (const backend of server.delegation.delegateTo) {
        const key = backend.display.toLowerCase();
        const entry = backends.get(key) ?? { backend, fronts: [] };
        entry.fronts.push(server);
        backends.set(key, entry);
      }
    }
    if (backends.size > 0) {
      hostNotes.push(
        `Resource-based delegation grants each listed Exchange computer (WinRM and IIS on it run as the computer account) the right to obtain tickets to the back end on behalf of the users who connect to it; it grants nothing to the sync servers. It is not a drop-in equivalent of TrustedForDelegation: ${SECOND_HOP_TEXT} It can serve a second hop only to a service that is not WinRM, only to the back ends in delegateTo, only for accounts that may be delegated (not "sensitive and cannot be delegated", not in Protected Users), and only with new tickets: afterwards purge the computer-account tickets on each Exchange server (klist purge -li 0x3e7) and restart the sync service. What the second connection reaches (for Monosync, its second, Kerberos connection) the vendor must confirm.`,
      );
    }
    for (const [, { backend, fronts }] of [...backends.entries()].sort((a, b) => compareCodePoints(a[0], b[0]))) {
      const frontNames = fronts.map((f) => f.host);
      const foreign = backend.server !== forest.name && !backend.server.endsWith(`.${forest.name}`);
      if (foreign) {
        hostNotes.push(
          `Back end ${backend.display} lives in ${backend.server}, outside ${forest.name}: the delegation step reads and writes it through -Server ${backend.server}, so ${host} must reach a domain controller of ${backend.server} and the step must run as an account allowed to change that object there. If ${backend.server} is in another forest that ${host} cannot reach or administer, run this step from a host of that forest. The Exchange computers are written by SID, which the back end's domain controller stores in the security descriptor without resolving it.`,
        );
      }
      drafts.push(
        draft(
          `delegation-to-${delegationSlug(backend.display)}`,
          'ad-delegation',
          `Lets ${frontNames.join(', ')} impersonate connecting users to the services of ${backend.display} (resource-based constrained delegation, written on the back end ${backend.display}).`,
          [
            `Grants: ${frontNames.join(', ')} may request Kerberos tickets to any service of ${backend.display} on behalf of users who connect to ${frontNames.length === 1 ? 'it' : 'them'}. Nothing is granted to the sync servers, and the Exchange computer objects are not changed.`,
            `PrincipalsAllowedToDelegateToAccount (msDS-AllowedToActOnBehalfOfOtherIdentity) of ${backend.display} is read in its own domain (${backend.server}) and compared by SID; missing Exchange computers are added and no entry is removed.`,
            `The Exchange servers cache Kerberos tickets: on each of them purge the computer account's tickets (klist purge -li 0x3e7) or wait for the cache to expire, and restart the sync service so its next connection starts from new tickets.`,
          ],
          `Resource-based delegation from ${frontNames.join(', ')} to ${backend.display} (written on ${backend.display} in ${backend.server}, merged by SID)`,
          {
            host: backend.display,
            exchangeDomain: forest.name,
            unconstrained: false,
            backend: { display: backend.display, ldapFilter: backend.ldapFilter, server: backend.server },
            fronts: fronts.map((f) => frontIdentity(f, forest.name)),
          },
        ),
      );
    }
    for (const [, pair] of [...tgtPairs.entries()].sort((a, b) => compareCodePoints(a[0], b[0]))) {
      drafts.push(
        draft(
          `tgt-delegation-${pair.trusted.replace(/\./g, '-')}`,
          'tgt-delegation',
          `Checks TGT delegation across the forest trust between ${pair.trusting.name} and ${pair.trusted}, and prints what the administrators of ${pair.trusted} run to enable it.`,
          [
            'Since the 2019 updates (KB 4490425), Windows disables TGT delegation across forest trusts: unconstrained delegation to a server in another forest no longer receives forwarded tickets unless the trust allows it. Constrained and resource-based delegation do not use it, but neither supports a WinRM second hop either.',
            `Check only: the setting belongs to the trusted (account) forest ${pair.trusted}, so its administrators run netdom trust ${pair.trusting.name} /domain:${pair.trusted} /EnableTGTDelegation:Yes on a domain controller of ${pair.trusted} (the order of KB 4490425's example, netdom trust <trusting forest> /domain:<trusted forest>, set in the trusted domain); this host never runs netdom for the other forest.`,
            'The printed instructions show the current state first (/EnableTGTDelegation without a value), then enable it with the documented argument order: the trusting domain first, the trusted domain after /domain: (KB 4490425).',
          ],
          `TGT delegation across ${pair.trusting.name} <- ${pair.trusted}: check only; ${pair.declared ? 'declared in the spec, to be enabled by' : 'not declared; instructions printed for'} the administrators of ${pair.trusted}`,
          { trusting: pair.trusting.name, trusted: pair.trusted, enable: pair.declared },
          false,
        ),
      );
      notes.push(
        `Unconstrained delegation crosses the forest trust ${pair.trusting.name} <- ${pair.trusted}: TGT delegation on it is for the administrators of ${pair.trusted} to enable (${pair.declared ? 'the spec declares it' : 'the spec does not declare it'}); the tgt-delegation step on ${host} checks it and prints their commands.`,
      );
    }
    const steps = build(drafts);
    plans.push({
      host,
      folder: host,
      role: 'domain-controller',
      roleLabel: `Domain controller / AD admin host (forest ${forest.name})`,
      os: null,
      runFrom: `${ELEVATED}, as an account allowed to change computer objects in ${forest.name}, with the ActiveDirectory module`,
      steps,
      verify: script(
        'verify.ps1',
        'verify-domain-controller',
        `Checks the Kerberos delegation settings of the Exchange computer objects in ${forest.name}.`,
        ['Read-only: reads the computer objects and reports OK or FAIL per server; exits 1 when one fails.'],
        'Read-only check of the delegation settings',
        {
          computers: servers
            .filter((server) => server.delegation.mode === 'unconstrained')
            .map((server) => ({ host: server.host, server: forest.name, ...adIdentityData(server) })),
          backends: [...backends.values()]
            .sort((a, b) => compareCodePoints(a.backend.display.toLowerCase(), b.backend.display.toLowerCase()))
            .map(({ backend, fronts }) => ({
              display: backend.display,
              ldapFilter: backend.ldapFilter,
              server: backend.server,
              fronts: fronts.map((f) => frontIdentity(f, forest.name)),
            })),
          // Declared TGT delegation is checked where it lives: the trust object the account forest holds.
          tgtTrusts: [...tgtPairs.values()]
            .filter((pair) => pair.declared)
            .sort((a, b) => compareCodePoints(a.trusted, b.trusted))
            .map((pair) => ({ trusting: pair.trusting.name, trusted: pair.trusted })),
        },
        false,
      ),
      extras: [],
      notes: hostNotes,
    });
  }
  return plans;
}

/** Target forests of a sync server: the forests of the Exchange servers it connects to. */
function targetForests(environment: EnvironmentModel, sync: SyncServerModel): ForestModel[] {
  return uniqueSorted(sync.connections.map((c) => exchangeOf(environment, c.exchange).forest)).map((name) => forestOf(environment, name));
}

function needsKerberos(connection: ConnectionModel): boolean {
  return connection.authentication !== 'basic';
}

function syncFlows(environment: EnvironmentModel, sync: SyncServerModel): PortFlow[] {
  const flows: PortFlow[] = [];
  const flow = (to: string, toIp: string | null, protocol: 'TCP' | 'UDP', port: number, purpose: string, check: string) =>
    flows.push({ from: sync.host, fromIp: sync.ip, to, toIp, protocol, port, purpose, check });
  for (const forest of targetForests(environment, sync)) {
    const connections = sync.connections.filter((c) => exchangeOf(environment, c.exchange).forest === forest.name);
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
    const server = exchangeOf(environment, c.exchange);
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

function credentialData(c: ConnectionModel['credential']) {
  return { account: c.account, vault: c.source === 'vault', vaultName: c.vault ?? '', secretName: c.secretName ?? '' };
}

function planSync(environment: EnvironmentModel, sync: SyncServerModel, flows: PortFlow[]): HostPlan {
  const drafts: Draft[] = [];
  const notes: string[] = [];
  drafts.push(
    winrmServiceDraft(sync.host, 'The WinRM client settings live in the WSMan: drive, which needs the WinRM service running.'),
  );
  if (sync.trustedHosts.length > 0) {
    drafts.push(
      draft(
        'trusted-hosts',
        'trusted-hosts',
        `Adds ${sync.trustedHosts.join(', ')} to the WinRM client TrustedHosts list of ${sync.host}.`,
        [
          'TrustedHosts is a client setting: the remote hosts this computer talks to without mutual authentication. The entries are merged into the existing value as one comma-separated string; no existing entry is removed.',
          'When Group Policy manages TrustedHosts (HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client), a local change has no effect: the script reports the policy list, accepts it when it holds every entry, and otherwise changes nothing and fails naming the missing entries.',
        ],
        `TrustedHosts: add ${sync.trustedHosts.join(', ')} (merged with the existing value)`,
        { entries: sync.trustedHosts, policy: withPolicy([{ path: 'WSMan:\\localhost\\Client\\TrustedHosts', value: sync.trustedHosts.join(',') }])[0] },
      ),
    );
  }
  if (sync.clientAuth || sync.clientAllowUnencrypted !== null) {
    const settings = [
      ...(sync.clientAuth
        ? (['Kerberos', 'Negotiate', 'Basic', 'Digest', 'Certificate', 'CredSSP'] as const).flatMap((name) => {
            const value = sync.clientAuth![(name === 'CredSSP' ? 'credSSP' : name.toLowerCase()) as keyof NonNullable<SyncServerModel['clientAuth']>];
            return value === undefined ? [] : [{ path: `WSMan:\\localhost\\Client\\Auth\\${name}`, value: String(value) }];
          })
        : []),
      ...(sync.clientAllowUnencrypted !== null ? [{ path: 'WSMan:\\localhost\\Client\\AllowUnencrypted', value: String(sync.clientAllowUnencrypted) }] : []),
    ];
    drafts.push(
      draft(
        'winrm-client',
        'winrm-settings',
        `Sets the WinRM client authentication and AllowUnencrypted on ${sync.host}.`,
        ['Client AllowUnencrypted is needed only for Basic over http://, which Exchange refuses anyway; Kerberos and Negotiate messages are encrypted by WinRM.'],
        `WinRM client: ${settings.map((s) => `${s.path.replace('WSMan:\\localhost\\Client\\', '')} ${s.value}`).join(', ')}`,
        { what: 'WinRM client settings', settings: withPolicy(settings) },
      ),
    );
  }
  if (sync.executionPolicy !== 'unmanaged') {
    const policy = policyValue[sync.executionPolicy];
    drafts.push(
      draft(
        'execution-policy',
        'execution-policy',
        `Sets the LocalMachine execution policy of ${sync.host} to ${policy}.`,
        [
          'Group Policy (MachinePolicy, UserPolicy) and the Process scope take precedence over LocalMachine; Set-ExecutionPolicy then saves the value but reports an override error, which the script turns into a warning naming the scope in force.',
        ],
        `Execution policy (LocalMachine): ${policy}`,
        { policy },
      ),
    );
  }
  const ipv4 = ipv4PreferenceDraft(sync);
  if (ipv4) drafts.push(ipv4);

  const tcp = flows.filter((f) => f.protocol === 'TCP');
  const udp = flows.filter((f) => f.protocol === 'UDP');
  const dnsServers = uniqueSorted(udp.filter((f) => f.port === 53).map((f) => f.to));
  const sessions = sync.connections.map((c) => {
    return {
      exchange: c.exchange,
      uri: c.uri,
      exchangeEndpoint: c.endpoint === 'exchange-powershell',
      authentication: psAuthentication[c.authentication],
      kerberos: needsKerberos(c),
      spn: `HTTP/${c.exchange}`,
      credentialKey: `${c.credential.source}|${c.credential.account}|${c.credential.vault ?? ''}|${c.credential.secretName ?? ''}`,
      ...credentialData(c.credential),
      // Test-WSMan only for WinRM-endpoint connections, on that connection's port and transport.
      port: c.port,
      useSsl: c.scheme === 'https',
      // A /wsman HTTPS target whose listener on that port has a self-signed certificate (a lab).
      selfSigned:
        c.endpoint === 'winrm' &&
        c.scheme === 'https' &&
        (environment.exchange.find((e) => e.host === c.exchange)?.winrm?.listeners.some((l) => l.transport === 'https' && l.port === c.port && l.certificate?.kind === 'self-signed') ?? false),
    };
  });
  const credentials = uniqueSorted(sessions.map((s) => s.credentialKey)).map((key, index) => {
    const s = sessions.find((x) => x.credentialKey === key)!;
    return { index, account: s.account, vault: s.vault, vaultName: s.vaultName, secretName: s.secretName, key };
  });
  const verify = script(
    'verify.ps1',
    'verify-sync-server',
    `Checks the WinRM client of ${sync.host}, the ports to every domain controller and Exchange server, and opens each remote PowerShell session the management agents use.`,
    [
      'Read-only. Every required TCP port is probed with a 3-second connect; UDP ports cannot be probed that way and are reported as not testable, with the check that covers them instead.',
      'Each session test runs New-PSSession as the account the management agent uses. A failure is explained with the troubleshooting map in PLAN.md. Run it from 64-bit PowerShell, as the sync engine does.',
    ],
    'Read-only checks: client settings, ports, Exchange session tests',
    {
      trustedHosts: sync.trustedHosts,
      trustedHostsPolicy: withPolicy([{ path: 'WSMan:\\localhost\\Client\\TrustedHosts', value: sync.trustedHosts.join(',') }])[0],
      clientSettings: drafts.find((d) => d.slug === 'winrm-client')?.step.data.settings ?? [],
      tcp: tcp.map((f) => ({ to: f.to, port: f.port, purpose: f.purpose })),
      udp: udp.map((f) => ({ to: f.to, port: f.port, purpose: f.purpose, check: f.check })),
      dnsServers,
      dnsName: sync.connections[0]?.exchange ?? sync.host,
      credentials: credentials.map(({ index, account, vault, vaultName, secretName }) => ({ index, account, vault, vaultName, secretName })),
      sessions: sessions.map((s) => ({ ...s, credentialIndex: credentials.find((c) => c.key === s.credentialKey)!.index })),
      ipv4Preference: ipv4PreferenceCheck(sync),
      executionPolicy: sync.executionPolicy === 'unmanaged' ? null : policyValue[sync.executionPolicy],
    },
    false,
  );
  if (sessions.some((s) => s.vault)) notes.push('The session tests read credentials with Get-Secret: install Microsoft.PowerShell.SecretManagement and register the vault on this server first.');
  return {
    host: sync.host,
    folder: sync.folder,
    role: 'sync-server',
    roleLabel: `Sync server (${sync.product}, forest ${sync.forest})`,
    os: sync.os,
    runFrom: ELEVATED,
    steps: build(drafts),
    verify,
    extras: [],
    notes,
  };
}

function troubleshooting(environment: EnvironmentModel): TroubleshootingRow[] {
  const list = (values: string[], none: string) => (values.length ? values.join(', ') : none);
  const cas = list(environment.exchange.map((x) => x.host), 'the Exchange servers');
  const sync = list(environment.syncServers.map((s) => s.host), 'the sync server');
  const accounts = list(uniqueSorted(environment.syncServers.flatMap((s) => s.connections.map((c) => c.credential.account))), 'the service account');
  const targetForestNames = uniqueSorted(environment.exchange.map((x) => x.forest));
  const dcs = list(
    targetForestNames.flatMap((f) => forestOf(environment, f).domainControllers.map((d) => d.host)),
    'the domain controllers',
  );
  const proxies = list(environment.reverseProxies.map((p) => p.host), 'the reverse proxy');
  const published = list(environment.reverseProxies.map((p) => `https://${p.publishedName}/PowerShell`), 'the published URL');
  const backends = list(uniqueSorted(environment.reverseProxies.flatMap((p) => p.backends)), 'the publishing CAS');
  const proxyRows: TroubleshootingRow[] = environment.reverseProxies.length
    ? [
        { symptom: `HTTP 404 from ${published}`, cause: `No URL Rewrite rule on ${proxies} matches ^powershell(/.*)?$, or ARR is missing`, fix: `Run run-all.ps1 on ${proxies}; verify.ps1 there lists the rule` },
        { symptom: 'HTTP 401 again after the right password, from outside', cause: `Basic authentication off on the PowerShell virtual directory of ${backends}`, fix: `Run the powershell-virtual-directory step on ${backends} (basicAuthentication: true)` },
        { symptom: 'HTTP 400 Bad Request from outside', cause: `The client used Negotiate instead of Basic through ${proxies}`, fix: 'New-PSSession -Authentication Basic, as external-client-test.ps1 does (seed 004)' },
        { symptom: 'HTTP 403 Forbidden from outside', cause: `Require SSL, or a client certificate demand, on the PowerShell virtual directory of ${backends}`, fix: 'requireSsl: false, clientCertificates: ignore (sslFlags None) on the publishing CAS (seed 004)' },
        { symptom: `HTTP 502 from ${published}`, cause: `${proxies} does not trust the certificate of ${backends} on 443, or it names another host; or client certificates are not Ignore there`, fix: 'Trust the issuing CA on the proxy (LocalMachine\\Root), use a certificate naming the backend, clientCertificates: ignore (seed 004)' },
      ]
    : [];
  // Each row names the hosts its cause can apply to, and a manual fix where no step exists.
  const winrmTargets = environment.exchange.filter((x) => environment.syncServers.some((s) => s.connections.some((c) => c.exchange === x.host && c.endpoint !== 'exchange-powershell')));
  const withGroupStep = winrmTargets.filter((x) => x.os.remoteManagementUsersGroup && x.remoteManagementUsers.length > 0).map((x) => x.host);
  const hasGroupStep = new Set(withGroupStep);
  const withoutGroupStep = winrmTargets.filter((x) => !hasGroupStep.has(x.host)).map((x) => x.host);
  const accessFix = [
    ...(withGroupStep.length ? [`Run the remote-management-users step on ${withGroupStep.join(', ')} (seed 002)`] : []),
    ...(withoutGroupStep.length
      ? [`No step is generated for ${withoutGroupStep.join(', ')}: add the account to Remote Management Users there by hand (remoteManagementUsers in the spec), or on Windows Server 2008 R2 grant it with Set-PSSessionConfiguration -Name Microsoft.PowerShell -ShowSecurityDescriptorUI`]
      : []),
  ];
  const requireSsl = environment.exchange.filter((x) => x.virtualDirectory?.requireSsl === true).map((x) => x.host);
  const clearsRequireSsl = environment.exchange.filter((x) => x.virtualDirectory?.requireSsl === false).map((x) => x.host);
  const ipv4Only = environment.exchange.filter((x) => x.winrm?.ipv6Filter === '').map((x) => x.host);
  // Which causes can occur here: each row is emitted only when its cause can.
  const allConnections = environment.syncServers.flatMap((s) => s.connections);
  const kerberos = allConnections.some(needsKerberos);
  const powershellConnections = allConnections.filter((c) => c.endpoint === 'exchange-powershell');
  const exchangeEndpoint = powershellConnections.length > 0 || environment.reverseProxies.length > 0;
  const negotiateOverHttps = powershellConnections.some((c) => c.scheme === 'https' && c.authentication !== 'basic' && c.authentication !== 'kerberos');
  const rows: TroubleshootingRow[] = [];
  if (winrmTargets.length > 0) {
    rows.push({
      symptom: 'Access is denied on Enter-PSSession / New-PSSession to WinRM',
      cause: `${accounts} not in Administrators or Remote Management Users on ${winrmTargets.map((x) => x.host).join(', ')}`,
      fix: accessFix.join('; '),
    });
    rows.push({
      symptom: 'Access is denied on every remote session, although the account is in Remote Management Users',
      cause: `Disable-PSRemoting was run on one of ${winrmTargets.map((x) => x.host).join(', ')}: the session configurations stay Enabled but deny NT AUTHORITY\\NETWORK`,
      fix: 'Run the enable-remoting step again (Enable-PSRemoting removes the deny); verify.ps1 reports it as "PowerShell remoting accepts network sessions"',
    });
  }
  if (kerberos) {
    rows.push(
      { symptom: '"Access denied" in the event log on export', cause: `TCP/UDP 88 blocked from ${sync} to ${dcs}`, fix: 'Open 88 to every domain controller of the target forest (seed 000)' },
      { symptom: 'Authentication takes 3-4 minutes, Import-PSSession is slow', cause: `DNS (53) blocked from ${sync} to ${dcs}`, fix: 'Open TCP and UDP 53 (seed 000)' },
      { symptom: 'Error 0x80090311 "no logon servers available"', cause: `No domain controller of ${list(targetForestNames, 'the target forest')} reachable for Kerberos`, fix: 'Ports 88/53, the forest trust, or test with Basic over https:// (seed 000)' },
      { symptom: 'Kerberos error on a VIP or alias name', cause: 'No SPN for that name', fix: `Connect to the server FQDN (${cas}) or use Basic over https:// (seed 004)` },
      {
        symptom: 'Kerberos fails since the April 2026 updates (KDCSVC events 201-209 on the domain controllers)',
        cause: `Domain controllers of ${list(targetForestNames, 'the target forest')} issue AES-only service tickets for accounts without msDS-SupportedEncryptionTypes (KB5073381, CVE-2026-20833): ${accounts}, the Exchange computer accounts or the trust has no AES keys`,
        fix: `Check msDS-SupportedEncryptionTypes of ${accounts} and of ${cas}, the trust's encryption types, and KDCSVC events 201-209 on ${dcs}`,
      },
    );
  }
  if (negotiateOverHttps) {
    rows.push({
      symptom: 'HTTP 400 Bad Request',
      cause: 'Negotiate over https:// to /PowerShell, where IIS Windows authentication is off as Exchange installs it',
      fix: 'Use -Authentication Kerberos to the server FQDN over http://, or Basic to a publishing CAS. Seed 004 suggests turning Windows authentication on instead, which the Exchange HealthChecker reports as unsupported',
    });
  }
  if (exchangeEndpoint) {
    rows.push(
      requireSsl.length
        ? { symptom: 'HTTP 403 Forbidden', cause: `Require SSL set on the PowerShell virtual directory of ${requireSsl.join(', ')} (the spec asks for it)`, fix: 'Use https:// for those servers, or set requireSsl: false and generate again (seed 004)' }
        : clearsRequireSsl.length
          ? { symptom: 'HTTP 403 Forbidden', cause: `Require SSL set on the PowerShell virtual directory of ${clearsRequireSsl.join(', ')} outside the spec (IIS Manager or Exchange)`, fix: `Run the powershell-virtual-directory step on ${clearsRequireSsl.join(', ')} (requireSsl: false), then recycle-powershell-app-pool.ps1 there (seed 004)` }
          : { symptom: 'HTTP 403 Forbidden', cause: `Require SSL set on the PowerShell virtual directory outside the spec (IIS Manager or Exchange) on one of ${cas}`, fix: 'No step changes it: clear Require SSL on that directory by hand, or set requireSsl: false in the spec and generate again (seed 004)' },
    );
  }
  if (winrmTargets.length > 0) {
    const targets = winrmTargets.map((x) => x.host);
    const filtered = ipv4Only.filter((h) => targets.includes(h));
    rows.push(
      filtered.length
        ? { symptom: 'Connection refused by host name, works by IPv4 address', cause: `${sync} resolves IPv6 while WinRM on ${filtered.join(', ')} listens on IPv4 only (IPv6Filter empty in the spec)`, fix: 'Prefer IPv4 (preferIPv4) or listen on IPv6 (seed 002)' }
        : { symptom: 'Connection refused by host name, works by IPv4 address', cause: `${sync} resolves IPv6 while an IPv6 filter set outside the spec keeps WinRM on one of ${targets.join(', ')} to IPv4`, fix: 'Check WSMan:\\localhost\\Service\\IPv6Filter there; prefer IPv4 (preferIPv4) or listen on IPv6 (seed 002)' },
    );
  }
  if (exchangeEndpoint) {
    rows.push({ symptom: 'Few cmdlets or missing mailboxes in the session', cause: `Exchange RBAC roles of ${accounts}`, fix: 'Assign the management roles the agent needs (seed 004)' });
  }
  rows.push(...delegationRows(environment, accounts), ...proxyRows);
  return rows;
}

/**
 * Delegation rows, where the spec declares delegation. Microsoft's "Making the second hop in
 * PowerShell Remoting" (MicrosoftDocs/PowerShell-Docs reference/docs-conceptual/security/remoting/
 * PS-remoting-second-hop.md) says of every Kerberos delegation form "Doesn't support the second
 * hop for WinRM"; delegated accounts must not be sensitive or in Protected Users; TGT delegation
 * across a forest trust is off since KB 4490425.
 */
function delegationRows(environment: EnvironmentModel, accounts: string): TroubleshootingRow[] {
  const delegating = environment.exchange.filter((x) => x.delegation.mode !== 'none');
  if (delegating.length === 0) return [];
  const rows: TroubleshootingRow[] = [
    {
      symptom: 'Second hop denied: the session on the Exchange server cannot reach the next server',
      cause: `Delegation on ${delegating.map((x) => `${x.host} (${x.delegation.mode})`).join(', ')}: Microsoft documents that no Kerberos delegation form supports a WinRM second hop ("Doesn't support the second hop for WinRM", PowerShell-Docs "Making the second hop in PowerShell Remoting"); a second hop to another service works only to what the delegation allows, with new tickets`,
      fix: 'Have the vendor confirm what the second connection reaches; for a WinRM second hop pass credentials inside the session or use CredSSP (each with its cost); after a delegation change purge tickets (klist purge -li 0x3e7 on the Exchange server) and restart the sync service',
    },
    {
      symptom: 'Delegation works for some accounts only',
      cause: `The account is marked "Account is sensitive and cannot be delegated" or is a member of Protected Users: ${accounts} must be neither`,
      fix: `Check userAccountControl (NOT_DELEGATED, 0x100000) and Protected Users membership of ${accounts}`,
    },
  ];
  const pairs = uniqueSorted(
    delegating
      .filter((x) => x.delegation.mode === 'unconstrained')
      .flatMap((x) => crossForestAccounts(environment, x).map((s) => `${x.forest}\u0000${s.forest}\u0000${x.host}`)),
  );
  for (const pair of pairs) {
    const [trusting, trusted, host] = pair.split('\u0000') as [string, string, string];
    rows.push({
      symptom: 'Unconstrained delegation receives no forwarded ticket across the forest trust',
      cause: `TGT delegation is off on the trust between ${trusting} (${host}) and ${trusted}, the account forest (default since KB 4490425)`,
      fix: `The administrators of ${trusted} run netdom trust ${trusting} /domain:${trusted} /EnableTGTDelegation:Yes on a domain controller of ${trusted}; the tgt-delegation step checks it`,
    });
  }
  return rows;
}

export interface PlanInput {
  environment: EnvironmentModel;
  /** Diagnostics of the check, to list as findings. */
  diagnostics: readonly Diagnostic[];
  /** Line of a diagnostic, for PLAN.md. */
  lineOf: (d: Diagnostic) => number;
}

export function plan(input: PlanInput): Plan {
  const { environment } = input;
  const notes: string[] = [];
  const firewallRules = environment.exchange.flatMap((x) => firewallRulesFor(environment, x, notes));
  // Grouped once: filtering every rule for every server grew with the square of the estate.
  const rulesByHost = new Map<string, typeof firewallRules>();
  for (const rule of firewallRules) {
    const rules = rulesByHost.get(rule.host);
    if (rules) rules.push(rule);
    else rulesByHost.set(rule.host, [rule]);
  }
  const exchangeHosts = environment.exchange.map((x) => planExchange(x, rulesByHost.get(x.host) ?? []));
  const dcHosts = planDomainControllers(environment, notes);
  const flows = environment.syncServers.flatMap((s) => syncFlows(environment, s));
  for (const proxy of environment.reverseProxies) {
    flows.push({ from: 'internet clients', fromIp: null, to: proxy.host, toIp: proxy.ip, protocol: 'TCP', port: 443, purpose: `Published /PowerShell (${proxy.publishedName})`, check: proxy.externalClient ? `clients/${proxy.publishedName}/external-client-test.ps1` : 'a request from outside to the published URL' });
    for (const backend of proxy.backends) {
      const server = exchangeOf(environment, backend);
      flows.push({ from: proxy.host, fromIp: proxy.ip, to: server.host, toIp: server.ip, protocol: 'TCP', port: 443, purpose: 'ARR to the Exchange server (https only)', check: 'verify.ps1 (TCP connect)' });
    }
  }
  const syncHosts = environment.syncServers.map((s) => planSync(environment, s, flows.filter((f) => f.from === s.host)));
  const proxyHosts = environment.reverseProxies.map((p) => planReverseProxy(environment, p));
  const clients = environment.reverseProxies.flatMap((p) => planExternalClient(environment, p) ?? []);
  for (const p of environment.reverseProxies.filter((p) => !p.externalClient)) {
    notes.push(`${p.host} publishes https://${p.publishedName}/PowerShell, but the spec declares no externalClient: no external client test is generated.`);
  }
  if (environment.syncServers.length === 0) notes.push('The spec declares no sync server: no client configuration or session test is generated.');

  const runOrder: RunStage[] = [];
  const stage = (host: HostPlan, script: 'run-all.ps1' | 'verify.ps1' | 'recycle-powershell-app-pool.ps1', why: string) =>
    runOrder.push({ order: runOrder.length + 1, host: host.host, folder: host.folder, script, path: `hosts/${host.folder}/${script}`, why });
  for (const h of exchangeHosts) {
    stage(h, 'run-all.ps1', 'Exchange server first: the endpoint must exist before anyone connects; listener and authentication changes come last within it');
    const recycle = h.extras.find((s) => s.template === 'recycle-app-pool');
    if (recycle) {
      stage(h, 'recycle-powershell-app-pool.ps1', `Makes the virtual directory change take effect by recycling ${String(recycle.data.pool)}; it ends every remote PowerShell session through /PowerShell on this server, so it is a stage of its own: run it when that is acceptable (-WhatIf says whether a recycle is due, -Confirm asks before it); it does nothing when no change is pending`);
    }
  }
  for (const h of proxyHosts) stage(h, 'run-all.ps1', 'Reverse proxy after the publishing CAS: its virtual directory must accept Basic before the proxy forwards to it');
  for (const h of dcHosts) stage(h, 'run-all.ps1', 'Delegation after the Exchange servers are configured; it applies to tickets issued from now on');
  for (const h of syncHosts) {
    stage(h, 'run-all.ps1', dcHosts.length > 0 ? 'Client settings last; tickets already cached in the sync service\'s logon session predate the delegation change: restart the sync service (or run klist purge in its context) before its first connection' : 'Client settings after the Exchange servers, whose endpoints the session tests need');
  }
  for (const h of exchangeHosts) stage(h, 'verify.ps1', 'Server side checks before the end-to-end test');
  for (const h of dcHosts) stage(h, 'verify.ps1', 'Delegation as set');
  for (const h of proxyHosts) stage(h, 'verify.ps1', 'Farm, rule and certificate, then the published URL answering the authentication challenge');
  for (const h of syncHosts) stage(h, 'verify.ps1', 'Ports and the remote PowerShell session test, end to end');
  for (const c of clients) {
    runOrder.push({ order: runOrder.length + 1, host: c.label, folder: c.folder, script: 'external-client-test.ps1', path: `clients/${c.folder}/${c.script.fileName}`, why: 'Last, from outside: the whole path internet -> proxy -> CAS with Basic over HTTPS' });
  }

  const findings = input.diagnostics
    .filter((d) => d.severity !== 'error' || d.waived)
    .map((d) => ({ severity: d.severity, ruleId: d.ruleId, message: d.message, line: input.lineOf(d), waived: d.waived ? d.waived.reason : null }));

  return {
    environment,
    hosts: [...exchangeHosts, ...dcHosts, ...syncHosts, ...proxyHosts],
    runOrder,
    flows,
    firewallRules,
    findings,
    notes,
    troubleshooting: troubleshooting(environment),
    clients,
  };
}
