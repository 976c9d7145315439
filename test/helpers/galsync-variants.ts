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

/** A second FIM server, fim02, configured like fim01. */
export function withSecondSyncServer(spec = GALSYNC): string {
  const fim01 = spec.slice(spec.indexOf('  - host: fim01.corp.contoso.com'));
  return spec + fim01.replaceAll('fim01', 'fim02').replace('10.1.0.30', '10.1.0.31');
}

/** A second Exchange server, cas02, which fim01 also exports to. */
export function withSecondExchangeServer(spec = GALSYNC): string {
  const cas02 = between(spec, '  - host: cas01.fabrikam.com', 'syncServers:').replaceAll('cas01', 'cas02').replace('10.2.0.20', '10.2.0.21');
  return spec
    .replace('syncServers:', `${cas02}syncServers:`)
    .replace('        ldapDomainController: dc01.fabrikam.com\n', '        ldapDomainController: dc01.fabrikam.com\n      - exchange: cas02.fabrikam.com\n        uri: http://cas02.fabrikam.com/PowerShell/\n        authentication: kerberos\n')
    .replace('trustedHosts: [cas01.fabrikam.com]', 'trustedHosts: [cas01.fabrikam.com, cas02.fabrikam.com]');
}

/** A new forest, tailspin.com, trusted by corp.contoso.com, with one Exchange server fim01 exports to. */
export function withNewForest(spec = GALSYNC): string {
  const cas = between(spec, '  - host: cas01.fabrikam.com', 'syncServers:').replaceAll('fabrikam.com', 'tailspin.com').replace('10.2.0.20', '10.3.0.20').replace('FABRIKAM', 'TAILSPIN');
  const forest = '  - name: tailspin.com\n    netbiosName: TAILSPIN\n    trusts:\n      - forest: corp.contoso.com\n        direction: two-way\n    domainControllers:\n      - { host: dc01.tailspin.com, ip: 10.3.0.10 }\n\nexchange:\n';
  return spec
    .replace('exchange:\n', forest)
    .replace('      - forest: fabrikam.com\n        direction: two-way\n', '      - forest: fabrikam.com\n        direction: two-way\n      - forest: tailspin.com\n        direction: two-way\n')
    .replace('syncServers:', `${cas}syncServers:`)
    .replace('        ldapDomainController: dc01.fabrikam.com\n', '        ldapDomainController: dc01.fabrikam.com\n      - exchange: cas01.tailspin.com\n        uri: http://cas01.tailspin.com/PowerShell/\n        authentication: kerberos\n')
    .replace('trustedHosts: [cas01.fabrikam.com]', 'trustedHosts: [cas01.fabrikam.com, cas01.tailspin.com]');
}

/** No sync server at all: the whole role goes. */
export function withoutSyncServers(spec = GALSYNC): string {
  return spec.slice(0, spec.indexOf('syncServers:'));
}

/** Writes `specs` (file name -> text) into `dir` and returns `dir`. */
export function writeSpecs(dir: string, specs: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(specs)) writeFileSync(join(dir, name), text);
  return dir;
}
