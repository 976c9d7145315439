/**
 * A Markdown code span of `text`: the fence is one backtick longer than the longest run
 * inside, so the text cannot close it and let raw HTML follow (CommonMark code spans); spaces
 * keep a backtick inside apart from the fence. `text` must already be one line.
 */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}
