/**
 * Questions several rules ask of a spec: which server a connection reaches and over which
 * endpoint, which listeners a server has, whether two forests trust each other.
 * Host and forest names compare case-insensitively, as DNS does.
 */
import type { CbtHardening, Connection, ExchangeServer, Forest, Listener, PreferIPv4, Spec, SyncServer, Trust } from '../spec/spec-types.js';
import { accountForestOf } from '../model/accounts.js';
import { cbtHardening, listenerPort, preferIPv4 } from '../model/defaults.js';
import { parseConnectionUri, type ParsedUri } from '../model/uri.js';
import type { SpecPath } from './rule.js';

export function sameName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

// Rules ask the same questions of one spec many times; answers are computed once per spec.
const exchangeIndexes = new WeakMap<Spec, Map<string, number>>();
const connectionLists = new WeakMap<Spec, ConnectionFacts[]>();

export function findExchange(spec: Spec, host: string): { server: ExchangeServer; index: number } | undefined {
  let byName = exchangeIndexes.get(spec);
  if (!byName) {
    byName = new Map();
    // The first declaration wins, as duplicate-host reports the later ones.
    for (let i = spec.exchange.length - 1; i >= 0; i--) byName.set((spec.exchange[i] as ExchangeServer).host.toLowerCase(), i);
    exchangeIndexes.set(spec, byName);
  }
  const index = byName.get(host.toLowerCase());
  const server = index === undefined ? undefined : spec.exchange[index];
  return server && index !== undefined ? { server, index } : undefined;
}

const forestIndexes = new WeakMap<Spec, Map<string, Forest>>();

export function findForest(spec: Spec, name: string): Forest | undefined {
  let byName = forestIndexes.get(spec);
  if (!byName) {
    byName = new Map();
    // The first declaration wins, as for Exchange servers.
    for (let i = spec.forests.length - 1; i >= 0; i--) byName.set((spec.forests[i] as Forest).name.toLowerCase(), spec.forests[i] as Forest);
    forestIndexes.set(spec, byName);
  }
  return byName.get(name.toLowerCase());
}

/** Trust entries between two forests, declared on either side. */
export function trustsBetween(spec: Spec, a: string, b: string): Trust[] {
  const out: Trust[] = [];
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const trust of findForest(spec, from)?.trusts ?? []) if (sameName(trust.forest, to)) out.push(trust);
  }
  return out;
}

export type { Endpoint, ParsedUri } from '../model/uri.js';
/** The one reading of a connection URI, shared with the model. */
export { parseConnectionUri as parseUri } from '../model/uri.js';

export interface ConnectionFacts {
  sync: SyncServer;
  syncIndex: number;
  connection: Connection;
  /** Path of the connection entry. */
  path: SpecPath;
  /** The Exchange server it names, when declared. */
  target?: { server: ExchangeServer; index: number };
  uri?: ParsedUri;
}

/** Every connection of every sync server, with its target and parsed URI. */
export function connections(spec: Spec): readonly ConnectionFacts[] {
  const known = connectionLists.get(spec);
  if (known) return known;
  const out: ConnectionFacts[] = [];
  (spec.syncServers ?? []).forEach((sync, syncIndex) => {
    sync.connections.forEach((connection, index) => {
      const target = findExchange(spec, connection.exchange);
      const uri = parseConnectionUri(connection.uri);
      out.push({ sync, syncIndex, connection, path: ['syncServers', syncIndex, 'connections', index], ...(target ? { target } : {}), ...(uri ? { uri } : {}) });
    });
  });
  connectionLists.set(spec, out);
  return out;
}

const connectionsByTarget = new WeakMap<Spec, Map<number, ConnectionFacts[]>>();

/** The connections that reach the Exchange server at `exchangeIndex`. */
export function connectionsTo(spec: Spec, exchangeIndex: number): readonly ConnectionFacts[] {
  let grouped = connectionsByTarget.get(spec);
  if (!grouped) {
    grouped = new Map();
    for (const c of connections(spec)) {
      if (!c.target) continue;
      const list = grouped.get(c.target.index) ?? [];
      list.push(c);
      grouped.set(c.target.index, list);
    }
    connectionsByTarget.set(spec, grouped);
  }
  return grouped.get(exchangeIndex) ?? [];
}

export interface ListenerFacts {
  listener: Listener;
  port: number;
  /** Path of the listener entry; undefined for the implicit listener of Enable-PSRemoting. */
  path?: SpecPath;
}

/**
 * The WinRM listeners a server will have: the declared ones, or, when none are declared, the
 * HTTP listener on 5985 that Enable-PSRemoting creates.
 */
export function listenersOf(server: ExchangeServer, serverIndex: number): ListenerFacts[] {
  const declared = server.winrm?.listeners;
  if (!declared) return [{ listener: { transport: 'http' }, port: 5985 }];
  return declared.map((listener, i) => ({ listener, port: listenerPort(listener), path: ['exchange', serverIndex, 'winrm', 'listeners', i] }));
}

/** Effective CbtHardeningLevel (the model's) and where the spec set it. */
export function cbtHardeningOf(spec: Spec, server: ExchangeServer, serverIndex: number): { value: CbtHardening; path?: SpecPath } {
  const own = server.winrm?.auth?.cbtHardening;
  if (own) return { value: own, path: ['exchange', serverIndex, 'winrm', 'auth', 'cbtHardening'] };
  const inherited = spec.defaults?.cbtHardening;
  if (inherited) return { value: inherited, path: ['defaults', 'cbtHardening'] };
  return { value: cbtHardening(undefined, undefined) };
}

export function preferIPv4Of(spec: Spec, host: { preferIPv4?: PreferIPv4 }): PreferIPv4 {
  return preferIPv4(host.preferIPv4, spec.defaults?.preferIPv4);
}

/**
 * The forest of an account, 'DOMAIN\\name' by NetBIOS name or 'name@domain' by DNS suffix,
 * when the spec declares it; undefined when it cannot be told.
 */
export function accountForest(spec: Spec, account: string): Forest | undefined {
  return accountForestOf(spec.forests, account);
}

/**
 * Whether two spellings name the same account: equal text, or DOMAIN\\sam, dns.domain\\sam and
 * sam@dns.domain in the same declared forest with the same name (a UPN prefix is taken as the
 * sAMAccountName, the usual convention; the scripts compare by SID and do not rely on it).
 */
export function sameAccount(spec: Spec, a: string, b: string): boolean {
  if (sameName(a, b)) return true;
  const name = (account: string) => (account.includes('\\') ? account.slice(account.indexOf('\\') + 1) : account.slice(0, account.indexOf('@')));
  if (!sameName(name(a), name(b))) return false;
  const forestA = accountForest(spec, a);
  return forestA !== undefined && forestA === accountForest(spec, b);
}

/** Lists names as "a, b and c". */
export function listing(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Bit 0x10 of DisabledComponents disables IPv6 on all non-tunnel interfaces (KB 929852). */
export const IPV6_DISABLED_BIT = 0x10;

export function disabledComponentsEntries(spec: Spec) {
  const out: { host: string; value: number; path: SpecPath }[] = [];
  spec.exchange.forEach((s, i) => s.disabledComponents !== undefined && out.push({ host: s.host, value: s.disabledComponents, path: ['exchange', i, 'disabledComponents'] }));
  (spec.syncServers ?? []).forEach((s, i) => s.disabledComponents !== undefined && out.push({ host: s.host, value: s.disabledComponents, path: ['syncServers', i, 'disabledComponents'] }));
  return out;
}

export const hex = (v: number) => `0x${v.toString(16).toUpperCase().padStart(2, '0')}`;
