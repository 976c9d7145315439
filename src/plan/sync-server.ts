/** The steps of a sync server: client settings; its verify script probes ports and opens the sessions. */
import { type ConnectionModel, type EnvironmentModel, type ForestModel, type SyncServerModel } from '../model/model.js';
import type { HostSteps, PortFlow } from './types.js';
import { byCodePoint } from '../shared/order.js';
import { ELEVATED, policyValue, psAuthentication, uniqueSorted, type Draft, draft, winrmServiceDraft, build, script, ipv4PreferenceCheck, ipv4PreferenceDraft} from './steps.js';
import { clientSettings } from './wsman.js';
import { withPolicy } from './winrm-policy.js';
import { secondHopData, secondHopNotes } from './second-hop.js';

/** Target forests of a sync server: the forests of the Exchange servers it connects to. */
export function targetForests(environment: EnvironmentModel, sync: SyncServerModel): ForestModel[] {
  const forests = new Map(sync.connections.map((c) => [c.target.forestModel.name, c.target.forestModel]));
  return [...forests.values()].sort((a, b) => byCodePoint(a.name, b.name));
}

export function needsKerberos(connection: ConnectionModel): boolean {
  return connection.authentication !== 'basic';
}


/** The forest whose domain controllers list names this host. */
function forestOfDomainController(environment: EnvironmentModel, host: string): string {
  return environment.forests.find((f) => f.domainControllers.some((d) => d.host === host))?.name ?? host.slice(host.indexOf('.') + 1);
}

export function credentialData(c: ConnectionModel['credential']) {
  return { account: c.account, vault: c.source === 'vault', vaultName: c.vault ?? '', secretName: c.secretName ?? '' };
}

export function planSync(environment: EnvironmentModel, sync: SyncServerModel, flows: PortFlow[]): HostSteps {
  const drafts: Draft[] = [];
  const notes: string[] = [];
  drafts.push(
    winrmServiceDraft(sync.host, 'The WinRM client settings live in the WSMan: drive, which needs the WinRM service running.'),
  );
  if (sync.trustedHosts.length > 0) {
    drafts.push(
      draft({
        slug: 'trusted-hosts',
        template: 'trusted-hosts',
        synopsis: `Adds ${sync.trustedHosts.join(', ')} to the WinRM client TrustedHosts list of ${sync.host}.`,
        description: [
          'TrustedHosts is a client setting: the remote hosts this computer talks to without mutual authentication. The entries are merged into the existing value as one comma-separated string; no existing entry is removed.',
          'When Group Policy manages TrustedHosts (HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client), a local change has no effect: the script reports the policy list, accepts it when it holds every entry, and otherwise changes nothing and fails naming the missing entries.',
        ],
        summary: `TrustedHosts: add ${sync.trustedHosts.join(', ')} (merged with the existing value)`,
        data: { entries: sync.trustedHosts, policy: withPolicy([{ path: 'WSMan:\\localhost\\Client\\TrustedHosts', value: sync.trustedHosts.join(',') }])[0]! },
      }
      ),
    );
  }
  const managesClient = sync.clientAuth !== null || sync.clientAllowUnencrypted !== null;
  // Built once: the step sets these and verify.ps1 checks the same rows.
  const settings = managesClient ? clientSettings(sync) : [];
  const clientSettingRows = withPolicy(settings);
  if (managesClient) {
    drafts.push(
      draft({
        slug: 'winrm-client',
        template: 'winrm-settings',
        synopsis: `Sets the WinRM client authentication and AllowUnencrypted on ${sync.host}.`,
        description: ['Client AllowUnencrypted is needed only for Basic over http://, which Exchange refuses anyway; Kerberos and Negotiate messages are encrypted by WinRM.'],
        summary: `WinRM client: ${settings.map((s) => `${s.path.replace('WSMan:\\localhost\\Client\\', '')} ${s.value}`).join(', ')}`,
        data: { what: 'WinRM client settings', remoteGuard: false, localOnly: '', settings: clientSettingRows },
      }
      ),
    );
  }
  if (sync.executionPolicy !== 'unmanaged') {
    const policy = policyValue[sync.executionPolicy];
    drafts.push(
      draft({
        slug: 'execution-policy',
        template: 'execution-policy',
        synopsis: `Sets the LocalMachine execution policy of ${sync.host} to ${policy}.`,
        description: [
          'Group Policy (MachinePolicy, UserPolicy) and the Process scope take precedence over LocalMachine; Set-ExecutionPolicy then saves the value but reports an override error, which the script turns into a warning naming the scope in force.',
        ],
        summary: `Execution policy (LocalMachine): ${policy}`,
        data: { policy },
      }
      ),
    );
  }
  const ipv4 = ipv4PreferenceDraft(sync);
  if (ipv4) drafts.push(ipv4);

  const tcp = flows.filter((f) => f.protocol === 'TCP');
  const udp = flows.filter((f) => f.protocol === 'UDP');
  // Each domain controller is asked for a name of its own forest (its DC locator record): a DC of
  // one forest need not answer for another forest's names.
  const dnsQueries = uniqueSorted(udp.filter((f) => f.port === 53).map((f) => f.to)).map((server) => ({
    server,
    name: `_ldap._tcp.dc._msdcs.${forestOfDomainController(environment, server)}`,
  }));
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
      secondHop: secondHopData(c),
      selfSigned:
        c.endpoint === 'winrm' &&
        c.scheme === 'https' &&
        (c.target.winrm?.listeners.some((l) => l.transport === 'https' && l.port === c.port && l.certificate?.kind === 'self-signed') ?? false),
    };
  });
  const credentials = uniqueSorted(sessions.map((s) => s.credentialKey)).map((key, index) => {
    const s = sessions.find((x) => x.credentialKey === key)!;
    return { index, account: s.account, vault: s.vault, vaultName: s.vaultName, secretName: s.secretName, key };
  });
  const verify = script({
    fileName: 'verify.ps1',
    template: 'verify-sync-server',
    synopsis: `Checks the WinRM client of ${sync.host}, the ports to every domain controller and Exchange server, and opens each remote PowerShell session the management agents use.`,
    description: [
      'Read-only. Every required TCP port is probed with a 3-second connect; UDP ports cannot be probed that way and are reported as not testable, with the check that covers them instead.',
      'Each session test runs New-PSSession as the account the management agent uses. A failure is explained with the troubleshooting map in PLAN.md. Run it from 64-bit PowerShell, as the sync engine does.',
    ],
    summary: 'Read-only checks: client settings, ports, Exchange session tests',
    data: {
      trustedHosts: sync.trustedHosts,
      trustedHostsPolicy: withPolicy([{ path: 'WSMan:\\localhost\\Client\\TrustedHosts', value: sync.trustedHosts.join(',') }])[0]!,
      clientSettings: clientSettingRows,
      tcp: tcp.map((f) => ({ to: f.to, port: f.port, purpose: f.purpose })),
      udp: udp.map((f) => ({ to: f.to, port: f.port, purpose: f.purpose, check: f.check })),
      dnsQueries,
      credentials: credentials.map(({ index, account, vault, vaultName, secretName }) => ({ index, account, vault, vaultName, secretName })),
      sessions: sessions.map((s) => ({ ...s, credentialIndex: credentials.find((c) => c.key === s.credentialKey)!.index })),
      ipv4Preference: ipv4PreferenceCheck(sync),
      executionPolicy: sync.executionPolicy === 'unmanaged' ? null : policyValue[sync.executionPolicy],
    },
    kind: 'check',
  }
  );
  if (sessions.some((s) => s.vault)) notes.push('The session tests read credentials with Get-Secret: install Microsoft.PowerShell.SecretManagement and register the vault on this server first.');
  notes.push(...secondHopNotes(sync.connections));
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
