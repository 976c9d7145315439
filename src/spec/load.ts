/**
 * Stage 1: read a spec file and parse its YAML, keeping source ranges.
 * Every problem becomes a located diagnostic; nothing here throws for bad input.
 */
import { closeSync, constants, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { readAtMost } from '../shared/read.js';
import { Composer, Document, isAlias, isNode, isScalar, Lexer, Parser, visit, type CST, type YAMLError } from 'yaml';
import { SourceText, type Diagnostic, type FileReport } from '../shared/diagnostics.js';

/** Largest spec accepted. A 5,000-host estate is about 2 MiB. */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;
/** Longest line accepted: nothing in a spec needs more, and huge lines hint at generated junk. */
export const MAX_LINE_LENGTH = 10_000;
/** Aliases in one spec; more hints at an alias bomb. */
export const MAX_ALIASES = 100;
/** Nesting depth of collections; a real spec needs fewer than 10. */
export const MAX_DEPTH = 64;

export interface LoadedSpec {
  file: string;
  source: SourceText;
  document: Document.Parsed;
  /** Plain JavaScript value of the document. */
  value: unknown;
}

export interface LoadResult {
  spec?: LoadedSpec;
  report: FileReport;
}

/**
 * Reads the file at `path` from disk, then parses it; `file` is the name shown in diagnostics
 * (the path as the user wrote it). The only stage-1 function that does I/O.
 */
export function loadFile(path: string, file = path): LoadResult {
  const at = (ruleId: string, message: string, hint: string): LoadResult => ({
    report: { file, diagnostics: [{ ruleId, severity: 'error', message, hint, file, range: { start: 0, end: 0 }, unreadable: true }] },
  });
  let bytes: Buffer;
  try {
    // Only a regular file is read: a link to /dev/zero or a pipe has no size to check and
    // would be read without end (or, for a pipe, wait for a writer forever).
    const stat = statSync(path);
    if (stat.isDirectory()) return at('file-unreadable', `${file} is a folder, not a spec file`, 'Name the YAML file itself, e.g. examples/galsync.yaml.');
    if (!stat.isFile()) return at('file-unreadable', `${file} is ${kindOf(stat)}, not a spec file`, 'Name a YAML file saved on disk; devices, pipes and sockets are not read.');
    if (stat.size > MAX_SPEC_BYTES) {
      return at(
        'file-too-large',
        `${file} is ${formatBytes(stat.size)}, over the ${formatBytes(MAX_SPEC_BYTES)} limit for a spec`,
        'A spec describes hosts, not data; split the estate into several environments if it really is this large.',
      );
    }
    // O_NONBLOCK: should the path be swapped for a pipe after the check, opening it does not wait.
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) return at('file-unreadable', `${file} is ${kindOf(opened)}, not a spec file`, 'Name a YAML file saved on disk; devices, pipes and sockets are not read.');
      // The size said nothing about what the descriptor holds (a file still being written,
      // a file system that reports 0): read at most one byte past the limit.
      bytes = readAtMost(fd, MAX_SPEC_BYTES + 1);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return at('file-not-found', `${file} does not exist`, 'Check the path; it is resolved from the current folder.');
    if (code === 'EACCES' || code === 'EPERM') return at('file-unreadable', `${file} cannot be read: permission denied`, 'Give your user read access to the file.');
    return at('file-unreadable', `${file} cannot be read (${code ?? String(error)})`, 'Check that the path names a readable file.');
  }
  if (bytes.length > MAX_SPEC_BYTES) {
    return at('file-too-large', `${file} is over the ${formatBytes(MAX_SPEC_BYTES)} limit for a spec`, 'Split the estate into several environments.');
  }
  return parseSpec(file, bytes);
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Decodes and parses spec bytes (or text). Pure: no I/O. */
export function parseSpec(file: string, input: Uint8Array | string): LoadResult {
  // loadFile refuses large files before reading them; text handed over in memory gets the same limit.
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_SPEC_BYTES) {
    const message = `${file} is ${formatBytes(size)}, over the ${formatBytes(MAX_SPEC_BYTES)} limit for a spec`;
    const hint = 'A spec describes hosts, not data; split the estate into several environments if it really is this large.';
    return { report: { file, diagnostics: [{ ruleId: 'file-too-large', severity: 'error', message, hint, file, range: { start: 0, end: 0 }, unreadable: true }] } };
  }
  const raw: Decoded = typeof input === 'string' ? { text: input } : decodeUtf8(input);
  // YAML reads a lone CR as a line break (YAML 1.2, 5.4); the yaml parser and the line index
  // know only LF and CRLF. One character for one keeps every offset where it was.
  const decoded: Decoded = raw.foreign === undefined && raw.text.includes('\r') ? { ...raw, text: raw.text.replace(/\r(?!\n)/g, '\n') } : raw;
  const source = new SourceText(decoded.text);
  const diagnostics: Diagnostic[] = [];
  const report: FileReport = { file, source, diagnostics };
  // Ranges stay inside the text, even for a problem found at its very end.
  const clamp = (offset: number) => Math.min(offset, decoded.text.length);
  const error = (ruleId: string, start: number, end: number, message: string, hint: string, unreadable = false) =>
    diagnostics.push({ ruleId, severity: 'error', message, hint, file, range: { start: clamp(start), end: clamp(end) }, ...(unreadable ? { unreadable } : {}) });

  if (decoded.foreign !== undefined) {
    error(
      'file-encoding',
      0,
      1,
      `${file} is saved as ${decoded.foreign}, not UTF-8`,
      'Save the file as UTF-8 (in Notepad: Save As, Encoding UTF-8; in PowerShell 5.1: Out-File -Encoding utf8).',
      true,
    );
    return { report };
  }
  if (decoded.badOffset !== undefined) {
    error(
      'file-encoding',
      decoded.badOffset,
      decoded.badOffset + 1,
      `${file} is not valid UTF-8 (byte 0x${decoded.badByte} at offset ${decoded.badOffsetBytes})`,
      'Save the file as UTF-8; the byte shown usually comes from text pasted in a legacy code page.',
      true,
    );
    return { report };
  }

  const text = decoded.text;
  if (text.replace(/^\uFEFF/, '').split('\n').every((line) => line.trim() === '' || line.trim().startsWith('#'))) {
    error('file-empty', 0, 0, `${file} is empty: it holds no spec`, 'Start from `winrm-forge init` or a file in examples/, and keep the version and environment keys.');
    return { report };
  }

  // Depth first: it stops the earliest, and deep nesting also makes long lines further down.
  const parsed = parseTokens(text);
  if (parsed.kind === 'too-deep') {
    error('yaml-too-deep', parsed.at, parsed.at + 1, `collections are nested more than ${MAX_DEPTH} levels deep`, 'A spec needs only a few levels; check for runaway brackets, dashes or indentation.');
    return { report };
  }
  if (parsed.kind === 'too-many-aliases') {
    error('yaml-alias-limit', parsed.at, parsed.at + 1, `the spec uses more than ${MAX_ALIASES} YAML aliases`, 'Write the values out, or use defaults: for shared settings; this limit stops alias bombs.');
    return { report };
  }
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line.length > MAX_LINE_LENGTH) {
      error('yaml-line-too-long', offset, offset + 1, `a line of ${line.length} characters is longer than the ${MAX_LINE_LENGTH} allowed`, 'Break the value over several entries; no spec value needs a line this long.');
      return { report };
    }
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    const tab = indent.indexOf('\t');
    if (tab >= 0 && line.trim() !== '' && !line.trimStart().startsWith('#')) {
      error('yaml-tab-indent', offset + tab, offset + tab + 1, 'a tab is used for indentation; YAML allows only spaces', 'Replace the tab with spaces (two per level is the convention in the examples).');
    }
    offset += line.length + 1;
  }
  // YAML allows no raw control character in a stream but TAB, LF and CR (c-printable, YAML
  // 1.2, 5.1); a NUL or an escape sequence would otherwise reach values unseen.
  const control = NON_PRINTABLE.exec(text);
  if (control) {
    const code = `U+${(text.codePointAt(control.index) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    error('yaml-control-character', control.index, control.index + 1, `the spec holds the control character ${code}, which YAML does not allow in a file`, 'Remove it; write a value that needs it in double quotes with an escape such as \\t, or better not at all.');
  }
  for (const token of parsed.tokens) {
    if (token.type !== 'directive') continue;
    const directive = /^%YAML[ \t]+(\S+)/.exec(token.source);
    if (directive && directive[1] !== '1.2') {
      error('yaml-version', token.offset, token.offset + token.source.length, `the %YAML ${directive[1]} directive asks for YAML ${directive[1]}; winrm-forge reads YAML 1.2 only`, 'Remove the %YAML line (or write %YAML 1.2): under YAML 1.1, yes, 040 and 1:30 would change meaning.');
    }
  }
  if (diagnostics.length > 0) return { report };

  let documents: Document.Parsed[];
  try {
    documents = Array.from(new Composer({ prettyErrors: false, uniqueKeys: true, strict: true, keepSourceTokens: false }).compose(parsed.tokens));
    // The syntax tree is no longer needed: let it go before the value is built (peak memory).
    parsed.tokens.length = 0;
  } catch (thrown) {
    error('yaml-syntax', 0, 0, `the YAML could not be parsed (${(thrown as Error).message})`, 'Check the file in an editor with YAML support.');
    return { report };
  }
  const document = documents[0];
  if (document === undefined) {
    error('file-empty', 0, 0, `${file} is empty: it holds no spec`, 'Start from `winrm-forge init` or a file in examples/.');
    return { report };
  }
  for (const extra of documents.slice(1)) {
    const start = extra.range[0];
    error('yaml-multiple-documents', start, start + 1, 'the file holds more than one YAML document (a second --- line)', 'Keep one environment per file; put the other one in a file of its own.');
  }
  const indented = new Set<number>();
  for (const e of [...document.errors, ...documents.slice(1).flatMap((d) => d.errors)]) {
    // A key indented deeper than its siblings makes the parser complain about the line above
    // it, twice: report the line that is wrong, once.
    if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY') {
      const mistake = overIndentedKey(text, e.pos[0]);
      if (mistake) {
        if (!indented.has(mistake.at)) error('yaml-indentation', mistake.at, mistake.at + mistake.key.length, mistake.message, mistake.hint);
        indented.add(mistake.at);
        continue;
      }
    }
    const [ruleId, message, hint] = describeYamlError(e, text);
    // Point at the first character of a wrongly indented line, not at its column 1.
    const start = e.code === 'BAD_INDENT' || e.code === 'MISSING_CHAR' ? firstNonSpace(text, e.pos[0]) : e.pos[0];
    error(ruleId, start, Math.max(e.pos[1], start + 1), message, hint);
  }
  // An unknown tag is refused below, by name; the parser's own warning would only repeat it.
  for (const w of document.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')) {
    diagnostics.push({ ruleId: 'yaml-warning', severity: 'warning', message: w.message.split('\n')[0] ?? w.message, hint: 'Check the YAML at this place.', file, range: { start: clamp(w.pos[0]), end: clamp(Math.max(w.pos[1], w.pos[0] + 1)) } });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { report };

  // Composing nests no deeper than MAX_DEPTH, so visiting recurses no deeper either.
  const anchors = new Set<string>();
  visit(document, (_key, node) => {
    if (!isNode(node)) return undefined;
    if (isAlias(node)) {
      if (!anchors.has(node.source)) {
        const [start] = node.range ?? [0];
        error('yaml-syntax', start, start + 1 + node.source.length, `the alias *${node.source} is used before its anchor &${node.source} is set`, `Set &${node.source} on the value first; an alias can only repeat a value written above it.`);
      }
      return undefined;
    }
    if (node.anchor) anchors.add(node.anchor);
    if (isScalar(node) && typeof node.value === 'string') {
      const lone = LONE_SURROGATE.exec(node.value);
      if (lone) {
        // Only an escape can write one (\uD800): half of a UTF-16 pair is no character, and UTF-8,
        // which every generated file is, cannot encode it: the value would change on the way.
        const [start, end] = node.range ?? [0, 1];
        const code = `\\u${lone[0].charCodeAt(0).toString(16).toUpperCase()}`;
        error('yaml-control-character', start, Math.max(end, start + 1), `the value holds ${code}, half of a UTF-16 surrogate pair without its other half: not a character`, 'Write the character itself, or its pair of escapes (\\uD83D\\uDE00), or remove the escape.');
        return undefined;
      }
    }
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
      const tag = node.tag.startsWith(YAML_TAG_PREFIX) ? `!!${node.tag.slice(YAML_TAG_PREFIX.length)}` : node.tag;
      const at = tagStart(text, node.range?.[0] ?? 0);
      error('yaml-tag', at, at + tag.length, `the tag ${tag} is not supported: a spec holds only strings, numbers, booleans, lists and mappings`, 'Remove the tag and write the value as plain text, a list or a mapping.');
      return visit.SKIP;
    }
    return undefined;
  });
  if (diagnostics.some((d) => d.severity === 'error')) return { report };

  let value: unknown;
  try {
    // The anchored node counts as one use: MAX_ALIASES aliases of a scalar make MAX_ALIASES + 1.
    value = document.toJS({ maxAliasCount: MAX_ALIASES + 1 });
  } catch (thrown) {
    // Few aliases can still expand exponentially (aliases of anchors that hold aliases).
    const at = parsed.firstAliasAt ?? 0;
    error('yaml-alias-limit', at, at + 1, `the YAML aliases expand too far (${lowerFirst((thrown as Error).message)})`, 'Write the values out instead of nesting aliases; this limit stops alias bombs.');
    return { report };
  }
  return { spec: { file, source, document, value }, report };
}

/** The offset of the first character that is no space, from `offset` to the end of its line. */
function firstNonSpace(text: string, offset: number): number {
  let i = offset;
  while (text.charAt(i) === ' ') i++;
  return text.charAt(i) === '\n' || i >= text.length ? offset : i;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/**
 * When the value on the line at `offset` is followed by a line holding a key indented deeper
 * than that line's own key, that deeper key is the mistake: where it is and what to say.
 */
function overIndentedKey(text: string, offset: number): { at: number; key: string; message: string; hint: string } | undefined {
  const start = lineStart(text, offset);
  const end = text.indexOf('\n', start);
  if (end < 0) return undefined;
  const here = /^( *)(?:- +)?([^\s:#][^:#]*?):[ \t]/.exec(text.slice(start, end + 1));
  if (!here) return undefined;
  let next = end + 1;
  while (next < text.length) {
    const nextEnd = text.indexOf('\n', next);
    const line = text.slice(next, nextEnd < 0 ? undefined : nextEnd);
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) break;
    if (nextEnd < 0) return undefined;
    next = nextEnd + 1;
  }
  const below = /^( *)([^\s:#-][^:#]*?):(?:[ \t]|$)/m.exec(text.slice(next, text.indexOf('\n', next) < 0 ? undefined : text.indexOf('\n', next)));
  const ownIndent = /^( *(?:- +)?)/.exec(here[0])?.[0].length ?? 0;
  if (!below || (below[1] ?? '').length <= ownIndent) return undefined;
  const key = below[2] ?? '';
  const depth = (below[1] ?? '').length;
  return {
    at: next + depth,
    key,
    message: `${key}: is indented ${depth} spaces, deeper than ${here[2]}: above it (${ownIndent}), so it would start inside the value of ${here[2]}`,
    hint: `Indent ${key}: by ${ownIndent} spaces like ${here[2]}: if it belongs to the same entry; if it belongs under ${here[2]}, move the value ${here[2]} has on its own line below it.`,
  };
}

function describeYamlError(e: YAMLError, text: string): [string, string, string] {
  const first = e.message.split('\n')[0] ?? e.message;
  switch (e.code) {
    case 'BAD_DQ_ESCAPE': {
      // A backslash after a domain name: an account written in double quotes.
      const before = text.slice(lineStart(text, e.pos[0]), e.pos[0]);
      const account = /"([A-Za-z0-9][A-Za-z0-9.-]{0,14})$/.exec(before);
      if (account) {
        const rest = /^\\[^"\n]*/.exec(text.slice(e.pos[0]))?.[0] ?? '\\';
        return [
          'yaml-syntax',
          `double quotes read ${rest.slice(0, 2)} in "${account[1]}${rest}" as an escape sequence: write a DOMAIN\\account in single quotes`,
          `Write '${account[1]}${rest}' (single quotes keep the backslash as it is), or double the backslash inside double quotes.`,
        ];
      }
      return ['yaml-syntax', `YAML error: ${lowerFirst(first)}`, 'Inside double quotes a backslash starts an escape sequence (\\n, \\t, \\\\); use single quotes to keep a backslash as it is.'];
    }
    case 'DUPLICATE_KEY': {
      const key = /^[^:\n]*/.exec(text.slice(e.pos[0], e.pos[0] + 200))?.[0]?.trim() ?? '';
      return ['yaml-duplicate-key', `the key ${key || '(this key)'} appears twice in the same mapping`, 'Remove one of the two entries; YAML keeps only one and silently drops the other.'];
    }
    case 'TAB_AS_INDENT':
      return ['yaml-tab-indent', 'a tab is used for indentation; YAML allows only spaces', 'Replace the tab with spaces.'];
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return ['yaml-syntax', `YAML syntax error: ${lowerFirst(first)}`, 'Check the indentation and the brackets or quotes that open before this place and close after it.'];
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return ['yaml-syntax', `YAML alias error: ${lowerFirst(first)}`, 'Define the anchor (&name) before the alias (*name) that uses it.'];
    default:
      return ['yaml-syntax', `YAML error: ${lowerFirst(first)}`, 'Check the YAML at this place; an editor with YAML support shows the problem as you type.'];
  }
}

/** Where the tag written before the value at `valueStart` begins (the node's range starts at its value). */
function tagStart(text: string, valueStart: number): number {
  let i = text.lastIndexOf('!', valueStart);
  if (i < 0 || !/^\S*\s*$/.test(text.slice(i, valueStart))) return valueStart;
  while (i > 0 && !/[\s,[\]{}]/.test(text.charAt(i - 1))) i--;
  return i;
}

/** Characters outside YAML 1.2's c-printable (TAB, LF, CR, NEL and the BOM are allowed). */
/** A UTF-16 surrogate without its pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NON_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/;

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
/** Tags that only restate what a value is; !!binary, !!set, !!timestamp, !!omap and local tags build other things. */
const CORE_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => YAML_TAG_PREFIX + t));

const COLLECTIONS: ReadonlySet<string> = new Set(['block-map', 'block-seq', 'flow-collection']);

type ParsedTokens = { kind: 'tokens'; tokens: CST.Token[]; firstAliasAt?: number } | { kind: 'too-deep'; at: number } | { kind: 'too-many-aliases'; at: number };

/**
 * Builds the YAML syntax tree one lexical token at a time and stops as soon as collections nest
 * deeper than MAX_DEPTH or aliases outnumber MAX_ALIASES. The tokenizer and this parser keep an
 * explicit stack, but composing the document recurses once per level, so depth must be bounded
 * before composing; checking the parser's own stack counts every form (flow brackets,
 * indentation, `- - -` and `? ? ?` compact notation) exactly as the composer will see it, and
 * stops deep input early, before it costs time or memory. An alias is one token starting with
 * `*` (a `*` inside a scalar is part of the scalar's token), so counting them here spares a walk
 * over the document.
 */
function parseTokens(text: string): ParsedTokens {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let aliases = 0;
  let firstAliasAt: number | undefined;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme.startsWith('*')) {
      firstAliasAt ??= parser.offset;
      if (++aliases > MAX_ALIASES) return { kind: 'too-many-aliases', at: parser.offset };
    }
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > MAX_DEPTH) {
      const open = parser.stack.filter((token) => COLLECTIONS.has(token.type));
      const deepest = open[open.length - 1];
      if (open.length > MAX_DEPTH && deepest !== undefined) return { kind: 'too-deep', at: 'offset' in deepest ? deepest.offset : parser.offset };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { kind: 'tokens', tokens, ...(firstAliasAt === undefined ? {} : { firstAliasAt }) };
}

interface Decoded {
  text: string;
  /** Set when the bytes are in another Unicode encoding than UTF-8 (detected as YAML 1.2, 5.2 does). */
  foreign?: string;
  badOffset?: number;
  badOffsetBytes?: number;
  badByte?: string;
}

/**
 * The encoding YAML 1.2 (5.2) reads from the first bytes, since a stream starts with ASCII:
 * byte order marks, and the NUL bytes of UTF-16 and UTF-32 around a first ASCII character.
 */
function foreignEncoding(b: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b.length >= 4 && b0 === 0 && b1 === 0 && ((b2 === 0xfe && b3 === 0xff) || b2 === 0)) return 'UTF-32 (big-endian)';
  if (b.length >= 4 && b2 === 0 && b3 === 0 && ((b0 === 0xff && b1 === 0xfe) || (b0 !== 0 && b1 === 0))) return 'UTF-32 (little-endian)';
  if (b0 === 0xfe && b1 === 0xff) return 'UTF-16 (big-endian)';
  if (b0 === 0xff && b1 === 0xfe) return 'UTF-16 (little-endian)';
  if (b.length >= 2 && b0 === 0 && b1 !== 0) return 'UTF-16 (big-endian)';
  if (b.length >= 2 && b0 !== 0 && b1 === 0) return 'UTF-16 (little-endian)';
  return undefined;
}

/** Strict UTF-8 decoding that reports where the first invalid byte sits. */
function decodeUtf8(bytes: Uint8Array): Decoded {
  const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  const foreign = foreignEncoding(bytes);
  if (foreign !== undefined) return { text: lossy, foreign };
  const bad = firstInvalidUtf8(bytes);
  if (bad === undefined) return { text: lossy };
  const prefix = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes.subarray(0, bad));
  return { text: lossy, badOffset: prefix.length, badOffsetBytes: bad, badByte: (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0') };
}

function firstInvalidUtf8(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    let need = 0;
    let min = 0;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= b.length) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (n & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return undefined;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
