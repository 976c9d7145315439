/**
 * Answers computed once per model. The stages ask the same question of one model (or plan) per
 * host, and a search per question grew with the square of the estate; the model is not changed
 * once built, so an answer can be kept for as long as the model lives.
 */

/** `compute`, evaluated once per distinct object it is given (kept weakly, gone with the object). */
export function oncePer<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}

/** Entries by name, the first declaration winning (duplicate-host reports the later ones). */
export function indexBy<T>(list: Iterable<T>, name: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of list) if (!out.has(name(item))) out.set(name(item), item);
  return out;
}
