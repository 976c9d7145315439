/**
 * Spec texts built to exhaust a parser: alias bombs, huge files, huge lines, deep nesting in
 * every YAML form. The limit tests check how each is refused; the benchmark times it.
 */
let cached: ReturnType<typeof build> | undefined;

/** The inputs, built once per process (two of them are 50 MB). */
export function hostileInputs() {
  cached ??= build();
  return cached;
}

const DEPTH = 10_000;

function build() {
  const laughs = ['version: 1', 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  const names = 'abcdefghi';
  for (let level = 1; level < names.length; level++) {
    const name = names[level]!;
    const previous = names[level - 1]!;
    laughs.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
  }
  const manyAliases = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 105; i++) manyAliases.push(`k${i}: *a`);

  const header = 'version: 1\nenvironment: lab\n';
  const paddingLine = `# ${'padding '.repeat(12)}\n`;
  const fiftyMiB = 50 * 1024 * 1024;
  const fiftyMegabytes = header + paddingLine.repeat(Math.ceil((fiftyMiB - header.length) / paddingLine.length));

  const blockMappings = (levels: number) => Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' v\n';

  return {
    billionLaughs: laughs.join('\n') + '\n',
    manyAliases: manyAliases.join('\n') + '\n',
    fiftyMegabytes,
    megabyteLine: `version: 1\nenvironment: ${'x'.repeat(1024 * 1024)}\n`,
    flowOneLine: '['.repeat(DEPTH) + ']'.repeat(DEPTH) + '\n',
    flowLines: '[\n'.repeat(DEPTH) + ']'.repeat(DEPTH) + '\n',
    flowMappings: '{a: '.repeat(DEPTH) + '1' + '}'.repeat(DEPTH) + '\n',
    // As deep as block indentation gets under the size limit (one more space per level).
    blockMappings: blockMappings(3_000),
    blockMappingsTenThousand: blockMappings(DEPTH),
    // Compact nested sequences: one line, under the line limit.
    blockSequenceDashes: '- '.repeat(4_999) + 'x\n',
    blockSequenceDashesTooLong: '- '.repeat(DEPTH) + 'x\n',
    explicitKeys: '? '.repeat(DEPTH) + 'x\n',
    blockThenFlow: 'a:\n  - - ' + '['.repeat(DEPTH) + ']'.repeat(DEPTH) + '\n',
  };
}
