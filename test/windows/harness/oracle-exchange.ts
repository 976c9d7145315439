/**
 * What the spec says the Exchange, IIS ARR and Active Directory side must look like once the
 * steps have run, written from the model, never from the scripts:
 * - Exchange servers: the PowerShell virtual directory settings the spec names (read from the IIS
 *   location, as Exchange keeps them), and no HTTP/<host> SPN on any account but the computer's;
 * - reverse proxies: the 443 binding carries the declared certificate, the farm holds every
 *   backend on HTTPS 443, and the global URL Rewrite rules, evaluated in order as URL Rewrite
 *   does, forward https://<published name>/PowerShell to the farm and nothing else: not plain
 *   HTTP, not another host name, not another path; the proxy preserves the host header;
 * - the AD admin host of a forest: unconstrained delegation (TrustedForDelegation) on the Exchange
 *   computers that declare it, resource-based delegation on each back end naming the Exchange
 *   computers by SID, and TGT delegation on the account forest's side of a trust that declares it.
 * Each expectation can drift its setting, so the verify property checks that verify.ps1 names it.
 */
import type { AdPrincipalModel, EnvironmentModel, ExchangeModel, ForestModel, ReverseProxyModel } from '../../../src/model/model.js';
import type { SimState } from './default-state.js';
import type { Expectation } from './oracle-winrm.js';

const FRONT_END = 'Default Web Site/PowerShell';
/** Exchange remote PowerShell, any case: the only path the spec publishes. */
const PUBLISHED_PATH = 'PowerShell';

/** Case-insensitive member lookup: the state comes back from PowerShell's case-insensitive tables. */
export function get(node: any, key: string): any {
  if (node === null || node === undefined || typeof node !== 'object') return undefined;
  if (key in node) return node[key];
  const k = Object.keys(node).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : node[k];
}
export function path(node: any, ...keys: string[]): any {
  return keys.reduce((n, k) => get(n, k), node);
}
export const list = (v: any): any[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const bool = (v: any, fallback: boolean): boolean => (v === undefined || v === null ? fallback : v === true || String(v).toLowerCase() === 'true');
/** Creates the objects along a path (for drift). */
function ensure(node: any, ...keys: string[]): any {
  let n = node;
  for (const k of keys) {
    const existing = Object.keys(n).find((x) => x.toLowerCase() === k.toLowerCase());
    if (existing === undefined || n[existing] === null || typeof n[existing] !== 'object') n[existing ?? k] = {};
    n = n[existing ?? k];
  }
  return n;
}

const AUTH_SECTIONS = {
  basicAuthentication: 'basicAuthentication',
  windowsAuthentication: 'windowsAuthentication',
} as const;

/** The effective `enabled` of an IIS authentication section at a location (location, then root, then off). */
export function authEnabled(state: SimState, location: string, section: string): boolean {
  const local = path(get(path(state, 'iis', 'locations'), location), 'system.webServer', 'security', 'authentication', section, 'enabled');
  if (local !== undefined) return bool(local, false);
  return bool(path(state, 'iis', 'config', 'system.webServer', 'security', 'authentication', section, 'enabled'), false);
}
function sslFlags(state: SimState, location: string): string[] {
  const local = path(get(path(state, 'iis', 'locations'), location), 'system.webServer', 'security', 'access', 'sslFlags');
  const value = local ?? path(state, 'iis', 'config', 'system.webServer', 'security', 'access', 'sslFlags') ?? 'None';
  return String(value).split(',').map((f) => f.trim()).filter((f) => f !== '' && f !== 'None');
}
function setAuth(state: SimState, location: string, section: string, value: boolean): void {
  const loc = ensure(state, 'iis', 'locations', location);
  ensure(loc, 'system.webServer', 'security', 'authentication', section).enabled = value;
}
function setSslFlags(state: SimState, location: string, flags: string[]): void {
  const loc = ensure(state, 'iis', 'locations', location);
  ensure(loc, 'system.webServer', 'security', 'access').sslFlags = flags.length ? flags.join(',') : 'None';
}

function virtualDirectoryExpectations(server: ExchangeModel): Expectation[] {
  const v = server.virtualDirectory;
  if (!v) return [];
  const out: Expectation[] = [];
  for (const [field, section] of Object.entries(AUTH_SECTIONS) as [keyof typeof AUTH_SECTIONS, string][]) {
    const want = v[field];
    if (want === null) continue;
    const name = field === 'basicAuthentication' ? 'BasicAuthentication' : 'WindowsAuthentication';
    out.push({
      setting: `PowerShell virtual directory ${name}`,
      holds: (s) => authEnabled(s, FRONT_END, section) === want,
      drift: (s) => setAuth(s, FRONT_END, section, !want),
    });
  }
  if (v.requireSsl !== null) {
    const want = v.requireSsl;
    out.push({
      setting: 'RequireSSL',
      holds: (s) => sslFlags(s, FRONT_END).includes('Ssl') === want,
      drift: (s) => {
        const flags = sslFlags(s, FRONT_END).filter((f) => f !== 'Ssl' && f !== 'Ssl128');
        setSslFlags(s, FRONT_END, want ? flags : ['Ssl', ...flags]);
      },
    });
  }
  if (v.clientCertificates !== null) {
    const negotiate = v.clientCertificates !== 'ignore';
    const require = v.clientCertificates === 'require';
    out.push({
      setting: 'client certificates as the spec says',
      holds: (s) => {
        const f = sslFlags(s, FRONT_END);
        return f.includes('SslNegotiateCert') === negotiate && f.includes('SslRequireCert') === require;
      },
      drift: (s) => {
        const f = sslFlags(s, FRONT_END).filter((x) => x !== 'SslNegotiateCert' && x !== 'SslRequireCert');
        setSslFlags(s, FRONT_END, negotiate ? f : [...f, 'SslNegotiateCert']);
      },
    });
  }
  return out;
}

/** The AD objects of the shared directory (computers and users). */
function adObjects(state: SimState): { kind: 'computer' | 'user'; object: any }[] {
  const ad = path(state, 'directory', 'ad');
  return [
    ...list(get(ad, 'computers')).map((object) => ({ kind: 'computer' as const, object })),
    ...list(get(ad, 'users')).map((object) => ({ kind: 'user' as const, object })),
  ];
}
const same = (a: any, b: string) => String(a ?? '').toLowerCase() === b.toLowerCase();

function exchangeComputer(state: SimState, server: ExchangeModel): any {
  return adObjects(state).find(
    (o) => o.kind === 'computer' && ('distinguishedName' in server.adIdentity ? same(get(o.object, 'distinguishedName'), server.adIdentity.distinguishedName) : same(get(o.object, 'dNSHostName'), server.host)),
  )?.object;
}

/** A delegation back end, found as the model describes it (the three filter forms the model writes). */
function backendObject(state: SimState, backend: AdPrincipalModel): any {
  const unescape = (v: string) => v.replace(/\\([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  const host = /^\(&\(objectClass=computer\)\(dNSHostName=(.+)\)\)$/.exec(backend.ldapFilter);
  const sam = /^\(sAMAccountName=(.+)\)$/.exec(backend.ldapFilter);
  const upn = /^\(userPrincipalName=(.+)\)$/.exec(backend.ldapFilter);
  return adObjects(state).find((o) => {
    if (!same(get(o.object, 'domain'), backend.server)) return false;
    if (host) return o.kind === 'computer' && same(get(o.object, 'dNSHostName'), unescape(host[1]!));
    if (sam) return same(get(o.object, 'sAMAccountName'), unescape(sam[1]!));
    if (upn) return same(get(o.object, 'userPrincipalName'), unescape(upn[1]!));
    return false;
  })?.object;
}

const ACE = /\(([AD]);[^;]*;[^;]*;[^;]*;[^;]*;(S-[0-9-]+)\)/gi;
function allowedSids(descriptor: unknown): string[] {
  const text = String(descriptor ?? '');
  return [...text.matchAll(ACE)].filter((m) => m[1]!.toUpperCase() === 'A').map((m) => m[2]!.toUpperCase());
}

/** An HTTP SPN of this host (FQDN or short name) held by any object but its computer account breaks Kerberos to it. */
function spnExpectations(server: ExchangeModel): Expectation[] {
  return [spnExpectation(server, `HTTP/${server.host}`, `SPN HTTP/${server.host}`), spnExpectation(server, `HTTP/${server.host.split('.')[0]!.toUpperCase()}`, `SPN HTTP/${server.host.split('.')[0]!.toUpperCase()} in`)];
}

function spnExpectation(server: ExchangeModel, spn: string, setting: string): Expectation {
  return {
    setting,
    holds: (s) => {
      const computer = exchangeComputer(s, server);
      return adObjects(s).every((o) => !list(get(o.object, 'servicePrincipalName')).some((x) => same(x, spn)) || o.object === computer);
    },
    drift: (s) => {
      const ad = ensure(s, 'directory', 'ad');
      const users = (ad.users ??= []);
      const domain = server.host.slice(server.host.indexOf('.') + 1);
      let user = users.find((u: any) => same(get(u, 'domain'), domain));
      if (!user) {
        user = { domain, distinguishedName: `CN=svc-web,CN=Users,${domain.split('.').map((p) => `DC=${p}`).join(',')}`, name: 'svc-web', sAMAccountName: 'svc-web', objectSid: 'S-1-5-21-1-1-1-4242', userAccountControl: 512, servicePrincipalName: [] };
        users.push(user);
      }
      // A service account claiming the host's HTTP SPN: Kerberos to the host then fails.
      user.servicePrincipalName = [...list(get(user, 'servicePrincipalName')), spn];
    },
  };
}

/** A request as URL Rewrite (global rules) and ARR see it: where it is forwarded, or null. */
export function forwardTarget(state: SimState, request: { https: boolean; host: string; path: string }): { scheme: string; host: string } | null {
  const config = path(state, 'iis', 'config');
  const rules = list(path(config, 'system.webServer', 'rewrite', 'globalRules', 'rule'));
  let input = request.path;
  const variable = (name: string) => (name.toUpperCase() === 'HTTPS' ? (request.https ? 'on' : 'off') : name.toUpperCase() === 'HTTP_HOST' ? request.host : '');
  const compile = (syntax: string, pattern: string, ignoreCase: boolean) => {
    if (syntax === 'Wildcard') return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '(.*)').replace(/\?/g, '(.)')}$`, 'i');
    if (syntax === 'ExactMatch') return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
    return new RegExp(pattern, ignoreCase ? 'i' : '');
  };
  for (const rule of rules) {
    if (!bool(get(rule, 'enabled'), true)) continue;
    const syntax = String(get(rule, 'patternSyntax') ?? 'ECMAScript');
    const match = get(rule, 'match') ?? {};
    const m = compile(syntax, String(get(match, 'url') ?? ''), bool(get(match, 'ignoreCase'), true)).exec(input);
    if ((m !== null) === bool(get(match, 'negate'), false)) continue;
    const conditions = get(rule, 'conditions') ?? {};
    const results = list(get(conditions, 'add')).map((c) => {
      const value = String(get(c, 'input') ?? '').replace(/\{([A-Za-z_]+)\}/g, (_x, n: string) => variable(n));
      const hit = new RegExp(String(get(c, 'pattern') ?? ''), bool(get(c, 'ignoreCase'), true) ? 'i' : '').test(value);
      return hit !== bool(get(c, 'negate'), false);
    });
    const any = String(get(conditions, 'logicalGrouping') ?? 'MatchAll') === 'MatchAny';
    if (results.length > 0 && (any ? !results.includes(true) : results.includes(false))) continue;
    const action = get(rule, 'action') ?? {};
    if (String(get(action, 'type') ?? 'None') === 'Rewrite') {
      const url = String(get(action, 'url') ?? '').replace(/\{R:(\d+)\}/g, (_x, n: string) => (m ? m[Number(n)] ?? '' : ''));
      const absolute = /^(https?):\/\/([^/:]+)/i.exec(url);
      if (absolute) return bool(path(config, 'system.webServer', 'proxy', 'enabled'), false) ? { scheme: absolute[1]!.toLowerCase(), host: absolute[2]!.toLowerCase() } : null;
      input = url.replace(/^\//, '');
    }
    if (bool(get(rule, 'stopProcessing'), false)) break;
  }
  return null;
}

/** The rule that forwards the published request, for drift. */
function forwardingRule(state: SimState, proxy: ReverseProxyModel): any {
  const rules = list(path(state, 'iis', 'config', 'system.webServer', 'rewrite', 'globalRules', 'rule'));
  for (const rule of rules) {
    const saved = rule.enabled;
    rule.enabled = false;
    const without = forwardTarget(state, { https: true, host: proxy.publishedName, path: PUBLISHED_PATH });
    rule.enabled = saved;
    if (saved === undefined) delete rule.enabled;
    if (!without || without.host !== proxy.farmName.toLowerCase()) return rule;
  }
  return undefined;
}

/** HTTP.sys's endpoint of an IIS binding ('*:443:' -> '0.0.0.0:443'), as stubs/iis.ps1 maps it. */
export function sslEndpoint(bindingInformation: string): string | null {
  const m = /^(.*):(\d+):([^:]*)$/.exec(bindingInformation);
  if (!m) return null;
  return `${m[1] === '*' || m[1] === '' ? '0.0.0.0' : m[1]}:${m[2]}`;
}

/** HTTP.sys's SSL binding (iis.sslBindings) serving an https site binding, or undefined: IIS keeps no certificate in the binding itself. */
export function servingSslBinding(state: SimState, binding: any): any {
  const endpoint = sslEndpoint(String(get(binding, 'bindingInformation') ?? ''));
  return list(path(state, 'iis', 'sslBindings')).find((e) => endpoint !== null && same(get(e, 'ipPort'), endpoint));
}

function farmServers(state: SimState, farm: string): any[] {
  const f = list(path(state, 'iis', 'config', 'webFarms', 'webFarm')).find((x) => same(get(x, 'name'), farm));
  return f ? list(get(f, 'server')) : [];
}

function reverseProxyExpectations(proxy: ReverseProxyModel): Expectation[] {
  const out: Expectation[] = [];
  const https443 = (s: SimState) =>
    list(path(s, 'iis', 'sites'))
      .filter((site) => same(get(site, 'name'), 'Default Web Site'))
      .flatMap((site) => list(get(site, 'bindings')))
      .filter((b) => same(get(b, 'protocol'), 'https') && String(get(b, 'bindingInformation') ?? '').split(':')[1] === '443');
  if (proxy.thumbprint) {
    const thumbprint = proxy.thumbprint;
    out.push({
      setting: `carries certificate ${thumbprint}`,
      holds: (s) => https443(s).length > 0 && https443(s).every((b) => String(get(servingSslBinding(s, b), 'certificateHash') ?? '').toUpperCase() === thumbprint),
      // Another certificate in HTTP.sys for the binding's endpoint.
      drift: (s) => {
        for (const b of https443(s)) {
          const entry = servingSslBinding(s, b);
          if (entry) entry.certificateHash = '0'.repeat(40);
        }
      },
    });
  }
  out.push({
    setting: `server farm ${proxy.farmName}`,
    holds: (s) => list(path(s, 'iis', 'config', 'webFarms', 'webFarm')).some((x) => same(get(x, 'name'), proxy.farmName)),
    drift: (s) => {
      const farms = get(path(s, 'iis', 'config'), 'webFarms');
      farms.webFarm = list(get(farms, 'webFarm')).filter((x) => !same(get(x, 'name'), proxy.farmName));
    },
  });
  for (const backend of proxy.backends) {
    out.push({
      setting: `${backend} httpsPort 443`,
      holds: (s) => farmServers(s, proxy.farmName).some((x) => same(get(x, 'address'), backend) && Number(path(x, 'applicationRequestRouting', 'httpsPort') ?? 443) === 443),
      drift: (s) => {
        const server = farmServers(s, proxy.farmName).find((x) => same(get(x, 'address'), backend));
        if (server) ensure(server, 'applicationRequestRouting').httpsPort = 8443;
      },
    });
  }
  out.push({
    setting: 'answers 401',
    holds: (s) => forwardTarget(s, { https: true, host: proxy.publishedName, path: PUBLISHED_PATH })?.host === proxy.farmName.toLowerCase() && forwardTarget(s, { https: true, host: proxy.publishedName, path: PUBLISHED_PATH })?.scheme === 'https',
    drift: (s) => {
      const rule = forwardingRule(s, proxy);
      if (rule) rule.enabled = false;
    },
  });
  out.push({
    setting: '{HTTPS}',
    holds: (s) => forwardTarget(s, { https: false, host: proxy.publishedName, path: PUBLISHED_PATH }) === null,
    drift: (s) => {
      const rule = forwardingRule(s, proxy);
      if (rule) ensure(rule, 'conditions').add = list(get(get(rule, 'conditions'), 'add')).filter((c) => !same(get(c, 'input'), '{HTTPS}'));
    },
  });
  out.push({
    setting: '{HTTP_HOST}',
    holds: (s) => forwardTarget(s, { https: true, host: 'not-published.invalid', path: PUBLISHED_PATH }) === null,
    drift: (s) => {
      const rule = forwardingRule(s, proxy);
      if (rule) ensure(rule, 'conditions').add = list(get(get(rule, 'conditions'), 'add')).filter((c) => !same(get(c, 'input'), '{HTTP_HOST}'));
    },
  });
  out.push({
    setting: 'match url',
    holds: (s) => forwardTarget(s, { https: true, host: proxy.publishedName, path: 'owa/' }) === null && forwardTarget(s, { https: true, host: proxy.publishedName, path: 'PowerShellX' }) === null,
    drift: (s) => {
      const rule = forwardingRule(s, proxy);
      if (rule) ensure(rule, 'match').url = '.*';
    },
  });
  out.push({
    setting: 'preserveHostHeader',
    holds: (s) => bool(path(s, 'iis', 'config', 'system.webServer', 'proxy', 'preserveHostHeader'), false),
    drift: (s) => {
      ensure(s, 'iis', 'config', 'system.webServer', 'proxy').preserveHostHeader = false;
    },
  });
  return out;
}

function computerOf(state: SimState, server: ExchangeModel): any {
  return exchangeComputer(state, server) ?? {};
}

function delegationExpectations(environment: EnvironmentModel, forest: ForestModel): Expectation[] {
  const out: Expectation[] = [];
  const servers = environment.exchange.filter((x) => x.forest === forest.name && x.delegation.mode !== 'none');
  for (const server of servers.filter((x) => x.delegation.mode === 'unconstrained')) {
    out.push({
      setting: `${server.host} trusted for delegation`,
      holds: (s) => (Number(get(computerOf(s, server), 'userAccountControl') ?? 0) & 0x80000) !== 0,
      drift: (s) => {
        const c = exchangeComputer(s, server);
        if (c) c.userAccountControl = Number(get(c, 'userAccountControl') ?? 0) & ~0x80000;
      },
    });
    // TGT delegation: the account forest's trust object for this forest carries 0x800 where the spec declares it.
    for (const sync of environment.syncServers.filter((y) => y.forest !== forest.name && y.connections.some((c) => c.exchange === server.host))) {
      // Declared on either side's trust entry (the spec's two ways of saying it).
      const declared = [forest.trusts.find((t) => t.forest === sync.forest), environment.forests.find((f) => f.name === sync.forest)?.trusts.find((t) => t.forest === forest.name)].some((t) => t?.tgtDelegation === true);
      if (!declared) continue;
      const tdo = (s: SimState) => list(path(s, 'directory', 'ad', 'trusts')).find((t) => same(get(t, 'domain'), sync.forest) && same(get(t, 'trustPartner'), forest.name));
      if (out.some((e) => e.setting === `TGT delegation ${sync.forest}`)) continue;
      out.push({
        setting: `TGT delegation ${sync.forest}`,
        holds: (s) => (Number(get(tdo(s), 'trustAttributes') ?? 0) & 0x800) !== 0,
        drift: (s) => {
          const t = tdo(s);
          if (t) t.trustAttributes = Number(get(t, 'trustAttributes') ?? 0) & ~0x800;
        },
      });
    }
  }
  for (const server of servers.filter((x) => x.delegation.mode === 'resource-based')) {
    for (const backend of server.delegation.delegateTo) {
      out.push({
        setting: `${backend.display} accepts delegation from ${server.host}`,
        holds: (s) => {
          const sid = String(get(computerOf(s, server), 'objectSid') ?? '').toUpperCase();
          return sid !== '' && allowedSids(get(backendObject(s, backend), 'msDS-AllowedToActOnBehalfOfOtherIdentity')).includes(sid);
        },
        drift: (s) => {
          const object = backendObject(s, backend);
          const sid = String(get(computerOf(s, server), 'objectSid') ?? '').toUpperCase();
          if (!object) return;
          const key = Object.keys(object).find((k) => k.toLowerCase() === 'msds-allowedtoactonbehalfofotheridentity') ?? 'msDS-AllowedToActOnBehalfOfOtherIdentity';
          object[key] = String(object[key] ?? 'O:BAD:').replace(ACE, (ace, _t: string, aceSid: string) => (aceSid.toUpperCase() === sid ? '' : ace));
        },
      });
    }
  }
  return out;
}

/** The AD user an account names (DOMAIN\sam by the forest's NetBIOS name, or a UPN). */
function userOf(state: SimState, environment: EnvironmentModel, account: string): any {
  const down = /^([^\\@]+)\\(.+)$/.exec(account);
  const users = adObjects(state).filter((o) => o.kind === 'user').map((o) => o.object);
  if (down) {
    const domain = environment.forests.find((f) => same(f.netbiosName ?? f.name.split('.')[0], down[1]!))?.name;
    return users.find((u) => same(get(u, 'domain'), domain ?? '') && same(get(u, 'sAMAccountName'), down[2]!));
  }
  return users.find((u) => same(get(u, 'userPrincipalName'), account));
}

/**
 * Exchange's own access settings on a server: RemotePowerShellEnabled of every account that opens
 * a remote PowerShell session to its /PowerShell (sync connections, the external client test of a
 * proxy in front of it), and, from Exchange 2013 on, an Auth certificate valid for 30 more days.
 */
function exchangeAccessExpectations(environment: EnvironmentModel, server: ExchangeModel): Expectation[] {
  const out: Expectation[] = [];
  const accounts = new Map<string, string>();
  for (const sync of environment.syncServers) for (const c of sync.connections) if (same(c.exchange, server.host) && c.endpoint === 'exchange-powershell') accounts.set(c.credential.account.toLowerCase(), c.credential.account);
  for (const proxy of environment.reverseProxies) if (proxy.externalClient && proxy.backends.some((b) => same(b, server.host))) accounts.set(proxy.externalClient.credential.account.toLowerCase(), proxy.externalClient.credential.account);
  for (const account of accounts.values()) {
    out.push({
      setting: `RemotePowerShellEnabled of ${account}`,
      holds: (state) => {
        const user = userOf(state, environment, account);
        return user !== undefined && get(user, 'remotePowerShellEnabled') !== false;
      },
      drift: (state) => {
        const user = userOf(state, environment, account);
        if (user) user.remotePowerShellEnabled = false;
      },
    });
  }
  if (server.exchangeVersion !== 'exchange-2010') {
    const authCertificate = (state: SimState) => {
      const thumbprint = String(path(state, 'exchange', 'authConfig', 'currentCertificateThumbprint') ?? '');
      return list(path(state, 'certificates', 'My')).find((c) => thumbprint !== '' && same(get(c, 'Thumbprint'), thumbprint));
    };
    const now = (state: SimState) => Date.parse(String(path(state, 'host', 'now')));
    out.push({
      setting: 'Exchange Auth certificate',
      holds: (state) => {
        const c = authCertificate(state);
        return c !== undefined && Date.parse(String(get(c, 'NotAfter'))) - now(state) >= 30 * 86_400_000;
      },
      drift: (state) => {
        const c = authCertificate(state);
        if (c) c.NotAfter = new Date(now(state) + 10 * 86_400_000).toISOString();
      },
    });
  }
  return out;
}

const KDC_PROVIDER = 'Microsoft-Windows-Kerberos-Key-Distribution-Center';
/** An AES bit (0x8 AES128, 0x10 AES256) in msDS-SupportedEncryptionTypes ([MS-KILE] 2.2.7). */
const hasAes = (value: unknown) => (Number(value ?? 0) & 0x18) !== 0;
const setKey = (object: any, name: string, value: unknown) => {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
  object[key] = value;
};

/**
 * Kerberos AES (KB5073381) of what a forest holds for the spec's Kerberos connections: the account
 * a session runs as (in the forest its name says), the Exchange computer (in its forest), across
 * forests the trusted domain object each side keeps for the other, and no KDCSVC event 201-209 of
 * the last 7 days on the forest's declared domain controllers. An account without the attribute
 * counts as AES (the domain default since the April 2026 updates); a trust needs the bit.
 */
function kerberosExpectations(environment: EnvironmentModel, forest: ForestModel): Expectation[] {
  const out: Expectation[] = [];
  const add = (e: Expectation) => {
    if (!out.some((x) => x.setting === e.setting)) out.push(e);
  };
  const forestOfAccount = (account: string, fallback: string) => {
    const down = /^([^\\@]+)\\(.+)$/.exec(account);
    const domain = down ? down[1]! : account.slice(account.indexOf('@') + 1);
    return (
      environment.forests.find((f) => same(f.netbiosName ?? '', domain) || same(f.name, domain) || domain.toLowerCase().endsWith(`.${f.name}`))?.name ?? fallback
    );
  };
  let any = false;
  for (const sync of environment.syncServers) {
    for (const c of sync.connections.filter((x) => x.authentication === 'kerberos')) {
      const server = environment.exchange.find((x) => x.host === c.exchange);
      if (!server) continue;
      const account = c.credential.account;
      const accountForest = forestOfAccount(account, sync.forest);
      if (accountForest === forest.name || server.forest === forest.name) any = true;
      if (accountForest === forest.name) {
        add({
          setting: `Kerberos encryption types of ${account}`,
          holds: (s) => {
            const v = get(userOf(s, environment, account), 'msDS-SupportedEncryptionTypes');
            return v === null || v === undefined || Number(v) === 0 || hasAes(v);
          },
          drift: (s) => {
            const u = userOf(s, environment, account);
            if (u) setKey(u, 'msDS-SupportedEncryptionTypes', 0x4);
          },
        });
      }
      if (server.forest === forest.name) {
        add({
          setting: `Kerberos encryption types of computer ${server.host}`,
          holds: (s) => {
            const v = get(computerOf(s, server), 'msDS-SupportedEncryptionTypes');
            return v === null || v === undefined || Number(v) === 0 || hasAes(v);
          },
          drift: (s) => {
            const x = exchangeComputer(s, server);
            if (x) setKey(x, 'msDS-SupportedEncryptionTypes', 0x4);
          },
        });
      }
      if (accountForest === server.forest) continue;
      const partner = accountForest === forest.name ? server.forest : server.forest === forest.name ? accountForest : null;
      if (!partner) continue;
      const tdo = (s: SimState) => list(path(s, 'directory', 'ad', 'trusts')).find((t) => same(get(t, 'domain'), forest.name) && same(get(t, 'trustPartner'), partner));
      add({
        setting: `Kerberos encryption types of the trust ${forest.name} -> ${partner}`,
        holds: (s) => hasAes(get(tdo(s), 'msDS-SupportedEncryptionTypes')),
        drift: (s) => {
          const t = tdo(s);
          if (t) setKey(t, 'msDS-SupportedEncryptionTypes', 0x4);
        },
      });
    }
  }
  if (!any) return out;
  for (const dc of forest.domainControllers) {
    const records = (s: SimState) => list(path(s, 'eventLogs', dc.host, 'System'));
    const now = (s: SimState) => Date.parse(String(path(s, 'host', 'now')));
    add({
      setting: `KDCSVC events 201-209 on ${dc.host}`,
      holds: (s) =>
        !records(s).some((r) => same(get(r, 'ProviderName'), KDC_PROVIDER) && Number(get(r, 'Id')) >= 201 && Number(get(r, 'Id')) <= 209 && Date.parse(String(get(r, 'TimeCreated'))) >= now(s) - 7 * 86_400_000),
      drift: (s) => {
        const log = ensure(s, 'eventLogs', dc.host);
        log.System = [
          ...list(get(log, 'System')),
          { Id: 205, ProviderName: KDC_PROVIDER, TimeCreated: new Date(now(s) - 86_400_000).toISOString(), LevelDisplayName: 'Warning', Message: 'The Key Distribution Center (KDC) detected an insecure DefaultDomainSupportedEncTypes configuration.' },
        ];
      },
    });
  }
  return out;
}

/** The expectations for one host (its folder name) of the environment. */
export function expectationsFor(environment: EnvironmentModel, hostName: string): Expectation[] {
  const host = hostName.toLowerCase();
  const out: Expectation[] = [];
  const server = environment.exchange.find((x) => x.host === host);
  if (server) out.push(...virtualDirectoryExpectations(server), ...spnExpectations(server), ...exchangeAccessExpectations(environment, server));
  const proxy = environment.reverseProxies.find((p) => p.host === host);
  if (proxy) out.push(...reverseProxyExpectations(proxy));
  for (const forest of environment.forests) {
    const admin = forest.domainControllers[0]?.host ?? `ad-admin.${forest.name}`;
    if (admin === host) out.push(...delegationExpectations(environment, forest), ...kerberosExpectations(environment, forest));
  }
  return out;
}

/**
 * What Default Web Site/PowerShell of an Exchange server answers an anonymous request through a
 * proxy, from its state: 401 with Negotiate (Exchange's kerbauth module) and Basic when Basic
 * authentication is on there. The harness writes it into the proxy's iis.upstream.
 */
export function frontEndChallenge(state: SimState, fqdn: string): { status: number; authenticate: string[] } {
  return { status: 401, authenticate: ['Negotiate', ...(authEnabled(state, FRONT_END, 'basicAuthentication') ? [`Basic realm="${fqdn}"`] : [])] };
}
