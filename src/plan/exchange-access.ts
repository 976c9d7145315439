/**
 * What verify.ps1 on an Exchange server checks of Exchange's own access settings, beyond WinRM:
 * - remote PowerShell per user: Exchange refuses a session to a user whose
 *   RemotePowerShellEnabled is False, so every account that opens a session to this server's
 *   /PowerShell (a sync connection, the external client test through a proxy) needs it on;
 * - the Exchange Auth certificate: serialized data signing (on by default since the November
 *   2023 security update) signs with it, so an expired one breaks remote PowerShell. Exchange
 *   2010 has neither the certificate nor the signing.
 * Pure, from the model; the plan puts the result into the verify script's data.
 */
import { byCodePoint } from '../shared/order.js';
import { oncePer } from '../shared/memo.js';
import type { EnvironmentModel, ExchangeModel } from '../model/model.js';
import type { TroubleshootingRow } from './types.js';

export interface ExchangeAccessChecks {
  /** Accounts whose RemotePowerShellEnabled verify.ps1 reads (Get-User), in code point order. */
  accounts: string[];
  hasAccounts: boolean;
  /** Check the Auth certificate (Get-AuthConfig, Get-ExchangeCertificate): not on Exchange 2010. */
  authCertificate: boolean;
  /** Days before expiry at which the Auth certificate check fails. */
  authCertificateMinimumDays: number;
}

export const AUTH_CERTIFICATE_MINIMUM_DAYS = 30;

/**
 * The accounts that open a remote PowerShell session to each Exchange server (lowercase host ->
 * lowercase account -> account as first written), gathered in one pass over the connections per
 * environment: asking every server's question of every connection grew with the square of the estate.
 */
const accountsByServer = oncePer((environment: EnvironmentModel): Map<string, Map<string, string>> => {
  const byServer = new Map<string, Map<string, string>>();
  const add = (host: string, account: string) => {
    let accounts = byServer.get(host);
    if (!accounts) byServer.set(host, (accounts = new Map()));
    if (!accounts.has(account.toLowerCase())) accounts.set(account.toLowerCase(), account);
  };
  // The same order as a scan per server: sync connections first, then proxies' external clients.
  for (const sync of environment.syncServers) {
    for (const c of sync.connections) if (c.endpoint === 'exchange-powershell') add(c.target.host, c.credential.account);
  }
  for (const proxy of environment.reverseProxies) {
    if (!proxy.externalClient) continue;
    for (const backend of new Set(proxy.backendServers.map((b) => b.server.host))) add(backend, proxy.externalClient.credential.account);
  }
  return byServer;
});

export function exchangeAccessChecks(environment: EnvironmentModel, server: ExchangeModel): ExchangeAccessChecks {
  const accounts = accountsByServer(environment).get(server.host) ?? new Map<string, string>();
  const list = [...accounts.values()].sort((a, b) => byCodePoint(a.toLowerCase(), b.toLowerCase()));
  return { accounts: list, hasAccounts: list.length > 0, authCertificate: server.exchangeVersion !== 'exchange-2010', authCertificateMinimumDays: AUTH_CERTIFICATE_MINIMUM_DAYS };
}

/** Troubleshooting rows for the two checks, where remote PowerShell to Exchange is in the spec. */
export function exchangeAccessRows(environment: EnvironmentModel, accounts: string): TroubleshootingRow[] {
  const checked = environment.exchange.map((x) => ({ server: x, checks: exchangeAccessChecks(environment, x) }));
  const withAccounts = checked.filter((c) => c.checks.hasAccounts).map((c) => c.server.host);
  const withAuth = checked.filter((c) => c.checks.authCertificate && c.checks.hasAccounts).map((c) => c.server.host);
  const rows: TroubleshootingRow[] = [];
  if (withAccounts.length > 0) {
    rows.push({
      symptom: 'New-PSSession to /PowerShell is refused for one account while WinRM sessions and other accounts work',
      cause: `RemotePowerShellEnabled is False for ${accounts}: Exchange gates remote PowerShell per user`,
      fix: `In the Exchange Management Shell: Get-User -Identity <the user> | Format-List -Property RemotePowerShellEnabled, then Set-User -Identity <the user> -RemotePowerShellEnabled $true; verify.ps1 on ${withAccounts.join(', ')} checks it`,
    });
  }
  if (withAuth.length > 0) {
    rows.push({
      symptom: 'Remote PowerShell to Exchange fails after the Exchange Auth certificate expired',
      cause: `Serialized data signing (on by default since the November 2023 Exchange security update) signs with the Auth certificate, which has expired or is not on ${withAuth.join(', ')}`,
      fix: `Renew the Auth certificate and publish it with Set-AuthConfig; verify.ps1 on ${withAuth.join(', ')} reports its thumbprint and fails ${AUTH_CERTIFICATE_MINIMUM_DAYS} days before it expires`,
    });
  }
  return rows;
}
