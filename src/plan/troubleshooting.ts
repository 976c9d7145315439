/** PLAN.md's troubleshooting table with the environment's names, each row only where its cause can occur. */
import { type ConnectionModel, type EnvironmentModel } from '../model/model.js';
import { declaredSecondHops } from './second-hop.js';
import type { TroubleshootingRow } from './types.js';
import { uniqueSorted } from './steps.js';
import { byCodePoint } from '../shared/order.js';
import { crossForestAccounts, kerberosChecksByForest } from './domain-controllers.js';
import { needsKerberos } from './sync-server.js';
import { exchangeAccessRows } from './exchange-access.js';

export function troubleshooting(environment: EnvironmentModel): TroubleshootingRow[] {
  const list = (values: string[], none: string) => (values.length ? values.join(', ') : none);
  const cas = list(environment.exchange.map((x) => x.host), 'the Exchange servers');
  const accounts = list(uniqueSorted(environment.syncServers.flatMap((s) => s.connections.map((c) => c.credential.account))), 'the service account');
  const proxies = list(environment.reverseProxies.map((p) => p.host), 'the reverse proxy');
  const published = list(environment.reverseProxies.map((p) => `https://${p.publishedName}/PowerShell`), 'the published URL');
  const backends = list(uniqueSorted(environment.reverseProxies.flatMap((p) => p.backends)), 'the publishing CAS');
  const proxyRows: TroubleshootingRow[] = environment.reverseProxies.length
    ? [
        { symptom: `HTTP 404 from ${published}`, cause: `No URL Rewrite rule on ${proxies} matches ^powershell(/.*)?$, or ARR is missing`, fix: `Run run-all.ps1 on ${proxies}; verify.ps1 there lists the rule` },
        { symptom: 'HTTP 401 again after the right password, from outside', cause: `Basic authentication off on the PowerShell virtual directory of ${backends}`, fix: `Run the powershell-virtual-directory step on ${backends} (basicAuthentication: true)` },
        { symptom: 'HTTP 400 Bad Request from outside', cause: `The client used Negotiate instead of Basic through ${proxies}`, fix: 'New-PSSession -Authentication Basic, as external-client-test.ps1 does (TechNet Wiki 31066)' },
        { symptom: 'HTTP 403 Forbidden from outside', cause: `Require SSL, or a client certificate demand, on the PowerShell virtual directory of ${backends}`, fix: 'requireSsl: false, clientCertificates: ignore (sslFlags None) on the publishing CAS (TechNet Wiki 31066)' },
        { symptom: `HTTP 502 from ${published}`, cause: `${proxies} does not trust the certificate of ${backends} on 443 (issuer not in its trusted roots, expired), or client certificates are not Ignore there. A certificate naming another host is not a cause: ARR ignores a backend certificate name mismatch by default (KB 2693489, SecureConnectionIgnoreFlags)`, fix: 'Trust the issuing CA on the proxy (LocalMachine\\Root), renew an expired backend certificate, clientCertificates: ignore (TechNet Wiki 31066)' },
      ]
    : [];
  // Each row names the hosts its cause can apply to, and a manual fix where no step exists.
  // Sets, not searches per server: each of these lists grows with the estate.
  const winrmTargetHosts = new Set(environment.syncServers.flatMap((s) => s.connections.filter((c) => c.endpoint !== 'exchange-powershell').map((c) => c.exchange)));
  const winrmTargets = environment.exchange.filter((x) => winrmTargetHosts.has(x.host));
  const withGroupStep = winrmTargets.filter((x) => x.os.remoteManagementUsersGroup && x.remoteManagementUsers.length > 0).map((x) => x.host);
  const hasGroupStep = new Set(withGroupStep);
  const withoutGroupStep = winrmTargets.filter((x) => !hasGroupStep.has(x.host)).map((x) => x.host);
  const accessFix = [
    ...(withGroupStep.length ? [`Run the remote-management-users step on ${withGroupStep.join(', ')} (the Monosync Exchange Integration guide)`] : []),
    ...(withoutGroupStep.length
      ? [`No step is generated for ${withoutGroupStep.join(', ')}: add the account to Remote Management Users there by hand (remoteManagementUsers in the spec), or on Windows Server 2008 R2 grant it with Set-PSSessionConfiguration -Name Microsoft.PowerShell -ShowSecurityDescriptorUI`]
      : []),
  ];
  const requireSslAll = environment.exchange.filter((x) => x.virtualDirectory?.requireSsl === true).map((x) => x.host);
  const clearsRequireSslAll = environment.exchange.filter((x) => x.virtualDirectory?.requireSsl === false).map((x) => x.host);
  const ipv4Only = environment.exchange.filter((x) => x.winrm?.ipv6Filter === '').map((x) => x.host);
  // Which causes can occur here: each row is emitted only when its cause can.
  const allConnections = environment.syncServers.flatMap((s) => s.connections);
  const kerberos = allConnections.some(needsKerberos);
  const powershellConnections = allConnections.filter((c) => c.endpoint === 'exchange-powershell');
  const exchangeEndpoint = powershellConnections.length > 0 || environment.reverseProxies.length > 0;
  const negotiateOverHttps = powershellConnections.some((c) => c.scheme === 'https' && c.authentication !== 'basic' && c.authentication !== 'kerberos');
  // Names per cause: only the sync servers, accounts, Exchange servers and domain controllers whose
  // connections can meet it.
  const syncOf = (test: (c: ConnectionModel) => boolean) => list(environment.syncServers.filter((s) => s.connections.some(test)).map((s) => s.host), 'the sync server');
  const accountsOf = (connections: ConnectionModel[], extra: string[] = []) => list(uniqueSorted([...connections.map((c) => c.credential.account), ...extra]), 'the service account');
  const winrmConnections = allConnections.filter((c) => c.endpoint !== 'exchange-powershell');
  const kerberosConnections = allConnections.filter(needsKerberos);
  const kerberosTargets = uniqueSorted(kerberosConnections.map((c) => c.exchange));
  const isKerberosTarget = new Set(kerberosTargets);
  const kerberosForests = [...new Map(environment.exchange.filter((x) => isKerberosTarget.has(x.host)).map((x) => [x.forest, x.forestModel])).values()].sort((a, b) => byCodePoint(a.name, b.name));
  const kerberosDcs = list(kerberosForests.flatMap((f) => f.domainControllers.map((d) => d.host)), 'the domain controllers');
  const kerberosSync = syncOf(needsKerberos);
  const kerberosAccounts = accountsOf(kerberosConnections);
  const powershellTargets = uniqueSorted(powershellConnections.map((c) => c.exchange));
  const externalAccounts = environment.reverseProxies.flatMap((p) => (p.externalClient ? [p.externalClient.credential.account] : []));
  const rows: TroubleshootingRow[] = [];
  if (winrmTargets.length > 0) {
    rows.push({
      symptom: 'Access is denied on Enter-PSSession / New-PSSession to WinRM',
      cause: `${accountsOf(winrmConnections)} not in Administrators or Remote Management Users on ${winrmTargets.map((x) => x.host).join(', ')}`,
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
      { symptom: '"Access denied" in the event log on export', cause: `TCP/UDP 88 blocked from ${kerberosSync} to ${kerberosDcs}`, fix: 'Open 88 to every domain controller of the target forest (TechNet Wiki 21759)' },
      { symptom: 'Authentication takes 3-4 minutes, Import-PSSession is slow', cause: `DNS (53) blocked from ${kerberosSync} to ${kerberosDcs}`, fix: 'Open TCP and UDP 53 (TechNet Wiki 21759)' },
      { symptom: 'Error 0x80090311 "no logon servers available"', cause: `No domain controller of ${list(kerberosForests.map((f) => f.name), 'the target forest')} reachable for Kerberos`, fix: 'Ports 88/53, the forest trust, or test with Basic over https:// (TechNet Wiki 21759)' },
      { symptom: 'Kerberos error on a VIP or alias name', cause: 'No SPN for that name', fix: `Connect to the server FQDN (${list(kerberosTargets, cas)}) or use Basic over https:// (TechNet Wiki 31066)` },
      {
        symptom: 'Kerberos fails since the April 2026 updates (KDCSVC events 201-209 on the domain controllers)',
        cause: `Domain controllers of ${list(kerberosForests.map((f) => f.name), 'the target forest')} issue AES-only service tickets for accounts without msDS-SupportedEncryptionTypes (KB5073381, CVE-2026-20833): ${kerberosAccounts}, the Exchange computer accounts or the trust has no AES keys`,
        fix: kerberosAesWhere(environment)
          ? `${kerberosAesWhere(environment)} reads msDS-SupportedEncryptionTypes of each account, Exchange computer and trusted domain object and counts the KDCSVC events 201-209 of the last days on ${kerberosDcs}, naming what is not AES (FAIL) or cannot be read (NOT READABLE); add AES (0x18) there, reset the password of an account without AES keys, and declare kerberosEncryptionTypes in the spec`
          : `Check msDS-SupportedEncryptionTypes of ${kerberosAccounts} and of ${list(kerberosTargets, cas)}, the trust's encryption types, and KDCSVC events 201-209 on ${kerberosDcs}`,
      },
    );
  }
  if (negotiateOverHttps) {
    rows.push({
      symptom: 'HTTP 400 Bad Request',
      cause: 'Negotiate over https:// to /PowerShell, where IIS Windows authentication is off as Exchange installs it',
      fix: 'Use -Authentication Kerberos to the server FQDN over http://, or Basic to a publishing CAS. TechNet Wiki 31066 suggests turning Windows authentication on instead, which the Exchange HealthChecker reports as unsupported',
    });
  }
  if (powershellConnections.length > 0) {
    // Internal /PowerShell connections; through a reverse proxy the "from outside" row applies.
    const isPowershellTarget = new Set(powershellTargets);
    const requireSsl = requireSslAll.filter((h) => isPowershellTarget.has(h));
    const clearsRequireSsl = clearsRequireSslAll.filter((h) => isPowershellTarget.has(h));
    rows.push(
      requireSsl.length
        ? { symptom: 'HTTP 403 Forbidden', cause: `Require SSL set on the PowerShell virtual directory of ${requireSsl.join(', ')} (the spec asks for it)`, fix: 'Use https:// for those servers, or set requireSsl: false and generate again (TechNet Wiki 31066)' }
        : clearsRequireSsl.length
          ? { symptom: 'HTTP 403 Forbidden', cause: `Require SSL set on the PowerShell virtual directory of ${clearsRequireSsl.join(', ')} outside the spec (IIS Manager or Exchange)`, fix: `Run the powershell-virtual-directory step on ${clearsRequireSsl.join(', ')} (requireSsl: false), then recycle-powershell-app-pool.ps1 there (TechNet Wiki 31066)` }
          : { symptom: 'HTTP 403 Forbidden', cause: `Require SSL set on the PowerShell virtual directory outside the spec (IIS Manager or Exchange) on one of ${powershellTargets.join(', ')}`, fix: 'No step changes it: clear Require SSL on that directory by hand, or set requireSsl: false in the spec and generate again (TechNet Wiki 31066)' },
    );
  }
  if (winrmTargets.length > 0) {
    const targets = winrmTargets.map((x) => x.host);
    const filtered = ipv4Only.filter((h) => winrmTargetHosts.has(h));
    const isFiltered = new Set(filtered);
    rows.push(
      filtered.length
        ? { symptom: 'Connection refused by host name, works by IPv4 address', cause: `${syncOf((c) => c.endpoint !== 'exchange-powershell' && isFiltered.has(c.exchange))} resolves IPv6 while WinRM on ${filtered.join(', ')} listens on IPv4 only (IPv6Filter empty in the spec)`, fix: 'Prefer IPv4 (preferIPv4) or listen on IPv6 (the Monosync Exchange Integration guide)' }
        : { symptom: 'Connection refused by host name, works by IPv4 address', cause: `${syncOf((c) => c.endpoint !== 'exchange-powershell')} resolves IPv6 while an IPv6 filter set outside the spec keeps WinRM on one of ${targets.join(', ')} to IPv4`, fix: 'Check WSMan:\\localhost\\Service\\IPv6Filter there; prefer IPv4 (preferIPv4) or listen on IPv6 (the Monosync Exchange Integration guide)' },
    );
  }
  if (exchangeEndpoint) {
    rows.push({ symptom: 'Few cmdlets or missing mailboxes in the session', cause: `Exchange RBAC roles of ${accountsOf(powershellConnections, externalAccounts)}`, fix: 'Assign the management roles the agent needs (TechNet Wiki 31066)' });
    rows.push(...exchangeAccessRows(environment, accounts));
  }
  rows.push(...delegationRows(environment, accounts), ...proxyRows);
  return rows;
}

/**
 * Where the Kerberos AES readiness (KB5073381) is read: verify.ps1 on each forest's AD host, or by
 * hand where the forest declares no domain controller (PLAN.md's notes say what to check).
 */
function kerberosAesWhere(environment: EnvironmentModel): string | null {
  const checks = kerberosChecksByForest(environment);
  if (checks.size === 0) return null;
  return [...checks.keys()]
    .sort()
    .map((forest) => {
      const dc = environment.forests.find((f) => f.name === forest)?.domainControllers[0];
      return dc ? `verify.ps1 on ${dc.host}` : `a domain controller of ${forest} by hand (see the notes)`;
    })
    .join(', ');
}

/**
 * Delegation rows, where the spec declares delegation. Microsoft's "Making the second hop in
 * PowerShell Remoting" (MicrosoftDocs/PowerShell-Docs reference/docs-conceptual/security/remoting/
 * PS-remoting-second-hop.md) says of every Kerberos delegation form "Doesn't support the second
 * hop for WinRM"; delegated accounts must not be sensitive or in Protected Users; TGT delegation
 * across a forest trust is off since KB 4490425.
 */
export function delegationRows(environment: EnvironmentModel, accounts: string): TroubleshootingRow[] {
  const delegating = environment.exchange.filter((x) => x.delegation.mode !== 'none');
  const hops = declaredSecondHops(environment);
  if (delegating.length === 0 && hops.length === 0) return [];
  const where = [
    ...(delegating.length ? [`Delegation on ${delegating.map((x) => `${x.host} (${x.delegation.mode})`).join(', ')}`] : []),
    ...(hops.length ? [`second hop ${hops.join(', ')}`] : []),
  ].join('; ');
  const rows: TroubleshootingRow[] = [
    {
      symptom: 'Second hop denied: the session on the Exchange server cannot reach the next server',
      cause: `${where}: Microsoft documents that no Kerberos delegation form supports a WinRM second hop ("Doesn't support the second hop for WinRM", PowerShell-Docs "Making the second hop in PowerShell Remoting"); a second hop to another service works only to what the delegation allows, with new tickets`,
      fix: `${hops.length ? 'verify.ps1 on the sync server runs the two hops and names the one that fails. ' : ''}Have the vendor confirm what the second connection reaches; for a WinRM second hop pass credentials inside the session or use CredSSP (each with its cost); after a delegation change purge tickets (klist purge -li 0x3e7 on the Exchange server) and restart the sync service`,
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
