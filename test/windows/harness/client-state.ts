/**
 * The computer outside the network that runs an external client test
 * (clients/<published name>/external-client-test.ps1): not domain-joined, no configuration of
 * its own, and one remote end, the published name, as the converged proxy and Exchange servers
 * present it. Built from the spec and the converged states the run order left, never from the
 * script.
 */
import type { EnvironmentModel, ReverseProxyModel } from '../../../src/model/model.js';
import { SIM_NOW, type Directory, type SimState } from './default-state.js';
import { authEnabled, forwardTarget, get, list, path, servingSslBinding } from './oracle-exchange.js';

/** The client runs Windows PowerShell 5.1; the spec declares no OS for it, so the newest release with every command the script calls. */
export const CLIENT_OS = 'windows-server-2022';

const lower = (v: unknown) => String(v ?? '').toLowerCase();

/** Whether Basic is on at Default Web Site/PowerShell of a converged Exchange server (the location, else the server's root). */
const basicOn = (state: SimState): boolean => authEnabled(state, 'Default Web Site/PowerShell', 'basicAuthentication');

/** The certificate the proxy's 443 binding carries, from its converged state. */
function boundCertificate(state: SimState): any {
  const binding = list(path(state, 'iis', 'sites'))
    .filter((s) => lower(get(s, 'name')) === 'default web site')
    .flatMap((s) => list(get(s, 'bindings')))
    .find((b) => lower(get(b, 'protocol')) === 'https' && String(get(b, 'bindingInformation') ?? '').split(':')[1] === '443');
  const hash = binding ? lower(get(servingSslBinding(state, binding), 'certificateHash')) : '';
  return hash ? list(path(state, 'certificates', 'My')).find((c) => lower(get(c, 'Thumbprint')) === hash) : undefined;
}

/**
 * What https://<published>/PowerShell answers from outside: an endpoint only when the converged
 * proxy forwards the request to its farm over HTTPS; Basic only when every backend's converged
 * /PowerShell has Basic on; trusted when the proxy's certificate chains to a trusted root.
 */
export function publishedEndpoint(environment: EnvironmentModel, proxy: ReverseProxyModel, converged: Map<string, SimState>): Record<string, any> {
  const proxyState = converged.get(proxy.host);
  const remote: Record<string, any> = { computerName: (proxy.backends[0] ?? proxy.host).split('.')[0]!.toUpperCase(), endpoints: {}, exchangeServers: environment.exchange.map((e) => e.host) };
  if (!proxyState) return remote;
  const target = forwardTarget(proxyState, { https: true, host: proxy.publishedName, path: 'PowerShell' });
  if (!target || target.scheme !== 'https' || target.host !== proxy.farmName.toLowerCase()) return remote;
  const basic = proxy.backends.length > 0 && proxy.backends.every((b) => {
    const s = converged.get(b);
    return s !== undefined && basicOn(s);
  });
  const certificate = boundCertificate(proxyState);
  remote.endpoints['https:443/PowerShell'] = {
    auth: basic ? ['Basic'] : [],
    trusted: certificate ? get(certificate, 'trusted') !== false : false,
    ...(certificate ? { thumbprint: get(certificate, 'Thumbprint') } : {}),
    configurations: ['Microsoft.Exchange'],
  };
  return remote;
}

/** The client computer's state: a workgroup machine with Windows PowerShell 5.1, reaching the published name on 443. */
export function clientState(environment: EnvironmentModel, proxy: ReverseProxyModel, converged: Map<string, SimState>, directory: Directory): SimState {
  const client = proxy.externalClient!;
  const modules = client.credential.source === 'vault' ? ['Microsoft.PowerShell.SecretManagement'] : [];
  const secrets: Record<string, { userName: string }> = {};
  if (client.credential.source === 'vault') secrets[`${client.credential.vault}/${client.credential.secretName}`] = { userName: client.credential.account };
  return {
    host: { fqdn: 'client01', computerName: 'CLIENT01', domain: 'WORKGROUP', netbios: 'CLIENT01', os: CLIENT_OS, psVersion: '5.1', is64BitProcess: true, remoteSession: false, modules, now: SIM_NOW },
    services: { WinRM: { status: 'Stopped', startMode: 'Manual', displayName: 'Windows Remote Management (WS-Management)' } },
    wsman: { Service: {}, Client: { TrustedHosts: '', AllowUnencrypted: 'false', Auth: { Basic: 'true', Digest: 'true', Kerberos: 'true', Negotiate: 'true', Certificate: 'true', CredSSP: 'false' } }, listeners: [] },
    sessionConfigurations: {},
    localGroups: {},
    accounts: {},
    firewall: { rules: [] },
    registry: {},
    executionPolicy: { MachinePolicy: 'Undefined', UserPolicy: 'Undefined', Process: 'Undefined', CurrentUser: 'Undefined', LocalMachine: 'RemoteSigned' },
    certificates: { My: [], Root: [] },
    network: { reachable: [`${proxy.publishedName}:443`] },
    kerberos: { tickets: [] },
    secrets,
    remote: { [proxy.publishedName]: publishedEndpoint(environment, proxy, converged) },
    directory,
    changes: [],
  };
}
