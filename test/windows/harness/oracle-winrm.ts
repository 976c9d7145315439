/**
 * What the spec says the WinRM side of each host must look like once its steps have run,
 * written from the model (the spec with its defaults applied), never from the scripts: the
 * WinRM service, listeners, service options and authentication, Remote Management Users,
 * remoting enabled for the network, the firewall rules of the port matrix, and on the sync
 * server TrustedHosts, client authentication, execution policy and the IPv4 preference.
 *
 * Each expectation can also drift its setting away from the spec, so the verify property can
 * check that verify.ps1 notices and names it.
 */
import type { EnvironmentModel, ExchangeModel, SyncServerModel } from '../../../src/model/model.js';
import type { Plan } from '../../../src/plan/plan.js';
import { accountNames, DEFAULT_PREFIX_POLICIES, hostModel, SECOND_HOP_MARKER, type SimState } from './default-state.js';

export interface Expectation {
  /** The setting, as verify.ps1 must name it when it fails (matched case-insensitively in a FAIL line). */
  setting: string;
  holds(state: SimState): boolean;
  drift(state: SimState): void;
  /** Group Policy values that can decide this setting: one that satisfies the spec and one that contradicts it. */
  policies?: PolicyCase[];
}

/**
 * One Group Policy state of a host: registry values under HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM
 * (value names from Microsoft's Policy CSP ADMX mappings), and the listener WinRM then creates.
 */
export interface PolicyCase {
  /** Whether this policy value satisfies the spec. */
  satisfies: boolean;
  key: string;
  values: Record<string, number | string>;
  /** Names a step and verify.ps1 must print when they report the policy (the value names). */
  names: string[];
  /** The local WSMan: setting (below localhost\) that no step may write under the policy. */
  wsman?: string;
  /** "Allow remote server management through WinRM" enabled: WinRM listens on HTTP * 5985 (Source GPO). */
  policyListener?: boolean;
}

const SERVICE_POLICY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service';
const CLIENT_POLICY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client';
const SHELL_POLICY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service\\WinRS';

/** The state a policy case gives a host: the registry values, and the policy listener replacing a local HTTP * one. */
export function applyPolicy(state: SimState, p: PolicyCase): void {
  state.registry ??= {};
  const key = Object.keys(state.registry).find((k) => k.toLowerCase() === p.key.toLowerCase()) ?? p.key;
  const values = (state.registry[key] ??= {});
  for (const [name, value] of Object.entries(p.values)) values[name] = { type: typeof value === 'number' ? 'DWord' : 'String', value };
  if (p.policyListener) {
    const others = (state.wsman.listeners ?? []).filter((l: any) => !(lower(l.Transport) === 'http' && l.Address === '*'));
    state.wsman.listeners = [...others, { Address: '*', Transport: 'HTTP', Port: '5985', Hostname: '', Enabled: 'true', URLPrefix: 'wsman', CertificateThumbprint: '', Source: 'GPO' }];
  }
}

function registryValue(state: SimState, key: string, name: string): unknown {
  const k = Object.keys(state.registry ?? {}).find((x) => x.toLowerCase() === key.toLowerCase());
  const v = k ? state.registry[k]?.[name]?.value : undefined;
  return v === null ? undefined : v;
}

const lower = (v: unknown) => String(v ?? '').toLowerCase();

function wsmanNode(state: SimState, path: string): { parent: Record<string, any>; key: string } {
  const parts = path.split('\\');
  let node: Record<string, any> = state.wsman;
  for (const p of parts.slice(0, -1)) {
    const k = Object.keys(node).find((x) => x.toLowerCase() === p.toLowerCase())!;
    node = node[k];
  }
  const last = parts[parts.length - 1]!;
  return { parent: node, key: Object.keys(node).find((x) => x.toLowerCase() === last.toLowerCase()) ?? last };
}

function wsmanValue(state: SimState, path: string): string {
  const { parent, key } = wsmanNode(state, path);
  return String(parent[key] ?? '');
}

/**
 * How a policy decides a WSMan: setting: a 0/1 value (Allow*, and the Disallow* policies that write their
 * Allow* value 0 when enabled), or an enable flag with a value element (CBT hardening level, TrustedHostsList,
 * the address filters of "Allow remote server management through WinRM"); a flag of 0 leaves the local value.
 */
interface PolicyDef {
  key: string;
  name: string;
  element?: string;
  /** Other elements of the same policy, at the spec's values (the second address filter). */
  others?: Record<string, string>;
  policyListener?: boolean;
}

/** The value Group Policy imposes on a setting, in the WSMan: drive's form, or undefined when no policy decides it. */
function policyValue(state: SimState, d: PolicyDef | undefined): string | undefined {
  if (!d) return undefined;
  const v = registryValue(state, d.key, d.name);
  if (v === undefined) return undefined;
  if (d.element) {
    if (Number(v) === 0) return undefined;
    return String(registryValue(state, d.key, d.element) ?? '');
  }
  return Number(v) !== 0 ? 'true' : 'false';
}

/** A value other than the spec's, of the same kind. */
function otherThan(want: string): string {
  if (want === 'true') return 'false';
  if (want === 'false') return 'true';
  if (want === 'Strict') return 'Relaxed';
  if (want === 'Relaxed' || want === 'None') return 'Strict';
  return want === '*' ? '10.0.0.1' : '*';
}

function policyCases(d: PolicyDef, want: string, wsman: string): PolicyCase[] {
  const names = d.element ? [d.name, d.element] : [d.name];
  const valueFor = (v: string): Record<string, number | string> =>
    d.element ? { [d.name]: 1, [d.element]: v, ...(d.others ?? {}) } : { [d.name]: v === 'true' ? 1 : 0 };
  return [
    { satisfies: true, key: d.key, values: valueFor(want), names, wsman, policyListener: d.policyListener },
    { satisfies: false, key: d.key, values: valueFor(otherThan(want)), names, wsman, policyListener: d.policyListener },
  ];
}

function wsmanSetting(path: string, want: string, policy?: PolicyDef): Expectation {
  const full = `WSMan:\\localhost\\${path}`;
  return {
    setting: full,
    // The effective value: a Group Policy value wins over the local one, as in the WSMan: drive.
    holds: (s) => lower(policyValue(s, policy) ?? wsmanValue(s, path)) === lower(want),
    drift: (s) => {
      const { parent, key } = wsmanNode(s, path);
      parent[key] = otherThan(want);
    },
    ...(policy ? { policies: policyCases(policy, want, path) } : {}),
  };
}

/**
 * A policy with no local setting that must not refuse what the spec needs: remote requests
 * ("Allow remote server management through WinRM" disabled: the service answers no remote request)
 * and remote shells ("Allow Remote Shell Access" disabled: every new shell is refused).
 */
function remoteAccess(setting: string, key: string, name: string, satisfying: Record<string, number | string> | null, policyListener: boolean): Expectation {
  return {
    setting,
    holds: (s) => {
      const v = registryValue(s, key, name);
      return v === undefined || Number(v) !== 0;
    },
    drift: (s) => applyPolicy(s, { satisfies: false, key, values: { [name]: 0 }, names: [name] }),
    policies: [
      ...(satisfying ? [{ satisfies: true, key, values: satisfying, names: [name], policyListener }] : []),
      { satisfies: false, key, values: { [name]: 0 }, names: [name] },
    ],
  };
}

function sidFor(state: SimState, account: string, environment: EnvironmentModel): string | undefined {
  for (const name of accountNames(account, environment)) {
    const k = Object.keys(state.accounts ?? {}).find((x) => x.toLowerCase() === name.toLowerCase());
    if (k) return state.accounts[k];
  }
  return undefined;
}

/** Whether WinRM's policy listener (HTTP * 5985) agrees with the spec's listeners. */
function policyListenerFits(ex: ExchangeModel): boolean {
  return !(ex.winrm?.listeners ?? []).some((l) => l.transport === 'http' && l.address === '*' && l.port !== 5985);
}

function exchangeExpectations(plan: Plan, ex: ExchangeModel): Expectation[] {
  const list: Expectation[] = [];
  list.push({
    setting: 'WinRM service automatic and running',
    holds: (s) => s.services.WinRM.status === 'Running' && s.services.WinRM.startMode === 'Auto',
    drift: (s) => {
      s.services.WinRM.startMode = 'Manual';
    },
  });
  list.push({
    setting: 'PowerShell remoting',
    holds: (s) => {
      const c = s.sessionConfigurations?.['microsoft.powershell'] ?? s.sessionConfigurations?.['Microsoft.PowerShell'];
      return !!c && c.enabled === true && !(c.permissions ?? []).some((p: any) => p.sid === 'S-1-5-2' && p.access === 'AccessDenied');
    },
    drift: (s) => {
      // What Disable-PSRemoting leaves: Enabled stays true, NETWORK is denied.
      for (const c of Object.values<any>(s.sessionConfigurations ?? {})) {
        c.permissions = [{ sid: 'S-1-5-2', account: 'NT AUTHORITY\\NETWORK', access: 'AccessDenied' }, ...(c.permissions ?? [])];
      }
    },
  });
  // Every Exchange server takes remote sessions: Group Policy must not refuse remote requests or remote shells.
  const filters = { IPv4Filter: ex.winrm?.ipv4Filter ?? '*', IPv6Filter: ex.winrm?.ipv6Filter ?? '*' };
  const fits = policyListenerFits(ex);
  list.push(remoteAccess('WinRM remote requests accepted', SERVICE_POLICY, 'AllowAutoConfig', fits ? { AllowAutoConfig: 1, ...filters } : null, true));
  list.push(remoteAccess('WinRM remote shell access', SHELL_POLICY, 'AllowRemoteShellAccess', { AllowRemoteShellAccess: 1 }, false));
  const w = ex.winrm;
  if (w) {
    for (const l of w.listeners) {
      const transport = l.transport.toUpperCase();
      const label = `listener ${transport} ${l.address}:${l.port}`;
      const find = (s: SimState) => (s.wsman.listeners ?? []).find((x: any) => lower(x.Transport) === lower(transport) && x.Address === l.address && x.Source !== 'Compatibility');
      list.push({
        setting: label,
        holds: (s) => {
          const x = find(s);
          if (!x || Number(x.Port) !== l.port || lower(x.Enabled) !== 'true') return false;
          if (transport === 'HTTPS') {
            if (lower(x.Hostname) !== lower(l.hostName)) return false;
            const cert = (s.certificates?.My ?? []).find((c: any) => lower(c.Thumbprint) === lower(x.CertificateThumbprint));
            if (!cert) return false;
            if (l.certificate?.kind === 'thumbprint' && lower(l.certificate.thumbprint) !== lower(x.CertificateThumbprint)) return false;
            const names: string[] = (cert.DnsNameList ?? []).map(lower);
            const wanted = l.certificate?.dnsNames.length ? l.certificate.dnsNames : [l.hostName ?? ex.host];
            if (!wanted.every((n) => names.includes(lower(n)))) return false;
          }
          return true;
        },
        drift: (s) => {
          const x = find(s);
          if (x) x.Port = l.port + 1;
        },
      });
    }
    const a = w.auth;
    list.push(wsmanSetting('Service\\Auth\\Kerberos', String(a.kerberos), { key: SERVICE_POLICY, name: 'AllowKerberos' }));
    list.push(wsmanSetting('Service\\Auth\\Negotiate', String(a.negotiate), { key: SERVICE_POLICY, name: 'AllowNegotiate' }));
    list.push(wsmanSetting('Service\\Auth\\Basic', String(a.basic), { key: SERVICE_POLICY, name: 'AllowBasic' }));
    list.push(wsmanSetting('Service\\Auth\\Certificate', String(a.certificate)));
    list.push(wsmanSetting('Service\\Auth\\CredSSP', String(a.credSSP), { key: SERVICE_POLICY, name: 'AllowCredSSP' }));
    const cbt = a.cbtHardening[0]!.toUpperCase() + a.cbtHardening.slice(1);
    list.push(wsmanSetting('Service\\Auth\\CbtHardeningLevel', cbt, { key: SERVICE_POLICY, name: 'CBTHardeningLevelStatus', element: 'CbtHardeningLevel' }));
    list.push(wsmanSetting('Service\\AllowUnencrypted', String(w.allowUnencrypted), { key: SERVICE_POLICY, name: 'AllowUnencryptedTraffic' }));
    // The address filters are elements of "Allow remote server management through WinRM", which also makes
    // WinRM listen on HTTP * 5985: a satisfying policy only where the spec asks for no other HTTP * port.
    const listener = policyListenerFits(ex);
    list.push(wsmanSetting('Service\\IPv4Filter', w.ipv4Filter, listener ? { key: SERVICE_POLICY, name: 'AllowAutoConfig', element: 'IPv4Filter', others: { IPv6Filter: w.ipv6Filter }, policyListener: true } : undefined));
    list.push(wsmanSetting('Service\\IPv6Filter', w.ipv6Filter, listener ? { key: SERVICE_POLICY, name: 'AllowAutoConfig', element: 'IPv6Filter', others: { IPv4Filter: w.ipv4Filter }, policyListener: true } : undefined));
  }
  // Windows Server 2008 R2 has no Remote Management Users group: PLAN.md tells the operator to grant access by hand.
  for (const member of ex.os.remoteManagementUsersGroup ? ex.remoteManagementUsers : []) {
    list.push({
      setting: `${member} in Remote Management Users`,
      holds: (s) => {
        const sid = sidFor(s, member, plan.environment);
        const g = s.localGroups?.['Remote Management Users'];
        return !!g && (g.members ?? []).some((m: any) => m.sid === sid);
      },
      drift: (s) => {
        const sid = sidFor(s, member, plan.environment);
        const g = s.localGroups?.['Remote Management Users'];
        if (g) g.members = (g.members ?? []).filter((m: any) => m.sid !== sid);
      },
    });
  }
  if (ex.firewall.manage) {
    for (const rule of plan.firewallRules.filter((r) => r.host === ex.host)) {
      const find = (s: SimState) => (s.firewall?.rules ?? []).find((r: any) => r.Name === rule.name);
      list.push({
        setting: `firewall rule ${rule.name}`,
        holds: (s) => {
          const r = find(s);
          if (!r || String(r.Enabled) !== 'True' || r.Action !== 'Allow' || r.Direction !== 'Inbound') return false;
          const ports = [r.LocalPort].flat().map(String);
          const addresses = [r.RemoteAddress].flat().map(String).sort();
          return ports.length === 1 && ports[0] === String(rule.port) && addresses.join(',') === [...rule.remoteAddresses].sort().join(',');
        },
        drift: (s) => {
          const r = find(s);
          if (r) r.Enabled = 'False';
        },
      });
    }
    // Every declared listener HTTPS: the built-in rules for plain HTTP 5985 that Enable-PSRemoting
    // enables (Microsoft's names) must not admit the network.
    const listeners = ex.winrm?.listeners ?? [];
    const httpsOnly = listeners.length > 0 && listeners.every((l) => l.transport === 'https');
    if (httpsOnly && plan.firewallRules.some((r) => r.host === ex.host)) {
      for (const name of ['WINRM-HTTP-In-TCP', 'WINRM-HTTP-In-TCP-PUBLIC']) {
        list.push({
          setting: `built-in rule ${name} disabled`,
          holds: (s) => {
            const r = (s.firewall?.rules ?? []).find((x: any) => x.Name === name);
            return !r || String(r.Enabled) !== 'True';
          },
          drift: (s) => {
            const rules = (s.firewall.rules ??= []);
            const r = rules.find((x: any) => x.Name === name);
            if (r) r.Enabled = 'True';
            else rules.push({ Name: name, DisplayName: 'Windows Remote Management (HTTP-In)', Group: 'Windows Remote Management', Direction: 'Inbound', Protocol: 'TCP', LocalPort: ['5985'], RemoteAddress: ['Any'], Action: 'Allow', Profile: 'Domain, Private', Enabled: 'True' });
          },
        });
      }
    }
  }
  return list;
}

const POLICY_NAMES: Record<string, string> = {
  'all-signed': 'AllSigned',
  'remote-signed': 'RemoteSigned',
  unrestricted: 'Unrestricted',
  bypass: 'Bypass',
};

function syncExpectations(sync: SyncServerModel): Expectation[] {
  const list: Expectation[] = [];
  for (const c of sync.connections) {
    if (!c.secondHop || c.endpoint !== 'winrm') continue;
    const hop = c.secondHop;
    const first = new URL(c.uri).hostname.toLowerCase();
    const answer = (s: SimState) => s.remote?.[first]?.commands?.[SECOND_HOP_MARKER];
    list.push({
      setting: `second hop ${c.exchange} -> ${hop.service} ${hop.host}:${hop.port}`,
      holds: (s) => answer(s)?.Ok === true,
      drift: (s) => {
        const a = answer(s);
        if (a) {
          a.Ok = false;
          a.Detail = `from ${first}: Access is denied.`;
        }
      },
    });
  }
  list.push({
    setting: 'WinRM service running',
    holds: (s) => s.services.WinRM.status === 'Running',
    drift: (s) => {
      s.services.WinRM.status = 'Stopped';
    },
  });
  for (const entry of sync.trustedHosts) {
    list.push({
      setting: `TrustedHosts contains ${entry}`,
      holds: (s) => {
        const effective = policyValue(s, { key: CLIENT_POLICY, name: 'TrustedHosts', element: 'TrustedHostsList' });
        const v = (effective ?? wsmanValue(s, 'Client\\TrustedHosts')).split(',').map((x) => x.trim().toLowerCase());
        return v.includes(entry.toLowerCase()) || v.includes('*');
      },
      drift: (s) => {
        const { parent, key } = wsmanNode(s, 'Client\\TrustedHosts');
        parent[key] = String(parent[key] ?? '')
          .split(',')
          .filter((x) => x.trim().toLowerCase() !== entry.toLowerCase() && x.trim() !== '*')
          .join(',');
      },
      policies: [
        { satisfies: true, key: CLIENT_POLICY, values: { TrustedHosts: 1, TrustedHostsList: sync.trustedHosts.join(',') }, names: ['TrustedHosts', 'TrustedHostsList'], wsman: 'Client\\TrustedHosts' },
        { satisfies: false, key: CLIENT_POLICY, values: { TrustedHosts: 1, TrustedHostsList: 'unlisted.example.invalid' }, names: ['TrustedHosts', 'TrustedHostsList'], wsman: 'Client\\TrustedHosts' },
      ],
    });
  }
  const names: Record<string, string> = { kerberos: 'Kerberos', negotiate: 'Negotiate', basic: 'Basic', digest: 'Digest', certificate: 'Certificate', credSSP: 'CredSSP' };
  for (const [k, v] of Object.entries(sync.clientAuth ?? {})) {
    if (v === undefined) continue;
    const policyName = k === 'certificate' ? undefined : `Allow${names[k]}`;
    list.push(wsmanSetting(`Client\\Auth\\${names[k]}`, String(v), policyName ? { key: CLIENT_POLICY, name: policyName } : undefined));
  }
  if (sync.clientAllowUnencrypted !== null) {
    list.push(wsmanSetting('Client\\AllowUnencrypted', String(sync.clientAllowUnencrypted), { key: CLIENT_POLICY, name: 'AllowUnencryptedTraffic' }));
  }
  const wanted = POLICY_NAMES[sync.executionPolicy];
  if (wanted) {
    list.push({
      setting: `execution policy ${wanted}`,
      holds: (s) => lower(s.executionPolicy?.LocalMachine) === lower(wanted),
      drift: (s) => {
        s.executionPolicy.LocalMachine = wanted === 'Restricted' ? 'AllSigned' : 'Restricted';
      },
    });
  }
  return list;
}

/** Expectations for the IPv4 preference the spec asks of a host (registry and/or prefix policy). */
function ipv4Expectations(host: { preferIPv4: string; disabledComponents: number }): Expectation[] {
  const list: Expectation[] = [];
  const key = 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters';
  if (host.preferIPv4 === 'registry' || host.preferIPv4 === 'both') {
    list.push({
      setting: 'DisabledComponents',
      holds: (s) => {
        const values = s.registry?.[key] ?? {};
        const v = values.DisabledComponents?.value;
        return v !== undefined && (Number(v) & host.disabledComponents) === host.disabledComponents;
      },
      drift: (s) => {
        delete s.registry[key].DisabledComponents;
      },
    });
  }
  if (host.preferIPv4 === 'registry') {
    // DisabledComponents alone: in effect once the host has restarted (the run order's restart stage).
    list.push({
      setting: 'IPv4 preference in effect',
      holds: (s) => {
        const table: any[] = s.prefixPolicies?.active ?? [];
        const mapped = table.find((p) => p.prefix === '::ffff:0:0/96');
        const def = table.find((p) => p.prefix === '::/0');
        return !!mapped && !!def && mapped.precedence > def.precedence;
      },
      drift: (s) => {
        // The value is still set, the running table is Windows' default again: a restart is pending.
        s.prefixPolicies.active = DEFAULT_PREFIX_POLICIES.map((p) => ({ ...p }));
      },
    });
  }
  if (host.preferIPv4 === 'prefix-policy' || host.preferIPv4 === 'both') {
    list.push({
      setting: 'prefix policy ::ffff:0:0/96',
      holds: (s) => {
        const table: any[] = s.prefixPolicies?.active ?? [];
        const mapped = table.find((p) => p.prefix === '::ffff:0:0/96');
        const def = table.find((p) => p.prefix === '::/0');
        return !!mapped && !!def && mapped.precedence > def.precedence;
      },
      drift: (s) => {
        const mapped = (s.prefixPolicies.active as any[]).find((p) => p.prefix === '::ffff:0:0/96');
        if (mapped) mapped.precedence = 35;
      },
    });
  }
  return list;
}

export function expectationsFor(plan: Plan, hostName: string): Expectation[] {
  const m = hostModel(plan.environment, hostName);
  if (m.kind === 'exchange') return [...exchangeExpectations(plan, m), ...ipv4Expectations(m)];
  if (m.kind === 'sync-server') return [...syncExpectations(m), ...ipv4Expectations(m)];
  return [];
}
