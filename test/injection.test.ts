/**
 * Injection: hostile strings in every string field the schema accepts. For each value, either
 * the spec is refused with a located diagnostic, or generation succeeds and
 *   - every script parses with zero errors;
 *   - every script has the syntax tree it has with the field's ordinary value, except for the
 *     literal holding the value: no value adds a command, a statement or a comment line, or
 *     breaks out of a comment;
 *   - the value appears in the scripts as whole string literals (or psq's documented
 *     concatenation of literals and [char] codes for control characters) whose decoded content
 *     is the value itself, wherever the ordinary value appeared;
 *   - PLAN.md keeps its lines, table cells and code fences; firewall.csv its rows and columns;
 *     manifest.json stays JSON.
 * Scripts are read by PowerShell's own parser (test/powershell/script-shape.ps1, one pwsh for the
 * file): its AST and token stream, and its reading of each single-quoted literal, typographic
 * quotes (U+2018-U+201B) included.
 * Bounded by count and time: the fixed sweep, the list of hostile strings and 300 random cases
 * always run (so the verdict never depends on the machine's speed); up to INJECTION_RUNS
 * (default 400) random cases in all, while INJECTION_SECONDS (default 90) allows. The seed is
 * fixed per commit (FC_SEED to replay, FC_RANDOM=1 to explore).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { parseDocument, type Document } from 'yaml';
import { expect, it } from 'vitest';
import { generateText } from '../src/index.js';
import type { FileMap } from '../src/shared/file-map.js';
import { HOSTILE_STRINGS, hostileString } from './helpers/hostile-strings.js';
import { propertySeed } from './helpers/property.js';
import { describeWithPwsh } from './helpers/pwsh.js';
import { readScript, readScripts, type ScriptShape } from './helpers/script-shape.js';
import { outcomeProblems, PIPELINE_FILE } from './helpers/pipeline.js';
import { readRepoFile } from './helpers/spec.js';
import { runAllScript } from '../src/plan/run-order.js';
import type { ScriptPlan } from '../src/plan/plan.js';

const RUNS = Number(process.env.INJECTION_RUNS ?? 400);
const SECONDS = Number(process.env.INJECTION_SECONDS ?? 90);
/** Random cases run whatever the time: with the list, they give at least MIN_DISTINCT distinct values. */
const MIN_RANDOM = 300;
const MIN_DISTINCT = 200;
const OPTIONS = { specPath: PIPELINE_FILE, toolVersion: '0.0.0' };

// ---- the string fields of the schema -------------------------------------------------------

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
}

/** Field patterns such as `exchange[].delegation.principals[]`, with whether the field is free text. */
function stringFields(schema: SchemaNode): Map<string, { freeText: boolean }> {
  const fields = new Map<string, { freeText: boolean }>();
  const walk = (node: SchemaNode, path: string, depth: number) => {
    if (depth > 20) return;
    if (node.$ref) return walk(schema.$defs![node.$ref.split('/').pop()!]!, path, depth + 1);
    for (const sub of [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])]) walk(sub, path, depth + 1);
    for (const [key, sub] of Object.entries(node.properties ?? {})) walk(sub, path ? `${path}.${key}` : key, depth + 1);
    if (node.items) walk(node.items, `${path}[]`, depth + 1);
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (types.includes('string') && node.enum === undefined && node.const === undefined) {
      fields.set(path, { freeText: node.pattern === undefined && node.format === undefined });
    }
  };
  walk(schema, '', 0);
  return fields;
}

type Path = (string | number)[];
const patternOf = (path: Path) => path.map((p) => (typeof p === 'number' ? '[]' : `.${p}`)).join('').replace(/^\./, '').replace(/\.\[\]/g, '[]');

interface Instance {
  base: number;
  path: Path;
  pattern: string;
  original: string;
}

/** Every string scalar of a base spec, with the schema field it fills. */
function instances(document: Document, base: number): Instance[] {
  const found: Instance[] = [];
  const visit = (value: unknown, path: Path) => {
    if (typeof value === 'string') found.push({ base, path, pattern: patternOf(path), original: value });
    else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(document.toJS(), []);
  return found;
}

// Two base specs that between them fill every string field: the template-coverage fixture
// (with the metadata it leaves out) and the reverse-proxy example.
const everyBranch = parseDocument(readRepoFile('test/fixtures/generate/every-branch.yaml'));
everyBranch.setIn(['metadata', 'changeReference'], 'CHG-0001');
everyBranch.setIn(['metadata', 'documentation'], 'https://wiki.fabrikam.com/runbooks/winrm');
everyBranch.setIn(['forests', 0, 'domainControllers', 0, 'ipv6'], 'fd00:1::10');
everyBranch.setIn(['exchange', 0, 'ipv6'], 'fd00:2::21');
everyBranch.setIn(['syncServers', 0, 'ipv6'], 'fd00:1::30');
everyBranch.setIn(['syncServers', 0, 'connections', 1, 'credential'], everyBranch.createNode({ source: 'vault', vault: 'BasicVault', secretName: 'svc-basic' }));
const arr = parseDocument(readRepoFile('examples/exchange-arr-publishing.yaml'));
arr.setIn(['reverseProxies', 0, 'ipv6'], 'fd00:3::10');
arr.setIn(['reverseProxies', 0, 'externalClient', 'credential'], arr.createNode({ source: 'vault', vault: 'AdminVault', secretName: 'exchange-admin' }));
arr.addIn(['waivers'], arr.createNode({ rule: 'baseline-deviation', host: 'exch1.contoso.com', control: 'WN22-CC-000500', reason: 'STIG exception EX-1 for the publishing CAS.' }));
// A commit hash looks like a key to secret-in-spec: waived for that one field and value.
const COMMIT = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';
arr.setIn(['metadata', 'changeReference'], COMMIT);
arr.addIn(['waivers'], arr.createNode({ rule: 'secret-in-spec', field: 'metadata.changeReference', sha256: createHash('sha256').update(COMMIT).digest('hex'), reason: 'The change reference is the commit of the approved change.' }));
const BASES = [everyBranch, arr];
const FIELDS = stringFields(JSON.parse(readRepoFile('schema/winrm-forge.schema.json')) as SchemaNode);
const INSTANCES = BASES.flatMap((d, i) => instances(d, i)).filter((x) => FIELDS.has(x.pattern));
const FREE_TEXT = INSTANCES.filter((x) => FIELDS.get(x.pattern)!.freeText);

function specWith(instance: Instance, value: string): string {
  const document = BASES[instance.base]!.clone();
  document.setIn(instance.path, value);
  return document.toString({ lineWidth: 0 });
}

// ---- reading the generated scripts -------------------------------------------------------

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const textOf = (bytes: Uint8Array) => decoder.decode(bytes);

/** The skeleton of a Markdown file: per line, its leading marker and its count of unescaped table pipes. */
function markdownSkeleton(text: string): string[] {
  return text.split('\n').map((line) => `${/^(#+ |```|\||- |\d+\. |)/.exec(line)![1]}${(line.match(/(?<!\\)\|/g) ?? []).length}`);
}

function csvShape(text: string): number[] {
  // Every field is quoted, quotes doubled: count fields per row on an outer-quote-aware split.
  return text.split('\r\n').map((row) => (row === '' ? 0 : row.match(/"(?:[^"]|"")*"/g)?.length ?? -1));
}

const baselineCache = new Map<string, Promise<{ files: FileMap; shapes: Map<string, ScriptShape>; model: unknown }>>();

/** The model the pipeline built, without the spec's hash (which every edit changes). */
function modelOf(outcome: Awaited<ReturnType<typeof generateText>>): unknown {
  const environment = outcome.plan?.environment;
  return environment ? { ...environment, specSha256: '' } : undefined;
}

/**
 * Whether `value` in place of `original` leaves the model's meaning alone: the two models are
 * equal once every string of the ordinary model has `original` replaced by `value` (as written,
 * or lowercased, as host names are). Lists may be reordered (they are sorted by name). A value
 * with a meaning of its own (a NetBIOS name that accounts no longer match, a mode) differs in
 * something no substitution explains, and then only what no value may ever break is compared.
 */
export function sameMeaning(ordinary: unknown, hostile: unknown, original: string, value: string): boolean {
  if (original === '') return JSON.stringify(ordinary) === JSON.stringify(hostile);
  const substitutions = [[original, value], [original.toLowerCase(), value.toLowerCase()]] as const;
  const substituted = (text: string) => substitutions.reduce((t, [from, to]) => t.split(from).join(to), text);
  const canonical = (node: unknown): string => {
    if (typeof node === 'string') return JSON.stringify(substituted(node));
    if (Array.isArray(node)) return `[${node.map(canonical).sort().join(',')}]`;
    if (node && typeof node === 'object') return `{${Object.keys(node).sort().map((k) => `${JSON.stringify(substituted(k))}:${canonical((node as Record<string, unknown>)[k])}`).join(',')}}`;
    return JSON.stringify(node) ?? 'undefined';
  };
  const plain = (node: unknown): string => {
    if (typeof node === 'string') return JSON.stringify(node);
    if (Array.isArray(node)) return `[${node.map(plain).sort().join(',')}]`;
    if (node && typeof node === 'object') return `{${Object.keys(node).sort().map((k) => `${JSON.stringify(k)}:${plain((node as Record<string, unknown>)[k])}`).join(',')}}`;
    return JSON.stringify(node) ?? 'undefined';
  };
  return canonical(ordinary) === plain(hostile);
}

async function generated(text: string): Promise<{ files?: FileMap; outcome: Awaited<ReturnType<typeof generateText>> }> {
  const outcome = await generateText(PIPELINE_FILE, text, OPTIONS);
  return { files: outcome.files, outcome };
}

async function baseline(base: number) {
  const key = String(base);
  let cached = baselineCache.get(key);
  if (!cached) {
    cached = (async () => {
      const { files, outcome } = await generated(BASES[base]!.toString({ lineWidth: 0 }));
      if (!files) throw new Error(`base spec ${base} does not generate`);
      const scripts = [...files].filter(([path]) => path.endsWith('.ps1'));
      const read = await readScripts(scripts.map(([, bytes]) => textOf(bytes)));
      const shapes = new Map<string, ScriptShape>(scripts.map(([path], i) => [path, read[i]!]));
      return { files, shapes, model: modelOf(outcome) };
    })();
    baselineCache.set(key, cached);
  }
  return cached;
}

/** Scripts and documents with `value` in place of the field's ordinary value: the problems found. */
async function acceptedProblems(instance: Instance, value: string, files: FileMap, hostileModel: unknown): Promise<string[]> {
  const base = await baseline(instance.base);
  const problems: string[] = [];
  // A valid value with a meaning (a NetBIOS name that accounts refer to) may change the model,
  // and so the steps and PLAN.md rows: then only what no value may ever break is compared
  // (every script parses, the value stays intact), not the shape of the ordinary output.
  const unchangedMeaning = sameMeaning(base.model, hostileModel, instance.original, value);
  if (unchangedMeaning && [...files.keys()].join('\n') !== [...base.files.keys()].join('\n')) {
    // A host name or similar changed the folder names: compare scripts by position instead.
    if (files.size !== base.files.size) problems.push(`file count ${files.size} instead of ${base.files.size}`);
  }
  const basePaths = [...base.files.keys()];
  const paths = [...files.keys()];
  let valueSeen = false;
  let originalSeen = false;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const basePath = basePaths[i] ?? path;
    const bytes = files.get(path)!;
    const baseBytes = base.files.get(basePath);
    let text: string;
    try {
      text = textOf(bytes);
    } catch {
      problems.push(`${path}: not valid UTF-8`);
      continue;
    }
    if (path.endsWith('.ps1')) {
      // The decoder consumes a byte order mark (ignoreBOM: false), so look for it in the bytes.
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      if (!/^[\u0000-\u007f]*$/.test(text) && !bom) problems.push(`${path}: non-ASCII without a byte order mark`);
      const baseText = baseBytes ? textOf(baseBytes) : '';
      // An untouched script is byte for byte the same: scripts do not carry the spec's hash.
      if (text === baseText) {
        // Unchanged: the value is whatever the ordinary script holds (a value equal to the
        // field's ordinary value, or one this script does not use).
        const literals = base.shapes.get(basePath)?.literals ?? [];
        if (literals.includes(instance.original)) originalSeen = true;
        if (literals.includes(value) || literals.includes(value.toLowerCase())) valueSeen = true;
        continue;
      }
      const script = await readScript(text);
      const before = base.shapes.get(basePath);
      problems.push(...script.problems.map((p) => `${path}: ${p}`));
      if (unchangedMeaning && before && script.shape.join(' ') !== before.shape.join(' ')) {
        const at = script.shape.findIndex((t, k) => t !== before.shape[k]);
        problems.push(`${path}: syntax tree differs from the ordinary one at node ${at}: ${script.shape.slice(at, at + 6).join(' ')} instead of ${before.shape.slice(at, at + 6).join(' ')}`);
      }
      if (before?.literals.includes(instance.original)) originalSeen = true;
      if (script.literals.includes(value) || script.literals.includes(value.toLowerCase())) valueSeen = true;
    } else if (path.endsWith('.md') && value.trim() !== '' && unchangedMeaning) {
      // (An empty value drops its line, e.g. "- **Description:**", by design.)
      const skeleton = markdownSkeleton(text);
      const baseSkeleton = markdownSkeleton(baseBytes ? textOf(baseBytes) : '');
      if (skeleton.join('\n') !== baseSkeleton.join('\n')) {
        const at = skeleton.findIndex((l, k) => l !== baseSkeleton[k]);
        problems.push(`${path}: Markdown structure differs at line ${at + 1}: ${JSON.stringify(text.split('\n')[at]?.slice(0, 120))}`);
      }
    } else if (path.endsWith('.csv') && unchangedMeaning) {
      if (csvShape(text).join(',') !== csvShape(baseBytes ? textOf(baseBytes) : '').join(',')) problems.push(`${path}: CSV rows or columns changed`);
    } else if (path.endsWith('.json')) {
      try {
        JSON.parse(text);
      } catch {
        problems.push(`${path}: not JSON`);
      }
    }
  }
  if (originalSeen && !valueSeen) problems.push(`the value does not appear intact as a string literal where ${JSON.stringify(instance.original)} did`);
  return problems;
}

interface Tally {
  values: Set<string>;
  accepted: number;
  refused: number;
  fields: Set<string>;
  acceptedFields: Set<string>;
}

const newTally = (): Tally => ({ values: new Set(), accepted: 0, refused: 0, fields: new Set(), acceptedFields: new Set() });

/** One hostile value in one field: the problems found (empty when it is handled safely). */
async function tryValue(instance: Instance, value: string, tally: Tally): Promise<string[]> {
  tally.values.add(value);
  tally.fields.add(instance.pattern);
  const text = specWith(instance, value);
  const { files, outcome } = await generated(text);
  const where = `${instance.path.join('.')} = ${JSON.stringify(value).slice(0, 80)}`;
  if (!files) {
    tally.refused++;
    const source = outcome.report.source?.text ?? text;
    const problems = outcomeProblems({ report: outcome.report, text: source, accepted: false }).map((p) => `${where}: ${p}`);
    // A schema refusal must point at the value (or at the list or mapping holding it).
    const schemaErrors = outcome.report.diagnostics.filter((d) => d.ruleId.startsWith('schema-'));
    if (schemaErrors.length > 0) {
      const node = parseDocument(source).getIn(instance.path, true) as { range?: [number, number, number] } | undefined;
      const range = node?.range;
      if (range && !schemaErrors.some((d) => d.range.start <= range[1] && d.range.end >= range[0])) {
        problems.push(`${where}: no schema diagnostic points at the value (${schemaErrors.map((d) => `${d.ruleId} ${d.range.start}-${d.range.end}`).join(', ')}; value at ${range[0]}-${range[1]})`);
      }
    }
    return problems;
  }
  tally.accepted++;
  tally.acceptedFields.add(instance.pattern);
  return (await acceptedProblems(instance, value, files, modelOf(outcome))).map((p) => `${where}: ${p}`);
}

/** The strings every field gets in the fixed sweep: one of each kind of trouble. */
const SWEEP = [
  "'; Stop-Computer -Force; '",
  '\u2018\u2019\u201a\u201b\u201c\u201d\u201e',
  '`$(whoami)',
  '${env:USERNAME}',
  'a; b | c & d',
  'line one\nline two',
  'cr\rhere',
  'nul\u0000here',
  '@"\nWrite-Host pwned\n"@',
  "@'\n'@",
  '<# block #> Stop-Computer',
  '#> Stop-Computer <#',
  'caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude00',
  'y'.repeat(490),
];

describeWithPwsh('the injection oracle', () => {
  it('reads literals the way PowerShell does, typographic quotes included', { timeout: 120_000 }, async () => {
    const [doubled, typographic, concatenation, broken, expandable] = await readScripts([
      "Write-Host -Object 'it''s'",
      "Write-Host -Object 'a\u2019\u2019b\u2018\u2018c\u201a\u201ad\u201b\u201be'",
      "Write-Host -Object ('a' + [char]0x0A + 'b')",
      "Write-Host -Object 'it\u2019s'",
      'Write-Host -Object "a"',
    ]);
    expect(doubled!.literals).toEqual(["it's"]);
    expect(typographic!.literals).toEqual(['a\u2019b\u2018c\u201ad\u201be']);
    expect(concatenation!.literals).toEqual(['a\nb']);
    expect(concatenation!.shape.filter((t) => t === 'literal')).toHaveLength(2); // one in the AST, one in the tokens
    // A lone typographic quote ends the literal (a grammar that ignores U+2019 reads one string).
    expect(broken!.problems.length + (broken!.literals.includes('it\u2019s') ? 0 : 1)).toBeGreaterThan(0);
    expect(expandable!.literals).toEqual([]);
  });

  it('finds every string field of the schema in the base specs', () => {
    expect(FIELDS.size).toBeGreaterThan(30);
    const covered = new Set(INSTANCES.map((x) => x.pattern));
    const missing = [...FIELDS.keys()].filter((f) => !covered.has(f));
    expect(missing, 'extend test/fixtures/generate/every-branch.yaml (or the base specs here) with these fields').toEqual([]);
  });

  it('notices a value that leaves its literal, or a line that leaves its comment', async () => {
    const plain = await readScript("Write-Host -Object 'x'\n# note\n");
    const escaped = await readScript("Write-Host -Object 'x'; Stop-Computer\n# note\n");
    const brokenComment = await readScript("Write-Host -Object 'x'\n# note\nStop-Computer\n");
    expect(escaped.shape).not.toEqual(plain.shape);
    // A quoting helper that doubled only ASCII quotes: PowerShell ends the literal at U+2019.
    const typographic = await readScript("Write-Host -Object 'x\u2019; Stop-Computer; \u2019'\n# note\n");
    expect(typographic.shape).not.toEqual(plain.shape);
    expect(brokenComment.shape).not.toEqual(plain.shape);
    expect(plain.literals).toEqual(['x']);
    expect(markdownSkeleton('| a | b\\|c |')).toEqual(markdownSkeleton('| a | x |'));
    expect(markdownSkeleton('| a | b|c |')).not.toEqual(markdownSkeleton('| a | x |'));
  });
});

describeWithPwsh('counterexamples found by random exploration', () => {
  const find = (pattern: string) => INSTANCES.find((x) => x.pattern === pattern)!;

  it('judges meaning by the model: substitution explains a renamed value, not a changed one', () => {
    const ordinary = { hosts: [{ host: 'a.contoso.com', domain: 'CORP' }, { host: 'b.contoso.com', domain: 'CORP' }] };
    expect(sameMeaning(ordinary, { hosts: [{ host: 'a.contoso.com', domain: 'X' }, { host: 'b.contoso.com', domain: 'X' }] }, 'CORP', 'X')).toBe(true);
    // Host names are lowercased: the lowercase form is substituted too.
    expect(sameMeaning({ host: 'exch.contoso.com' }, { host: 'exch.northwind.com' }, 'CONTOSO.COM', 'NORTHWIND.COM')).toBe(true);
    // Reordered by the new name: still the same meaning.
    expect(sameMeaning(ordinary, { hosts: [{ host: 'b.contoso.com', domain: 'CORP' }, { host: 'z.contoso.com', domain: 'CORP' }] }, 'a.contoso.com', 'z.contoso.com')).toBe(true);
    // A value that makes another field change (an account no longer matching its forest).
    expect(sameMeaning(ordinary, { hosts: [{ host: 'a.contoso.com', domain: 'X' }, { host: 'b.contoso.com', domain: 'FABRIKAM' }] }, 'CORP', 'X')).toBe(false);
    expect(sameMeaning({ n: 1 }, { n: 1, extra: true }, 'a', 'b')).toBe(false);
  });

  // Each of these failed before: a value equal to the ordinary one was "not intact", and a
  // NetBIOS name that no account matches any more was compared line by line with the ordinary PLAN.md.
  it.each([
    ['exchange[].winrm.ipv6Filter', ''],
    ['forests[].netbiosName', 'true'],
    ['forests[].netbiosName', '0x20'],
    ['forests[].netbiosName', '0'],
  ])('%s = %j', { timeout: 120_000 }, async (pattern, value) => {
    const instance = find(pattern);
    expect(instance, pattern).toBeDefined();
    expect(await tryValue(instance, value, newTally())).toEqual([]);
  });

  it('delegateTo = "0\\0"', { timeout: 120_000 }, async () => {
    const instance = INSTANCES.find((x) => x.pattern.startsWith('exchange[].delegation.delegateTo'))!;
    expect(instance).toBeDefined();
    expect(await tryValue(instance, '0\0', newTally())).toEqual([]);
  });
});

describeWithPwsh('hostile strings in every string field', () => {
  it('sweeps every field with one string of each kind of trouble', { timeout: 300_000 }, async () => {
    const tally = newTally();
    const problems: string[] = [];
    const seenPatterns = new Set<string>();
    for (const instance of INSTANCES) {
      // One instance per field and base is enough for the sweep; the random part varies the rest.
      const key = `${instance.base} ${instance.pattern}`;
      if (seenPatterns.has(key)) continue;
      seenPatterns.add(key);
      for (const value of SWEEP) problems.push(...(await tryValue(instance, value, tally)));
    }
    console.info(`injection sweep: ${tally.fields.size} fields x ${SWEEP.length} strings, ${tally.accepted} accepted and generated, ${tally.refused} refused; accepted in ${[...tally.acceptedFields].sort().join(', ')}`);
    expect(problems).toEqual([]);
    expect(tally.fields.size).toBe(FIELDS.size);
    // Free-text fields take these strings: the checks on generated files really ran.
    expect(tally.accepted).toBeGreaterThan(0);
  });

  it(`survives at least ${MIN_DISTINCT} distinct hostile values in random fields`, { timeout: (SECONDS + 180) * 1000 }, async () => {
    const tally = newTally();
    const started = Date.now();
    const field = fc.oneof(fc.constantFrom(...INSTANCES), fc.constantFrom(...FREE_TEXT));
    const property = fc.asyncProperty(field, hostileString, async (instance, value) => {
      expect(await tryValue(instance, value, tally)).toEqual([]);
    });
    // Bounded by count only, so the verdict never depends on the machine's speed: every hostile
    // string of the list, in a free-text field, then MIN_RANDOM random cases.
    for (const value of HOSTILE_STRINGS) {
      const instance = FREE_TEXT[tally.values.size % FREE_TEXT.length]!;
      expect(await tryValue(instance, value, tally)).toEqual([]);
    }
    await fc.assert(property, { numRuns: Math.min(RUNS, MIN_RANDOM) });
    // The rest of RUNS explores further for as long as INJECTION_SECONDS allows (another seed, so
    // it does not repeat the cases above).
    const elapsed = Date.now() - started;
    if (RUNS > MIN_RANDOM && elapsed < SECONDS * 1000) {
      await fc.assert(property, { numRuns: RUNS - MIN_RANDOM, seed: propertySeed(process.env).seed + 1, interruptAfterTimeLimit: SECONDS * 1000 - elapsed, markInterruptAsFailure: false });
    }
    console.info(`injection: ${tally.values.size} distinct values in ${((Date.now() - started) / 1000).toFixed(1)} s, ${tally.accepted} accepted and generated, ${tally.refused} refused`);
    expect(tally.values.size).toBeGreaterThanOrEqual(Math.min(MIN_DISTINCT, HOSTILE_STRINGS.length + Math.min(RUNS, MIN_RANDOM)));
    expect(tally.accepted).toBeGreaterThan(0);
  });
});

/** Appends `suffix` to every string of a plain value (objects and arrays copied). */
function appendToStrings<T>(value: T, suffix: string): T {
  if (typeof value === 'string') return (value + suffix) as T;
  if (Array.isArray(value)) return value.map((v) => appendToStrings(v, suffix)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, appendToStrings(v, suffix)])) as T;
  return value;
}

describeWithPwsh('templates with validation bypassed', () => {
  // Values no schema would let through, put straight into the plan the templates read: the
  // quoting helpers alone must keep every one inside its literal or its comment.
  const SUFFIXES = [
    "'; Stop-Computer -Force; '",
    '\u2018\u2019\u201a\u201b\u201c\u201d\u201e`$(whoami)${env:USERNAME}',
    'line one\nline two\rcr\u0000nul',
    '\r\n#> Stop-Computer\n<#',
    '"@\nStop-Computer\n@"',
    '\u2029Stop-Computer; a | b & c',
    '$(Stop-Computer)\u0085caf\u00e9',
  ];

  it('keeps every string of every script in its literal or comment, content intact', { timeout: 600_000 }, async () => {
    const result = await generateText(PIPELINE_FILE, BASES[0]!.toString({ lineWidth: 0 }), OPTIONS);
    const plan = result.plan!;
    const { render } = await import('../src/render/render.js');
    // One request per tree: the scripts are read in a batch.
    const readTree = async (tree: ReadonlyMap<string, Uint8Array>, only?: Map<string, ScriptShape>) => {
      const scripts = [...tree].filter(([path]) => path.endsWith('.ps1') && (!only || only.has(path)));
      const read = await readScripts(scripts.map(([, bytes]) => textOf(bytes)));
      return new Map<string, ScriptShape>(scripts.map(([path], i) => [path, read[i]!]));
    };
    const before = await readTree(render(plan));
    let literalsChecked = 0;
    for (const suffix of SUFFIXES) {
      const hostile = {
        ...plan,
        hosts: plan.hosts.map((h) => {
          const script = <S extends ScriptPlan>(s: S): S => ({ ...s, synopsis: s.synopsis + suffix, description: appendToStrings(s.description, suffix), data: appendToStrings(s.data, suffix) });
          // run-all.ps1 names the host in its synopsis, as the plan builds it for the renamed host.
          return { ...h, host: h.host + suffix, roleLabel: h.roleLabel + suffix, runFrom: h.runFrom + suffix, steps: h.steps.map(script), extras: h.extras.map(script), verify: script(h.verify), runAll: runAllScript(h.host + suffix, h.steps, h.verify) };
        }),
      };
      const problems: string[] = [];
      const read = await readTree(render(hostile), before);
      for (const [path, script] of read) {
        const shape = before.get(path)!;
        problems.push(...script.problems.map((p) => `${path}: ${p}`));
        if (script.shape.join(' ') !== shape.shape.join(' ')) {
          const at = script.shape.findIndex((t, k) => t !== shape.shape[k]);
          problems.push(`${path}: syntax tree differs at node ${at}: ${script.shape.slice(at, at + 6).join(' ')} instead of ${shape.shape.slice(at, at + 6).join(' ')}`);
          continue;
        }
        // Literal by literal: a template constant stays as it was; a literal built from values
        // (a message naming a host) carries the suffix whole after each value, and nothing else changes.
        script.literals.forEach((literal, k) => {
          const original = shape.literals[k]!;
          if (literal !== original && literal.split(suffix).join('') !== original) problems.push(`${path}: literal ${k} is ${JSON.stringify(literal.slice(0, 80))}, expected ${JSON.stringify((original + suffix).slice(0, 80))}`);
          literalsChecked++;
        });
      }
      expect(problems, JSON.stringify(suffix)).toEqual([]);
    }
    console.info(`templates with validation bypassed: ${SUFFIXES.length} suffixes, ${literalsChecked} literals checked`);
    expect(literalsChecked).toBeGreaterThan(1_000);
  });
});
