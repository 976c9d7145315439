/** The AD admin host of each forest whose Exchange servers need Kerberos delegation: its first declared domain controller. */
import { forestOf, type EnvironmentModel, type AdPrincipalModel, type ExchangeModel, type ForestModel, type SyncServerModel } from '../model/model.js';
import type { KerberosChecks } from './template-data.js';
import type { HostSteps } from './types.js';
import { ELEVATED, uniqueSorted, shortName, type Draft, draft, build, script } from './steps.js';
import { byCodePoint } from '../shared/order.js';
import { oncePer } from '../shared/memo.js';

/** How scripts find an Exchange computer object: by its DN when the spec gives one, else by an LDAP filter. */
export function adIdentityData(server: ExchangeModel): { distinguishedName: string | null; ldapFilter: string | null } {
  return 'distinguishedName' in server.adIdentity
    ? { distinguishedName: server.adIdentity.distinguishedName, ldapFilter: null }
    : { distinguishedName: null, ldapFilter: server.adIdentity.ldapFilter };
}

/** An Exchange computer as a front end of resource-based delegation, looked up in its own domain. */
export function frontIdentity(server: ExchangeModel, domain: string) {
  return { host: server.host, server: domain, ...adIdentityData(server) };
}

/** A step-name slug for a back end: the first label of a host, or the account name of DOMAIN\\account. */
export function delegationSlug(display: string): string {
  const name = display.includes('\\') ? display.slice(display.indexOf('\\') + 1) : display.includes('.') ? display.slice(0, display.indexOf('.')) : display;
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'account';
}

/**
 * Whether the spec declares TGT delegation between two forests: on the trust entry of either
 * side, as the delegation-tgt-across-trust rule accepts it (the setting itself lives in the
 * account forest, KB 4490425).
 */
export function tgtDelegationDeclared(environment: EnvironmentModel, a: string, b: string): boolean {
  const side = (from: string, to: string) => environment.forests.find((f) => f.name === from)?.trusts.find((t) => t.forest === to)?.tgtDelegation ?? false;
  return side(a, b) || side(b, a);
}

/** The sync servers and accounts whose tickets an Exchange server's delegation concerns. */
export function crossForestAccounts(environment: EnvironmentModel, server: ExchangeModel): SyncServerModel[] {
  return (connectingSyncServers(environment).get(server.host) ?? []).filter((s) => s.forest !== server.forest);
}

const connecting = new WeakMap<EnvironmentModel, Map<string, SyncServerModel[]>>();

/** For each Exchange server, the sync servers with a connection to it, in spec order: built once per environment (a search per server grew with the square of the estate). */
function connectingSyncServers(environment: EnvironmentModel): Map<string, SyncServerModel[]> {
  let byHost = connecting.get(environment);
  if (!byHost) {
    byHost = new Map();
    for (const s of environment.syncServers) {
      for (const host of new Set(s.connections.map((c) => c.exchange))) {
        const list = byHost.get(host);
        if (list) list.push(s);
        else byHost.set(host, [s]);
      }
    }
    connecting.set(environment, byHost);
  }
  return byHost;
}

/** What Microsoft documents about Kerberos delegation and the WinRM second hop, for step descriptions. */
export const SECOND_HOP_TEXT = "Microsoft documents that no Kerberos delegation form, unconstrained, constrained or resource-based, supports a WinRM second hop (\"Doesn't support the second hop for WinRM\", PowerShell-Docs \"Making the second hop in PowerShell Remoting\"): when the second connection is itself WinRM or Exchange /PowerShell, the documented methods are passing credentials inside the session or CredSSP, each with its cost.";

/** How many days of the System log the KDCSVC check reads. */
export const KDCSVC_DAYS = 7;

const domainDn = (domain: string) => domain.split('.').map((p) => `DC=${p}`).join(',');

/**
 * What each forest holds for the Kerberos connections (KB5073381): the account a session runs as
 * lives in its own domain, the Exchange computer account in its forest, and across forests each
 * side keeps a trusted domain object for the other under CN=System. Keyed by forest name.
 */
export const kerberosChecksByForest: (environment: EnvironmentModel) => ReadonlyMap<string, KerberosChecks> = oncePer(computeKerberosChecks);

/** The checks of kerberosChecksByForest, computed once per model (the plan and its troubleshooting table both ask). */
function computeKerberosChecks(environment: EnvironmentModel): Map<string, KerberosChecks> {
  const byForest = new Map<string, KerberosChecks>();
  const entry = (forest: string) => {
    let e = byForest.get(forest);
    if (!e) {
      e = { users: [], computers: [], trusts: [], kdcs: forestOf(environment, forest).domainControllers.map((d) => d.host), days: KDCSVC_DAYS };
      byForest.set(forest, e);
    }
    return e;
  };
  for (const sync of environment.syncServers) {
    for (const c of sync.connections) {
      if (c.authentication !== 'kerberos') continue;
      const server = c.target;
      const account = c.credential.account;
      const accountForest = c.account.forest.name;
      const user = { display: account, ldapFilter: c.account.ldapFilter, server: c.account.server };
      const users = entry(accountForest).users;
      if (!users.some((u) => u.display.toLowerCase() === account.toLowerCase())) users.push(user);
      const computers = entry(server.forest).computers;
      if (!computers.some((x) => x.host === server.host)) computers.push({ host: server.host, server: server.forest, ...adIdentityData(server) });
      if (accountForest === server.forest) continue;
      // The referral across the trust is encrypted with the trust's key: each side holds one object.
      for (const [holder, partner] of [[accountForest, server.forest], [server.forest, accountForest]] as const) {
        const trusts = entry(holder).trusts;
        if (!trusts.some((t) => t.partner === partner)) trusts.push({ holder, partner, searchBase: `CN=System,${domainDn(holder)}` });
      }
    }
  }
  for (const e of byForest.values()) {
    e.users.sort((a, b) => byCodePoint(a.display.toLowerCase(), b.display.toLowerCase()));
    e.computers.sort((a, b) => byCodePoint(a.host, b.host));
    e.trusts.sort((a, b) => byCodePoint(a.partner, b.partner));
  }
  return byForest;
}

/** What the operator checks by hand in a forest that declares no domain controller to run verify.ps1 on. */
function kerberosManualNote(forest: string, checks: KerberosChecks): string {
  const objects = [...checks.users.map((u) => `the account ${u.display}`), ...checks.computers.map((x) => `the computer ${x.host}`), ...checks.trusts.map((t) => `the trusted domain object for ${t.partner} (CN=${t.partner},${t.searchBase})`)];
  return `Kerberos AES (KB5073381): ${forest} declares no domain controller, so no verify.ps1 reads it. Check by hand on a domain controller of ${forest}: msDS-SupportedEncryptionTypes of ${objects.join(', ')} must include AES (0x8 AES128, 0x10 AES256; 0x18 both), read with Get-ADUser, Get-ADComputer or Get-ADObject -Properties msDS-SupportedEncryptionTypes -Server ${forest}; and the System log of every domain controller of ${forest} must hold no Microsoft-Windows-Kerberos-Key-Distribution-Center (KDCSVC) event 201 to 209 from the last ${checks.days} days (Get-WinEvent -FilterHashtable with LogName System, that ProviderName, Id 201..209 and StartTime). Or declare its domain controllers in the spec and generate again.`;
}

/** The AD admin host for each forest holding Exchange servers with delegation or parties of a Kerberos connection: its first declared DC. */
export function planDomainControllers(environment: EnvironmentModel, notes: string[]): HostSteps[] {
  const plans: HostSteps[] = [];
  const withDelegation = environment.exchange.filter((x) => x.delegation.mode !== 'none');
  const kerberos = kerberosChecksByForest(environment);
  // A forest without declared domain controllers gets an AD host for delegation only (its checks read no KDC: kdcs is
  // empty); without delegation its Kerberos checks are manual.
  for (const [forestName, checks] of kerberos) {
    if (forestOf(environment, forestName).domainControllers.length > 0 || withDelegation.some((x) => x.forest === forestName)) continue;
    notes.push(kerberosManualNote(forestName, checks));
  }
  const kerberosForests = [...kerberos.keys()].filter((f) => forestOf(environment, f).domainControllers.length > 0);
  for (const forestName of uniqueSorted([...withDelegation.map((x) => x.forest), ...kerberosForests])) {
    const forest = forestOf(environment, forestName);
    const servers = withDelegation.filter((x) => x.forest === forestName);
    const kerberosChecks = kerberos.get(forestName) ?? null;
    const dc = forest.domainControllers[0];
    const host = dc ? dc.host : `ad-admin.${forest.name}`;
    const hostNotes: string[] = [
      dc
        ? servers.length > 0
          ? `Delegation is set from ${dc.host}, the first domain controller declared for ${forest.name}; any host with the ActiveDirectory module and rights to change the computer objects will do.`
          : `${dc.host}, the first domain controller declared for ${forest.name}, runs only verify.ps1 (read-only): no step changes Active Directory.`
        : `${forest.name} declares no domain controller: run these scripts on any host of ${forest.name} with the ActiveDirectory module (folder ${host}).`,
    ];
    if (kerberosChecks) {
      hostNotes.push(
        `verify.ps1 reads the Kerberos encryption types of what ${forest.name} holds for the Kerberos connections (KB5073381, CVE-2026-20833): msDS-SupportedEncryptionTypes of ${[...kerberosChecks.users.map((u) => u.display), ...kerberosChecks.computers.map((x) => x.host), ...kerberosChecks.trusts.map((t) => `the trusted domain object for ${t.partner}`)].join(', ')}${kerberosChecks.kdcs.length ? `, and counts the KDCSVC events 201 to 209 of the last ${kerberosChecks.days} days in the System log of ${kerberosChecks.kdcs.join(', ')} (Get-WinEvent -ComputerName${kerberosChecks.kdcs.some((k) => k !== host) ? `: the Remote Event Log Management firewall rules of the others must admit ${host}` : ''})` : ''}. Each check prints OK, FAIL or NOT READABLE with what to do; nothing is changed.`,
      );
    }
    const drafts: Draft[] = [];
    const tgtPairs = new Map<string, { trusting: ForestModel; trusted: string; declared: boolean }>();
    for (const server of servers) {
      if (server.delegation.mode === 'unconstrained') {
        drafts.push(
          draft({
            slug: `delegation-${shortName(server.host)}`,
            template: 'ad-delegation',
            synopsis: `Trusts the computer object of ${server.host} for unconstrained Kerberos delegation.`,
            description: [
              'Unconstrained delegation (TrustedForDelegation) lets the server impersonate connecting users to any service: a security risk. It is generated because the spec asks for it, as a vendor may document it for its second connection (the Monosync Exchange Integration guide); resource-based delegation is not a drop-in equivalent.',
              `${SECOND_HOP_TEXT} What the second connection reaches, and that this delegation serves it, the vendor must confirm.`,
              'Setting TrustedForDelegation needs the "Enable computer and user accounts to be trusted for delegation" user right (SeEnableDelegationPrivilege) on the domain controllers, which only Administrators hold by default: run this step as a member of Domain Admins or an account granted that right.',
              'Clients get the delegation flag only in new tickets: restart the sync service (or purge its tickets with klist purge) after this step.',
            ],
            summary: `Unconstrained delegation on ${server.host} (Set-ADAccountControl -TrustedForDelegation $true)`,
            data: { host: server.host, server: forest.name, unconstrained: true, ...adIdentityData(server) },
          }
          ),
        );
        for (const s of crossForestAccounts(environment, server)) {
          tgtPairs.set(s.forest, { trusting: forest, trusted: s.forest, declared: tgtDelegationDeclared(environment, forest.name, s.forest) });
        }
      }
    }
    // Resource-based: one write per back end, naming every Exchange computer of this forest that delegates to it.
    const backends = new Map<string, { backend: AdPrincipalModel; fronts: ExchangeModel[] }>();
    for (const server of servers.filter((x) => x.delegation.mode === 'resource-based')) {
      for (const backend of server.delegation.delegateTo) {
        const key = backend.display.toLowerCase();
        const entry = backends.get(key) ?? { backend, fronts: [] };
        entry.fronts.push(server);
        backends.set(key, entry);
      }
    }
    if (backends.size > 0) {
      hostNotes.push(
        `Resource-based delegation grants each listed Exchange computer (WinRM and IIS on it run as the computer account) the right to obtain tickets to the back end on behalf of the users who connect to it; it grants nothing to the sync servers. It is not a drop-in equivalent of TrustedForDelegation: ${SECOND_HOP_TEXT} It can serve a second hop only to a service that is not WinRM, only to the back ends in delegateTo, only for accounts that may be delegated (not "sensitive and cannot be delegated", not in Protected Users), and only with new tickets: afterwards purge the computer-account tickets on each Exchange server (klist purge -li 0x3e7) and restart the sync service. What the second connection reaches (for Monosync, its second, Kerberos connection) the vendor must confirm.`,
      );
    }
    for (const [, { backend, fronts }] of [...backends.entries()].sort((a, b) => byCodePoint(a[0], b[0]))) {
      const frontNames = fronts.map((f) => f.host);
      const foreign = backend.server !== forest.name && !backend.server.endsWith(`.${forest.name}`);
      if (foreign) {
        hostNotes.push(
          `Back end ${backend.display} lives in ${backend.server}, outside ${forest.name}: the delegation step reads and writes it through -Server ${backend.server}, so ${host} must reach a domain controller of ${backend.server} and the step must run as an account allowed to change that object there. If ${backend.server} is in another forest that ${host} cannot reach or administer, run this step from a host of that forest. The Exchange computers are written by SID, which the back end's domain controller stores in the security descriptor without resolving it.`,
        );
      }
      drafts.push(
        draft({
          slug: `delegation-to-${delegationSlug(backend.display)}`,
          template: 'ad-delegation',
          synopsis: `Lets ${frontNames.join(', ')} impersonate connecting users to the services of ${backend.display} (resource-based constrained delegation, written on the back end ${backend.display}).`,
          description: [
            `Grants: ${frontNames.join(', ')} may request Kerberos tickets to any service of ${backend.display} on behalf of users who connect to ${frontNames.length === 1 ? 'it' : 'them'}. Nothing is granted to the sync servers, and the Exchange computer objects are not changed.`,
            `PrincipalsAllowedToDelegateToAccount (msDS-AllowedToActOnBehalfOfOtherIdentity) of ${backend.display} is read in its own domain (${backend.server}) and compared by SID; missing Exchange computers are added and no entry is removed.`,
            `The Exchange servers cache Kerberos tickets: on each of them purge the computer account's tickets (klist purge -li 0x3e7) or wait for the cache to expire, and restart the sync service so its next connection starts from new tickets.`,
          ],
          summary: `Resource-based delegation from ${frontNames.join(', ')} to ${backend.display} (written on ${backend.display} in ${backend.server}, merged by SID)`,
          data: {
            host: backend.display,
            exchangeDomain: forest.name,
            unconstrained: false,
            backend: { display: backend.display, ldapFilter: backend.ldapFilter, server: backend.server },
            fronts: fronts.map((f) => frontIdentity(f, forest.name)),
          },
        }
        ),
      );
    }
    for (const [, pair] of [...tgtPairs.entries()].sort((a, b) => byCodePoint(a[0], b[0]))) {
      drafts.push(
        draft({
          slug: `tgt-delegation-${pair.trusted.replace(/\./g, '-')}`,
          template: 'tgt-delegation',
          synopsis: `Checks TGT delegation across the forest trust between ${pair.trusting.name} and ${pair.trusted}, and prints what the administrators of ${pair.trusted} run to enable it.`,
          description: [
            'Since the 2019 updates (KB 4490425), Windows disables TGT delegation across forest trusts: unconstrained delegation to a server in another forest no longer receives forwarded tickets unless the trust allows it. Constrained and resource-based delegation do not use it, but neither supports a WinRM second hop either.',
            `Check only: the setting belongs to the trusted (account) forest ${pair.trusted}, so its administrators run netdom trust ${pair.trusting.name} /domain:${pair.trusted} /EnableTGTDelegation:Yes on a domain controller of ${pair.trusted} (the order of KB 4490425's example, netdom trust <trusting forest> /domain:<trusted forest>, set in the trusted domain); this host never runs netdom for the other forest.`,
            'The printed instructions show the current state first (/EnableTGTDelegation without a value), then enable it with the documented argument order: the trusting domain first, the trusted domain after /domain: (KB 4490425).',
          ],
          summary: `TGT delegation across ${pair.trusting.name} <- ${pair.trusted}: check only; ${pair.declared ? 'declared in the spec, to be enabled by' : 'not declared; instructions printed for'} the administrators of ${pair.trusted}`,
          data: { trusting: pair.trusting.name, trusted: pair.trusted, enable: pair.declared },
          kind: 'check',
        }
        ),
      );
      notes.push(
        `Unconstrained delegation crosses the forest trust ${pair.trusting.name} <- ${pair.trusted}: TGT delegation on it is for the administrators of ${pair.trusted} to enable (${pair.declared ? 'the spec declares it' : 'the spec does not declare it'}); the tgt-delegation step on ${host} checks it and prints their commands.`,
      );
    }
    const steps = build(drafts);
    plans.push({
      host,
      folder: host,
      role: 'domain-controller',
      roleLabel: `Domain controller / AD admin host (forest ${forest.name})`,
      os: null,
      runFrom: servers.length > 0 ? `${ELEVATED}, as an account allowed to change computer objects in ${forest.name}, with the ActiveDirectory module` : `${ELEVATED}, as an account that can read ${forest.name} and the System log of its domain controllers, with the ActiveDirectory module`,
      steps,
      verify: script({
        fileName: 'verify.ps1',
        template: 'verify-domain-controller',
        synopsis: servers.length > 0 ? `Checks the Kerberos delegation settings of the Exchange computer objects in ${forest.name}.` : `Checks the Kerberos encryption types (AES, KB5073381) of what ${forest.name} holds for the Kerberos connections.`,
        description: [
          servers.length > 0
            ? 'Read-only: reads the computer objects and reports OK or FAIL per server; exits 1 when one fails.'
            : 'Read-only: reads the accounts, computer objects and trusted domain objects and reports OK, FAIL or NOT READABLE for each; exits 1 when one is not OK.',
          ...(kerberosChecks && servers.length > 0 ? ['It also reads the Kerberos encryption types (AES, KB5073381) of what this forest holds for the Kerberos connections, reporting OK, FAIL or NOT READABLE for each.'] : []),
        ],
        summary: servers.length > 0 ? 'Read-only check of the delegation settings' : 'Read-only check of Kerberos AES readiness (KB5073381)',
        data: {
          computers: servers
            .filter((server) => server.delegation.mode === 'unconstrained')
            .map((server) => ({ host: server.host, server: forest.name, ...adIdentityData(server) })),
          backends: [...backends.values()]
            .sort((a, b) => byCodePoint(a.backend.display.toLowerCase(), b.backend.display.toLowerCase()))
            .map(({ backend, fronts }) => ({
              display: backend.display,
              ldapFilter: backend.ldapFilter,
              server: backend.server,
              fronts: fronts.map((f) => frontIdentity(f, forest.name)),
            })),
          // Declared TGT delegation is checked where it lives: the trust object the account forest holds.
          tgtTrusts: [...tgtPairs.values()]
            .filter((pair) => pair.declared)
            .sort((a, b) => byCodePoint(a.trusted, b.trusted))
            .map((pair) => ({ trusting: pair.trusting.name, trusted: pair.trusted })),
          kerberos: kerberosChecks,
        },
        kind: 'check',
      }
      ),
      extras: [],
      notes: hostNotes,
    });
  }
  return plans;
}
