/**
 * Line-ending conversion of whole rendered maps, for tests that need the same tree with other
 * line endings (the product applies `--eol` to each script's text as it renders it).
 */
import { DEFAULT_SCRIPT_EOL, type EndOfLine } from '../../src/shared/line-endings.js';

/** Files Windows tooling reads: these follow `--eol`. Lowercase extensions, with the dot. */
const WINDOWS_SCRIPT_EXTENSIONS: readonly string[] = ['.bat', '.cmd', '.ps1', '.psd1', '.psm1'];

const CR = 0x0d;
const LF = 0x0a;

/** The file at `path` is a script whose line endings follow --eol. */
export function followsEol(path: string): boolean {
  const lower = path.toLowerCase();
  return WINDOWS_SCRIPT_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * Rewrites every line break (CRLF or LF) as `eol`. Works on bytes: CR and LF never occur inside
 * a multi-byte UTF-8 sequence, so a byte-order mark or non-ASCII text passes through untouched.
 * A lone CR is not a line break to PowerShell's tokenizer either, so it is left as it is.
 */
export function convertLineEndings(bytes: Uint8Array, eol: EndOfLine): Uint8Array {
  let lineFeeds = 0;
  let crlfs = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF) {
      lineFeeds++;
      if (i > 0 && bytes[i - 1] === CR) crlfs++;
    }
  }
  const bareLineFeeds = lineFeeds - crlfs;
  if (eol === 'crlf' ? bareLineFeeds === 0 : crlfs === 0) return bytes;
  const out = new Uint8Array(eol === 'crlf' ? bytes.length + bareLineFeeds : bytes.length - crlfs);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === LF) {
      const afterCr = i > 0 && bytes[i - 1] === CR;
      if (eol === 'crlf' && !afterCr) out[o++] = CR;
      if (eol === 'lf' && afterCr) o--; // drop the CR already copied
    }
    out[o++] = byte;
  }
  return out;
}

/** Gives every script of a rendered map `scriptEol`; other files pass unchanged. Same order. */
export function applyLineEndings(files: ReadonlyMap<string, Uint8Array>, scriptEol: EndOfLine = DEFAULT_SCRIPT_EOL): Map<string, Uint8Array> {
  const result = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) result.set(path, followsEol(path) ? convertLineEndings(bytes, scriptEol) : bytes);
  return result;
}
