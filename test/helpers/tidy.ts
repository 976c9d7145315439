/**
 * What "tidy" means for rendered text, the definition test/tidy-output.test.ts holds every
 * rendered file to: the templates emit it so, and the renderer no longer tidies.
 */

/**
 * Tidies rendered text: LF only, no trailing spaces or tabs, at most one blank line in a row, no
 * blank lines at either end, one final newline. One pass over the lines with index scans (it
 * runs on every file of many trees in the tests), where whole-text regular expressions
 * for the trailing blanks were slow.
 */
export function tidy(text: string): string {
  return tidyLines(text).join('\n') + '\n';
}

/** The lines of `tidy(text)`. */
function tidyLines(text: string): string[] {
  // Templates are LF: only a value could bring a CR, so most texts skip this pass.
  const lf = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  const lines: string[] = [];
  let blankPending = false;
  let start = 0;
  while (start <= lf.length) {
    let end = lf.indexOf('\n', start);
    if (end < 0) end = lf.length;
    let last = end;
    while (last > start && isBlank(lf.charCodeAt(last - 1))) last--;
    if (last === start) {
      // A blank line: kept (once) only between two lines of text.
      if (lines.length > 0) blankPending = true;
    } else {
      if (blankPending) lines.push('');
      blankPending = false;
      lines.push(lf.slice(start, last));
    }
    start = end + 1;
  }
  return lines;
}

const SPACE = 0x20;
const TAB = 0x09;
const isBlank = (code: number) => code === SPACE || code === TAB;

