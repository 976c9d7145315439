/**
 * The Group Policy value that governs each WinRM setting a generated step changes or relies on.
 *
 * Facts from Microsoft's Policy CSP pages, "ADMX mapping" tables (MicrosoftDocs/windows-itpro-docs,
 * windows/client-management/mdm/policy-csp-remotemanagement.md for WindowsRemoteManagement.admx,
 * policy-csp-admx-windowsremotemanagement.md for the two Disallow Kerberos policies, and
 * policy-csp-remoteshell.md for WindowsRemoteShell.admx). Registry data: the Allow*
 * policies write 1 when enabled and 0 when disabled; the Disallow* policies write their Allow*
 * value 0 when enabled (as the STIG and CIS checks in baselines/ read them). Policies with a value
 * element (channel binding hardening, TrustedHosts, the remote management address filters) hold
 * an enable flag plus the element; a flag of 0 means the policy is disabled and the local value
 * applies (CBTHardeningLevelStatus, TrustedHosts). WinRM shows a policy value in the WSMan: drive
 * (SourceOfValue GPO) and refuses Set-Item on it.
 */

import type { PolicySetting, RemoteAccessPolicy } from './template-data.js';

export const POLICY_ROOT = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM';

export interface WinRMPolicy {
  /** Registry key of the policy, as a PowerShell HKLM: path. */
  key: string;
  /** Registry value the policy writes (the enable flag for a policy with an element). */
  valueName: string;
  /** The value element that carries the setting, for a policy with one ('' for a plain 0/1 policy). */
  element: string;
  /** The policy as the Group Policy editor names it, with its folder under Windows Components. */
  title: string;
}

const service = `${POLICY_ROOT}\\Service`;
const client = `${POLICY_ROOT}\\Client`;
const winrmService = 'Windows Remote Management (WinRM) > WinRM Service';
const winrmClient = 'Windows Remote Management (WinRM) > WinRM Client';

/** WSMan: setting (below localhost\) -> the policy that governs it. Auth\Certificate has no policy. */
const BY_SETTING: Record<string, WinRMPolicy> = {
  'Service\\AllowUnencrypted': { key: service, valueName: 'AllowUnencryptedTraffic', element: '', title: `${winrmService} > Allow unencrypted traffic` },
  'Service\\IPv4Filter': { key: service, valueName: 'AllowAutoConfig', element: 'IPv4Filter', title: `${winrmService} > Allow remote server management through WinRM (IPv4 filter)` },
  'Service\\IPv6Filter': { key: service, valueName: 'AllowAutoConfig', element: 'IPv6Filter', title: `${winrmService} > Allow remote server management through WinRM (IPv6 filter)` },
  'Service\\Auth\\Basic': { key: service, valueName: 'AllowBasic', element: '', title: `${winrmService} > Allow Basic authentication` },
  'Service\\Auth\\Kerberos': { key: service, valueName: 'AllowKerberos', element: '', title: `${winrmService} > Disallow Kerberos authentication` },
  'Service\\Auth\\Negotiate': { key: service, valueName: 'AllowNegotiate', element: '', title: `${winrmService} > Disallow Negotiate authentication` },
  'Service\\Auth\\CredSSP': { key: service, valueName: 'AllowCredSSP', element: '', title: `${winrmService} > Allow CredSSP authentication` },
  'Service\\Auth\\CbtHardeningLevel': { key: service, valueName: 'CBTHardeningLevelStatus', element: 'CbtHardeningLevel', title: `${winrmService} > Specify channel binding token hardening level` },
  'Client\\AllowUnencrypted': { key: client, valueName: 'AllowUnencryptedTraffic', element: '', title: `${winrmClient} > Allow unencrypted traffic` },
  'Client\\TrustedHosts': { key: client, valueName: 'TrustedHosts', element: 'TrustedHostsList', title: `${winrmClient} > Trusted Hosts` },
  'Client\\Auth\\Basic': { key: client, valueName: 'AllowBasic', element: '', title: `${winrmClient} > Allow Basic authentication` },
  'Client\\Auth\\Digest': { key: client, valueName: 'AllowDigest', element: '', title: `${winrmClient} > Disallow Digest authentication` },
  'Client\\Auth\\Kerberos': { key: client, valueName: 'AllowKerberos', element: '', title: `${winrmClient} > Disallow Kerberos authentication` },
  'Client\\Auth\\Negotiate': { key: client, valueName: 'AllowNegotiate', element: '', title: `${winrmClient} > Disallow Negotiate authentication` },
  'Client\\Auth\\CredSSP': { key: client, valueName: 'AllowCredSSP', element: '', title: `${winrmClient} > Allow CredSSP authentication` },
};

/** The policy that governs a WSMan: path (WSMan:\localhost\...), or null when none does. */
export function policyOf(wsmanPath: string): WinRMPolicy | null {
  return POLICY_BY_PATH.get(wsmanPath) ?? null;
}

// Looked up once per setting of every host: a Map keyed by the path as written, with and without
// the WSMan:\localhost\ prefix (a string rebuilt and looked up on the object per call was a
// tenth of planning).
const POLICY_BY_PATH = new Map<string, WinRMPolicy>(Object.entries(BY_SETTING).flatMap(([setting, policy]) => [[setting, policy], [`WSMan:\\localhost\\${setting}`, policy]] as [string, WinRMPolicy][]));

/**
 * Policies with no local WSMan: setting of their own that a host needs in one state for the spec's
 * connections to work: remote requests accepted (disabling "Allow remote server management" makes the
 * service answer no remote request, whatever its listeners) and remote shells accepted (a disabled
 * "Allow Remote Shell Access" refuses every new shell, PowerShell remoting sessions included).
 */
export const REMOTE_ACCESS_POLICIES: { setting: string; wanted: 'true'; policy: WinRMPolicy }[] = [
  {
    setting: 'WinRM remote requests accepted',
    wanted: 'true',
    policy: { key: service, valueName: 'AllowAutoConfig', element: '', title: `${winrmService} > Allow remote server management through WinRM` },
  },
  {
    setting: 'WinRM remote shell access',
    wanted: 'true',
    policy: { key: `${service}\\WinRS`, valueName: 'AllowRemoteShellAccess', element: '', title: 'Windows Remote Shell > Allow Remote Shell Access' },
  },
];

/** Template data for one setting: its path, the spec's value and its policy ('' fields when none governs it). */
export function withPolicy(settings: { path: string; value: string }[]): PolicySetting[] {
  return settings.map((s) => {
    const p = policyOf(s.path);
    // Field by field, not a spread: one object shape for every setting of every host (a spread
    // of settings built at many places was a tenth of planning).
    return { path: s.path, value: s.value, policyKey: p?.key ?? '', policyName: p?.valueName ?? '', policyElement: p?.element ?? '', policyTitle: p?.title ?? '' };
  });
}

/** Template data for the remote access policies of an Exchange server. */
export function remoteAccessPolicies(): RemoteAccessPolicy[] {
  return REMOTE_ACCESS_POLICIES.map((r) => ({
    setting: r.setting,
    value: r.wanted,
    policyKey: r.policy.key,
    policyName: r.policy.valueName,
    policyElement: r.policy.element,
    policyTitle: r.policy.title,
  }));
}
