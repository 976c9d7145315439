/**
 * The text of a template context that the input digest of a generated file hashes
 * (src/render/render.ts), and the condition that makes it sound.
 *
 * The text is `JSON.stringify` of the context. For plain data (strings, finite numbers, booleans,
 * null, arrays and plain objects, no `undefined` anywhere) two contexts with the same text are the
 * same data to a template, key order included (a template that iterates an object sees its keys
 * in that order). Outside plain data JSON can collide: a Map and a Date write as `{}` and a
 * string, `undefined` disappears (and to a strict template a field present but undefined differs
 * from an absent one), NaN writes as `null`. So `contextText` first walks the value and refuses
 * anything else as a bug upstream; the walk costs about as much as the native serialization
 * (35-55 ms each over the 7.7 MB of contexts of 1,000 hosts; the hand-written serializer with
 * sorted keys this replaced took about 230 ms).
 *
 * Keys are not sorted: the plan builds every context in code order, so equal data has equal text;
 * were a key order ever to follow the spec's, a reordered spec would only re-render a file whose
 * bytes then compare equal, never skip a changed one.
 */
export function contextText(value: unknown): string {
  const problem = plainDataProblem(value);
  if (problem) throw new Error(`bug: template data is not plain data: ${problem}`);
  return JSON.stringify(value);
}

/**
 * Where `value` leaves plain data, as a path like `data.entries[2].port` with what is there, or
 * undefined when it is plain data throughout.
 */
export function plainDataProblem(value: unknown, path = ''): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path || '(root)'} holds the number ${value}`;
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = plainDataProblem(value[i], `${path}[${i}]`);
          if (problem) return problem;
        }
        return undefined;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return `${path || '(root)'} holds a ${(value as object).constructor?.name ?? 'non-plain object'}`;
      for (const [key, field] of Object.entries(value)) {
        const problem = plainDataProblem(field, path ? `${path}.${key}` : key);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return `${path || '(root)'} holds ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`;
  }
}
