/**
 * Which declared forest an account belongs to, read from how it is written: DOMAIN\name by the
 * NetBIOS name (or the DNS name) of the domain, name@domain by its DNS suffix. The model
 * (where delegation back ends are looked up, and where each connection's account gets its
 * forest, which the rules and the plan read) and the rules (which report a prefix no forest
 * declares, and compare two spellings of an account) ask this one function.
 */

interface DeclaredForest {
  name: string;
  netbiosName?: string | null | undefined;
}

const same = (a: string | null | undefined, b: string | null | undefined) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/**
 * The declared forest of `account`, or undefined when its domain matches none. A NetBIOS prefix
 * names its forest exactly; a DNS name (prefix or UPN suffix) names the most specific forest it
 * ends with, so that an account of eu.contoso.com belongs to eu.contoso.com and not to
 * contoso.com, whatever order the forests are declared or sorted in.
 */
export function accountForestOf<F extends DeclaredForest>(forests: readonly F[], account: string): F | undefined {
  const backslash = account.indexOf('\\');
  const domain = (backslash > 0 ? account.slice(0, backslash) : account.slice(account.indexOf('@') + 1)).toLowerCase();
  const byNetbios = backslash > 0 ? forests.find((f) => same(f.netbiosName, domain)) : undefined;
  if (byNetbios) return byNetbios;
  let best: F | undefined;
  for (const f of forests) {
    const name = f.name.toLowerCase();
    if ((domain === name || domain.endsWith(`.${name}`)) && (best === undefined || name.length > best.name.length)) best = f;
  }
  return best;
}

/** DNS name (lowercase) of the domain a DOMAIN\name account is looked up in, or undefined. */
export function accountDomain(forests: readonly DeclaredForest[], account: string): string | undefined {
  const backslash = account.indexOf('\\');
  if (backslash <= 0) return undefined;
  const prefix = account.slice(0, backslash);
  // A DNS name as prefix names its own domain (a child domain too); a NetBIOS name its forest root.
  if (prefix.includes('.')) return accountForestOf(forests, account) ? prefix.toLowerCase() : undefined;
  return accountForestOf(forests, account)?.name.toLowerCase();
}
