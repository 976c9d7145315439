/**
 * The text of a template context that the input digest of a generated file hashes
 * (src/render/render.ts), and the condition that makes it sound.
 *
 * The text is `JSON.stringify` of the context. For plain data (strings, finite numbers, booleans,
 * null, plain arrays and plain objects) two contexts with the same text are the same data to a
 * template, key order included (a template that iterates an object sees its keys in that order).
 * Outside plain data JSON can collide: a Map and a Date write as `{}` and a string, a `toJSON`
 * method writes whatever it returns, NaN writes as `null`. So `contextText` first walks the value
 * and refuses those as a bug upstream; the walk costs about as much as the native serialization
 * (35-55 ms each over the 7.7 MB of contexts of 1,000 hosts; the hand-written serializer with
 * sorted keys this replaced took about 230 ms).
 *
 * `undefined` is data here: to a strict template a field present but undefined renders empty
 * where an absent one throws, and JSON would drop the one and write `null` for the other in an
 * array. A context holding it is written with each `undefined` as `{"\u0000undefined":true}`: an
 * object whose one key starts with a NUL, which no context builder makes.
 *
 * Keys are not sorted: the plan builds every context in code order, so equal data has equal text;
 * were a key order ever to follow the spec's, a reordered spec would only re-render a file whose
 * bytes then compare equal, never skip a changed one.
 */
export function contextText(value: unknown): string {
  const state = { undefinedSeen: false };
  // The quick walk says whether; the one that names where runs only for a refusal.
  if (!isPlain(value, state)) throw new Error(`bug: template data is not plain data: ${plainDataProblem(value) ?? 'unknown'}`);
  return state.undefinedSeen ? JSON.stringify(value, (_key, field: unknown) => (field === undefined ? UNDEFINED : field)) : JSON.stringify(value);
}

const UNDEFINED = { '\u0000undefined': true };

/**
 * Where `value` leaves plain data, as a path like `data.entries[2].port` with what is there, or
 * undefined when it is plain data throughout (`undefined` included, see contextText).
 */
export function plainDataProblem(value: unknown): string | undefined {
  return walk(value, '', { undefinedSeen: false });
}

/** An array or object of no class: Array.prototype, Object.prototype or none. */
function plainPrototype(value: object, isArray: boolean): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return isArray ? prototype === Array.prototype : prototype === Object.prototype || prototype === null;
}

/** `walk` without the paths: whether `value` is plain data, built for the digests' hot path (no string per field). */
function isPlain(value: unknown, state: { undefinedSeen: boolean }): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'undefined':
      state.undefinedSeen = true;
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      const isArray = Array.isArray(value);
      // JSON.stringify calls a toJSON it finds, own or inherited, and writes what it returns.
      if (!plainPrototype(value, isArray) || 'toJSON' in value) return false;
      if (isArray) {
        for (let i = 0; i < value.length; i++) if (!isPlain(value[i], state)) return false;
        return true;
      }
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) if (!isPlain(record[key], state)) return false;
      return true;
    }
    default:
      return false;
  }
}

function walk(value: unknown, path: string, state: { undefinedSeen: boolean }): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'undefined':
      state.undefinedSeen = true;
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path || '(root)'} holds the number ${value}`;
    case 'object': {
      if (value === null) return undefined;
      const where = path || '(root)';
      const isArray = Array.isArray(value);
      if (!plainPrototype(value, isArray)) return `${where} holds a ${(value as object).constructor?.name ?? 'non-plain object'}`;
      if ('toJSON' in value) return `${where} has a toJSON method`;
      if (isArray) {
        for (let i = 0; i < value.length; i++) {
          const problem = walk(value[i], `${path}[${i}]`, state);
          if (problem) return problem;
        }
        return undefined;
      }
      for (const [key, field] of Object.entries(value)) {
        const problem = walk(field, path ? `${path}.${key}` : key, state);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return `${path || '(root)'} holds a ${typeof value}`;
  }
}
