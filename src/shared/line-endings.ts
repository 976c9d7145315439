/**
 * Line endings of generated files. Scripts get the line ending the user chose (`--eol`, default
 * CRLF: Windows PowerShell 5.1, the ISE and signing tools expect it, and Notepad on Server 2016
 * and older shows an LF script as one line); render applies it to each script's text before
 * manifest.json hashes the files. Every other file keeps the fixed line endings the renderer
 * gives it (PLAN.md and manifest.json LF, firewall.csv CRLF as RFC 4180 asks).
 */

export type EndOfLine = 'crlf' | 'lf';

/** The default for scripts, documented in README (Line endings and encoding). */
export const DEFAULT_SCRIPT_EOL: EndOfLine = 'crlf';

const CR = 0x0d;
const LF = 0x0a;

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
