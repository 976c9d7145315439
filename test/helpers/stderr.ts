/**
 * Standard error of a command without the waived findings it lists (each a block ending in a
 * blank line, its first line `<file>:<line>:<col>: <severity> (waived) ...`): what a test of
 * another behaviour compares. The summary line goes too when waived findings are all there is.
 */
export function withoutWaived(stderr: string): string {
  return stderr
    .replace(/^[^\n]*:\d+:\d+: (?:error|warning|info) \(waived\) [^\n]*\n(?:[^\n]+\n)*\n/gm, '')
    .replace(/^\d+ files? checked: 0 errors, 0 warnings, \d+ waived\n/gm, '');
}
