/**
 * How a connection URI is read: scheme, host, port and which endpoint it reaches. One function
 * for the model (what the scripts and firewall rules do) and the rules (what they check), so
 * the two cannot disagree about a URI such as http://exch01/PowerShell//.
 */

export type Endpoint = 'exchange' | 'winrm' | 'unknown';

export interface ParsedUri {
  scheme: 'http' | 'https';
  /** Host as written, without brackets, lowercased. */
  host: string;
  hostIsIp: boolean;
  /** The port the client uses: the explicit one, or 80/443 by scheme (as New-PSSession does). */
  port: number;
  /** Path without trailing slashes, lowercased; '' for none. */
  path: string;
  /**
   * exchange: the Exchange /PowerShell virtual directory (IIS, trailing slashes ignored as IIS
   * ignores them); winrm: the WinRM service (/wsman, or no path on 5985/5986); unknown: neither.
   */
  endpoint: Endpoint;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Parses a connection URI the way New-PSSession -ConnectionUri reads it; undefined when it is no http(s) URL. */
export function parseConnectionUri(uri: string): ParsedUri | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const scheme = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : undefined;
  if (!scheme) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  const path = url.pathname.replace(/\/+$/, '').toLowerCase();
  let endpoint: Endpoint = 'unknown';
  if (path === '/powershell') endpoint = 'exchange';
  else if (path === '/wsman' || (path === '' && (port === 5985 || port === 5986))) endpoint = 'winrm';
  return { scheme, host, hostIsIp: IPV4.test(host) || host.includes(':'), port, path, endpoint };
}
