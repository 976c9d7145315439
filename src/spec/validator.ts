/**
 * Stage 2: check the loaded spec against the JSON Schema and turn every ajv error into a
 * located sentence a Windows engineer understands, without cascades for one mistake.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, type Document, type Node } from 'yaml';
import { type Diagnostic, type Range } from '../shared/diagnostics.js';
import type { LoadedSpec } from './load.js';
import { secretKind } from './secrets.js';
import { suggest } from '../shared/suggest.js';
import { isWindowsDeviceName } from '../shared/windows-names.js';

type JsonSchema = {
  /** Editor annotations: the sentence shown for a failed pattern, or for any error of the node. */
  patternErrorMessage?: string;
  errorMessage?: string;
  type?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  $ref?: string;
  default?: unknown;
  required?: string[];
};

let compiled: ValidateFunction | undefined;

/**
 * The validation function compiled from the schema at build time (scripts/build-validator.mjs,
 * same ajv options: allErrors, strict, verbose), loaded on first use so that start-up neither
 * loads ajv's compiler nor compiles the schema.
 */
async function validatorFunction(): Promise<ValidateFunction> {
  if (compiled) return compiled;
  const generated = (await import('../generated/schema-validator.js')) as unknown as { validate: ValidateFunction };
  compiled = generated.validate;
  return compiled;
}

/** Returns the schema diagnostics of a loaded spec (empty when it is structurally valid). */
export async function validate(spec: LoadedSpec): Promise<Diagnostic[]> {
  const check = await validatorFunction();
  if (check(spec.value)) return [];
  return mapErrors(spec, check.errors ?? []);
}

function mapErrors(spec: LoadedSpec, errors: ErrorObject[]): Diagnostic[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const kept = errors.filter((e) => !(e.schemaPath.includes('/anyOf/') && anyOfPaths.has(e.instancePath)));
  // A misspelt key reported as unknown makes the "missing" report of the key it meant redundant.
  const meant = new Set<string>();
  for (const e of kept) {
    if (e.keyword !== 'additionalProperties') continue;
    const allowed = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
    const guess = suggest(String(e.params.additionalProperty), allowed);
    if (guess !== undefined) meant.add(`${e.instancePath}\u0000${guess}`);
  }
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    if (e.keyword === 'required' && meant.has(`${e.instancePath}\u0000${String(e.params.missingProperty)}`)) continue;
    if (e.keyword === 'if') continue;
    const key = `${e.instancePath}\u0000${e.keyword}\u0000${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(describe(spec, e));
  }
  return out;
}

function segments(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** exchange[0].winrm.listeners[0] */
export function displayPath(parts: readonly (string | number)[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number' || /^\d+$/.test(part)) out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** The range of the YAML node at a path, falling back to the nearest ancestor that exists. */
export function rangeAt(document: Document.Parsed, parts: readonly (string | number)[], key?: string): Range {
  for (let n = parts.length; n >= 0; n--) {
    const node = (n === 0 ? document.contents : document.getIn(parts.slice(0, n), true)) as Node | null | undefined;
    if (!node || !node.range) continue;
    if (n === parts.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return { start: keyNode.range[0], end: keyNode.range[1] };
    }
    return { start: node.range[0], end: Math.max(node.range[1], node.range[0] + 1) };
  }
  return { start: 0, end: 1 };
}

/** Range of the key of the entry at `parts` (its last segment), or of the entry itself. */
function keyRangeAt(document: Document.Parsed, parts: readonly string[]): Range {
  const last = parts[parts.length - 1];
  if (last !== undefined && !/^\d+$/.test(last)) return rangeAt(document, parts.slice(0, -1), last);
  return rangeAt(document, parts);
}

function got(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') {
    // A message travels to terminals, CI logs and SARIF uploads: never quote a secret into it.
    const kind = secretKind(value, undefined);
    if (kind) return `a value that looks like ${kind}, not repeated here`;
    return `"${value.length > 60 ? value.slice(0, 57) + '...' : value}"`;
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const typeNames: Record<string, string> = {
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  array: 'a list',
  object: 'a mapping of keys',
};

const SECRET_KEY = /pass(word|wd|phrase)?|pwd|kennwort|secret|token|api[-_]?key|private[-_]?key|pfx|credentials?/i;

/** A value under an unknown key that is, or holds, a secret-looking value or key. */
function holdsSecret(value: unknown): boolean {
  if (typeof value === 'string') return secretKind(value, undefined) !== undefined;
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (isPlainObject(value)) return Object.entries(value as Record<string, unknown>).some(([k, v]) => SECRET_KEY.test(k) || holdsSecret(v));
  return false;
}

function describe(spec: LoadedSpec, e: ErrorObject): Diagnostic {
  const parts = segments(e.instancePath);
  const path = displayPath(parts);
  const where = path === '' ? 'the spec' : path;
  const schema = (e.parentSchema ?? {}) as JsonSchema;
  const data: unknown = e.data;
  let range = rangeAt(spec.document, parts);
  let ruleId = `schema-${e.keyword}`;
  let message: string;
  let hint: string;
  // The value this error is about, when it looks like a secret: excerpts mask it.
  let secretRange: Range | undefined = typeof data === 'string' && secretKind(data, parts[parts.length - 1]) ? rangeAt(spec.document, parts) : undefined;

  switch (e.keyword) {
    case 'required': {
      const missing = String(e.params.missingProperty);
      ruleId = 'schema-required';
      message = `${where} is missing the required key ${missing}`;
      const about = schema.properties?.[missing]?.description;
      hint = `Add ${missing}:${about ? ` ${about}` : ''}`;
      range = path === '' ? { start: range.start, end: range.start + 1 } : keyRangeAt(spec.document, parts);
      break;
    }
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const guess = suggest(extra, allowed);
      ruleId = 'schema-unknown-key';
      message = `${where} has an unknown key ${extra}`;
      const extraValue = isPlainObject(data) ? (data as Record<string, unknown>)[extra] : undefined;
      if (SECRET_KEY.test(extra) || holdsSecret(extraValue)) secretRange = rangeAt(spec.document, [...parts, extra]);
      if (SECRET_KEY.test(extra)) hint = 'No secret belongs in a spec: scripts prompt for credentials (credential: { source: prompt }) or read them from a SecretManagement vault (credential: { source: vault, vault: ..., secretName: ... }).';
      else if (guess) hint = `Did you mean ${guess}?`;
      else hint = `Allowed keys here: ${allowed.join(', ')}.`;
      range = rangeAt(spec.document, parts, extra);
      break;
    }
    case 'type': {
      const expected = String(e.params.type);
      ruleId = 'schema-type';
      message = `${where} must be ${typeNames[expected] ?? expected} (got ${got(data)})`;
      if (expected === 'boolean' && typeof data === 'string') hint = `Write true or false without quotes; YAML 1.2 reads ${got(data)} as text.`;
      else if (expected === 'array' && (typeof data === 'string' || isPlainObject(data))) hint = `Write a list, one "- value" line per entry or [a, b] on one line.`;
      else if (expected === 'object' && typeof data === 'string' && schema.required?.[0])
        hint = `Write a mapping, e.g. { ${schema.required[0]}: ${data} }. ${schema.description ?? ''}`.trim();
      else if (expected === 'object' && parts.length === 0) hint = 'A spec is a mapping of keys: version, environment, forests, exchange, syncServers, ... (see winrm-forge init).';
      else hint = schema.description ?? 'Check the value against winrm-forge schema.';
      break;
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const guess = typeof data === 'string' ? suggest(data, allowed) : undefined;
      ruleId = 'schema-enum';
      message = `${where} must be one of ${allowed.join(', ')} (got ${got(data)})`;
      hint = guess ? `Did you mean ${guess}?` : (schema.description ?? `Use one of ${allowed.join(', ')}.`);
      break;
    }
    case 'const': {
      ruleId = 'schema-const';
      message = `${where} must be ${JSON.stringify(e.params.allowedValue)} (got ${got(data)})`;
      hint = parts[0] === 'version' ? 'This release of winrm-forge reads spec version 1.' : (schema.description ?? '');
      break;
    }
    case 'pattern':
    case 'format':
    case 'anyOf': {
      ruleId = e.keyword === 'format' ? 'schema-format' : 'schema-pattern';
      [message, hint] = describeForm(where, e, data, schema);
      break;
    }
    case 'minimum':
    case 'maximum': {
      ruleId = 'schema-range';
      message = `${where} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(e.params.limit)} (got ${got(data)})`;
      hint = schema.description ?? '';
      break;
    }
    case 'minItems': {
      ruleId = 'schema-min-items';
      const n = Number(e.params.limit);
      message = `${where} must list at least ${n} ${n === 1 ? 'entry' : 'entries'}`;
      hint = schema.description ?? '';
      break;
    }
    case 'uniqueItems': {
      ruleId = 'schema-duplicate-entry';
      const i = Number(e.params.j);
      const j = Number(e.params.i);
      const list = Array.isArray(data) ? data : [];
      message = `${where} lists ${got(list[i])} twice (entries ${i} and ${j})`;
      hint = 'Remove the second entry.';
      range = rangeAt(spec.document, [...parts, j]);
      break;
    }
    case 'minLength':
    case 'maxLength': {
      ruleId = 'schema-length';
      const n = Number(e.params.limit);
      const len = typeof data === 'string' ? data.length : 0;
      message = `${where} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${n} characters (got ${len})`;
      hint = parts[parts.length - 1] === 'reason' ? 'Say why the finding is accepted, so a reviewer can judge it.' : (schema.description ?? '');
      break;
    }
    default: {
      ruleId = 'schema-invalid';
      message = `${where} ${e.message ?? 'is not valid'}`;
      hint = schema.description ?? '';
    }
  }
  // A node at the very end of the file (an empty document, a value cut short) has no character
  // of its own: keep the range inside the text rather than one past its end.
  const length = spec.source.text.length;
  range = { start: Math.min(range.start, length), end: Math.min(range.end, length) };
  return { ruleId, severity: 'error', message, hint, file: spec.file, range, ...(secretRange ? { secretRange } : {}) };
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Which $defs entry an error's schema path points into, e.g. thumbprint. */
function defName(e: ErrorObject): string | undefined {
  return /^#\/\$defs\/([^/]+)\//.exec(e.schemaPath)?.[1];
}

const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060\uFEFF\u00A0]/;

function describeForm(where: string, e: ErrorObject, data: unknown, schema: JsonSchema): [string, string] {
  const value = typeof data === 'string' ? data : String(data);
  const def = e.keyword === 'format' ? String(e.params.format) : defName(e);
  const last = where.split(/[.[]/).pop() ?? '';
  const invisible = INVISIBLE.test(value) ? ' It contains an invisible character (such as the left-to-right mark the Windows certificate dialog copies); retype it.' : '';
  switch (def) {
    case 'thumbprint': {
      const hex = value.replace(/[^0-9A-Fa-f]/g, '');
      const extra = value.length !== hex.length ? ` including ${value.length - hex.length} that are not hexadecimal` : '';
      return [
        `${where} must be 40 hexadecimal characters (got ${value.length}${extra})`,
        `Copy the Thumbprint from Get-ChildItem -Path Cert:\\LocalMachine\\My; remove spaces and colons.${invisible}`,
      ];
    }
    case 'fqdn': {
      let hint = 'Use the fully qualified DNS name (host.domain.tld); Kerberos needs a name with an SPN.';
      if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) hint = 'This is an IP address: Kerberos cannot target an IP. Put the address in ip: and the DNS name here.';
      else if (!value.includes('.')) hint = `Add the DNS domain, e.g. ${value}.<forest name>.`;
      else if (value.includes('_')) hint = 'Underscores are not allowed in DNS host names.';
      else if (isWindowsDeviceName(value)) hint = 'CON, PRN, AUX, NUL, COM0-9 and LPT0-9 are reserved Windows device names and cannot name an output folder.';
      return [`${where} must be a fully qualified DNS name such as exch01.fabrikam.com (got ${got(data)})`, hint + invisible];
    }
    case 'account':
      return [
        `${where} must be an account as DOMAIN\\account or user@domain.tld (got ${got(data)})`,
        (value.includes('/') ? 'Use a backslash, not a slash, between domain and account. ' : '') +
          "Write it in single quotes so YAML keeps the backslash: 'FABRIKAM\\svc_galsync'." +
          invisible,
      ];
    case 'ipv4':
      return [`${where} must be an IPv4 address such as 10.2.0.20 (got ${got(data)})`, 'Four numbers from 0 to 255 separated by dots, without a prefix length.' + invisible];
    case 'ipv6':
      return [`${where} must be an IPv6 address such as fd00:2::20 (got ${got(data)})`, 'Write the address without brackets, zone index or prefix length.' + invisible];
    case 'uri':
      return [`${where} must be an absolute URL (got ${got(data)})`, 'Start it with https:// .'];
    default:
      if (last === 'environment') {
        const reservedName = isWindowsDeviceName(value);
        return [
          `environment must be lowercase letters, digits and hyphens, 1 to 63 characters, and not a reserved Windows device name (got ${got(data)})`,
          reservedName ? 'CON, PRN, AUX, NUL, COM0-9 and LPT0-9 are reserved Windows device names and cannot name the output folder; add a word, e.g. con-galsync.' : 'It names the output folder, e.g. contoso-galsync.',
        ];
      }
      if (last === 'uri')
        return [`${where} must be an http:// or https:// URL such as https://exch01.fabrikam.com/PowerShell/ (got ${got(data)})`, (schema.description ?? '') + invisible];
      // The sentence editors show for this field (the schema's annotation), so both say the same.
      return [`${where} ${schema.errorMessage ?? schema.patternErrorMessage ?? 'does not have the expected form'} (got ${got(data)})`, (schema.description ?? 'Check the value against winrm-forge schema.') + invisible];
  }
}
