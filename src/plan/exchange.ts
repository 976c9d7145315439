/** The steps of an Exchange server: service, remoting, firewall, group, IPv4, virtual directory, then listeners and authentication last. */
import type { ExchangeModel } from '../model/model.js';
import type { ScriptPlan, HostSteps, FirewallRulePlan } from './types.js';
import { BUILT_IN_WINRM_HTTP_RULES, httpsOnlyListeners } from './firewall.js';
import type { ExchangeAccessChecks } from './exchange-access.js';
import { ELEVATED, FIREWALL_GROUP, profileName, profileBit, cbtValue, type Draft, draft, winrmServiceDraft, build, script, ipv4PreferenceCheck, ipv4PreferenceDraft, } from './steps.js';
import { listenerRow, serviceAuthSettings, serviceOptionSettings } from './wsman.js';
import { remoteAccessPolicies, withPolicy } from './winrm-policy.js';

/**
 * What the virtual directory step and verify.ps1 set and check: only the fields the spec names.
 * Omitted fields are left as installed and not checked.
 */
export function virtualDirectoryData(v: NonNullable<ExchangeModel['virtualDirectory']>) {
  // Set-PowerShellVirtualDirectory parameter names; the IIS section, where one exists, for the appcmd.exe fallback.
  const fields = [
    { name: 'BasicAuthentication', value: v.basicAuthentication, section: 'system.webServer/security/authentication/basicAuthentication' },
    { name: 'WindowsAuthentication', value: v.windowsAuthentication, section: 'system.webServer/security/authentication/windowsAuthentication' },
    { name: 'RequireSSL', value: v.requireSsl, section: null },
  ];
  const settings = fields.flatMap((f) => (f.value === null ? [] : [{ name: f.name, value: f.value }]));
  const sections = fields.flatMap((f) => (f.value === null || f.section === null ? [] : [{ name: f.name, section: f.section, value: f.value }]));
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

export function virtualDirectorySummary(v: NonNullable<ExchangeModel['virtualDirectory']>): string {
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
export function powershellFrontEndPool(server: ExchangeModel): string {
  return server.exchangeVersion === 'exchange-2010' ? 'MSExchangePowerShellAppPool' : 'MSExchangePowerShellFrontEndAppPool';
}

/** The authentication types the spec turns on, which HealthChecker reports on /PowerShell. */
export function enabledAuthentication(v: NonNullable<ExchangeModel['virtualDirectory']>): string[] {
  return [...(v.basicAuthentication ? ['Basic authentication'] : []), ...(v.windowsAuthentication ? ['Windows authentication'] : [])];
}

export function rebindFileName(listener: { port: number; address: string }, all: { port: number; address: string; transport: string }[]): string {
  const samePort = all.filter((l) => l.transport === 'https' && l.port === listener.port).length > 1;
  const suffix = samePort && listener.address !== '*' ? `-${listener.address.replace(/^IP:/, '').replace(/[^A-Za-z0-9]+/g, '-')}` : '';
  return `rebind-certificate-https-${listener.port}${suffix}.ps1`;
}

export function planExchange(server: ExchangeModel, firewallRules: FirewallRulePlan[], access: ExchangeAccessChecks): HostSteps {
  const drafts: Draft[] = [];
  const hostNotes: string[] = [];
  drafts.push(
    winrmServiceDraft(server.host, 'Every later step uses the WSMan: drive, which needs the WinRM service running.'),
  );
  drafts.push(
    draft({
      slug: 'enable-remoting',
      template: 'enable-remoting',
      synopsis: `Enables PowerShell remoting on ${server.host} (Enable-PSRemoting -SkipNetworkProfileCheck -Force) when it is not enabled yet.`,
      description: [
      'Enable-PSRemoting registers the session configurations, creates an HTTP listener on port 5985 for all addresses and opens TCP 5985 in Windows Firewall. It restarts WinRM, which ends open WinRM sessions: run it locally.',
      'Group Policy can refuse every remote session whatever the local configuration: "Allow remote server management through WinRM" disabled (AllowAutoConfig = 0) or "Allow Remote Shell Access" disabled (AllowRemoteShellAccess = 0). The step reports either policy when it is set, and fails when it refuses remote sessions.',
    ],
      summary: 'PowerShell remoting enabled (Microsoft.PowerShell session configuration)',
      data: { remoteAccess: remoteAccessPolicies() },
    }),
  );
  // Every listener the spec declares is HTTPS: plain HTTP 5985 from the network is not needed.
  const httpsOnly = httpsOnlyListeners(server);
  if (firewallRules.length > 0) {
    drafts.push(
      draft({
        slug: 'firewall',
        template: 'firewall',
        synopsis: `Creates or updates the inbound firewall rules on ${server.host} for the hosts that connect to it.`,
        description: [
          server.os.modernNetworking
            ? `Rules are created with New-NetFirewallRule, named so that a second run finds and compares them (group ${FIREWALL_GROUP}).`
            : `No NetSecurity module on ${server.os.os}${server.powershell.v2 ? ' with Windows PowerShell 2.0' : ''}: rules are read through the HNetCfg.FwPolicy2 COM object and changed with netsh advfirewall.`,
          'Each rule allows only the listed remote addresses, IPv4 and IPv6. Windows Firewall admits a connection that any rule allows, so these rules guarantee access for the hosts in the spec; they do not restrict others: the rules Exchange setup created (80/443 from any address) are left alone.',
          httpsOnly
            ? 'The spec declares HTTPS listeners only, so the rules Enable-PSRemoting enabled for plain HTTP 5985 (WINRM-HTTP-In-TCP and WINRM-HTTP-In-TCP-PUBLIC, unscoped) are disabled; the HTTP listener itself stays, reachable from this server only.'
            : 'The rules Enable-PSRemoting enabled for HTTP 5985 (WINRM-HTTP-In-TCP, WINRM-HTTP-In-TCP-PUBLIC) admit more than these hosts: the step names them and their scope, and leaves them, since the spec declares an HTTP listener.',
        ],
        summary: `Inbound firewall: ${firewallRules.map((r) => `TCP ${r.port} from ${r.remoteAddresses.join(', ')}`).join('; ')} (profiles ${server.firewall.profiles.join(', ')})`,
        data: {
          modern: server.os.modernNetworking,
          group: FIREWALL_GROUP,
          httpsOnly,
          builtInRules: BUILT_IN_WINRM_HTTP_RULES,
          ruleNames: firewallRules.map((r) => r.name),
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
      }
      ),
    );
  }
  if (server.remoteManagementUsers.length > 0 && !server.os.remoteManagementUsersGroup) {
    // A step that must fail would stop run-all before the listener and authentication steps.
    hostNotes.push(
      `${server.os.os} has no Remote Management Users group (it came with Windows Server 2012), so no script adds ${server.remoteManagementUsers.join(', ')}: grant them Invoke on the Microsoft.PowerShell endpoint with Set-PSSessionConfiguration -Name Microsoft.PowerShell -ShowSecurityDescriptorUI, or use an administrator account.`,
    );
  }
  if (server.remoteManagementUsers.length > 0 && server.os.remoteManagementUsersGroup) {
    drafts.push(
      draft({
        slug: 'remote-management-users',
        template: 'remote-management-users',
        synopsis: `Adds ${server.remoteManagementUsers.join(', ')} to the local Remote Management Users group on ${server.host}.`,
        description: [
          'Members of Remote Management Users (SID S-1-5-32-580) may use the Microsoft.PowerShell endpoint over WinRM without being Administrators. Access to Exchange remote PowerShell (/PowerShell) is governed by Exchange RBAC instead.',
          server.os.localAccountsModule
            ? 'The group is found by its SID, so the script works on any display language; net localgroup lists it when Get-LocalGroupMember fails on an orphaned SID.'
            : 'The group is found by its SID and changed with net localgroup (the LocalAccounts cmdlets are used from Windows Server 2016 on).',
        ],
        summary: `Remote Management Users: ${server.remoteManagementUsers.join(', ')}`,
        data: { members: server.remoteManagementUsers, localAccounts: server.os.localAccountsModule },
      }
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
      draft({
        slug: 'powershell-virtual-directory',
        template: 'powershell-virtual-directory',
        synopsis: `Sets the authentication and SSL settings the spec names on the Exchange PowerShell virtual directory of ${server.host}.`,
        description: [
          'Only the settings the spec names are compared and changed; an omitted setting is left as installed. Exchange 2013 and later install Default Web Site/PowerShell with Basic and Windows authentication off (Kerberos is handled by Exchange\'s kerbauth module, not by IIS Windows authentication), Require SSL off and client certificates Accept (sslFlags SslNegotiateCert), as the applicationHost.config test data of Microsoft\'s CSS-Exchange project records.',
          'Run from the Exchange Management Shell on this server: Get-PowerShellVirtualDirectory and Set-PowerShellVirtualDirectory come from Exchange and also record the settings in Active Directory. Outside it, the script falls back to appcmd.exe on the IIS sections (basicAuthentication, windowsAuthentication, sslFlags) and warns that Exchange does not record that change. Client certificate handling is an IIS setting (sslFlags), read with WebAdministration and changed with appcmd.exe.',
          'Microsoft documents that this virtual directory should be changed only at the request of Microsoft support, and the Exchange HealthChecker reports any authentication type enabled on it, and Require SSL, as unsupported. Require SSL also breaks internal Kerberos over http:// and the Exchange Management Shell (HTTP 403).',
          `A change takes effect when ${pool} recycles${server.exchangeVersion === 'exchange-2010' ? '' : ' (the front-end pool of Default Web Site/PowerShell, not MSExchangePowerShellAppPool, which serves the back end)'}. This step does not recycle it: recycle-powershell-app-pool.ps1 does, as a stage of its own after run-all.ps1, because the recycle drops the remote PowerShell sessions that go through it, the open Exchange Management Shell included.`,
        ],
        summary: virtualDirectorySummary(v),
        data: { host: server.host, localOnly: 'the IIS authentication and SSL settings of Default Web Site/PowerShell', pool, enablesAuthentication: enabled.length > 0, enabledAuthentication: enabled.join(' and '), basicOn: v.basicAuthentication === true, ...virtualDirectoryData(v) },
      }
      ),
    );
    extras.push(
      script({
        fileName: 'recycle-powershell-app-pool.ps1',
        template: 'recycle-app-pool',
        synopsis: `Recycles ${pool} on ${server.host} so that the PowerShell virtual directory settings take effect.`,
        description: [
          `Run after run-all.ps1, from a console that does not depend on remote PowerShell to this server: recycling ${pool} drops the remote PowerShell sessions that go through Default Web Site/PowerShell, the open Exchange Management Shell included.`,
          `It recycles only when a worker process of ${pool} started before the last change to the IIS configuration (applicationHost.config); otherwise it reports "already configured". Use -WhatIf to see whether a recycle is due, and -Confirm to be asked before it happens.`,
        ],
        summary: `Recycles ${pool} after a virtual directory change (a run-order stage of its own; drops open remote PowerShell sessions)`,
        data: { pool, host: server.host },
        kind: 'change',
      }
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
  const listenerRows = (server.winrm?.listeners ?? []).map((l) => listenerRow(l, server.host));
  if (server.winrm) {
    const listeners = server.winrm.listeners;
    if (listeners.length > 0) {
      const selfSignedSupported = server.os.modernNetworking;
      drafts.push(
        draft({
          slug: 'winrm-listeners',
          template: 'winrm-listeners',
          synopsis: `Creates or corrects the WinRM listeners on ${server.host}.`,
          description: [
            'Listeners are found by their keys (Transport and Address), never by their Listener_<number> item name, which differs on every machine.',
            'Before an HTTPS listener is bound, its certificate is checked: in Cert:\\LocalMachine\\My, with a private key, the Server Authentication EKU (or no EKU restriction), a name matching the listener host name, and not expired.',
            'Listener changes come after every other step: applied through the WinRM session they change, they would cut it. Run this script locally.',
          ],
          summary: `WinRM listeners: ${listeners.map((l) => `${l.transport.toUpperCase()} ${l.address}:${l.port}${l.hostName ? ` host ${l.hostName}` : ''}${l.certificate?.kind === 'thumbprint' ? ` certificate ${l.certificate.thumbprint}` : l.certificate?.kind === 'self-signed' ? ' self-signed certificate' : ''}`).join('; ')}`,
          data: {
            host: server.host,
            selfSignedSupported,
            localOnly: 'the WinRM listeners',
            listeners: listenerRows,
          },
        }
        ),
      );
      if (listeners.some((l) => l.certificate?.kind === 'self-signed')) {
        hostNotes.push(
          selfSignedSupported
            ? 'A self-signed certificate is created for lab use: clients must trust it, or skip CA checks in tests only.'
            : `${server.os.os}${server.powershell.v2 ? ' with Windows PowerShell 2.0' : ''} has no New-SelfSignedCertificate (the PKI module came with Windows Server 2012 and does not load in 2.0): install a certificate and declare its thumbprint instead.`,
        );
      }
      for (const l of listeners.filter((l) => l.transport === 'https')) {
        const fileName = rebindFileName(l, listeners);
        extras.push(
          script({
            fileName,
            template: 'rebind-certificate',
            synopsis: `Binds a renewed certificate to the HTTPS WinRM listener ${l.address}:${l.port} on ${server.host}.`,
            description: [
              'A certificate renewal leaves the HTTPS listener bound to the old thumbprint. Give the new thumbprint; the script checks the certificate first, finds the listener by its keys (Transport=HTTPS, Address), binds the thumbprint with Set-WSManInstance and reads it back.',
              l.certificate?.kind === 'self-signed'
                ? 'The spec asks for a self-signed certificate, which the listener step selects as the newest valid self-issued certificate carrying every name: the script says whether the new one is that certificate (no spec change) or which spec change keeps it.'
                : 'It ends with the spec change to make (certificate.thumbprint: <new>) before generating the scripts again. Until then run-all.ps1 and verify.ps1 accept a renewal of the spec\'s certificate (same subject and issuer, later expiry, the old one still in the store) and keep it bound; a certificate that is no renewal is bound back to the spec\'s by the next run-all.ps1, and the script warns so.',
              'Run it locally on the server, not through the WinRM listener it changes.',
            ],
            summary: `Rebinds the certificate of HTTPS ${l.address}:${l.port} (run on renewal)`,
            data: {
              host: server.host,
              address: l.address,
              port: l.port,
              hostName: l.hostName ?? server.host,
              localOnly: 'the certificate of an HTTPS WinRM listener',
              thumbprint: l.certificate?.kind === 'thumbprint' ? l.certificate.thumbprint : null,
              dnsNames: l.certificate?.kind === 'thumbprint' ? l.certificate.dnsNames : [],
              selfSignedNames: l.certificate?.kind === 'self-signed' ? l.certificate.dnsNames : [],
            },
            kind: 'change',
          }
          ),
        );
      }
    }
    const w = server.winrm;
    drafts.push(
      draft({
        slug: 'winrm-service-options',
        template: 'winrm-settings',
        synopsis: `Sets AllowUnencrypted and the IPv4/IPv6 address filters of the WinRM service on ${server.host}.`,
        description: [
          'AllowUnencrypted is not needed for Kerberos or Negotiate over HTTP: WinRM encrypts those messages itself.',
          "An empty IPv6Filter means the service listens on no IPv6 address; '*' means all addresses.",
        ],
        summary: `WinRM service: AllowUnencrypted ${w.allowUnencrypted}, IPv4Filter '${w.ipv4Filter}', IPv6Filter '${w.ipv6Filter}'`,
        data: {
          what: 'WinRM service options',
          remoteGuard: true,
          localOnly: 'the WinRM service encryption and address filters',
          settings: withPolicy(serviceOptionSettings(w)),
        },
      }
      ),
    );
    drafts.push(
      draft({
        slug: 'winrm-service-auth',
        template: 'winrm-settings',
        synopsis: `Sets the WinRM service authentication of ${server.host}, last of all steps.`,
        description: [
          'Changing service authentication through a WinRM session can cut that session, so this step comes last and runs locally.',
          'CbtHardeningLevel: Relaxed is the Windows default; Strict breaks many non-Windows clients; None removes channel-binding protection.',
        ],
        summary: `WinRM service auth: Kerberos ${w.auth.kerberos}, Negotiate ${w.auth.negotiate}, Basic ${w.auth.basic}, Certificate ${w.auth.certificate}, CredSSP ${w.auth.credSSP}, CbtHardeningLevel ${cbtValue[w.auth.cbtHardening]}`,
        data: {
          what: 'WinRM service authentication',
          remoteGuard: true,
          localOnly: 'the WinRM service authentication',
          settings: withPolicy(serviceAuthSettings(w)),
        },
      }
      ),
    );
  } else {
    hostNotes.push('The spec declares no winrm section: listeners and WinRM service settings stay as installed (Enable-PSRemoting creates the HTTP listener on 5985).');
  }
  const steps = build(drafts);
  const w = server.winrm;
  const verify = script({
    fileName: 'verify.ps1',
    template: 'verify-exchange',
    synopsis: `Checks that ${server.host} is configured as the spec says, without changing anything.`,
    description: ['Reports every check as OK or FAIL and exits 1 when one fails. Read-only, but reading the WSMan: drive needs an elevated console.'],
    summary: 'Read-only checks of every setting above, Test-WSMan, the HTTP SPN and the certificates',
    data: {
      host: server.host,
      domain: server.forest,
      // What the spec declares: its HTTP listeners' ports, or Enable-PSRemoting's 5985 when it declares none.
      httpProbePorts: w ? [...new Set(w.listeners.filter((l) => l.transport === 'http').map((l) => l.port))].sort((a, b) => a - b) : [5985],
      listeners: listenerRows,
      remoteAccess: remoteAccessPolicies(),
      settings: w ? withPolicy([...serviceOptionSettings(w), ...serviceAuthSettings(w)]) : [],
      members: server.os.remoteManagementUsersGroup ? server.remoteManagementUsers : [],
      localAccounts: server.os.localAccountsModule,
      ipv4Preference: ipv4PreferenceCheck(server),
      virtualDirectory: server.virtualDirectory ? virtualDirectoryData(server.virtualDirectory) : null,
      firewallRules: firewallRules.map((r) => r.name),
      modernFirewall: server.os.modernNetworking,
      // The firewall step disables the built-in HTTP rules only where it runs (rules to create) and the spec is HTTPS only.
      httpsOnlyFirewall: firewallRules.length > 0 && httpsOnly,
      builtInRules: BUILT_IN_WINRM_HTTP_RULES,
      exchangeAccess: access,
    },
    kind: 'check',
  }
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
