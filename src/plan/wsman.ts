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
