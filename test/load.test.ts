import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile, MAX_ALIASES, MAX_SPEC_BYTES, parseSpec } from '../src/spec/load.js';
import { MINIMAL } from './helpers/spec.js';

function located(input: string | Uint8Array) {
  const { report, spec } = parseSpec('spec.yaml', input);
  return {
    spec,
    found: report.diagnostics.map((d) => {
      const p = report.source!.position(d.range.start);
      return { at: `${p.line}:${p.column}`, rule: d.ruleId, message: d.message, unreadable: Boolean(d.unreadable) };
    }),
  };
}

describe('load', () => {
  it('parses a valid spec into a value with source ranges', () => {
    const { spec, found } = located(MINIMAL);
    expect(found).toEqual([]);
    expect((spec!.value as { environment: string }).environment).toBe('lab');
    expect(spec!.document.getIn(['exchange', 0, 'host'], true)).toBeTruthy();
  });

  it('accepts a UTF-8 byte order mark', () => {
    const { spec, found } = located(new TextEncoder().encode('\uFEFF' + MINIMAL));
    expect(found).toEqual([]);
    expect((spec!.value as { version: number }).version).toBe(1);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const { found } = located('version: 1\nenvironment: a\nenvironment: b\n');
    expect(found).toEqual([{ at: '3:1', rule: 'yaml-duplicate-key', message: 'the key environment appears twice in the same mapping', unreadable: false }]);
  });

  it('reports a tab used for indentation at the tab', () => {
    const { found } = located('version: 1\nforests:\n  -\tname: a.com\n\t  x: 1\n');
    expect(found.map((f) => `${f.at} ${f.rule}`)).toEqual(['4:1 yaml-tab-indent']);
  });

  it('reports a syntax error with its place', () => {
    const { found } = located('version: 1\nforests: [ { name: a.com }\n');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.rule).toBe('yaml-syntax');
    expect(found[0]!.at).toMatch(/^[23]:/);
  });

  it('stops an alias bomb before expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < MAX_ALIASES + 5; i++) lines.push(`k${i}: *a`);
    const { found, spec } = located(lines.join('\n') + '\n');
    expect(spec).toBeUndefined();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'yaml-alias-limit', at: `${MAX_ALIASES + 2}:7` });
  });

  it('reports invalid UTF-8 at the offending byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('version: 1\nenvironment: caf'), 0xe9, ...new TextEncoder().encode('\n')]);
    const { found } = located(bytes);
    expect(found).toEqual([{ at: '2:17', rule: 'file-encoding', message: 'spec.yaml is not valid UTF-8 (byte 0xE9 at offset 27)', unreadable: true }]);
  });

  it('names UTF-16 files for what they are', () => {
    const { found } = located(new Uint8Array([0xff, 0xfe, 0x76, 0x00]));
    expect(found[0]).toMatchObject({ rule: 'file-encoding', message: 'spec.yaml is saved as UTF-16 (little-endian), not UTF-8' });
  });

  it('reports an empty file and a file of only comments', () => {
    expect(located('').found[0]!.rule).toBe('file-empty');
    expect(located('# nothing yet\n\n   \n').found[0]!.rule).toBe('file-empty');
  });

  it('reports a second YAML document', () => {
    const { found } = located(MINIMAL + '---\nversion: 1\n');
    expect(found.map((f) => `${f.at} ${f.rule}`)).toEqual(['11:1 yaml-multiple-documents']);
  });

  it('rejects deep nesting before the parser recurses', () => {
    const deep = 'a:\n' + Array.from({ length: 200 }, (_, i) => ' '.repeat(i + 1) + '- [' + '['.repeat(40) + ']'.repeat(40) + ']').join('\n') + '\n';
    const { found } = located(deep);
    expect(found.map((f) => f.rule)).toEqual(['yaml-too-deep']);
  });

  it('says to single-quote a DOMAIN\\account written in double quotes', () => {
    const { found } = located('version: 1\nenvironment: lab\nsyncServers:\n  - serviceAccount: "WOODGROVE\\svc_sync"\n');
    expect(found).toEqual([
      { at: '4:31', rule: 'yaml-syntax', message: 'double quotes read \\s in "WOODGROVE\\svc_sync" as an escape sequence: write a DOMAIN\\account in single quotes', unreadable: false },
    ]);
  });

  it('reports a key indented too deep on its own line, once', () => {
    const { found } = located('version: 1\nexchange:\n  - host: exch01.fabrikam.com\n    forest: fabrikam.com\n      ip: 10.2.0.20\n');
    expect(found).toEqual([
      { at: '5:7', rule: 'yaml-indentation', message: 'ip: is indented 6 spaces, deeper than forest: above it (4), so it would start inside the value of forest', unreadable: false },
    ]);
  });

  it('points at the first character of a line indented less than its siblings', () => {
    const { found } = located('version: 1\nexchange:\n  - host: exch01.fabrikam.com\n    forest: fabrikam.com\n   ip: 10.2.0.20\n');
    expect(found.map((f) => `${f.at} ${f.rule}`)).toEqual(['5:4 yaml-syntax']);
  });

  it('rejects an overlong line', () => {
    const { found } = located('version: 1\nenvironment: ' + 'x'.repeat(20_000) + '\n');
    expect(found.map((f) => `${f.at} ${f.rule}`)).toEqual(['2:1 yaml-line-too-long']);
  });

  describe('from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'winrm-forge-load-'));

    it('reports a missing file as unreadable', () => {
      const { report } = loadFile(join(dir, 'missing.yaml'));
      expect(report.diagnostics).toMatchObject([{ ruleId: 'file-not-found', unreadable: true }]);
    });

    it('reports a folder as unreadable', () => {
      mkdirSync(join(dir, 'folder.yaml'));
      expect(loadFile(join(dir, 'folder.yaml')).report.diagnostics).toMatchObject([{ ruleId: 'file-unreadable', unreadable: true }]);
    });

    it('rejects a file over the size limit without reading it', () => {
      const big = join(dir, 'big.yaml');
      writeFileSync(big, Buffer.alloc(MAX_SPEC_BYTES + 1, 0x20));
      expect(loadFile(big).report.diagnostics).toMatchObject([{ ruleId: 'file-too-large', unreadable: true }]);
    });

    it('loads a real file', () => {
      const ok = join(dir, 'ok.yaml');
      writeFileSync(ok, MINIMAL);
      expect(loadFile(ok).report.diagnostics).toEqual([]);
    });
  });
});
