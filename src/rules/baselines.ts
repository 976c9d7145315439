/**
 * Compliance baselines (DISA STIG, CIS benchmarks) as data: one JSON file per baseline and
 * version in baselines/, each control with its IDs, severity or level, the Group Policy
 * registry value it requires and the public source it was checked against.
 *
 * `evaluateBaseline` is pure: it says, for every managed host whose OS the baseline covers and
 * every control, whether the spec meets it, deviates from it (the located spec value and the
 * scenario that needs it) or does not touch it. The `baseline-deviation` rule reports the
 * deviations; PLAN.md's Compliance section lists every result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../shared/paths.js';
import { connectionsTo, exchangeServers, syncServers, type ExchangeFacts, type Facts, type SyncFacts } from './facts.js';
import type { SpecPath } from './rule.js';
import type { OsVersion } from '../spec/spec-types.js';
import { byCodePoint } from '../shared/order.js';

export interface RegistryValue {
  key: string;
  value: string;
  type: 'REG_DWORD';
  data: number;
}

export interface BaselineControl {
  /** The control's IDs: STIG ID and vulnerability ID, or the CIS section number. */
  ids: string[];
  /** What the control requires, in our words. */
  title: string;
  /** STIG category (CAT I, CAT II, CAT III); absent for CIS. */
  severity?: string;
  /** CIS profile level (1 or 2); absent for STIG. */
  level?: number;
  registry: RegistryValue;
  /** The public source the IDs and the value were checked against. */
  source: string;
}

export interface BaselineFile {
  id: string;
  title: string;
  publisher: 'DISA' | 'CIS';
  /** Pinned benchmark version (CIS: section numbers change between versions). */
  benchmarkVersion?: string;
  os: OsVersion;
  note: string;
  controls: BaselineControl[];
}

/** A baseline as chosen with --baseline or defaults.baseline: a file, for CIS at one level. */
export interface Baseline {
  id: string;
  title: string;
  os: OsVersion;
  controls: BaselineControl[];
}

export const BASELINES_FOLDER = 'baselines';

let files: BaselineFile[] | undefined;

/** Every baseline file of the package, sorted by ID. */
export function baselineFiles(): BaselineFile[] {
  if (files) return files;
  const folder = join(packageRoot(), BASELINES_FOLDER);
  files = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort(byCodePoint)
    .map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as BaselineFile);
  return files;
}

/** The baselines one can choose: a STIG file as it is, a CIS file at level 1 (-l1) or 2 (-l2). */
export function baselines(): Baseline[] {
  return baselineFiles().flatMap((file): Baseline[] => {
    const title = file.benchmarkVersion ? `${file.title} v${file.benchmarkVersion}` : file.title;
    if (!file.controls.some((c) => c.level !== undefined)) return [{ id: file.id, title, os: file.os, controls: file.controls }];
    return [1, 2].map((level) => ({
      id: `${file.id}-l${level}`,
      title: `${title}, Level ${level}`,
      os: file.os,
      controls: file.controls.filter((c) => (c.level ?? 1) <= level),
    }));
  });
}

export function baselineIds(): string[] {
  return baselines().map((b) => b.id);
}

export function findBaseline(id: string): Baseline | undefined {
  return baselines().find((b) => b.id === id);
}

/** How a control's severity reads in messages: "CAT I", "Level 2". */
export function controlSeverity(control: BaselineControl): string {
  return control.severity ?? `Level ${control.level ?? 1}`;
}

const CLIENT = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client';
const SERVICE = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service';
const WINRS = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service\\WinRS';

/** The policy values winrm-forge knows how to compare with a spec, as `key\value=data`. */
export const KNOWN_POLICY_VALUES: readonly string[] = [
  `${CLIENT}\\AllowBasic=0`,
  `${CLIENT}\\AllowUnencryptedTraffic=0`,
  `${CLIENT}\\AllowDigest=0`,
  `${SERVICE}\\AllowBasic=0`,
  `${SERVICE}\\AllowUnencryptedTraffic=0`,
  `${SERVICE}\\DisableRunAs=1`,
  `${SERVICE}\\AllowAutoConfig=0`,
  `${WINRS}\\AllowRemoteShellAccess=0`,
];

export function policyValueName(r: RegistryValue): string {
  return `${r.key}\\${r.value}=${r.data}`;
}

export type ControlStatus = 'met' | 'deviated' | 'not-applicable';

export interface ControlResult {
  control: BaselineControl;
  host: string;
  status: ControlStatus;
  /** Deviations: the spec value that contradicts the control. */
  path?: SpecPath;
  /** Deviations: what the spec sets; others: why the control is met or not applicable. */
  what: string;
  /** Deviations: which part of the scenario needs the value. */
  scenario?: string;
  /** The policy value would break a connection of the spec outright (not just weaken it). */
  breaksConnection?: boolean;
}

interface Deviation {
  path: SpecPath;
  what: string;
  scenario: string;
  breaksConnection?: boolean;
}

function exchangeDeviations(facts: Facts, { model, index }: ExchangeFacts, policy: string): Deviation[] | 'not-applicable' {
  const winrm = model.winrm;
  const reaching = connectionsTo(facts, index);
  const basicUsers = reaching.filter((c) => c.connection.authentication === 'basic' && c.uri?.endpoint === 'winrm');
  const needers = (list: typeof basicUsers, what: string) =>
    list.length > 0 ? `needed by ${list.map(({ sync, connection }) => `${sync.host} (${connection.uri})`).join(', ')}` : `no connection of the spec needs ${what}`;
  switch (policy) {
    case `${SERVICE}\\AllowBasic=0`:
      return winrm?.auth.basic === true
        ? [{ path: ['exchange', index, 'winrm', 'auth', 'basic'], what: 'the WinRM service accepts Basic (winrm.auth.basic: true)', scenario: needers(basicUsers, 'it') }]
        : [];
    case `${SERVICE}\\AllowUnencryptedTraffic=0`:
      return winrm?.allowUnencrypted === true
        ? [{ path: ['exchange', index, 'winrm', 'allowUnencrypted'], what: 'the WinRM service accepts unencrypted traffic (winrm.allowUnencrypted: true)', scenario: 'no scenario needs it: WinRM encrypts Kerberos and Negotiate over HTTP, Basic needs HTTPS' }]
        : [];
    case `${SERVICE}\\DisableRunAs=1`:
      return [];
    case `${SERVICE}\\AllowAutoConfig=0`:
    case `${WINRS}\\AllowRemoteShellAccess=0`: {
      const overWinrm = reaching.filter((c) => c.uri?.endpoint === 'winrm');
      if (overWinrm.length === 0) return 'not-applicable';
      const effect = policy.endsWith('AllowAutoConfig=0') ? 'the WinRM service would not answer remote requests' : 'the WinRM service would refuse new remote shells';
      return overWinrm.map(({ sync, connection, path }) => ({
        path: [...path, 'uri'],
        what: `${sync.host} opens a PowerShell remoting session to ${connection.uri}`,
        scenario: `${effect}, so this connection fails`,
        breaksConnection: true,
      }));
    }
    default:
      return 'not-applicable';
  }
}

function syncDeviations({ sync, model, index }: SyncFacts, policy: string): Deviation[] | 'not-applicable' {
  switch (policy) {
    case `${CLIENT}\\AllowBasic=0`: {
      const out: Deviation[] = [];
      const basicConnections = sync.connections.filter((c) => c.authentication === 'basic').length;
      if (model.clientAuth?.basic === true) {
        out.push({
          path: ['syncServers', index, 'winrmClient', 'auth', 'basic'],
          what: 'the WinRM client allows Basic (winrmClient.auth.basic: true)',
          scenario: basicConnections > 0 ? `needed by the ${basicConnections === 1 ? 'Basic connection' : `${basicConnections} Basic connections`} of ${sync.host}` : 'no connection of the spec authenticates with Basic',
        });
      }
      sync.connections.forEach((c, j) => {
        if (c.authentication === 'basic') out.push({ path: ['syncServers', index, 'connections', j, 'authentication'], what: `the connection to ${c.uri} authenticates with Basic`, scenario: `${sync.host} needs the WinRM client's Basic authentication for it` });
      });
      return out;
    }
    case `${CLIENT}\\AllowUnencryptedTraffic=0`:
      return model.clientAllowUnencrypted === true
        ? [{ path: ['syncServers', index, 'winrmClient', 'allowUnencrypted'], what: 'the WinRM client sends unencrypted traffic (winrmClient.allowUnencrypted: true)', scenario: 'no scenario needs it: use Kerberos over http:// or Basic over https://' }]
        : [];
    case `${CLIENT}\\AllowDigest=0`:
      return model.clientAuth?.digest === true
        ? [{ path: ['syncServers', index, 'winrmClient', 'auth', 'digest'], what: 'the WinRM client allows Digest (winrmClient.auth.digest: true)', scenario: 'no connection of the spec authenticates with Digest' }]
        : [];
    default:
      return 'not-applicable';
  }
}

/**
 * Every control of `baseline` against every managed host: Exchange servers (WinRM service
 * controls) and sync servers (WinRM client controls). A host whose OS (declared, from defaults,
 * or the assumed Windows Server 2012 R2) is not the baseline's is not applicable as a whole.
 * Results are sorted by host, then in the baseline's control order.
 */
export function evaluateBaseline(facts: Facts, baseline: Baseline): ControlResult[] {
  const results: ControlResult[] = [];
  type Host = { host: string; os: OsVersion; index: number } & ({ role: 'exchange'; of: ExchangeFacts } | { role: 'sync'; of: SyncFacts });
  const hosts: Host[] = [
    ...exchangeServers(facts).map((x): Host => ({ host: x.model.host, os: x.model.os.os, role: 'exchange', of: x, index: x.index })),
    ...syncServers(facts).map((s): Host => ({ host: s.model.host, os: s.model.os.os, role: 'sync', of: s, index: s.index })),
  ].sort((a, b) => byCodePoint(a.host, b.host) || a.index - b.index);
  for (const h of hosts) {
    for (const control of baseline.controls) {
      const policy = policyValueName(control.registry);
      if (h.os !== baseline.os) {
        results.push({ control, host: h.host, status: 'not-applicable', what: `${h.host} runs ${h.os}, the baseline covers ${baseline.os}` });
        continue;
      }
      const outcome = h.role === 'exchange' ? exchangeDeviations(facts, h.of, policy) : syncDeviations(h.of, policy);
      if (outcome === 'not-applicable') {
        const why =
          h.role === 'sync'
            ? 'a WinRM service setting; the spec configures only the WinRM client of this host'
            : policy.startsWith(`${CLIENT}\\`)
              ? 'a WinRM client setting; the spec configures only the WinRM service of this host'
              : 'no connection of the spec uses PowerShell remoting (WinRM) to this host';
        results.push({ control, host: h.host, status: 'not-applicable', what: why });
      } else if (outcome.length === 0) {
        const why = policy.endsWith('DisableRunAs=1') ? 'the generated scripts store no RunAs credentials' : 'the spec leaves the value as the control requires';
        results.push({ control, host: h.host, status: 'met', what: why });
      } else {
        for (const d of outcome) results.push({ control, host: h.host, status: 'deviated', path: d.path, what: d.what, scenario: d.scenario, ...(d.breaksConnection ? { breaksConnection: true } : {}) });
      }
    }
  }
  return results;
}

/** The message of a deviation, as the rule reports it and PLAN.md matches it. */
export function deviationMessage(baseline: Baseline, r: ControlResult): string {
  const ids = r.control.ids.join(' / ');
  const breaks = r.breaksConnection ? ', which breaks a connection of this spec' : '';
  return `${r.host}: ${r.what} contradicts ${baseline.title} ${ids} (${controlSeverity(r.control)}: ${r.control.title}; ${policyValueName(r.control.registry)})${breaks}; ${r.scenario ?? ''}`.replace(/; $/, '');
}
