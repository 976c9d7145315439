/**
 * IP addresses and CIDR blocks as the spec writes them (already schema-valid), in one canonical
 * text so that the firewall rules, the port matrix and the scripts compare them as Windows reports
 * them: IPv6 lowercase and compressed (RFC 5952, as the WHATWG URL parser of Node serializes it),
 * IPv4 as written. node:net is the parser; nothing here accepts what it rejects.
 */
import { isIPv6 } from 'node:net';

/** One address or CIDR block in canonical text; anything else is returned unchanged. */
export function canonicalAddress(text: string): string {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? '' : text.slice(slash);
  if (!isIPv6(address) || address.includes('%')) return text;
  const host = new URL(`http://[${address}]/`).hostname;
  return host.slice(1, -1) + prefix;
}
