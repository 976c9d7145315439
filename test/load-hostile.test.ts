/**
 * Input that reaches the loader from pipelines and pull requests: devices and pipes behind a
 * spec path, foreign encodings and line endings, YAML 1.1 directives, unresolvable aliases,
 * raw control characters and tags that build values a spec never holds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText } from '../src/cli/format/text.js';
import { plain } from '../src/cli/format/colors.js';
import { loadFile, MAX_ALIASES, parseSpec } from '../src/spec/load.js';
import { readAtMost } from '../src/shared/read.js';
import { MINIMAL } from './helpers/spec.js';

function located(input: string | Uint8Array) {
  const { report, spec } = parseSpec('spec.yaml', input);
  return {
    spec,
    report,
    found: report.diagnostics.map((d) => {
      const p = report.source!.position(d.range.start);
      return { at: `${p.line}:${p.column}`, rule: d.ruleId, message: d.message, unreadable: Boolean(d.unreadable) };
    }),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-hostile-'));

describe('spec paths that are no regular file', () => {
  it.each(['/dev/zero', '/dev/urandom', '/dev/null'])('refuses a link to %s without reading it', (device) => {
    const link = join(dir, `${device.slice(5)}.yaml`);
    symlinkSync(device, link);
    const started = Date.now();
    const { report } = loadFile(link, 'spec.yaml');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.diagnostics).toMatchObject([{ ruleId: 'file-unreadable', unreadable: true, message: 'spec.yaml is a device, not a spec file' }]);
  });

  it('refuses a FIFO without opening it (opening would wait for a writer forever)', () => {
    const fifo = join(dir, 'fifo.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const { report } = loadFile(fifo, 'spec.yaml');
    expect(report.diagnostics).toMatchObject([{ ruleId: 'file-unreadable', unreadable: true, message: 'spec.yaml is a pipe, not a spec file' }]);
  });

  it('reads through a descriptor and stops one byte past the limit, whatever the size said', () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      expect(readAtMost(fd, 1000).length).toBe(1000);
    } finally {
      closeSync(fd);
    }
  });
});

describe('encodings YAML 1.2 detects (section 5.2)', () => {
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const utf16le = (s: string) => new Uint8Array(ascii(s).flatMap((c) => [c, 0]));
  const utf16be = (s: string) => new Uint8Array(ascii(s).flatMap((c) => [0, c]));
  it.each([
    ['UTF-16 little-endian without a byte order mark', utf16le('version: 1\n'), 'UTF-16 (little-endian)'],
    ['UTF-16 big-endian without a byte order mark', utf16be('version: 1\n'), 'UTF-16 (big-endian)'],
    ['UTF-16 little-endian with its byte order mark', new Uint8Array([0xff, 0xfe, ...utf16le('version: 1\n')]), 'UTF-16 (little-endian)'],
    ['UTF-32 little-endian with its byte order mark', new Uint8Array([0xff, 0xfe, 0, 0, 0x76, 0, 0, 0]), 'UTF-32 (little-endian)'],
    ['UTF-32 big-endian with its byte order mark', new Uint8Array([0, 0, 0xfe, 0xff, 0, 0, 0, 0x76]), 'UTF-32 (big-endian)'],
    ['UTF-32 little-endian without a byte order mark', new Uint8Array([0x76, 0, 0, 0, 0x65, 0, 0, 0]), 'UTF-32 (little-endian)'],
  ])('names %s, as unreadable input', (_name, bytes, encoding) => {
    const { found, report } = located(bytes);
    expect(found).toEqual([{ at: '1:1', rule: 'file-encoding', message: `spec.yaml is saved as ${encoding}, not UTF-8`, unreadable: true }]);
    // The excerpt never carries the NUL bytes of the foreign encoding to the terminal.
    expect(formatText([report], plain)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('YAML that means something else than it says', () => {
  it('refuses a %YAML 1.1 directive, under which 1:39:45 would be 5985 and yes a boolean', () => {
    const { found, spec } = located('%YAML 1.1\n---\n' + MINIMAL);
    expect(spec).toBeUndefined();
    expect(found).toEqual([
      { at: '1:1', rule: 'yaml-version', message: 'the %YAML 1.1 directive asks for YAML 1.1; winrm-forge reads YAML 1.2 only', unreadable: false },
    ]);
  });

  it('accepts a %YAML 1.2 directive', () => {
    const { found, spec } = located('%YAML 1.2\n---\n' + MINIMAL);
    expect(found).toEqual([]);
    expect((spec!.value as { version: number }).version).toBe(1);
  });

  it('reads CR-only line endings as line breaks, as YAML does', () => {
    const { found, spec } = located('# lab\r' + MINIMAL.replace(/\n/g, '\r'));
    expect(found).toEqual([]);
    expect((spec!.value as { environment: string }).environment).toBe('lab');
    // Positions count CR-only lines like any others.
    const broken = located(MINIMAL.replace('environment: lab', 'environment: lab\nenvironment: b').replace(/\n/g, '\r'));
    expect(broken.found.map((f) => `${f.at} ${f.rule}`)).toEqual(['3:1 yaml-duplicate-key']);
  });

  it('accepts exactly the alias limit and refuses one more', () => {
    const aliases = (n: number) => ['a: &a x', ...Array.from({ length: n }, (_, i) => `k${i}: *a`)].join('\n') + '\n';
    expect(located(aliases(MAX_ALIASES)).found).toEqual([]);
    expect(located(aliases(MAX_ALIASES + 1)).found.map((f) => `${f.at} ${f.rule}`)).toEqual([`${MAX_ALIASES + 2}:7 yaml-alias-limit`]);
  });

  it('reports an alias used before its anchor as a syntax error at the alias', () => {
    const { found } = located('version: 1\nb: *later\na: &later x\n');
    expect(found).toEqual([
      { at: '2:4', rule: 'yaml-syntax', message: 'the alias *later is used before its anchor &later is set', unreadable: false },
    ]);
  });

  it('refuses a raw NUL (and other control characters) at its place', () => {
    expect(located('version: 1\nenvironment: la\u0000b\n').found).toEqual([
      { at: '2:16', rule: 'yaml-control-character', message: 'the spec holds the control character U+0000, which YAML does not allow in a file', unreadable: false },
    ]);
    expect(located('version: 1\nenvironment: "la\u001bb"\n').found.map((f) => `${f.at} ${f.rule}`)).toEqual(['2:17 yaml-control-character']);
  });

  it.each([
    ['!!binary aGVsbG8=', '!!binary'],
    ['!!set { a, b }', '!!set'],
    ['!!timestamp 2001-12-14', '!!timestamp'],
    ['!!omap [ { a: 1 } ]', '!!omap'],
    ['!custom x', '!custom'],
  ])('names the tag of %s instead of reporting the value it builds', (value, tag) => {
    const { found } = located(`version: 1\nenvironment: ${value}\n`);
    expect(found.map((f) => `${f.at} ${f.rule} ${f.message}`)).toEqual([
      `2:14 yaml-tag the tag ${tag} is not supported: a spec holds only strings, numbers, booleans, lists and mappings`,
    ]);
  });

  it('keeps the core tags that only restate a type', () => {
    const { found, spec } = located('version: 1\nenvironment: !!str 12\n');
    expect(found).toEqual([]);
    expect((spec!.value as { environment: string }).environment).toBe('12');
  });
});

describe('excerpts', () => {
  it('never print a control character raw', () => {
    const { report } = located('version: 1\nenvironment: la\u0000b\u001b[31m\n');
    const text = formatText([report], plain);
    expect(text).toContain('environment: la\u2400b\u241b[31m');
    expect(text).not.toMatch(/[\u0000\u001b]/);
  });
});

writeFileSync(join(dir, 'keep'), '');
