/**
 * Stage 1: read a spec file and parse its YAML, keeping source ranges.
 * Every problem becomes a located diagnostic; nothing here throws for bad input.
 */
import { readFileSync, statSync } from 'node:fs';
import { Composer, Document, Lexer, Parser, type CST, type YAMLError } from 'yaml';
import { SourceText, type Diagnostic, type FileReport } from './diagnostics.js';

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
    const stat = statSync(path);
    if (stat.isDirectory()) return at('file-unreadable', `${file} is a folder, not a spec file`, 'Name the YAML file itself, e.g. examples/galsync.yaml.');
    if (stat.size > MAX_SPEC_BYTES) {
      return at(
        'file-too-large',
        `${file} is ${formatBytes(stat.size)}, over the ${formatBytes(MAX_SPEC_BYTES)} limit for a spec`,
        'A spec describes hosts, not data; split the estate into several environments if it really is this large.',
      );
    }
    bytes = readFileSync(path);
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

/** Decodes and parses spec bytes (or text). Pure: no I/O. */
export function parseSpec(file: string, input: Uint8Array | string): LoadResult {
  // loadFile refuses large files before reading them; text handed over in memory gets the same limit.
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_SPEC_BYTES) {
    const message = `${file} is ${formatBytes(size)}, over the ${formatBytes(MAX_SPEC_BYTES)} limit for a spec`;
    const hint = 'A spec describes hosts, not data; split the estate into several environments if it really is this large.';
    return { report: { file, diagnostics: [{ ruleId: 'file-too-large', severity: 'error', message, hint, file, range: { start: 0, end: 0 }, unreadable: true }] } };
  }
  const decoded = typeof input === 'string' ? { text: input } : decodeUtf8(input);
  const source = new SourceText(decoded.text);
  const diagnostics: Diagnostic[] = [];
  const report: FileReport = { file, source, diagnostics };
  // Ranges stay inside the text, even for a problem found at its very end.
  const clamp = (offset: number) => Math.min(offset, decoded.text.length);
  const error = (ruleId: string, start: number, end: number, message: string, hint: string, unreadable = false) =>
    diagnostics.push({ ruleId, severity: 'error', message, hint, file, range: { start: clamp(start), end: clamp(end) }, ...(unreadable ? { unreadable } : {}) });

  if (decoded.badOffset !== undefined) {
    const utf16 = decoded.utf16;
    error(
      'file-encoding',
      decoded.badOffset,
      decoded.badOffset + 1,
      utf16 ? `${file} is saved as UTF-16, not UTF-8` : `${file} is not valid UTF-8 (byte 0x${decoded.badByte} at offset ${decoded.badOffsetBytes})`,
      utf16
        ? 'Save the file as UTF-8 (in Notepad: Save As, Encoding UTF-8; in PowerShell 5.1: Out-File -Encoding utf8).'
        : 'Save the file as UTF-8; the byte shown usually comes from text pasted in a legacy code page.',
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
  for (const e of [...document.errors, ...documents.slice(1).flatMap((d) => d.errors)]) {
    const [ruleId, message, hint] = describeYamlError(e, text);
    error(ruleId, e.pos[0], Math.max(e.pos[1], e.pos[0] + 1), message, hint);
  }
  for (const w of document.warnings) {
    diagnostics.push({ ruleId: 'yaml-warning', severity: 'warning', message: w.message.split('\n')[0] ?? w.message, hint: 'Check the YAML at this place.', file, range: { start: clamp(w.pos[0]), end: clamp(Math.max(w.pos[1], w.pos[0] + 1)) } });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { report };

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (thrown) {
    // Few aliases can still expand exponentially (aliases of anchors that hold aliases).
    const at = parsed.firstAliasAt ?? 0;
    error('yaml-alias-limit', at, at + 1, `the YAML aliases expand too far (${lowerFirst((thrown as Error).message)})`, 'Write the values out instead of nesting aliases; this limit stops alias bombs.');
    return { report };
  }
  return { spec: { file, source, document, value }, report };
}

function describeYamlError(e: YAMLError, text: string): [string, string, string] {
  const first = e.message.split('\n')[0] ?? e.message;
  switch (e.code) {
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
  badOffset?: number;
  badOffsetBytes?: number;
  badByte?: string;
  utf16?: boolean;
}

/** Strict UTF-8 decoding that reports where the first invalid byte sits. */
function decodeUtf8(bytes: Uint8Array): Decoded {
  const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const bad = utf16 ? 0 : firstInvalidUtf8(bytes);
  if (bad === undefined) return { text: lossy };
  const prefix = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes.subarray(0, bad));
  return { text: lossy, badOffset: prefix.length, badOffsetBytes: bad, badByte: (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0'), utf16 };
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
