/**
 * Versions of the galsync example as a pull request would change it: hosts, a forest and a
 * whole role added or removed. Each is a valid spec (the tests check it), written to a file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoFile } from './spec.js';

export const GALSYNC = readRepoFile('examples/galsync-fim-kerberos.yaml');

function between(text: string, start: string, end: string): string {
  return text.slice(text.indexOf(start), text.indexOf(end));
}

/** The waiver entries of `host` in `spec` (the example waives the findings of each seed host). */
function waiversOf(spec: string, host: string): string[] {
  const escaped = host.replace(/[.]/g, '\\.');
  return [...spec.matchAll(new RegExp(`^ {2}- rule: [^\\n]*\\n {4}host: ${escaped}\\n(?: {4,}[^\\n]*\\n)*`, 'gm'))].map((m) => m[0]);
}

/** `spec` with `entries` added to its waivers (the last section of the example). */
function withWaivers(spec: string, entries: string[]): string {
  if (entries.length === 0) return spec;
  return spec.includes('\nwaivers:\n') ? spec + entries.join('') : `${spec}\nwaivers:\n${entries.join('')}`;
}

/** A second FIM server, fim02, configured like fim01. */
export function withSecondSyncServer(spec = GALSYNC): string {
  // The sync servers end where the waivers begin (the last section of the example).
  const end = spec.indexOf('\nwaivers:');
  const body = end < 0 ? spec : spec.slice(0, end + 1);
  const fim01 = body.slice(body.indexOf('  - host: fim01.corp.contoso.com'));
  // fim02 runs what fim01 runs: it carries fim01's waivers.
  const fim02 = waiversOf(spec, 'fim01.corp.contoso.com').map((w) => w.replaceAll('fim01', 'fim02'));
  return withWaivers(body + fim01.replaceAll('fim01', 'fim02').replace('10.1.0.30', '10.1.0.31') + (end < 0 ? '' : spec.slice(end + 1)), fim02);
}

/** A second Exchange server, cas02, which fim01 also exports to. */
export function withSecondExchangeServer(spec = GALSYNC): string {
  const cas02 = between(spec, '  - host: cas01.fabrikam.com', 'syncServers:').replaceAll('cas01', 'cas02').replace('10.2.0.20', '10.2.0.21');
  const waived = waiversOf(spec, 'cas01.fabrikam.com').map((w) => w.replaceAll('cas01', 'cas02'));
  return withWaivers(spec, waived)
    .replace('syncServers:', `${cas02}syncServers:`)
    .replace('        ldapDomainController: dc01.fabrikam.com\n', '        ldapDomainController: dc01.fabrikam.com\n      - exchange: cas02.fabrikam.com\n        uri: http://cas02.fabrikam.com/PowerShell/\n        authentication: kerberos\n')
    .replace('trustedHosts: [cas01.fabrikam.com]', 'trustedHosts: [cas01.fabrikam.com, cas02.fabrikam.com]');
}

/** A new forest, tailspin.com, trusted by corp.contoso.com, with one Exchange server fim01 exports to. */
export function withNewForest(spec = GALSYNC): string {
  const cas = between(spec, '  - host: cas01.fabrikam.com', 'syncServers:').replaceAll('fabrikam.com', 'tailspin.com').replace('10.2.0.20', '10.3.0.20').replace('FABRIKAM', 'TAILSPIN');
  const forest = '  - name: tailspin.com\n    netbiosName: TAILSPIN\n    trusts:\n      - forest: corp.contoso.com\n        direction: two-way\n    domainControllers:\n      - { host: dc01.tailspin.com, ip: 10.3.0.10 }\n\nexchange:\n';
  const waived = waiversOf(spec, 'cas01.fabrikam.com').map((w) => w.replaceAll('cas01.fabrikam.com', 'cas01.tailspin.com'));
  return withWaivers(spec, waived)
    .replace('exchange:\n', forest)
    .replace('      - forest: fabrikam.com\n        direction: two-way\n', '      - forest: fabrikam.com\n        direction: two-way\n      - forest: tailspin.com\n        direction: two-way\n')
    .replace('syncServers:', `${cas}syncServers:`)
    .replace('        ldapDomainController: dc01.fabrikam.com\n', '        ldapDomainController: dc01.fabrikam.com\n      - exchange: cas01.tailspin.com\n        uri: http://cas01.tailspin.com/PowerShell/\n        authentication: kerberos\n')
    .replace('trustedHosts: [cas01.fabrikam.com]', 'trustedHosts: [cas01.fabrikam.com, cas01.tailspin.com]');
}

/** No sync server at all: the whole role goes. */
export function withoutSyncServers(spec = GALSYNC): string {
  const kept = waiversOf(spec, 'cas01.fabrikam.com');
  return withWaivers(spec.slice(0, spec.indexOf('syncServers:')), kept);
}

/** Writes `specs` (file name -> text) into `dir` and returns `dir`. */
export function writeSpecs(dir: string, specs: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(specs)) writeFileSync(join(dir, name), text);
  return dir;
}
