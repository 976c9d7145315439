/**
 * One text per value, whatever the order its object keys were set in: what the input digest of
 * a generated file (src/render/render.ts) hashes. Only plain data is accepted (strings, finite
 * numbers, booleans, null, arrays and plain objects), so two values with the same text are the
 * same data to a template; anything else (a Map, a Date, a function, NaN) is a bug upstream and
 * throws instead of hashing to something that could collide.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, parts: string[]): void {
  switch (typeof value) {
    case 'string':
      parts.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`bug: template data holds the number ${value}`);
      // -0 prints as 0 in a template, as JSON writes it.
      parts.push(JSON.stringify(value));
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'undefined':
      // Not JSON: a field present but undefined differs from an absent one to a strict template.
      parts.push('~');
      return;
    case 'object': {
      if (value === null) {
        parts.push('null');
        return;
      }
      if (Array.isArray(value)) {
        parts.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) parts.push(',');
          write(value[i], parts);
        }
        parts.push(']');
        return;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) throw new Error(`bug: template data holds a ${(value as object).constructor?.name ?? 'non-plain object'}`);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      parts.push('{');
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) parts.push(',');
        parts.push(JSON.stringify(keys[i]), ':');
        write(record[keys[i]!], parts);
      }
      parts.push('}');
      return;
    }
    default:
      throw new Error(`bug: template data holds a ${typeof value}`);
  }
}
