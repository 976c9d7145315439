/**
 * The second hop a spec declares on a connection (connections[].secondHop): the connection a sync
 * product opens from inside its session on the Exchange server. Microsoft's "Making the second hop
 * in PowerShell Remoting" (MicrosoftDocs/PowerShell-Docs, reference/docs-conceptual/security/
 * remoting/PS-remoting-second-hop.md) says of unconstrained, constrained and resource-based Kerberos
 * delegation alike "Doesn't support the second hop for WinRM"; passing credentials inside the session
 * and CredSSP are the documented WinRM second-hop methods. What the hop reaches and how it
 * authenticates only the vendor can confirm, so every text here says so.
 */
import type { ConnectionModel, EnvironmentModel } from '../model/model.js';

type SecondHop = NonNullable<ConnectionModel['secondHop']>;

/** What verify.ps1 on the sync server needs to run the two hops of one connection. */
/** What verify.ps1 on the sync server needs to run the two hops of one connection. */
export interface SecondHopData {
  host: string;
  port: number;
  service: SecondHop['service'];
  purpose: string;
  useSsl: boolean;
  uri: string;
  testable: boolean;
}

export function secondHopData(connection: ConnectionModel): SecondHopData | null {
  const hop = connection.secondHop;
  if (!hop) return null;
  const useSsl = hop.service === 'winrm' ? hop.port === 5986 : hop.service === 'exchange-powershell' ? hop.port === 443 : false;
  const defaultPort = useSsl ? 443 : 80;
  const uri = hop.service === 'exchange-powershell' ? `${useSsl ? 'https' : 'http'}://${hop.host}${hop.port === defaultPort ? '' : `:${hop.port}`}/PowerShell/` : '';
  // The Exchange endpoint's restricted runspace runs no script block, so the first hop must be /wsman.
  return { host: hop.host, port: hop.port, service: hop.service, purpose: hop.purpose, useSsl, uri, testable: connection.endpoint === 'winrm' };
}

/** One line per declared second hop, for the sync server's notes in PLAN.md. */
export function secondHopNotes(connections: readonly ConnectionModel[]): string[] {
  return connections.flatMap((c) =>
    c.secondHop
      ? [
          `Second hop declared on ${c.uri}: from ${c.exchange} to ${c.secondHop.service} on ${c.secondHop.host}:${c.secondHop.port} (${c.secondHop.purpose}). Microsoft documents that no Kerberos delegation form supports a WinRM second hop ("Doesn't support the second hop for WinRM", PowerShell-Docs "Making the second hop in PowerShell Remoting"); the vendor must confirm what this connection reaches and how it authenticates. ${
            c.endpoint === 'winrm'
              ? 'verify.ps1 runs both hops: a session to the Exchange server that itself connects onward with the identity of the session.'
              : 'verify.ps1 cannot run it through the Exchange endpoint (its restricted session runs no script): test it from a /wsman session to the Exchange server.'
          }`,
        ]
      : [],
  );
}

/** Every declared second hop, as "<exchange> -> <service> <host>:<port> (<purpose>)". */
export function declaredSecondHops(environment: EnvironmentModel): string[] {
  return environment.syncServers.flatMap((s) =>
    s.connections.flatMap((c) => (c.secondHop ? [`${c.exchange} -> ${c.secondHop.service} ${c.secondHop.host}:${c.secondHop.port} (${c.secondHop.purpose})`] : [])),
  );
}
