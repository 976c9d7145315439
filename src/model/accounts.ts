/**
 * Which declared forest an account belongs to, read from how it is written: DOMAIN\name by the
 * NetBIOS name (or the DNS name) of the domain, name@domain by its DNS suffix. The model
 * (where delegation back ends are looked up) and the rules (which report a prefix no forest
 * declares) ask this one function.
 */

interface DeclaredForest {
  name: string;
  netbiosName?: string | null | undefined;
}

const same = (a: string | null | undefined, b: string | null | undefined) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** The declared forest of `account`, or undefined when its domain matches none. */
export function accountForestOf<F extends DeclaredForest>(forests: readonly F[], account: string): F | undefined {
  const backslash = account.indexOf('\\');
  if (backslash > 0) {
    const prefix = account.slice(0, backslash);
    return forests.find((f) => same(f.netbiosName, prefix) || same(f.name, prefix) || prefix.toLowerCase().endsWith(`.${f.name.toLowerCase()}`));
  }
  const domain = account.slice(account.indexOf('@') + 1).toLowerCase();
  return forests.find((f) => domain === f.name.toLowerCase() || domain.endsWith(`.${f.name.toLowerCase()}`));
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
