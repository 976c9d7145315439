/**
 * The WSMan: settings and listener rows of a host, built once for the step that sets them and
 * the verify script that checks them.
 */
import type { ExchangeModel, SyncServerModel } from '../model/model.js';
import { cbtValue } from './steps.js';

export interface WsmanSetting {
  path: string;
  value: string;
}

/**
 * The Group Policy value that overrides each WSMan: setting (WindowsRemoteManagement.admx, see
 * docs/reference/powershell-commands.md 1.4); Set-Item fails on a policy-controlled setting.
 */
const WINRM_POLICY: Record<string, string> = {
  'Service\\AllowUnencrypted': 'AllowUnencryptedTraffic',
  'Service\\IPv4Filter': 'IPv4Filter',
  'Service\\IPv6Filter': 'IPv6Filter',
  'Service\\Auth\\Basic': 'AllowBasic',
  'Service\\Auth\\Kerberos': 'AllowKerberos',
  'Service\\Auth\\Negotiate': 'AllowNegotiate',
  'Service\\Auth\\CredSSP': 'AllowCredSSP',
  'Service\\Auth\\CbtHardeningLevel': 'CBTHardeningLevelStatus',
  'Client\\AllowUnencrypted': 'AllowUnencryptedTraffic',
  'Client\\Auth\\Basic': 'AllowBasic',
  'Client\\Auth\\Digest': 'AllowDigest',
  'Client\\Auth\\Kerberos': 'AllowKerberos',
  'Client\\Auth\\Negotiate': 'AllowNegotiate',
  'Client\\Auth\\CredSSP': 'AllowCredSSP',
};

export function withPolicy(settings: { path: string; value: string }[]) {
  return settings.map((s) => {
    const relative = s.path.replace('WSMan:\\localhost\\', '');
    const name = WINRM_POLICY[relative];
    const key = `HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\${relative.startsWith('Client') ? 'Client' : 'Service'}`;
    return { ...s, policyKey: name ? key : '', policyName: name ?? '' };
  });
}

type WinrmService = NonNullable<ExchangeModel['winrm']>;

/** AllowUnencrypted and the address filters of the WinRM service. */
export function serviceOptionSettings(w: WinrmService): WsmanSetting[] {
  return [
    { path: 'WSMan:\\localhost\\Service\\AllowUnencrypted', value: String(w.allowUnencrypted) },
    { path: 'WSMan:\\localhost\\Service\\IPv4Filter', value: w.ipv4Filter },
    { path: 'WSMan:\\localhost\\Service\\IPv6Filter', value: w.ipv6Filter },
  ];
}

/** The WinRM service authentication settings and CbtHardeningLevel. */
export function serviceAuthSettings(w: WinrmService): WsmanSetting[] {
  return [
    { path: 'WSMan:\\localhost\\Service\\Auth\\Kerberos', value: String(w.auth.kerberos) },
    { path: 'WSMan:\\localhost\\Service\\Auth\\Negotiate', value: String(w.auth.negotiate) },
    { path: 'WSMan:\\localhost\\Service\\Auth\\Basic', value: String(w.auth.basic) },
    { path: 'WSMan:\\localhost\\Service\\Auth\\Certificate', value: String(w.auth.certificate) },
    { path: 'WSMan:\\localhost\\Service\\Auth\\CredSSP', value: String(w.auth.credSSP) },
    { path: 'WSMan:\\localhost\\Service\\Auth\\CbtHardeningLevel', value: cbtValue[w.auth.cbtHardening] },
  ];
}

/** The client settings a sync server's spec names: only those, Windows' other defaults stay. */
export function clientSettings(sync: SyncServerModel): WsmanSetting[] {
  return [
    ...(sync.clientAuth
      ? (['Kerberos', 'Negotiate', 'Basic', 'Digest', 'Certificate', 'CredSSP'] as const).flatMap((name) => {
          const value = sync.clientAuth![(name === 'CredSSP' ? 'credSSP' : name.toLowerCase()) as keyof NonNullable<SyncServerModel['clientAuth']>];
          return value === undefined ? [] : [{ path: `WSMan:\\localhost\\Client\\Auth\\${name}`, value: String(value) }];
        })
      : []),
    ...(sync.clientAllowUnencrypted !== null ? [{ path: 'WSMan:\\localhost\\Client\\AllowUnencrypted', value: String(sync.clientAllowUnencrypted) }] : []),
  ];
}

/** A listener as the listener step creates it and verify.ps1 checks it. */
export function listenerRow(l: WinrmService['listeners'][number], serverHost: string) {
  return {
    transport: l.transport.toUpperCase(),
    https: l.transport === 'https',
    address: l.address,
    port: l.port,
    hostName: l.hostName ?? '',
    thumbprint: l.certificate?.kind === 'thumbprint' ? l.certificate.thumbprint : null,
    selfSigned: l.certificate?.kind === 'self-signed',
    selfSignedName: l.certificate?.kind === 'self-signed' ? (l.certificate.dnsNames[0] ?? l.hostName ?? serverHost) : null,
    selfSignedNames: l.certificate?.kind === 'self-signed' ? l.certificate.dnsNames : [],
    dnsNames: l.certificate?.dnsNames ?? [],
  };
}
