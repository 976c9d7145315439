/**
 * Line endings of generated files. PowerShell and batch files get the line ending the user
 * chose (`--eol`, default CRLF: Windows PowerShell 5.1, the ISE and signing tools expect it, and
 * Notepad on Server 2016 and older shows an LF script as one line). Every other file keeps the
 * fixed line endings the renderer gives it (PLAN.md and manifest.json LF, firewall.csv CRLF as
 * RFC 4180 asks): --eol is about scripts only. Pure: bytes in, bytes out. Apply it before
 * manifest.json is computed, because the manifest records each file's hash.
 */

export type EndOfLine = 'crlf' | 'lf';

/** The default for scripts, documented in README (Line endings and encoding). */
export const DEFAULT_SCRIPT_EOL: EndOfLine = 'crlf';

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

export type EndOfLineStyle = EndOfLine | 'mixed' | 'none';

/** How the lines of `bytes` end: all CRLF, all LF, a mix, or no line break at all. */
export function detectLineEndings(bytes: Uint8Array): EndOfLineStyle {
  let crlf = false;
  let lf = false;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (i > 0 && bytes[i - 1] === CR) crlf = true;
    else lf = true;
    if (crlf && lf) return 'mixed';
  }
  return crlf ? 'crlf' : lf ? 'lf' : 'none';
}
