/**
 * Arbitrary spec inputs for fuzzing: the three examples mutated as text and as values, specs
 * generated from pools of valid and hostile values, and byte-level damage.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { hostileString } from './hostile-strings.js';
import { repoRoot } from './spec.js';

const exampleDir = join(repoRoot, 'examples');
export const EXAMPLE_TEXTS: readonly string[] = readdirSync(exampleDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => readFileSync(join(exampleDir, name), 'utf8'));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const exampleValues = EXAMPLE_TEXTS.map((text) => parse(text) as Json);

/** YAML syntax dropped in at a random place. */
const YAML_FRAGMENTS = [
  '&a ', '*a', '*nowhere', '[', ']', '{', '}', ': ', '- ', '? ', '"', "'", '|', '>-', '|+2',
  '---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2024:\n', '!!binary ', '!!str ', '!<tag:x> ', '!local ',
  '\t', '#', '\n', '\r\n', '\r', '\u0000', '\ufeff', '<<: *a\n', 'key: value\n', ',', '@', '`', '%',
  '  ', '\n  - ', '\n    ', '{a: 1, a: 2}', '[*a, *a]', '&a [x, x]', '? [a]\n: b\n', '"\\u0000"', '"\\x"',
];

/** Scalars of every type, to put where another type is expected. */
const SCALARS: readonly Json[] = [null, true, false, 0, -1, 1.5, 65536, 1e300, 'text', '', [], {}, ['a'], { a: 1 }];

// ---- text mutations: each takes the text and two random numbers in [0, 1) ----

type TextMutation = (text: string, a: number, b: number, extra: string) => string;

const lineBounds = (text: string, a: number) => {
  const lines = text.split('\n');
  return { lines, i: Math.floor(a * lines.length) };
};

const TEXT_MUTATIONS: Record<string, TextMutation> = {
  truncate: (text, a) => text.slice(0, Math.floor(a * text.length)),
  insertFragment: (text, a, b) => {
    const at = Math.floor(a * text.length);
    return text.slice(0, at) + YAML_FRAGMENTS[Math.floor(b * YAML_FRAGMENTS.length)] + text.slice(at);
  },
  insertHostile: (text, a, _b, extra) => {
    const at = Math.floor(a * text.length);
    return text.slice(0, at) + extra + text.slice(at);
  },
  replaceValue: (text, a, _b, extra) => {
    // The value after the first ": " on a line, replaced by a hostile string in double quotes.
    const { lines, i } = lineBounds(text, a);
    const line = lines[i] ?? '';
    const colon = line.indexOf(': ');
    if (colon >= 0) lines[i] = `${line.slice(0, colon + 2)}${JSON.stringify(extra)}`;
    return lines.join('\n');
  },
  deleteLine: (text, a) => {
    const { lines, i } = lineBounds(text, a);
    lines.splice(i, 1);
    return lines.join('\n');
  },
  duplicateLine: (text, a) => {
    const { lines, i } = lineBounds(text, a);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  },
  swapLines: (text, a, b) => {
    const { lines, i } = lineBounds(text, a);
    const j = Math.floor(b * lines.length);
    [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    return lines.join('\n');
  },
  reindent: (text, a, b) => {
    const { lines, i } = lineBounds(text, a);
    const shift = Math.floor(b * 7) - 3;
    const line = lines[i] ?? '';
    lines[i] = shift >= 0 ? ' '.repeat(shift) + line : line.replace(new RegExp(`^ {0,${-shift}}`), '');
    return lines.join('\n');
  },
  deleteSpan: (text, a, b) => {
    const at = Math.floor(a * text.length);
    return text.slice(0, at) + text.slice(at + Math.floor(b * 40));
  },
};

const textMutation = fc.tuple(fc.constantFrom(...Object.keys(TEXT_MUTATIONS)), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), hostileString);

/** An example with one to four text mutations applied. */
export const mutatedExampleText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...EXAMPLE_TEXTS), fc.array(textMutation, { minLength: 1, maxLength: 4 }))
  .map(([text, mutations]) => mutations.reduce((current, [name, a, b, extra]) => TEXT_MUTATIONS[name]!(current, a, b, extra), text));

// ---- value mutations: on the parsed example, then written back as YAML or JSON ----

/** Every container in the value with the path to it, parents first. */
function containers(value: Json): Json[] {
  const out: Json[] = [];
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== null && typeof node === 'object') {
      out.push(node);
      stack.push(...(Array.isArray(node) ? node : Object.values(node)));
    }
  }
  return out;
}

type ValueMutation = (target: Json, a: number, replacement: Json, key: string) => void;

const entriesOf = (target: Json): (string | number)[] => (Array.isArray(target) ? target.map((_, i) => i) : target !== null && typeof target === 'object' ? Object.keys(target) : []);
const pick = <T>(items: readonly T[], a: number): T | undefined => items[Math.floor(a * items.length)];
const getAt = (target: Json, key: string | number): Json => (target as Record<string | number, Json>)[key] as Json;
const setAt = (target: Json, key: string | number, value: Json) => {
  (target as Record<string | number, Json>)[key] = value;
};

const VALUE_MUTATIONS: Record<string, ValueMutation> = {
  deleteEntry: (target, a) => {
    const key = pick(entriesOf(target), a);
    if (key === undefined) return;
    if (Array.isArray(target)) target.splice(key as number, 1);
    else delete (target as Record<string, Json>)[key];
  },
  duplicateEntry: (target, a, _r, key) => {
    const from = pick(entriesOf(target), a);
    if (from === undefined) return;
    if (Array.isArray(target)) target.push(structuredClone(getAt(target, from)));
    else setAt(target, `${String(from)}${key.length % 2 === 0 ? '' : '2'}`, structuredClone(getAt(target, from)));
  },
  swapEntries: (target, a) => {
    const keys = entriesOf(target);
    const i = pick(keys, a);
    const j = pick(keys, 1 - a);
    if (i === undefined || j === undefined) return;
    const v = getAt(target, i);
    setAt(target, i, getAt(target, j));
    setAt(target, j, v);
  },
  changeType: (target, a, replacement) => {
    const key = pick(entriesOf(target), a);
    if (key !== undefined) setAt(target, key, replacement);
  },
  renameKey: (target, a, _r, key) => {
    const from = pick(entriesOf(target), a);
    if (from === undefined || Array.isArray(target)) return;
    setAt(target, key, getAt(target, from));
    delete (target as Record<string, Json>)[from];
  },
};

const valueMutation = fc.tuple(
  fc.constantFrom(...Object.keys(VALUE_MUTATIONS)),
  fc.nat(),
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  fc.oneof(fc.constantFrom(...SCALARS), hostileString),
  hostileString,
);

/** An example value with one to five mutations, written as YAML (or, sometimes, as JSON). */
export const mutatedExampleValue: fc.Arbitrary<string> = fc
  .tuple(fc.nat({ max: exampleValues.length - 1 }), fc.array(valueMutation, { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([index, mutations, asJson]) => {
    const value = structuredClone(exampleValues[index]!);
    for (const [name, at, a, replacement, key] of mutations) {
      const all = containers(value);
      VALUE_MUTATIONS[name]!(all[at % all.length]!, a, structuredClone(replacement), key);
    }
    return asJson ? JSON.stringify(value, null, 1) : stringify(value);
  });

// ---- generated specs: the right shape, values drawn from valid and hostile pools ----

const fqdn = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('exch', 'dc', 'sync', 'arr', 'mim'), fc.nat({ max: 99 }), fc.constantFrom('fabrikam.com', 'contoso.local', 'corp.example.org')).map(([h, n, d]) => `${h}${String(n).padStart(2, '0')}.${d}`) },
  { weight: 1, arbitrary: hostileString },
);
const ipv4 = fc.oneof({ weight: 6, arbitrary: fc.ipV4() }, { weight: 1, arbitrary: fc.oneof(hostileString, fc.constant('10.2.0.256'), fc.ipV6()) });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const pool = <T>(valid: readonly T[]) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom(...SCALARS)) });

const forest = fc.record({ name: fqdn, netbiosName: maybe(pool(['FABRIKAM', 'CONTOSO'])), domainControllers: maybe(fc.array(fc.record({ host: fqdn, ip: ipv4 }), { maxLength: 3 })), ldaps: maybe(pool([true, false])) });
const exchangeServer = fc.record({
  host: fqdn,
  forest: fqdn,
  ip: ipv4,
  os: maybe(pool(['windows-server-2016', 'windows-server-2019', 'windows-server-2022'])),
  exchangeVersion: maybe(pool(['exchange-2016', 'exchange-2019', 'exchange-se'])),
  remoteManagementUsers: maybe(fc.array(pool(['FABRIKAM\\svc_sync', 'svc@fabrikam.com']), { maxLength: 2 })),
  winrm: maybe(fc.record({ listeners: fc.array(fc.record({ transport: pool(['http', 'https']), port: maybe(pool([5985, 5986, 80, 443])), certificate: maybe(fc.record({ thumbprint: pool(['6A8D7E5537D441190FD72C7C2E879A064072CE0F']) })) }), { maxLength: 2 }) })),
});
const syncServer = fc.record({
  host: fqdn,
  forest: fqdn,
  ip: ipv4,
  product: pool(['fim-2010-r2', 'mim-2016', 'monosync', 'other']),
  serviceAccount: maybe(pool(['FABRIKAM\\svc_sync', 'svc@fabrikam.com'])),
  connections: maybe(fc.array(fc.record({ exchange: fqdn, authentication: maybe(pool(['kerberos', 'negotiate', 'basic'])) }), { maxLength: 2 })),
});

/** A spec of the right overall shape; most values valid, some hostile or of the wrong type. */
export const generatedSpec: fc.Arbitrary<string> = fc
  .record({
    version: pool([1]),
    environment: pool(['lab', 'contoso-galsync', 'prod-01']),
    forests: fc.array(forest, { minLength: 0, maxLength: 3 }),
    exchange: fc.array(exchangeServer, { minLength: 0, maxLength: 4 }),
    syncServers: maybe(fc.array(syncServer, { maxLength: 2 })),
    waivers: maybe(fc.array(fc.record({ rule: pool(['kerberos-needs-trust']), host: maybe(fqdn), reason: pool(['Accepted until the migration ends.', '']) }), { maxLength: 1 })),
  })
  .map((spec) => stringify(JSON.parse(JSON.stringify(spec)) as unknown));

/** Bytes of an example with random bytes written over part of it (invalid UTF-8, UTF-16 marks). */
export const damagedBytes: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.constantFrom(...EXAMPLE_TEXTS), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.uint8Array({ minLength: 1, maxLength: 8 }))
  .map(([text, a, bytes]) => {
    const encoded = new TextEncoder().encode(text);
    const at = Math.floor(a * encoded.length);
    return new Uint8Array([...encoded.subarray(0, at), ...bytes, ...encoded.subarray(at)]);
  });

/** Everything the fuzzer feeds the pipeline, mostly mutated examples. */
export const fuzzInput: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: mutatedExampleText },
  { weight: 3, arbitrary: mutatedExampleValue },
  { weight: 2, arbitrary: generatedSpec },
  { weight: 1, arbitrary: damagedBytes },
);
