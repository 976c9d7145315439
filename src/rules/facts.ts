/**
 * Questions several rules ask, answered from the model (src/model/), which derives every fact
 * once for the rules and the plan alike: which server a connection reaches and over which
 * endpoint, which listeners a server has, whether two forests trust each other, the forest of
 * an account, where an inherited setting came from. What this module adds is where each answer
 * sits in the spec (the entry as written and its path), so that rules quote the spec's own
 * words and locate their findings in its YAML document (src/rules/wording.ts: how names compare).
 */
import type { CbtHardening, Connection, ExchangeServer, Forest, Listener, ReverseProxy, Spec, SyncServer } from '../spec/spec-types.js';
import type { ConnectionModel, ExchangeModel, ForestModel, ListenerModel, ReverseProxyModel, SettingSource, SpecModel, SyncServerModel, TrustModel } from '../model/model.js';
import type { ParsedUri } from '../model/uri.js';
import { accountForestOf } from '../model/accounts.js';
import type { SpecPath } from './rule.js';
import { sameName } from './wording.js';
import { indexBy } from '../shared/memo.js';

/** What the questions are asked of: the spec as written and its model (a RuleContext has both). */
export interface Facts {
  spec: Spec;
  model: SpecModel<'open'>;
}

/** The entry at `index` of a spec list the model was built from (it is always there). */
function entryAt<T>(list: readonly T[] | undefined, index: number): T {
  const entry = list?.[index];
  if (entry === undefined) throw new Error(`bug: no spec entry at ${index}`);
  return entry;
}

export interface ExchangeFacts {
  /** As written in the spec. */
  server: ExchangeServer;
  model: ExchangeModel<'open'>;
  /** Position in spec.exchange. */
  index: number;
}

export interface SyncFacts {
  sync: SyncServer;
  model: SyncServerModel<'open'>;
  index: number;
}

export interface ProxyFacts {
  proxy: ReverseProxy;
  model: ReverseProxyModel<'open'>;
  index: number;
}

export interface ForestFacts {
  forest: Forest;
  model: ForestModel;
  index: number;
}

export interface ConnectionFacts {
  sync: SyncServer;
  syncModel: SyncServerModel<'open'>;
  syncIndex: number;
  connection: Connection;
  model: ConnectionModel<'open'>;
  /** Path of the connection entry. */
  path: SpecPath;
  /** The Exchange server it names; null when that is not declared (connection-unknown-exchange). */
  target: ExchangeFacts | null;
  /** The URI as the model reads it; null when it is no http(s) URL. */
  uri: ParsedUri | null;
}

export interface BackendFacts {
  proxy: ProxyFacts;
  /** As written in the spec. */
  backend: string;
  /** Position in the proxy's backends. */
  index: number;
  path: SpecPath;
  /** The Exchange server it names; null when that is not declared (proxy-unknown-backend). */
  target: ExchangeFacts | null;
}

interface Answers {
  exchange: ExchangeFacts[];
  syncServers: SyncFacts[];
  reverseProxies: ProxyFacts[];
  forests: ForestFacts[];
  connections: ConnectionFacts[];
  backends: BackendFacts[];
  connectionsTo: Map<number, ConnectionFacts[]>;
  exchangeByName: Map<string, ExchangeFacts>;
  forestByName: Map<string, ForestModel>;
}

// Rules ask the same questions of one model many times; answers are computed once per model.
const answers = new WeakMap<SpecModel<'open'>, Answers>();
const bySpecIndex = <T extends { index: number }>(a: T, b: T) => a.index - b.index;

function answersOf({ spec, model }: Facts): Answers {
  const known = answers.get(model);
  if (known) return known;
  const exchange = model.exchange.map((m): ExchangeFacts => ({ server: entryAt(spec.exchange, m.specIndex), model: m, index: m.specIndex })).sort(bySpecIndex);
  const exchangeByModel = new Map(exchange.map((x) => [x.model, x]));
  const target = (m: ExchangeModel<'open'> | null) => (m === null ? null : (exchangeByModel.get(m) ?? null));
  const syncServers = model.syncServers.map((m): SyncFacts => ({ sync: entryAt(spec.syncServers, m.specIndex), model: m, index: m.specIndex })).sort(bySpecIndex);
  const reverseProxies = model.reverseProxies.map((m): ProxyFacts => ({ proxy: entryAt(spec.reverseProxies, m.specIndex), model: m, index: m.specIndex })).sort(bySpecIndex);
  const forests = model.forests.map((m): ForestFacts => ({ forest: entryAt(spec.forests, m.specIndex), model: m, index: m.specIndex })).sort(bySpecIndex);
  // In spec order, as the rules report them.
  const connections = syncServers.flatMap((s) =>
    s.model.connections
      .map(
        (c): ConnectionFacts => ({
          sync: s.sync,
          syncModel: s.model,
          syncIndex: s.index,
          connection: entryAt(s.sync.connections, c.specIndex),
          model: c,
          path: ['syncServers', s.index, 'connections', c.specIndex],
          target: target(c.target),
          uri: c.parsedUri,
        }),
      )
      .sort((a, b) => a.model.specIndex - b.model.specIndex),
  );
  const backends = reverseProxies.flatMap((p) =>
    p.model.backendServers
      .map((b): BackendFacts => ({ proxy: p, backend: entryAt(p.proxy.backends, b.specIndex), index: b.specIndex, path: ['reverseProxies', p.index, 'backends', b.specIndex], target: target(b.server) }))
      .sort(bySpecIndex),
  );
  const connectionsTo = new Map<number, ConnectionFacts[]>();
  for (const c of connections) {
    if (!c.target) continue;
    const list = connectionsTo.get(c.target.index) ?? [];
    list.push(c);
    connectionsTo.set(c.target.index, list);
  }
  const exchangeByName = indexBy(exchange, (x) => x.model.host);
  const forestByName = new Map([...indexBy(forests, (f) => f.model.name)].map(([name, f]) => [name, f.model]));
  const out = { exchange, syncServers, reverseProxies, forests, connections, backends, connectionsTo, exchangeByName, forestByName };
  answers.set(model, out);
  return out;
}

/** Every Exchange server, in spec order, with its model. */
export function exchangeServers(facts: Facts): readonly ExchangeFacts[] {
  return answersOf(facts).exchange;
}

/** Every sync server, in spec order, with its model. */
export function syncServers(facts: Facts): readonly SyncFacts[] {
  return answersOf(facts).syncServers;
}

/** Every reverse proxy, in spec order, with its model. */
export function reverseProxies(facts: Facts): readonly ProxyFacts[] {
  return answersOf(facts).reverseProxies;
}

/** Every forest, in spec order, with its model. */
export function forests(facts: Facts): readonly ForestFacts[] {
  return answersOf(facts).forests;
}

/** The spec entry of a forest of the model (rules print its name as written). */
export function forestEntry(facts: Facts, forest: ForestModel): Forest {
  return entryAt(facts.spec.forests, forest.specIndex);
}

/** The Exchange server declared under this name (the first declaration), if any. */
export function exchangeNamed(facts: Facts, host: string): ExchangeFacts | undefined {
  return answersOf(facts).exchangeByName.get(host.toLowerCase());
}

/** The declared forest of this name (the first declaration), if any. */
export function forestNamed(facts: Facts, name: string): ForestModel | undefined {
  return answersOf(facts).forestByName.get(name.toLowerCase());
}

/** Every connection of every sync server, in spec order, with its model, target and parsed URI. */
export function connections(facts: Facts): readonly ConnectionFacts[] {
  return answersOf(facts).connections;
}

/** The connections that reach the Exchange server at `exchangeIndex` of the spec. */
export function connectionsTo(facts: Facts, exchangeIndex: number): readonly ConnectionFacts[] {
  return answersOf(facts).connectionsTo.get(exchangeIndex) ?? [];
}

/** Every backend of every reverse proxy, in spec order, with the server it names. */
export function backends(facts: Facts): readonly BackendFacts[] {
  return answersOf(facts).backends;
}

/** Trust entries between two forests (names as written or not), declared on either side. */
export function trustsBetween(facts: Facts, a: string, b: string): TrustModel[] {
  const out: TrustModel[] = [];
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const trust of forestNamed(facts, from)?.trusts ?? []) if (sameName(trust.forest, to)) out.push(trust);
  }
  return out;
}

export interface ListenerFacts {
  /** The spec's entry; undefined for the implicit listener of Enable-PSRemoting. */
  listener?: Listener;
  /** The model's listener; undefined for the implicit listener. */
  model?: ListenerModel;
  transport: 'http' | 'https';
  port: number;
  /** Path of the listener entry; undefined for the implicit listener. */
  path?: SpecPath;
}

/**
 * The WinRM listeners a server will have: the declared ones, or, when none are declared, the
 * HTTP listener on 5985 that Enable-PSRemoting creates. In spec order.
 */
export function listenersOf(target: ExchangeFacts): ListenerFacts[] {
  const winrm = target.model.winrm;
  if (!winrm?.listenersDeclared) return [{ transport: 'http', port: 5985 }];
  return [...winrm.listeners]
    .sort((a, b) => a.specIndex - b.specIndex)
    .map((l: ListenerModel): ListenerFacts => ({
      listener: entryAt(target.server.winrm?.listeners, l.specIndex),
      model: l,
      transport: l.transport,
      port: l.port,
      path: ['exchange', target.index, 'winrm', 'listeners', l.specIndex],
    }));
}

/** Where the spec sets an inherited setting of a host: its own field, `defaults`, or nowhere (the fallback). */
export function settingPath(source: SettingSource, own: SpecPath, defaultsKey: string): SpecPath | undefined {
  return source === 'host' ? own : source === 'defaults' ? ['defaults', defaultsKey] : undefined;
}

/** Effective CbtHardeningLevel (the model's) and where the spec set it. */
export function cbtHardeningOf(target: ExchangeFacts): { value: CbtHardening; path?: SpecPath } {
  const { value, source } = target.model.cbtHardening;
  const path = settingPath(source, ['exchange', target.index, 'winrm', 'auth', 'cbtHardening'], 'cbtHardening');
  return path ? { value, path } : { value };
}

/**
 * The declared forest of an account, 'DOMAIN\\name' by NetBIOS name or 'name@domain' by the most
 * specific DNS suffix (the rule of the model's ConnectionModel.account.forest); undefined when it
 * cannot be told.
 */
export function accountForest(facts: Facts, account: string): ForestModel | undefined {
  return accountForestOf(facts.model.forests, account);
}

/**
 * Whether two spellings name the same account: equal text, or DOMAIN\\sam, dns.domain\\sam and
 * sam@dns.domain in the same declared forest with the same name (a UPN prefix is taken as the
 * sAMAccountName, the usual convention; the scripts compare by SID and do not rely on it).
 */
export function sameAccount(facts: Facts, a: string, b: string): boolean {
  if (sameName(a, b)) return true;
  const name = (account: string) => (account.includes('\\') ? account.slice(account.indexOf('\\') + 1) : account.slice(0, account.indexOf('@')));
  if (!sameName(name(a), name(b))) return false;
  const forestA = accountForest(facts, a);
  return forestA !== undefined && forestA === accountForest(facts, b);
}
